// Package reprint finds reprints: documents that carry the same text
// reached through two routes (a blog post reproducing a Le Figaro article,
// and the Europresse export of that article).
//
// Each document's text becomes a set of word shingles (runs of Shingle
// folded words), summarised by a MinHash signature of Hashes 16-bit values
// (b-bit minwise hashing). Locality-sensitive hashing finds the candidate
// pairs without comparing every pair: the signature is cut into Bands
// bands of Rows values, and two documents are candidates when one band is
// equal — found by sorting one band at a time, so memory stays at the
// signatures (Hashes×2 bytes a document) plus one sort buffer. A candidate
// pair is kept when its estimated containment — the share of the shorter
// text's shingles found in the longer one — reaches Containment; kept pairs
// are joined into groups.
package reprint

import (
	"math"
	"math/bits"
	"slices"
	"strings"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Options tune a Finder; zero fields take the defaults.
type Options struct {
	// Shingle is the number of words of a shingle (default 5).
	Shingle int
	// Bands and Rows shape the LSH step: Bands×Rows hash values per
	// document (defaults 48 and 2: pairs of Jaccard similarity 0.2 are
	// candidates with probability 0.86, 0.3 with 0.99).
	Bands, Rows int
	// MinWords: shorter documents are not compared (default 40).
	MinWords int
	// Containment is the least share of the shorter document's shingles
	// that the longer one must hold (default 0.6).
	Containment float64
	// MaxRun bounds the comparisons within one LSH bucket: a member is
	// compared with at most MaxRun members before it (default 64).
	MaxRun int
}

func (o *Options) defaults() {
	if o.Shingle <= 0 {
		o.Shingle = 5
	}
	if o.Bands <= 0 {
		o.Bands = 48
	}
	if o.Rows <= 0 || o.Rows > 4 {
		o.Rows = 2
	}
	if o.MinWords <= 0 {
		o.MinWords = 40
	}
	if o.Containment <= 0 {
		o.Containment = 0.6
	}
	if o.MaxRun <= 0 {
		o.MaxRun = 64
	}
}

// A Finder collects documents and groups their reprints.
type Finder struct {
	opts  Options
	k     int      // hashes per document
	seeds []uint64 // one per hash
	ids   []string
	sizes []int32  // shingles per document
	sigs  []uint16 // k per document
	// common has a bit per (hash, value) that too many documents share
	// to tell anything: the minimum of a text every document holds (a
	// licence, a translator's credits, a site's footer), set by Groups.
	common []uint64
	// valid has, per document, a bit per hash whose value is not common
	// (see markValid), set by Groups.
	valid []uint64
	// fresh marks the documents added by AddFresh (see Regroup).
	fresh []bool
}

// NewFinder returns an empty Finder.
func NewFinder(opts Options) *Finder {
	opts.defaults()
	f := &Finder{opts: opts, k: opts.Bands * opts.Rows}
	s := uint64(0x9e3779b97f4a7c15)
	for range f.k {
		s = splitmix(s)
		f.seeds = append(f.seeds, s)
	}
	return f
}

// splitmix is the SplitMix64 finaliser, a cheap good 64-bit mixer.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// A Signature is the MinHash signature of one document's text.
type Signature struct {
	values []uint16
	size   int32 // distinct shingles
}

// Sign computes the signature of a text; it is nil-valued (and Add-ing it
// does nothing) for a text shorter than MinWords. Sign may be called from
// several goroutines at once.
func (f *Finder) Sign(text string) Signature {
	words := make([]uint64, 0, len(text)/6)
	for _, t := range analysis.Tokenize(text) {
		if t.Joined {
			continue
		}
		words = append(words, fnv(analysis.Fold(analysis.Lower(t.Text))))
	}
	if len(words) < f.opts.MinWords || len(words) < f.opts.Shingle {
		return Signature{}
	}
	hs := make([]uint64, 0, len(words))
	for i := 0; i+f.opts.Shingle <= len(words); i++ {
		h := uint64(14695981039346656037)
		for _, w := range words[i : i+f.opts.Shingle] {
			h = splitmix(h ^ w)
		}
		hs = append(hs, h)
	}
	slices.Sort(hs)
	hs = slices.Compact(hs)
	sig := make([]uint64, f.k)
	for i := range sig {
		sig[i] = math.MaxUint64
	}
	for _, h := range hs {
		for i, seed := range f.seeds {
			// Multiply-shift hashing: the high bits of (h^seed)·odd.
			if v := (h ^ seed) * 0x9e3779b97f4a7c15; v < sig[i] {
				sig[i] = v
			}
		}
	}
	out := Signature{values: make([]uint16, f.k), size: int32(len(hs))}
	for i, v := range sig {
		out.values[i] = uint16(v >> 48)
	}
	return out
}

// AddSigned adds a document by its signature (from Sign). It is not safe
// for concurrent use.
func (f *Finder) AddSigned(id string, s Signature) { f.add(id, s, false) }

// AddFresh adds, by its signature, a document that was not among those
// grouped last time (see Regroup): new, or signed again.
func (f *Finder) AddFresh(id string, s Signature) { f.add(id, s, true) }

func (f *Finder) add(id string, s Signature, fresh bool) {
	if len(s.values) != f.k {
		return
	}
	f.sigs = append(f.sigs, s.values...)
	f.ids = append(f.ids, id)
	f.sizes = append(f.sizes, s.size)
	f.fresh = append(f.fresh, fresh)
}

// Grow makes room for n more documents.
func (f *Finder) Grow(n int) {
	f.sigs = slices.Grow(f.sigs, n*f.k)
	f.ids = slices.Grow(f.ids, n)
	f.sizes = slices.Grow(f.sizes, n)
	f.fresh = slices.Grow(f.fresh, n)
}

// Add adds a document. Documents shorter than MinWords are ignored.
func (f *Finder) Add(id, text string) { f.AddSigned(id, f.Sign(text)) }

// fnv hashes a word (FNV-1a).
func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

// Len returns the number of documents compared (those long enough).
func (f *Finder) Len() int { return len(f.ids) }

// sig returns document i's signature.
func (f *Finder) sig(i int) []uint16 { return f.sigs[i*f.k : (i+1)*f.k] }

// containment estimates the share of the smaller document's shingles that
// the other holds, from the signatures' agreement (an estimate of the
// Jaccard similarity, corrected for 16-bit collisions) and the set sizes.
//
// Hashes whose value, in either document, is one that many documents share
// are left out: their agreement says only that both carry boilerplate, and
// a document whose hashes are mostly boilerplate is nobody's reprint.
func (f *Finder) containment(a, b int) float64 {
	sa, sb := f.sig(a), f.sig(b)
	same, valid := 0, 0
	words := f.validWords()
	ma, mb := f.valid[a*words:(a+1)*words], f.valid[b*words:(b+1)*words]
	for w := range ma {
		m := ma[w] & mb[w]
		valid += bits.OnesCount64(m)
		for ; m != 0; m &= m - 1 {
			if i := w*64 + bits.TrailingZeros64(m); sa[i] == sb[i] {
				same++
			}
		}
	}
	if valid < f.k/8 || same < minAgree {
		return 0
	}
	// The estimate below scales the similarity by the longer text's size:
	// between a long text and a short one, a few chance agreements would
	// read as a short text held whole. A reprint is not a quarter of the
	// text it is found in.
	if na, nb := f.sizes[a], f.sizes[b]; 4*min(na, nb) < max(na, nb) {
		return 0
	}
	const collide = 1.0 / 65536
	j := (float64(same)/float64(valid) - collide) / (1 - collide)
	if j <= 0 {
		return 0
	}
	na, nb := float64(f.sizes[a]), float64(f.sizes[b])
	inter := j * (na + nb) / (1 + j)
	return min(1, inter/min(na, nb))
}

// minAgree is the least number of hashes two reprints agree on: fewer are
// chance.
const minAgree = 8

// isCommon reports whether value v of hash i is shared by too many
// documents (see markCommon).
func (f *Finder) isCommon(i int, v uint16) bool {
	if f.common == nil {
		return false
	}
	bit := i<<16 | int(v)
	return f.common[bit/64]&(1<<(bit%64)) != 0
}

// validWords returns the number of words of a document's mask in valid.
func (f *Finder) validWords() int { return (f.k + 63) / 64 }

// markValid sets valid: for each document, a bit per hash whose value is
// not common (see markCommon), so that containment compares two
// documents without looking their values up.
func (f *Finder) markValid() {
	words := f.validWords()
	f.valid = make([]uint64, len(f.ids)*words)
	for d := range f.ids {
		for i, v := range f.sig(d) {
			if !f.isCommon(i, v) {
				f.valid[d*words+i/64] |= 1 << (i % 64)
			}
		}
	}
}

// markCommon marks the hash values shared by more documents than a group
// of reprints has, beyond what 16-bit collisions explain.
func (f *Finder) markCommon() {
	n := len(f.ids)
	limit := f.commonLimit(n)
	f.common = make([]uint64, f.k*65536/64)
	var counts [65536]int32
	for i := range f.k {
		clear(counts[:])
		for d := range n {
			counts[f.sigs[d*f.k+i]]++
		}
		for v, c := range counts {
			if c > limit {
				bit := i<<16 | v
				f.common[bit/64] |= 1 << (bit % 64)
			}
		}
	}
}

// commonLimit returns how many of n documents may share a hash value
// before it is common.
func (f *Finder) commonLimit(n int) int32 {
	return int32(max(f.opts.MaxRun/2, 4*n/65536+16))
}

// A unionFind joins documents into groups.
type unionFind []int32

func newUnionFind(n int) unionFind {
	u := make(unionFind, n)
	for i := range u {
		u[i] = int32(i)
	}
	return u
}

func (u unionFind) find(x int32) int32 {
	for u[x] != x {
		u[x] = u[u[x]]
		x = u[x]
	}
	return x
}

func (u unionFind) union(a, b int32) { u[u.find(a)] = u.find(b) }

// groups returns the groups of two or more documents of u, as Groups
// does.
func (f *Finder) groups(u unionFind) [][]string {
	members := map[int32][]string{}
	for i := range u {
		r := u.find(int32(i))
		members[r] = append(members[r], f.ids[i])
	}
	var groups [][]string
	for _, m := range members {
		if len(m) < 2 {
			continue
		}
		slices.Sort(m)
		groups = append(groups, m)
	}
	slices.SortFunc(groups, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	return groups
}

// Groups returns the groups of reprints, each of two or more ids, each
// group sorted and the groups ordered by their first id.
func (f *Finder) Groups() [][]string {
	f.markCommon()
	return f.groupAll()
}

// groupAll is Groups once f.common is set.
func (f *Finder) groupAll() [][]string {
	n := len(f.ids)
	f.markValid()
	u := newUnionFind(n)
	find := u.find
	parent := u
	type entry struct {
		key uint64
		doc int32
	}
	buf, tmp := make([]entry, n), make([]entry, n)
	counts := make([]int, 1<<16)
	rows := f.opts.Rows
	for band := range f.opts.Bands {
		for i := range n {
			var key uint64
			for _, v := range f.sigs[i*f.k+band*rows : i*f.k+(band+1)*rows] {
				key = key<<16 | uint64(v)
			}
			buf[i] = entry{key, int32(i)}
		}
		// Sort by key, then by document: buf is in document order and
		// a radix sort is stable, 16 bits (one hash value) a pass.
		for r := range rows {
			shift := 16 * r
			clear(counts)
			for _, e := range buf {
				counts[uint16(e.key>>shift)]++
			}
			at := 0
			for v, c := range counts {
				counts[v] = at
				at += c
			}
			for _, e := range buf {
				d := uint16(e.key >> shift)
				tmp[counts[d]] = e
				counts[d]++
			}
			buf, tmp = tmp, buf
		}
		for start := 0; start < n; {
			end := start + 1
			for end < n && buf[end].key == buf[start].key {
				end++
			}
			for i := start + 1; i < end; i++ {
				for j := max(start, i-f.opts.MaxRun); j < i; j++ {
					a, b := buf[i].doc, buf[j].doc
					if find(a) == find(b) {
						continue
					}
					if f.containment(int(a), int(b)) >= f.opts.Containment {
						parent[find(a)] = find(b)
					}
				}
			}
			start = end
		}
	}
	return f.groups(u)
}

// Link sets the Reprints of each of docs that has reprints among docs:
// the ids of the other members of its group.
func Link(docs []corpus.Document, opts Options) {
	f := NewFinder(opts)
	for i := range docs {
		f.Add(docs[i].ID, docs[i].Title+"\n\n"+docs[i].Text())
	}
	others := Others(f.Groups())
	for i := range docs {
		if o := others[docs[i].ID]; len(o) > 0 {
			docs[i].Reprints = o
		}
	}
}

// Others returns, for each document in a group, the ids of the other
// members of its group.
func Others(groups [][]string) map[string][]string {
	out := map[string][]string{}
	for _, g := range groups {
		for _, id := range g {
			for _, other := range g {
				if other != id {
					out[id] = append(out[id], other)
				}
			}
		}
	}
	return out
}

// Values returns the signature's MinHash values (nil for a text too short
// to sign) and its number of distinct shingles, to store it.
func (s Signature) Values() ([]uint16, int32) { return s.values, s.size }

// SignatureOf returns the signature of stored values (see Values).
func SignatureOf(values []uint16, size int32) Signature {
	return Signature{values: values, size: size}
}
