package meili

import (
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"

	"tacheron/api/apitest"
	"tacheron/api/gate"
	"tacheron/index/store"
)

// testLive serves an index of the bundled corpus, built once in TestMain.
var testLive *store.Live

func TestMain(m *testing.M) {
	os.Exit(apitest.Run(m, &testLive))
}

// newMeiliServer returns the Meilisearch API under DefaultPrefix over the
// test index (opts.Searcher is unused), logging to the test, with the
// security headers every response of tacheron carries.
func newMeiliServer(tb testing.TB, opts gate.Options, searcher ...gate.Searcher) http.Handler {
	tb.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(apitest.LogWriter{TB: tb}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	var s gate.Searcher = testLive
	if len(searcher) > 0 {
		s = searcher[0]
	}
	m, err := New(gate.New(s, opts), Options{Prefix: DefaultPrefix})
	if err != nil {
		tb.Fatal(err)
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gate.SecureHeaders(w.Header())
		m.ServeHTTP(w, r)
	})
}

// spec is the OpenAPI document of tacheron (the Meilisearch routes
// included), loaded once, and its router.
var spec struct {
	once   sync.Once
	doc    *openapi3.T
	router routers.Router
	err    error
}

// loadSpec loads ../openapi.json, the document the server serves.
func loadSpec(tb testing.TB) (*openapi3.T, routers.Router) {
	tb.Helper()
	spec.once.Do(func() {
		data, err := os.ReadFile("../openapi.json")
		if err != nil {
			spec.err = err
			return
		}
		spec.doc, spec.router, spec.err = apitest.LoadSpec(data)
	})
	if spec.err != nil {
		tb.Fatal(spec.err)
	}
	return spec.doc, spec.router
}

// A response is what a test request got.
type response struct {
	Status int
	Header http.Header
	Body   []byte
}

// json decodes the body into v.
func (r *response) json(tb testing.TB, v any) {
	tb.Helper()
	if err := json.Unmarshal(r.Body, v); err != nil {
		tb.Fatalf("decode %s: %v", r.Body, err)
	}
}
