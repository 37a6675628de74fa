package api

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"tacheron/api/gate"
	"tacheron/index"
	"tacheron/index/store"
)

func TestBadRequests(t *testing.T) {
	s := newTestServer(t, Options{})
	long := strings.Repeat("a", 600)
	for _, tt := range []struct {
		method, target string
		header         http.Header
		body           string
		status         int
		param          string
	}{
		{target: "/api/v1/search?from=2017-13-01", status: 400, param: "from"},
		{target: "/api/v1/search?from=2017-3-1", status: 400, param: "from"},
		{target: "/api/v1/search?to=yesterday", status: 400, param: "to"},
		{target: "/api/v1/search?from=2017-04-01&to=2017-03-01", status: 400, param: "from"},
		{target: "/api/v1/search?page=0", status: 400, param: "page"},
		{target: "/api/v1/search?page=-1", status: 400, param: "page"},
		{target: "/api/v1/search?page=abc", status: 400, param: "page"},
		{target: "/api/v1/search?page=1.5", status: 400, param: "page"},
		{target: "/api/v1/search?page=99999999999999999999999", status: 400, param: "page"},
		{target: "/api/v1/search?per_page=0", status: 400, param: "per_page"},
		{target: "/api/v1/search?collapse=maybe", status: 400, param: "collapse"},
		{target: "/api/v1/search?per_page=101", status: 400, param: "per_page"},
		{target: "/api/v1/search?per_page=ten", status: 400, param: "per_page"},
		{target: "/api/v1/search?sort=popular", status: 400, param: "sort"},
		{target: "/api/v1/search?facets=source,colour", status: 400, param: "facets"},
		{target: "/api/v1/search?date_interval=week", status: 400, param: "date_interval"},
		{target: "/api/v1/search?related=maybe", status: 400, param: "related"},
		{target: "/api/v1/search?facet_size=0", status: 400, param: "facet_size"},
		{target: "/api/v1/search?label_lang=de", status: 400, param: "label_lang"},
		{target: "/api/v1/search?q=%ff", status: 400, param: "q"},
		{target: "/api/v1/search?q=caf%C3", status: 400, param: "q"},
		{target: "/api/v1/search?q=a%00b", status: 400, param: "q"},
		{target: "/api/v1/search?q=a%1Bb", status: 400, param: "q"},
		{target: "/api/v1/search?q=a%0Ab", status: 400, param: "q"},
		{target: "/api/v1/search?q=a%C2%85b", status: 400, param: "q"},
		{target: "/api/v1/search?source=%ff", status: 400, param: "source"},
		{target: "/api/v1/search?q=%zz", status: 400, param: "q"},
		{target: "/api/v1/search?%ff=1", status: 400, param: "\uFFFD"},
		{target: "/api/v1/search?q=a;b", status: 400, param: "q"},
		{target: "/api/v1/search?q=" + long, status: 400, param: "q"},
		{target: "/api/v1/search?q=" + strings.Repeat("mot+", 40), status: 400, param: "q"},
		{target: "/api/v1/search?page=101&per_page=100", status: 400, param: "page"},
		{target: "/api/v1/search?page=10001", status: 400, param: "page"},
		{target: "/api/v1/search?page=1001", status: 400, param: "page"},
		{target: "/api/v1/suggest?q=ub&limit=0", status: 400, param: "limit"},
		{target: "/api/v1/suggest?q=ub&limit=21", status: 400, param: "limit"},
		{target: "/api/v1/suggest?q=%00", status: 400, param: "q"},
		{target: "/api/v1/concepts?label_lang=xx", status: 400, param: "label_lang"},
		{target: "/api/v1/documents/2017-03-22-qui-entraine-les-ia?q=%ff", status: 400, param: "q"},
		{target: "/api/v1/documents/%ff%fe", status: 400, param: "id"},
		{target: "/api/v1/documents/no-such-document", status: 404},
		{target: "/api/v1/documents/" + strings.Repeat("x", 600), status: 404},
		{target: "/api/v1/nope", status: 404},
		{target: "/api/v1/search/", status: 404},
		{target: "/../../etc/passwd", status: 404},
		{target: "/web/index.html", status: 404},
		{method: http.MethodPost, target: "/api/v1/search", status: 405},
		{method: http.MethodDelete, target: "/api/v1/documents/2017-03-22-qui-entraine-les-ia", status: 405},
		{method: http.MethodPut, target: "/healthz", status: 405},
		{target: "/api/v1/search?q=" + strings.Repeat("a", 9000), status: 414},
		{target: "/api/v1/nope?q=" + strings.Repeat("a", 9000), status: 414},
		{target: "/api/v1/search", header: http.Header{"X-Big": {strings.Repeat("b", 40<<10)}}, status: 431},
		{target: "/api/v1/search", body: strings.Repeat("c", 100<<10), status: 413},
	} {
		req := tableRequest(tt.method, tt.target, tt.body, tt.header)
		name := tt.target
		if len(name) > 80 {
			name = name[:80] + "…"
		}
		r := serve(t, s, req)
		if r.Status != tt.status {
			t.Errorf("%s %s = %d, want %d\n%s", req.Method, name, r.Status, tt.status, shortBody(r.Body))
			continue
		}
		p := r.problem(t)
		if p.Param != tt.param || p.Type == "" || p.Title == "" || p.Detail == "" {
			t.Errorf("%s %s: problem %+v, want param %q", req.Method, name, p, tt.param)
		}
		if tt.status == 405 && r.Header.Get("Allow") == "" {
			t.Errorf("%s %s: 405 without Allow", req.Method, name)
		}
	}
}

func TestMethodNotAllowedAllow(t *testing.T) {
	s := newTestServer(t, Options{})
	r := serve(t, s, httptest.NewRequest(http.MethodPost, "/api/v1/search", nil))
	if r.Status != http.StatusMethodNotAllowed || r.Header.Get("Allow") != "GET" {
		t.Errorf("POST /api/v1/search = %d, Allow %q; want 405, GET", r.Status, r.Header.Get("Allow"))
	}
}

// TestNoIndex checks a server whose index is not loaded yet.
func TestNoIndex(t *testing.T) {
	live := store.NewLive(store.Open(t.TempDir()))
	defer live.Close()
	s := newTestServer(t, Options{Searcher: live})
	for _, target := range []string{"/api/v1/search?q=travail", "/api/v1/documents/x", "/api/v1/concepts", "/api/v1/sources", "/api/v1/suggest?q=ub", "/readyz"} {
		r := get(t, s, target)
		if r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
			t.Errorf("no index: GET %s = %d, Retry-After %q; want 503", target, r.Status, r.Header.Get("Retry-After"))
		}
		if r.Header.Get("X-Index-Generation") != "" {
			t.Errorf("no index: GET %s has X-Index-Generation", target)
		}
	}
	if r := get(t, s, "/healthz"); r.Status != http.StatusOK {
		t.Errorf("no index: /healthz = %d", r.Status)
	}
	if r := get(t, s, "/metrics"); !strings.Contains(string(r.Body), "tacheron_index_ready 0") {
		t.Error("no index: metrics do not say tacheron_index_ready 0")
	}
}

// A fakeSearcher answers with what its functions say.
type fakeSearcher struct {
	Searcher
	search func(ctx context.Context, req index.Request) (*index.Result, error)
}

func (f fakeSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	return f.search(ctx, req)
}

func (fakeSearcher) Status() index.Status {
	return index.Status{Ready: true, Generation: 7, Documents: 1}
}

func TestPanicIsA500(t *testing.T) {
	var logs syncBuffer
	s := newTestServer(t, Options{
		Logger: slog.New(slog.NewTextHandler(&logs, nil)),
		Searcher: fakeSearcher{search: func(context.Context, index.Request) (*index.Result, error) {
			panic("boom in /secret/path/search.go")
		}},
	})
	r := get(t, s, "/api/v1/search?q=travail")
	if r.Status != http.StatusInternalServerError {
		t.Fatalf("panic: %d, want 500", r.Status)
	}
	if bytes.Contains(r.Body, []byte("boom")) || bytes.Contains(r.Body, []byte("secret")) {
		t.Errorf("the 500 body tells the panic: %s", r.Body)
	}
	if log := logs.String(); !strings.Contains(log, "boom") || !strings.Contains(log, "status=500") {
		t.Errorf("the panic is not logged with its status:\n%s", log)
	}
}

func TestErrorIsA500(t *testing.T) {
	s := newTestServer(t, Options{Searcher: fakeSearcher{search: func(context.Context, index.Request) (*index.Result, error) {
		return nil, errors.New("disk on fire at /var/lib/tacheron")
	}}})
	r := get(t, s, "/api/v1/search?q=travail")
	if r.Status != http.StatusInternalServerError || bytes.Contains(r.Body, []byte("/var/lib")) {
		t.Errorf("internal error: %d %s", r.Status, r.Body)
	}
}

func TestDeadlineReachesSearch(t *testing.T) {
	got := make(chan time.Duration, 1)
	s := newTestServer(t, Options{Timeout: 50 * time.Millisecond, Searcher: fakeSearcher{search: func(ctx context.Context, req index.Request) (*index.Result, error) {
		deadline, ok := ctx.Deadline()
		if !ok {
			got <- 0
			return nil, errors.New("no deadline")
		}
		got <- time.Until(deadline)
		<-ctx.Done()
		return nil, ctx.Err()
	}}})
	r := get(t, s, "/api/v1/search?q=travail")
	if left := <-got; left <= 0 || left > 50*time.Millisecond {
		t.Errorf("the search saw a deadline %v away, want within 50ms", left)
	}
	if p := r.problem(t); r.Status != http.StatusServiceUnavailable || p.Type != gate.ProblemTimeout {
		t.Errorf("timed out search: %d %+v", r.Status, p)
	}

	// The real index sees it too.
	s = newTestServer(t, Options{Timeout: time.Nanosecond})
	if r := get(t, s, "/api/v1/search?q=travail"); r.Status != http.StatusServiceUnavailable {
		t.Errorf("1ns deadline on the index: %d, want 503", r.Status)
	}
}

// syncBuffer is a bytes.Buffer safe for concurrent use.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestNewServerOptions(t *testing.T) {
	if _, err := NewServer(Options{}); err == nil {
		t.Error("NewServer without a Searcher succeeded")
	}
	for _, origin := range []string{"*", "search.example.org", "https://search.example.org/", "https://search.example.org/page", "ftp://x", "https://"} {
		if _, err := NewServer(Options{Searcher: testLive, CORSOrigin: origin}); err == nil {
			t.Errorf("NewServer with CORS origin %q succeeded", origin)
		}
	}
	for _, origin := range []string{"", "https://search.example.org", "http://127.0.0.1:5173"} {
		if _, err := NewServer(Options{Searcher: testLive, CORSOrigin: origin}); err != nil {
			t.Errorf("NewServer with CORS origin %q: %v", origin, err)
		}
	}
}

// tableRequest makes the request of a table row: GET when method is empty,
// no body when body is empty, with header added.
func tableRequest(method, target, body string, header http.Header) *http.Request {
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body == "" {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, v := range header {
		req.Header[k] = v
	}
	return req
}
