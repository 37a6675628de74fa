package index

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/blevesearch/vellum"
	"github.com/blevesearch/vellum/levenshtein"
)

// handwritten finds corrections as tacheron did before the FST (commit
// 7f9fd37), kept as the baseline of BenchmarkCorrections.
type handwritten struct {
	*vocabulary
	// filter has one bit set per term (by hash): a word whose bit is unset
	// is not a term, known without a map lookup.
	filter []uint64
}

func newHandwritten(v *vocabulary) *handwritten {
	h := &handwritten{vocabulary: v, filter: make([]uint64, filterBits/64)}
	for _, t := range v.terms {
		b := termHash(t)
		h.filter[b/64] |= 1 << (b % 64)
	}
	return h
}

// filterBits is the size of a vocabulary's filter.
const filterBits = 1 << 24

// termHash hashes a term for the vocabulary filter (FNV-1a).
func termHash[S string | []byte](t S) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(t); i++ {
		h = (h ^ uint32(t[i])) * 16777619
	}
	return h % filterBits
}

// mayContain reports whether t may be a term (false: it is not).
func (v *handwritten) mayContain(t []byte) bool {
	h := termHash(t)
	return v.filter[h/64]&(1<<(h%64)) != 0
}

// find is how corrections were found before the FST: one edit by
// generating every variant of word and looking it up; two edits (long words
// that are not words of the vocabulary themselves) by scanning the words
// that share word's first three letters, at most maxTwoEditScan of them.
func (v *handwritten) find(word string, edits int, keepFirst bool, n int) []correction {
	found := map[string]int{}
	v.oneEdit(word, keepFirst, func(t string) {
		if _, seen := found[t]; !seen {
			found[t] = 1
		}
	})
	if edits >= 2 && len(word) >= 3 && !v.contains(word) {
		// Two edits: words that share the first three letters (one edit
		// anywhere is found above), at most maxTwoEditScan of them.
		head := word[:3]
		lo, _ := slices.BinarySearch(v.terms, head)
		for i := lo; i < len(v.terms) && i-lo < maxTwoEditScan && strings.HasPrefix(v.terms[i], head); i++ {
			t := v.terms[i]
			if t == word || abs(len(t)-len(word)) > 2 {
				continue
			}
			if _, seen := found[t]; seen {
				continue
			}
			if d := osaDistance(word, t, 2); d <= 2 {
				found[t] = d
			}
		}
	}
	out := make([]correction, 0, len(found))
	for t, d := range found {
		out = append(out, correction{term: t, edits: d, df: v.frequency(t)})
	}
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
	if len(out) > n {
		out = out[:n]
	}
	return out
}

// oneEdit calls fn with every word of the vocabulary one deletion,
// transposition, substitution or insertion away from word.
func (v *handwritten) oneEdit(word string, keepFirst bool, fn func(string)) {
	ascii := true
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if !ascii {
		v.oneEditRunes(word, keepFirst, fn)
		return
	}
	const letters = "abcdefghijklmnopqrstuvwxyz0123456789"
	alphabet := []byte(letters)
	for i := 0; i < len(word); i++ {
		if !strings.Contains(letters, word[i:i+1]) && !slices.Contains(alphabet, word[i]) {
			alphabet = append(alphabet, word[i])
		}
	}
	first := 0
	if keepFirst {
		first = 1
	}
	w := []byte(word)
	buf := make([]byte, 0, len(w)+1)
	try := func(b []byte) {
		if !v.mayContain(b) {
			return
		}
		if i, ok := v.index[string(b)]; ok && string(b) != word {
			fn(v.terms[i])
		}
	}
	for i := first; i < len(w); i++ {
		buf = append(append(buf[:0], w[:i]...), w[i+1:]...)
		try(buf)
		if i+1 < len(w) && w[i] != w[i+1] {
			buf = append(buf[:0], w...)
			buf[i], buf[i+1] = buf[i+1], buf[i]
			try(buf)
		}
		buf = append(buf[:0], w...)
		for _, c := range alphabet {
			if c != w[i] {
				buf[i] = c
				try(buf)
			}
		}
	}
	for i := first; i <= len(w); i++ {
		buf = append(append(append(buf[:0], w[:i]...), 0), w[i:]...)
		for _, c := range alphabet {
			buf[i] = c
			try(buf)
		}
	}
}

// oneEditRunes is oneEdit for words that are not ASCII.
func (v *handwritten) oneEditRunes(word string, keepFirst bool, fn func(string)) {
	w := []rune(word)
	alphabet := []rune("abcdefghijklmnopqrstuvwxyz0123456789")
	for _, r := range w {
		if !slices.Contains(alphabet, r) {
			alphabet = append(alphabet, r)
		}
	}
	first := 0
	if keepFirst {
		first = 1
	}
	buf := make([]rune, 0, len(w)+1)
	try := func(rs []rune) {
		t := string(rs)
		if t != word && v.contains(t) {
			fn(t)
		}
	}
	for i := first; i < len(w); i++ {
		buf = append(append(buf[:0], w[:i]...), w[i+1:]...)
		try(buf)
		if i+1 < len(w) && w[i] != w[i+1] {
			buf = append(buf[:0], w...)
			buf[i], buf[i+1] = buf[i+1], buf[i]
			try(buf)
		}
		for _, r := range alphabet {
			if r != w[i] {
				buf = append(buf[:0], w...)
				buf[i] = r
				try(buf)
			}
		}
	}
	for i := first; i <= len(w); i++ {
		for _, r := range alphabet {
			buf = append(append(append(buf[:0], w[:i]...), r), w[i:]...)
			try(buf)
		}
	}
}

// maxTwoEditScan bounds the words compared for two edits.
const maxTwoEditScan = 20000

// levenshteinDFA finds corrections with vellum's Levenshtein DFAs (as
// bleve's fuzzy queries do) over the vocabulary's FST: exact too, but each
// lookup builds its DFA.
type levenshteinDFA struct {
	*vocabulary
	lev [maxEdits]*levenshtein.LevenshteinAutomatonBuilder
}

func newLevenshteinDFA(v *vocabulary) (*levenshteinDFA, error) {
	l := &levenshteinDFA{vocabulary: v}
	for d := range l.lev {
		var err error
		if l.lev[d], err = levenshtein.NewLevenshteinAutomatonBuilder(uint8(d+1), true); err != nil {
			return nil, err
		}
	}
	return l, nil
}

// find finds corrections as vocabulary.findCorrections does, with a DFA.
func (v *levenshteinDFA) find(word string, edits int, keepFirst bool, n int) ([]correction, error) {
	edits = min(edits, maxEdits)
	if edits >= 2 && v.contains(word) {
		edits = 1
	}
	dfa, err := v.lev[edits-1].BuildDfa(word, uint8(edits))
	if err != nil {
		return nil, fmt.Errorf("corrections of %q: %w", word, err)
	}
	// keepFirst: only the terms that start with word's first letter.
	var start, end []byte
	if keepFirst {
		_, size := utf8.DecodeRuneInString(word)
		start = []byte(word[:size])
		end = bytes.Clone(start)
		end[len(end)-1]++
	}
	var out []correction
	it, err := v.fst.Search(dfa, start, end)
	for err == nil {
		term, pos := it.Current()
		if string(term) != word {
			_, d := dfa.MatchAndDistance(string(term))
			out = append(out, correction{term: v.terms[pos], edits: int(d), df: v.df[pos]})
		}
		err = it.Next()
	}
	if !errors.Is(err, vellum.ErrIteratorDone) {
		return nil, fmt.Errorf("corrections of %q: %w", word, err)
	}
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
	if len(out) > n {
		out = out[:n]
	}
	return out, nil
}
