package index

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"

	text "tacheron/corpus/analysis"
)

// Bounds of a concordance.
const (
	// MaxConcordanceLines bounds the lines a concordance reads before it
	// sorts and pages them.
	MaxConcordanceLines = 10000
	// MaxContextWords bounds the words of context on each side.
	MaxContextWords = 30
	// DefaultContextWords is their number by default.
	DefaultContextWords = 8
	// MaxConcordancePage bounds the lines of a page.
	MaxConcordancePage = 500
)

// Sort orders of a concordance, besides SortDateAsc and SortDateDesc.
const (
	SortSource = "source"
	SortLeft   = "left"
	SortRight  = "right"
)

// A ConcordanceRequest asks for every occurrence of a search's words in
// the documents it matches.
type ConcordanceRequest struct {
	// Search selects the documents (Query and Filters) and gives the words.
	Search Request
	// Context is the number of words on each side (DefaultContextWords
	// when 0).
	Context int
	// Sort is SortDateDesc (default), SortDateAsc, SortSource, SortLeft or
	// SortRight.
	Sort          string
	Offset, Limit int
	// Concepts adds the words that signalled a concept the query names or
	// stands for.
	Concepts bool
}

// A Concordance is a page of keyword-in-context lines.
type Concordance struct {
	// Total counts the lines of the documents read; Documents the
	// documents that match every word; Complete says whether all of them
	// were read (a date sort reads as far as its page, the others up to
	// MaxConcordanceLines lines).
	Total      int
	Documents  int
	Complete   bool
	Lines      []Line
	Generation uint64
}

// A Line is one occurrence: Keyword is the text as written, at bytes
// [Start, End) of the title (Field "title") or of paragraph Paragraph of the
// body (Field "body"), with Left and Right its context.
type Line struct {
	ID, Title, Source, Date string
	Field                   string
	Paragraph               int
	Start, End              int
	Left, Keyword, Right    string
}

func (r *ConcordanceRequest) normalize() error {
	if r.Context == 0 {
		r.Context = DefaultContextWords
	}
	if r.Context < 1 || r.Context > MaxContextWords {
		return &QueryError{Field: "context", Reason: fmt.Sprintf("must be between 1 and %d", MaxContextWords)}
	}
	if r.Limit == 0 {
		r.Limit = 50
	}
	if r.Limit < 1 || r.Limit > MaxConcordancePage {
		return &QueryError{Field: "per_page", Reason: fmt.Sprintf("must be between 1 and %d", MaxConcordancePage)}
	}
	if r.Offset < 0 || r.Offset+r.Limit > MaxConcordanceLines {
		return &QueryError{Field: "page", Reason: fmt.Sprintf("lines beyond the first %d are not served", MaxConcordanceLines)}
	}
	switch r.Sort {
	case "":
		r.Sort = SortDateDesc
	case SortDateDesc, SortDateAsc, SortSource, SortLeft, SortRight:
	default:
		return &QueryError{Field: "sort", Reason: fmt.Sprintf("unknown sort %q (want -date, date, source, left or right)", r.Sort)}
	}
	if strings.TrimSpace(r.Search.Query) == "" {
		return &QueryError{Field: "q", Reason: "a concordance needs words to look for"}
	}
	return nil
}

// Concordance returns the occurrences of a search's words — as the search
// matches them: as written, folded, by stem, a typo or a completion; a
// phrase as a whole — in the documents that match every word.
func (s *Snapshot) Concordance(ctx context.Context, req ConcordanceRequest) (*Concordance, error) {
	if err := req.normalize(); err != nil {
		return nil, err
	}
	req.Search.ExcludeRelated = true
	sel, err := s.selectDocs(ctx, req.Search, nil)
	if err != nil {
		return nil, err
	}
	out := &Concordance{Documents: int(sel.primary.GetCardinality()), Complete: true, Generation: s.Generation()}
	// Lines come in date order: a date sort reads only as far as its page
	// (and one line more, to know whether there are more); the others
	// read up to MaxConcordanceLines and sort them.
	enough := MaxConcordanceLines
	if req.Sort == SortDateDesc || req.Sort == SortDateAsc {
		enough = req.Offset + req.Limit + 1
	}
	var lines []Line
	err = s.concordanceLines(ctx, sel, req, func(l Line) bool {
		lines = append(lines, l)
		return len(lines) < enough
	})
	if err == errEnough {
		out.Complete = false
	} else if err != nil {
		return nil, err
	}
	out.Total = len(lines)
	sortLines(lines, req.Sort)
	if req.Offset < len(lines) {
		out.Lines = lines[req.Offset:min(len(lines), req.Offset+req.Limit)]
	}
	return out, nil
}

// errEnough stops a walk over lines.
var errEnough = fmt.Errorf("enough lines")

// ConcordanceEach calls fn with every line of a concordance, in the order
// of its documents (newest first, or oldest with SortDateAsc), until fn
// returns false; Offset and Limit do not apply.
func (s *Snapshot) ConcordanceEach(ctx context.Context, req ConcordanceRequest, fn func(Line) bool) error {
	req.Limit, req.Offset = 1, 0
	if err := req.normalize(); err != nil {
		return err
	}
	req.Search.ExcludeRelated = true
	sel, err := s.selectDocs(ctx, req.Search, nil)
	if err != nil {
		return err
	}
	if err := s.concordanceLines(ctx, sel, req, fn); err != nil && err != errEnough {
		return err
	}
	return nil
}

// concordanceLines walks the selection's documents by date and their
// lines; it returns errEnough when fn stops it.
func (s *Snapshot) concordanceLines(ctx context.Context, sel *selection, req ConcordanceRequest, fn func(Line) bool) error {
	p := *sel.plan
	if !req.Concepts {
		// The concepts the query names are its words; the others only
		// when asked.
		m := *p.marks
		m.concepts = p.named
		p.marks = &m
	}
	phraseOnly := len(p.words) > 0 && !slices.ContainsFunc(p.leaves, func(l leaf) bool { return l.req == 0 && l.words != 0 })
	var phrases uint32
	for _, l := range p.leaves {
		if l.req != 0 {
			phrases |= l.words
		}
	}
	dense := sel.primary.ToDense()
	visit := func(doc uint32) error {
		if w := int(doc / 64); w >= len(dense) || dense[w]&(1<<(doc%64)) == 0 {
			return nil
		}
		rec, err := s.docs.get(doc)
		if err != nil {
			return err
		}
		h := s.newHighlighter(&p, rec)
		emit := func(field string, para int, s, lang string) error {
			for _, sp := range joinPhrases(s, h.spans(s, 0, lang), phrases != 0, phraseOnly) {
				l := Line{ID: rec.id, Title: rec.title, Source: rec.source, Date: rec.date, Field: field, Paragraph: para,
					Start: sp.start, End: sp.end, Keyword: s[sp.start:sp.end]}
				l.Left, l.Right = contextWords(s, sp.start, sp.end, req.Context)
				if !fn(l) {
					return errEnough
				}
			}
			return nil
		}
		if err := emit("title", 0, rec.title, rec.titleLang); err != nil {
			return err
		}
		for i, fp := range rec.paragraphs() {
			lang := "fr"
			if i < len(rec.paragraphLangs) && rec.paragraphLangs[i] == 'e' {
				lang = "en"
			}
			if err := emit("body", i, fp.text, lang); err != nil {
				return err
			}
		}
		return ctx.Err()
	}
	return s.walkByDate(sel.primary, req.Sort == SortDateAsc, visit)
}

// walkByDate calls visit with the documents of docs, newest first (or
// oldest), until it returns an error.
func (s *Snapshot) walkByDate(docs *roaring.Bitmap, oldest bool, visit func(uint32) error) error {
	n := len(s.byDate)
	for i := range n {
		doc := s.byDate[i]
		if oldest {
			doc = s.byDate[n-1-i]
		}
		if err := visit(doc); err != nil {
			return err
		}
	}
	return nil
}

// joinPhrases joins the spans of a phrase's words that follow each other
// (function words between them) into one; with phraseOnly, the spans left
// alone are dropped.
func joinPhrases(s string, spans []span, phrases, phraseOnly bool) []span {
	if !phrases || len(spans) == 0 {
		return spans
	}
	var out []span
	words := 1
	for i, sp := range spans {
		if i > 0 && onlyFunctionWords(s[out[len(out)-1].end:sp.start]) {
			out[len(out)-1].end = sp.end
			words++
			continue
		}
		if phraseOnly && len(out) > 0 && words < 2 {
			out = out[:len(out)-1]
		}
		out = append(out, sp)
		words = 1
	}
	if phraseOnly && words < 2 {
		out = out[:len(out)-1]
	}
	return out
}

// onlyFunctionWords reports whether s, the text between two words, holds
// only spaces and function words (no sentence punctuation).
func onlyFunctionWords(s string) bool {
	if strings.ContainsAny(s, ".;:!?,()[]«»\"") {
		return false
	}
	for _, t := range text.Tokenize(s) {
		if !text.IsStopWord(text.Any, text.StripPossessive(text.Elide(text.Lower(t.Text)))) {
			return false
		}
	}
	return true
}

// contextWords returns up to n words of s on each side of [start, end).
func contextWords(s string, start, end, n int) (left, right string) {
	lw := strings.Fields(s[:start])
	rw := strings.Fields(s[end:])
	left = strings.Join(lw[max(0, len(lw)-n):], " ")
	right = strings.Join(rw[:min(n, len(rw))], " ")
	return left, right
}

// sortLines orders lines; a stable sort keeps document order for ties.
func sortLines(lines []Line, by string) {
	var key func(l Line) string
	switch by {
	case SortSource:
		key = func(l Line) string { return strings.ToLower(l.Source) }
	case SortLeft:
		key = func(l Line) string {
			w := strings.Fields(l.Left)
			slices.Reverse(w)
			return sortKey(strings.Join(w, " "))
		}
	case SortRight:
		key = func(l Line) string { return sortKey(l.Right) }
	default:
		return
	}
	idx := make([]int, len(lines))
	ks := make([]string, len(lines))
	for i := range lines {
		idx[i] = i
		ks[i] = key(lines[i])
	}
	slices.SortStableFunc(idx, func(a, b int) int { return strings.Compare(ks[a], ks[b]) })
	sorted := make([]Line, len(lines))
	for i, j := range idx {
		sorted[i] = lines[j]
	}
	copy(lines, sorted)
}

// sortKey folds text for sorting: lower case, no accents, letters and
// digits first.
func sortKey(s string) string {
	return strings.TrimLeftFunc(text.Fold(text.Lower(s)), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
}
