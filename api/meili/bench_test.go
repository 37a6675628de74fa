package meili

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"tacheron/api/gate"
	"tacheron/index/store"
)

// BenchmarkMeiliResidualFilter measures searches whose filter tacheron's
// filters cannot express as they are (OR across attributes, NOT on
// concepts): the residual filter, with facets. It runs over the bundled
// corpus, or over the store in TACHERON_BENCH_STORE (a copy: opening it
// takes its locks), with the query in TACHERON_BENCH_QUERY:
//
//	TACHERON_BENCH_STORE=/tmp/idx100k TACHERON_BENCH_QUERY=travail \
//	go test ./api/meili -run '^$' -bench ResidualFilter -count 6
func BenchmarkMeiliResidualFilter(b *testing.B) {
	var searcher []gate.Searcher
	query := "travail"
	if dir := os.Getenv("TACHERON_BENCH_STORE"); dir != "" {
		live := store.NewLive(store.Open(dir))
		if _, err := live.Reload(); err != nil {
			b.Fatal(err)
		}
		defer live.Close()
		searcher = append(searcher, live)
		if q := os.Getenv("TACHERON_BENCH_QUERY"); q != "" {
			query = q
		}
	}
	// A deadline that a slow run under load does not reach.
	h := newMeiliServer(b, gate.Options{Timeout: time.Minute}, searcher...)
	for _, bm := range []struct{ name, body string }{
		{"or", `{"q":"` + query + `","filter":"kind = press OR lang = en","facets":["source","concepts","year"],"limit":20}`},
		{"not-concepts", `{"q":"` + query + `","filter":"concepts != fake-news OR source = Slate","facets":["source","kind"],"limit":20,"offset":40}`},
	} {
		search := func(b *testing.B) {
			r := httptest.NewRequest(http.MethodPost, "/meili/indexes/documents/search", strings.NewReader(bm.body))
			r.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != http.StatusOK {
				b.Fatalf("%d %s", rec.Code, rec.Body)
			}
		}
		b.Run(bm.name, func(b *testing.B) {
			// Once untimed: the postings and records it reads are
			// cached, as they are on a server that has answered before.
			search(b)
			for b.Loop() {
				search(b)
			}
		})
	}
}
