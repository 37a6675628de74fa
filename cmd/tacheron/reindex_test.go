package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"tacheron/api"
	"tacheron/index"
	"tacheron/index/store"
)

// A testServer is "tacheron serve" running in-process.
type testServer struct {
	base   string
	log    *logWatcher
	done   chan error
	cancel context.CancelFunc
	client *http.Client
}

// startServe runs "tacheron serve" with args (and --addr 127.0.0.1:0) and
// waits until it serves an index.
func startServe(t *testing.T, env map[string]string, args ...string) *testServer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	s := &testServer{log: newLogWatcher(), done: make(chan error, 1), cancel: cancel}
	args = append([]string{"serve", "--addr", "127.0.0.1:0"}, args...)
	go func() { s.done <- run(ctx, args, func(k string) string { return env[k] }, io.Discard, s.log) }()
	s.base = "http://" + s.log.await(t, regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`), s.done)
	s.log.await(t, regexp.MustCompile(`msg="serving index"`), s.done)
	s.client = &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	t.Cleanup(func() { s.stop(t) })
	return s
}

// stop stops the server and waits for it.
func (s *testServer) stop(t *testing.T) {
	t.Helper()
	if s.cancel == nil {
		return
	}
	s.cancel()
	s.cancel = nil
	s.client.CloseIdleConnections()
	select {
	case err := <-s.done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(60 * time.Second):
		t.Errorf("serve did not stop 60s after its context was canceled")
	}
}

// do sends a request and decodes a JSON body into out (when not nil).
func (s *testServer) do(method, path, token string, out any) (*http.Response, error) {
	req, err := http.NewRequest(method, s.base+path, nil)
	if err != nil {
		return nil, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := s.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		return res, err
	}
	if out != nil {
		if err := json.Unmarshal(body, out); err != nil {
			return res, fmt.Errorf("%s %s: %d %w: %s", method, path, res.StatusCode, err, body)
		}
	}
	return res, nil
}

// generation returns the generation the server serves, from /readyz.
func (s *testServer) generation(t *testing.T) uint64 {
	t.Helper()
	var h api.Health
	if _, err := s.do(http.MethodGet, "/readyz", "", &h); err != nil {
		t.Fatal(err)
	}
	return h.Generation
}

// waitFor polls cond until it holds, failing the test after timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not after %v", what, timeout)
		}
		<-tick.C
	}
}

// publishCLI runs "tacheron index" in-process into dir and returns the
// generation it published.
func publishCLI(t *testing.T, dir string, args ...string) uint64 {
	t.Helper()
	out, _, err := runCLI(t, nil, append([]string{"index", "--index", dir}, args...)...)
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`generation (\d+)`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no generation in %q", out)
	}
	gen, _ := strconv.ParseUint(m[1], 10, 64)
	return gen
}

// serving returns a Live serving store's current snapshot, closed when
// the test ends.
func serving(t *testing.T, st *store.Store) *store.Live {
	t.Helper()
	live := store.NewLive(st)
	t.Cleanup(func() { live.Close() })
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	return live
}

// reindexAdmin starts a reindex through the admin endpoint and waits for
// it to finish; it returns the generation published.
func reindexAdmin(t *testing.T, s *testServer, token string) uint64 {
	t.Helper()
	var st api.ReindexStatus
	res, err := s.do(http.MethodPost, "/api/v1/admin/reindex", token, &st)
	if err != nil || res.StatusCode != http.StatusAccepted {
		t.Fatalf("POST reindex: %v %v", res.Status, err)
	}
	waitFor(t, 120*time.Second, "the admin reindex finishes", func() bool {
		st = api.ReindexStatus{}
		_, err := s.do(http.MethodGet, "/api/v1/admin/reindex", token, &st)
		return err == nil && st.State == "idle"
	})
	if st.Last == nil || st.Last.Outcome != "ok" {
		t.Fatalf("the admin reindex failed: %+v", st.Last)
	}
	return st.Last.Generation
}

// openFDs counts the process's open file descriptors.
func openFDs(t *testing.T) int {
	t.Helper()
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		t.Skip("no /proc/self/fd:", err)
	}
	return len(entries)
}

// A loadClient searches continuously and checks every answer.
type loadClient struct {
	served, failed atomic.Int64
	// shed counts the searches that admission refused (503 with
	// Retry-After): the server protecting itself on a busy machine, not a
	// failure; the client waits a little and goes on.
	shed atomic.Int64
	gen  atomic.Uint64 // the last generation seen
	mu   sync.Mutex
	errs []string
	gens []uint64 // the generations seen, in order, once each
}

func (c *loadClient) fail(format string, args ...any) {
	c.failed.Add(1)
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.errs) < 10 {
		c.errs = append(c.errs, fmt.Sprintf(format, args...))
	}
}

// search runs one query and checks it: 200, the expected total and hits,
// the same generation in the header and the body, never an older one
// than before.
func (c *loadClient) search(s *testServer, q string, want int) {
	var out api.SearchResponse
	res, err := s.do(http.MethodGet, "/api/v1/search?q="+url.QueryEscape(q), "", &out)
	if err != nil {
		c.fail("search %q: %v", q, err)
		return
	}
	gen, _ := strconv.ParseUint(res.Header.Get("X-Index-Generation"), 10, 64)
	switch {
	case res.StatusCode == http.StatusServiceUnavailable && res.Header.Get("Retry-After") != "":
		c.shed.Add(1)
		time.Sleep(shedPause) // backing off, as a client told to retry does
	case res.StatusCode != http.StatusOK:
		c.fail("search %q: %d", q, res.StatusCode)
	case out.Total != want || len(out.Hits) == 0:
		c.fail("search %q: %d results (%d hits) from generation %d, want %d", q, out.Total, len(out.Hits), gen, want)
	case gen == 0 || out.Generation != gen:
		c.fail("search %q: X-Index-Generation %q, body generation %d", q, res.Header.Get("X-Index-Generation"), out.Generation)
	case gen < c.gen.Load():
		c.fail("search %q: generation %d after %d", q, gen, c.gen.Load())
	default:
		c.served.Add(1)
		if gen > c.gen.Load() {
			c.gen.Store(gen)
			c.mu.Lock()
			c.gens = append(c.gens, gen)
			c.mu.Unlock()
		}
	}
}

// shedPause is how long a load client waits after a 503 with Retry-After.
const shedPause = 20 * time.Millisecond

// loadQueries are searches with results on the bundled corpus.
var loadQueries = []string{"captcha", "micro-travail", "plateformes", "travail digital", "intelligence artificielle", "uber", "digital labor", "ubérisation"}

// TestServeSwapsUnderLoad swaps snapshots in six times — published by
// "tacheron index" and picked up by the watch, SIGHUP and the admin
// reload, and rebuilt by the admin reindex — while 8 clients search
// without pause: no request may fail, lose its results or see the
// generation go back, and goroutines and file descriptors come back to
// what they were.
func TestServeSwapsUnderLoad(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	if gen := publishCLI(t, dir); gen != 1 {
		t.Fatalf("first generation %d", gen)
	}
	const token = "load-test-token"
	const clients = 8
	// The load is sized to what is tested, swaps: every client's search is
	// admitted (one in flight each) and the deadline is far, so that a busy
	// machine slows the test down rather than failing it. Admission that
	// sheds load all the same (503 with Retry-After) is counted apart.
	s := startServe(t, map[string]string{"TACHERON_ADMIN_TOKEN": token}, "--index", dir, "--watch-interval", "50ms",
		"--max-concurrent", strconv.Itoa(clients), "--timeout", "30s")

	want := map[string]int{}
	for _, q := range loadQueries {
		var out api.SearchResponse
		if _, err := s.do(http.MethodGet, "/api/v1/search?q="+url.QueryEscape(q), "", &out); err != nil || out.Total == 0 {
			t.Fatalf("search %q: %d results, %v", q, out.Total, err)
		}
		want[q] = out.Total
	}

	var cs [clients]*loadClient
	startClients := func() (stop func()) {
		ctx, cancel := context.WithCancel(context.Background())
		var wg sync.WaitGroup
		for i := range clients {
			if cs[i] == nil {
				cs[i] = &loadClient{}
			}
			c := cs[i]
			wg.Go(func() {
				for n := i; ctx.Err() == nil; n++ {
					q := loadQueries[n%len(loadQueries)]
					c.search(s, q, want[q])
				}
			})
		}
		return func() { cancel(); wg.Wait() }
	}
	served := func() int64 {
		var n int64
		for _, c := range cs {
			n += c.served.Load()
		}
		return n
	}
	allSeen := func(gen uint64) func() bool {
		return func() bool {
			for _, c := range cs {
				if c.gen.Load() < gen {
					return false
				}
			}
			return true
		}
	}

	// Warm up, then take the baseline with the clients idle.
	stop := startClients()
	waitFor(t, 60*time.Second, "every client searches", func() bool { return served() >= 20*clients })
	stop()
	s.client.CloseIdleConnections()
	goroutines, fds := settle(t)
	t.Logf("baseline: %d goroutines, %d open files", goroutines, fds)
	warmup := served()

	stop = startClients()
	type swap struct {
		how string
		gen uint64
	}
	var swaps []swap
	do := func(how string, f func() uint64) {
		before := served()
		gen := f()
		waitFor(t, 60*time.Second, fmt.Sprintf("every client sees generation %d (%s)", gen, how), allSeen(gen))
		// Let every client search on the new snapshot for a while.
		waitFor(t, 60*time.Second, "clients search after the swap", func() bool { return served() >= before+4*clients })
		swaps = append(swaps, swap{how, gen})
	}
	do("tacheron index, then the watch", func() uint64 { return publishCLI(t, dir) })
	do("tacheron index, then SIGHUP", func() uint64 {
		gen := publishCLI(t, dir)
		if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
			t.Fatal(err)
		}
		return gen
	})
	do("tacheron index, then POST /api/v1/admin/reload", func() uint64 {
		gen := publishCLI(t, dir)
		var out api.ReloadResponse
		res, err := s.do(http.MethodPost, "/api/v1/admin/reload", token, &out)
		if err != nil || res.StatusCode != http.StatusOK || out.Generation != gen {
			t.Fatalf("POST reload: %v %+v %v", res.Status, out, err)
		}
		return gen
	})
	do("POST /api/v1/admin/reindex", func() uint64 { return reindexAdmin(t, s, token) })
	do("POST /api/v1/admin/reindex", func() uint64 { return reindexAdmin(t, s, token) })
	do("tacheron index, then the watch", func() uint64 { return publishCLI(t, dir) })
	stop()

	var failed, shed int64
	for i, c := range cs {
		failed += c.failed.Load()
		shed += c.shed.Load()
		for _, e := range c.errs {
			t.Errorf("client %d: %s", i, e)
		}
		for k := 1; k < len(c.gens); k++ {
			if c.gens[k] <= c.gens[k-1] {
				t.Errorf("client %d saw generations %v", i, c.gens)
			}
		}
	}
	for i, sw := range swaps {
		if want := uint64(i + 2); sw.gen != want {
			t.Errorf("swap %d (%s) published generation %d, want %d", i+1, sw.how, sw.gen, want)
		}
	}
	t.Logf("%d swaps %v: %d requests served during them (%d in the warm-up), %d failed, %d shed by admission", len(swaps), swaps, served()-warmup, warmup, failed, shed)
	for i, c := range cs {
		t.Logf("client %d: %d served, generations seen %v", i, c.served.Load(), c.gens)
	}
	if g := s.generation(t); g != 7 {
		t.Errorf("serving generation %d at the end, want 7", g)
	}

	// Retired snapshots close once their requests are over: goroutines
	// and files come back to the baseline.
	s.client.CloseIdleConnections()
	const slack = 3
	deadline := time.Now().Add(60 * time.Second)
	var g, f int
	for {
		runtime.GC()
		g, f = runtime.NumGoroutine(), openFDs(t)
		if g <= goroutines+slack && f <= fds+slack {
			break
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("after the swaps: %d goroutines (baseline %d), %d open files (baseline %d)\n%s",
				g, goroutines, f, fds, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, with a deadline
	}
	t.Logf("after the swaps: %d goroutines, %d open files", g, f)
	st := store.Open(dir)
	if gen, _, err := st.Current(); err != nil || gen != 7 {
		t.Errorf("CURRENT = %d, %v", gen, err)
	}
}

// settle waits until the number of goroutines stops changing and returns
// it with the number of open files.
func settle(t *testing.T) (int, int) {
	t.Helper()
	last, stable := -1, 0
	deadline := time.Now().Add(30 * time.Second)
	for stable < 20 && time.Now().Before(deadline) {
		n := runtime.NumGoroutine()
		if n == last {
			stable++
		} else {
			last, stable = n, 0
		}
		time.Sleep(5 * time.Millisecond) // polling a condition, with a deadline
	}
	return last, openFDs(t)
}

// TestServeReloadTriggers checks each way serve picks up a new snapshot:
// SIGHUP and the admin reload with the watch off, then the watch.
func TestServeReloadTriggers(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	publishCLI(t, dir)
	const token = "trigger-token"
	s := startServe(t, map[string]string{"TACHERON_WATCH_INTERVAL": "0"}, "--index", dir, "--admin-token", token)
	publishCLI(t, dir)
	if g := s.generation(t); g != 1 {
		t.Fatalf("serving %d with the watch off, want 1", g)
	}
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	s.log.await(t, regexp.MustCompile(`msg="serving index" trigger=SIGHUP generation=2`), s.done)
	if g := s.generation(t); g != 2 {
		t.Errorf("serving %d after SIGHUP, want 2", g)
	}
	publishCLI(t, dir)
	var out api.ReloadResponse
	if res, err := s.do(http.MethodPost, "/api/v1/admin/reload", token, &out); err != nil || res.StatusCode != http.StatusOK || !out.Swapped || out.Generation != 3 {
		t.Errorf("POST reload: %v %+v %v", res.Status, out, err)
	}
	// A wrong token: 401, nothing changes.
	if res, err := s.do(http.MethodPost, "/api/v1/admin/reload", "wrong", nil); err != nil || res.StatusCode != http.StatusUnauthorized {
		t.Errorf("POST reload with a wrong token: %v %v", res.Status, err)
	}
	s.stop(t)

	// The watch, with no admin token: the admin endpoints are 404.
	s = startServe(t, map[string]string{"TACHERON_WATCH_INTERVAL": "20ms"}, "--index", dir)
	if res, err := s.do(http.MethodPost, "/api/v1/admin/reload", token, nil); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("POST reload without an admin token configured: %v %v", res.Status, err)
	}
	gen := publishCLI(t, dir)
	s.log.await(t, regexp.MustCompile(`msg="serving index" trigger=watch generation=`+strconv.FormatUint(gen, 10)), s.done)
	if g := s.generation(t); g != gen {
		t.Errorf("serving %d after the watch, want %d", g, gen)
	}
}

func TestServeBadWatchInterval(t *testing.T) {
	for _, c := range []struct {
		env  map[string]string
		args []string
	}{
		{map[string]string{"TACHERON_WATCH_INTERVAL": "soon"}, nil},
		{map[string]string{"TACHERON_WATCH_INTERVAL": "-1s"}, nil},
		{nil, []string{"--watch-interval", "-1s"}},
		{nil, []string{"--keep", "0"}},
	} {
		_, stderr, err := runCLI(t, c.env, append([]string{"serve", "--index", t.TempDir()}, c.args...)...)
		if err != errUsage {
			t.Errorf("serve %v %v = %v (%s), want a usage error", c.env, c.args, err, stderr)
		}
	}
}

// TestIndexConcurrentRun checks that a second "tacheron index" fails at
// once, saying why, while another holds the store.
func TestIndexConcurrentRun(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	publishCLI(t, dir)
	// Another run holds the lock (an flock of PATH/LOCK).
	f, err := os.OpenFile(filepath.Join(dir, "LOCK"), os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	_, _, err = runCLI(t, nil, "index", "--index", dir)
	for _, want := range []string{"nothing published, generation 1 is still current", "another tacheron index run holds the lock", "wait for it to finish"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("index while another run holds the lock = %v, want it to say %q", err, want)
		}
	}
	syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	if gen := publishCLI(t, dir); gen != 2 {
		t.Errorf("the next run published %d, want 2", gen)
	}
}

// TestIndexUnreadableCorpusFile checks that a corpus file that cannot be
// read — even by root — fails the run with a message naming it, and that
// nothing served changes.
func TestIndexUnreadableCorpusFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "index")
	publishCLI(t, dir)
	st := store.Open(dir)
	live := serving(t, st)
	good := `{"title":"Un billet lisible","date":"2020-01-01","body":"du texte"}` + "\n"
	cases := []struct {
		name  string
		setup func(dir string) error
		want  string
	}{
		{"a symlink to a directory", func(dir string) error { return os.Symlink(t.TempDir(), filepath.Join(dir, "x.jsonl")) }, "is a directory"},
		{"a dangling symlink", func(dir string) error { return os.Symlink("/nonexistent/x", filepath.Join(dir, "x.jsonl")) }, "no such file"},
		{"a symlink loop", func(dir string) error { return os.Symlink("x.jsonl", filepath.Join(dir, "x.jsonl")) }, "too many levels of symbolic links"},
	}
	if os.Geteuid() != 0 {
		cases = append(cases, struct {
			name  string
			setup func(dir string) error
			want  string
		}{"a file of mode 000", func(dir string) error {
			return os.WriteFile(filepath.Join(dir, "x.jsonl"), []byte(good), 0o000)
		}, "permission denied"})
	}
	for _, c := range cases {
		corpusDir := t.TempDir()
		if err := os.WriteFile(filepath.Join(corpusDir, "a.jsonl"), []byte(good), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := c.setup(corpusDir); err != nil {
			t.Fatal(err)
		}
		_, _, err := runCLI(t, nil, "index", "--corpus", corpusDir, "--index", dir)
		if err == nil || !strings.Contains(err.Error(), "x.jsonl") || !strings.Contains(err.Error(), c.want) ||
			!strings.Contains(err.Error(), "nothing published, generation 1 is still current") {
			t.Errorf("%s: index = %v, want an error naming x.jsonl: %s", c.name, err, c.want)
			continue
		}
		t.Logf("%s: %v", c.name, err)
		checkUnchanged(t, st, live, 1)
	}
}

// checkUnchanged checks that the store still publishes gen, holds no
// leftover, and that live serves gen and answers.
func checkUnchanged(t *testing.T, st *store.Store, live *store.Live, gen uint64) {
	t.Helper()
	if cur, _, err := st.Current(); err != nil || cur != gen {
		t.Errorf("CURRENT = %d, %v; want %d", cur, err, gen)
	}
	entries, err := os.ReadDir(filepath.Join(st.Dir(), "snapshots"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("leftover %s after a failed run", e.Name())
		}
	}
	if swapped, err := live.Reload(); swapped || err != nil {
		t.Errorf("reload after a failed run: %v, %v", swapped, err)
	}
	res, err := live.Search(context.Background(), index.Request{Query: "captcha"})
	if err != nil || res.Total != 1 || res.Generation != gen {
		t.Errorf("search captcha after a failed run: %+v, %v", res, err)
	}
}
