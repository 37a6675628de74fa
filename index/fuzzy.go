package index

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// A correction is a word of the vocabulary close to a misspelt one.
type correction struct {
	term  string
	edits int
	df    uint32
}

// corrections returns up to n words of the vocabulary within edits of word
// (other than word), fewest edits then most frequent first. With keepFirst,
// the first letter is never edited. One edit is found by generating every
// variant of word and looking it up; two edits (long words that are not
// words of the vocabulary themselves) by scanning the words that share
// word's first three letters.
func (v *vocabulary) corrections(word string, edits int, keepFirst bool, n int) []correction {
	if edits <= 0 || word == "" {
		return nil
	}
	key := fixKey{word, edits, keepFirst, n}
	if cs, ok := v.fixes.get(key); ok {
		return cs
	}
	cs := v.findCorrections(word, edits, keepFirst, n)
	v.fixes.put(key, cs)
	return cs
}

// findCorrections is corrections without the cache.
func (v *vocabulary) findCorrections(word string, edits int, keepFirst bool, n int) []correction {
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
func (v *vocabulary) oneEdit(word string, keepFirst bool, fn func(string)) {
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
func (v *vocabulary) oneEditRunes(word string, keepFirst bool, fn func(string)) {
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

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
