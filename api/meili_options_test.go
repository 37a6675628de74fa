package api

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// TestMeiliOptions checks how the Meilisearch dialect is assembled into the
// server: its prefix and uid, and the rest of tacheron left untouched.
func TestMeiliOptions(t *testing.T) {
	for _, prefix := range []string{"meili", "/meili/", "/api/meili", "/static", "/a b", "//x"} {
		if _, err := NewServer(Options{Searcher: testLive, MeiliPrefix: prefix}); err == nil {
			t.Errorf("prefix %q accepted", prefix)
		}
	}
	if _, err := NewServer(Options{Searcher: testLive, MeiliPrefix: "/meili", MeiliIndex: "a/b"}); err == nil {
		t.Error("index uid a/b accepted")
	}
	// Another prefix and uid; disabled when the prefix is empty.
	h := newTestServer(t, Options{MeiliPrefix: "/search/ms", MeiliIndex: "archive"})
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/search/ms/indexes/archive/search?q=captcha", nil))
	if rec.Code != 200 {
		t.Errorf("custom prefix and uid → %d %s", rec.Code, rec.Body)
	}
	if r := get(t, h, "/healthz"); r.Status != 200 {
		t.Errorf("/healthz beside the Meilisearch API → %d", r.Status)
	}
	h = newTestServer(t, Options{})
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/meili/health", nil))
	if rec.Code != 404 || !strings.Contains(rec.Header().Get("Content-Type"), "problem") {
		t.Errorf("disabled API → %d %s", rec.Code, rec.Body)
	}
}
