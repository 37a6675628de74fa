package index

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"

	text "tacheron/corpus/analysis"
)

// Kinds of suggestions.
const (
	SuggestConcept = "concept"
	SuggestTerm    = "term"
	SuggestTitle   = "title"
	SuggestSource  = "source"
)

// Suggestion limits.
const (
	DefaultSuggestions = 8
	MaxSuggestions     = 20
	maxConceptSuggest  = 3
	maxTitleSuggest    = 3
	maxSourceSuggest   = 3
)

// A Suggestion completes what a search box holds.
type Suggestion struct {
	// Text is the whole completed query (or the title, for a title).
	Text string
	Kind string
	// ID is the concept id, the document id (titles) or the source (the
	// value to filter on).
	ID string
	// Count is the number of documents behind the suggestion.
	Count int
}

// Suggest returns completions of q, best first: concepts whose name is q
// or starts with it (a name q spells whole, such as the acronym "AI",
// first), then sources and titles that start with all of q ("Le M": "Le
// Monde"), then the most frequent words that complete its last word, then
// titles with such a word; when nothing completes the last word, its
// typo corrections (and the concepts they name). Concepts are found
// behind an elided article ("l’IA") and in any form of a variant ("click
// farms"); a compound is completed whole. The last word is not completed when q has
// several words and it is a stop word or a single letter ("travailleurs
// du" is not "travailleurs dur"). lang chooses concept labels ("fr" by
// default).
func (s *Snapshot) Suggest(ctx context.Context, q string, limit int, lang string) ([]Suggestion, error) {
	if limit <= 0 {
		limit = DefaultSuggestions
	}
	if limit > MaxSuggestions {
		return nil, &QueryError{Field: FieldSuggestions, Reason: fmt.Sprintf("at most %d suggestions", MaxSuggestions)}
	}
	if len(q) > MaxQueryBytes {
		return nil, &QueryError{Field: FieldQuery, Reason: fmt.Sprintf("the query is %d bytes long; the limit is %d", len(q), MaxQueryBytes)}
	}
	if lang != "en" {
		lang = "fr"
	}
	norm := normalizeSuggest(q)
	if norm == "" {
		return []Suggestion{}, nil
	}
	// Concepts are looked for without elided articles ("l’IA" is "IA").
	bare := normalizeSuggest(elideWords(q))
	out := []Suggestion{}
	seen := map[string]bool{}
	push := func(sg Suggestion) bool {
		key := strings.ToLower(sg.Text)
		if seen[key] || len(out) >= limit {
			return false
		}
		seen[key] = true
		out = append(out, sg)
		return true
	}

	// Concepts whose label or a variant starts with the query.
	type conceptCand struct {
		sg   Suggestion
		rank int
	}
	var concepts []conceptCand
	f := s.facets[fieldConcept]
	squashed := strings.ReplaceAll(bare, " ", "")
	// Concepts of which the whole query is a variant in some form ("click
	// farms" for "click farm"), as the taxonomy finds them in text.
	whole := map[string]bool{}
	for _, lang := range []text.Lang{text.French, text.English} {
		for _, m := range s.taxonomy.Match(bare, lang) {
			if m.Start == 0 && m.End == len(bare) {
				whole[m.Concept] = true
			}
		}
	}
	for _, c := range s.taxonomy.Concepts {
		best := -1
		names := append([]string{c.Label(lang), c.Label("fr"), c.Label("en")}, c.Variants...)
		for _, l := range slices.Sorted(maps.Keys(c.VariantsByLang)) {
			names = append(names, c.VariantsByLang[l]...)
		}
		for i, v := range names {
			nv := normalizeSuggest(v)
			if nv == bare || whole[c.ID] {
				// A name spelled whole ("AI", "IA") ranks first.
				best = -1 - len(names)
				break
			}
			if best < 0 && (strings.HasPrefix(nv, bare) || strings.HasPrefix(strings.ReplaceAll(nv, " ", ""), squashed)) {
				best = i
			}
		}
		if best == -1 {
			continue
		}
		n := 0
		if b := f.bitmap(c.ID); b != nil {
			n = int(b.GetCardinality())
		}
		if n == 0 {
			continue
		}
		concepts = append(concepts, conceptCand{Suggestion{Text: c.Label(lang), Kind: SuggestConcept, ID: c.ID, Count: n}, best})
	}
	slices.SortStableFunc(concepts, func(a, b conceptCand) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return b.sg.Count - a.sg.Count
	})
	for i, c := range concepts {
		if i == maxConceptSuggest {
			break
		}
		push(c.sg)
	}

	// Sources and titles that start with the whole query, when it has
	// several words: "Le M" is more likely "Le Monde" than "Le mars".
	words := strings.Fields(q)
	if len(words) > 1 {
		if err := s.suggestWhole(ctx, norm, push); err != nil {
			return nil, err
		}
	}

	// Words completing the last word, the query's other words kept.
	last := words[len(words)-1]
	prefix := text.Fold(text.StripPossessive(text.Elide(text.Lower(last))))
	if parts := strings.FieldsFunc(prefix, text.IsHyphen); len(parts) > 1 {
		// A compound is completed as one word: "micro-tr" → "microtravail",
		// written as the documents write it ("micro-travail").
		prefix = text.JoinCompound(parts)
	}
	head := strings.TrimSpace(q[:strings.LastIndex(q, last)])
	var completions []string
	// A word before a closing parenthesis is finished: "(uber OR
	// deliveroo)" is a group written whole.
	typing := prefix != "" && !strings.HasSuffix(q, " ") && !strings.HasSuffix(q, ")") && !(head != "" && finished(prefix))
	if typing {
		completions = s.vocab.completions(prefix, limit*2)
		if len(prefix) >= 3 && s.vocab.frequency(prefix) > 0 {
			completions = append([]string{prefix}, completions...)
		}
	}
	if typing && len(completions) == 0 && (len(out) == 0 || head == "") {
		// Nothing starts with a mistyped word ("platfrom", "casili"):
		// its corrections, and the concepts they name (not after a
		// concept that the whole query names already: "click farms" is
		// not "click forms").
		// After a concept, only the closest corrections ("trolls":
		// "troll", not "gamification": "gratification").
		maxEdits := 2
		if len(out) > 0 {
			maxEdits = 1
		}
		fixed, err := s.suggestCorrections(prefix, maxEdits, limit)
		if err != nil {
			return nil, err
		}
		for _, term := range fixed {
			if c, ok := s.conceptNamed(term, lang); ok {
				push(c)
			}
		}
		completions = fixed
	}
	for _, term := range completions {
		if isNumber(term) {
			continue
		}
		display, err := s.displayForm(ctx, term)
		if err != nil {
			return nil, err
		}
		t := display
		if head != "" {
			t = head + " " + display
		}
		push(Suggestion{Text: t, Kind: SuggestTerm, Count: int(s.vocab.frequency(term))})
		if len(out) >= limit-maxTitleSuggest && len(out) >= 1 {
			break
		}
	}

	// Titles holding a completion.
	titles := 0
	for _, term := range completions {
		if titles == maxTitleSuggest || len(out) >= limit {
			break
		}
		b, err := s.postings(ctx, fieldTitlePlain, term)
		if err != nil {
			return nil, err
		}
		for _, doc := range s.stableOrder(b) {
			if titles == maxTitleSuggest {
				break
			}
			rec, err := s.docs.get(doc)
			if err != nil {
				return nil, err
			}
			if push(Suggestion{Text: rec.title, Kind: SuggestTitle, ID: rec.id, Count: 1}) {
				titles++
			}
		}
	}
	return out, nil
}

// suggestCorrections returns the words of the index one or two edits from
// word (as a search forgives them, and at most maxEdits), closest and most
// frequent first.
func (s *Snapshot) suggestCorrections(word string, maxEdits, limit int) ([]string, error) {
	edits, keepFirst := fuzzyLimits(word)
	edits = min(edits, maxEdits)
	if edits == 0 {
		return nil, nil
	}
	corrections, err := s.vocab.corrections(word, edits, keepFirst, limit)
	if err != nil {
		return nil, fmt.Errorf("suggest: %w", err)
	}
	out := make([]string, len(corrections))
	for i, c := range corrections {
		out[i] = c.term
	}
	return out, nil
}

// conceptNamed returns the suggestion of the concept whose label, name or
// id is term, a folded word, if documents have it.
func (s *Snapshot) conceptNamed(term, lang string) (Suggestion, bool) {
	f := s.facets[fieldConcept]
	for _, c := range s.taxonomy.Concepts {
		names := append([]string{c.ID, c.Labels["fr"], c.Labels["en"]}, c.Names...)
		if !slices.ContainsFunc(names, func(n string) bool { return strings.ReplaceAll(normalizeSuggest(n), " ", "") == term }) {
			continue
		}
		if b := f.bitmap(c.ID); b != nil && !b.IsEmpty() {
			return Suggestion{Text: c.Label(lang), Kind: SuggestConcept, ID: c.ID, Count: int(b.GetCardinality())}, true
		}
	}
	return Suggestion{}, false
}

// elideWords removes the elided articles of the words of q ("l’IA" → "IA").
func elideWords(q string) string {
	words := strings.Fields(q)
	for i, w := range words {
		// The elided head is ASCII and an apostrophe: as long in w as in
		// its lower case.
		lower := text.Lower(w)
		if e := text.Elide(lower); e != lower {
			words[i] = w[len(lower)-len(e):]
		}
	}
	return strings.Join(words, " ")
}

// stableOrder returns the documents of b in the stable order (newest
// first, then by id), all of them when they are few, else up to
// stableOrderWalk of the first.
func (s *Snapshot) stableOrder(b *roaring.Bitmap) []uint32 {
	if b.GetCardinality() <= stableOrderWalk {
		docs := b.ToArray()
		slices.SortFunc(docs, func(x, y uint32) int { return cmp.Compare(s.pos[x], s.pos[y]) })
		return docs
	}
	var docs []uint32
	for _, doc := range s.byDate {
		if b.Contains(doc) {
			docs = append(docs, doc)
			if len(docs) == stableOrderWalk {
				break
			}
		}
	}
	return docs
}

// stableOrderWalk bounds what stableOrder returns of a large set.
const stableOrderWalk = 64

// finished reports whether the last word of a query of several words is
// better left as it is than completed: a stop word ("du", "of") or a
// single letter.
func finished(word string) bool {
	return utf8.RuneCountInString(word) < 2 ||
		text.IsStopWord(text.French, word) || text.IsStopWord(text.English, word)
}

// suggestWhole pushes the sources, then the titles, whose normalized form
// starts with norm.
func (s *Snapshot) suggestWhole(ctx context.Context, norm string, push func(Suggestion) bool) error {
	f := s.facets[fieldSource]
	type source struct {
		name  string
		count int
	}
	var sources []source
	for i, v := range f.values {
		if strings.HasPrefix(normalizeSuggest(v), norm) {
			sources = append(sources, source{v, int(f.bitmaps[i].GetCardinality())})
		}
	}
	slices.SortStableFunc(sources, func(a, b source) int { return b.count - a.count })
	for _, src := range sources[:min(len(sources), maxSourceSuggest)] {
		push(Suggestion{Text: src.name, Kind: SuggestSource, ID: src.name, Count: src.count})
	}
	// Titles: those holding the query's first word, checked whole.
	first := strings.Fields(norm)[0]
	if text.IsStopWord(text.French, first) || text.IsStopWord(text.English, first) {
		// A stop word is not in the titles' postings: walk the titles.
		return s.walkTitles(ctx, norm, push)
	}
	b, err := s.postings(ctx, fieldTitlePlain, first)
	if err != nil {
		return err
	}
	titles := 0
	var err2 error
	s.inStableOrder(b, func(doc uint32) bool {
		rec, err := s.docs.get(doc)
		if err != nil {
			err2 = err
			return false
		}
		if strings.HasPrefix(normalizeSuggest(rec.title), norm) && push(Suggestion{Text: rec.title, Kind: SuggestTitle, ID: rec.id, Count: 1}) {
			titles++
		}
		return titles < maxTitleSuggest
	})
	return err2
}

// inStableOrder calls fn with the documents of b in the stable order
// (newest first, then by id) until fn returns false.
func (s *Snapshot) inStableOrder(b *roaring.Bitmap, fn func(doc uint32) bool) {
	if b.GetCardinality() <= stableOrderSort {
		docs := b.ToArray()
		slices.SortFunc(docs, func(x, y uint32) int { return cmp.Compare(s.pos[x], s.pos[y]) })
		for _, doc := range docs {
			if !fn(doc) {
				return
			}
		}
		return
	}
	for _, doc := range s.byDate {
		if b.Contains(doc) && !fn(doc) {
			return
		}
	}
}

// stableOrderSort is the size of the largest set inStableOrder sorts;
// it walks the documents by date for a larger one.
const stableOrderSort = 4096

// maxTitleWalk bounds the documents whose titles walkTitles reads.
const maxTitleWalk = 2000

// walkTitles pushes the titles, among the first maxTitleWalk documents by
// date, newest first, that start with norm.
func (s *Snapshot) walkTitles(ctx context.Context, norm string, push func(Suggestion) bool) error {
	titles := 0
	for i, doc := range s.byDate {
		if i == maxTitleWalk || titles == maxTitleSuggest {
			break
		}
		if i%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := s.docs.get(doc)
		if err != nil {
			return err
		}
		if strings.HasPrefix(normalizeSuggest(rec.title), norm) && push(Suggestion{Text: rec.title, Kind: SuggestTitle, ID: rec.id, Count: 1}) {
			titles++
		}
	}
	return nil
}

// normalizeSuggest folds s for prefix comparisons: lower case, no accents,
// hyphens and apostrophes as spaces, single spaces.
func normalizeSuggest(s string) string {
	folded := text.Fold(text.Lower(s))
	return strings.Join(strings.FieldsFunc(folded, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// isNumber reports whether s is made of digits.
func isNumber(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// displayForm returns a folded term as it is written in the documents
// ("uberisation" → "ubérisation"), read from the first document that holds
// it (in the stable order). A form found is remembered for the snapshot's life; an error is
// returned and nothing is remembered.
func (s *Snapshot) displayForm(ctx context.Context, term string) (string, error) {
	if v, ok := s.display.Load(term); ok {
		return v.(string), nil
	}
	form := term
	for _, field := range []string{fieldTitlePlain, fieldBodyPlain} {
		b, err := s.postings(ctx, field, term)
		if err != nil {
			return "", fmt.Errorf("display form of %q: %w", term, err)
		}
		if b.IsEmpty() {
			continue
		}
		rec, err := s.docs.get(s.stableOrder(b)[0])
		if err != nil {
			return "", fmt.Errorf("display form of %q: %w", term, err)
		}
		if f, ok := findForm(rec.title+"\n"+rec.body, term); ok {
			form = f
			break
		}
	}
	s.display.Store(term, form)
	return form, nil
}

// findForm finds in text a word whose plain form is term and returns it in
// lower case, without an elided article; a form with accents or hyphens is
// preferred.
func findForm(txt, term string) (string, bool) {
	var buf []byte
	found := ""
	for _, t := range text.Tokenize(txt) {
		buf = text.AppendPlain(buf[:0], t.Text)
		if string(buf) != term {
			continue
		}
		written := t.Text
		if t.Joined {
			// A compound as written: "micro-travail", not "microtravail".
			written = txt[t.Start:t.End]
		}
		form := text.StripPossessive(text.Elide(text.Lower(written)))
		if form != term {
			return form, true
		}
		found = form
	}
	return found, found != ""
}
