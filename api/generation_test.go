package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"testing"

	"tacheron/api/gate"
	"tacheron/corpus"
	"tacheron/index/store"
)

// TestSearchAtGeneration asks for pages at a generation, by parameter and
// by header, from a server that serves generation 3 and keeps 2 open.
func TestSearchAtGeneration(t *testing.T) {
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	st := store.Open(t.TempDir())
	live := store.NewLive(st)
	t.Cleanup(func() { live.Close() })
	live.KeepOpen(1, 0)
	for range 3 {
		if _, err := st.Publish(context.Background(), c, store.PublishOptions{Keep: 3}); err != nil {
			t.Fatal(err)
		}
		if _, err := live.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	h := newTestServer(t, Options{Searcher: live})
	tests := []struct {
		name, target, header string
		status               int
		problem              string
		generation           uint64
	}{
		{name: "current", target: "/api/v1/search?q=travail", status: 200, generation: 3},
		{name: "current by number", target: "/api/v1/search?q=travail&generation=3", status: 200, generation: 3},
		{name: "kept open", target: "/api/v1/search?q=travail&page=2&per_page=2&generation=2", status: 200, generation: 2},
		{name: "kept open, header", target: "/api/v1/search?q=travail&page=2&per_page=2", header: "2", status: 200, generation: 2},
		{name: "parameter wins", target: "/api/v1/search?q=travail&generation=3", header: "2", status: 200, generation: 3},
		{name: "newer", target: "/api/v1/search?q=travail&generation=4", status: 503, problem: gate.ProblemGenerationUnavailable},
		{name: "newer, header", target: "/api/v1/search?q=travail", header: "9", status: 503, problem: gate.ProblemGenerationUnavailable},
		{name: "gone", target: "/api/v1/search?q=travail&generation=1", status: 410, problem: gate.ProblemGenerationGone},
		{name: "zero", target: "/api/v1/search?q=travail&generation=0", status: 400, problem: gate.ProblemInvalidParameter},
		{name: "not a number", target: "/api/v1/search?q=travail&generation=deux", status: 400, problem: gate.ProblemInvalidParameter},
		{name: "bad header", target: "/api/v1/search?q=travail", header: "-1", status: 400, problem: gate.ProblemInvalidParameter},
	}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodGet, tt.target, nil)
		if tt.header != "" {
			req.Header.Set("X-Index-Generation", tt.header)
		}
		r := serve(t, h, req)
		if r.Status != tt.status {
			t.Errorf("%s: GET %s (X-Index-Generation %q) = %d, want %d: %s", tt.name, tt.target, tt.header, r.Status, tt.status, shortBody(r.Body))
			continue
		}
		if tt.problem != "" {
			if p := r.problem(t); p.Type != tt.problem {
				t.Errorf("%s: problem %+v, want type %s", tt.name, p, tt.problem)
			}
			continue
		}
		var res SearchResponse
		r.json(t, &res)
		if res.Generation != tt.generation || r.Header.Get("X-Index-Generation") != itoa(tt.generation) {
			t.Errorf("%s: answered by generation %d (header %q), want %d", tt.name, res.Generation, r.Header.Get("X-Index-Generation"), tt.generation)
		}
	}
}

func itoa(n uint64) string { return strconv.FormatUint(n, 10) }
