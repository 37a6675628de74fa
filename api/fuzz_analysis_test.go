package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// fuzzRoute fuzzes the query string of a route: never a 5xx, JSON when it
// says JSON.
func fuzzRoute(f *testing.F, path string, seeds []string) {
	for _, seed := range seeds {
		f.Add(seed)
	}
	textFormats(f)
	s := newTestServer(f, Options{})
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.URL.RawQuery = raw
		req.RequestURI = req.URL.RequestURI()
		r := serve(t, s, req)
		if r.Status >= 500 {
			t.Fatalf("%s?%q = %d\n%s", path, raw, r.Status, r.Body)
		}
		if ct := r.Header.Get("Content-Type"); strings.HasSuffix(strings.Split(ct, ";")[0], "json") && !json.Valid(r.Body) {
			t.Fatalf("%s?%q = %d, not JSON:\n%s", path, raw, r.Status, r.Body)
		}
	})
}

func FuzzTrendsParams(f *testing.F) {
	fuzzRoute(f, "/api/v1/trends", []string{
		"", "q=travail", "series=q%3Dtravail&series=concept%3Dmicro-travail%26label%3Dmicro", "series=q%253D%2525",
		"series=&series=", "series=page%3D0", "date_interval=auto&from=2017-01-01&to=2017-12-31", "date_interval=year",
		"from=0001-01-01&to=9999-12-31&date_interval=month", "format=csv", "format=jsonl&series=q%3Da", "series=q%3D%22a+b%22",
	})
}

func FuzzKWICParams(f *testing.F) {
	fuzzRoute(f, "/api/v1/kwic", []string{
		"q=plateformes", "q=%22travail+du+clic%22&sort=left", "q=a&context=30&per_page=500&page=20", "q=uber&format=csv&limit=3",
		"q=&sort=right", "q=-a", "q=a&concepts=true", "q=a&page=0",
	})
}

func FuzzCooccurrenceParams(f *testing.F) {
	fuzzRoute(f, "/api/v1/cooccurrence", []string{
		"q=plateformes", "concept=micro-travail", "q=travail&related=false&limit=5&min_count=2", "q=&label_lang=en",
		"q=uber&from=2017-03-01&to=2017-03-31", "limit=0", "min_count=", "q=%22travail+du+clic%22",
	})
}
