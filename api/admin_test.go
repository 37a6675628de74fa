package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"tacheron/api/gate"
	"tacheron/corpus"
	"tacheron/index/store"
)

const testToken = "s3cret-admin-token"

// adminServer returns a Server with the admin endpoints over a store of
// its own (generation 1 of the bundled corpus), whose reindex opens the
// corpus with open.
func adminServer(t *testing.T, token string, open func() (*corpus.Corpus, error)) (*Server, *store.Live, *store.Store) {
	t.Helper()
	st := store.Open(t.TempDir())
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(context.Background(), c, store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	live := store.NewLive(st)
	t.Cleanup(func() { live.Close() })
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	if open == nil {
		open = corpus.Bundled
	}
	r, err := store.NewReindexer(live, store.ReindexOptions{Corpus: open})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return newTestServer(t, Options{Searcher: live, AdminToken: token, Reloader: live, Reindexer: r}), live, st
}

// admin serves an admin request with the given Authorization header
// (none when empty).
func admin(t *testing.T, h http.Handler, method, target, authorization string) *response {
	t.Helper()
	req := httptest.NewRequest(method, target, nil)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return serve(t, h, req)
}

func TestAdminDisabledWithoutToken(t *testing.T) {
	s, _, _ := adminServer(t, "", nil)
	unknown := get(t, s, "/api/v1/nothing-here")
	for _, c := range []struct{ method, target string }{
		{http.MethodPost, "/api/v1/admin/reload"},
		{http.MethodPost, "/api/v1/admin/reindex"},
		{http.MethodGet, "/api/v1/admin/reindex"},
	} {
		for _, auth := range []string{"", "Bearer " + testToken, "Bearer "} {
			r := admin(t, s, c.method, c.target, auth)
			if r.Status != http.StatusNotFound || r.problem(t).Type != gate.ProblemNotFound || r.problem(t).Detail != unknown.problem(t).Detail {
				t.Errorf("no token configured: %s %s (Authorization %q) = %d %s, want the 404 of an unknown route", c.method, c.target, auth, r.Status, r.Body)
			}
		}
	}
}

func TestAdminAuth(t *testing.T) {
	s, _, _ := adminServer(t, testToken, nil)
	for _, c := range []struct {
		auth, challenge string
	}{
		{"", `Bearer realm="tacheron admin"`},
		{"Bearer wrong-token", `Bearer realm="tacheron admin", error="invalid_token"`},
		{"Bearer " + testToken + "x", `Bearer realm="tacheron admin", error="invalid_token"`},
		{"Bearer " + testToken[:len(testToken)-1], `Bearer realm="tacheron admin", error="invalid_token"`},
		{"bearer " + strings.ToUpper(testToken), `Bearer realm="tacheron admin", error="invalid_token"`},
		{"Basic " + testToken, `Bearer realm="tacheron admin"`},
		{testToken, `Bearer realm="tacheron admin"`},
		{"Bearer", `Bearer realm="tacheron admin"`},
		{"Bearer ", `Bearer realm="tacheron admin"`},
	} {
		for _, target := range []struct{ method, path string }{
			{http.MethodPost, "/api/v1/admin/reload"},
			{http.MethodPost, "/api/v1/admin/reindex"},
			{http.MethodGet, "/api/v1/admin/reindex"},
		} {
			r := admin(t, s, target.method, target.path, c.auth)
			if r.Status != http.StatusUnauthorized || r.problem(t).Type != problemUnauthorized {
				t.Errorf("%s %s with Authorization %q = %d %s, want 401", target.method, target.path, c.auth, r.Status, r.Body)
			}
			if got := r.Header.Get("WWW-Authenticate"); got != c.challenge {
				t.Errorf("%s %s with Authorization %q: WWW-Authenticate %q, want %q", target.method, target.path, c.auth, got, c.challenge)
			}
		}
	}
	// The right token works, with the scheme in any case.
	for _, auth := range []string{"Bearer " + testToken, "bearer " + testToken, "BEARER  " + testToken} {
		r := admin(t, s, http.MethodPost, "/api/v1/admin/reload", auth)
		var out ReloadResponse
		r.json(t, &out)
		if r.Status != http.StatusOK || out.Swapped || out.Generation != 1 || out.Documents != 25 {
			t.Errorf("POST reload with Authorization %q = %d %+v", auth, r.Status, out)
		}
		if r.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("POST reload: Cache-Control %q", r.Header.Get("Cache-Control"))
		}
	}
	r := admin(t, s, http.MethodGet, "/api/v1/admin/reindex", "Bearer "+testToken)
	var st ReindexStatus
	r.json(t, &st)
	if r.Status != http.StatusOK || st.State != "idle" || st.Run != nil || st.Last != nil {
		t.Errorf("GET reindex before any run = %d %+v", r.Status, st)
	}
	if r := admin(t, s, http.MethodGet, "/api/v1/admin/reload", "Bearer "+testToken); r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "POST" {
		t.Errorf("GET reload = %d, Allow %q; want 405, POST", r.Status, r.Header.Get("Allow"))
	}
	if _, err := NewServer(Options{Searcher: testLive, AdminToken: testToken}); err == nil {
		t.Error("NewServer with an admin token and no Reloader or Reindexer succeeded")
	}
}

func TestAdminReindex(t *testing.T) {
	called, release := make(chan struct{}, 10), make(chan struct{})
	open := func() (*corpus.Corpus, error) {
		called <- struct{}{}
		<-release
		return corpus.Bundled()
	}
	s, live, _ := adminServer(t, testToken, open)
	auth := "Bearer " + testToken
	r := admin(t, s, http.MethodPost, "/api/v1/admin/reindex", auth)
	var st ReindexStatus
	r.json(t, &st)
	if r.Status != http.StatusAccepted || r.Header.Get("Location") != "/api/v1/admin/reindex" || st.State != "running" || st.Run == nil || st.Run.Phase != "building" {
		t.Fatalf("POST reindex = %d %s", r.Status, r.Body)
	}
	<-called
	// A second one while it runs: 409.
	r = admin(t, s, http.MethodPost, "/api/v1/admin/reindex", auth)
	if p := r.problem(t); r.Status != http.StatusConflict || p.Type != problemConflict || !strings.Contains(p.Detail, "already running") {
		t.Errorf("a second POST reindex while one runs = %d %s, want 409", r.Status, r.Body)
	}
	r = admin(t, s, http.MethodGet, "/api/v1/admin/reindex", auth)
	if r.json(t, &st); st.State != "running" || st.Run == nil || st.Run.FinishedAt != nil || st.Run.StartedAt.IsZero() {
		t.Errorf("GET reindex while it runs = %s", r.Body)
	}
	close(release)
	deadline := time.Now().Add(60 * time.Second)
	for {
		r = admin(t, s, http.MethodGet, "/api/v1/admin/reindex", auth)
		st = ReindexStatus{}
		if r.json(t, &st); st.State == "idle" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the reindex still runs after 60s: %s", r.Body)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, with a deadline
	}
	if l := st.Last; l == nil || l.Outcome != "ok" || l.Generation != 2 || l.Documents != 25 || l.Phase != "done" || l.FinishedAt == nil || l.FinishedAt.Before(l.StartedAt) {
		t.Errorf("the last run: %s", r.Body)
	}
	if g := live.Status().Generation; g != 2 {
		t.Errorf("serving generation %d after the reindex, want 2", g)
	}
	if g := get(t, s, "/api/v1/search?q=captcha").Header.Get("X-Index-Generation"); g != "2" {
		t.Errorf("X-Index-Generation after the reindex = %q, want 2", g)
	}

	// A run that fails is reported; nothing served changes.
	s, live, _ = adminServer(t, testToken, func() (*corpus.Corpus, error) { return corpus.OpenDir(t.TempDir() + "/missing") })
	if r := admin(t, s, http.MethodPost, "/api/v1/admin/reindex", auth); r.Status != http.StatusAccepted {
		t.Fatalf("POST reindex = %d", r.Status)
	}
	for {
		r = admin(t, s, http.MethodGet, "/api/v1/admin/reindex", auth)
		st = ReindexStatus{}
		if r.json(t, &st); st.State == "idle" {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	if l := st.Last; l == nil || l.Outcome != "error" || !strings.Contains(l.Message, "missing") || l.Generation != 0 {
		t.Errorf("the last run of a missing corpus: %s", r.Body)
	}
	if g := live.Status().Generation; g != 1 {
		t.Errorf("serving generation %d after a failed reindex, want 1", g)
	}
}

func TestAdminReindexWhileIndexRuns(t *testing.T) {
	s, live, st := adminServer(t, testToken, nil)
	// tacheron index holds the store's build lock (an flock of
	// PATH/LOCK): the admin reindex answers 409 at once.
	f, err := os.OpenFile(filepath.Join(st.Dir(), "LOCK"), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	r := admin(t, s, http.MethodPost, "/api/v1/admin/reindex", "Bearer "+testToken)
	if p := r.problem(t); r.Status != http.StatusConflict || p.Type != problemConflict || !strings.Contains(p.Detail, "tacheron index") {
		t.Errorf("POST reindex while tacheron index runs = %d %s, want 409", r.Status, r.Body)
	}
	if g := live.Status().Generation; g != 1 {
		t.Errorf("serving %d, want 1", g)
	}
}

func TestAdminReload(t *testing.T) {
	s, live, st := adminServer(t, testToken, nil)
	auth := "Bearer " + testToken
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Publish(context.Background(), c, store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	r := admin(t, s, http.MethodPost, "/api/v1/admin/reload", auth)
	var out ReloadResponse
	if r.json(t, &out); r.Status != http.StatusOK || !out.Swapped || out.Generation != 2 || r.Header.Get("X-Index-Generation") != "2" {
		t.Errorf("POST reload after a publish = %d %s, X-Index-Generation %q", r.Status, r.Body, r.Header.Get("X-Index-Generation"))
	}
	// An invalid snapshot: 500, and the old one keeps serving.
	if _, err := st.Publish(context.Background(), c, store.PublishOptions{Keep: 5}); err != nil {
		t.Fatal(err)
	}
	_, dir, err := st.Current()
	if err != nil {
		t.Fatal(err)
	}
	breakSnapshot(t, dir)
	r = admin(t, s, http.MethodPost, "/api/v1/admin/reload", auth)
	if p := r.problem(t); r.Status != http.StatusInternalServerError || p.Type != problemReload || !strings.Contains(p.Detail, "previous one is still served") {
		t.Errorf("POST reload of an invalid snapshot = %d %s", r.Status, r.Body)
	}
	if g := r.Header.Get("X-Index-Generation"); g != "2" || live.Status().Generation != 2 {
		t.Errorf("after a failed reload: X-Index-Generation %q, serving %d; want 2", g, live.Status().Generation)
	}
	if r := get(t, s, "/api/v1/search?q=captcha"); r.Status != http.StatusOK || r.Header.Get("X-Index-Generation") != "2" {
		t.Errorf("search after a failed reload = %d, generation %q", r.Status, r.Header.Get("X-Index-Generation"))
	}
	// Nothing published: 503.
	empty := store.NewLive(store.Open(t.TempDir()))
	defer empty.Close()
	r0, err := store.NewReindexer(empty, store.ReindexOptions{Corpus: corpus.Bundled})
	if err != nil {
		t.Fatal(err)
	}
	defer r0.Close()
	s = newTestServer(t, Options{Searcher: empty, AdminToken: testToken, Reloader: empty, Reindexer: r0})
	if r := admin(t, s, http.MethodPost, "/api/v1/admin/reload", auth); r.Status != http.StatusServiceUnavailable {
		t.Errorf("POST reload of an empty index = %d, want 503", r.Status)
	}
}

// breakSnapshot makes the snapshot in dir fail validation: its build
// record claims another document count.
func breakSnapshot(t *testing.T, dir string) {
	t.Helper()
	name := filepath.Join(dir, "tacheron.json")
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	data := string(b)
	i := strings.Index(data, `"documents": `)
	if i < 0 {
		t.Fatalf("no documents in %s", data)
	}
	j := i + len(`"documents": `)
	k := j + strings.IndexAny(data[j:], ",\n")
	n, err := strconv.Atoi(data[j:k])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, []byte(data[:j]+strconv.Itoa(n+1)+data[k:]), 0o644); err != nil {
		t.Fatal(err)
	}
}
