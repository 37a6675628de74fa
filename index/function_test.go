package index

import (
	"context"
	"strings"
	"testing"
)

func TestIsFunctionWord(t *testing.T) {
	tests := []struct {
		word string
		want bool
	}{
		{"le", true}, {"d'un", true}, {"l'", true}, {"qu'", true}, {"Comment", true}, {"est-ce", false},
		{"the", true}, {"How", true}, {"of", true}, {"depuis", true}, {"quelle", true},
		{"fichier", false}, {"l'espace", false}, {"d'IBM", false}, {"changer", false}, {"propriétaire", false},
		{"memory", false}, {"workers", false},
	}
	for _, tc := range tests {
		if got := isFunctionWord(tc.word); got != tc.want {
			t.Errorf("isFunctionWord(%q) = %v, want %v", tc.word, got, tc.want)
		}
	}
}

// TestFunctionWordsDoNotRank: a document matching the content words of a
// question ranks above one matching fewer of them and more function words;
// a query of only function words keeps them as its words.
func TestFunctionWordsDoNotRank(t *testing.T) {
	s := bundled(t)
	p, err := s.planQuery(context.Background(), ParseQuery("comment changer le propriétaire d'un fichier "))
	if err != nil {
		t.Fatal(err)
	}
	var content []string
	for i, w := range p.words {
		if p.content&(1<<i) != 0 {
			content = append(content, w)
		}
	}
	if want := "changer propriétaire fichier"; strings.Join(content, " ") != want {
		t.Errorf("content words %q, want %q", strings.Join(content, " "), want)
	}
	// Words: comment 0, changer 1, le 2, propriétaire 3, d'un 4, fichier 5.
	a := newAccumulator(2)
	a.add(0, 9, 1<<0|1<<2|1<<4|1<<5, direct, 0, 0, false) // comment le d'un fichier
	a.add(1, 1, 1<<1|1<<5, direct, 0, 0, false)           // changer fichier
	if a.relevanceKey(1, p.content) <= a.relevanceKey(0, p.content) {
		t.Error("function words outrank content words")
	}
	only, err := s.planQuery(context.Background(), ParseQuery("the of "))
	if err != nil {
		t.Fatal(err)
	}
	if only.content != 1<<len(only.words)-1 || len(only.words) == 0 {
		t.Errorf("a query of function words: words %q, content %b", only.words, only.content)
	}
}

// TestTitleRanks: among documents matching the same words, one whose title
// holds them ranks above one whose body mentions them, however often.
func TestTitleRanks(t *testing.T) {
	content := uint32(0b11)
	a := newAccumulator(2)
	a.add(0, 30, 0b11, direct, 0, 0, false) // a long body, many mentions
	a.add(1, 2, 0b11, direct, 0, 0, false)
	a.add(1, 2, 0b11, direct, 0, 0, true) // the title
	if a.relevanceKey(1, content) <= a.relevanceKey(0, content) {
		t.Error("the title match does not rank first")
	}
}
