package meili

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"tacheron/api/apitest"
	"tacheron/api/gate"
	"tacheron/index"
)

// meiliDo serves a request of the Meilisearch API (body: JSON, or nothing
// when empty), checks it against the OpenAPI document, and returns the
// response.
func meiliDo(tb testing.TB, h http.Handler, method, target, body string) *response {
	tb.Helper()
	newReq := func() *http.Request {
		var r *http.Request
		if body != "" {
			r = httptest.NewRequest(method, target, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/json")
		} else {
			r = httptest.NewRequest(method, target, nil)
		}
		return r
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, newReq())
	res := rec.Result()
	b, _ := io.ReadAll(res.Body)
	r := &response{Status: res.StatusCode, Header: res.Header, Body: b}
	if err := checkMeiliResponse(tb, newReq(), r); err != nil {
		tb.Errorf("%s %s %s → %d: %v\n%s", method, target, body, r.Status, err, apitest.ShortBody(r.Body))
	}
	return r
}

// checkMeiliResponse validates a response of the Meilisearch API against
// the OpenAPI document (see apitest.CheckMeili).
func checkMeiliResponse(tb testing.TB, req *http.Request, r *response) error {
	doc, router := loadSpec(tb)
	return apitest.CheckMeili(doc, router, req, r.Status, r.Header, r.Body)
}

// meiliSearchResult is a search response as the tests read it.
type meiliSearchResult struct {
	Hits               []map[string]any          `json:"hits"`
	Query              string                    `json:"query"`
	Limit              *int                      `json:"limit"`
	Offset             *int                      `json:"offset"`
	EstimatedTotalHits *int                      `json:"estimatedTotalHits"`
	Page               *int                      `json:"page"`
	HitsPerPage        *int                      `json:"hitsPerPage"`
	TotalPages         *int                      `json:"totalPages"`
	TotalHits          *int                      `json:"totalHits"`
	FacetDistribution  map[string]map[string]int `json:"facetDistribution"`
	FacetStats         map[string]FacetStat      `json:"facetStats"`
}

func (r *meiliSearchResult) ids() []string {
	out := []string{}
	for _, h := range r.Hits {
		out = append(out, h["id"].(string))
	}
	return out
}

// meiliPost runs a POST search and decodes it, failing on an error.
func meiliPost(tb testing.TB, h http.Handler, body string) *meiliSearchResult {
	tb.Helper()
	r := meiliDo(tb, h, http.MethodPost, "/meili/indexes/documents/search", body)
	if r.Status != http.StatusOK {
		tb.Fatalf("POST search %s → %d %s", body, r.Status, r.Body)
	}
	var out meiliSearchResult
	r.json(tb, &out)
	return &out
}

// allDocuments returns every document's attributes, in the order of the
// search q without filter (sort as tacheron's).
func allDocuments(tb testing.TB, q, sort string) []index.Hit {
	tb.Helper()
	var out []index.Hit
	for off := 0; ; off += index.MaxLimit {
		res, err := testLive.Search(context.Background(), index.Request{Query: q, Sort: sort, Offset: off, Limit: index.MaxLimit})
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, res.Hits...)
		if len(res.Hits) == 0 || len(out) >= res.Total+res.Related {
			return out
		}
	}
}

// bruteForce evaluates a filter on every document: the ids that match, in
// order, and the facet counts of attrs over them.
func bruteForce(tb testing.TB, q, sort, filter string, attrs []string) ([]string, map[string]map[string]int) {
	tb.Helper()
	n, err := parseFilter(filter)
	if err == nil {
		err = checkFilter(n)
	}
	if err != nil {
		tb.Fatalf("parse %q: %v", filter, err)
	}
	ids := []string{}
	dist := map[string]map[string]int{}
	for _, a := range attrs {
		dist[a] = map[string]int{}
	}
	for _, h := range allDocuments(tb, q, sort) {
		d := attrsOf(&h)
		if !matchFilter(n, d) {
			continue
		}
		ids = append(ids, h.ID)
		for _, a := range attrs {
			for _, v := range d.strings(a) {
				dist[a][v]++
			}
		}
	}
	return ids, dist
}

// attrsOf returns the filterable attributes of a hit.
func attrsOf(h *index.Hit) *docAttrs {
	return &docAttrs{Source: h.Source, Kind: h.Kind, Lang: h.Lang, Date: h.Date, Concepts: h.Concepts}
}

// meiliFilterCases are filters whose results are checked against their
// evaluation on every document, both the forms tacheron's filters express
// and those evaluated document by document.
var meiliFilterCases = []string{
	``,
	`source = Slate`,
	`source = slate`,
	`"source" = "Le Figaro"`,
	`source = 'Le Monde' OR source = Slate`,
	`source IN [Slate, 'Le Monde', EHESS]`,
	`source NOT IN [Slate, 'Le Monde']`,
	`source != Slate`,
	`NOT source = Slate`,
	`kind = mention AND source = Slate`,
	`kind = press AND kind = mention`,
	`concepts = micro-travail`,
	`concepts = MICRO-TRAVAIL`,
	`concepts = micro-travail AND concepts = fake-news`,
	`concepts = micro-travail OR concepts = fake-news`,
	`concepts != fake-news`,
	`NOT concepts IN [fake-news, wikipedia]`,
	`concepts IS EMPTY`,
	`concepts IS NOT EMPTY`,
	`concepts EXISTS`,
	`concepts = nothing-at-all`,
	`concepts NOT EXISTS`,
	`source IS NULL`,
	`source IS NOT NULL`,
	`concepts != fake-news OR source = Slate`,
	`kind = press OR lang = en`,
	`(kind = press OR kind = interview) AND NOT source = Slate`,
	`NOT (kind = press AND source = Slate)`,
	`date >= 2017-03-01`,
	`date > 2017-03-22`,
	`date < 2017-03-01 OR date > 2017-03-25`,
	`date 2017-03-01 TO 2017-03-22`,
	`date = 2017-03-22`,
	`date != 2017-03-22`,
	`NOT date >= 2017-03-01`,
	`year = 2017`,
	`year > 2016.5 AND year < 2018`,
	`year 2016 TO 2017`,
	`year = 2016`,
	`year != 2017`,
	`month = 2017-02`,
	`month >= 2017-03`,
	`month > 2017-02 AND month <= 2017-03`,
	`month IN [2017-01, 2017-04]`,
	`month 2017-02 TO 2017-03`,
	`source CONTAINS mon`,
	`source STARTS WITH le`,
	`source NOT STARTS WITH le`,
	`concepts CONTAINS travail`,
	`date STARTS WITH 2017-02`,
	`source = Slate OR (concepts = micro-travail AND year = 2017) OR NOT kind = mention`,
	`NOT NOT source = Slate`,
	`lang = fr AND kind != mention AND (concepts = gafam OR concepts = syndicats)`,
}

func TestMeiliFilterMatchesEveryDocument(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	facets := []string{attrSource, attrKind, attrLang, attrConcepts, attrYear, attrMonth, attrDate}
	for _, q := range []string{"", "travail", "digital labor"} {
		for _, sort := range []string{"", "date:asc"} {
			for _, filter := range meiliFilterCases {
				tsort := ""
				if sort == "date:asc" {
					tsort = index.SortDateAsc
				}
				wantIDs, wantDist := bruteForce(t, q, tsort, filter, facets)
				body := map[string]any{"q": q, "limit": 1000, "facets": facets, "attributesToRetrieve": []string{"id"}}
				if filter != "" {
					body["filter"] = filter
				}
				if sort != "" {
					body["sort"] = []string{sort}
				}
				b, _ := json.Marshal(body)
				got := meiliPost(t, h, string(b))
				if !slices.Equal(got.ids(), wantIDs) {
					t.Errorf("q=%q sort=%q filter %#q: hits %v, want %v", q, sort, filter, got.ids(), wantIDs)
				}
				if *got.EstimatedTotalHits != len(wantIDs) {
					t.Errorf("q=%q filter %#q: estimatedTotalHits %d, want %d", q, filter, *got.EstimatedTotalHits, len(wantIDs))
				}
				for _, f := range facets {
					if !maps.Equal(got.FacetDistribution[f], wantDist[f]) {
						t.Errorf("q=%q filter %#q: facet %s = %v, want %v", q, filter, f, got.FacetDistribution[f], wantDist[f])
					}
				}
			}
		}
	}
}

// TestMeiliFilterArrays checks the array form: the outer array is AND-ed,
// an inner one OR-ed, as instant-meilisearch sends facet filters.
func TestMeiliFilterArrays(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	tests := []struct {
		filter string // JSON
		same   string // the equivalent string expression
	}{
		{`[["\"kind\"=\"press\"", "\"kind\"=\"interview\""], "\"year\">=2017"]`, `(kind = press OR kind = interview) AND year >= 2017`},
		{`["source = Slate"]`, `source = Slate`},
		{`[["concepts = gafam", "source = Slate"]]`, `concepts = gafam OR source = Slate`},
		{`[]`, ``},
		{`[[], "kind = mention"]`, `kind = mention`},
		{`null`, ``},
	}
	for _, tt := range tests {
		got := meiliPost(t, h, `{"limit":100,"attributesToRetrieve":["id"],"filter":`+tt.filter+`}`)
		want, _ := bruteForce(t, "", "", tt.same, nil)
		if !slices.Equal(got.ids(), want) {
			t.Errorf("filter %s: hits %v, want %v (as %#q)", tt.filter, got.ids(), want, tt.same)
		}
	}
}

func TestMeiliFilterParse(t *testing.T) {
	tests := []struct {
		in   string
		want string // String() of the parse, or "error: " and part of the message
	}{
		{`source = Slate`, `"source" = "Slate"`},
		{`source=Slate`, `"source" = "Slate"`},
		{`"concepts"="micro-travail"`, `"concepts" = "micro-travail"`},
		{`'source' = 'Le Monde'`, `"source" = "Le Monde"`},
		{`source = "Le \"Monde\""`, `"source" = "Le \"Monde\""`},
		{`source = 'l\'Obs'`, `"source" = "l'Obs"`},
		{`source != Slate`, `NOT "source" = "Slate"`},
		{`NOT NOT source = Slate`, `"source" = "Slate"`},
		{`a = 1 AND b = 2 OR c = 3`, `(("a" = "1" AND "b" = "2") OR "c" = "3")`},
		{`a = 1 AND (b = 2 OR c = 3)`, `("a" = "1" AND ("b" = "2" OR "c" = "3"))`},
		{`year > 2016`, `"year" > "2016"`},
		{`year >= 2016.5`, `"year" >= "2016.5"`},
		{`date 2017-01-01 TO 2017-12-31`, `"date" "2017-01-01" TO "2017-12-31"`},
		{`source IN [Slate, 'Le Monde',]`, `"source" IN ["Slate", "Le Monde"]`},
		{`source IN []`, `"source" IN []`},
		{`source NOT IN [Slate]`, `NOT "source" IN ["Slate"]`},
		{`concepts EXISTS`, `"concepts" EXISTS`},
		{`concepts NOT EXISTS`, `NOT "concepts" EXISTS`},
		{`source IS NULL`, `"source" IS NULL`},
		{`source IS NOT EMPTY`, `NOT "source" IS EMPTY`},
		{`source CONTAINS mon`, `"source" CONTAINS "mon"`},
		{`source NOT STARTS WITH le`, `NOT "source" STARTS WITH "le"`},
		{`source = 'AND'`, `"source" = "AND"`},
		{`  (  source = Slate  )  `, `"source" = "Slate"`},
		{`source = Télérama`, `"source" = "Télérama"`},
		{`source =`, `error: Was expecting a value`},
		{`source = AND`, `error: reserved keyword`},
		{`source Slate`, `error: Was expecting an operation`},
		{`source = Slate kind = press`, `error: unexpected characters at the end`},
		{`(source = Slate`, `error: missing the following closing delimiter: `},
		{`source = 'Slate`, `error: missing the following closing delimiter`},
		{`source IN [Slate`, `error: Expected matching ` + "`]`"},
		{`source IN Slate`, "error: Expected `[`"},
		{`source = OBS/Rue89`, "error: unexpected character `/`"},
		{`_geoRadius(1, 2, 3)`, "error: Attribute `_geo` is not filterable"},
		{`source ! Slate`, "error: unexpected character `!`"},
		{`AND`, `error: Was expecting an operation`},
		{`source = Slate AND`, `error: Was expecting an operation`},
		{`source IS`, "error: Was expecting `NULL` or `EMPTY`"},
		{strings.Repeat("(", 300) + "a = 1" + strings.Repeat(")", 300), `error: maximum depth`},
	}
	for _, tt := range tests {
		n, err := parseFilter(tt.in)
		var got string
		if err != nil {
			got = "error: " + err.Error()
		} else {
			got = n.String()
		}
		if wantErr, ok := strings.CutPrefix(tt.want, "error: "); ok {
			if err == nil || !strings.Contains(err.Error(), wantErr) {
				t.Errorf("parseFilter(%#q) = %#q, want an error with %#q", tt.in, got, wantErr)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("parseFilter(%#q) = %#q, want %#q", tt.in, got, tt.want)
		}
	}
}

func TestMeiliFilterCheck(t *testing.T) {
	tests := []struct{ in, wantErr string }{
		{`title = x`, "Attribute `title` is not filterable. Available filterable attributes are: `concepts, date, kind, lang, month, source, year`."},
		{`source > a`, "`source` is a string"},
		{`date > 2017`, "`date` is compared with dates written YYYY-MM-DD"},
		{`date 2017-01-01 TO 2017-13-01`, "`date` is compared with dates"},
		{`month < 2017-3`, "`month` is compared with months written YYYY-MM"},
		{`year >= abc`, "`year` is compared with numbers"},
		{`year CONTAINS 20`, "`year` is a number"},
		{`year = abc`, ""},
		{`date = someday`, ""},
	}
	for _, tt := range tests {
		n, err := parseFilter(tt.in)
		if err == nil {
			err = checkFilter(n)
		}
		switch {
		case tt.wantErr == "" && err != nil:
			t.Errorf("check(%#q) = %v, want no error", tt.in, err)
		case tt.wantErr != "" && (err == nil || !strings.Contains(err.Error(), tt.wantErr)):
			t.Errorf("check(%#q) = %v, want an error with %#q", tt.in, err, tt.wantErr)
		}
	}
}

// testVocabulary returns the vocabulary of the test index.
func testVocabulary(tb testing.TB) *vocabulary {
	tb.Helper()
	s, err := New(gate.New(testLive, gate.Options{}), Options{Prefix: DefaultPrefix})
	if err != nil {
		tb.Fatal(err)
	}
	v, err := s.vocabulary(context.Background(), 0)
	if err != nil {
		tb.Fatal(err)
	}
	return v
}

// passes reports whether a document passes tacheron's filters.
func passes(f index.Filters, d *docAttrs) bool {
	in := func(set []string, v ...string) bool {
		if len(set) == 0 {
			return true
		}
		for _, x := range v {
			if slices.Contains(set, x) {
				return true
			}
		}
		return false
	}
	return in(f.Sources, d.Source) && in(f.Kinds, d.Kind) && in(f.Langs, d.Lang) && in(f.Concepts, d.Concepts...) &&
		(f.From == "" || d.Date >= f.From) && (f.To == "" || d.Date != "" && d.Date <= f.To)
}

// checkPlan checks a filter's plan on every document: the filters keep
// every document that matches, and only those when the plan is exact.
func checkPlan(tb testing.TB, n *filterNode, v *vocabulary, docs []index.Hit) {
	tb.Helper()
	p := planFilter(n, v)
	for i := range docs {
		d := attrsOf(&docs[i])
		match := matchFilter(n, d)
		pass := !p.empty && passes(p.filters, d)
		if match && !pass {
			tb.Fatalf("filter %s: plan %+v leaves out %s, which matches", n, p, docs[i].ID)
		}
		if p.exact && pass && !match {
			tb.Fatalf("filter %s: exact plan %+v keeps %s, which does not match", n, p, docs[i].ID)
		}
	}
}

func TestMeiliFilterPlan(t *testing.T) {
	v := testVocabulary(t)
	docs := allDocuments(t, "", "")
	exact := map[string]bool{
		`source = Slate`:                           true,
		`source != Slate`:                          true,
		`kind = press AND year = 2017`:             true,
		`concepts = gafam OR concepts = wikipedia`: true,
		`(kind = press OR kind = mention) AND NOT source = Slate AND concepts IN [gafam]`: true,
		`date < 2017-03-01 OR date > 2017-03-25`:                                          false,
		`concepts != gafam`:                                                               false,
		`concepts = gafam AND concepts = wikipedia`:                                       false,
		`kind = press OR source = Slate`:                                                  false,
		`source CONTAINS mon`:                                                             true,
		`date STARTS WITH 2017`:                                                           false,
	}
	for filter, wantExact := range exact {
		n, err := parseFilter(filter)
		if err == nil {
			err = checkFilter(n)
		}
		if err != nil {
			t.Fatal(err)
		}
		if p := planFilter(n, v); p.exact != wantExact {
			t.Errorf("planFilter(%#q).exact = %v, want %v (%+v)", filter, p.exact, wantExact, p)
		}
		checkPlan(t, n, v, docs)
	}
	for _, filter := range meiliFilterCases {
		n, _ := parseFilter(filter)
		checkPlan(t, n, v, docs)
	}
}

// FuzzMeiliFilter parses filters: no panic; a filter that parses prints
// back to itself; a checked one plans filters that keep every document it
// matches, and no other when the plan says it is exact.
func FuzzMeiliFilter(f *testing.F) {
	for _, c := range meiliFilterCases {
		f.Add(c)
	}
	f.Add(`source IN [a, "b c", 'd\'e'] AND NOT (year 2016 TO 2017 OR concepts IS EMPTY)`)
	f.Add(`month STARTS WITH "2017" OR kind NOT CONTAINS ess`)
	v := testVocabulary(f)
	docs := allDocuments(f, "", "")
	f.Fuzz(func(t *testing.T, s string) {
		n, err := parseFilter(s)
		if err != nil || n == nil {
			return
		}
		again, err := parseFilter(n.String())
		if err != nil || again.String() != n.String() {
			t.Fatalf("parseFilter(%#q) = %s, which parses as %v (%v)", s, n, again, err)
		}
		if checkFilter(n) != nil {
			return
		}
		checkPlan(t, n, v, docs)
	})
}

func TestMeiliPagination(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	all, _ := bruteForce(t, "", "", "", nil)
	tests := []struct {
		body       string
		wantIDs    []string
		finite     bool
		wantTotal  int
		wantPages  int
		wantLimit  int
		wantOffset int
	}{
		{body: `{}`, wantIDs: all[:20], wantTotal: len(all), wantLimit: 20},
		{body: `{"limit":5,"offset":3}`, wantIDs: all[3:8], wantTotal: len(all), wantLimit: 5, wantOffset: 3},
		{body: `{"limit":0}`, wantIDs: []string{}, wantTotal: len(all)},
		{body: `{"limit":150}`, wantIDs: all, wantTotal: len(all), wantLimit: 150},
		{body: `{"offset":24,"limit":5}`, wantIDs: all[24:], wantTotal: len(all), wantLimit: 5, wantOffset: 24},
		{body: `{"offset":100}`, wantIDs: []string{}, wantTotal: len(all), wantLimit: 20, wantOffset: 100},
		{body: `{"offset":20000}`, wantIDs: []string{}, wantTotal: len(all), wantLimit: 20, wantOffset: 20000},
		{body: `{"hitsPerPage":10}`, finite: true, wantIDs: all[:10], wantTotal: len(all), wantPages: 3},
		{body: `{"page":3,"hitsPerPage":10}`, finite: true, wantIDs: all[20:], wantTotal: len(all), wantPages: 3},
		{body: `{"page":2}`, finite: true, wantIDs: all[20:], wantTotal: len(all), wantPages: 2},
		{body: `{"page":0,"hitsPerPage":10}`, finite: true, wantIDs: []string{}, wantTotal: len(all), wantPages: 3},
		{body: `{"page":1,"hitsPerPage":0}`, finite: true, wantIDs: []string{}, wantTotal: len(all), wantPages: 0},
		{body: `{"page":9,"hitsPerPage":10}`, finite: true, wantIDs: []string{}, wantTotal: len(all), wantPages: 3},
		{body: `{"page":2,"hitsPerPage":4,"filter":"kind = mention OR source = Slate"}`, finite: true, wantTotal: 17, wantPages: 5},
	}
	for _, tt := range tests {
		got := meiliPost(t, h, tt.body)
		if tt.wantIDs != nil && !slices.Equal(got.ids(), tt.wantIDs) {
			t.Errorf("%s: hits %v, want %v", tt.body, got.ids(), tt.wantIDs)
		}
		if tt.finite {
			if got.TotalHits == nil || got.Limit != nil || got.EstimatedTotalHits != nil {
				t.Errorf("%s: not in page mode: %+v", tt.body, got)
				continue
			}
			if *got.TotalHits != tt.wantTotal || *got.TotalPages != tt.wantPages {
				t.Errorf("%s: totalHits %d, totalPages %d, want %d, %d", tt.body, *got.TotalHits, *got.TotalPages, tt.wantTotal, tt.wantPages)
			}
			continue
		}
		if got.EstimatedTotalHits == nil || got.TotalHits != nil || got.Page != nil {
			t.Errorf("%s: not in offset mode: %+v", tt.body, got)
			continue
		}
		if *got.EstimatedTotalHits != tt.wantTotal || *got.Limit != tt.wantLimit || *got.Offset != tt.wantOffset {
			t.Errorf("%s: estimatedTotalHits %d, limit %d, offset %d, want %d, %d, %d", tt.body,
				*got.EstimatedTotalHits, *got.Limit, *got.Offset, tt.wantTotal, tt.wantLimit, tt.wantOffset)
		}
	}
	// A filter evaluated document by document pages the same way.
	ids, _ := bruteForce(t, "", "", "kind = mention OR source = Slate", nil)
	got := meiliPost(t, h, `{"page":2,"hitsPerPage":4,"filter":"kind = mention OR source = Slate"}`)
	if !slices.Equal(got.ids(), ids[4:8]) {
		t.Errorf("page 2 of a scanned filter: %v, want %v", got.ids(), ids[4:8])
	}
}

func TestMeiliHighlightCrop(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	got := meiliPost(t, h, `{"q":"micro-travail","limit":3,"attributesToHighlight":["title","body"],"attributesToCrop":["body:6"],
		"highlightPreTag":"[","highlightPostTag":"]","cropMarker":"(…)"}`)
	if len(got.Hits) == 0 {
		t.Fatal("no hits")
	}
	for _, hit := range got.Hits {
		f, ok := hit["_formatted"].(map[string]any)
		if !ok {
			t.Fatalf("hit %v has no _formatted", hit["id"])
		}
		if _, ok := hit["body"]; ok {
			t.Errorf("hit %v retrieves body without asking", hit["id"])
		}
		body, _ := f["body"].(string)
		if !strings.Contains(body, "[") || !strings.Contains(body, "]") {
			t.Errorf("hit %v: body %q has no highlight", hit["id"], body)
		}
		words := strings.Fields(strings.NewReplacer("(…)", " ", "[", "", "]", "").Replace(body))
		if len(words) > 6 {
			t.Errorf("hit %v: body %q has %d words, want at most 6", hit["id"], body, len(words))
		}
		if !strings.HasPrefix(body, "(…)") && !strings.HasSuffix(body, "(…)") {
			t.Errorf("hit %v: body %q has no crop marker", hit["id"], body)
		}
		if strings.Contains(body, "<mark>") || strings.Contains(body, "&") && strings.Contains(body, ";") {
			t.Errorf("hit %v: body %q keeps tacheron's HTML", hit["id"], body)
		}
		for _, a := range defaultAttributes {
			if _, ok := f[a]; !ok {
				t.Errorf("hit %v: _formatted lacks %s", hit["id"], a)
			}
		}
		if y, ok := f["year"].(string); !ok || y != "2017" {
			if _, isNum := f["year"].(float64); !isNum {
				t.Errorf("hit %v: _formatted.year = %v", hit["id"], f["year"])
			}
		}
	}
	first := got.Hits[0]["_formatted"].(map[string]any)["title"].(string)
	if first != "Le [micro-travail] : des corvées peu gratifiantes et mal rémunérées" {
		t.Errorf("first title %q", first)
	}

	// Default tags; * highlights what is retrieved, so not body.
	got = meiliPost(t, h, `{"q":"captcha","attributesToHighlight":["*"]}`)
	f := got.Hits[0]["_formatted"].(map[string]any)
	if _, ok := f["body"]; ok {
		t.Errorf("* highlights body, which is not retrieved: %v", f["body"])
	}
	// * with body cropped, as instant-meilisearch asks for snippets: the
	// crop of body is highlighted, as Meilisearch does.
	got = meiliPost(t, h, `{"q":"captcha","attributesToHighlight":["*"],"attributesToCrop":["body:12"]}`)
	f = got.Hits[0]["_formatted"].(map[string]any)
	if body, _ := f["body"].(string); !strings.Contains(body, "<em>Captcha</em>") || len(strings.Fields(body)) > 16 {
		t.Errorf("* and a crop of body: _formatted.body = %q, want a highlighted crop", body)
	}
	// Body highlighted whole, when named: every paragraph, matches tagged.
	got = meiliPost(t, h, `{"q":"captcha","attributesToHighlight":["body"],"attributesToRetrieve":["id"]}`)
	f = got.Hits[0]["_formatted"].(map[string]any)
	if body := f["body"].(string); !strings.Contains(body, "<em>Captcha</em>") || len(body) < 1000 {
		t.Errorf("highlighted body: %.300q", body)
	}
	// Crop without highlight: no tags; title cropped.
	got = meiliPost(t, h, `{"q":"drones","attributesToCrop":["title"],"cropLength":3}`)
	f = got.Hits[0]["_formatted"].(map[string]any)
	if title := f["title"].(string); title != "…IA et les drones…" && strings.Contains(title, "<em>") {
		t.Errorf("cropped title %q", title)
	} else if n := len(strings.Fields(strings.ReplaceAll(title, "…", " "))); n > 3 {
		t.Errorf("cropped title %q has %d words", title, n)
	}
	// Nothing asked: no _formatted; retrieval restricted; body and url on demand.
	got = meiliPost(t, h, `{"q":"captcha","attributesToRetrieve":["title","body","url","nope"]}`)
	hit := got.Hits[0]
	if _, ok := hit["_formatted"]; ok {
		t.Error("_formatted without highlight or crop")
	}
	if len(hit) != 3 || !strings.Contains(hit["body"].(string), "Captcha") {
		t.Errorf("retrieved %v", hit)
	}
	// Without a query, a crop of the body is its beginning.
	got = meiliPost(t, h, `{"limit":1,"attributesToCrop":["body"],"cropLength":5,"attributesToRetrieve":["id"]}`)
	f = got.Hits[0]["_formatted"].(map[string]any)
	if body := f["body"].(string); !strings.HasSuffix(body, "…") || len(strings.Fields(strings.TrimSuffix(body, "…"))) != 5 {
		t.Errorf("crop of a body without query: %q", body)
	}
	// Ranking score.
	got = meiliPost(t, h, `{"q":"travail","showRankingScore":true,"limit":3}`)
	for _, hit := range got.Hits {
		if s, ok := hit["_rankingScore"].(float64); !ok || s <= 0 || s > 1 {
			t.Errorf("_rankingScore %v", hit["_rankingScore"])
		}
	}
}

func TestMeiliCrop(t *testing.T) {
	f := formatter{pre: "<", post: ">", marker: "…"}
	tests := []struct {
		in       string
		n        int
		before   bool
		want     string
		noMarker bool
	}{
		{"a b <mark>c</mark> d e f g", 3, false, "…b <c> d…", false},
		{"<mark>a</mark> b c d e f g", 3, false, "<a> b c…", false},
		{"a b c d e f <mark>g</mark>", 3, false, "…e f <g>", false},
		{"a b c", 5, false, "a b c", false},
		{"a b c", 5, true, "…a b c", false},
		{"a <mark>b</mark> c <mark>d</mark> e f g h", 3, false, "…<b> c <d>…", false},
		{"<mark>b</mark> c <mark>d</mark> e f g h", 3, false, "<b> c <d>…", false},
		{"a b c d e", 2, false, "a b…", false},
		{"l&#39;<mark>IA</mark> et", 2, false, "l'<IA> et", false},
	}
	for _, tt := range tests {
		got := f.crop(markedPieces(tt.in), tt.n, tt.before, false, true)
		if got != tt.want {
			t.Errorf("crop(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

func TestMeiliFacets(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	got := meiliPost(t, h, `{"facets":["year","month","source"],"limit":0}`)
	if st, ok := got.FacetStats["year"]; !ok || st.Min != 2017 || st.Max != 2017 {
		t.Errorf("facetStats = %v", got.FacetStats)
	}
	if got.FacetDistribution["month"]["2017-03"] != 14 {
		t.Errorf("month distribution %v", got.FacetDistribution["month"])
	}
	// "*" is every filterable attribute but date.
	got = meiliPost(t, h, `{"facets":["*"],"limit":0}`)
	for _, f := range filterableAttributes {
		if _, ok := got.FacetDistribution[f]; ok == (f == attrDate) {
			t.Errorf("facets * gives %s: %v", f, ok)
		}
	}
	// No facets asked: none given.
	got = meiliPost(t, h, `{"limit":0}`)
	if got.FacetDistribution != nil || got.FacetStats != nil {
		t.Errorf("facets without asking: %v %v", got.FacetDistribution, got.FacetStats)
	}
	// Empty result: facets asked are there, empty.
	got = meiliPost(t, h, `{"filter":"source = nobody","facets":["source"]}`)
	if d, ok := got.FacetDistribution["source"]; !ok || len(d) != 0 {
		t.Errorf("empty result's facets: %v", got.FacetDistribution)
	}
}

func TestMeiliFacetSearch(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	tests := []struct {
		body string
		want []FacetHit
	}{
		{`{"facetName":"source","facetQuery":"fig"}`, []FacetHit{{"Le Figaro", 1}}},
		{`{"facetName":"source","facetQuery":"tele"}`, []FacetHit{{"Télérama", 2}}},
		{`{"facetName":"source","facetQuery":"le","filter":"kind = mention"}`, []FacetHit{{"Le Monde", 1}}},
		{`{"facetName":"concepts","facetQuery":"microw"}`, []FacetHit{{"micro-travail", 10}}},
		{`{"facetName":"kind","q":"captcha"}`, []FacetHit{{"press", 1}}},
		{`{"facetName":"kind","facetQuery":"zzz"}`, []FacetHit{}},
		{`{"facetName":"year","facetQuery":"20"}`, []FacetHit{{"2017", 25}}},
		{`{"facetName":"concepts","facetQuery":"plat","filter":"concepts = gafam AND concepts != fake-news","q":"","limit":21,"offset":0,"attributesToHighlight":["*"],"highlightPreTag":"__ais-highlight__","highlightPostTag":"__/ais-highlight__"}`, []FacetHit{{"plateformes", 3}}},
	}
	for _, tt := range tests {
		r := meiliDo(t, h, http.MethodPost, "/meili/indexes/documents/facet-search", tt.body)
		var got FacetSearchResponse
		r.json(t, &got)
		if r.Status != 200 || !slices.Equal(got.FacetHits, tt.want) {
			t.Errorf("facet search %s → %d %v, want %v", tt.body, r.Status, got.FacetHits, tt.want)
		}
	}
}

func TestMeiliErrors(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	search := "/meili/indexes/documents/search"
	tests := []struct {
		method, target, body string
		status               int
		code                 string
	}{
		{"POST", search, `{"filter":"title = x"}`, 400, "invalid_search_filter"},
		{"POST", search, `{"filter":"source = "}`, 400, "invalid_search_filter"},
		{"POST", search, `{"filter":true}`, 400, "invalid_search_filter"},
		{"POST", search, `{"filter":[["a = 1", ["b = 2"]]]}`, 400, "invalid_search_filter"},
		{"POST", search, `{"limit":-1}`, 400, "invalid_search_limit"},
		{"POST", search, `{"limit":"10"}`, 400, "invalid_search_limit"},
		{"POST", search, `{"offset":1.5}`, 400, "invalid_search_offset"},
		{"POST", search, `{"page":"x"}`, 400, "invalid_search_page"},
		{"POST", search, `{"hitsPerPage":-2}`, 400, "invalid_search_hits_per_page"},
		{"POST", search, `{"q":5}`, 400, "invalid_search_q"},
		{"POST", search, `{"q":"` + strings.Repeat("a", 600) + `"}`, 400, "invalid_search_q"},
		{"POST", search, `{"sort":["title:asc"]}`, 400, "invalid_search_sort"},
		{"POST", search, `{"sort":["date"]}`, 400, "invalid_search_sort"},
		{"POST", search, `{"sort":"date:asc"}`, 400, "invalid_search_sort"},
		{"POST", search, `{"facets":["title"]}`, 400, "invalid_search_facets"},
		{"POST", search, `{"attributesToRetrieve":"id"}`, 400, "invalid_search_attributes_to_retrieve"},
		{"POST", search, `{"attributesToCrop":["body:x"]}`, 400, "invalid_search_attributes_to_crop"},
		{"POST", search, `{"cropLength":-1}`, 400, "invalid_search_crop_length"},
		{"POST", search, `{"highlightPreTag":1}`, 400, "invalid_search_highlight_pre_tag"},
		{"POST", search, `{"matchingStrategy":"most"}`, 400, "invalid_search_matching_strategy"},
		{"POST", search, `{"showMatchesPosition":true}`, 400, "invalid_search_show_matches_position"},
		{"POST", search, `{"distinct":"source"}`, 400, "invalid_search_distinct"},
		{"POST", search, `{"rankingScoreThreshold":0.5}`, 400, "invalid_search_ranking_score_threshold"},
		{"POST", search, `{"attributesToSearchOn":["title"]}`, 400, "invalid_search_attributes_to_search_on"},
		{"POST", search, `{"attributesToSearchOn":["nope"]}`, 400, "invalid_search_attributes_to_search_on"},
		{"POST", search, `{"nope":1}`, 400, "bad_request"},
		{"POST", search, `{"q":`, 400, "malformed_payload"},
		{"POST", search, `[1]`, 400, "malformed_payload"},
		{"POST", search, ``, 415, "missing_content_type"},
		{"GET", search + "?limit=x", ``, 400, "invalid_search_limit"},
		{"GET", search + "?nope=1", ``, 400, "bad_request"},
		{"GET", search + "?filter=year%3Dx%20OR", ``, 400, "invalid_search_filter"},
		{"GET", search + "?q=%ff", ``, 400, "bad_request"},
		{"POST", "/meili/indexes/other/search", `{}`, 404, "index_not_found"},
		{"GET", "/meili/indexes/other", ``, 404, "index_not_found"},
		{"GET", "/meili/indexes/documents/documents/nope", ``, 404, "document_not_found"},
		{"GET", "/meili/keys", ``, 404, "not_found"},
		{"GET", "/meili/indexes/documents/settings/nope", ``, 404, "not_found"},
		{"POST", "/meili/multi-search", `{"queries":[{"indexUid":"documents"},{"indexUid":"other"}]}`, 404, "index_not_found"},
		{"POST", "/meili/multi-search", `{"queries":[{"q":"x"}]}`, 400, "missing_index_uid"},
		{"POST", "/meili/multi-search", `{"queries":[{"indexUid":"documents","limit":"x"}]}`, 400, "invalid_search_limit"},
		{"POST", "/meili/multi-search", `{"queries":5}`, 400, "invalid_multi_search_queries"},
		{"POST", "/meili/multi-search", `{"federation":{},"queries":[]}`, 400, "invalid_multi_search_federated"},
		{"POST", "/meili/multi-search", `{"queries":[{"indexUid":"documents","federationOptions":{"weight":1}}]}`, 400, "invalid_multi_search_federation_options"},
		{"POST", "/meili/indexes/documents/facet-search", `{"facetQuery":"x"}`, 400, "missing_facet_search_facet_name"},
		{"POST", "/meili/indexes/documents/facet-search", `{"facetName":"title"}`, 400, "invalid_facet_search_facet_name"},
		{"POST", "/meili/indexes/documents/facet-search", `{"facetName":"source","facetQuery":3}`, 400, "invalid_facet_search_facet_query"},
		// Writes.
		{"POST", "/meili/indexes/documents/documents", `[{"id":"x"}]`, 405, "index_read_only"},
		{"PUT", "/meili/indexes/documents/documents", `[{"id":"x"}]`, 405, "index_read_only"},
		{"DELETE", "/meili/indexes/documents/documents/2017-03-22-qui-entraine-les-ia", ``, 405, "index_read_only"},
		{"DELETE", "/meili/indexes/documents", ``, 405, "index_read_only"},
		{"PATCH", "/meili/indexes/documents/settings", `{"filterableAttributes":["title"]}`, 405, "index_read_only"},
		{"PUT", "/meili/indexes/documents/settings/filterable-attributes", `["title"]`, 405, "index_read_only"},
		{"POST", "/meili/indexes", `{"uid":"new"}`, 405, "index_read_only"},
		{"POST", "/meili/keys", `{}`, 405, "index_read_only"},
		{"DELETE", "/meili/tasks", ``, 405, "index_read_only"},
		{"POST", "/meili/swap-indexes", `[]`, 405, "index_read_only"},
		{"GET", "/meili/multi-search", ``, 405, "bad_request"},
	}
	for _, tt := range tests {
		r := meiliDo(t, h, tt.method, tt.target, tt.body)
		var e Error
		r.json(t, &e)
		if r.Status != tt.status || e.Code != tt.code {
			t.Errorf("%s %s %.60s → %d %s, want %d %s (%s)", tt.method, tt.target, tt.body, r.Status, e.Code, tt.status, tt.code, e.Message)
		}
		if e.Link != "https://docs.meilisearch.com/errors#"+e.Code || e.Type != "invalid_request" || e.Message == "" {
			t.Errorf("%s %s: error %+v", tt.method, tt.target, e)
		}
	}
	// A query's error in a multi-search says which query.
	r := meiliDo(t, h, "POST", "/meili/multi-search", `{"queries":[{"indexUid":"documents"},{"indexUid":"documents","filter":"x = 1"}]}`)
	var e Error
	r.json(t, &e)
	if !strings.HasPrefix(e.Message, "Inside `.queries[1]`: ") {
		t.Errorf("multi-search error: %q", e.Message)
	}
}

func TestMeiliRoutes(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	get := func(target string, v any) {
		t.Helper()
		r := meiliDo(t, h, "GET", target, "")
		if r.Status != 200 {
			t.Fatalf("GET %s → %d %s", target, r.Status, r.Body)
		}
		r.json(t, v)
	}
	var health map[string]string
	get("/meili/health", &health)
	var version map[string]string
	get("/meili/version", &version)
	if health["status"] != "available" || version["pkgVersion"] == "" {
		t.Errorf("health %v, version %v", health, version)
	}
	var list struct {
		Results []MeiliIndex `json:"results"`
		Total   int          `json:"total"`
	}
	get("/meili/indexes", &list)
	if list.Total != 1 || list.Results[0].UID != "documents" || list.Results[0].PrimaryKey != "id" {
		t.Errorf("indexes %+v", list)
	}
	var stats MeiliStats
	get("/meili/indexes/documents/stats", &stats)
	if stats.NumberOfDocuments != 25 {
		t.Errorf("stats %+v", stats)
	}
	var settings map[string]any
	get("/meili/indexes/documents/settings", &settings)
	if fmt.Sprint(settings["filterableAttributes"]) != fmt.Sprint(filterableAttributes) || fmt.Sprint(settings["sortableAttributes"]) != "[date]" {
		t.Errorf("settings %v", settings)
	}
	var filterable []string
	get("/meili/indexes/documents/settings/filterable-attributes", &filterable)
	if !slices.Equal(filterable, filterableAttributes) {
		t.Errorf("filterable-attributes %v", filterable)
	}
	var doc map[string]any
	get("/meili/indexes/documents/documents/2017-03-22-qui-entraine-les-ia", &doc)
	if doc["source"] != "Le Figaro" || doc["year"] != 2017.0 || !strings.Contains(doc["body"].(string), "Captcha") {
		t.Errorf("document %v", doc)
	}
	doc = nil
	get("/meili/indexes/documents/documents/2017-03-22-qui-entraine-les-ia?fields=title,kind", &doc)
	if len(doc) != 2 || doc["kind"] != "press" {
		t.Errorf("document with fields %v", doc)
	}
	var docs MeiliDocuments
	get("/meili/indexes/documents/documents?limit=3&offset=1&fields=id", &docs)
	all, _ := bruteForce(t, "", "", "", nil)
	if docs.Total != 25 || len(docs.Results) != 3 || docs.Results[0]["id"] != all[1] {
		t.Errorf("documents %+v", docs)
	}
	r := meiliDo(t, h, "POST", "/meili/indexes/documents/documents/fetch", `{"filter":"source = Slate","fields":["id","source"]}`)
	r.json(t, &docs)
	if r.Status != 200 || docs.Total != 3 || docs.Results[0]["source"] != "Slate" {
		t.Errorf("documents/fetch → %d %+v", r.Status, docs)
	}
	// GET search, as meilisearch-js's searchGet sends it.
	var res meiliSearchResult
	get("/meili/indexes/documents/search?q=captcha&limit=1&attributesToRetrieve=title,date&filter=year%20%3D%202017&facets=kind&attributesToHighlight=title", &res)
	if len(res.Hits) != 1 || res.FacetDistribution["kind"]["press"] != 1 {
		t.Errorf("GET search %+v", res)
	}
	// Multi-search: one result per query, each with its indexUid.
	r = meiliDo(t, h, "POST", "/meili/multi-search", `{"queries":[{"indexUid":"documents","q":"captcha"},{"indexUid":"documents","filter":"kind = seminar","hitsPerPage":1}]}`)
	var multi struct {
		Results []map[string]any `json:"results"`
	}
	r.json(t, &multi)
	if r.Status != 200 || len(multi.Results) != 2 || multi.Results[0]["indexUid"] != "documents" ||
		multi.Results[0]["estimatedTotalHits"] != 1.0 || multi.Results[1]["totalHits"] != 2.0 {
		t.Errorf("multi-search → %d %v", r.Status, multi)
	}
}

func TestMeiliCORS(t *testing.T) {
	origin := "https://news.example.org"
	h := newMeiliServer(t, gate.Options{CORSOrigin: origin})
	pre := httptest.NewRequest(http.MethodOptions, "/meili/indexes/documents/search", nil)
	pre.Header.Set("Origin", origin)
	pre.Header.Set("Access-Control-Request-Method", "POST")
	pre.Header.Set("Access-Control-Request-Headers", "authorization, content-type, x-meilisearch-client")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, pre)
	hd := rec.Header()
	if rec.Code != 204 || hd.Get("Access-Control-Allow-Origin") != origin ||
		!strings.Contains(hd.Get("Access-Control-Allow-Methods"), "POST") ||
		!strings.Contains(hd.Get("Access-Control-Allow-Headers"), "X-Meilisearch-Client") ||
		!strings.Contains(hd.Get("Access-Control-Allow-Headers"), "Authorization") {
		t.Errorf("preflight → %d %v", rec.Code, hd)
	}
	other := httptest.NewRequest(http.MethodOptions, "/meili/multi-search", nil)
	other.Header.Set("Origin", "https://evil.example")
	other.Header.Set("Access-Control-Request-Method", "POST")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, other)
	if rec.Header().Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("another origin is allowed: %v", rec.Header())
	}
	r := httptest.NewRequest(http.MethodPost, "/meili/indexes/documents/search", strings.NewReader(`{"q":"captcha"}`))
	r.Header.Set("Origin", origin)
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set("Authorization", "Bearer anything")
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, r)
	if rec.Code != 200 || rec.Header().Get("Access-Control-Allow-Origin") != origin {
		t.Errorf("search with an origin → %d %v", rec.Code, rec.Header())
	}
}

// TestFilterDepthLimit: the depth the nesting message states is the one
// applied: maxFilterDepth parentheses or NOTs are accepted, one more is not.
func TestFilterDepthLimit(t *testing.T) {
	nested := func(n int) string { return strings.Repeat("(", n) + "kind = press" + strings.Repeat(")", n) }
	nots := func(n int) string { return strings.Repeat("NOT ", n) + "kind = press" }
	for _, f := range []string{nested(maxFilterDepth), nots(maxFilterDepth)} {
		if _, err := parseFilter(f); err != nil {
			t.Errorf("%d levels: %v", maxFilterDepth, err)
		}
	}
	want := fmt.Sprintf("maximum depth limit (%d)", maxFilterDepth)
	for _, f := range []string{nested(maxFilterDepth + 1), nots(maxFilterDepth + 1)} {
		if _, err := parseFilter(f); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%d levels: %v, want an error saying %q", maxFilterDepth+1, err, want)
		}
	}
}

// TestMeiliBodyTooLarge: a body over the limit is refused with
// Meilisearch's 413 payload_too_large, as the README says, whether its
// Content-Length says so or it comes chunked and is found too large while
// read.
func TestMeiliBodyTooLarge(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	body := `{"q":"` + strings.Repeat("a", gate.DefaultMaxBodyBytes) + `"}`
	for _, chunked := range []bool{false, true} {
		r := httptest.NewRequest(http.MethodPost, "/meili/indexes/documents/search", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		if chunked {
			r.ContentLength = -1
			r.TransferEncoding = []string{"chunked"}
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		var e Error
		err := json.Unmarshal(rec.Body.Bytes(), &e)
		if rec.Code != http.StatusRequestEntityTooLarge || rec.Header().Get("Content-Type") != "application/json" || err != nil ||
			e.Code != "payload_too_large" || e.Type != "invalid_request" || e.Link != "https://docs.meilisearch.com/errors#payload_too_large" ||
			!strings.Contains(e.Message, strconv.Itoa(gate.DefaultMaxBodyBytes)) {
			t.Errorf("chunked %v: %d %s %.200s, want Meilisearch's 413 payload_too_large", chunked, rec.Code, rec.Header().Get("Content-Type"), rec.Body)
		}
		resp := &response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
		if err := checkMeiliResponse(t, httptest.NewRequest(http.MethodPost, "/meili/indexes/documents/search", nil), resp); err != nil {
			t.Errorf("chunked %v: %v", chunked, err)
		}
	}
}

// TestMaxTotalHitsAsDocumented: the pagination.maxTotalHits setting, the
// bound on totalHits, is the number the README states.
func TestMaxTotalHitsAsDocumented(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("count at most ([0-9,]+) hits \\(`pagination.maxTotalHits`").FindSubmatch(readme)
	if m == nil {
		t.Fatal("the README does not state pagination.maxTotalHits")
	}
	documented, _ := strconv.Atoi(strings.ReplaceAll(string(m[1]), ",", ""))
	h := newMeiliServer(t, gate.Options{})
	r := meiliDo(t, h, http.MethodGet, "/meili/indexes/documents/settings/pagination", "")
	var got struct{ MaxTotalHits int }
	r.json(t, &got)
	if got.MaxTotalHits != documented || meiliMaxTotalHits != documented {
		t.Errorf("pagination.maxTotalHits = %d (constant %d), the README says %d", got.MaxTotalHits, meiliMaxTotalHits, documented)
	}
}

func TestMeiliMatchingStrategy(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	res, err := testLive.Search(context.Background(), index.Request{Query: "Deliveroo livreurs", Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Related == 0 {
		t.Fatal("no related documents: the test says nothing")
	}
	for _, tt := range []struct {
		strategy string
		want     int
	}{{"all", res.Total}, {"last", res.Total + res.Related}, {"frequency", res.Total + res.Related}} {
		out := meiliPost(t, h, `{"q":"Deliveroo livreurs","limit":100,"facets":["kind"],"matchingStrategy":"`+tt.strategy+`"}`)
		kinds := 0
		for _, n := range out.FacetDistribution["kind"] {
			kinds += n
		}
		if *out.EstimatedTotalHits != tt.want || len(out.Hits) != tt.want || kinds != tt.want {
			t.Errorf("matchingStrategy %s: estimatedTotalHits %d, %d hits, kinds count %d; want %d", tt.strategy, *out.EstimatedTotalHits, len(out.Hits), kinds, tt.want)
		}
	}
}

// TestMeiliFilterValuesStayExact: the Meilisearch dialect keeps
// Meilisearch's behaviour for values that name nothing — a concept's label
// or a misspelt source selects no document, without a warning.
func TestMeiliFilterValuesStayExact(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	if got := meiliPost(t, h, `{"q":"","filter":"concepts = uberisation"}`); len(got.Hits) == 0 {
		t.Fatalf("concepts = uberisation: no hit")
	}
	for _, f := range []string{`concepts = 'ubérisation'`, `source = 'Le Mond'`} {
		r := meiliDo(t, h, http.MethodPost, "/meili/indexes/documents/search", fmt.Sprintf(`{"q":"","filter":%q}`, f))
		var got meiliSearchResult
		r.json(t, &got)
		if r.Status != http.StatusOK || len(got.Hits) != 0 || strings.Contains(string(r.Body), "warnings") {
			t.Errorf("%s: %d, %d hits: %s", f, r.Status, len(got.Hits), apitest.ShortBody(r.Body))
		}
	}
}

// TestMeiliHasNoBooleanOperators: Meilisearch has no OR, groups or NOT in
// q (a query holds words, "phrases" and -exclusions): the dialect reads
// them as words, in lower case, and separators, as Meilisearch does, where
// the native API reads them as operators.
func TestMeiliHasNoBooleanOperators(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	native, err := testLive.Search(context.Background(), index.Request{Query: "uber OR deliveroo", Limit: 1, ExcludeRelated: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ operators, words string }{
		{"uber OR deliveroo", "uber or deliveroo"},
		{"(uber | deliveroo) grève", "uber deliveroo grève"},
		{"plateforme NOT uber", "plateforme not uber"},
		{"plateforme -(uber OR deliveroo)", "plateforme uber or deliveroo"},
	} {
		got := meiliPost(t, h, `{"q":"`+tt.operators+`","limit":100,"matchingStrategy":"all"}`)
		want := meiliPost(t, h, `{"q":"`+tt.words+`","limit":100,"matchingStrategy":"all"}`)
		if !slices.Equal(got.ids(), want.ids()) {
			t.Errorf("q %q: hits %v, want those of %q: %v", tt.operators, got.ids(), tt.words, want.ids())
		}
	}
	if got := meiliPost(t, h, `{"q":"uber OR deliveroo","limit":100,"matchingStrategy":"all"}`); *got.EstimatedTotalHits == native.Total {
		t.Errorf("q uber OR deliveroo: %d hits, as many as the native union: the case tests nothing", native.Total)
	}
}
