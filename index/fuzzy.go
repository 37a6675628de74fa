package index

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/vellum"
)

// maxEdits is the most edits a typo correction makes.
const maxEdits = 2

// A correction is a word of the vocabulary close to a misspelt one.
type correction struct {
	term  string
	edits int
	df    uint32
}

// corrections returns up to n words of the vocabulary within edits of word
// (other than word), fewest edits then most frequent first. With keepFirst,
// the first letter is never edited. A word of the vocabulary is corrected
// by one edit at most. Edits count in letters, a transposition of two
// neighbours as one.
func (v *vocabulary) corrections(word string, edits int, keepFirst bool, n int) ([]correction, error) {
	if edits <= 0 || word == "" {
		return nil, nil
	}
	key := fixKey{word, edits, keepFirst, n}
	if cs, ok := v.fixes.get(key); ok {
		return cs, nil
	}
	cs, err := v.findCorrections(word, edits, keepFirst, n)
	if err != nil {
		return nil, err
	}
	v.fixes.put(key, cs)
	return cs, nil
}

// buildFST builds the FST of sorted terms, each mapped to its position.
func buildFST(terms []string) (*vellum.FST, error) {
	var buf bytes.Buffer
	b, err := vellum.New(&buf, nil)
	if err != nil {
		return nil, err
	}
	for i, t := range terms {
		if err := b.Insert([]byte(t), uint64(i)); err != nil {
			return nil, fmt.Errorf("fst: term %q: %w", t, err)
		}
	}
	if err := b.Close(); err != nil {
		return nil, fmt.Errorf("fst: %w", err)
	}
	return vellum.Load(buf.Bytes())
}

// findCorrections is corrections without the cache: the terms an automaton
// of word accepts, read from the vocabulary's FST — every word within the
// distance, through the whole vocabulary.
func (v *vocabulary) findCorrections(word string, edits int, keepFirst bool, n int) ([]correction, error) {
	edits = min(edits, maxEdits)
	if edits >= 2 && v.contains(word) {
		edits = 1
	}
	if len(word) > maxCorrected {
		return nil, nil
	}
	a := newOSAAutomaton(word, edits)
	// keepFirst: only the terms that start with word's first letter.
	var start, end []byte
	if keepFirst {
		_, size := utf8.DecodeRuneInString(word)
		start = []byte(word[:size])
		end = bytes.Clone(start)
		end[len(end)-1]++
	}
	var out []correction
	it, err := v.fst.Search(a, start, end)
	for err == nil {
		term, pos := it.Current()
		if string(term) != word {
			out = append(out, correction{term: v.terms[pos], edits: osaDistance(word, v.terms[pos], edits), df: v.df[pos]})
		}
		err = it.Next()
	}
	if !errors.Is(err, vellum.ErrIteratorDone) {
		return nil, fmt.Errorf("corrections of %q: %w", word, err)
	}
	sortCorrections(out)
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}

// sortCorrections sorts corrections by edits, then most frequent first,
// then alphabetically.
func sortCorrections(out []correction) {
	slices.SortFunc(out, func(a, b correction) int {
		if a.edits != b.edits {
			return a.edits - b.edits
		}
		if a.df != b.df {
			if a.df > b.df {
				return -1
			}
			return 1
		}
		return strings.Compare(a.term, b.term)
	})
}

// maxCorrected is the longest word (in bytes) corrected: osaDistance's
// bound.
const maxCorrected = 63

// An osaAutomaton accepts the byte strings within limit edits of word
// (optimal string alignment: deletions, insertions, substitutions and
// transpositions of neighbours). A state is a row of the edit-distance
// table, after the bytes that lead to it; the FST search walks the
// vocabulary's trie through it and leaves a branch as soon as every cell of
// the row exceeds limit. State 0 is dead; states are made as they are
// reached, so one automaton serves one search.
type osaAutomaton struct {
	word  []byte
	limit uint8
	// rows holds state s's row at [s*w, s*w+w), w = len(word)+1; parent
	// and in are the state it was reached from and by which byte (for
	// transpositions).
	rows   []uint8
	parent []int32
	in     []byte
	depth  []uint8 // the number of bytes read
}

func newOSAAutomaton(word string, limit int) *osaAutomaton {
	a := &osaAutomaton{word: []byte(word), limit: uint8(limit)}
	w := len(word) + 1
	a.rows = make([]uint8, 2*w, 64*w)
	for j := range w {
		a.rows[w+j] = uint8(min(j, limit+1))
	}
	a.parent = []int32{0, 0}
	a.in = []byte{0, 0}
	a.depth = []uint8{0, 0}
	return a
}

// Start returns the state before any byte.
func (a *osaAutomaton) Start() int { return 1 }

// IsMatch reports whether the bytes that lead to state are within limit.
func (a *osaAutomaton) IsMatch(state int) bool {
	w := len(a.word) + 1
	return state != 0 && a.rows[state*w+w-1] <= a.limit
}

// CanMatch reports whether more bytes may lead from state to a match.
func (a *osaAutomaton) CanMatch(state int) bool { return state != 0 }

// WillAlwaysMatch is false: more bytes always end up too far.
func (a *osaAutomaton) WillAlwaysMatch(int) bool { return false }

// Accept returns the state after byte b from state. Only the cells within
// limit of the diagonal are computed: the others exceed limit.
func (a *osaAutomaton) Accept(state int, b byte) int {
	if state == 0 {
		return 0
	}
	w := len(a.word) + 1
	far := a.limit + 1
	limit := int(a.limit)
	i := int(a.depth[state]) + 1
	a.rows = slices.Grow(a.rows, w)
	prev := a.rows[state*w : state*w+w]
	cur := a.rows[len(a.rows) : len(a.rows)+w]
	var grand []uint8
	if p := a.parent[state]; p != 0 {
		grand = a.rows[int(p)*w : int(p)*w+w]
	}
	for j := range cur {
		cur[j] = far
	}
	cur[0] = uint8(min(i, int(far)))
	best := cur[0]
	for j := max(1, i-limit); j <= min(w-1, i+limit); j++ {
		d := prev[j-1]
		if a.word[j-1] != b {
			d++
		}
		d = min(d, prev[j]+1, cur[j-1]+1)
		if grand != nil && j > 1 && a.word[j-1] == a.in[state] && a.word[j-2] == b {
			d = min(d, grand[j-2]+1)
		}
		cur[j] = min(d, far)
		best = min(best, cur[j])
	}
	if best > a.limit || i > 250 {
		return 0
	}
	a.rows = a.rows[:len(a.rows)+w]
	a.parent = append(a.parent, int32(state))
	a.in = append(a.in, b)
	a.depth = append(a.depth, uint8(i))
	return len(a.parent) - 1
}

// osaDistance returns the optimal string alignment distance of a and b (edits
// with adjacent transpositions) over bytes, or limit+1 once it exceeds limit
// (limit < 250). Only the cells within limit of the diagonal are computed.
func osaDistance(a, b string, limit int) int {
	if abs(len(a)-len(b)) > limit || len(b) > 63 || len(a) > 63 {
		return limit + 1
	}
	far := uint8(limit + 1)
	var rows [3][64]uint8
	prev2, prev, cur := rows[0][:len(b)+1], rows[1][:len(b)+1], rows[2][:len(b)+1]
	for j := range prev {
		prev[j] = uint8(min(j, int(far)))
	}
	for i := 1; i <= len(a); i++ {
		lo, hi := max(1, i-limit), min(len(b), i+limit)
		cur[0] = uint8(min(i, int(far)))
		if lo > 1 {
			cur[lo-1] = far
		}
		rowMin := cur[0]
		for j := lo; j <= hi; j++ {
			d := prev[j-1]
			if a[i-1] != b[j-1] {
				d++
			}
			if j <= i-1+limit {
				d = min(d, prev[j]+1)
			}
			if j > lo || lo == 1 {
				d = min(d, cur[j-1]+1)
			}
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			d = min(d, far)
			cur[j] = d
			rowMin = min(rowMin, d)
		}
		if hi < len(b) {
			cur[hi+1] = far
		}
		if rowMin >= far {
			return int(far)
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return int(prev[len(b)])
}

// abs returns |n|.
func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
