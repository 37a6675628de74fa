package index

import (
	"context"
	"slices"
	"strings"
	"testing"

	text "tacheron/corpus/analysis"
)

// wordForms are the forms under which a document holds its words: plain
// (folded) and stemmed in each paragraph's language.
type wordForms struct {
	plain map[string]bool
	stems map[text.Lang]map[string]bool
}

// formsOf reads a record's title, body and source the slow way, token by
// token, independently of the index's postings.
func formsOf(r *record) wordForms {
	f := wordForms{plain: map[string]bool{}, stems: map[text.Lang]map[string]bool{text.French: {}, text.English: {}}}
	stemmers := map[text.Lang]*text.Stemmer{text.French: text.NewStemmer(text.French), text.English: text.NewStemmer(text.English)}
	add := func(s string, lang text.Lang, stem bool) {
		for _, t := range text.Tokenize(s) {
			e := text.StripPossessive(text.Elide(text.Lower(t.Text)))
			if e == "" {
				continue
			}
			f.plain[text.Fold(e)] = true
			if stem {
				a, b := stemmers[lang].Forms(e)
				f.stems[lang][a] = true
				f.stems[lang][b] = true
			}
		}
	}
	lang := func(code string) text.Lang {
		if code == "en" || code == "e" {
			return text.English
		}
		return text.French
	}
	add(r.title, lang(r.titleLang), true)
	for i, p := range strings.Split(r.body, "\n") {
		l := text.French
		if i < len(r.paragraphLangs) {
			l = lang(r.paragraphLangs[i : i+1])
		}
		add(p, l, true)
	}
	add(r.source, text.French, false)
	return f
}

// holds reports whether forms hold word as written, folded or by stem.
func (f wordForms) holds(word string) bool {
	e := text.StripPossessive(text.Elide(text.Lower(word)))
	if f.plain[text.Fold(e)] {
		return true
	}
	for lang, stems := range f.stems {
		a, b := text.NewStemmer(lang).Forms(e)
		if stems[a] || b != "" && stems[b] {
			return true
		}
	}
	return false
}

// allRecords returns every record of a snapshot.
func allRecords(t *testing.T, s *Snapshot) []*record {
	t.Helper()
	var out []*record
	for _, doc := range s.all.ToArray() {
		r, err := s.docs.get(doc)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

func TestPrimaryCountsDocumentsWithEveryWord(t *testing.T) {
	s := bundled(t)
	records := allRecords(t, s)
	forms := make([]wordForms, len(records))
	for i, r := range records {
		forms[i] = formsOf(r)
	}
	for _, q := range []string{"syndicalisme grève ", "travail plateformes ", "Uber chauffeurs ", "Deliveroo livreurs ", "clic "} {
		words := strings.Fields(q)
		var want []string
		for i, r := range records {
			if !slices.ContainsFunc(words, func(w string) bool { return !forms[i].holds(w) }) {
				want = append(want, r.id)
			}
		}
		res := search(t, Request{Query: q, Limit: 100, Facets: []string{FacetKind}})
		var got []string
		for _, h := range res.Hits {
			if h.Match == MatchAll {
				got = append(got, h.ID)
			}
		}
		slices.Sort(got)
		slices.Sort(want)
		if res.Total != len(want) || !slices.Equal(got, want) {
			t.Errorf("Search(%q): total %d, all-word hits %v; want %d: %v", q, res.Total, got, len(want), want)
		}
		if len(res.Hits) != res.Total+res.Related {
			t.Errorf("Search(%q): %d hits, want total %d + related %d", q, len(res.Hits), res.Total, res.Related)
		}
		for i := 1; i < len(res.Hits); i++ {
			if res.Hits[i-1].Match == MatchRelated && res.Hits[i].Match == MatchAll {
				t.Errorf("Search(%q): related hit %d before one that matches all", q, i-1)
			}
		}
		kinds := 0
		for _, c := range res.Facets[FacetKind] {
			kinds += c.Count
		}
		if kinds != res.Total {
			t.Errorf("Search(%q): kind facet counts %d, want the total %d", q, kinds, res.Total)
		}
		only := search(t, Request{Query: q, Limit: 100, ExcludeRelated: true})
		if only.Total != res.Total || only.Related != 0 || len(only.Hits) != res.Total {
			t.Errorf("Search(%q, ExcludeRelated): total %d, related %d, %d hits; want %d, 0, %d", q, only.Total, only.Related, len(only.Hits), res.Total, res.Total)
		}
	}
}

func TestPrimaryConceptNamedOrNot(t *testing.T) {
	s := bundled(t)
	records := allRecords(t, s)
	// The concept's own label: its other words are the query's.
	for _, c := range []struct{ q, concept string }{{"microwork ", "micro-travail"}, {"digital labor ", "digital-labor"}} {
		want := 0
		for _, r := range records {
			f := formsOf(r)
			if slices.Contains(r.concepts, c.concept) || !slices.ContainsFunc(strings.Fields(c.q), func(w string) bool { return !f.holds(w) }) {
				want++
			}
		}
		if res := search(t, Request{Query: c.q, Limit: 1}); res.Total != want {
			t.Errorf("Search(%q): total %d, want %d (the words or the concept %s)", c.q, res.Total, want, c.concept)
		}
	}
	// Another name of the concept (a spelling, an acronym, a translation,
	// the concepts.json "names"), or a label in another number, names it
	// too: "digital labour" counts what "digital labor" counts.
	for _, c := range []struct{ q, concept string }{
		{"digital labour ", "digital-labor"}, {"travail numérique ", "digital-labor"},
		{"IA ", "intelligence-artificielle"}, {"l’IA ", "intelligence-artificielle"},
		{"platform ", "plateformes"}, {"trade union ", "syndicats"}, {"union ", "syndicats"},
		{"gig economy ", "economie-collaborative"}, {"crowdwork ", "micro-travail"},
	} {
		var want []string
		for _, r := range records {
			f := formsOf(r)
			if slices.Contains(r.concepts, c.concept) || !slices.ContainsFunc(strings.Fields(c.q), func(w string) bool { return !f.holds(w) }) {
				want = append(want, r.id)
			}
		}
		res := search(t, Request{Query: c.q, Limit: 100, ExcludeRelated: true})
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		slices.Sort(want)
		if len(want) == 0 || !slices.Equal(got, want) {
			t.Errorf("Search(%q): %v; want the documents of %s or with the words: %v", c.q, got, c.concept, want)
		}
	}
	// A concept's name written as one word, found nowhere, names it.
	if joined, apart := search(t, Request{Query: "fakenews ", Limit: 1}), search(t, Request{Query: "fake news ", Limit: 1}); joined.Total == 0 || joined.Total != apart.Total {
		t.Errorf(`Search("fakenews"): total %d, want that of "fake news", %d`, joined.Total, apart.Total)
	}
	for _, w := range []string{"fake", "fakenew", "news"} {
		if id, _ := s.squashedConcept(w); id != "" {
			t.Errorf("squashedConcept(%q) = %s, want none", w, id)
		}
	}
	// "AI" names the concept as "IA" does (the word "ai" of "j'ai" is
	// another).
	if ai, ia := search(t, Request{Query: "AI ", Limit: 1}), search(t, Request{Query: "IA ", Limit: 1}); ai.Total != ia.Total {
		t.Errorf(`Search("AI"): total %d, want that of "IA", %d`, ai.Total, ia.Total)
	}
	// A variant stands for the concept (related) but does not name it.
	want := 0
	for _, r := range records {
		if formsOf(r).holds("Deliveroo") {
			want++
		}
	}
	res := search(t, Request{Query: "Deliveroo ", Limit: 100})
	if res.Total != want {
		t.Errorf(`Search("Deliveroo"): total %d, want the %d documents with the word`, res.Total, want)
	}
	if res.Related == 0 {
		t.Errorf(`Search("Deliveroo"): no related documents, want the platforms concept's`)
	}
}

func TestPrimaryForgivesTyposOnlyInUnknownWords(t *testing.T) {
	exact := search(t, Request{Query: "plateformes ", Limit: 1})
	typo := search(t, Request{Query: "plateformmes ", Limit: 1})
	if exact.Total == 0 || typo.Total != exact.Total {
		t.Errorf("total of a typo %d, of the word %d; want equal and not 0", typo.Total, exact.Total)
	}
	if _, err := bundled(t).Search(context.Background(), Request{Query: "the of "}); err != nil {
		t.Fatal(err)
	}
}

// TestPrimaryCompleteWordBeingTyped: a last word that starts no word of
// the index is complete, in a form the documents do not hold ("salariées"
// for "salariés"): typed, it matches as it does once a space follows.
func TestPrimaryCompleteWordBeingTyped(t *testing.T) {
	for _, q := range []string{"salariées", "indépendantes", "sociologues", "chercheuses"} {
		done := search(t, Request{Query: q + " ", Limit: 100})
		typed := search(t, Request{Query: q, Limit: 100})
		if done.Total == 0 || typed.Total != done.Total {
			t.Errorf("total of %q being typed %d, finished %d; want equal and not 0", q, typed.Total, done.Total)
		}
	}
	// A word being typed that starts words still stands for them alone:
	// "ubéri" is not "uber".
	res := search(t, Request{Query: "ubéri", Limit: 100})
	for _, h := range res.Hits {
		if h.Match == MatchAll && !slices.Contains(h.Concepts, "uberisation") {
			t.Errorf(`Search("ubéri"): %s matches all, without ubérisation`, h.ID)
		}
	}
}

func TestPhraseByStems(t *testing.T) {
	written := search(t, Request{Query: `"plateformes numériques"`, Limit: 100})
	stems := search(t, Request{Query: `"plateforme numérique"`, Limit: 100})
	if written.Total == 0 || stems.Total != written.Total {
		t.Errorf(`"plateforme numérique": %d documents, "plateformes numériques" %d; want the same, not 0`, stems.Total, written.Total)
	}
	// The words of a phrase apart are not the phrase.
	apart := search(t, Request{Query: "plateforme numérique ", Limit: 100, ExcludeRelated: true})
	if apart.Total <= stems.Total {
		t.Fatalf("words: %d documents, phrase %d: the test says nothing", apart.Total, stems.Total)
	}
	s := bundled(t)
	p, err := s.planQuery(context.Background(), ParseQuery(`"plateforme numérique"`))
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range apart.Hits {
		rec, err := s.docs.get(s.docNumber(t, h.ID))
		if err != nil {
			t.Fatal(err)
		}
		text := strings.ToLower(rec.title + " " + strings.ReplaceAll(rec.body, "\n", " "))
		holds := strings.Contains(text, "plateforme numérique") || strings.Contains(text, "plateformes numériques")
		found := slices.ContainsFunc(stems.Hits, func(x Hit) bool { return x.ID == h.ID })
		if holds != found || s.holdsPhrase(rec, p.phrases[0]) != holds {
			t.Errorf("%s: holds the phrase %v, found %v", h.ID, holds, found)
		}
	}
}

// docNumber returns the internal number of a document.
func (s *Snapshot) docNumber(t *testing.T, id string) uint32 {
	t.Helper()
	for _, doc := range s.all.ToArray() {
		if r, err := s.docs.get(doc); err == nil && r.id == id {
			return doc
		}
	}
	t.Fatalf("no document %s", id)
	return 0
}

// TestPrimaryOtherGender: a French noun of agent finds its other gender,
// which Snowball stems apart ("travailleuses" → "travaill", "travailleurs"
// → "travailleur").
func TestPrimaryOtherGender(t *testing.T) {
	s := bundled(t)
	records := allRecords(t, s)
	for _, c := range []struct{ q, other string }{{"travailleuses ", "travailleurs"}, {"chercheurs ", "chercheuse"}, {"modératrices ", "modérateurs"}} {
		res := search(t, Request{Query: c.q, Limit: 100, ExcludeRelated: true})
		found := 0
		for _, r := range records {
			if !formsOf(r).plain[text.Fold(c.other)] {
				continue
			}
			found++
			if !slices.ContainsFunc(res.Hits, func(h Hit) bool { return h.ID == r.id }) {
				t.Errorf("Search(%q) misses %s, which holds %q", c.q, r.id, c.other)
			}
		}
		if found == 0 {
			t.Errorf("no document holds %q", c.other)
		}
	}
	for _, tt := range []struct {
		word string
		want []string
	}{
		{"travailleuses", []string{"travailleur", "travailleurs"}},
		{"moderatrice", []string{"moderateur", "moderateurs"}},
		{"chercheur", []string{"chercheuse", "chercheuses"}},
		{"moderateurs", []string{"moderateuse", "moderateuses", "moderatrice", "moderatrices"}},
		{"peur", nil}, // too short to be a noun of agent
		{"plateforme", nil},
	} {
		if got := otherGender(tt.word); !slices.Equal(got, tt.want) {
			t.Errorf("otherGender(%q) = %q, want %q", tt.word, got, tt.want)
		}
	}
}
