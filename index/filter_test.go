package index

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"

	"tacheron/corpus"
)

// whereCases are filters that Filters cannot express, each with the same
// test written on a corpus document: the test's own reading of the
// filter, which the index's evaluation must agree with.
var whereCases = []struct {
	name  string
	where *Where
	keep  func(d *corpus.Document) bool
}{
	{
		"kind press or lang en",
		whereOr(whereEq(FacetKind, "press"), whereEq(FacetLang, "en")),
		func(d *corpus.Document) bool { return d.Kind == "press" || d.Lang == "en" },
	},
	{
		"not the concept micro-travail",
		&Where{Op: WhereNot, Kids: []*Where{whereEq(FacetConcept, "micro-travail")}},
		func(d *corpus.Document) bool { return !hasConcept(d, "micro-travail") },
	},
	{
		"some concept",
		&Where{Op: WhereCond, Field: FacetConcept, Match: func(string) bool { return true }},
		func(d *corpus.Document) bool { return len(d.Concepts) > 0 },
	},
	{
		"no concept",
		&Where{Op: WhereCond, Field: FacetConcept, Match: func(string) bool { return false }, Absent: true},
		func(d *corpus.Document) bool { return len(d.Concepts) == 0 },
	},
	{
		"two date ranges",
		&Where{Op: WhereCond, Field: FacetDate, Match: func(v string) bool { return v < "2017-03-05" || v > "2017-03-25" }},
		func(d *corpus.Document) bool { return d.Date < "2017-03-05" || d.Date > "2017-03-25" },
	},
	{
		"source starting with le and not a mention",
		&Where{Op: WhereAnd, Kids: []*Where{
			{Op: WhereCond, Field: FacetSource, Match: func(v string) bool { return strings.HasPrefix(strings.ToLower(v), "le") }},
			{Op: WhereNot, Kids: []*Where{whereEq(FacetKind, "mention")}},
		}},
		func(d *corpus.Document) bool {
			return strings.HasPrefix(strings.ToLower(d.Source), "le") && d.Kind != "mention"
		},
	},
	{
		"a concept or a date, or neither a press article",
		whereOr(whereEq(FacetConcept, "uberisation"), whereEq(FacetDate, "2017-03-22"),
			&Where{Op: WhereNot, Kids: []*Where{whereEq(FacetKind, "press")}}),
		func(d *corpus.Document) bool {
			return hasConcept(d, "uberisation") || d.Date == "2017-03-22" || d.Kind != "press"
		},
	},
}

func whereEq(field, value string) *Where {
	return &Where{Op: WhereCond, Field: field, Match: func(v string) bool { return v == value }}
}

func whereOr(kids ...*Where) *Where { return &Where{Op: WhereOr, Kids: kids} }

func hasConcept(d *corpus.Document, id string) bool {
	return slices.ContainsFunc(d.Concepts, func(c corpus.ConceptHit) bool { return c.ID == id })
}

// bundledDocuments returns the documents of the bundled corpus by id.
func bundledDocuments(tb testing.TB) map[string]*corpus.Document {
	tb.Helper()
	c, err := corpus.Bundled()
	if err != nil {
		tb.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	out := map[string]*corpus.Document{}
	for i := range docs {
		out[docs[i].ID] = &docs[i]
	}
	return out
}

// searchAll pages through every hit of req.
func searchAll(tb testing.TB, s *Snapshot, req Request) (ids []string, last *Result) {
	tb.Helper()
	req.Limit = MaxLimit
	for req.Offset = 0; ; req.Offset += MaxLimit {
		res, err := s.Search(context.Background(), req)
		if err != nil {
			tb.Fatal(err)
		}
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		last = res
		if len(res.Hits) < MaxLimit || req.Offset+MaxLimit >= MaxWindow {
			return ids, last
		}
	}
}

// TestWhereAgreesWithTheCorpus checks filters evaluated document by
// document against the same tests on the corpus's documents: the hits,
// in the order of the search without the filter, the totals, and the
// facet counts (by day for dates), which a Where restricts too.
func TestWhereAgreesWithTheCorpus(t *testing.T) {
	s := bundled(t)
	docs := bundledDocuments(t)
	for _, q := range []string{"", "travail", "plateformes numériques"} {
		unfiltered, _ := searchAll(t, s, Request{Query: q, NoCollapse: true})
		for _, tt := range whereCases {
			var want []string
			wantKinds, wantDays, wantConcepts := map[string]int{}, map[string]int{}, map[string]int{}
			for _, id := range unfiltered {
				d := docs[id]
				if d == nil {
					t.Fatalf("hit %s is not a document of the corpus", id)
				}
				if !tt.keep(d) {
					continue
				}
				want = append(want, id)
				wantKinds[string(d.Kind)]++
				wantDays[d.Date]++
				for _, c := range d.Concepts {
					wantConcepts[c.ID]++
				}
			}
			req := Request{Query: q, NoCollapse: true, Where: tt.where, FacetsOverRelated: true,
				Facets: []string{FacetKind, FacetDate, FacetConcept}, FacetSize: MaxFacetSize, DateInterval: DateIntervalDay}
			got, res := searchAll(t, s, req)
			if !slices.Equal(got, want) {
				t.Errorf("q=%q %s: %d hits %v, want %d %v", q, tt.name, len(got), got, len(want), want)
			}
			if res.Total+res.Related != len(want) {
				t.Errorf("q=%q %s: total %d + related %d, want %d", q, tt.name, res.Total, res.Related, len(want))
			}
			for _, f := range []struct {
				name string
				want map[string]int
			}{{FacetKind, wantKinds}, {FacetDate, wantDays}, {FacetConcept, wantConcepts}} {
				gotCounts := map[string]int{}
				for _, c := range res.Facets[f.name] {
					if c.Count > 0 {
						gotCounts[c.Value] = c.Count
					}
				}
				if !maps.Equal(gotCounts, f.want) {
					t.Errorf("q=%q %s: facet %s = %v, want %v", q, tt.name, f.name, gotCounts, f.want)
				}
			}
		}
	}
}

// TestWhereWithFilters checks that a Where and Filters restrict together,
// and that the Filters' facets stay disjunctive but for the Where.
func TestWhereWithFilters(t *testing.T) {
	s := bundled(t)
	docs := bundledDocuments(t)
	where := &Where{Op: WhereNot, Kids: []*Where{whereEq(FacetConcept, "micro-travail")}}
	res, err := s.Search(context.Background(), Request{Where: where, NoCollapse: true, Filters: Filters{Kinds: []string{"press"}},
		Facets: []string{FacetKind}, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	wantTotal, wantKinds := 0, map[string]int{}
	for _, d := range docs {
		if hasConcept(d, "micro-travail") {
			continue
		}
		wantKinds[string(d.Kind)]++
		if d.Kind == "press" {
			wantTotal++
		}
	}
	if res.Total != wantTotal {
		t.Errorf("total %d, want %d", res.Total, wantTotal)
	}
	for _, c := range res.Facets[FacetKind] {
		if c.Count != wantKinds[c.Value] {
			t.Errorf("kind %s counts %d, want %d (the kind filter left out, the Where kept)", c.Value, c.Count, wantKinds[c.Value])
		}
	}
}

// TestWhereChecked checks that a malformed Where is a *QueryError on
// the where field.
func TestWhereChecked(t *testing.T) {
	s := bundled(t)
	deep := whereEq(FacetKind, "press")
	for range MaxWhereNodes {
		deep = &Where{Op: WhereNot, Kids: []*Where{deep}}
	}
	for _, tt := range []struct {
		name  string
		where *Where
	}{
		{"unknown field", &Where{Op: WhereCond, Field: FacetAuthor, Match: func(string) bool { return true }}},
		{"no match", &Where{Op: WhereCond, Field: FacetKind}},
		{"empty and", &Where{Op: WhereAnd}},
		{"not with two kids", &Where{Op: WhereNot, Kids: []*Where{whereEq(FacetKind, "a"), whereEq(FacetKind, "b")}}},
		{"nil kid", &Where{Op: WhereOr, Kids: []*Where{nil}}},
		{"unknown operator", &Where{Op: 9}},
		{"too many nodes", deep},
	} {
		_, err := s.Search(context.Background(), Request{Where: tt.where})
		qe, ok := err.(*QueryError)
		if !ok || qe.Field != FieldWhere {
			t.Errorf("%s: error %v, want a QueryError on %s", tt.name, err, FieldWhere)
		}
	}
}

// TestWhereSelectsForTheAnalyses checks that the analyses' selection
// (trends, co-occurrence, concordance, export) honours a Where as a
// search does.
func TestWhereSelectsForTheAnalyses(t *testing.T) {
	s := bundled(t)
	docs := bundledDocuments(t)
	for _, tt := range whereCases {
		sel, err := s.selectDocs(context.Background(), Request{Where: tt.where}, nil)
		if err != nil {
			t.Fatal(err)
		}
		want := 0
		for _, d := range docs {
			if tt.keep(d) {
				want++
			}
		}
		if got := int(sel.primary.GetCardinality()); got != want {
			t.Errorf("%s: %d documents selected, want %d", tt.name, got, want)
		}
	}
}
