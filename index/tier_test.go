package index

import "testing"

// TestScoresFollowTiers: along a relevance ranking, the hits that match
// every word come first, then the related ones; within each set hits come
// by tier, larger first, then by score: the set or the tier explains every
// score that rises.
func TestScoresFollowTiers(t *testing.T) {
	for _, q := range []string{"micro-travail", "travail digital", "ai", "uberization", "plateformes amazon", "travailleurs du clic"} {
		res := search(t, Request{Query: q, Limit: 50})
		for i := 1; i < len(res.Hits); i++ {
			a, b := res.Hits[i-1], res.Hits[i]
			if a.Match == MatchRelated && b.Match == MatchAll {
				t.Errorf("%q: hit %d matches every word, below a related hit", q, i+1)
			}
			if a.Match == b.Match && (a.Tier < b.Tier || a.Tier == b.Tier && a.Score < b.Score) {
				t.Errorf("%q: hit %d (tier %d, score %v) ranks above hit %d (tier %d, score %v)", q, i, a.Tier, a.Score, i+1, b.Tier, b.Score)
			}
		}
		if len(res.Hits) > 0 && res.Hits[0].Tier == 0 {
			t.Errorf("%q: a relevance ranking without tiers", q)
		}
	}
	for _, h := range search(t, Request{Query: "travail", Sort: SortDateDesc}).Hits {
		if h.Tier != 0 {
			t.Errorf("date order: hit %s has tier %d", h.ID, h.Tier)
		}
	}
}
