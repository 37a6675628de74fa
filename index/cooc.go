package index

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/RoaringBitmap/roaring/v2"

	text "tacheron/corpus/analysis"
)

// Bounds of a co-occurrence request.
const (
	// MaxCooccurrences bounds the concepts and the terms of an answer.
	MaxCooccurrences = 100
	// DefaultCooccurrences is their number by default.
	DefaultCooccurrences = 10
	// DefaultMinCount is the least count of a concept or term shown.
	DefaultMinCount = 3
	// TermSample is the number of documents whose words are counted: the
	// newest of those that match.
	TermSample = 300
)

// A CooccurrenceRequest asks which concepts and words come with a search.
type CooccurrenceRequest struct {
	// Search selects the documents: its Query and Filters.
	Search Request
	// Limit bounds the concepts and the terms (DefaultCooccurrences when 0).
	Limit int
	// MinCount is the least number of documents a concept or a term must
	// share with the search (DefaultMinCount when 0).
	MinCount int
	// Lang is the language of concept labels ("fr" by default).
	Lang string
}

// Cooccurrence are the concepts and terms found with a search.
type Cooccurrence struct {
	// Total counts the search's documents (those that match every word).
	Total int
	// Concepts and Terms are the most associated first.
	Concepts []Associated
	Terms    []Associated
	// Sampled counts the documents whose words were counted: all of them,
	// or the newest TermSample.
	Sampled    int
	Generation uint64
}

// An Associated is a concept or a word found with a search: Count of the
// search's documents hold it (for a term, of the sampled ones), and Score
// is its pointwise mutual information with the search, log2 of
// P(it | search) / P(it): 0 when it is as frequent with the search as
// everywhere, 1 when twice as frequent.
type Associated struct {
	Value string
	Label string
	Count int
	Score float64
}

// Cooccurrence returns the concepts and terms of the documents a search
// matches, the most associated first, leaving out those the search names.
func (s *Snapshot) Cooccurrence(ctx context.Context, req CooccurrenceRequest) (*Cooccurrence, error) {
	if req.Limit == 0 {
		req.Limit = DefaultCooccurrences
	}
	if req.Limit < 1 || req.Limit > MaxCooccurrences {
		return nil, &QueryError{Field: "limit", Reason: fmt.Sprintf("must be between 1 and %d", MaxCooccurrences)}
	}
	if req.MinCount == 0 {
		req.MinCount = DefaultMinCount
	}
	if req.MinCount < 1 {
		return nil, &QueryError{Field: "min_count", Reason: "must be 1 or more"}
	}
	req.Search.ExcludeRelated = true
	sel, err := s.selectDocs(ctx, req.Search, nil)
	if err != nil {
		return nil, err
	}
	docs := sel.primary
	out := &Cooccurrence{Total: int(docs.GetCardinality()), Generation: s.Generation()}
	if out.Total == 0 {
		return out, nil
	}
	n := float64(s.all.GetCardinality())
	total := float64(out.Total)

	// Concepts: the concept facet of the documents.
	var raw []int
	if docs.GetCardinality() <= uint64(max(sparseHits, s.maxDoc/8)) {
		raw = s.countByColumns([]string{FacetConcept}, docs, nil)[FacetConcept]
	} else {
		raw = s.countByBitmaps([]string{FacetConcept}, docs, nil)[FacetConcept]
	}
	concepts := s.facets[fieldConcept]
	for i, v := range concepts.values {
		c := raw[i]
		if c < req.MinCount || sel.plan.named[v] || slices.Contains(req.Search.Filters.Concepts, v) {
			continue
		}
		df := float64(s.totals[FacetConcept][i])
		out.Concepts = append(out.Concepts, Associated{Value: v, Label: s.label(FacetConcept, v, req.Lang), Count: c,
			Score: pmi(float64(c)/total, df/n)})
	}
	out.Concepts = best(out.Concepts, req.Limit)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Terms: the words of the newest documents, against the corpus.
	counts, sampled, err := s.termCounts(ctx, docs)
	if err != nil {
		return nil, err
	}
	out.Sampled = sampled
	for id, c := range counts {
		t := s.vocab.terms[id]
		if c < req.MinCount || sel.plan.marks.plain[t] {
			continue
		}
		df := float64(min(s.vocab.df[id], uint32(n)))
		if df < float64(req.MinCount) || s.queryStem(sel.plan, t) {
			continue
		}
		out.Terms = append(out.Terms, Associated{Value: t, Label: s.displayTerm(t), Count: c, Score: pmi(float64(c)/float64(sampled), df/n)})
	}
	out.Terms = best(out.Terms, req.Limit)
	return out, nil
}

// pmi returns log2(p/q), rounded.
func pmi(p, q float64) float64 {
	if p <= 0 || q <= 0 {
		return 0
	}
	return math.Round(math.Log2(p/q)*1000) / 1000
}

// best sorts by score, then count, then value, and keeps n.
func best(as []Associated, n int) []Associated {
	slices.SortFunc(as, func(a, b Associated) int {
		switch {
		case a.Score != b.Score:
			if a.Score > b.Score {
				return -1
			}
			return 1
		case a.Count != b.Count:
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	return as[:min(n, len(as))]
}

// termCounts counts, over the newest TermSample documents of docs, the
// documents holding each word of the vocabulary (plain form, by its
// position), leaving out function words, numbers and words of fewer than
// three letters (see termVector). The documents not in the cache are read
// side by side, one reader per processor.
func (s *Snapshot) termCounts(ctx context.Context, docs *roaring.Bitmap) (map[uint32]int, int, error) {
	sample := make([]uint32, 0, TermSample)
	dense := docs.ToDense()
	for _, doc := range s.byDate {
		if len(sample) >= TermSample {
			break
		}
		if w := int(doc / 64); w < len(dense) && dense[w]&(1<<(doc%64)) != 0 {
			sample = append(sample, doc)
		}
	}
	vectors := make([][]uint32, len(sample))
	workers := max(1, min(runtime.GOMAXPROCS(0), len(sample)/32))
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Go(func() {
			for i := k; i < len(sample); i += workers {
				if i%64 == 63 {
					if errs[k] = ctx.Err(); errs[k] != nil {
						return
					}
				}
				if vectors[i], errs[k] = s.termVector(sample[i]); errs[k] != nil {
					return
				}
			}
		})
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		return nil, 0, err
	}
	counts := map[uint32]int{}
	for _, v := range vectors {
		for _, id := range v {
			counts[id]++
		}
	}
	return counts, len(sample), nil
}

// termVectorBytes bounds the term vectors a snapshot keeps.
const termVectorBytes = 16 << 20

// termVector returns the words of document doc that co-occurrence counts,
// each once, by their positions in the vocabulary, in order: the plain
// form (lower case, elided, without possessive, folded) of the words of
// its title and body of three letters or more, with a letter, not
// function words. A snapshot keeps those of the documents read last.
func (s *Snapshot) termVector(doc uint32) ([]uint32, error) {
	s.termVectorsOnce.Do(func() {
		s.termVectors = newLRU(termVectorBytes, func(_ uint32, v []uint32) int { return 64 + 4*len(v) })
	})
	if v, ok := s.termVectors.get(doc); ok {
		return v, nil
	}
	rec, err := s.docs.get(doc)
	if err != nil {
		return nil, err
	}
	var ids []uint32
	var tokens []text.Token
	for _, part := range []string{rec.title, rec.body} {
		tokens = text.AppendTokens(tokens[:0], part)
		for _, t := range tokens {
			e := text.StripPossessive(text.Elide(text.Lower(t.Text)))
			if utf8.RuneCountInString(e) < 3 || text.IsStopWord(text.Any, e) || !hasLetter(e) {
				continue
			}
			w := text.Fold(e)
			if id, ok := s.vocab.index[w]; ok && !text.IsStopWord(text.Any, w) {
				ids = append(ids, id)
			}
		}
	}
	slices.Sort(ids)
	ids = slices.Clip(slices.Compact(ids))
	s.termVectors.put(doc, ids)
	return ids, nil
}

// hasLetter reports whether s holds a letter.
func hasLetter(s string) bool {
	return strings.IndexFunc(s, unicode.IsLetter) >= 0
}

// displayTerm returns a word as the texts write it most, or the word.
func (s *Snapshot) displayTerm(t string) string {
	if v, ok := s.display.Load(t); ok {
		if d, ok := v.(string); ok {
			return d
		}
	}
	return t
}

// queryStem reports whether a word (plain form) has the stem of a query
// word, in French or English.
func (s *Snapshot) queryStem(p *plan, word string) bool {
	for _, st := range []struct {
		stemmer *text.Stemmer
		stems   map[string]bool
	}{{s.stemFR, p.marks.fr}, {s.stemEN, p.marks.en}} {
		a, b := st.stemmer.Forms(word)
		if st.stems[a] || b != "" && st.stems[b] {
			return true
		}
	}
	return false
}
