package index

import (
	"context"
	"slices"
	"strings"
	"testing"
)

// TestSuggestWhatUsersMean: an acronym offers its concept first, a query
// of several words completes sources and titles before words, and a
// finished last word is not completed into another.
func TestSuggestWhatUsersMean(t *testing.T) {
	s := bundled(t)
	suggest := func(q string) []Suggestion {
		t.Helper()
		got, err := s.Suggest(context.Background(), q, 8, "fr")
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	tests := []struct {
		q          string
		first      Suggestion // Text and Kind of the first suggestion
		notAnyText string     // no suggestion has this text (lower case)
	}{
		{"AI", Suggestion{Text: "intelligence artificielle", Kind: SuggestConcept}, ""},
		{"IA", Suggestion{Text: "intelligence artificielle", Kind: SuggestConcept}, ""},
		{"Le M", Suggestion{Text: "Le Monde", Kind: SuggestSource}, "le mars"},
		{"le mon", Suggestion{Text: "Le Monde", Kind: SuggestSource}, ""},
		{"travailleurs du", Suggestion{}, "travailleurs dur"},
		// An elided article does not hide a concept.
		{"l’IA", Suggestion{Text: "intelligence artificielle", Kind: SuggestConcept}, ""},
		{"l'uberisation", Suggestion{Text: "ubérisation", Kind: SuggestConcept}, ""},
		// A typo that starts no word: its correction, and the concept it
		// names.
		{"ubérsiation", Suggestion{Text: "ubérisation", Kind: SuggestConcept}, ""},
		{"casili", Suggestion{Text: "casilli", Kind: SuggestTerm}, ""},
		{"platfrom", Suggestion{Text: "plateformes", Kind: SuggestConcept}, ""},
		{"sydicat", Suggestion{Text: "syndicats", Kind: SuggestConcept}, ""},
		// A compound is completed whole, as the documents write it.
		// A query that is a variant in another form names its concept;
		// only the closest corrections follow a concept.
		{"click farms", Suggestion{Text: "micro-travail", Kind: SuggestConcept}, "click forms"},
		{"gamification", Suggestion{Text: "ludification", Kind: SuggestConcept}, "gratification"},
		{"micro-tâch", Suggestion{Text: "micro-travail", Kind: SuggestConcept}, "microtaches"},
		{"micro-taches", Suggestion{Text: "micro-travail", Kind: SuggestConcept}, "microtaches"},
	}
	for _, tt := range tests {
		got := suggest(tt.q)
		if tt.first.Text != "" && (len(got) == 0 || got[0].Text != tt.first.Text || got[0].Kind != tt.first.Kind) {
			t.Errorf("Suggest(%q) = %+v, want %q (%s) first", tt.q, got, tt.first.Text, tt.first.Kind)
		}
		for _, sg := range got {
			if tt.notAnyText != "" && strings.ToLower(sg.Text) == tt.notAnyText {
				t.Errorf("Suggest(%q) offers %q: %+v", tt.q, sg.Text, got)
			}
		}
	}
	// A compound's completion is shown as the documents write it.
	if got := suggest("micro-tach"); !slices.ContainsFunc(got, func(sg Suggestion) bool { return sg.Text == "micro-tâches" && sg.Kind == SuggestTerm }) {
		t.Errorf("Suggest(micro-tach) = %+v, want the term micro-tâches", got)
	}
	// "Le M" completes titles too.
	titles := 0
	for _, sg := range suggest("Le m") {
		if sg.Kind == SuggestTitle {
			if !strings.HasPrefix(strings.ToLower(sg.Text), "le m") {
				t.Errorf("Suggest(Le m) offers the title %q", sg.Text)
			}
			titles++
		}
	}
	if titles == 0 {
		t.Errorf("Suggest(Le m) offers no title")
	}
}
