package index

import (
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
)

// An accumulator gathers, term at a time, what each document matched: its
// score, the query words it matched (directly or through expansions) and the
// phrase pairs it holds. Its arrays are dense, one entry per document; only
// the entries touched by a query are cleared after it.
type accumulator struct {
	score   []float32
	words   []uint32
	direct  []uint32 // words matched directly
	exact   []uint32 // words matched without a typo
	req     []uint32
	seen    []uint64 // bit per document
	touched []uint32
}

func newAccumulator(maxDoc int) *accumulator {
	return &accumulator{
		score:  make([]float32, maxDoc),
		words:  make([]uint32, maxDoc),
		direct: make([]uint32, maxDoc),
		exact:  make([]uint32, maxDoc),
		req:    make([]uint32, maxDoc),
		seen:   make([]uint64, (maxDoc+63)/64),
	}
}

// getAccumulator takes a cleared accumulator from the snapshot's pool.
func (s *Snapshot) getAccumulator() *accumulator {
	if a, ok := s.accumulators.Get().(*accumulator); ok {
		return a
	}
	return newAccumulator(s.maxDoc)
}

// putAccumulator clears a and returns it to the pool.
func (s *Snapshot) putAccumulator(a *accumulator) {
	a.reset()
	s.accumulators.Put(a)
}

// add records a leaf's match of doc.
func (a *accumulator) add(doc uint32, score float32, words uint32, class matchClass, req uint32) {
	if int(doc) >= len(a.score) {
		return
	}
	w, bit := doc/64, uint64(1)<<(doc%64)
	if a.seen[w]&bit == 0 {
		a.seen[w] |= bit
		a.touched = append(a.touched, doc)
	}
	a.score[doc] += score
	a.words[doc] |= words
	if class == direct {
		a.direct[doc] |= words
	}
	if class != typo {
		a.exact[doc] |= words
	}
	a.req[doc] |= req
}

// has reports whether doc matched all of words and all of the requirement
// bits req.
func (a *accumulator) has(doc uint32, words, req uint32) bool {
	if int(doc) >= len(a.score) {
		return false
	}
	return a.words[doc]&words == words && a.req[doc]&req == req
}

// hits returns the documents that hold every required pair and are not
// excluded.
func (a *accumulator) hits(required uint32, excluded *roaring.Bitmap) *roaring.Bitmap {
	dense := make([]uint64, len(a.seen))
	copy(dense, a.seen)
	if required != 0 {
		for _, doc := range a.touched {
			if a.req[doc]&required != required {
				dense[doc/64] &^= 1 << (doc % 64)
			}
		}
	}
	b := roaring.FromDense(dense, false)
	if excluded != nil {
		b.AndNot(excluded)
	}
	return b
}

// rank returns doc's ranking key.
func (a *accumulator) rank(doc uint32) ranked {
	return ranked{
		doc:    doc,
		words:  bits.OnesCount32(a.words[doc]),
		direct: bits.OnesCount32(a.direct[doc]),
		exact:  bits.OnesCount32(a.exact[doc]),
		score:  a.score[doc],
	}
}

// reset clears what the last query touched.
func (a *accumulator) reset() {
	for _, doc := range a.touched {
		a.score[doc] = 0
		a.words[doc] = 0
		a.direct[doc] = 0
		a.exact[doc] = 0
		a.req[doc] = 0
		a.seen[doc/64] = 0
	}
	a.touched = a.touched[:0]
}
