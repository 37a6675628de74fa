package api

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"tacheron/api/gate"
	"tacheron/api/meili"
	"tacheron/index"
)

// A barrier holds the searches of a fakeSearcher until it is opened; it
// ignores their deadlines, as a Searcher slow to notice one would.
type barrier struct {
	entered chan struct{} // a value per search that started
	open    chan struct{}
}

func newBarrier() *barrier {
	return &barrier{entered: make(chan struct{}, 100), open: make(chan struct{})}
}

func (g *barrier) search(ctx context.Context, req index.Request) (*index.Result, error) {
	g.entered <- struct{}{}
	<-g.open
	return &index.Result{Generation: 7}, nil
}

// metric returns the value of a metric line of /metrics, "" when absent.
func metric(t *testing.T, h http.Handler, name string) string {
	t.Helper()
	r := get(t, h, "/metrics")
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(name) + ` (\S+)$`).FindSubmatch(r.Body)
	if m == nil {
		return ""
	}
	return string(m[1])
}

// TestAdmission checks that at most MaxConcurrent searches run, as many
// wait, and the others get a 503 at once; health and metrics still answer.
func TestAdmission(t *testing.T) {
	for _, prompt := range []bool{false, true} {
		t.Run(admissionMode(prompt), func(t *testing.T) { testAdmission(t, prompt) })
	}
}

// admissionMode names a test of admission by where the searches run.
func admissionMode(prompt bool) string {
	if prompt {
		return "inline"
	}
	return "goroutine"
}

func testAdmission(t *testing.T, prompt bool) {
	g := newBarrier()
	s := newTestServer(t, Options{MaxConcurrent: 2, QueueWait: time.Hour, Searcher: fakeSearcher{search: g.search}, PromptSearcher: prompt})

	// Two run, two wait: they answer once the gate opens.
	var wg sync.WaitGroup
	statuses := make(chan int, 4)
	for range 4 {
		wg.Go(func() { statuses <- get(t, s, "/api/v1/search?q=travail").Status })
	}
	<-g.entered
	<-g.entered
	waitFor(t, "two searches waiting", func() bool { return metric(t, s, "tacheron_searches_waiting") == "2" })

	// Any more is refused at once; what does not search still answers.
	r := get(t, s, "/api/v1/search?q=travail")
	if p := r.problem(t); r.Status != http.StatusServiceUnavailable || p.Type != gate.ProblemOverloaded || r.Header.Get("Retry-After") == "" {
		t.Errorf("a search beyond the limit = %d %+v, Retry-After %q; want 503 overloaded with Retry-After", r.Status, p, r.Header.Get("Retry-After"))
	}
	for _, target := range []string{"/api/v1/suggest?q=ub", "/api/v1/documents/x", "/api/v1/concepts", "/api/v1/sources"} {
		if r := get(t, s, target); r.Status != http.StatusServiceUnavailable {
			t.Errorf("GET %s beyond the limit = %d, want 503", target, r.Status)
		}
	}
	for _, target := range []string{"/healthz", "/readyz", "/metrics", "/openapi.json", "/", "/static/app.js"} {
		if r := get(t, s, target); r.Status != http.StatusOK {
			t.Errorf("GET %s while searches are full = %d, want 200", target, r.Status)
		}
	}
	// A bad request is refused before it takes a place.
	if r := get(t, s, "/api/v1/search?page=0"); r.Status != http.StatusBadRequest {
		t.Errorf("a bad request while searches are full = %d, want 400", r.Status)
	}
	if got := metric(t, s, "tacheron_searches_rejected_total"); got != "5" {
		t.Errorf("tacheron_searches_rejected_total = %s, want 5", got)
	}
	if got := metric(t, s, "tacheron_searches_running"); got != "2" {
		t.Errorf("tacheron_searches_running = %s, want 2", got)
	}
	if got := metric(t, s, "tacheron_searches_max_running"); got != "2" {
		t.Errorf("tacheron_searches_max_running = %s, want 2", got)
	}

	close(g.open)
	wg.Wait()
	close(statuses)
	for st := range statuses {
		if st != http.StatusOK {
			t.Errorf("a search admitted or waiting = %d, want 200", st)
		}
	}
	if r := get(t, s, "/api/v1/search?q=travail"); r.Status != http.StatusOK {
		t.Errorf("a search once the others are done = %d, want 200", r.Status)
	}
}

// TestAdmissionWaitIsBounded checks that a search waiting for a place gets
// a 503 once QueueWait has passed, and one gets it at once without a wait.
func TestAdmissionWaitIsBounded(t *testing.T) {
	for _, prompt := range []bool{false, true} {
		for _, wait := range []time.Duration{10 * time.Millisecond, -1} {
			g := newBarrier()
			s := newTestServer(t, Options{MaxConcurrent: 1, QueueWait: wait, Searcher: fakeSearcher{search: g.search}, PromptSearcher: prompt})
			done := make(chan struct{})
			go func() {
				defer close(done)
				get(t, s, "/api/v1/search?q=travail")
			}()
			<-g.entered
			r := get(t, s, "/api/v1/search?q=travail")
			if p := r.problem(t); r.Status != http.StatusServiceUnavailable || p.Type != gate.ProblemOverloaded || r.Header.Get("Retry-After") == "" {
				t.Errorf("%s, QueueWait %v: a search waiting = %d %+v, Retry-After %q; want 503 overloaded with Retry-After",
					admissionMode(prompt), wait, r.Status, p, r.Header.Get("Retry-After"))
			}
			close(g.open)
			<-done
		}
	}
}

// TestDeadlineAnswersAtOnce checks that a search that outlives its
// deadline is answered 503 at the deadline, and keeps its place until the
// Searcher returns.
func TestDeadlineAnswersAtOnce(t *testing.T) {
	g := newBarrier()
	s := newTestServer(t, Options{MaxConcurrent: 1, QueueWait: -1, Timeout: 20 * time.Millisecond, Searcher: fakeSearcher{search: g.search}})
	r := get(t, s, "/api/v1/search?q=travail")
	if p := r.problem(t); r.Status != http.StatusServiceUnavailable || p.Type != gate.ProblemTimeout {
		t.Errorf("a search past its deadline = %d %+v, want 503 timeout", r.Status, p)
	}
	if got := metric(t, s, "tacheron_searches_abandoned_total"); got != "1" {
		t.Errorf("tacheron_searches_abandoned_total = %s, want 1", got)
	}
	// The abandoned search still holds the only place.
	if r := get(t, s, "/api/v1/search?q=travail"); r.problem(t).Type != gate.ProblemOverloaded {
		t.Errorf("a search while an abandoned one runs = %d, want 503 overloaded", r.Status)
	}
	close(g.open)
	waitFor(t, "the abandoned search to give its place back", func() bool { return metric(t, s, "tacheron_searches_running") == "0" })
	if r := get(t, s, "/api/v1/search?q=travail"); r.Status != http.StatusOK {
		t.Errorf("a search once the place is free = %d, want 200", r.Status)
	}
}

// TestDeadlineInline checks that a prompt Searcher, called on the
// request's goroutine, is answered with the same 503 at the end of a
// search that outlived its deadline, whether it noticed the deadline or
// finished past it, and gives its place back.
func TestDeadlineInline(t *testing.T) {
	for _, tt := range []struct {
		name   string
		search func(ctx context.Context, req index.Request) (*index.Result, error)
	}{
		{"noticed", func(ctx context.Context, _ index.Request) (*index.Result, error) {
			<-ctx.Done()
			return nil, fmt.Errorf("searching: %w", ctx.Err())
		}},
		{"finished late", func(ctx context.Context, _ index.Request) (*index.Result, error) {
			<-ctx.Done()
			return &index.Result{Generation: 7}, nil
		}},
	} {
		s := newTestServer(t, Options{MaxConcurrent: 1, QueueWait: -1, Timeout: 20 * time.Millisecond, PromptSearcher: true,
			Searcher: fakeSearcher{search: tt.search}})
		for i := range 2 {
			r := get(t, s, "/api/v1/search?q=travail")
			if p := r.problem(t); r.Status != http.StatusServiceUnavailable || p.Type != gate.ProblemTimeout {
				t.Errorf("%s, search %d: a search past its deadline = %d %+v, want 503 timeout", tt.name, i, r.Status, p)
			}
		}
		if got := metric(t, s, "tacheron_searches_abandoned_total"); got != "2" {
			t.Errorf("%s: tacheron_searches_abandoned_total = %s, want 2", tt.name, got)
		}
		if got := metric(t, s, "tacheron_searches_running"); got != "0" {
			t.Errorf("%s: tacheron_searches_running = %s once answered, want 0", tt.name, got)
		}
	}
}

// TestSearcherPanicInAdmission checks that a panic of the Searcher, on a
// goroutine of its own or on the request's, is logged and answered with a
// 500.
func TestSearcherPanicInAdmission(t *testing.T) {
	for _, prompt := range []bool{false, true} {
		t.Run(admissionMode(prompt), func(t *testing.T) { testSearcherPanicInAdmission(t, prompt) })
	}
}

func testSearcherPanicInAdmission(t *testing.T, prompt bool) {
	var logs syncBuffer
	s := newTestServer(t, Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Searcher: fakeSearcher{search: func(context.Context, index.Request) (*index.Result, error) {
			panic("boom in /secret/path/search.go")
		}},
		PromptSearcher: prompt,
	})
	for range 3 {
		r := get(t, s, "/api/v1/search?q=travail")
		if r.Status != http.StatusInternalServerError || strings.Contains(string(r.Body), "secret") {
			t.Errorf("a panicking search = %d %s, want a 500 that tells nothing", r.Status, r.Body)
		}
	}
	if log := logs.String(); !strings.Contains(log, "boom") || !strings.Contains(log, "stack=") {
		t.Errorf("the panic is not logged with its stack:\n%s", log)
	}
	// Every place was given back.
	if got := metric(t, s, "tacheron_searches_running"); got != "0" {
		t.Errorf("tacheron_searches_running = %s after panics, want 0", got)
	}
}

// waitFor polls cond until it holds, failing the test after 10 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("no %s after 10s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestDefaultMaxConcurrent(t *testing.T) {
	s := newTestServer(t, Options{})
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if want := "tacheron_searches_max_running " + strconv.Itoa(DefaultMaxConcurrent()); !strings.Contains(rec.Body.String(), want) {
		t.Errorf("metrics lack %q", want)
	}
}

// TestAdmissionMeili checks that the Meilisearch-compatible API answers a
// search beyond the limit as Meilisearch's own limiter does: 503
// too_many_search_requests with Retry-After.
func TestAdmissionMeili(t *testing.T) {
	g := newBarrier()
	s := newMeiliServer(t, Options{MaxConcurrent: 1, QueueWait: -1, Searcher: fakeSearcher{search: g.search}})
	done := make(chan struct{})
	go func() {
		defer close(done)
		get(t, s, "/api/v1/search?q=travail")
	}()
	<-g.entered
	for _, tt := range []struct{ method, target, body string }{
		{http.MethodGet, "/meili/indexes/documents/search?q=travail", ""},
		{http.MethodPost, "/meili/indexes/documents/search", `{"q": "travail"}`},
		{http.MethodPost, "/meili/multi-search", `{"queries": [{"indexUid": "documents", "q": "travail"}]}`},
	} {
		r := meiliDo(t, s, tt.method, tt.target, tt.body)
		var e meili.Error
		r.json(t, &e)
		if r.Status != http.StatusServiceUnavailable || e.Code != "too_many_search_requests" || r.Header.Get("Retry-After") == "" {
			t.Errorf("%s %s beyond the limit = %d %+v, Retry-After %q; want 503 %s", tt.method, tt.target, r.Status, e, r.Header.Get("Retry-After"), "too_many_search_requests")
		}
	}
	close(g.open)
	<-done
}
