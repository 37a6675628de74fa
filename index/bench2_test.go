package index

import (
	"context"
	"os"
	"testing"
)

func BenchmarkOne(b *testing.B) {
	s := openBundled(b)
	q := os.Getenv("Q")
	hl := os.Getenv("HL") != ""
	b.ResetTimer()
	for b.Loop() {
		s.Search(context.Background(), Request{Query: q, Highlight: hl, Facets: FacetNames()})
	}
}
