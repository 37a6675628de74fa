package index

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"unicode"

	"github.com/RoaringBitmap/roaring/v2"

	text "tacheron/corpus/analysis"
)

// Kinds of suggestions.
const (
	SuggestConcept = "concept"
	SuggestTerm    = "term"
	SuggestTitle   = "title"
)

// Suggestion limits.
const (
	DefaultSuggestions = 8
	MaxSuggestions     = 20
	maxConceptSuggest  = 3
	maxTitleSuggest    = 3
)

// A Suggestion completes what a search box holds.
type Suggestion struct {
	// Text is the whole completed query (or the title, for a title).
	Text string
	Kind string
	// ID is the concept id or the document id (titles).
	ID string
	// Count is the number of documents behind the suggestion.
	Count int
}

// Suggest returns completions of q, best first: concepts whose name starts
// with it, then the most frequent words that complete its last word, then
// titles with such a word. lang chooses concept labels ("fr" by default).
func (s *Snapshot) Suggest(ctx context.Context, q string, limit int, lang string) ([]Suggestion, error) {
	if limit <= 0 {
		limit = DefaultSuggestions
	}
	if limit > MaxSuggestions {
		return nil, &QueryError{Param: "limit", Reason: "at most 20 suggestions"}
	}
	if len(q) > MaxQueryBytes {
		return nil, &QueryError{Param: "q", Reason: "the query is too long"}
	}
	if lang != "en" {
		lang = "fr"
	}
	norm := normalizeSuggest(q)
	if norm == "" {
		return []Suggestion{}, nil
	}
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
	squashed := strings.ReplaceAll(norm, " ", "")
	for _, c := range s.taxonomy.Concepts {
		best := -1
		names := append([]string{c.Label(lang), c.Label("fr"), c.Label("en")}, c.Variants...)
		for i, v := range names {
			nv := normalizeSuggest(v)
			if strings.HasPrefix(nv, norm) || strings.HasPrefix(strings.ReplaceAll(nv, " ", ""), squashed) {
				best = i
				break
			}
		}
		if best < 0 {
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

	// Words completing the last word, the query's other words kept.
	words := strings.Fields(q)
	last := words[len(words)-1]
	prefix := text.Fold(text.StripPossessive(text.Elide(text.Lower(last))))
	head := strings.TrimSpace(q[:strings.LastIndex(q, last)])
	var completions []string
	if prefix != "" && !strings.HasSuffix(q, " ") {
		completions = s.vocab.completions(prefix, limit*2)
		if len(prefix) >= 3 && s.vocab.frequency(prefix) > 0 {
			completions = append([]string{prefix}, completions...)
		}
	}
	for _, term := range completions {
		if isNumber(term) {
			continue
		}
		display := s.displayForm(ctx, term)
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
// it (in the stable order) and remembered.
func (s *Snapshot) displayForm(ctx context.Context, term string) string {
	if v, ok := s.display.Load(term); ok {
		return v.(string)
	}
	form := term
	for _, field := range []string{fieldTitlePlain, fieldBodyPlain} {
		b, err := s.postings(ctx, field, term)
		if err != nil || b.IsEmpty() {
			continue
		}
		rec, err := s.docs.get(s.stableOrder(b)[0])
		if err != nil {
			continue
		}
		if f, ok := findForm(rec.title+"\n"+rec.body, term); ok {
			form = f
			break
		}
	}
	s.display.Store(term, form)
	return form
}

// findForm finds in text a word whose plain form is term and returns it in
// lower case, without an elided article; a form with accents is preferred.
func findForm(txt, term string) (string, bool) {
	var buf []byte
	found := ""
	for _, t := range text.Tokenize(txt) {
		buf = text.AppendPlain(buf[:0], t.Text)
		if string(buf) != term {
			continue
		}
		form := text.StripPossessive(text.Elide(text.Lower(t.Text)))
		if form != term {
			return form, true
		}
		found = form
	}
	return found, found != ""
}
