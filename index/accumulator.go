package index

import (
	"math"
	"math/bits"

	"github.com/RoaringBitmap/roaring/v2"
)

// An accumulator gathers, term at a time, what each document matched: its
// score, the query words it matched (at all, directly, without a typo) and
// the requirement bits (phrase words and pairs) it satisfies. Its arrays are
// dense, one entry per document; an entry belongs to the current query only
// when its stamp is the query's epoch, so nothing needs clearing between
// queries.
type accumulator struct {
	epoch   uint32
	cells   []cell // by document number
	touched []uint32
}

// A cell is what one document matched, in 24 bytes: the cells of a large
// index are read from memory, and their size is the cost of a query. The
// masks that only rank fold the query's words on 16 bits (direct, named,
// exact: word i and word i+16 share a bit), exact for queries of up to 16
// words, or on 8 (title, near); words and req, which select documents, are
// exact.
type cell struct {
	stamp  uint32
	score  float32
	words  uint32
	req    uint32
	direct uint16 // words matched directly
	named  uint16 // words matched directly or as a concept's name
	exact  uint16 // words matched without a typo
	title  uint8  // words matched directly in the title
	near   uint8  // query words found beside the next one
}

// fold maps a mask of query words onto 16 bits.
func fold(words uint32) uint16 { return uint16(words) | uint16(words>>16) }

// fold8 maps a mask of query words onto 8 bits.
func fold8(words uint32) uint8 { w := fold(words); return uint8(w) | uint8(w>>8) }

func newAccumulator(maxDoc int) *accumulator {
	a := &accumulator{epoch: 1}
	a.cells = allocCells(a, maxDoc)
	return a
}

// getAccumulator takes an accumulator from the snapshot's pool.
func (s *Snapshot) getAccumulator() *accumulator {
	if a, ok := s.accumulators.Get().(*accumulator); ok {
		return a
	}
	return newAccumulator(s.maxDoc)
}

// putAccumulator readies a for another query and returns it to the pool.
func (s *Snapshot) putAccumulator(a *accumulator) {
	a.touched = a.touched[:0]
	a.epoch++
	if a.epoch == 0 {
		clear(a.cells)
		a.epoch = 1
	}
	s.accumulators.Put(a)
}

// add records a leaf's match of doc; title is set for a direct match in
// the title.
func (a *accumulator) add(doc uint32, score float32, words uint32, class matchClass, req, near uint32, title bool) {
	if int(doc) >= len(a.cells) {
		return
	}
	c := &a.cells[doc]
	if c.stamp != a.epoch {
		*c = cell{stamp: a.epoch}
		a.touched = append(a.touched, doc)
	}
	c.score += score
	c.words |= words
	w := fold(words)
	switch class {
	case direct:
		c.direct |= w
		c.named |= w
	case concept:
		c.named |= w
	}
	if class != typo {
		c.exact |= w
	}
	c.req |= req
	c.near |= fold8(near)
	if title {
		c.title |= fold8(words)
	}
}

// has reports whether doc matched all of words and all of the requirement
// bits req.
func (a *accumulator) has(doc uint32, words, req uint32) bool {
	if int(doc) >= len(a.cells) || a.cells[doc].stamp != a.epoch {
		return false
	}
	c := &a.cells[doc]
	return c.words&words == words && c.req&req == req
}

// hits returns the documents that hold every required bit and are not
// excluded.
func (a *accumulator) hits(required uint32, excluded *roaring.Bitmap) *roaring.Bitmap {
	dense := make([]uint64, (len(a.cells)+63)/64)
	for _, doc := range a.touched {
		if a.cells[doc].req&required == required {
			dense[doc/64] |= 1 << (doc % 64)
		}
	}
	b := roaring.FromDense(dense, false)
	if excluded != nil {
		b.AndNot(excluded)
	}
	return b
}

// relevanceKey packs doc's ranking into one number, larger is better. Only
// the content words count (the query words that are not function words,
// see plan.content). First the words matched, plus those its title holds,
// plus one when it holds the whole query side by side as typed: a short
// title naming the subject, or the query as a phrase, beats a long body
// mentioning the words in passing. Then the query as a phrase; then the
// words its title holds; then those matched directly; then those matched
// directly or as the name of a concept it treats (a concept is a surer
// match than a completion); then those matched without a typo; then the
// query words it holds side by side (proximity); then its score.
func (a *accumulator) relevanceKey(doc uint32, content uint32) uint64 {
	c := &a.cells[doc]
	score := c.score
	if score < 0 || math.IsNaN(float64(score)) {
		score = 0
	}
	folded := fold(content)
	near := bits.OnesCount8(c.near)
	var phrase uint64
	if n := bits.OnesCount32(content); n >= 2 && bits.OnesCount8(c.near&fold8(content)) >= n-1 && c.exact&folded == folded {
		// Every word, as typed, beside the next: the query as a phrase.
		phrase = 1
	}
	title := bits.OnesCount8(c.title & fold8(content))
	return (uint64(bits.OnesCount32(c.words&content)+title)+phrase)<<57 |
		phrase<<56 |
		uint64(title)<<52 |
		uint64(bits.OnesCount16(c.direct&folded))<<46 |
		uint64(bits.OnesCount16(c.named&folded))<<41 |
		uint64(bits.OnesCount16(c.exact&folded))<<36 |
		uint64(near)<<32 |
		uint64(math.Float32bits(score))
}

// rankKey is relevanceKey for a document the current query touched, and 0
// for any other.
func (a *accumulator) rankKey(doc uint32, content uint32) uint64 {
	if int(doc) >= len(a.cells) || a.cells[doc].stamp != a.epoch {
		return 0
	}
	return a.relevanceKey(doc, content)
}

// score returns doc's score.
func (a *accumulator) score(doc uint32) float32 { return a.cells[doc].score }
