package index

import (
	"context"
	"fmt"
	"slices"

	bleveindex "github.com/blevesearch/bleve_index_api"
)

// A postingList is a term's postings in a field, decoded: the documents in
// order and, for each, the term-frequency part of its BM25 score.
type postingList struct {
	docs []uint32
	tf   []float32
}

// BM25 parameters.
const (
	bm25K1 = 1.2
	bm25B  = 0.75
)

// Postings cache bound: decoded lists are kept up to cacheBytes in all,
// least recently used out first. A frequent word is decoded once per
// snapshot rather than once per request, and a rare one is not read
// through bleve again while it is asked for.
const cacheBytes = 192 << 20

// newPostingsCache returns a cache of decoded posting lists by
// field\x00term.
func newPostingsCache(limit int) *lru[string, *postingList] {
	return newLRU(limit, func(key string, pl *postingList) int { return 8*len(pl.docs) + len(key) + 96 })
}

// decode returns the postings of term in field, from the cache or from
// bleve.
func (s *Snapshot) decode(ctx context.Context, field, term string) (*postingList, error) {
	key := field + "\x00" + term
	if pl, ok := s.cache.get(key); ok {
		return pl, nil
	}
	avg := s.stats.FieldLength[field]
	if avg <= 0 {
		avg = 1
	}
	pl := &postingList{}
	var tfd bleveindex.TermFieldDoc
	for _, sh := range s.shards {
		tfr, err := sh.reader.TermFieldReader(ctx, []byte(term), field, true, true, false)
		if err != nil {
			return nil, fmt.Errorf("search: %w", err)
		}
		n := int(tfr.Count()) // deleted documents included
		if n == 0 {
			tfr.Close()
			continue
		}
		pl.docs = slices.Grow(pl.docs, n)
		pl.tf = slices.Grow(pl.tf, n)
		for k := 0; ; k++ {
			if k&4095 == 4095 {
				if err := ctx.Err(); err != nil {
					tfr.Close()
					return nil, err
				}
			}
			next, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return nil, fmt.Errorf("search: %w", err)
			}
			if next == nil {
				break
			}
			if sh.isDeleted(next.ID.Value()) {
				continue
			}
			tf := float64(next.Freq)
			length := 1.0
			if next.Norm > 0 {
				length = 1 / (next.Norm * next.Norm)
			}
			pl.docs = append(pl.docs, sh.base+uint32(next.ID.Value()))
			pl.tf = append(pl.tf, float32(tf*(bm25K1+1)/(tf+bm25K1*(1-bm25B+bm25B*length/avg))))
		}
		tfr.Close()
	}
	s.cache.put(key, pl)
	return pl, nil
}
