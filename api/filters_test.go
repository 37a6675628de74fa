package api

import (
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestFilterValues: open filters (source, concept) match without regard to
// case and accents, concepts by label, and a value that matches nothing
// answers 200 with a warning naming the closest values; closed ones (kind,
// lang, sort, facets) answer 400 naming the parameter and the valid values.
func TestFilterValues(t *testing.T) {
	s := newTestServer(t, Options{})
	exact := search(t, s, "source=Le+Monde")
	loose := search(t, s, "source=le+monde")
	if exact.Total == 0 || loose.Total != exact.Total || len(loose.Warnings) != 0 {
		t.Errorf("source=le monde: %d hits, warnings %+v; source=Le Monde: %d hits", loose.Total, loose.Warnings, exact.Total)
	}
	byID := search(t, s, "concept=uberisation")
	byLabel := search(t, s, "concept=%C3%9Cb%C3%A9risation")
	if byID.Total == 0 || byLabel.Total != byID.Total {
		t.Errorf("concept=Übérisation: %d hits; concept=uberisation: %d", byLabel.Total, byID.Total)
	}
	if en := search(t, s, "concept=uberization"); en.Total != byID.Total {
		t.Errorf("concept=uberization: %d hits, want %d", en.Total, byID.Total)
	}

	miss := search(t, s, "q=travail&source=Le+Mond")
	if miss.Total != 0 || len(miss.Warnings) != 1 {
		t.Fatalf("source=Le Mond: %d hits, warnings %+v; want 0 and one warning", miss.Total, miss.Warnings)
	}
	w := miss.Warnings[0]
	if w.Parameter != "source" || w.Value != "Le Mond" || !slices.Contains(w.Closest, "Le Monde") || !strings.Contains(w.Message, "Le Monde") {
		t.Errorf("warning = %+v", w)
	}
	if ok := search(t, s, "q=travail"); len(ok.Warnings) != 0 {
		t.Errorf("no filter: warnings %+v", ok.Warnings)
	}

	for _, tt := range []struct {
		query, param, valid string
	}{
		{"kind=article", "kind", "press-review"},
		{"lang=de", "lang", "fr, en"},
		{"sort=popularity", "sort", "-date"},
		{"facets=colour", "facets", "concept"},
	} {
		r := get(t, s, "/api/v1/search?"+tt.query)
		if r.Status != http.StatusBadRequest {
			t.Errorf("%s = %d, want 400", tt.query, r.Status)
			continue
		}
		p := r.problem(t)
		if p.Param != tt.param || !strings.Contains(p.Detail, tt.valid) {
			t.Errorf("%s: problem %+v, want one on %s listing %s", tt.query, p, tt.param, tt.valid)
		}
	}
	if r := search(t, s, "kind=PRESS&lang=FR"); r.Total == 0 {
		t.Errorf("kind=PRESS&lang=FR: no hit")
	}
}

// TestHitTiers: the API shows each hit's tier, and within the documents
// that match every word, and within the related ones after them, tiers,
// then scores, never rise along a relevance ranking.
func TestHitTiers(t *testing.T) {
	s := newTestServer(t, Options{})
	res := search(t, s, "q=micro-travail&per_page=50")
	for i := 1; i < len(res.Hits); i++ {
		a, b := res.Hits[i-1], res.Hits[i]
		if a.Match == "related" && b.Match == "all" {
			t.Errorf("hit %d matches every word, below a related hit", i+1)
		}
		if a.Match == b.Match && (a.Tier < b.Tier || a.Tier == b.Tier && a.Score < b.Score) {
			t.Errorf("hit %d (tier %d, score %v) above hit %d (tier %d, score %v)", i, a.Tier, a.Score, i+1, b.Tier, b.Score)
		}
	}
	if len(res.Hits) == 0 || res.Hits[0].Tier == 0 {
		t.Errorf("no tier in %+v", res.Hits)
	}
}
