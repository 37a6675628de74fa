package index

import (
	"context"
	"path/filepath"
	"testing"

	"tacheron/corpus"
)

func openBundled(tb testing.TB) *Snapshot {
	tb.Helper()
	c, err := corpus.Bundled()
	if err != nil {
		tb.Fatal(err)
	}
	dir := filepath.Join(tb.TempDir(), "snap")
	if _, err := Build(context.Background(), c, dir, BuildOptions{}); err != nil {
		tb.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkSearchBundled(b *testing.B) {
	s := openBundled(b)
	queries := []string{"ubérisation", "micro-travail", "travail digital", "Mechanical Turk", "smyrn", "automatisaton", "captcha", "plateformes", ""}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		_, err := s.Search(context.Background(), Request{Query: queries[i%len(queries)], Highlight: true, Facets: FacetNames()})
		if err != nil {
			b.Fatal(err)
		}
	}
}
