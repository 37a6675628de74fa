package index

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"
)

// TestCachedPlanAnswersAlike checks that a query planned once and kept
// answers, with other filters, pages and sorts, as a query planned
// afresh: a search never changes the plan it shares.
func TestCachedPlanAnswersAlike(t *testing.T) {
	s := bundled(t)
	fresh, err := Open(filepath.Join(shared.dir, "snap"))
	if err != nil {
		t.Fatal(err)
	}
	defer fresh.Close()
	fresh.plans = nil // plans every query
	reqs := []Request{
		{Query: "micro-travail", Highlight: true, Facets: FacetNames()},
		{Query: "micro-travail", Highlight: true, Facets: FacetNames(), Filters: Filters{Langs: []string{"fr"}}, Offset: 2, Limit: 5},
		{Query: "micro-travail", Sort: SortDateAsc, Facets: []string{FacetSource}},
		{Query: `"travail du clic" -amazon`, Highlight: true},
		{Query: "automatisaton plateformes", Highlight: true, NoCollapse: true},
	}
	for _, req := range reqs {
		want, err := fresh.Search(context.Background(), req)
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			got, err := s.Search(context.Background(), req)
			if err != nil {
				t.Fatal(err)
			}
			got.Took, want.Took = 0, 0
			if !reflect.DeepEqual(got, want) {
				t.Fatalf("%+v: with the kept plan\n%+v\nplanned afresh\n%+v", req, got, want)
			}
		}
		if _, ok := s.plans.get(req.Query); !ok {
			t.Errorf("%q: plan not kept", req.Query)
		}
	}
}
