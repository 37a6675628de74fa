package index

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
)

func TestParseQueryBoolean(t *testing.T) {
	tests := []struct {
		in, want string // want: Query.String()
	}{
		{"uber OR deliveroo", "uber OR deliveroo*"},
		{"uber OR deliveroo ", "uber OR deliveroo "},
		{"uber | deliveroo ", "uber OR deliveroo "},
		{"uber||deliveroo ", "uber OR deliveroo "},
		{"uber OU deliveroo ", "uber OR deliveroo "},
		{"a OR b OR c ", "a OR b OR c "},
		// Lower-case "or", "ou", "et" are words.
		{"or ou et ", "or ou et "},
		{"travail ou emploi ", "travail ou emploi "},
		{`"digital labor" OR "travail du clic"`, `"digital labor" OR "travail du clic"`},
		{"ubéri* OR uber ", "ubéri* OR uber "},
		// Groups; OR binds tighter than the implicit AND.
		{"(uber | deliveroo) grève ", "(uber OR deliveroo) grève "},
		{"grève (uber OR deliveroo)", "grève (uber OR deliveroo)"},
		{"a b OR c ", "a b OR c "},
		{"(a b) OR c ", "(a b) OR c "},
		{"(GAFAM OR Apple) AND +Google", "(GAFAM OR Apple) Google*"},
		{"uber ET deliveroo & glovo ", "uber deliveroo glovo "},
		// Exclusions: -, NOT, SAUF; a group.
		{"plateforme NOT uber ", "plateforme -uber"},
		{"plateforme SAUF uber ", "plateforme -uber"},
		{"plateforme -(uber OR deliveroo)", "plateforme -(uber OR deliveroo)"},
		{"plateforme NOT (uber OR deliveroo) ", "plateforme -(uber OR deliveroo)"},
		{`plateforme NOT "digital labor"`, `plateforme -"digital labor"`},
		// An exclusion is no alternative.
		{"uber OR -deliveroo ", "uber -deliveroo"},
		{"-uber OR deliveroo ", "-uber deliveroo "},
		// Degraded: operators at the ends, doubled, alone.
		{"OR uber ", "uber "},
		{"uber OR", "uber "},
		{"uber OR ", "uber "},
		{"uber OR OR deliveroo ", "uber OR deliveroo "},
		{"uber AND OR deliveroo ", "uber OR deliveroo "},
		{"uber NOT", "uber "},
		{"OR", "OR "},
		{"OR AND ", "OR AND "},
		{"NOT", "NOT "},
		{"| ( )", ""},
		// Parentheses: unbalanced, empty, one term, nested.
		{"(uber OR deliveroo", "(uber OR deliveroo*)"},
		{"uber OR deliveroo)", "uber OR deliveroo "},
		{"() uber ", "uber "},
		{"(uber) ", "uber "},
		{"((uber OR deliveroo)) ", "(uber OR deliveroo)"},
		{"(a (b OR c)) OR d ", "(a (b OR c)) OR d "},
		{"(((((a OR b))))) c ", "(a OR b) c "},
		// An operator with a '*' or a '-' is a word.
		{"uber OR* ", "uber OR*"},
		{"uber -OR ", "uber -OR"},
		{`"OR"`, `"OR"`},
		// Typing inside a group, after a phrase.
		{"(uber OR deliv", "(uber OR deliv*)"},
		{`"digital labor" OR ub`, `"digital labor" OR ub*`},
		{"IA OR AI", "IA OR AI "},
	}
	for _, tt := range tests {
		q := ParseQuery(tt.in)
		if got := q.String(); got != tt.want {
			t.Errorf("ParseQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
		if again := ParseQuery(q.String()); !slices.EqualFunc(again.Terms, q.Terms, equalTerms) {
			t.Errorf("ParseQuery(%q) = %+v; reparsed from %q: %+v", tt.in, q.Terms, q.String(), again.Terms)
		}
	}
}

// equalTerms compares two terms and their groups.
func equalTerms(a, b Term) bool {
	return a.Text == b.Text && a.Phrase == b.Phrase && a.Exclude == b.Exclude && a.Prefix == b.Prefix && a.Or == b.Or &&
		(a.Group == nil) == (b.Group == nil) && slices.EqualFunc(a.Group, b.Group, equalTerms)
}

func TestQueryLimitsCountAlternatives(t *testing.T) {
	q := strings.TrimSuffix(strings.Repeat("mot OR ", MaxQueryTerms/2)+strings.Repeat("(mot) ", MaxQueryTerms/2+1), " ")
	if err := CheckQuery(q); err == nil {
		t.Errorf("CheckQuery(%d words in alternatives and groups) = nil, want a QueryError", MaxQueryTerms+1)
	}
	if err := CheckQuery(strings.Repeat("mot OR ", MaxQueryTerms-1) + "mot"); err != nil {
		t.Errorf("CheckQuery(%d alternatives) = %v", MaxQueryTerms, err)
	}
}

// hitSet returns the ids of the primary set of q, every reprint kept.
func hitSet(t *testing.T, s *Snapshot, q string) map[string]bool {
	t.Helper()
	ids, res := searchAll(t, s, Request{Query: q, ExcludeRelated: true, NoCollapse: true})
	if res.Total != len(ids) {
		t.Fatalf("%q: total %d, %d hits", q, res.Total, len(ids))
	}
	set := map[string]bool{}
	for _, id := range ids {
		set[id] = true
	}
	return set
}

func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		maps.Copy(out, s)
	}
	return out
}

func intersection(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for id := range a {
		if b[id] {
			out[id] = true
		}
	}
	return out
}

func sortedIDs(set map[string]bool) []string { return slices.Sorted(maps.Keys(set)) }

// TestOrIsTheUnion checks that alternatives find exactly the union of
// what each finds alone, for words, phrases, prefixes, concepts, typos and
// chains, whatever the operator's spelling.
func TestOrIsTheUnion(t *testing.T) {
	s := bundled(t)
	tests := []struct {
		query string
		alone []string
	}{
		{"uber OR deliveroo ", []string{"uber ", "deliveroo "}},
		{"uber | deliveroo ", []string{"uber ", "deliveroo "}},
		{"uber OU deliveroo ", []string{"uber ", "deliveroo "}},
		{"uber OR deliveroo OR glovo ", []string{"uber ", "deliveroo ", "glovo "}},
		{`"digital labor" OR "travail du clic"`, []string{`"digital labor"`, `"travail du clic"`}},
		{`"digital labor" OR uberisation `, []string{`"digital labor"`, "uberisation "}},
		{"ubéri* OR deliveroo ", []string{"ubéri* ", "deliveroo "}},
		{`IA OR "intelligence artificielle"`, []string{"IA ", `"intelligence artificielle"`}},
		{"intelligence artificielle OR plateformes ", []string{"intelligence ", "artificielle OR plateformes "}},
		{"syndicats OR grèves ", []string{"syndicats ", "grèves "}},
		{"plateformes OR platforms ", []string{"plateformes ", "platforms "}},
		{"modérateurs OR moderators ", []string{"modérateurs ", "moderators "}},
		{"Deliveroo OR livreur ", []string{"Deliveroo ", "livreur "}},
		{"algorithme OR algoritm ", []string{"algorithme ", "algoritm "}},
	}
	for _, tt := range tests {
		var sets []map[string]bool
		for _, q := range tt.alone {
			sets = append(sets, hitSet(t, s, q))
		}
		want := union(sets...)
		if tt.query == "intelligence artificielle OR plateformes " {
			// intelligence ∧ (artificielle ∨ plateformes)
			want = intersection(sets[0], sets[1])
		}
		got := hitSet(t, s, tt.query)
		if len(want) == 0 {
			t.Errorf("%q: the alternatives find nothing: the case tests nothing", tt.query)
		}
		if !slices.Equal(sortedIDs(got), sortedIDs(want)) {
			t.Errorf("%q: %d hits %v, want the union of %q: %d %v", tt.query, len(got), sortedIDs(got), tt.alone, len(want), sortedIDs(want))
		}
	}
}

// TestOrBeyondEach checks that alternatives find what each finds and more
// than the words together (the cases above test something).
func TestOrBeyondEach(t *testing.T) {
	s := bundled(t)
	u, d := hitSet(t, s, "uber "), hitSet(t, s, "deliveroo ")
	either := hitSet(t, s, "uber OR deliveroo ")
	and := hitSet(t, s, "uber deliveroo ")
	if len(either) < len(u) || len(either) < len(d) || len(and) >= len(either) {
		t.Errorf("uber OR deliveroo: %d hits; uber %d, deliveroo %d, uber deliveroo %d", len(either), len(u), len(d), len(and))
	}
}

// TestGroupsAndExclusions checks groups against the sets of their words.
func TestGroupsAndExclusions(t *testing.T) {
	s := bundled(t)
	set := func(q string) map[string]bool { return hitSet(t, s, q) }
	uber, deliveroo, plateforme := set("uber "), set("deliveroo "), set("plateforme ")
	tests := []struct {
		query string
		want  map[string]bool
	}{
		{"(uber OR deliveroo) travail ", intersection(union(uber, deliveroo), set("travail "))},
		{"travail (uber OR deliveroo)", intersection(union(uber, deliveroo), set("travail "))},
		{"travail AND (uber OR deliveroo)", intersection(union(uber, deliveroo), set("travail "))},
		{"(uber travail) OR deliveroo ", union(intersection(uber, set("travail ")), deliveroo)},
		{"(uber travail) OR (deliveroo livreurs)", union(intersection(uber, set("travail ")), intersection(deliveroo, set("livreurs ")))},
		{"((uber OR deliveroo) travail) OR plateformes ", union(intersection(union(uber, deliveroo), set("travail ")), set("plateformes "))},
		{"plateforme NOT uber ", set("plateforme -uber ")},
		{"plateforme SAUF uber ", set("plateforme -uber ")},
		{"plateforme -(uber OR deliveroo)", set("plateforme -uber -deliveroo ")},
		{"plateforme NOT (uber OR deliveroo) ", set("plateforme -uber -deliveroo ")},
	}
	for _, tt := range tests {
		if len(tt.want) == 0 {
			t.Errorf("%q: nothing expected: the case tests nothing", tt.query)
		}
		if got := set(tt.query); !slices.Equal(sortedIDs(got), sortedIDs(tt.want)) {
			t.Errorf("%q: %d hits %v, want %d %v", tt.query, len(got), sortedIDs(got), len(tt.want), sortedIDs(tt.want))
		}
	}
	// -(a b) leaves out the documents with both, not those with one: what
	// -a keeps and what -b keeps.
	want := union(set("plateforme -uber "), set("plateforme -travail "))
	got := set("plateforme -(uber travail)")
	if len(got) == len(plateforme) || !slices.Equal(sortedIDs(got), sortedIDs(want)) {
		t.Errorf("plateforme -(uber travail): %d hits %v, want %d %v (plateforme alone: %d)", len(got), sortedIDs(got), len(want), sortedIDs(want), len(plateforme))
	}
}

// TestOrRanksMoreAlternativesFirst checks that a document matching both
// alternatives ranks above those matching one.
func TestOrRanksMoreAlternativesFirst(t *testing.T) {
	s := bundled(t)
	both := intersection(hitSet(t, s, "uber "), hitSet(t, s, "deliveroo "))
	if len(both) == 0 {
		t.Fatal("no document with uber and deliveroo: the test tests nothing")
	}
	ids, _ := searchAll(t, s, Request{Query: "uber OR deliveroo ", ExcludeRelated: true, NoCollapse: true})
	for i, id := range ids {
		if i < len(both) != both[id] {
			t.Errorf("uber OR deliveroo: hit %d is %s (with both: %v); the %d with both first", i, id, both[id], len(both))
		}
	}
}

// TestOrFacetsAndHighlights checks that facets count the union, and that
// highlights mark every alternative that matched.
func TestOrFacetsAndHighlights(t *testing.T) {
	s := bundled(t)
	docs := bundledDocuments(t)
	q := "uber OR deliveroo "
	want := union(hitSet(t, s, "uber "), hitSet(t, s, "deliveroo "))
	res, err := s.Search(context.Background(), Request{Query: q, ExcludeRelated: true, NoCollapse: true, Limit: MaxLimit,
		Highlight: true, Facets: []string{FacetSource, FacetKind}, FacetSize: MaxFacetSize})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != len(want) {
		t.Fatalf("%q: total %d, want %d", q, res.Total, len(want))
	}
	for _, facet := range []struct {
		name  string
		value func(id string) string
	}{
		{FacetSource, func(id string) string { return docs[id].Source }},
		{FacetKind, func(id string) string { return string(docs[id].Kind) }},
	} {
		counts := map[string]int{}
		for id := range want {
			counts[facet.value(id)]++
		}
		got := map[string]int{}
		for _, fc := range res.Facets[facet.name] {
			got[fc.Value] = fc.Count
		}
		if !maps.Equal(got, counts) {
			t.Errorf("%q: facet %s %v, want %v", q, facet.name, got, counts)
		}
	}
	marked := map[string]bool{}
	for _, h := range res.Hits {
		text := strings.ToLower(strings.Join(slices.Concat(h.Highlights["title"], h.Highlights["body"]), " "))
		for _, w := range []string{"uber", "deliveroo"} {
			if strings.Contains(text, "<mark>"+w) {
				marked[w] = true
			}
		}
		if !strings.Contains(text, "<mark>") {
			t.Errorf("%q: hit %s has nothing marked", q, h.ID)
		}
	}
	if !marked["uber"] || !marked["deliveroo"] {
		t.Errorf("%q: the highlights mark %v, want both alternatives", q, marked)
	}
}

// TestOrSuggestKeepsOperators checks that completing the last word keeps
// the operators before it.
func TestOrSuggestKeepsOperators(t *testing.T) {
	s := bundled(t)
	out, err := s.Suggest(context.Background(), "uber OR delivero", 8, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(out, func(sg Suggestion) bool { return strings.EqualFold(sg.Text, "uber OR deliveroo") }) {
		t.Errorf("Suggest(uber OR delivero) = %+v, want uber OR deliveroo", out)
	}
	out, err = s.Suggest(context.Background(), "(uber OR delivero", 8, "fr")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(out, func(sg Suggestion) bool { return strings.EqualFold(sg.Text, "(uber OR deliveroo") }) {
		t.Errorf("Suggest((uber OR delivero) = %+v, want (uber OR deliveroo", out)
	}
	// A group written whole is not completed, nor cut.
	for _, q := range []string{"(uber OR deliveroo)", "uber OR "} {
		out, err = s.Suggest(context.Background(), q, 8, "fr")
		if err != nil {
			t.Fatal(err)
		}
		if slices.ContainsFunc(out, func(sg Suggestion) bool { return sg.Kind == SuggestTerm }) {
			t.Errorf("Suggest(%q) = %+v, want no completion", q, out)
		}
	}
}

func TestLiteralQuery(t *testing.T) {
	tests := []struct{ in, want string }{
		{"uber OR deliveroo ", "uber or deliveroo "},
		{"(uber | deliveroo) grève ", "uber deliveroo grève "},
		{"plateforme NOT uber ", "plateforme not uber "},
		{"plateforme -(uber OU deliveroo) ", "plateforme uber ou deliveroo "},
		{`"digital labor" OR "travail du clic"`, `"digital labor" or "travail du clic"`},
		{`"a OR b" ET c `, `"a OR b" et c `},
		{"uber -OR* ", "uber -OR*"},
		{"-uber ", "-uber"},
	}
	for _, tt := range tests {
		lit := LiteralQuery(tt.in)
		if got := ParseQuery(lit).String(); got != tt.want {
			t.Errorf("ParseQuery(LiteralQuery(%q) = %q) = %q, want %q", tt.in, lit, got, tt.want)
		}
		if got, want := ParseQuery(lit).String(), parseQuery(lit, false).String(); got != want {
			t.Errorf("LiteralQuery(%q) = %q holds operators: %q, as words %q", tt.in, lit, got, want)
		}
	}
}

// TestOrInExport checks that the export, which selects as the analyses
// do, finds the union too.
func TestOrInExport(t *testing.T) {
	s := bundled(t)
	want := union(hitSet(t, s, "uber "), hitSet(t, s, "deliveroo "))
	got := map[string]bool{}
	total := -1
	err := s.Export(context.Background(), Request{Query: "uber OR deliveroo ", ExcludeRelated: true, NoCollapse: true}, 1000,
		func(n, _ int) error { total = n; return nil },
		func(r Record) error { got[r.ID] = true; return nil })
	if err != nil {
		t.Fatal(err)
	}
	if total != len(want) || !slices.Equal(sortedIDs(got), sortedIDs(want)) {
		t.Errorf("export of uber OR deliveroo: total %d, %v; want %d %v", total, sortedIDs(got), len(want), sortedIDs(want))
	}
}

// TestOptionalAndRequiredPhrases checks a query with a phrase every hit
// holds and a phrase that is an alternative: the hits are the documents
// with the first; those with the second or the word too are the total.
func TestOptionalAndRequiredPhrases(t *testing.T) {
	s := bundled(t)
	q := `"digital labor" ("travail du clic" OR uberisation)`
	dl := hitSet(t, s, `"digital labor"`)
	want := intersection(dl, union(hitSet(t, s, `"travail du clic"`), hitSet(t, s, "uberisation ")))
	if len(want) == 0 || len(want) == len(dl) {
		t.Errorf("%s: %d of the %d documents with the phrase are expected: the case tests nothing", q, len(want), len(dl))
	}
	if got := hitSet(t, s, q); !slices.Equal(sortedIDs(got), sortedIDs(want)) {
		t.Errorf("%s: %v, want %v", q, sortedIDs(got), sortedIDs(want))
	}
	all, _ := searchAll(t, s, Request{Query: q, NoCollapse: true})
	if !slices.Equal(slices.Sorted(slices.Values(all)), sortedIDs(dl)) {
		t.Errorf("%s: hits and related %v, want the documents with the phrase %v", q, slices.Sorted(slices.Values(all)), sortedIDs(dl))
	}
}
