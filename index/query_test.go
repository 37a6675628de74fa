package index

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in, want string // want: Query.String()
	}{
		{"micro-travail", "micro-travail*"},
		{"micro-travail ", "micro-travail "},
		{"digital labor", "digital labor*"},
		{`"digital labor" uber`, `"digital labor" uber*`},
		{`-uber plateformes`, `-uber plateformes*`},
		{`plateformes -"digital labor"`, `plateformes -"digital labor"`},
		{`uber -travail`, `uber -travail`},
		{`"unbalanced quote`, "unbalanced quote*"},
		{`stray - minus`, "stray minus*"},
		{`- -- ---`, ""},
		{`ubéri*`, "ubéri*"},
		{`*tion`, "tion*"},
		{`uber~2`, "uber 2*"},
		{`title:captcha`, "captcha*"},
		{`(GAFAM OR Apple) AND +Google`, "(GAFAM OR Apple) Google*"},
		{`l'uberisation`, "l'uberisation*"},
		{`l’uberisation`, "l’uberisation*"},
		{`/ub.*/`, "ub*"},
		{`""`, ""},
		{``, ""},
		{"   ", ""},
		// Initials with dots are one word; an acronym is not completed.
		{"A.I.", "AI "},
		{"l'A.I. et le travail", "l'AI et le travail*"},
		{"l’I.A.", "l’IA*"},
		{"U.S.A. platforms", "USA platforms*"},
		{"a.i", "ai*"},
		{"v2.0 e.g.", "v2.0 eg*"},
		{"3.14", "3.14*"},
		{"A..I", "A..I*"},
	}
	for _, tt := range tests {
		if got := ParseQuery(tt.in).String(); got != tt.want {
			t.Errorf("ParseQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestQueryLimits(t *testing.T) {
	s := bundled(t)
	long := strings.Repeat("a", MaxQueryBytes+1)
	many := strings.Repeat("mot ", MaxQueryTerms+1)
	for _, q := range []string{long, many} {
		_, err := s.Search(context.Background(), Request{Query: q})
		if qe, ok := err.(*QueryError); !ok || qe.Field != FieldQuery {
			t.Errorf("Search(%.20q…) error = %v, want a QueryError on q", q, err)
		}
	}
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range []string{"micro-travail", `"digital labor" -uber`, `*tion`, `title:"a`, "l’uberisation", "\xff\x00", "- \"", `((("`,
		"uber OR deliveroo", "(uber | deliveroo) grève", `"digital labor" OU "travail du clic"`, "plateforme NOT uber",
		"-(a OR b) c", "(a b) OR (c d)", "a OR OR", "OR", "((((((a))))))", ")(", "a -(b -(c OR d))", "NOT (", "ubéri* OR uber",
		`IA OR "intelligence artificielle"`, "(a OR b) (c OR d) (e OR f) (g OR h) (i OR j) (k OR l)"} {
		f.Add(s)
	}
	s := bundled(f)
	f.Fuzz(func(t *testing.T, in string) {
		q := ParseQuery(in)
		var check func(terms []Term)
		check = func(terms []Term) {
			for i, term := range terms {
				if term.Group == nil && (term.Text == "" || !utf8.ValidString(term.Text)) || term.Group != nil && (term.Text != "" || len(term.Group) < 2) {
					t.Fatalf("ParseQuery(%q) holds term %+v", in, term)
				}
				if term.Or && (i == 0 || term.Exclude || terms[i-1].Exclude) {
					t.Fatalf("ParseQuery(%q) joins by OR an exclusion or nothing: %+v", in, terms)
				}
				check(term.Group)
			}
		}
		check(q.Terms)
		// Reparsing the canonical form gives the same query.
		if again := ParseQuery(q.String()).String(); again != q.String() {
			t.Fatalf("ParseQuery(%q) = %q, reparsed %q", in, q.String(), again)
		}
		// Searching never fails but for the limits, and never panics.
		if _, err := s.Search(context.Background(), Request{Query: in, Highlight: true, Facets: FacetNames()}); err != nil {
			if _, ok := err.(*QueryError); !ok {
				t.Fatalf("Search(%q): %v", in, err)
			}
		}
	})
}
