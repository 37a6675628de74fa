package api

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"tacheron/api/apitest"
)

// newMeiliServer returns a Server over the test index with the
// Meilisearch-compatible API under /meili, for the tests of what both
// dialects share (admission, limits, hostile input).
func newMeiliServer(tb testing.TB, opts Options) *Server {
	tb.Helper()
	if opts.MeiliPrefix == "" {
		opts.MeiliPrefix = DefaultMeiliPrefix
	}
	return newTestServer(tb, opts)
}

// meiliDo serves a request of the Meilisearch API (body: JSON, or nothing
// when empty), checks it against the OpenAPI document, and returns the
// response.
func meiliDo(tb testing.TB, h http.Handler, method, target, body string) *response {
	tb.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	r := &response{Status: res.StatusCode, Header: res.Header, Body: b}
	if err := checkMeiliResponse(tb, httptest.NewRequest(method, target, strings.NewReader(body)), r); err != nil {
		tb.Errorf("%s %s %s → %d: %v\n%s", method, target, body, r.Status, err, shortBody(r.Body))
	}
	return r
}

// checkMeiliResponse validates a response of the Meilisearch API against
// the OpenAPI document (see apitest.CheckMeili).
func checkMeiliResponse(tb testing.TB, req *http.Request, r *response) error {
	doc, router := loadSpec(tb)
	return apitest.CheckMeili(doc, router, req, r.Status, r.Header, r.Body)
}
