package index

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestTiming(t *testing.T) {
	s := openBundled(t)
	for _, q := range []string{"ubérisation", "micro-travail", "travail digital", "Mechanical Turk", "smyrn", "automatisaton", "captcha", "plateformes", ""} {
		for _, hl := range []bool{false, true} {
			n := 200
			start := time.Now()
			for range n {
				s.Search(context.Background(), Request{Query: q, Highlight: hl, Facets: FacetNames()})
			}
			fmt.Printf("%-20s hl=%v %v\n", q, hl, time.Since(start)/time.Duration(n))
		}
	}
}
