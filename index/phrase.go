package index

import (
	"context"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/analysis"

	text "tacheron/corpus/analysis"
)

// Phrases. A quoted phrase matches a document that holds its words in
// order, as written or by stem ("appel système" in "appels système"),
// function words between them aside. The index knows the pairs of
// neighbouring words as written (fieldPairs): a document with every word
// of the phrase and its pairs matches from the postings alone; one with
// every word, by stem, but not those pairs is checked in its text.

// maxPhraseChecks bounds the documents a search checks in their text.
const maxPhraseChecks = 5000

// A phraseSpec is a phrase to check in a text.
type phraseSpec struct {
	words []phraseWord
	// pairs are the requirement bits of its pairs as written.
	pairs uint32
	// bit is the phrase's among the query words; req all its requirement
	// bits (its words' and its pairs').
	bit, req uint32
	// optional is set for a phrase that is an alternative: a hit need
	// not hold it.
	optional bool
}

// A phraseWord is a word of a phrase: its plain form and its stems.
type phraseWord struct {
	plain    string
	fr, en   []string
	position int
}

// phraseWords adds the stem leaves of a phrase's words (wordBits: their
// requirement bits by position) and returns the phrase to check.
func (pl *planner) phraseWords(phrase string, wordBits map[int]uint32, slotBit uint32) phraseSpec {
	var spec phraseSpec
	byPos := map[int]*phraseWord{}
	for _, tok := range pl.analyze(PlainAnalyzer, phrase) {
		if tok.Type != analysis.Shingle && wordBits[tok.Position] != 0 {
			spec.words = append(spec.words, phraseWord{plain: string(tok.Term), position: tok.Position})
		}
	}
	for i := range spec.words {
		byPos[spec.words[i].position] = &spec.words[i]
	}
	fields := map[string][2]string{FrenchAnalyzer: {fieldTitleFR, fieldBodyFR}, EnglishAnalyzer: {fieldTitleEN, fieldBodyEN}}
	for name, f := range fields {
		for _, tok := range pl.analyze(name, phrase) {
			w, bit := byPos[tok.Position], wordBits[tok.Position]
			if tok.Type == analysis.Shingle || w == nil || bit == 0 {
				continue
			}
			term := string(tok.Term)
			pl.add(leaf{field: f[0], term: term, weight: stemWeight * titleWeight, words: slotBit, class: direct, req: bit})
			pl.add(leaf{field: f[1], term: term, weight: stemWeight, words: slotBit, class: direct, req: bit})
			pl.mark(name, term)
			if name == FrenchAnalyzer {
				w.fr = append(w.fr, term)
			} else {
				w.en = append(w.en, term)
			}
		}
	}
	return spec
}

// matchHits returns the documents that meet every requirement of the plan
// and are not excluded: those with the required phrases' pairs as
// written, and those that hold them by stem, checked in their text. A
// phrase that is an alternative is not required: held returns, by its bit,
// the hits that hold it (nil when the plan has no such phrase); a hit then
// matches some word or holds some phrase, and holds one of the phrases of
// each clause made of phrases only.
func (s *Snapshot) matchHits(ctx context.Context, p *plan, acc *accumulator, excluded *roaring.Bitmap) (hits *roaring.Bitmap, held map[uint32]*roaring.Bitmap, err error) {
	checks := maxPhraseChecks
	var required []phraseSpec
	for _, ph := range p.phrases {
		if !ph.optional {
			required = append(required, ph)
		}
	}
	if hits, err = s.holding(ctx, p.required, required, acc, excluded, &checks); err != nil {
		return nil, nil, err
	}
	if len(required) == len(p.phrases) {
		return hits, nil, nil
	}
	held = map[uint32]*roaring.Bitmap{}
	var phrases uint32
	matched := roaring.New()
	for _, ph := range p.phrases {
		phrases |= ph.bit
		if !ph.optional {
			continue
		}
		h, err := s.holding(ctx, ph.req, []phraseSpec{ph}, acc, excluded, &checks)
		if err != nil {
			return nil, nil, err
		}
		h.And(hits)
		held[ph.bit] = h
		matched.Or(h)
		// A document with some words of the phrase does not match it:
		// the ranking counts only the alternatives it matches.
		it := hits.Iterator()
		for it.HasNext() {
			if doc := it.Next(); acc.cells[doc].words&ph.bit != 0 && !h.Contains(doc) {
				acc.cells[doc].words &^= ph.bit
			}
		}
	}
	if len(required) == 0 {
		// No phrase that every hit holds: a hit holds an alternative, or
		// matches a word.
		words := (uint32(1)<<len(p.words) - 1) &^ phrases
		it := hits.Iterator()
		for it.HasNext() {
			if doc := it.Next(); acc.cells[doc].words&words != 0 {
				matched.Add(doc)
			}
		}
		hits.And(matched)
	}
	for _, c := range p.clauses {
		if slices.ContainsFunc(c, func(m uint32) bool { return m&phrases == 0 || held[m] == nil }) {
			// A word, or a required phrase, satisfies the clause.
			continue
		}
		any := roaring.New()
		for _, m := range c {
			any.Or(held[m])
		}
		hits.And(any)
	}
	return hits, held, nil
}

// holding returns the documents the accumulator holds with every bit of
// required, or with those of phrases' words and holding phrases by stem,
// checked in their text (at most *checks of them, a budget shared by a
// search), and not excluded.
func (s *Snapshot) holding(ctx context.Context, required uint32, phrases []phraseSpec, acc *accumulator, excluded *roaring.Bitmap, checks *int) (*roaring.Bitmap, error) {
	hits := acc.hits(required, excluded)
	var pairs uint32
	for _, ph := range phrases {
		pairs |= ph.pairs
	}
	if len(phrases) == 0 {
		return hits, nil
	}
	candidates := acc.hits(required&^pairs, excluded)
	candidates.AndNot(hits)
	for _, ph := range phrases {
		if candidates.IsEmpty() {
			break
		}
		near, err := s.variantPairs(ctx, ph)
		if err != nil {
			return nil, err
		}
		if near != nil {
			candidates.And(near)
		}
	}
	checked := 0
	it := candidates.Iterator()
	for it.HasNext() && *checks > 0 {
		doc := it.Next()
		*checks--
		if checked++; checked%64 == 0 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		rec, err := s.docs.get(doc)
		if err != nil {
			return nil, err
		}
		req := acc.cells[doc].req
		if !slices.ContainsFunc(phrases, func(ph phraseSpec) bool { return req&ph.pairs != ph.pairs && !s.holdsPhrase(rec, ph) }) {
			hits.Add(doc)
		}
	}
	return hits, nil
}

// holdsPhrase reports whether a document's title or a paragraph holds the
// phrase's words in order, as written or by stem, with only function words
// between them.
func (s *Snapshot) holdsPhrase(rec *record, ph phraseSpec) bool {
	if len(ph.words) == 0 {
		return true
	}
	if s.phraseIn(rec.title, rec.titleLang == "en", ph) {
		return true
	}
	for i, fp := range rec.paragraphs() {
		if s.phraseIn(fp.text, i < len(rec.paragraphLangs) && rec.paragraphLangs[i] == 'e', ph) {
			return true
		}
	}
	return false
}

// phraseIn reports whether one text holds the phrase.
func (s *Snapshot) phraseIn(str string, english bool, ph phraseSpec) bool {
	type word struct {
		pos   int
		lower string
	}
	var words []word
	for _, t := range text.Tokenize(str) {
		if t.Joined {
			continue
		}
		e := text.StripPossessive(text.Elide(text.Lower(t.Text)))
		if e != "" && !text.IsStopWord(text.Any, e) {
			words = append(words, word{t.Position, e})
		}
	}
	stemmer := s.stemFR
	if english {
		stemmer = s.stemEN
	}
	matches := func(w phraseWord, e string) bool {
		if text.Fold(e) == w.plain {
			return true
		}
		stems := w.fr
		if english {
			stems = w.en
		}
		a, b := stemmer.Forms(e)
		return slices.Contains(stems, a) || b != "" && slices.Contains(stems, b)
	}
	for i := 0; i+len(ph.words) <= len(words); i++ {
		ok := true
		for k, w := range ph.words {
			d := words[i+k]
			if !matches(w, d.lower) || k > 0 && d.pos-words[i+k-1].pos >= text.BreakGap {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// maxVariants bounds the forms of a phrase word whose pairs are read.
const maxVariants = 8

// variantPairs returns the documents that hold, for each two neighbouring
// words of a phrase, the pair of some of their forms (words of the
// vocabulary with their stem): only they can hold the phrase by stem. It
// returns nil for a phrase of one word.
func (s *Snapshot) variantPairs(ctx context.Context, ph phraseSpec) (*roaring.Bitmap, error) {
	if len(ph.words) < 2 {
		return nil, nil
	}
	forms := make([][]string, len(ph.words))
	for i, w := range ph.words {
		forms[i] = s.variants(w)
	}
	var out *roaring.Bitmap
	for i := 0; i+1 < len(ph.words); i++ {
		near := roaring.New()
		for _, a := range forms[i] {
			for _, b := range forms[i+1] {
				pl, err := s.decode(ctx, fieldPairs, string(pairTerm([]byte(a), []byte(b))))
				if err != nil {
					return nil, err
				}
				near.AddMany(pl.docs)
			}
		}
		if out == nil {
			out = near
		} else {
			out.And(near)
		}
	}
	return out, nil
}

// variants returns a phrase word's plain form and the most frequent words
// of the vocabulary with one of its stems.
func (s *Snapshot) variants(w phraseWord) []string {
	out := []string{w.plain}
	seen := map[string]bool{w.plain: true}
	for _, st := range []struct {
		stemmer *text.Stemmer
		stems   []string
	}{{s.stemFR, w.fr}, {s.stemEN, w.en}} {
		for _, stem := range st.stems {
			if stem == "" {
				continue
			}
			cands := s.vocab.completions(stem, 64)
			if s.vocab.contains(stem) {
				cands = append(cands, stem)
			}
			for _, c := range cands {
				if len(out) >= maxVariants {
					return out
				}
				a, b := st.stemmer.Forms(c)
				if !seen[c] && (slices.Contains(st.stems, a) || b != "" && slices.Contains(st.stems, b)) {
					seen[c] = true
					out = append(out, c)
				}
			}
		}
	}
	return out
}
