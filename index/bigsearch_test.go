package index

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"
)

// TestBigSearch times queries over an existing snapshot (BIG_SNAPSHOT); a
// development aid, skipped otherwise.
func TestBigSearch(t *testing.T) {
	dir := os.Getenv("BIG_SNAPSHOT")
	if dir == "" {
		t.Skip("BIG_SNAPSHOT not set")
	}
	start := time.Now()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	fmt.Printf("open: %v\n", time.Since(start))
	queries := []string{"travail", "digital labor", "micro-t", "platef", "uberisation", "automatisaton", "plateformes numériques", "the workers", `"travail numérique"`, "", "Kenya", "zzzz"}
	for _, q := range queries {
		var times []time.Duration
		var res *Result
		for range 15 {
			st := time.Now()
			res, err = s.Search(context.Background(), Request{Query: q, Highlight: true, Facets: FacetNames()})
			if err != nil {
				t.Fatal(err)
			}
			times = append(times, time.Since(st))
		}
		slices.Sort(times)
		fmt.Printf("%-28q total=%-6d p50=%-10v max=%v\n", q, res.Total, times[len(times)/2], times[len(times)-1])
	}
}
