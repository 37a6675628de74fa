package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"tacheron/api"
	"tacheron/corpus"
	"tacheron/index/store"
)

// logWatcher collects what a command logs and tells when a line arrives.
type logWatcher struct {
	mu      sync.Mutex
	buf     bytes.Buffer
	changed chan struct{}
}

func newLogWatcher() *logWatcher { return &logWatcher{changed: make(chan struct{}, 1)} }

func (w *logWatcher) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.buf.Write(p)
	select {
	case w.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (w *logWatcher) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

// await waits until the log matches re, or the command ends, or time runs
// out; it returns the first submatch.
func (w *logWatcher) await(t *testing.T, re *regexp.Regexp, done <-chan error) string {
	t.Helper()
	timeout := time.After(60 * time.Second)
	for {
		if m := re.FindStringSubmatch(w.String()); m != nil {
			if len(m) > 1 {
				return m[1]
			}
			return m[0]
		}
		select {
		case <-w.changed:
		case err := <-done:
			t.Fatalf("the command ended (%v) before logging %v:\n%s", err, re, w)
		case <-timeout:
			t.Fatalf("no %v in the log after 60s:\n%s", re, w)
		}
	}
}

func TestServe(t *testing.T) {
	dir := t.TempDir() // empty: serve builds the index first
	env := map[string]string{"TACHERON_INDEX": dir}
	getenv := func(k string) string { return env[k] }
	stderr := newLogWatcher()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--timeout", "3s"}, getenv, io.Discard, stderr)
	}()
	addr := stderr.await(t, regexp.MustCompile(`msg=listening addr=(127\.0\.0\.1:\d+)`), done)
	base := "http://" + addr

	client := &http.Client{Timeout: 10 * time.Second}
	defer client.CloseIdleConnections()
	res, err := client.Get(base + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("/healthz = %d", res.StatusCode)
	}
	stderr.await(t, regexp.MustCompile(`msg="serving index"`), done)

	res, err = client.Get(base + "/api/v1/search?q=captcha")
	if err != nil {
		t.Fatal(err)
	}
	var out api.SearchResponse
	err = json.NewDecoder(res.Body).Decode(&out)
	res.Body.Close()
	if err != nil || res.StatusCode != http.StatusOK || out.Total == 0 || out.Hits[0].ID != "2017-03-22-qui-entraine-les-ia" {
		t.Fatalf("search captcha: %d %v %+v", res.StatusCode, err, out)
	}
	if res.Header.Get("X-Index-Generation") != "1" {
		t.Errorf("X-Index-Generation = %q, want 1", res.Header.Get("X-Index-Generation"))
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v after its context was canceled", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("serve did not stop 30s after its context was canceled")
	}
	if !strings.Contains(stderr.String(), "msg=stopped") {
		t.Errorf("no clean stop in the log:\n%s", stderr)
	}
	if c, err := net.DialTimeout("tcp", addr, time.Second); err == nil {
		c.Close()
		t.Errorf("%s still accepts connections after the shutdown", addr)
	}
	if !regexp.MustCompile(`msg=request method=GET route=/api/v1/search status=200 duration=\S+ bytes=\d+ hits=1`).MatchString(stderr.String()) {
		t.Errorf("no access log line for the search:\n%s", stderr)
	}
}

func TestServeBadFlags(t *testing.T) {
	getenv := func(string) string { return "" }
	for _, args := range [][]string{
		{"serve", "--timeout", "0s"},
		{"serve", "extra"},
		{"serve", "--nope"},
		{"serve", "--follow", "http://bucket/prefix"},
		{"serve", "--follow", "s3://bucket/a/../b"},
		{"serve", "--follow", "s3://bucket/p", "--follow-limit", "fast"},
		{"serve", "--follow", "s3://bucket/p", "--follow-interval", "0s"},
		{"serve", "--keep-open", "-1"},
		{"serve", "--keep-open-for", "-1s"},
	} {
		if err := run(context.Background(), args, getenv, io.Discard, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("run %q = %v, want a usage error", args, err)
		}
	}
	// An address that cannot be listened on fails at once.
	err := run(context.Background(), []string{"serve", "--index", t.TempDir(), "--addr", "127.0.0.1:-1"}, getenv, io.Discard, io.Discard)
	if err == nil {
		t.Error("serve on port -1 succeeded")
	}
	// An index that cannot be built stops the server with the reason.
	err = run(context.Background(), []string{"serve", "--index", t.TempDir(), "--addr", "127.0.0.1:0", "--corpus", filepath.Join(t.TempDir(), "missing")}, getenv, io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "missing") {
		t.Errorf("serve with a missing corpus = %v, want an error naming it", err)
	}
}

// TestSearchJSON checks that "tacheron search --json" prints what the API
// answers.
func TestSearchJSON(t *testing.T) {
	dir := t.TempDir()
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(dir)
	if _, err := st.Publish(context.Background(), c, store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	live := serving(t, st)
	srv, err := api.NewServer(api.Options{Searcher: live})
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{"captcha", "micro-travail", "travail digital"} {
		var stdout bytes.Buffer
		if err := run(context.Background(), []string{"search", "--json", "--index", dir, q}, func(string) string { return "" }, &stdout, io.Discard); err != nil {
			t.Fatalf("search --json %s: %v", q, err)
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/api/v1/search?q="+strings.ReplaceAll(q, " ", "+"), nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET search %s: %d", q, rec.Code)
		}
		cli, web := withoutTook(t, stdout.Bytes()), withoutTook(t, rec.Body.Bytes())
		if !reflect.DeepEqual(cli, web) {
			t.Errorf("search --json %s:\n%s\nthe API:\n%s", q, stdout.Bytes(), rec.Body.Bytes())
		}
	}
}

// withoutTook decodes a search response and drops took_ms, which differs
// from one run to the next.
func withoutTook(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("%v: %s", err, b)
	}
	if _, ok := m["took_ms"]; !ok {
		t.Fatalf("no took_ms in %s", b)
	}
	delete(m, "took_ms")
	return m
}

// TestShutdownFinishesInFlight checks that a request in flight when the
// server is asked to stop gets its whole answer before serveUntil returns.
func TestShutdownFinishesInFlight(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})}
	shuttingDown := make(chan struct{})
	srv.RegisterOnShutdown(func() { close(shuttingDown) })
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- serveUntil(ctx, srv, ln, slog.New(slog.DiscardHandler)) }()

	type answer struct {
		body string
		err  error
	}
	got := make(chan answer, 1)
	go func() {
		res, err := http.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			got <- answer{err: err}
			return
		}
		defer res.Body.Close()
		b, err := io.ReadAll(res.Body)
		got <- answer{string(b), err}
	}()
	<-entered
	cancel()
	<-shuttingDown
	select {
	case err := <-done:
		t.Fatalf("serveUntil returned (%v) with a request in flight", err)
	default:
	}
	close(release)
	if a := <-got; a.err != nil || a.body != "finished" {
		t.Errorf("the request in flight got %q, %v", a.body, a.err)
	}
	if err := <-done; err != nil {
		t.Errorf("serveUntil = %v", err)
	}
}
