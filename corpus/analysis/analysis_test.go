package analysis

import (
	"slices"
	"testing"
)

func TestTokenize(t *testing.T) {
	tests := []struct {
		in   string
		want []string // token texts; joined compounds marked with a leading +
	}{
		{"Digital labor", []string{"Digital", "labor"}},
		{"le micro-travail", []string{"le", "micro", "travail", "+microtravail"}},
		{"les plates-formes", []string{"les", "plates", "formes", "+plateformes"}},
		{"l’uberisation et l'automation", []string{"l’uberisation", "et", "l'automation"}},
		{"Amazon's workers", []string{"Amazon's", "workers"}},
		{"Spare5 (récemment rebaptisée Mighty AI)", []string{"Spare5", "récemment", "rebaptisée", "Mighty", "AI"}},
		{"« Captcha » -- fin", []string{"Captcha", "fin"}},
		{"‘sympathiques’", []string{"sympathiques"}},
		{"a-b-c-d-e", []string{"a", "b", "c", "d", "e"}},
		{"", nil},
	}
	for _, tt := range tests {
		var got []string
		for _, tok := range Tokenize(tt.in) {
			if tok.Joined {
				got = append(got, "+"+tok.Text)
			} else {
				got = append(got, tok.Text)
			}
			if !tok.Joined && tt.in[tok.Start:tok.End] != tok.Text {
				t.Errorf("Tokenize(%q): token %q has offsets %d:%d", tt.in, tok.Text, tok.Start, tok.End)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestTokenizePositions(t *testing.T) {
	toks := Tokenize("code du travail. Digital")
	// code 1, du 2, travail 3, then a sentence break.
	if toks[2].Position != 3 || toks[3].Position-toks[2].Position != BreakGap {
		t.Errorf("positions = %d, %d; want 3 and 3+BreakGap", toks[2].Position, toks[3].Position)
	}
}

func TestAnalyzer(t *testing.T) {
	fr := NewAnalyzer(French, true, false)
	en := NewAnalyzer(English, true, false)
	plain := NewAnalyzer(Any, false, false)
	tests := []struct {
		a    *Analyzer
		in   string
		want []string
	}{
		// Elision with both apostrophes; lower case before elision.
		{fr, "L’uberisation", []string{"uberis"}},
		{fr, "l'ubérisation", []string{"uberis"}},
		{fr, "qu’il jusqu’à lorsqu'un", []string{}},
		// Plurals.
		{fr, "plateformes plateforme", []string{"plateform", "plateform"}},
		{en, "platforms platform", []string{"platform", "platform"}},
		// Compounds: parts and the joined word; folding comes last.
		{plain, "micro-travail", []string{"micro", "travail", "microtravail"}},
		{plain, "microtravail", []string{"microtravail"}},
		{fr, "micro-tâches", []string{"micro", "tach", "microtach"}},
		// English possessives.
		{en, "Amazon's Mechanical Turk", []string{"amazon", "mechan", "turk"}},
		{en, "Automation’s last mile", []string{"autom", "last", "mile"}},
		// Stop words of both languages in the plain analyzer.
		{plain, "le digital labor et the platform", []string{"digital", "labor", "platform"}},
	}
	for _, tt := range tests {
		got := []string{}
		for _, term := range tt.a.Terms(tt.in) {
			got = append(got, term.Term)
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s Terms(%q) = %q, want %q", tt.a.Lang(), tt.in, got, tt.want)
		}
	}
}

// TestAnalyzerEquivalence checks what users type against what is written:
// both must analyse to the same terms.
func TestAnalyzerEquivalence(t *testing.T) {
	fr := NewAnalyzer(French, true, false)
	en := NewAnalyzer(English, true, false)
	tests := []struct {
		a          *Analyzer
		typed, doc string
	}{
		{fr, "uberisation", "ubérisation"},
		{fr, "wikipedia", "Wikipédia"},
		{fr, "l'uberisation", "L’ubérisation"},
		{fr, "microtaches", "microtâche"},
		{fr, "micro-tâches", "micro-tâche"},
		{fr, "travailleurs", "travailleur"},
		{en, "workers", "worker’s"},
		{en, "platforms", "platform"},
	}
	terms := func(a *Analyzer, s string) []string {
		var out []string
		for _, term := range a.Terms(s) {
			out = append(out, term.Term)
		}
		return out
	}
	for _, tt := range tests {
		if got, want := terms(tt.a, tt.typed), terms(tt.a, tt.doc); !slices.Equal(got, want) {
			t.Errorf("%s: %q → %q but %q → %q", tt.a.Lang(), tt.typed, got, tt.doc, want)
		}
	}
}

func TestElide(t *testing.T) {
	tests := map[string]string{
		"l'uberisation": "uberisation", "l’uberisation": "uberisation", "d'amazon": "amazon",
		"qu’il": "il", "jusqu'ici": "ici", "lorsqu’un": "un", "aujourd'hui": "aujourd'hui",
		"amazon's": "amazon's", "c’est": "est", "n'importe": "importe", "s'inscrire": "inscrire",
	}
	for in, want := range tests {
		if got := Elide(in); got != want {
			t.Errorf("Elide(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"ubérisation": "uberisation", "cœur": "coeur", "Wikipédia": "Wikipedia", "garçon": "garcon",
		"l’été": "l'ete", "naïve": "naive", "ascii": "ascii", "Ἀθῆναι": "Αθηναι",
	}
	for in, want := range tests {
		if got := Fold(in); got != want {
			t.Errorf("Fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestAppendPlain(t *testing.T) {
	for _, w := range []string{"L’Ubérisation", "Amazon's", "WORKERS’", "Cœur", "d'IBM", "Ελλάδα", "plain"} {
		want := Fold(StripPossessive(Elide(Lower(w))))
		if got := string(AppendPlain(nil, w)); got != want {
			t.Errorf("AppendPlain(%q) = %q, want %q", w, got, want)
		}
	}
}

func TestDetectLanguage(t *testing.T) {
	tests := []struct {
		in   string
		want Lang
	}{
		{"Le micro-travail est une forme de travail des plateformes.", French},
		{"On-demand digital labor has become the core operating system for a range of services.", English},
		{"Title: What is Going On Behind the API?", English},
		{"Speaker: Mary L. Gray", "?"},
		{"Louis-David Benyayer (Without Model) et Simon Chignard (Etalab)", "?"},
	}
	for _, tt := range tests {
		if got := DetectLanguage(tt.in, "?"); got != tt.want {
			t.Errorf("DetectLanguage(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestJoinCompound(t *testing.T) {
	tests := []struct {
		parts []string
		want  string
	}{
		{[]string{"plates", "formes"}, "plateformes"},
		{[]string{"micro", "tâches"}, "microtâches"},
		{[]string{"on", "demand"}, "ondemand"},
		{[]string{"travaux", "pratiques"}, "travaupratiques"},
	}
	for _, tt := range tests {
		if got := JoinCompound(tt.parts); got != tt.want {
			t.Errorf("JoinCompound(%q) = %q, want %q", tt.parts, got, tt.want)
		}
	}
}
