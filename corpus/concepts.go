package corpus

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"maps"
	"slices"
	"strings"

	"tacheron/corpus/analysis"
)

// A Concept is an entry of the taxonomy: what journalists facet on.
type Concept struct {
	// ID is a slug: "micro-travail".
	ID string `json:"id"`
	// Labels name the concept in French ("fr") and English ("en").
	Labels map[string]string `json:"labels"`
	// Variants are words or phrases that signal the concept in either
	// language.
	Variants []string `json:"variants"`
	// VariantsByLang are variants that signal it only in text of one
	// language ("AI" in English; in French "ai" is a verb).
	VariantsByLang map[analysis.Lang][]string `json:"variants_by_lang,omitempty"`
	// Names are the variants that name the concept as its labels do — another
	// spelling, an acronym, a translation ("digital labour", "IA", "trade
	// union") — rather than signal it ("Deliveroo" for the platforms): a
	// query holding one asks for the concept itself. Each is also a
	// variant.
	Names []string `json:"names,omitempty"`
}

// Label returns the concept's label in lang, or its id.
func (c *Concept) Label(lang string) string {
	if l := c.Labels[lang]; l != "" {
		return l
	}
	if l := c.Labels["fr"]; l != "" {
		return l
	}
	return c.ID
}

// maxVariantWords bounds the words of a variant.
const maxVariantWords = 5

// A Taxonomy is the list of concepts and the matcher that finds them in text.
// Matching runs on analysed text: stems, elisions and accents do not matter,
// and "micro-travail", "microtravail" and "micro travail" are the same.
type Taxonomy struct {
	Concepts []Concept
	byID     map[string]int
	// keys maps, per language, the concatenated analysed words of a
	// variant to the concepts it signals.
	keys map[analysis.Lang]map[string][]int
	// prefixes holds every prefix of every key: a window of words whose
	// concatenation is not one cannot grow into a match.
	prefixes  map[analysis.Lang]map[string]bool
	analyzers map[analysis.Lang]*analysis.Analyzer
	maxWords  int
	// nameKeys maps, per language, the Key of each label and name to the
	// concepts it names.
	nameKeys map[analysis.Lang]map[string][]int
}

// LoadTaxonomy reads a taxonomy (a JSON array of concepts) from a file.
func LoadTaxonomy(fsys fs.FS, name string) (*Taxonomy, error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read taxonomy: %w", err)
	}
	var concepts []Concept
	if err := json.Unmarshal(data, &concepts); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	t, err := NewTaxonomy(concepts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return t, nil
}

// NewTaxonomy prepares concepts for matching.
func NewTaxonomy(concepts []Concept) (*Taxonomy, error) {
	t := &Taxonomy{
		Concepts:  concepts,
		byID:      make(map[string]int),
		keys:      make(map[analysis.Lang]map[string][]int),
		nameKeys:  make(map[analysis.Lang]map[string][]int),
		prefixes:  make(map[analysis.Lang]map[string]bool),
		analyzers: make(map[analysis.Lang]*analysis.Analyzer),
	}
	langs := []analysis.Lang{analysis.French, analysis.English}
	for _, lang := range langs {
		t.keys[lang] = make(map[string][]int)
		t.nameKeys[lang] = make(map[string][]int)
		t.prefixes[lang] = make(map[string]bool)
		t.analyzers[lang] = analysis.NewAnalyzer(lang, true, true)
	}
	for i, c := range concepts {
		if c.ID == "" || c.ID != slug(c.ID) {
			return nil, fmt.Errorf("concept %d: id %q is not a slug", i+1, c.ID)
		}
		if _, dup := t.byID[c.ID]; dup {
			return nil, fmt.Errorf("concept %q defined twice", c.ID)
		}
		t.byID[c.ID] = i
		for _, lang := range langs {
			variants := append(slices.Clone(c.Variants), c.VariantsByLang[lang]...)
			variants = append(variants, c.Labels["fr"], c.Labels["en"])
			for _, v := range variants {
				words := 0
				var key strings.Builder
				for _, term := range t.analyzers[lang].Terms(v) {
					if !term.Joined {
						key.WriteString(term.Term)
						words++
					}
				}
				if words == 0 {
					continue
				}
				if words > maxVariantWords {
					return nil, fmt.Errorf("concept %q: variant %q has more than %d words", c.ID, v, maxVariantWords)
				}
				t.maxWords = max(t.maxWords, words)
				k := key.String()
				if !slices.Contains(t.keys[lang][k], i) {
					t.keys[lang][k] = append(t.keys[lang][k], i)
				}
				for n := 1; n <= len(k); n++ {
					t.prefixes[lang][k[:n]] = true
				}
			}
		}
	}
	for i, c := range concepts {
		for _, n := range c.Names {
			if !c.signals(n) {
				return nil, fmt.Errorf("concept %q: name %q is not one of its labels or variants", c.ID, n)
			}
		}
		for _, lang := range langs {
			for _, n := range slices.Concat(slices.Collect(maps.Values(c.Labels)), c.Names) {
				if k := t.Key(n, lang); k != "" && !slices.Contains(t.nameKeys[lang][k], i) {
					t.nameKeys[lang][k] = append(t.nameKeys[lang][k], i)
				}
			}
		}
		for lang := range c.VariantsByLang {
			if lang != analysis.French && lang != analysis.English {
				return nil, fmt.Errorf("concept %q: variants_by_lang: unknown language %q", c.ID, lang)
			}
		}
	}
	return t, nil
}

// signals reports whether v is one of the concept's labels or variants.
func (c *Concept) signals(v string) bool {
	if slices.Contains(c.Variants, v) || c.Labels["fr"] == v || c.Labels["en"] == v {
		return true
	}
	for _, vs := range c.VariantsByLang {
		if slices.Contains(vs, v) {
			return true
		}
	}
	return false
}

// Key returns the words of s as the taxonomy matches them in lang (French
// when lang is neither): stemmed, folded and run together, so that two
// forms of one name ("platform", "platforms") have the same key.
func (t *Taxonomy) Key(s string, lang analysis.Lang) string {
	if lang != analysis.English {
		lang = analysis.French
	}
	var key strings.Builder
	for _, term := range t.analyzers[lang].Terms(s) {
		if !term.Joined {
			key.WriteString(term.Term)
		}
	}
	return key.String()
}

// NamedBy reports whether s is one of the labels or names of concept id
// in another form ("platform" for "platforms"): its Key, in French or in
// English, is one of theirs.
func (t *Taxonomy) NamedBy(id, s string) bool {
	i, ok := t.byID[id]
	if !ok {
		return false
	}
	for _, lang := range []analysis.Lang{analysis.French, analysis.English} {
		if k := t.Key(s, lang); k != "" && slices.Contains(t.nameKeys[lang][k], i) {
			return true
		}
	}
	return false
}

// Concept returns the concept of id.
func (t *Taxonomy) Concept(id string) (*Concept, bool) {
	i, ok := t.byID[id]
	if !ok {
		return nil, false
	}
	return &t.Concepts[i], true
}

// A Match is one occurrence of a concept in a text.
type Match struct {
	Concept    string
	Start, End int
	// First and Last are the positions of the first and last matched words.
	First, Last int
}

// Match finds the concepts signalled in text of language lang (French when
// lang is neither), longest variant first.
func (t *Taxonomy) Match(text string, lang analysis.Lang) []Match {
	if lang != analysis.English {
		lang = analysis.French
	}
	return t.MatchTerms(t.analyzers[lang].Terms(text), lang)
}

// MatchTerms is Match given the terms of the text: its words as written,
// lower-cased, without elision or possessive, Snowball-stemmed in lang
// (French when lang is neither) and folded, stop words kept — as an
// analysis.Analyzer of lang with stem and keepStop makes them.
func (t *Taxonomy) MatchTerms(terms []analysis.Term, lang analysis.Lang) []Match {
	if lang != analysis.English {
		lang = analysis.French
	}
	keys := t.keys[lang]
	var matches []Match
	words := make([]analysis.Term, 0, len(terms))
	for _, term := range terms {
		if term.Joined {
			// A hyphenated compound also matches as one word.
			for _, c := range keys[term.Term] {
				matches = append(matches, Match{Concept: t.Concepts[c].ID, Start: term.Start, End: term.End, First: term.Position, Last: term.Position})
			}
			continue
		}
		words = append(words, term)
	}
	// From each word, grow a window while its concatenation is the start
	// of some variant; keep the longest window that is a variant.
	prefixes := t.prefixes[lang]
	var key []byte
	for i := 0; i < len(words); {
		matched, concepts := 0, []int(nil)
		key = key[:0]
		for n := 1; n <= t.maxWords && i+n <= len(words); n++ {
			if n > 1 {
				if d := words[i+n-1].Position - words[i+n-2].Position; d < 0 || d >= analysis.BreakGap {
					break
				}
			}
			key = append(key, words[i+n-1].Term...)
			if cs := keys[string(key)]; len(cs) > 0 {
				matched, concepts = n, cs
			}
			if !prefixes[string(key)] {
				break
			}
		}
		for _, c := range concepts {
			matches = append(matches, Match{Concept: t.Concepts[c].ID, Start: words[i].Start, End: words[i+matched-1].End, First: words[i].Position, Last: words[i+matched-1].Position})
		}
		i += max(matched, 1)
	}
	return dedupeMatches(matches)
}

// dedupeMatches drops a match of a concept that a longer match of the same
// concept covers (a compound and its parts).
func dedupeMatches(ms []Match) []Match {
	out := ms[:0]
	for i, m := range ms {
		covered := false
		for j, o := range ms {
			if i != j && o.Concept == m.Concept && o.Start <= m.Start && m.End <= o.End && (o.End-o.Start > m.End-m.Start || j < i) {
				covered = true
				break
			}
		}
		if !covered {
			out = append(out, m)
		}
	}
	return out
}

// Tag sets the concepts of doc from its title and paragraphs.
func (t *Taxonomy) Tag(doc *Document) { t.TagTerms(doc, nil) }

// TagTerms is Tag given the terms (see MatchTerms) of the title, then of
// each paragraph, as terms[0], terms[1]…; with terms nil it analyses them.
func (t *Taxonomy) TagTerms(doc *Document, terms [][]analysis.Term) {
	hits := map[string]*ConceptHit{}
	segment := 0
	add := func(text string, lang analysis.Lang) {
		var matches []Match
		if terms == nil {
			matches = t.Match(text, lang)
		} else {
			matches = t.MatchTerms(terms[segment], lang)
		}
		segment++
		for _, m := range matches {
			h := hits[m.Concept]
			if h == nil {
				h = &ConceptHit{ID: m.Concept}
				hits[m.Concept] = h
			}
			h.Count++
			word := strings.Join(strings.Fields(text[m.Start:m.End]), " ")
			if len(h.Words) < 10 && !slices.ContainsFunc(h.Words, func(w string) bool { return strings.EqualFold(w, word) }) {
				h.Words = append(h.Words, word)
			}
		}
	}
	add(doc.Title, doc.TitleLang)
	for _, p := range doc.Paragraphs {
		add(p.Text, p.Lang)
	}
	doc.Concepts = doc.Concepts[:0]
	for _, c := range t.Concepts {
		if h := hits[c.ID]; h != nil {
			doc.Concepts = append(doc.Concepts, *h)
		}
	}
}
