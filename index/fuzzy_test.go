package index

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveOSA is the textbook optimal string alignment distance, over bytes
// or runes.
func naiveOSA[T comparable](a, b []T) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func TestOSADistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"automatisaton", "automatisation", 1},
		{"smyrnaois", "smyrnaios", 1},
		{"uberisation", "ubérisation", 2},
		{"travail", "travail", 0},
		{"abc", "xyz", 3},
	}
	for _, tt := range tests {
		if got := osaDistance(tt.a, tt.b, 2); got != min(tt.want, 3) {
			t.Errorf("osaDistance(%q, %q) = %d, want %d", tt.a, tt.b, got, min(tt.want, 3))
		}
	}
	// Against the textbook algorithm on random words.
	r := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, 3+r.IntN(8))
		for i := range b {
			b[i] = "abcde"[r.IntN(5)]
		}
		return string(b)
	}
	for range 20000 {
		a, b := word(), word()
		want := min(naiveOSA([]byte(a), []byte(b)), 3)
		if got := osaDistance(a, b, 2); got != want {
			t.Fatalf("osaDistance(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}

// TestCorrectionsFindEveryWord compares corrections with a scan of the
// whole vocabulary: every word within the edits allowed is found, with its
// distance, and nothing else.
func TestCorrectionsFindEveryWord(t *testing.T) {
	v := bundled(t).vocab
	for _, ty := range typoSet(v, 300, 7) {
		got, err := v.findCorrections(ty.typed, ty.edits, ty.keepFirst, 1<<30)
		if err != nil {
			t.Fatal(err)
		}
		var want []correction
		for i, term := range v.terms {
			if term == ty.typed || ty.keepFirst && term[0] != ty.typed[0] {
				continue
			}
			if d := naiveOSA([]byte(ty.typed), []byte(term)); d <= ty.edits {
				want = append(want, correction{term: term, edits: d, df: v.df[i]})
			}
		}
		sortCorrections(want)
		if !slices.Equal(got, want) {
			t.Errorf("corrections(%q, %d, %v) = %v, want %v", ty.typed, ty.edits, ty.keepFirst, got, want)
		}
		if !slices.ContainsFunc(got, func(c correction) bool { return c.term == ty.word }) {
			t.Errorf("corrections(%q) miss %q", ty.typed, ty.word)
		}
	}
}
