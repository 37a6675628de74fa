package index

import (
	"cmp"
	"context"
	"fmt"
	"maps"
	"math/bits"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// Weights of the kinds of match. A match in a title counts titleWeight
// times a match in the body. Exact forms weigh more than stems, stems more
// than typo, prefix and concept expansions.
const (
	titleWeight   = 2.5
	sourceWeight  = 2.0
	exactWeight   = 1.0
	stemWeight    = 0.6
	pairWeight    = 1.2
	fuzzyWeight1  = 0.3 // one edit
	fuzzyWeight2  = 0.15
	prefixWeight  = 0.45
	conceptWeight = 0.3
	// functionWeight scales the matches of a function word (isFunctionWord).
	functionWeight = 0.1
)

// Bounds on how far a query expands.
const (
	// MaxPrefixExpansions is the number of completions of a word being typed.
	MaxPrefixExpansions = 24
	// MaxFuzzyExpansions is the number of typo corrections of a word.
	MaxFuzzyExpansions = 12
	// maxLeaves bounds the term readers of one query.
	maxLeaves = 512
)

// A leaf is one term of a query plan, read from the postings of a field.
type leaf struct {
	field  string
	term   string
	weight float64
	words  uint32 // the query words it matches
	class  matchClass
	req    uint32 // the requirement bits (phrase words and pairs) it satisfies
	// near has the bit of the first of two query words it finds side by
	// side (a pair, or the two written as one word): proximity ranks.
	near uint32
	// A pair counts only for a document that matched its two words
	// already: needWords (plain words) or needReq (the words of a phrase).
	needWords, needReq uint32
	// title is set for a direct match in a title: the words a title holds
	// rank (see accumulator.relevanceKey).
	title bool
}

// A matchClass says how a leaf matches its words; ranking prefers direct
// matches, then matches without typos.
type matchClass uint8

const (
	direct  matchClass = iota // the word as written or stemmed, a pair, a compound
	prefix                    // a completion of the word being typed
	concept                   // a document tagged with the concept the word names
	typo                      // a word one or two edits away
)

// A plan is a query turned into term leaves.
type plan struct {
	words []string // each query word, as typed
	// content has the bits of the words that rank: every plain word but
	// the function words (all of them when the query has only those), and
	// every phrase.
	content  uint32
	leaves   []leaf
	required uint32 // every requirement bit
	// exclude: a document matching any of these is left out.
	exclude []leaf
	// excludeAll: a document matching, for every element of one group, one
	// of its leaves is left out.
	excludeAll [][][]leaf
	marks      *marks
	// named holds the concepts that the query names itself (by a label or
	// the id): their other words match as the query's (see primary.go).
	named map[string]bool
	// partial has the bits of words being typed that are no words
	// themselves: their completions stand for them.
	partial uint32
	// unknown has the bits of words found nowhere as written or stemmed:
	// their typo corrections stand for them.
	unknown uint32
	// phrases are the quoted phrases, for checking in the text those that
	// a document holds by stems only (see phrase.go).
	phrases []phraseSpec
	// clauses are the query in conjunctive form (see boolean.go): a
	// document of the primary set satisfies every clause, one of whose
	// literals it matches; a literal is the mask of the words of one
	// query term (all must match), or the bit of one phrase.
	clauses [][]uint32
	// reqs counts the requirement bits given out.
	reqs int
}

// marks are what highlighting looks for in a document's text.
type marks struct {
	plain, fr, en map[string]bool
	concepts      map[string]bool
}

func newMarks() *marks {
	return &marks{plain: map[string]bool{}, fr: map[string]bool{}, en: map[string]bool{}, concepts: map[string]bool{}}
}

// any reports whether there is anything to highlight.
func (m *marks) any() bool {
	return len(m.plain)+len(m.fr)+len(m.en)+len(m.concepts) > 0
}

// needed is the number of query words a passage matching the whole
// query holds: every word, or with alternatives, one per clause.
func (p *plan) needed() int {
	if slices.ContainsFunc(p.clauses, func(c []uint32) bool { return len(c) > 1 }) {
		return len(p.clauses)
	}
	return len(p.words)
}

// positive reports whether the plan matches anything by itself (it has
// words or phrases, not only exclusions).
func (p *plan) positive() bool { return len(p.words) > 0 }

// slot is a query word being planned.
type slot struct {
	raw        string
	start, end int // byte offsets in the analysed text
	pos        int
	plain      string // exact form, or "" for a stop word
	prefix     bool
	direct     bool // some analyzer kept it
	function   bool // an article, a preposition… (isFunctionWord)
	// seg numbers the run of words written side by side it belongs to.
	seg int
}

// planner builds a plan.
type planner struct {
	s      *Snapshot
	ctx    context.Context
	p      *plan
	index  map[string]int // field\x00term → leaf
	slots  []*slot
	bySlot map[int]int // position → slot index
	// err is the first error reading the index while planning: the plan
	// is then not used.
	err error
	// limit, when not 0, bounds the leaves below maxLeaves: the share of
	// the word being expanded.
	limit int
}

// planQuery turns a parsed query into leaves.
func (s *Snapshot) planQuery(ctx context.Context, q Query) (*plan, error) {
	pl := &planner{s: s, ctx: ctx, p: &plan{marks: newMarks(), named: map[string]bool{}}, index: map[string]int{}, bySlot: map[int]int{}}
	b := boolOf(q)
	for _, t := range b.exclude {
		pl.exclusion(t)
	}
	for _, g := range b.excludeGroups {
		pl.excludeGroup(g)
	}
	var words []Term
	var linked []bool
	var wordAtoms []int
	for i, a := range b.atoms {
		if !a.term.Phrase {
			words = append(words, a.term)
			linked = append(linked, a.linked)
			wordAtoms = append(wordAtoms, i)
		}
	}
	masks := make([]uint32, len(b.atoms))
	for k, m := range pl.plainWords(words, linked) {
		masks[wordAtoms[k]] = m
	}
	for i, a := range b.atoms {
		if a.term.Phrase {
			masks[i] = pl.phrase(a.term)
		}
	}
	pl.clauses(b, masks)
	if pl.err != nil {
		return nil, fmt.Errorf("plan: %w", pl.err)
	}
	return pl.p, nil
}

// planCacheBytes bounds the plans a snapshot keeps.
const planCacheBytes = 4 << 20

// newPlanCache returns an empty cache of plans by query text.
func newPlanCache() *lru[string, *plan] { return newLRU(planCacheBytes, planSize) }

// planSize is about the memory a plan of the query q takes.
func planSize(q string, p *plan) int {
	n := 512 + 2*len(q) + 96*(len(p.leaves)+len(p.exclude)) + 64*len(p.words)
	for _, m := range []map[string]bool{p.marks.plain, p.marks.fr, p.marks.en, p.marks.concepts} {
		n += 48 * len(m)
	}
	return n
}

// cachedPlan returns the plan of q, the query parsed from text: planned
// once while the snapshot keeps it, as a plan depends on the query and the
// snapshot only and no search changes it. A plan that failed is not kept.
func (s *Snapshot) cachedPlan(ctx context.Context, text string, q Query) (*plan, error) {
	if s.plans == nil {
		return s.planQuery(ctx, q)
	}
	if p, ok := s.plans.get(text); ok {
		return p, nil
	}
	p, err := s.planQuery(ctx, q)
	if err != nil {
		return nil, err
	}
	s.plans.put(text, p)
	return p, nil
}

// add adds a leaf, merging it with one on the same term.
func (pl *planner) add(l leaf) {
	if l.term == "" || len(pl.p.leaves) >= maxLeaves || pl.limit > 0 && len(pl.p.leaves) >= pl.limit {
		return
	}
	key := l.field + "\x00" + l.term
	if i, ok := pl.index[key]; ok {
		e := &pl.p.leaves[i]
		e.words |= l.words
		e.req |= l.req
		e.needWords |= l.needWords
		e.needReq |= l.needReq
		e.near |= l.near
		e.weight = max(e.weight, l.weight)
		e.class = min(e.class, l.class)
		e.title = e.title || l.title
		return
	}
	pl.index[key] = len(pl.p.leaves)
	pl.p.leaves = append(pl.p.leaves, l)
}

// addText adds leaves for term in a title field and its body field (and,
// for plain terms, the source).
func (pl *planner) addText(titleField, bodyField, term string, weight float64, words uint32, class matchClass) {
	pl.addNear(titleField, bodyField, term, weight, words, class, 0)
}

// addNear is addText for a term that finds query words side by side: near
// is the bit of the first.
func (pl *planner) addNear(titleField, bodyField, term string, weight float64, words uint32, class matchClass, near uint32) {
	pl.add(leaf{field: titleField, term: term, weight: weight * titleWeight, words: words, class: class, near: near, title: class == direct})
	pl.add(leaf{field: bodyField, term: term, weight: weight, words: words, class: class, near: near})
	if bodyField == fieldBodyPlain {
		pl.add(leaf{field: fieldSourceText, term: term, weight: weight * sourceWeight, words: words, class: class, near: near})
	}
}

// analyze runs a named analyzer.
func (pl *planner) analyze(name, s string) analysis.TokenStream {
	return pl.s.analyzers[name].Analyze([]byte(s))
}

// textAnalyzers lists the analyzers of the text fields, in the fixed order
// in which a query's words are planned: the same request gives the same
// leaves in the same order, so the same scores.
func textAnalyzers() []string {
	return []string{PlainAnalyzer, FrenchAnalyzer, EnglishAnalyzer}
}

// textFieldsOf returns the title and body fields an analyzer indexes.
func textFieldsOf(analyzer string) (title, body string) {
	switch analyzer {
	case FrenchAnalyzer:
		return fieldTitleFR, fieldBodyFR
	case EnglishAnalyzer:
		return fieldTitleEN, fieldBodyEN
	}
	return fieldTitlePlain, fieldBodyPlain
}

// analysedText is a text as one analyzer tokenised it.
type analysedText struct {
	analyzer string
	tokens   analysis.TokenStream
}

// plainWords plans the words of the query that are neither phrases nor
// exclusions: their slots, the words as written and stemmed, the words side
// by side, the concepts and kinds they name, then each word's typo and
// prefix expansions within its share of the leaves. linked says, for each
// term, whether it is written beside the one before (see atom). It returns
// the mask of each term's words.
func (pl *planner) plainWords(terms []Term, linked []bool) []uint32 {
	masks := make([]uint32, len(terms))
	if len(terms) == 0 {
		return masks
	}
	wordsText, analysed, spans := pl.wordSlots(terms, linked)
	if len(pl.slots) == 0 {
		return masks
	}
	for i, sp := range spans {
		masks[i] = pl.covering(sp[0], sp[1])
	}
	pl.wordLeaves(analysed)
	pl.genderLeaves()
	pl.neighbourLeaves(wordsText)
	pl.concepts(wordsText, pl.coveringLinked)
	pl.kindLeaves()
	pl.expansions()
	return masks
}

// coveringLinked is covering for a span of words written side by side: 0
// when the span crosses an alternative or a group.
func (pl *planner) coveringLinked(start, end int) uint32 {
	mask := pl.covering(start, end)
	seg := -1
	for i, sl := range pl.slots {
		if mask&(1<<i) == 0 {
			continue
		}
		if seg >= 0 && sl.seg != seg {
			return 0
		}
		seg = sl.seg
	}
	return mask
}

// wordSlots joins the words into one text, finds its slots (the words an
// analyzer keeps, and the word being typed) and returns the text, its
// analyses, in textAnalyzers order, and each term's span in the text.
// Terms not linked to the one before are a sentence apart: no pair,
// compound or name of several words joins them.
func (pl *planner) wordSlots(terms []Term, linked []bool) (string, []analysedText, [][2]int) {
	var b strings.Builder
	type span struct {
		start, end int
		prefix     bool
		seg        int
	}
	spans := make([]span, len(terms))
	seg := 0
	for i, t := range terms {
		if i > 0 {
			if linked[i] {
				b.WriteByte(' ')
			} else {
				b.WriteString(". ")
				seg++
			}
		}
		spans[i].start = b.Len()
		b.WriteString(t.Text)
		spans[i].end = b.Len()
		spans[i].prefix = t.Prefix
		spans[i].seg = seg
	}
	wordsText := b.String()
	out := make([][2]int, len(spans))
	for i, sp := range spans {
		out[i] = [2]int{sp.start, sp.end}
	}

	// Slots: the words of the text, from the tokenizer.
	for _, tok := range text.Tokenize(wordsText) {
		if tok.Joined {
			continue
		}
		sl := &slot{raw: tok.Text, start: tok.Start, end: tok.End, pos: tok.Position}
		for _, sp := range spans {
			if sp.prefix && tok.End == sp.end {
				sl.prefix = true
			}
			if tok.Start >= sp.start && tok.End <= sp.end {
				sl.seg = sp.seg
			}
		}
		pl.bySlot[tok.Position] = len(pl.slots)
		pl.slots = append(pl.slots, sl)
	}
	analysed := make([]analysedText, 0, 3)
	for _, name := range textAnalyzers() {
		stream := pl.analyze(name, wordsText)
		analysed = append(analysed, analysedText{name, stream})
		for _, tok := range stream {
			if tok.Type == analysis.Shingle {
				continue
			}
			if i, ok := pl.bySlot[tok.Position]; ok {
				pl.slots[i].direct = true
				if name == PlainAnalyzer {
					pl.slots[i].plain = string(tok.Term)
				}
			}
		}
	}
	// Keep the words that an analyzer kept, and the word being typed.
	kept := pl.slots[:0]
	for _, sl := range pl.slots {
		if (sl.direct || sl.prefix) && len(kept) < MaxQueryTerms {
			kept = append(kept, sl)
		}
	}
	pl.slots = kept
	clear(pl.bySlot)
	var content uint32
	for i, sl := range pl.slots {
		pl.bySlot[sl.pos] = i
		pl.p.words = append(pl.p.words, sl.raw)
		sl.function = isFunctionWord(sl.raw) && !sl.prefix
		if !sl.function {
			content |= 1 << i
		}
	}
	if content == 0 {
		// Only function words: they are the query.
		content = 1<<len(pl.slots) - 1
		for _, sl := range pl.slots {
			sl.function = false
		}
	}
	pl.p.content |= content
	return wordsText, analysed, out
}

// wordLeaves adds the words as written (plain) and stemmed in each
// language, in the title, body and source fields.
func (pl *planner) wordLeaves(analysed []analysedText) {
	weights := map[string]float64{PlainAnalyzer: exactWeight, FrenchAnalyzer: stemWeight, EnglishAnalyzer: stemWeight}
	for _, a := range analysed {
		title, body := textFieldsOf(a.analyzer)
		for _, tok := range a.tokens {
			mask := pl.covering(tok.Start, tok.End)
			if mask == 0 {
				continue
			}
			term := string(tok.Term)
			weight := weights[a.analyzer]
			if mask&pl.p.content == 0 {
				// A function word alone: it may only break ties.
				weight *= functionWeight
			}
			class := direct
			if a.analyzer != PlainAnalyzer {
				if sl := pl.typing(mask); sl != nil {
					if sl.plain != "" && !pl.s.vocab.contains(sl.plain) && pl.s.vocab.completes(sl.plain) {
						// A word still being typed: its stem is an accident
						// ("ubéri" → "uber"); its completions stand for it.
						// A word that starts none is complete, in a form
						// the documents do not hold ("salariées" for
						// "salariés"): its stems match it.
						continue
					}
					class = prefix
				}
			}
			pl.addText(title, body, term, weight, mask, class)
			pl.mark(a.analyzer, term)
		}
	}
}

// genderLeaves adds, for a French noun of agent in one gender, its other
// gender in both numbers, as written, where the documents hold it
// ("travailleuses" finds "travailleurs", "modérateur" finds
// "modératrices"): Snowball stems the two apart.
func (pl *planner) genderLeaves() {
	for i, sl := range pl.slots {
		if sl.plain == "" || sl.function {
			continue
		}
		for _, f := range otherGender(sl.plain) {
			if pl.s.vocab.contains(f) {
				pl.addText(fieldTitlePlain, fieldBodyPlain, f, stemWeight, uint32(1)<<i, direct)
				pl.p.marks.plain[f] = true
			}
		}
	}
}

// otherGender returns the forms of the other gender of a folded French
// noun of agent (-eur, -euse, -teur, -trice), singular and plural, or nil.
func otherGender(w string) []string {
	cut := func(suffixes ...string) (string, bool) {
		for _, sfx := range suffixes {
			if base, ok := strings.CutSuffix(w, sfx); ok && len(base) >= 3 {
				return base, true
			}
		}
		return "", false
	}
	if base, ok := cut("euses", "euse"); ok {
		return []string{base + "eur", base + "eurs"}
	}
	if base, ok := cut("trices", "trice"); ok {
		return []string{base + "teur", base + "teurs"}
	}
	if base, ok := cut("eurs", "eur"); ok {
		out := []string{base + "euse", base + "euses"}
		if strings.HasSuffix(base, "t") {
			out = append(out, base[:len(base)-1]+"trice", base[:len(base)-1]+"trices")
		}
		return out
	}
	return nil
}

// neighbourLeaves adds, for adjacent words, a bonus for documents where
// they are neighbours, and the two written as one word ("micro travail" →
// "microtravail").
func (pl *planner) neighbourLeaves(wordsText string) {
	for _, tok := range pl.analyze(PairsAnalyzer, wordsText) {
		if mask := pl.covering(tok.Start, tok.End); bits.OnesCount32(mask) >= 2 {
			pl.add(leaf{field: fieldPairs, term: string(tok.Term), weight: pairWeight, needWords: mask, near: mask & -mask})
		}
	}
	for i := 0; i+1 < len(pl.slots); i++ {
		a, c := pl.slots[i], pl.slots[i+1]
		if c.pos-a.pos >= text.BreakGap || a.plain == "" || c.plain == "" {
			continue
		}
		mask := uint32(1)<<i | uint32(1)<<(i+1)
		joined := text.JoinCompound([]string{a.raw, c.raw})
		for _, name := range textAnalyzers() {
			title, body := textFieldsOf(name)
			for _, tok := range pl.analyze(name, joined) {
				if tok.Type != analysis.Shingle {
					pl.addNear(title, body, string(tok.Term), exactWeight, mask, direct, uint32(1)<<i)
					pl.mark(name, string(tok.Term))
				}
			}
		}
	}
}

// kindLeaves adds, for a word that names a kind of document in French or
// English, the documents of that kind, as a concept would.
func (pl *planner) kindLeaves() {
	for i, sl := range pl.slots {
		if kind := kindNamed(sl.plain); kind != "" {
			pl.add(leaf{field: fieldKind, term: string(kind), weight: conceptWeight, words: uint32(1) << i, class: concept})
		}
	}
}

// expansions adds each word's typo corrections and completions (and the
// concept its best correction names). Each word has its own share of the
// leaves left, so that the expansions of the first words never crowd out
// those of the last; a share a word leaves unused goes to the next.
func (pl *planner) expansions() {
	for i, sl := range pl.slots {
		share := (maxLeaves - len(pl.p.leaves)) / (len(pl.slots) - i)
		pl.limit = len(pl.p.leaves) + share
		mask := uint32(1) << i
		var corrections []string
		if sl.plain != "" && !sl.function {
			corrections = pl.fuzzy(sl.plain, mask)
		}
		if sl.prefix {
			pl.prefix(sl, mask)
			if sl.plain == "" || !pl.s.vocab.contains(sl.plain) {
				pl.p.partial |= mask
			}
		}
		if sl.plain == "" || sl.function || pl.s.vocab.frequency(sl.plain) > 0 {
			// A function word, or a word the documents hold (pl.exists'
			// first test): no correction or run-together concept applies.
			continue
		}
		id, named := pl.s.squashedConcept(sl.raw)
		if id == "" && len(corrections) == 0 || pl.exists(sl) {
			continue
		}
		if id != "" {
			// A word found nowhere that is a concept's name or variant
			// written as one word ("fakenews"): the concept's documents.
			pl.add(leaf{field: fieldConcept, term: id, weight: conceptWeight, words: mask, class: concept})
			pl.p.marks.concepts[id] = true
			if named {
				pl.p.named[id] = true
			}
		}
		if len(corrections) > 0 {
			// A word found nowhere: its best correction may name a concept.
			pl.p.unknown |= mask
			pl.concepts(corrections[0], func(int, int) uint32 { return mask })
		}
	}
	pl.limit = 0
}

// kindNamed returns the kind of document that a word (its plain form)
// names, or "".
func kindNamed(plain string) corpus.Kind {
	switch plain {
	case "seminar", "seminars", "seminaire", "seminaires":
		return corpus.Seminar
	case "video", "videos":
		return corpus.Video
	case "interview", "interviews", "entretien", "entretiens":
		return corpus.Interview
	case "press", "presse":
		return corpus.Press
	case "review", "reviews", "revue", "revues":
		return corpus.PressReview
	case "billet", "billets":
		return corpus.Post
	}
	return ""
}

// typing returns the word being typed if mask is that word alone.
func (pl *planner) typing(mask uint32) *slot {
	for i, sl := range pl.slots {
		if mask == 1<<i && sl.prefix {
			return sl
		}
	}
	return nil
}

// covering returns the mask of the slots within [start, end).
func (pl *planner) covering(start, end int) uint32 {
	var mask uint32
	for i, sl := range pl.slots {
		if sl.start >= start && sl.end <= end {
			mask |= 1 << i
		}
	}
	return mask
}

// mark records a term to highlight.
func (pl *planner) mark(analyzer, term string) {
	switch analyzer {
	case PlainAnalyzer:
		pl.p.marks.plain[term] = true
	case FrenchAnalyzer:
		pl.p.marks.fr[term] = true
	case EnglishAnalyzer:
		pl.p.marks.en[term] = true
	}
}

// exists reports whether a word is found as typed or stemmed anywhere. An
// error reading the index is kept in pl.err (the plan fails) and counts as
// found, so that no correction stands in for the word meanwhile.
func (pl *planner) exists(sl *slot) bool {
	if sl.plain != "" && pl.s.vocab.frequency(sl.plain) > 0 {
		return true
	}
	for _, name := range []string{FrenchAnalyzer, EnglishAnalyzer} {
		for _, tok := range pl.analyze(name, sl.raw) {
			for _, f := range []string{fieldBodyFR, fieldBodyEN, fieldTitleFR, fieldTitleEN} {
				n, err := pl.s.termCount(pl.ctx, f, string(tok.Term))
				if err != nil {
					pl.err = cmp.Or(pl.err, err)
					return true
				}
				if n > 0 {
					return true
				}
			}
		}
	}
	return false
}

// fuzzyLimits returns the edits allowed for a word and whether its first
// letter must match: one edit from 5 letters, two from 9, never on the first
// letter of a word shorter than 9.
func fuzzyLimits(word string) (edits int, keepFirst bool) {
	n := utf8.RuneCountInString(word)
	switch {
	case n >= 9:
		return 2, false
	case n >= 5:
		return 1, true
	}
	return 0, true
}

// fuzzy adds the typo corrections of a word and returns them, closest and
// most frequent first.
func (pl *planner) fuzzy(word string, mask uint32) []string {
	edits, keepFirst := fuzzyLimits(word)
	corrections, err := pl.s.vocab.corrections(word, edits, keepFirst, MaxFuzzyExpansions)
	if err != nil {
		pl.err = cmp.Or(pl.err, err)
		return nil
	}
	out := make([]string, len(corrections))
	for i, c := range corrections {
		w := fuzzyWeight1
		if c.edits > 1 {
			w = fuzzyWeight2
		}
		pl.addText(fieldTitlePlain, fieldBodyPlain, c.term, w, mask, typo)
		pl.p.marks.plain[c.term] = true
		out[i] = c.term
	}
	return out
}

// prefix adds the most frequent words that the word being typed starts.
func (pl *planner) prefix(sl *slot, mask uint32) {
	p := text.Fold(text.StripPossessive(text.Elide(text.Lower(sl.raw))))
	if p == "" {
		return
	}
	for _, term := range pl.s.vocab.completions(p, MaxPrefixExpansions) {
		// A completion weighs by how much of it was typed.
		typed := float64(len(p)) / float64(len(term))
		pl.addText(fieldTitlePlain, fieldBodyPlain, term, prefixWeight*max(0.25, typed), mask, prefix)
		pl.p.marks.plain[term] = true
	}
	if sl.plain == "" && pl.s.vocab.frequency(p) > 0 {
		// A stop word being typed may be the start of a word, or the word.
		pl.addText(fieldTitlePlain, fieldBodyPlain, p, prefixWeight, mask, prefix)
		pl.p.marks.plain[p] = true
	}
}

// concepts adds the concepts named in s, in French or English; cover maps a
// match's byte span to the query words it stands for.
func (pl *planner) concepts(s string, cover func(start, end int) uint32) {
	for _, lang := range []text.Lang{text.French, text.English} {
		for _, m := range pl.s.taxonomy.Match(s, lang) {
			mask := cover(m.Start, m.End)
			if mask == 0 {
				continue
			}
			pl.add(leaf{field: fieldConcept, term: m.Concept, weight: conceptWeight, words: mask, class: concept})
			pl.p.marks.concepts[m.Concept] = true
			if pl.s.namesConcept(s[m.Start:m.End], m.Concept) {
				pl.p.named[m.Concept] = true
			}
			if c, ok := pl.s.taxonomy.Concept(m.Concept); ok {
				pl.conceptVariants(c, mask)
				pl.conceptLabels(c, s[m.Start:m.End], mask)
			}
		}
	}
}

// forms returns the terms of s by every text analyzer.
func (pl *planner) forms(s string) []string {
	var out []string
	for _, name := range textAnalyzers() {
		for _, tok := range pl.analyze(name, s) {
			if tok.Type != analysis.Shingle && !slices.Contains(out, string(tok.Term)) {
				out = append(out, string(tok.Term))
			}
		}
	}
	return out
}

// conceptVariants: a query word that is one of a concept's one-word
// variants, by its form or a stem ("crowdworkers" for "crowdworker"), also
// matches directly the variant as written and stemmed in either language,
// so that the documents holding the word, in any paragraph, rank above
// those that treat the concept with other words.
func (pl *planner) conceptVariants(c *corpus.Concept, mask uint32) {
	if bits.OnesCount32(mask) != 1 {
		return
	}
	sl := pl.slots[bits.TrailingZeros32(mask)]
	if sl.prefix {
		return
	}
	word := pl.forms(sl.raw)
	variants := slices.Clone(c.Variants)
	for _, lang := range slices.Sorted(maps.Keys(c.VariantsByLang)) {
		variants = append(variants, c.VariantsByLang[lang]...)
	}
	for _, v := range variants {
		if strings.ContainsAny(v, " -") || !slices.ContainsFunc(pl.forms(v), func(f string) bool { return slices.Contains(word, f) }) {
			continue
		}
		for _, name := range textAnalyzers() {
			title, body := textFieldsOf(name)
			weight := stemWeight
			if name == PlainAnalyzer {
				weight = exactWeight
			}
			for _, tok := range pl.analyze(name, v) {
				if tok.Type != analysis.Shingle {
					pl.addText(title, body, string(tok.Term), weight, mask, direct)
					pl.mark(name, string(tok.Term))
				}
			}
		}
	}
}

// conceptLabels: a query naming a concept by its name in one language, in
// several words, finds as its words side by side the concept's name in the
// other language, written as a phrase ("artificial intelligence" finds
// "intelligence artificielle", and the reverse), in a document that matched
// the words already. named is the text of the query that named it.
func (pl *planner) conceptLabels(c *corpus.Concept, named string, mask uint32) {
	if bits.OnesCount32(mask) < 2 {
		return
	}
	plain := func(s string) string {
		var words []string
		for _, tok := range pl.analyze(PlainAnalyzer, s) {
			if tok.Type != analysis.Shingle {
				words = append(words, string(tok.Term))
			}
		}
		return strings.Join(words, " ")
	}
	var labels []string
	isLabel := false
	for _, lang := range []string{"fr", "en"} {
		l := c.Labels[lang]
		if l == "" {
			continue
		}
		if plain(l) == plain(named) {
			isLabel = true
		} else if !slices.Contains(labels, l) {
			labels = append(labels, l)
		}
	}
	if !isLabel {
		return
	}
	for _, l := range labels {
		for _, tok := range pl.analyze(PairsAnalyzer, l) {
			pl.add(leaf{field: fieldPairs, term: string(tok.Term), weight: pairWeight, words: mask, class: direct,
				needWords: mask, near: mask & -mask})
		}
	}
}

// phrase plans a quoted phrase: its words as written must all match, and
// each two neighbours as a pair. It returns the phrase's bit among the
// query words, or 0 when it has no word to find.
func (pl *planner) phrase(t Term) uint32 {
	if len(pl.p.words) >= MaxQueryTerms {
		return 0
	}
	slotBit := uint32(1) << len(pl.p.words)
	wordBits := map[int]uint32{} // position → requirement bit
	var req uint32
	for _, tok := range pl.analyze(PlainAnalyzer, t.Text) {
		if tok.Type == analysis.Shingle {
			continue
		}
		bit := pl.nextReq()
		if bit == 0 {
			return 0
		}
		req |= bit
		wordBits[tok.Position] = bit
		term := string(tok.Term)
		pl.add(leaf{field: fieldTitlePlain, term: term, weight: exactWeight * titleWeight, words: slotBit, class: direct, req: bit})
		pl.add(leaf{field: fieldBodyPlain, term: term, weight: exactWeight, words: slotBit, class: direct, req: bit})
		pl.p.marks.plain[term] = true
	}
	if len(wordBits) == 0 {
		return 0
	}
	// Each word by its stems too ("appels système" holds "appel
	// système"): such documents are checked in the text (phrase.go).
	spec := pl.phraseWords(t.Text, wordBits, slotBit)
	for _, tok := range pl.analyze(PairsAnalyzer, t.Text) {
		// The pair starts at its first word; its second is the next one.
		first, ok := wordBits[tok.Position]
		if !ok {
			continue
		}
		var second uint32
		for pos, bit := range wordBits {
			if pos > tok.Position && (second == 0 || bit < second) {
				second = bit
			}
		}
		bit := pl.nextReq()
		if bit == 0 || second == 0 {
			break
		}
		spec.pairs |= bit
		req |= bit
		pl.add(leaf{field: fieldPairs, term: string(tok.Term), weight: pairWeight, class: direct, req: bit, needReq: first | second})
	}
	spec.bit, spec.req = slotBit, req
	pl.p.phrases = append(pl.p.phrases, spec)
	pl.p.content |= slotBit
	pl.p.words = append(pl.p.words, t.Text)
	return slotBit
}

// nextReq returns an unused requirement bit, or 0.
func (pl *planner) nextReq() uint32 {
	if pl.p.reqs >= 32 {
		return 0
	}
	bit := uint32(1) << pl.p.reqs
	pl.p.reqs++
	return bit
}

// clauses records the query's clauses (masks: each atom's words) and
// which phrases every hit must hold: those that are a clause alone. The
// others are alternatives, held or not (see matchHits).
func (pl *planner) clauses(b boolQuery, masks []uint32) {
	for _, c := range b.clauses {
		var clause []uint32
		for _, i := range c {
			if m := masks[i]; m != 0 && !slices.Contains(clause, m) {
				clause = append(clause, m)
			}
		}
		if len(clause) > 0 {
			pl.p.clauses = append(pl.p.clauses, clause)
		}
	}
	for i := range pl.p.phrases {
		ph := &pl.p.phrases[i]
		ph.optional = !slices.ContainsFunc(pl.p.clauses, func(c []uint32) bool { return len(c) == 1 && c[0] == ph.bit })
		if !ph.optional {
			pl.p.required |= ph.req
		}
	}
}

// exclusion plans a -word or -"phrase".
func (pl *planner) exclusion(t Term) {
	if t.Phrase {
		if group := pl.phraseExclusion(t.Text); len(group) > 0 {
			pl.p.excludeAll = append(pl.p.excludeAll, group)
		}
		return
	}
	pl.p.exclude = append(pl.p.exclude, pl.wordExclusion(t.Text)...)
}

// phraseExclusion returns the leaves of the documents with every word and
// every pair of a phrase: each element of the group must match.
func (pl *planner) phraseExclusion(phrase string) [][]leaf {
	var group [][]leaf
	for _, tok := range pl.analyze(PlainAnalyzer, phrase) {
		if tok.Type != analysis.Shingle {
			group = append(group, []leaf{{field: fieldTitlePlain, term: string(tok.Term)}, {field: fieldBodyPlain, term: string(tok.Term)}})
		}
	}
	for _, tok := range pl.analyze(PairsAnalyzer, phrase) {
		group = append(group, []leaf{{field: fieldPairs, term: string(tok.Term)}})
	}
	return group
}

// wordExclusion returns the leaves of the documents an excluded word
// leaves out: any of them.
func (pl *planner) wordExclusion(word string) []leaf {
	var out []leaf
	for _, name := range textAnalyzers() {
		title, body := textFieldsOf(name)
		for _, tok := range pl.analyze(name, word) {
			for _, field := range []string{title, body} {
				out = append(out, leaf{field: field, term: string(tok.Term)})
			}
		}
	}
	return out
}

// excludeGroup plans an excluded group: "-(a OR b)" excludes each of its
// alternatives; "-(a b)" the documents that match the group whole. In a
// group of several clauses, a phrase that is an alternative stands for
// its pairs (its words side by side) only.
func (pl *planner) excludeGroup(g boolQuery) {
	if len(g.clauses) == 1 {
		for _, i := range g.clauses[0] {
			pl.exclusion(g.atoms[i].term)
		}
		return
	}
	var group [][]leaf
	for _, c := range g.clauses {
		if len(c) == 1 && g.atoms[c[0]].term.Phrase {
			group = append(group, pl.phraseExclusion(g.atoms[c[0]].term.Text)...)
			continue
		}
		var any []leaf
		for _, i := range c {
			t := g.atoms[i].term
			if !t.Phrase {
				any = append(any, pl.wordExclusion(t.Text)...)
				continue
			}
			for _, tok := range pl.analyze(PairsAnalyzer, t.Text) {
				any = append(any, leaf{field: fieldPairs, term: string(tok.Term)})
			}
			if words := pl.phraseExclusion(t.Text); len(words) == 1 {
				any = append(any, words[0]...)
			}
		}
		if len(any) == 0 {
			// A clause of stop words alone matches nothing: neither does
			// the group.
			return
		}
		group = append(group, any)
	}
	if len(group) > 0 {
		pl.p.excludeAll = append(pl.p.excludeAll, group)
	}
}
