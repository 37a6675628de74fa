package main

import (
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// A zipf draws word ranks (0 = most frequent) from a two-regime Zipf law, as
// observed in large corpora: frequency ∝ 1/r up to the kernel size b, then ∝
// 1/r^s (s > 1) in the tail. The tail is unbounded, so the vocabulary of a
// sample keeps growing with its size as Heaps' law says, roughly as
// tokens^(1/s).
//
// The law is the continuous density f(x) = c/x on [1, b] and
// c·b^(s-1)/x^s beyond, x = rank+1.
type zipf struct {
	b, s  float64
	lnb   float64
	pHead float64 // probability mass of the kernel [1, b]
}

func newZipf(b, s float64) zipf {
	lnb := math.Log(b)
	return zipf{b: b, s: s, lnb: lnb, pHead: lnb / (lnb + 1/(s-1))}
}

// rank maps a uniform u in [0, 1) to a rank, by the inverse of the
// distribution function.
func (z zipf) rank(u float64) int {
	var x float64
	if u < z.pHead {
		x = math.Exp(u / z.pHead * z.lnb)
	} else {
		v := (u - z.pHead) / (1 - z.pHead)
		x = z.b * math.Pow(1-v, -1/(z.s-1))
	}
	if x >= math.MaxInt32 {
		return math.MaxInt32 - 1
	}
	return int(x) - 1
}

// cdf returns the probability of a rank below r.
func (z zipf) cdf(r int) float64 {
	x := float64(r + 1)
	if x <= z.b {
		return math.Log(x) / z.lnb * z.pHead
	}
	return z.pHead + (1-z.pHead)*(1-math.Pow(x/z.b, 1-z.s))
}

// p returns the probability of rank r.
func (z zipf) p(r int) float64 { return z.cdf(r+1) - z.cdf(r) }

// A table draws indexes of a finite list with Zipf weights 1/(i+1)^s.
type table struct {
	cum []float64
}

func newTable(n int, s float64) table {
	t := table{cum: make([]float64, n)}
	sum := 0.0
	for i := range n {
		sum += math.Pow(float64(i+1), -s)
		t.cum[i] = sum
	}
	for i := range t.cum {
		t.cum[i] /= sum
	}
	return t
}

// draw returns a random index.
func (t table) draw(r *rand.Rand) int {
	i, _ := slices.BinarySearch(t.cum, r.Float64())
	return min(i, len(t.cum)-1)
}

// A lexicon maps ranks to the words of one language: its real words first
// (function words, then content words), then pseudo-words made of
// syllables, each rank its own word, shorter words for more frequent ranks.
type lexicon struct {
	real      []string
	functions int // real[:functions] are function words
	syllables []string
	endings   []string
	salt      uint64
	zipf      zipf
	capital   bool // pseudo-words are proper nouns
}

// newLexicon builds a lexicon; seed permutes its syllables so that each seed
// has its own pseudo-words.
func newLexicon(seed, salt uint64, functions, content, syllables, endings string, z zipf) *lexicon {
	l := &lexicon{salt: salt, zipf: z}
	seen := make(map[string]bool)
	for _, w := range strings.Fields(functions) {
		if !seen[w] {
			seen[w] = true
			l.real = append(l.real, w)
		}
	}
	l.functions = len(l.real)
	for _, w := range strings.Fields(content) {
		if !seen[w] {
			seen[w] = true
			l.real = append(l.real, w)
		}
	}
	l.syllables = strings.Fields(syllables)
	rand.New(rand.NewPCG(seed, salt)).Shuffle(len(l.syllables), func(i, j int) {
		l.syllables[i], l.syllables[j] = l.syllables[j], l.syllables[i]
	})
	for _, e := range strings.Fields(endings) {
		l.endings = append(l.endings, strings.TrimPrefix(e, "-"))
	}
	return l
}

// draw returns a random rank.
func (l *lexicon) draw(r *rand.Rand) int { return l.zipf.rank(r.Float64()) }

// word returns the word of a rank.
func (l *lexicon) word(rank int) string {
	if rank < len(l.real) {
		return l.real[rank]
	}
	k := uint64(rank - len(l.real))
	n := uint64(len(l.syllables))
	// Words of 2 syllables come first, then 3, and so on.
	size, span := 2, n*n
	for k >= span {
		k -= span
		size++
		span *= n
	}
	var b strings.Builder
	h := mix(l.salt ^ uint64(rank))
	for range size {
		b.WriteString(l.syllables[k%n])
		k /= n
	}
	b.WriteString(l.endings[h%uint64(len(l.endings))])
	w := b.String()
	if l.capital {
		r, size := utf8.DecodeRuneInString(w)
		w = string(unicode.ToUpper(r)) + w[size:]
	}
	return w
}

// isFunction reports whether rank is a function word.
func (l *lexicon) isFunction(rank int) bool { return rank < l.functions }

// contentWords returns the real content words, most frequent first.
func (l *lexicon) contentWords() []string { return slices.Clone(l.real[l.functions:]) }

// rankWithCount returns the first rank whose expected number of occurrences
// in a sample of tokens words is below count.
func (l *lexicon) rankWithCount(tokens, count float64) int {
	lo, hi := 0, math.MaxInt32/2
	for lo < hi {
		mid := lo + (hi-lo)/2
		if tokens*l.zipf.p(mid) < count {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return lo
}

// mix is a 64-bit finalizer (splitmix64): a deterministic hash of x.
func mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}
