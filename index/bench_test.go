package index

import (
	"context"
	"testing"
)

// BenchmarkSearchBundled runs full searches (facets and highlights) over the
// bundled corpus, cycling through typical queries.
func BenchmarkSearchBundled(b *testing.B) {
	searchBundled(b, "ubérisation", "micro-travail", "travail digital", "Mechanical Turk", "smyrn", "automatisaton", "captcha", "plateformes", "")
}

// BenchmarkSearchBoolean is BenchmarkSearchBundled for boolean queries:
// alternatives of words, phrases and prefixes, groups, exclusions.
func BenchmarkSearchBoolean(b *testing.B) {
	searchBundled(b, "uber OR deliveroo", "(uber | deliveroo) grève", `"digital labor" OR "travail du clic"`, "plateformes NOT uber",
		`IA OR "intelligence artificielle"`, "ubéri* OR uber", "(micro-travail OR microtâches) plateformes", "plateformes -(uber OR deliveroo)")
}

// searchBundled runs full searches (facets and highlights) over the
// bundled corpus, cycling through queries.
func searchBundled(b *testing.B, queries ...string) {
	s := bundled(b)
	i := 0
	for b.Loop() {
		_, err := s.Search(context.Background(), Request{Query: queries[i%len(queries)], Highlight: true, Facets: FacetNames()})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}
