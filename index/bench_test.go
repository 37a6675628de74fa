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
