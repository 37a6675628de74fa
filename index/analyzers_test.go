package index

import (
	"slices"
	"testing"
)

// analyze returns the terms a named analyzer of the mapping produces.
func analyze(t *testing.T, name, input string) []string {
	t.Helper()
	m, err := NewMapping()
	if err != nil {
		t.Fatal(err)
	}
	a := m.AnalyzerNamed(name)
	if a == nil {
		t.Fatalf("analyzer %s is not defined", name)
	}
	terms := []string{}
	for _, tok := range a.Analyze([]byte(input)) {
		terms = append(terms, string(tok.Term))
	}
	return terms
}

// pair is the pair term of two plain words.
func pair(a, b string) string { return string(pairTerm([]byte(a), []byte(b))) }

func TestAnalyzers(t *testing.T) {
	tests := []struct {
		analyzer string
		in       string
		want     []string
	}{
		// French: lower case, then elision with ' and ’, stop words,
		// Snowball, accents folded after stemming.
		{FrenchAnalyzer, "L'uberisation", []string{"uberis"}},
		{FrenchAnalyzer, "l’ubérisation", []string{"uberis"}},
		{FrenchAnalyzer, "D’Amazon", []string{"amazon"}},
		{FrenchAnalyzer, "jusqu’au", []string{}},
		{FrenchAnalyzer, "les plateformes numériques", []string{"plateform", "numer"}},
		// Without accents, the stem of the folded word is emitted too.
		{FrenchAnalyzer, "pénibilité", []string{"penibil", "penibilit"}},
		{FrenchAnalyzer, "penibilite", []string{"penibilit"}},
		// Compounds: the parts and the joined word.
		{FrenchAnalyzer, "micro-tâches", []string{"micro", "tach", "microtach"}},
		{FrenchAnalyzer, "plates-formes", []string{"plat", "form", "plateform"}},
		// English: possessives, stop words, Snowball English.
		{EnglishAnalyzer, "Amazon's workers", []string{"amazon", "worker"}},
		{EnglishAnalyzer, "the platforms’ owners", []string{"platform", "owner"}},
		{EnglishAnalyzer, "on-demand services", []string{"demand", "ondemand", "servic"}},
		// Plain: whole words, accents folded, stop words of both languages.
		{PlainAnalyzer, "Le Micro-Travail", []string{"micro", "travail", "microtravail"}},
		{PlainAnalyzer, "microtravail", []string{"microtravail"}},
		{PlainAnalyzer, "Wikipédia est imparfait", []string{"wikipedia", "imparfait"}},
		{PlainAnalyzer, "the AI of Spare5", []string{"spare5"}},
		// Pairs: adjacent words of one phrase, stop words between them
		// ignored, none across punctuation.
		{PairsAnalyzer, "Mechanical Turk", []string{pair("mechanical", "turk")}},
		{PairsAnalyzer, "micro travail", []string{pair("micro", "travail")}},
		{PairsAnalyzer, "micro-travail", []string{pair("micro", "travail")}},
		{PairsAnalyzer, "code du travail", []string{pair("code", "travail")}},
		{PairsAnalyzer, "travail. Digital", []string{}},
		{PairsAnalyzer, "Fair Crowd Work", []string{pair("fair", "crowd"), pair("crowd", "work")}},
	}
	for _, tt := range tests {
		if got := analyze(t, tt.analyzer, tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("%s(%q) = %q, want %q", tt.analyzer, tt.in, got, tt.want)
		}
	}
}

// TestAnalyzersMatch checks that what people type and what is written
// share a term in some field.
func TestAnalyzersMatch(t *testing.T) {
	tests := []struct{ typed, written string }{
		{"uberisation", "ubérisation"},
		{"l'uberisation", "L’ubérisation"},
		{"wikipedia", "Wikipédia"},
		{"penibilite", "pénibilité"},
		{"microtravail", "micro-travail"},
		{"micro-travail", "microtravail"},
		{"microtaches", "micro-tâches"},
		{"plateformes", "plates-formes"},
		{"travailleurs", "travailleur"},
		{"Amazon", "d’Amazon"},
	}
	for _, tt := range tests {
		matched := false
		for _, a := range []string{PlainAnalyzer, FrenchAnalyzer, EnglishAnalyzer} {
			typed, written := analyze(t, a, tt.typed), analyze(t, a, tt.written)
			for _, term := range typed {
				if slices.Contains(written, term) {
					matched = true
				}
			}
		}
		if !matched {
			t.Errorf("%q does not match %q in any analyzer", tt.typed, tt.written)
		}
	}
}
