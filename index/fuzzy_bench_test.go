package index

import (
	"context"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"unicode"

	"tacheron/corpus"
)

// A misspelling is a misspelt word of the vocabulary, with the search limits the
// planner gives it.
type misspelling struct {
	word, typed string
	edits       int
	keepFirst   bool
}

// benchVocab is the vocabulary of BenchmarkCorrections, built once.
var benchVocab struct {
	once  sync.Once
	vocab *vocabulary
	err   error
}

// corpusVocabulary returns the plain vocabulary (titles, bodies, sources)
// of the corpus in TACHERON_BENCH_CORPUS, analysed as Build indexes it, or
// the bundled snapshot's when it is unset.
func corpusVocabulary(b *testing.B) *vocabulary {
	dir := os.Getenv("TACHERON_BENCH_CORPUS")
	if dir == "" {
		return bundled(b).vocab
	}
	benchVocab.once.Do(func() {
		c, err := corpus.OpenDir(dir)
		if err != nil {
			benchVocab.err = err
			return
		}
		m, err := NewMapping()
		if err != nil {
			benchVocab.err = err
			return
		}
		plain := m.AnalyzerNamed(PlainAnalyzer)
		counts := map[string]uint32{}
		seen := map[string]bool{}
		count := func(texts ...string) {
			clear(seen)
			for _, t := range texts {
				for _, tok := range plain.Analyze([]byte(t)) {
					seen[string(tok.Term)] = true
				}
			}
			for t := range seen {
				counts[t]++
			}
		}
		benchVocab.err = c.Walk(context.Background(), func(d *corpus.Document) error {
			count(d.Title)
			body := make([]string, len(d.Paragraphs))
			for i, p := range d.Paragraphs {
				body[i] = p.Text
			}
			count(body...)
			count(d.Source)
			return nil
		})
		if benchVocab.err == nil {
			benchVocab.vocab, benchVocab.err = newVocabulary(counts)
		}
	})
	if benchVocab.err != nil {
		b.Fatal(benchVocab.err)
	}
	return benchVocab.vocab
}

// typoSet draws up to n words of at least five letters from v (found in two
// documents or more) and misspells each with the edits the planner allows
// it (fuzzyLimits): random deletions, insertions, substitutions and
// transpositions of neighbours, never of the first letter when it must be
// kept. A misspelling that is a word of the vocabulary is not kept.
func typoSet(v *vocabulary, n int, seed uint64) []misspelling {
	r := rand.New(rand.NewPCG(seed, 18))
	letters := []rune("abcdefghijklmnopqrstuvwxyz")
	var out []misspelling
	for tries := 0; len(out) < n && tries < 50*n; tries++ {
		i := r.IntN(len(v.terms))
		word := v.terms[i]
		if v.df[i] < 2 || strings.IndexFunc(word, func(c rune) bool { return !unicode.IsLetter(c) }) >= 0 {
			continue
		}
		edits, keepFirst := fuzzyLimits(word)
		if edits == 0 {
			continue
		}
		w := []rune(word)
		for range edits {
			first := 0
			if keepFirst {
				first = 1
			}
			if len(w) < first+2 {
				break
			}
			p := first + r.IntN(len(w)-first-1)
			switch r.IntN(4) {
			case 0:
				w = slices.Delete(w, p, p+1)
			case 1:
				w = slices.Insert(w, p+1, letters[r.IntN(len(letters))])
			case 2:
				w[p] = letters[r.IntN(len(letters))]
			case 3:
				w[p], w[p+1] = w[p+1], w[p]
			}
		}
		typed := string(w)
		if typed == word || v.contains(typed) || naiveOSA([]rune(word), w) > edits {
			continue
		}
		out = append(out, misspelling{word: word, typed: typed, edits: edits, keepFirst: keepFirst})
	}
	return out
}

// cpuTime returns the CPU time the process has used, in nanoseconds.
func cpuTime(b *testing.B) int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// correctionsFunc is one way of finding corrections.
type correctionsFunc func(word string, edits int, keepFirst bool, n int) ([]correction, error)

// correctionsFuncs returns the ways of finding corrections in v: the one
// tacheron uses and the baselines.
func correctionsFuncs(b *testing.B, v *vocabulary) []struct {
	name string
	find correctionsFunc
} {
	dfa, err := newLevenshteinDFA(v)
	if err != nil {
		b.Fatal(err)
	}
	hw := newHandwritten(v)
	return []struct {
		name string
		find correctionsFunc
	}{
		{"fst-osa", v.findCorrections},
		{"fst-levenshtein-dfa", dfa.find},
		{"handwritten", func(word string, edits int, keepFirst bool, n int) ([]correction, error) {
			return hw.find(word, edits, keepFirst, n), nil
		}},
	}
}

// BenchmarkCorrections compares the ways of finding typo corrections on a
// typo set drawn from a vocabulary: the time of one lookup (no cache), and
// as metrics the share of typos whose word is found at all (recall%) and
// among the MaxFuzzyExpansions the planner keeps (top12%):
//
//	go test ./index -run '^$' -bench Corrections -count 5
//	TACHERON_BENCH_CORPUS=data/bench/100k-s1/corpus go test ./index -run '^$' -bench Corrections -count 5
func BenchmarkCorrections(b *testing.B) {
	v := corpusVocabulary(b)
	typos := typoSet(v, 2000, 1)
	for _, f := range correctionsFuncs(b, v) {
		b.Run(f.name, func(b *testing.B) {
			found, top := 0, 0
			for _, ty := range typos {
				all, err := f.find(ty.typed, ty.edits, ty.keepFirst, 1<<30)
				if err != nil {
					b.Fatal(err)
				}
				if k := slices.IndexFunc(all, func(c correction) bool { return c.term == ty.word }); k >= 0 {
					found++
					if k < MaxFuzzyExpansions {
						top++
					}
				}
			}
			i := 0
			cpu0 := cpuTime(b)
			for b.Loop() {
				ty := typos[i%len(typos)]
				if _, err := f.find(ty.typed, ty.edits, ty.keepFirst, MaxFuzzyExpansions); err != nil {
					b.Fatal(err)
				}
				i++
			}
			// The machine is shared: the CPU time of the process per lookup
			// says more than the elapsed time.
			b.ReportMetric(float64(cpuTime(b)-cpu0)/float64(b.N), "cpu-ns/op")
			b.ReportMetric(100*float64(found)/float64(len(typos)), "recall%")
			b.ReportMetric(100*float64(top)/float64(len(typos)), "top12%")
			b.ReportMetric(float64(len(typos)), "typos")
			b.ReportMetric(float64(len(v.terms)), "terms")
		})
	}
}
