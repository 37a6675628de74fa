package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzSearchParams sends raw query strings to the search: the answer is
// never a 5xx, always JSON, and always what the OpenAPI document says.
func FuzzSearchParams(f *testing.F) {
	for _, seed := range []string{
		"",
		"q=captcha",
		"q=micro-travail&source=Le+Figaro&source=Slate&kind=press&lang=fr&from=2017-01-01&to=2017-12-31&sort=-date&page=2&per_page=5&facets=source,date&date_interval=year",
		"q=%22digital+labor%22+-uber",
		"q=ub%C3%A9*&concept=uberisation",
		"q=%ff", "q=%00", "q=%zz", "%=", "&&&", "q", "=", "q=a;b",
		"page=0", "page=-1", "page=abc", "page=10001", "per_page=101", "page=101&per_page=100",
		"sort=random", "facets=author", "facets=,,,", "date_interval=week", "from=2017-02-30", "to=99999-01-01",
		"q=" + string(make([]byte, 600)),
		"q=*", "q=~", "q=(((", "q=-", "q=--a", "q=a*b*c*", "q=%E2%80%99", "q=l%27uberisation",
		"facet_size=500", "facet_size=501", "label_lang=en", "label_lang=",
	} {
		f.Add(seed)
	}
	textFormats(f)
	s := newTestServer(f, Options{})
	f.Fuzz(func(t *testing.T, raw string) {
		req := httptest.NewRequest(http.MethodGet, "/api/v1/search", nil)
		req.URL.RawQuery = raw
		req.RequestURI = req.URL.RequestURI()
		r := serve(t, s, req)
		if r.Status >= 500 {
			t.Fatalf("?%q = %d\n%s", raw, r.Status, r.Body)
		}
		// format= asks for other representations (CSV, feeds…).
		if ct := r.Header.Get("Content-Type"); strings.HasSuffix(strings.Split(ct, ";")[0], "json") && !json.Valid(r.Body) {
			t.Fatalf("?%q = %d, not JSON:\n%s", raw, r.Status, r.Body)
		}
	})
}

// FuzzSuggestParams does the same for the suggestions and documents.
func FuzzSuggestParams(f *testing.F) {
	for _, seed := range []string{"q=ub%C3%A9", "q=micro&limit=3", "q=digital+la", "q=+", "q=-", "q=%E2%80%99a", "q=a+&limit=20", "limit=x", "q=%ff", "label_lang=en&q=plat"} {
		f.Add(seed, "2017-03-22-qui-entraine-les-ia")
	}
	f.Add("q=captcha", "2017-03-31-ailleur-dans-les-medias")
	f.Add("", "%2F")
	s := newTestServer(f, Options{})
	f.Fuzz(func(t *testing.T, raw, id string) {
		for _, path := range []string{"/api/v1/suggest", "/api/v1/documents/" + url.PathEscape(id)} {
			req := httptest.NewRequest(http.MethodGet, "/", nil)
			req.URL.Path, req.URL.RawPath, req.URL.RawQuery = "", "", raw
			u, err := url.Parse(path)
			if err != nil {
				return
			}
			req.URL.Path, req.URL.RawPath = u.Path, u.RawPath
			req.RequestURI = req.URL.RequestURI()
			r := serve(t, s, req)
			if r.Status >= 500 || !json.Valid(r.Body) {
				t.Fatalf("%s?%q = %d\n%s", path, raw, r.Status, r.Body)
			}
		}
	})
}
