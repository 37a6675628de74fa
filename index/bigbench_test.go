package index

import (
	"context"
	"os"
	"testing"
)

func BenchmarkBig(b *testing.B) {
	dir := os.Getenv("BIG_SNAPSHOT")
	if dir == "" {
		b.Skip("BIG_SNAPSHOT not set")
	}
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	q := os.Getenv("Q")
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.Search(context.Background(), Request{Query: q, Highlight: true, Facets: FacetNames()}); err != nil {
			b.Fatal(err)
		}
	}
}
