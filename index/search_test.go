package index

import (
	"context"
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"

	"tacheron/corpus"
)

func search(t *testing.T, req Request) *Result {
	t.Helper()
	res, err := bundled(t).Search(context.Background(), req)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

func facetCount(counts []FacetCount, value string) int {
	for _, c := range counts {
		if c.Value == value {
			return c.Count
		}
	}
	return -1
}

func TestEmptyQueryNewestFirst(t *testing.T) {
	res := search(t, Request{Limit: 100, Facets: FacetNames()})
	if res.Total != 25 || len(res.Hits) != 25 {
		t.Fatalf("total %d, hits %d, want 25", res.Total, len(res.Hits))
	}
	for i := 1; i < len(res.Hits); i++ {
		if res.Hits[i-1].Date < res.Hits[i].Date {
			t.Errorf("hit %d (%s) is older than hit %d (%s)", i-1, res.Hits[i-1].Date, i, res.Hits[i].Date)
		}
	}
	if got := facetCount(res.Facets[FacetKind], "mention"); got != 16 {
		t.Errorf("kind facet mention = %d, want 16", got)
	}
}

func TestSortAndPages(t *testing.T) {
	asc := search(t, Request{Query: "travail", Sort: SortDateAsc, Limit: 100})
	// By date within each set: the documents with every word, then the
	// related ones.
	for i := 1; i < len(asc.Hits); i++ {
		a, b := asc.Hits[i-1], asc.Hits[i]
		if a.Match == MatchRelated && b.Match == MatchAll {
			t.Fatalf("sort=date: related %s before %s, which matches all", a.ID, b.ID)
		}
		if a.Match == b.Match && a.Date > b.Date {
			t.Fatalf("sort=date: %s before %s", a.Date, b.Date)
		}
	}
	p1 := search(t, Request{Query: "travail", Limit: 3})
	p2 := search(t, Request{Query: "travail", Limit: 3, Offset: 3})
	all := search(t, Request{Query: "travail", Limit: 6})
	if p1.Total != p2.Total || p1.Total != asc.Total {
		t.Errorf("totals differ: %d, %d, %d", p1.Total, p2.Total, asc.Total)
	}
	var ids []string
	for _, h := range append(p1.Hits, p2.Hits...) {
		ids = append(ids, h.ID)
	}
	var want []string
	for _, h := range all.Hits {
		want = append(want, h.ID)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("pages 1 and 2 = %v, want %v", ids, want)
	}
	beyond := search(t, Request{Query: "travail", Limit: 10, Offset: 1000})
	if len(beyond.Hits) != 0 || beyond.Total != p1.Total {
		t.Errorf("page beyond the end: %d hits, total %d", len(beyond.Hits), beyond.Total)
	}
}

func TestDisjunctiveFacets(t *testing.T) {
	all := search(t, Request{Query: "travail", Facets: FacetNames()})
	one := search(t, Request{Query: "travail", Facets: FacetNames(), Filters: Filters{Sources: []string{"Le Figaro"}}})
	if one.Total != 1 || one.Hits[0].Source != "Le Figaro" {
		t.Fatalf("filtered: total %d", one.Total)
	}
	// The source facet ignores the source filter: other sources stay on
	// offer with their counts.
	if !slices.Equal(one.Facets[FacetSource], all.Facets[FacetSource]) {
		t.Errorf("source facet changed with its own filter:\n%v\n%v", one.Facets[FacetSource], all.Facets[FacetSource])
	}
	// Other facets count only Le Figaro.
	if got := facetCount(one.Facets[FacetKind], "press"); got != 1 {
		t.Errorf("kind facet under source filter: press = %d, want 1", got)
	}
	// OR within a field, AND across fields.
	two := search(t, Request{Query: "travail", Filters: Filters{Sources: []string{"Le Figaro", "Slate"}}})
	if two.Total != 2 {
		t.Errorf("two sources: total %d, want 2", two.Total)
	}
	none := search(t, Request{Query: "travail", Filters: Filters{Sources: []string{"Le Figaro"}, Kinds: []string{"interview"}}})
	if none.Total != 0 {
		t.Errorf("Le Figaro AND interview: total %d, want 0", none.Total)
	}
}

func TestDateFilterAndFacet(t *testing.T) {
	res := search(t, Request{Filters: Filters{From: "2017-03-01", To: "2017-03-22"}, Limit: 100, Facets: []string{FacetDate}})
	for _, h := range res.Hits {
		if h.Date < "2017-03-01" || h.Date > "2017-03-22" {
			t.Errorf("hit dated %s outside the filter", h.Date)
		}
	}
	// The date facet ignores the date filter.
	if facetCount(res.Facets[FacetDate], "2017-02") <= 0 || facetCount(res.Facets[FacetDate], "2017-04") != 1 {
		t.Errorf("date facet = %v", res.Facets[FacetDate])
	}
	years := search(t, Request{Facets: []string{FacetDate}, DateInterval: "year"})
	if len(years.Facets[FacetDate]) != 1 || years.Facets[FacetDate][0] != (FacetCount{Value: "2017", Label: "2017", Count: 25}) {
		t.Errorf("year facet = %v", years.Facets[FacetDate])
	}
}

func TestConceptFilterAndLabels(t *testing.T) {
	res := search(t, Request{Filters: Filters{Concepts: []string{"uberisation"}}, Facets: []string{FacetConcept}, FacetLang: "en"})
	if res.Total != 1 || !slices.Contains(res.Hits[0].Concepts, "uberisation") {
		t.Fatalf("concept filter: total %d", res.Total)
	}
	for _, c := range res.Facets[FacetConcept] {
		if c.Value == "uberisation" && c.Label != "uberization" {
			t.Errorf("English label of uberisation = %q", c.Label)
		}
	}
}

func TestHighlights(t *testing.T) {
	res := search(t, Request{Query: "captcha", Highlight: true})
	body := strings.Join(res.Hits[0].Highlights["body"], " ")
	if !strings.Contains(body, "<mark>Captcha</mark>") {
		t.Errorf("body highlights = %q", body)
	}
	// Stemmed, folded and concept matches are marked too; text is escaped.
	res = search(t, Request{Query: "uberization", Highlight: true})
	body = strings.Join(res.Hits[0].Highlights["body"], " ")
	if !strings.Contains(body, "<mark>ubérisation</mark>") || !strings.Contains(body, "&#39;") {
		t.Errorf("concept highlight = %q", body)
	}
	res = search(t, Request{Query: "pénibilité", Highlight: true})
	if got := res.Hits[0].Highlights["title"]; len(got) != 1 || !strings.Contains(got[0], "<mark>pénibilité</mark>") {
		t.Errorf("title highlight = %q", got)
	}
	for _, s := range res.Hits[0].Highlights["body"] {
		if len(s) > 3*SnippetBytes {
			t.Errorf("snippet of %d bytes", len(s))
		}
	}
}

func TestRequestErrors(t *testing.T) {
	s := bundled(t)
	tests := []struct {
		req   Request
		param string
	}{
		{Request{Limit: MaxLimit + 1}, FieldLimit},
		{Request{Offset: MaxWindow}, FieldOffset},
		{Request{Sort: "popularity"}, "sort"},
		{Request{Facets: []string{"colour"}}, "facets"},
		{Request{DateInterval: "week"}, "date_interval"},
		{Request{Filters: Filters{From: "2017-13-01"}}, "from"},
		{Request{Filters: Filters{From: "2017-03-02", To: "2017-03-01"}}, "from"},
	}
	for _, tt := range tests {
		_, err := s.Search(context.Background(), tt.req)
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Field != tt.param {
			t.Errorf("Search(%+v) = %v, want a QueryError on %s", tt.req, err, tt.param)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := s.Search(ctx, Request{Query: "travail"}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled search: %v", err)
	}
}

func TestDocument(t *testing.T) {
	s := bundled(t)
	d, err := s.Document(context.Background(), "2017-03-22-qui-entraine-les-ia", "captcha")
	if err != nil {
		t.Fatal(err)
	}
	if d.Source != "Le Figaro" || len(d.Paragraphs) == 0 || len(d.Concepts) == 0 {
		t.Fatalf("document = %+v", d)
	}
	marked := false
	for _, p := range d.Paragraphs {
		marked = marked || strings.Contains(p.HTML, "<mark>Captcha</mark>")
	}
	if !marked {
		t.Errorf("no paragraph marks Captcha")
	}
	res := search(t, Request{Filters: Filters{Kinds: []string{"press-review"}}})
	review, err := s.Document(context.Background(), res.Hits[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(review.Mentions) != 16 {
		t.Fatalf("press review mentions = %d", len(review.Mentions))
	}
	mention, err := s.Document(context.Background(), review.Mentions[0].ID, "")
	if err != nil {
		t.Fatal(err)
	}
	if mention.Parent == nil || mention.Parent.ID != review.ID {
		t.Errorf("mention parent = %+v", mention.Parent)
	}
	if _, err := s.Document(context.Background(), "no-such-document", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown document: %v", err)
	}
}

func TestSuggest(t *testing.T) {
	s := bundled(t)
	tests := []struct{ q, want, kind string }{
		{"ubé", "ubérisation", SuggestConcept},
		{"micro", "micro-travail", SuggestConcept},
		{"smyrn", "smyrnaios", SuggestTerm},
		{"digital la", "digital labor", SuggestConcept},
		{"penib", "pénibilité", SuggestTerm},
	}
	for _, tt := range tests {
		got, err := s.Suggest(context.Background(), tt.q, 5, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 || got[0].Text != tt.want || got[0].Kind != tt.kind {
			t.Errorf("Suggest(%q) = %+v, want %q (%s) first", tt.q, got, tt.want, tt.kind)
		}
	}
	if got, _ := s.Suggest(context.Background(), "zzzzzz", 5, "fr"); len(got) != 0 {
		t.Errorf("Suggest(zzzzzz) = %+v", got)
	}
}

func TestConceptsAndSources(t *testing.T) {
	s := bundled(t)
	concepts := s.Concepts()
	counts := map[string]int{}
	for _, c := range concepts {
		counts[c.ID] = c.Count
		if c.Labels["fr"] == "" || c.Labels["en"] == "" {
			t.Errorf("concept %s lacks a label: %v", c.ID, c.Labels)
		}
	}
	if counts["digital-labor"] < 5 || counts["micro-travail"] < 5 || counts["uberisation"] != 1 {
		t.Errorf("concept counts = %v", counts)
	}
	sources := s.Sources()
	if facetCount(sources, "EHESS") != 2 || facetCount(sources, "Slate") != 3 {
		t.Errorf("sources = %v", sources)
	}
}

// TestFacetCountingPathsAgree checks that counting facets document by
// document and by intersecting bitmaps give the same counts.
func TestFacetCountingPathsAgree(t *testing.T) {
	s := bundled(t)
	requests := []Request{
		{Query: "travail"},
		{Query: "travail", Filters: Filters{Sources: []string{"Le Figaro", "Slate"}}},
		{Filters: Filters{Kinds: []string{"mention"}, From: "2017-02-01", To: "2017-03-15"}},
		{Query: "digital", Filters: Filters{Concepts: []string{"micro-travail"}, Langs: []string{"fr"}}},
	}
	for _, req := range requests {
		if err := req.normalize(); err != nil {
			t.Fatal(err)
		}
		p, err := s.planQuery(context.Background(), ParseQuery(req.Query))
		if err != nil {
			t.Fatal(err)
		}
		acc := s.getAccumulator()
		hits := s.all.Clone()
		if p.positive() {
			if err := s.execute(context.Background(), p, acc); err != nil {
				t.Fatal(err)
			}
			hits = acc.hits(p.required, nil)
		}
		filters := s.filterBitmaps(req.Filters)
		names := FacetNames()
		byColumns := s.countByColumns(names, hits, filters)
		byBitmaps := s.countByBitmaps(names, hits, filters)
		for _, name := range names {
			if !slices.Equal(byColumns[name], byBitmaps[name]) {
				t.Errorf("%+v facet %s: columns %v, bitmaps %v", req, name, byColumns[name], byBitmaps[name])
			}
		}
		s.putAccumulator(acc)
	}
}

// TestTestIndexHasShards checks the numbering of the test index's shards
// against what the build wrote apart from them: every document a shard
// holds, at the snapshot number its shard gives it, has its own record in
// the document store, and the numbers cover the corpus's documents once.
func TestTestIndexHasShards(t *testing.T) {
	s := bundled(t)
	if runtime.GOMAXPROCS(0) > 1 && len(s.shards) < 2 {
		t.Errorf("the test index has %d shard; the tests should cover several", len(s.shards))
	}
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for _, d := range docs {
		want[d.ID] = true
	}
	seen := map[uint32]string{}
	for i, sh := range s.shards {
		all, err := sh.reader.DocIDReaderAll()
		if err != nil {
			t.Fatal(err)
		}
		for {
			internal, err := all.Next()
			if err != nil {
				t.Fatal(err)
			}
			if internal == nil {
				break
			}
			id, err := sh.reader.ExternalID(internal)
			if err != nil {
				t.Fatal(err)
			}
			n := sh.base + uint32(internal.Value())
			if other, dup := seen[n]; dup {
				t.Errorf("shard %d: %q and %q are both document %d", i, id, other, n)
			}
			seen[n] = id
			rec, err := s.docs.get(n)
			if err != nil {
				t.Errorf("shard %d: %q is document %d: %v", i, id, n, err)
			} else if rec.id != id {
				t.Errorf("shard %d: %q is document %d, whose record is %q", i, id, n, rec.id)
			}
			if !want[id] {
				t.Errorf("shard %d holds %q, not a document of the corpus", i, id)
			}
			delete(want, id)
		}
		all.Close()
	}
	if len(want) > 0 {
		t.Errorf("%d documents of the corpus in no shard (%d in the shards)", len(want), len(seen))
	}
	for n := range seen {
		if int(n) >= s.DocCount() {
			t.Errorf("document number %d beyond the %d documents", n, s.DocCount())
		}
	}
}
