package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"tacheron/api/gate"
	"testing"
)

// search GETs /api/v1/search with the parameters of query and decodes
// the answer, which must be a 200.
func search(t *testing.T, h http.Handler, query string) SearchResponse {
	t.Helper()
	r := get(t, h, "/api/v1/search?"+query)
	if r.Status != http.StatusOK {
		t.Fatalf("GET /api/v1/search?%s = %d, want 200\n%s", query, r.Status, r.Body)
	}
	var out SearchResponse
	r.json(t, &out)
	if gen := r.Header.Get("X-Index-Generation"); gen != strconv.FormatUint(out.Generation, 10) {
		t.Errorf("X-Index-Generation = %q, body says generation %d", gen, out.Generation)
	}
	return out
}

func counts(values []FacetValue) map[string]int {
	m := map[string]int{}
	for _, v := range values {
		m[v.Value] = v.Count
	}
	return m
}

func sum(values []FacetValue) int {
	n := 0
	for _, v := range values {
		n += v.Count
	}
	return n
}

func ids(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		out = append(out, h.ID)
	}
	return out
}

func TestSearchResponseShape(t *testing.T) {
	s := newTestServer(t, Options{})
	res := search(t, s, "q=captcha")
	if res.Query != "captcha" || res.Page != 1 || res.PerPage != 10 || res.Total < 1 || res.TookMS < 0 {
		t.Errorf("search captcha = query %q total %d page %d per_page %d took_ms %v", res.Query, res.Total, res.Page, res.PerPage, res.TookMS)
	}
	if !slices.Contains(ids(res.Hits), "2017-03-22-qui-entraine-les-ia") {
		t.Errorf("search captcha = %v, want 2017-03-22-qui-entraine-les-ia among them", ids(res.Hits))
	}
	for _, name := range []string{"source", "concept", "kind", "lang", "date"} {
		if _, ok := res.Facets[name]; !ok {
			t.Errorf("facets lack %q: %v", name, res.Facets)
		}
	}
	for _, c := range res.Facets["concept"] {
		if c.Label == "" {
			t.Errorf("concept facet value %q has no label", c.Value)
		}
	}
	for _, d := range res.Facets["date"] {
		if !regexp.MustCompile(`^\d{4}-\d{2}$`).MatchString(d.Value) {
			t.Errorf("date facet value %q, want YYYY-MM", d.Value)
		}
	}
}

func TestEmptyQueryNewestFirst(t *testing.T) {
	s := newTestServer(t, Options{})
	res := search(t, s, "per_page=100")
	if res.Total != testLive.Status().Documents {
		t.Errorf("empty query: total %d, want every document (%d)", res.Total, testLive.Status().Documents)
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i-1].Date < res.Hits[i].Date {
			t.Fatalf("empty query: hit %d dated %s before hit %d dated %s: want newest first", i-1, res.Hits[i-1].Date, i, res.Hits[i].Date)
		}
	}
}

func TestFacetsAlwaysPresent(t *testing.T) {
	s := newTestServer(t, Options{})
	res := search(t, s, "q=zzyzxqwv&facets=source,date")
	if res.Total != 0 || len(res.Hits) != 0 {
		t.Fatalf("q=zzyzxqwv: total %d", res.Total)
	}
	if len(res.Facets) != 2 || res.Facets["source"] == nil || res.Facets["date"] == nil {
		t.Errorf("facets = %#v, want source and date, empty", res.Facets)
	}
	if res.Hits == nil {
		t.Error("hits is null, want []")
	}
	res = search(t, s, "q=travail&facets=")
	if len(res.Facets) != 0 {
		t.Errorf("facets= gave %v, want none", res.Facets)
	}
	res = search(t, s, "facets=date&date_interval=year")
	for _, d := range res.Facets["date"] {
		if len(d.Value) != 4 {
			t.Errorf("date_interval=year: value %q", d.Value)
		}
	}
}

func TestFacetsDisjunctive(t *testing.T) {
	s := newTestServer(t, Options{})
	all := search(t, s, "")
	sources := all.Facets["source"]
	if len(sources) < 2 {
		t.Fatalf("the bundled corpus has %d sources", len(sources))
	}
	picked := sources[0]
	res := search(t, s, "source="+url.QueryEscape(picked.Value))
	if res.Total != picked.Count {
		t.Errorf("source=%s: total %d, facet said %d", picked.Value, res.Total, picked.Count)
	}
	// The source facet ignores its own filter: every source still offered,
	// with the same counts.
	if got, want := counts(res.Facets["source"]), counts(sources); !mapsEqual(got, want) {
		t.Errorf("source=%s: source facet %v, want %v (disjunctive)", picked.Value, got, want)
	}
	// The other facets apply it.
	for _, name := range []string{"kind", "lang", "date"} {
		if got := sum(res.Facets[name]); got != res.Total {
			t.Errorf("source=%s: %s counts add up to %d, want total %d", picked.Value, name, got, res.Total)
		}
		if sum(res.Facets[name]) >= sum(all.Facets[name]) {
			t.Errorf("source=%s: %s counts did not shrink (%d, unfiltered %d)", picked.Value, name, sum(res.Facets[name]), sum(all.Facets[name]))
		}
	}
	for _, h := range res.Hits {
		if h.Source != picked.Value {
			t.Errorf("source=%s: hit %s from %s", picked.Value, h.ID, h.Source)
		}
	}
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestFiltersOrWithinAndAcross(t *testing.T) {
	s := newTestServer(t, Options{})
	all := search(t, s, "")
	srcs := all.Facets["source"]
	a, b := srcs[0], srcs[1]
	both := search(t, s, "source="+url.QueryEscape(a.Value)+"&source="+url.QueryEscape(b.Value)+"&per_page=100")
	if both.Total != a.Count+b.Count {
		t.Errorf("source=%s|%s: total %d, want %d+%d (OR)", a.Value, b.Value, both.Total, a.Count, b.Count)
	}
	for _, h := range both.Hits {
		if h.Source != a.Value && h.Source != b.Value {
			t.Errorf("source=%s|%s: hit from %s", a.Value, b.Value, h.Source)
		}
	}
	// AND across fields: a kind within the sources.
	kind := both.Facets["kind"][0]
	and := search(t, s, "source="+url.QueryEscape(a.Value)+"&source="+url.QueryEscape(b.Value)+"&kind="+url.QueryEscape(kind.Value)+"&per_page=100")
	if and.Total != kind.Count {
		t.Errorf("sources and kind=%s: total %d, want the kind facet's %d", kind.Value, and.Total, kind.Count)
	}
	for _, h := range and.Hits {
		if h.Kind != kind.Value || (h.Source != a.Value && h.Source != b.Value) {
			t.Errorf("sources and kind=%s: hit %s is %s from %s", kind.Value, h.ID, h.Kind, h.Source)
		}
	}
	// Concepts: OR-ed.
	cs := search(t, s, "concept=micro-travail&concept=uberisation&per_page=100")
	if cs.Total == 0 {
		t.Fatal("concept=micro-travail|uberisation: nothing")
	}
	for _, h := range cs.Hits {
		if !slices.Contains(h.Concepts, "micro-travail") && !slices.Contains(h.Concepts, "uberisation") {
			t.Errorf("concept filter: hit %s has concepts %v", h.ID, h.Concepts)
		}
	}
	// Dates: inclusive.
	ds := search(t, s, "from=2017-03-01&to=2017-03-31&per_page=100")
	if ds.Total == 0 {
		t.Fatal("March 2017: nothing")
	}
	for _, h := range ds.Hits {
		if h.Date < "2017-03-01" || h.Date > "2017-03-31" {
			t.Errorf("from=2017-03-01&to=2017-03-31: hit dated %s", h.Date)
		}
	}
	if got := counts(all.Facets["date"])["2017-03"]; ds.Total != got {
		t.Errorf("March 2017: total %d, date facet said %d", ds.Total, got)
	}
}

func TestSort(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, tt := range []struct {
		sort   string
		before func(a, b string) bool
	}{
		{"date", func(a, b string) bool { return a <= b }},
		{"-date", func(a, b string) bool { return a >= b }},
	} {
		res := search(t, s, "q=travail&per_page=100&sort="+url.QueryEscape(tt.sort))
		if len(res.Hits) < 5 {
			t.Fatalf("q=travail: %d hits", len(res.Hits))
		}
		// By date within each set: the documents with every word, then
		// the related ones.
		for i := 1; i < len(res.Hits); i++ {
			a, b := res.Hits[i-1], res.Hits[i]
			if a.Match == "related" && b.Match == "all" {
				t.Errorf("sort=%s: related %s before %s, which matches all", tt.sort, a.ID, b.ID)
			}
			if a.Match == b.Match && !tt.before(a.Date, b.Date) {
				t.Errorf("sort=%s: %s then %s", tt.sort, a.Date, b.Date)
			}
		}
	}
}

// TestCollapseParam checks that collapse=false and collapse=true are
// accepted and that every hit lists its reprints (none in the bundled
// corpus) as also_in; the grouping itself is tested in index.
func TestCollapseParam(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, c := range []string{"true", "false", ""} {
		r := get(t, s, "/api/v1/search?q=travail&collapse="+c)
		if r.Status != http.StatusOK {
			t.Fatalf("collapse=%s: %d %s", c, r.Status, r.Body)
		}
		var raw struct {
			Hits []map[string]json.RawMessage `json:"hits"`
		}
		r.json(t, &raw)
		if len(raw.Hits) == 0 {
			t.Fatalf("collapse=%s: no hits", c)
		}
		for _, h := range raw.Hits {
			if string(h["also_in"]) != "[]" {
				t.Errorf("collapse=%s: also_in = %s, want []", c, h["also_in"])
			}
		}
	}
}

func TestPagination(t *testing.T) {
	s := newTestServer(t, Options{})
	p1 := search(t, s, "q=travail&per_page=5&page=1")
	p2 := search(t, s, "q=travail&per_page=5&page=2")
	both := search(t, s, "q=travail&per_page=10")
	if p1.Total != p2.Total || p1.Total != both.Total {
		t.Errorf("totals differ across pages: %d, %d, %d", p1.Total, p2.Total, both.Total)
	}
	if p2.Page != 2 || p2.PerPage != 5 {
		t.Errorf("page 2: page %d per_page %d", p2.Page, p2.PerPage)
	}
	if len(p1.Hits) != 5 || len(p2.Hits) != 5 {
		t.Fatalf("pages of 5: %d and %d hits", len(p1.Hits), len(p2.Hits))
	}
	for _, id := range ids(p2.Hits) {
		if slices.Contains(ids(p1.Hits), id) {
			t.Errorf("%s on page 1 and page 2", id)
		}
	}
	if got, want := append(ids(p1.Hits), ids(p2.Hits)...), ids(both.Hits); !slices.Equal(got, want) {
		t.Errorf("pages 1 and 2 of 5 = %v, want the first 10 %v", got, want)
	}
	last := search(t, s, "q=travail&per_page=100&page=100")
	if len(last.Hits) != 0 || last.Total != p1.Total {
		t.Errorf("page beyond the last: %d hits, total %d", len(last.Hits), last.Total)
	}
}

func TestHighlights(t *testing.T) {
	s := newTestServer(t, Options{})
	marks := strings.NewReplacer("<mark>", "", "</mark>", "")
	for _, q := range []string{"captcha", "travail", "ubérisation", "digital labor"} {
		res := search(t, s, "q="+url.QueryEscape(q))
		marked := 0
		for _, h := range res.Hits {
			for _, snip := range append(append([]string{}, h.Highlights.Title...), h.Highlights.Body...) {
				if strings.Contains(snip, "<mark>") {
					marked++
				}
				if plain := marks.Replace(snip); strings.ContainsAny(plain, "<>") {
					t.Errorf("q=%s: %s: snippet not HTML-escaped: %q", q, h.ID, snip)
				}
			}
		}
		if marked == 0 {
			t.Errorf("q=%s: no snippet with <mark>", q)
		}
	}
	res := search(t, s, "q=captcha")
	for _, h := range res.Hits {
		if h.ID == "2017-03-22-qui-entraine-les-ia" {
			if !slices.ContainsFunc(h.Highlights.Body, func(s string) bool { return strings.Contains(strings.ToLower(s), "<mark>captcha</mark>") }) {
				t.Errorf("captcha: body highlights %q", h.Highlights.Body)
			}
			return
		}
	}
	t.Error("captcha: 2017-03-22-qui-entraine-les-ia not found")
}

func TestDocument(t *testing.T) {
	s := newTestServer(t, Options{})
	r := get(t, s, "/api/v1/documents/2017-03-22-qui-entraine-les-ia?q=captcha")
	if r.Status != http.StatusOK {
		t.Fatalf("document: %d %s", r.Status, r.Body)
	}
	var d Document
	r.json(t, &d)
	if d.ID != "2017-03-22-qui-entraine-les-ia" || d.Source != "Le Figaro" || d.Date != "2017-03-22" || len(d.Paragraphs) == 0 || len(d.Concepts) == 0 {
		t.Errorf("document = %+v", d)
	}
	marked := false
	for _, p := range d.Paragraphs {
		if p.Lang != "fr" && p.Lang != "en" {
			t.Errorf("paragraph lang %q", p.Lang)
		}
		marked = marked || strings.Contains(p.HTML, "<mark>")
	}
	if !marked {
		t.Error("document?q=captcha: no paragraph marks captcha")
	}
	for _, c := range d.Concepts {
		if c.Labels.FR == "" || c.Labels.EN == "" || len(c.Words) == 0 || c.Count == 0 {
			t.Errorf("concept %+v lacks labels, words or count", c)
		}
	}
	if r.Header.Get("X-Index-Generation") == "" {
		t.Error("no X-Index-Generation")
	}
	var raw map[string]json.RawMessage
	r.json(t, &raw)
	if string(raw["reprints"]) != "[]" {
		t.Errorf("reprints = %s, want [] (the bundled corpus holds no reprint)", raw["reprints"])
	}
}

func TestPressReview(t *testing.T) {
	s := newTestServer(t, Options{})
	reviews := search(t, s, "kind=press-review&per_page=100")
	var review Document
	for _, h := range reviews.Hits {
		var d Document
		get(t, s, "/api/v1/documents/"+h.ID).json(t, &d)
		if len(d.Mentions) == 16 {
			review = d
		}
	}
	if review.ID == "" {
		t.Fatalf("no press review lists 16 mentions among %v", ids(reviews.Hits))
	}
	for _, m := range review.Mentions {
		if m.ID == "" || m.Title == "" || m.Kind != "mention" {
			t.Errorf("mention %+v", m)
		}
	}
	var mention Document
	get(t, s, "/api/v1/documents/"+review.Mentions[0].ID).json(t, &mention)
	if mention.Parent == nil || mention.Parent.ID != review.ID {
		t.Errorf("mention %s: parent %+v, want %s", mention.ID, mention.Parent, review.ID)
	}
}

func TestConceptsAndSources(t *testing.T) {
	s := newTestServer(t, Options{})
	var concepts []Concept
	get(t, s, "/api/v1/concepts").json(t, &concepts)
	found := false
	for _, c := range concepts {
		if c.ID == "" || c.Labels.FR == "" || c.Labels.EN == "" || c.Label != c.Labels.FR {
			t.Errorf("concept %+v", c)
		}
		if c.ID == "micro-travail" {
			found = c.Count > 0
		}
	}
	if !found {
		t.Errorf("concepts: micro-travail missing or without documents: %+v", concepts)
	}
	var en []Concept
	get(t, s, "/api/v1/concepts?label_lang=en").json(t, &en)
	if len(en) != len(concepts) || en[0].Label != en[0].Labels.EN {
		t.Errorf("label_lang=en: %+v", en)
	}

	var sources []Source
	get(t, s, "/api/v1/sources").json(t, &sources)
	all := search(t, s, "facets=source")
	if got, want := len(sources), len(all.Facets["source"]); got != want || got == 0 {
		t.Errorf("sources: %d, source facet %d", got, want)
	}
	total := 0
	for _, src := range sources {
		if src.Count <= 0 || src.Value == "" || src.Name == "" {
			t.Errorf("source %+v", src)
		}
		total += src.Count
	}
	if total != all.Total {
		t.Errorf("sources count %d documents, want %d", total, all.Total)
	}
}

func TestSuggest(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, tt := range []struct {
		q, want string
		within  int
	}{
		{"ubé", "ubérisation", 1},
		{"micro", "micro-travail", 1},
		{"smyr", "smyrnaios", 1},
	} {
		var got []Suggestion
		get(t, s, "/api/v1/suggest?q="+url.QueryEscape(tt.q)).json(t, &got)
		var texts []string
		for _, sg := range got {
			texts = append(texts, sg.Text)
			if sg.Kind != "term" && sg.Kind != "concept" && sg.Kind != "title" {
				t.Errorf("suggest %q: kind %q", tt.q, sg.Kind)
			}
		}
		if i := slices.Index(texts, tt.want); i < 0 || i >= tt.within {
			t.Errorf("suggest %q = %q, want %q within the first %d", tt.q, texts, tt.want, tt.within)
		}
	}
	var few []Suggestion
	get(t, s, "/api/v1/suggest?q=a&limit=2").json(t, &few)
	if len(few) != 2 {
		t.Errorf("limit=2: %d suggestions", len(few))
	}
	var none []Suggestion
	get(t, s, "/api/v1/suggest?q=").json(t, &none)
	if none == nil || len(none) != 0 {
		t.Errorf("empty q: %v, want []", none)
	}
}

func TestHealthAndReady(t *testing.T) {
	s := newTestServer(t, Options{})
	var h Health
	get(t, s, "/healthz").json(t, &h)
	if h.Status != "ok" {
		t.Errorf("healthz = %+v", h)
	}
	get(t, s, "/readyz").json(t, &h)
	if h.Status != "ready" || h.Documents == 0 || h.Generation == 0 {
		t.Errorf("readyz = %+v", h)
	}
}

func TestMetrics(t *testing.T) {
	s := newTestServer(t, Options{})
	search(t, s, "q=travail")
	get(t, s, "/api/v1/nope")
	r := get(t, s, "/metrics")
	if r.Status != http.StatusOK {
		t.Fatalf("metrics: %d", r.Status)
	}
	for _, want := range []string{
		`tacheron_http_requests_total{route="/api/v1/search",status="200"} 1`,
		`tacheron_http_requests_total{route="unmatched",status="404"} 1`,
		`tacheron_http_request_duration_seconds_bucket{route="/api/v1/search",le=`,
		`tacheron_index_documents ` + strconv.Itoa(testLive.Status().Documents),
		`tacheron_index_generation ` + strconv.FormatUint(testLive.Status().Generation, 10),
		`tacheron_index_ready 1`,
		`go_goroutines `,
	} {
		if !strings.Contains(string(r.Body), want) {
			t.Errorf("metrics lack %q", want)
		}
	}
}

func TestPage(t *testing.T) {
	s := newTestServer(t, Options{})
	r := get(t, s, "/")
	if r.Status != http.StatusOK || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") || !strings.Contains(string(r.Body), "<form") {
		t.Fatalf("GET / = %d %s", r.Status, r.Header.Get("Content-Type"))
	}
	csp := r.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'self'", "script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "*") {
		t.Errorf("CSP %q allows too much", csp)
	}
	if r.Header.Get("Referrer-Policy") == "" {
		t.Error("no Referrer-Policy")
	}
}

func TestGzip(t *testing.T) {
	s := newTestServer(t, Options{})
	req := httptest.NewRequest(http.MethodGet, "/openapi.json", nil)
	req.Header.Set("Accept-Encoding", "br, gzip")
	r := serve(t, s, req)
	if r.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(r.Header.Get("Vary"), "Accept-Encoding") {
		t.Errorf("large response: Content-Encoding %q, Vary %q", r.Header.Get("Content-Encoding"), r.Header.Get("Vary"))
	}
	req = httptest.NewRequest(http.MethodGet, "/openapi.json", nil)
	req.Header.Set("Accept-Encoding", "gzip;q=0, identity")
	if r := serve(t, s, req); r.Header.Get("Content-Encoding") != "" {
		t.Errorf("gzip;q=0: Content-Encoding %q", r.Header.Get("Content-Encoding"))
	}
	for _, target := range []string{"/healthz", "/api/v1/search?q=captcha"} {
		req = httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("Accept-Encoding", "gzip")
		if r := serve(t, s, req); r.Header.Get("Content-Encoding") != "" {
			t.Errorf("small response %s: Content-Encoding %q", target, r.Header.Get("Content-Encoding"))
		}
	}
	// A whole page of hits is large.
	req = httptest.NewRequest(http.MethodGet, "/api/v1/search?per_page=100", nil)
	req.Header.Set("Accept-Encoding", "gzip")
	if r := serve(t, s, req); len(r.Body) >= gate.GzipMinBytes && r.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("%d bytes of hits: Content-Encoding %q", len(r.Body), r.Header.Get("Content-Encoding"))
	}
}

func TestCORS(t *testing.T) {
	const origin = "https://search.example.org"
	off := newTestServer(t, Options{})
	req := httptest.NewRequest(http.MethodGet, "/api/v1/search?q=travail", nil)
	req.Header.Set("Origin", origin)
	if r := serve(t, off, req); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("CORS off: Access-Control-Allow-Origin %q", r.Header.Get("Access-Control-Allow-Origin"))
	}

	on := newTestServer(t, Options{CORSOrigin: origin})
	req = httptest.NewRequest(http.MethodGet, "/api/v1/search?q=travail", nil)
	req.Header.Set("Origin", origin)
	if r := serve(t, on, req); r.Header.Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("CORS on: Access-Control-Allow-Origin %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	req = httptest.NewRequest(http.MethodGet, "/api/v1/search?q=travail", nil)
	req.Header.Set("Origin", "https://evil.example")
	if r := serve(t, on, req); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("other origin: Access-Control-Allow-Origin %q", r.Header.Get("Access-Control-Allow-Origin"))
	}
	req = httptest.NewRequest(http.MethodOptions, "/api/v1/search", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "GET")
	if r := serve(t, on, req); r.Status != http.StatusNoContent || r.Header.Get("Access-Control-Allow-Origin") != origin ||
		r.Header.Get("Access-Control-Allow-Methods") != "GET" {
		t.Errorf("preflight: %d %v", r.Status, r.Header)
	}
	// Without CORS, OPTIONS is a method the API does not serve.
	req = httptest.NewRequest(http.MethodOptions, "/api/v1/search", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "GET")
	if r := serve(t, off, req); r.Status != http.StatusMethodNotAllowed {
		t.Errorf("preflight with CORS off: %d", r.Status)
	}
}

func TestRelated(t *testing.T) {
	s := newTestServer(t, Options{})
	all := search(t, s, "q=Deliveroo+livreurs+&per_page=100")
	only := search(t, s, "q=Deliveroo+livreurs+&per_page=100&related=false")
	if all.RelatedTotal == 0 || len(all.Hits) != all.Total+all.RelatedTotal {
		t.Errorf("related=true: total %d, related %d, %d hits; want related documents, every one a hit", all.Total, all.RelatedTotal, len(all.Hits))
	}
	if only.Total != all.Total || only.RelatedTotal != 0 || len(only.Hits) != only.Total {
		t.Errorf("related=false: total %d, related %d, %d hits; want %d, 0, %d", only.Total, only.RelatedTotal, len(only.Hits), all.Total, all.Total)
	}
	for i, h := range all.Hits {
		if want := map[bool]string{true: "all", false: "related"}[i < all.Total]; h.Match != want {
			t.Errorf("hit %d (%s): match %q, want %q", i, h.ID, h.Match, want)
		}
	}
}
