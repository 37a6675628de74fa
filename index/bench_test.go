package index

import (
	"context"
	"testing"
)

// BenchmarkSearchBundled runs full searches (facets and highlights) over the
// bundled corpus, cycling through typical queries.
func BenchmarkSearchBundled(b *testing.B) {
	s := bundled(b)
	queries := []string{"ubérisation", "micro-travail", "travail digital", "Mechanical Turk", "smyrn", "automatisaton", "captcha", "plateformes", ""}
	i := 0
	for b.Loop() {
		_, err := s.Search(context.Background(), Request{Query: queries[i%len(queries)], Highlight: true, Facets: FacetNames()})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkSearchBoolean is BenchmarkSearchBundled for boolean queries:
// alternatives of words, phrases and prefixes, groups, exclusions.
func BenchmarkSearchBoolean(b *testing.B) {
	s := bundled(b)
	queries := []string{"uber OR deliveroo", "(uber | deliveroo) grève", `"digital labor" OR "travail du clic"`, "plateformes NOT uber",
		`IA OR "intelligence artificielle"`, "ubéri* OR uber", "(micro-travail OR microtâches) plateformes", "plateformes -(uber OR deliveroo)"}
	i := 0
	for b.Loop() {
		_, err := s.Search(context.Background(), Request{Query: queries[i%len(queries)], Highlight: true, Facets: FacetNames()})
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}
