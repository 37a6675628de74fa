package index

import (
	"container/list"
	"context"
	"fmt"
	"slices"
	"sync"

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

// Postings cache bounds: lists of at least cacheMinPostings documents are
// kept decoded, up to cacheBytes in all, least recently used out first. A
// frequent word is decoded once per snapshot rather than once per request.
const (
	cacheMinPostings = 512
	cacheBytes       = 192 << 20
)

// postingsCache keeps decoded posting lists of a snapshot.
type postingsCache struct {
	mu      sync.Mutex
	entries map[string]*list.Element // field\x00term → element of lru
	lru     *list.List               // of *cacheEntry, most recent first
	bytes   int
	limit   int
}

type cacheEntry struct {
	key  string
	list *postingList
}

func newPostingsCache(limit int) *postingsCache {
	return &postingsCache{entries: map[string]*list.Element{}, lru: list.New(), limit: limit}
}

func (c *postingsCache) get(key string) *postingList {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e, ok := c.entries[key]; ok {
		c.lru.MoveToFront(e)
		return e.Value.(*cacheEntry).list
	}
	return nil
}

func (c *postingsCache) put(key string, pl *postingList) {
	size := 8*len(pl.docs) + len(key) + 64
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.entries[key]; ok || size > c.limit/4 {
		return
	}
	c.entries[key] = c.lru.PushFront(&cacheEntry{key: key, list: pl})
	c.bytes += size
	for c.bytes > c.limit {
		last := c.lru.Back()
		e := last.Value.(*cacheEntry)
		c.lru.Remove(last)
		delete(c.entries, e.key)
		c.bytes -= 8*len(e.list.docs) + len(e.key) + 64
	}
}

// decode returns the postings of term in field, from the cache or from
// bleve.
func (s *Snapshot) decode(ctx context.Context, field, term string) (*postingList, error) {
	key := field + "\x00" + term
	if pl := s.cache.get(key); pl != nil {
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
		n := int(tfr.Count())
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
	if len(pl.docs) >= cacheMinPostings {
		s.cache.put(key, pl)
	}
	return pl, nil
}
