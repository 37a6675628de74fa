package index

import (
	"context"
	"fmt"
	"os"
	"testing"
)

func TestPlanDump(t *testing.T) {
	dir := os.Getenv("BIG_SNAPSHOT")
	if dir == "" {
		t.Skip()
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	p := s.planQuery(context.Background(), ParseQuery(os.Getenv("Q")))
	total := uint64(0)
	for _, l := range p.leaves {
		n := s.termCount(context.Background(), l.field, l.term)
		total += n
		fmt.Printf("%-9s %-20s w=%.2f words=%b class=%d df=%d\n", l.field, l.term, l.weight, l.words, l.class, n)
	}
	fmt.Println("leaves", len(p.leaves), "postings", total)
}
