package api

import (
	"encoding/json"
	"html"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"tacheron/index"
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
		if r.Status == http.StatusOK {
			checkSearchAnswer(t, s, raw, r.Body)
		}
	})
}

// checkSearchAnswer checks what must hold of any answer of the search:
// the counts bound the hits, a page never repeats a document, no hit is
// one a filter excludes, and a snippet, its marks removed and its entities
// unescaped, is text of the hit's title or body.
func checkSearchAnswer(t *testing.T, h http.Handler, raw string, body []byte) {
	t.Helper()
	var res SearchResponse
	if err := json.Unmarshal(body, &res); err != nil {
		t.Fatalf("?%q: %v\n%s", raw, err, body)
	}
	// Related documents follow those that match every word: the two
	// counts together bound what one can page through.
	if len(res.Hits) > res.PerPage || len(res.Hits) > 0 && (res.Page-1)*res.PerPage+len(res.Hits) > res.Total+res.RelatedTotal {
		t.Errorf("?%q: %d hits on page %d of %d per page, %d in total and %d related", raw, len(res.Hits), res.Page, res.PerPage, res.Total, res.RelatedTotal)
	}
	params, err := url.ParseQuery(raw)
	if err != nil {
		params = nil // the server read it its own way: no filter to check
	}
	// A filter keeps the hits whose value it names, as the index reads
	// filters: kind and lang without regard to case, source and concept
	// by index.FilterKey, a concept also by its labels.
	closed := func(name, value string) bool {
		values := filterValues(params, name)
		return len(values) == 0 || slices.ContainsFunc(values, func(v string) bool { return strings.EqualFold(strings.TrimSpace(v), value) })
	}
	open := func(name string, names ...string) bool {
		values := filterValues(params, name)
		return len(values) == 0 || slices.ContainsFunc(values, func(v string) bool {
			return slices.ContainsFunc(names, func(n string) bool { return n == v || index.FilterKey(n) == index.FilterKey(v) })
		})
	}
	var labels map[string][]string // concept id: its id and labels
	if len(filterValues(params, "concept")) > 0 {
		labels = conceptNames(t, h)
	}
	seen := map[string]bool{}
	for _, hit := range res.Hits {
		if seen[hit.ID] {
			t.Errorf("?%q: %s twice on a page", raw, hit.ID)
		}
		seen[hit.ID] = true
		if !open("source", hit.Source) || !closed("kind", hit.Kind) || !closed("lang", hit.Lang) {
			t.Errorf("?%q: hit %s (source %q, kind %q, lang %q) excluded by the filters", raw, hit.ID, hit.Source, hit.Kind, hit.Lang)
		}
		var names []string
		for _, c := range hit.Concepts {
			names = append(names, labels[c]...)
		}
		if !open("concept", names...) {
			t.Errorf("?%q: hit %s has concepts %v, none named by %v", raw, hit.ID, hit.Concepts, filterValues(params, "concept"))
		}
		if from := params.Get("from"); from != "" && hit.Date < from {
			t.Errorf("?%q: hit %s of %s, before from", raw, hit.ID, hit.Date)
		}
		if to := params.Get("to"); to != "" && hit.Date > to {
			t.Errorf("?%q: hit %s of %s, after to", raw, hit.ID, hit.Date)
		}
		if len(hit.Highlights.Title)+len(hit.Highlights.Body) == 0 {
			continue
		}
		r := serve(t, h, httptest.NewRequest(http.MethodGet, "/api/v1/documents/"+url.PathEscape(hit.ID), nil))
		var doc Document
		if err := json.Unmarshal(r.Body, &doc); err != nil || r.Status != http.StatusOK {
			t.Fatalf("document %s of a hit: %d %v", hit.ID, r.Status, err)
		}
		texts := []string{doc.Title}
		for _, p := range doc.Paragraphs {
			texts = append(texts, p.Text)
		}
		for _, snippet := range append(slices.Clone(hit.Highlights.Title), hit.Highlights.Body...) {
			if !snippetOf(snippet, texts) {
				t.Errorf("?%q: snippet %q of %s is not text of the document", raw, snippet, hit.ID)
			}
		}
	}
}

// conceptNames returns, per concept id, the names a concept filter may
// give it: its id and its labels, read from GET /api/v1/concepts.
func conceptNames(t *testing.T, h http.Handler) map[string][]string {
	t.Helper()
	r := serve(t, h, httptest.NewRequest(http.MethodGet, "/api/v1/concepts", nil))
	var concepts []Concept
	if err := json.Unmarshal(r.Body, &concepts); err != nil || r.Status != http.StatusOK {
		t.Fatalf("concepts: %d %v", r.Status, err)
	}
	names := map[string][]string{}
	for _, c := range concepts {
		names[c.ID] = append(names[c.ID], c.ID, c.Labels.FR, c.Labels.EN)
	}
	return names
}

// snippetOf reports whether a snippet, its marks removed and its entities
// unescaped, is in one of texts, its ellipses (where it is cut) aside.
func snippetOf(snippet string, texts []string) bool {
	plain := html.UnescapeString(strings.NewReplacer("<mark>", "", "</mark>", "").Replace(snippet))
	cut := strings.TrimSuffix(strings.TrimPrefix(plain, "… "), " …")
	for _, text := range texts {
		if strings.Contains(text, plain) || strings.Contains(text, cut) {
			return true
		}
	}
	return false
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
