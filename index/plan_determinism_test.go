package index

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
)

// TestSameRequestSameAnswer runs each request 50 times in parallel: every
// answer must be the same, hits, order and scores.
func TestSameRequestSameAnswer(t *testing.T) {
	s := bundled(t)
	queries := []string{
		"travail du clic plateformes numériques",
		"automatisaton travailleurs micro-t",
		"digital labor syndicalisme uberisation plateformes travail clic micro tâches",
	}
	for _, q := range queries {
		answers := make([]string, 50)
		var wg sync.WaitGroup
		for i := range answers {
			wg.Go(func() {
				res, err := s.Search(context.Background(), Request{Query: q, Limit: 20})
				if err != nil {
					answers[i] = err.Error()
					return
				}
				for _, h := range res.Hits {
					answers[i] += fmt.Sprintf("%s %v\n", h.ID, h.Score)
				}
				// The plan itself, whose order is the order of the sums.
				p, err := s.planQuery(context.Background(), ParseQuery(q))
				if err != nil {
					t.Error(err)
					return
				}
				for _, l := range p.leaves {
					answers[i] += fmt.Sprintf("%+v\n", l)
				}
			})
		}
		wg.Wait()
		if answers[0] == "" {
			t.Errorf("%q: no hits", q)
		}
		for i, a := range answers {
			if a != answers[0] {
				t.Errorf("%q: answer %d differs from answer 0:\n%s\nvs\n%s", q, i, a, answers[0])
				break
			}
		}
	}
}

// TestEachWordHasItsShare checks that a long query of typed words keeps the
// typo corrections of its last word: each word's expansions have their own
// share of the leaves.
func TestEachWordHasItsShare(t *testing.T) {
	s := bundled(t)
	// Short prefixes: each completes to many words.
	q := ""
	for _, w := range []string{"pro", "con", "tra", "par", "exp", "mic", "man", "rev", "int", "dig", "pla", "cap"} {
		q += w + "* "
	}
	q += "Zuckerburg " // a typo of a word in one post only
	p, err := s.planQuery(context.Background(), ParseQuery(q))
	if err != nil {
		t.Fatal(err)
	}
	last := uint32(1) << (len(p.words) - 1)
	if !slices.ContainsFunc(p.leaves, func(l leaf) bool { return l.words&last != 0 && l.class == typo && l.term == "zuckerberg" }) {
		t.Errorf("the last word's correction zuckerberg is not planned (%d leaves)", len(p.leaves))
	}
	if len(p.leaves) > maxLeaves {
		t.Errorf("%d leaves, more than %d", len(p.leaves), maxLeaves)
	}
}
