package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// genBytes generates a corpus in memory.
func genBytes(t *testing.T, seed uint64, docs, workers int) ([]byte, *genStats) {
	t.Helper()
	var buf bytes.Buffer
	st, err := generate(context.Background(), &buf, seed, docs, workers)
	if err != nil {
		t.Fatalf("generate(seed %d, %d docs, %d workers): %v", seed, docs, workers, err)
	}
	return buf.Bytes(), st
}

func TestGenerateDeterministic(t *testing.T) {
	sum := func(b []byte) [32]byte { return sha256.Sum256(b) }
	base, _ := genBytes(t, 7, 600, 1)
	tests := []struct {
		name    string
		seed    uint64
		docs    int
		workers int
		same    bool // same bytes as seed 7, 600 docs, 1 worker
	}{
		{"same seed, one worker", 7, 600, 1, true},
		{"same seed, three workers", 7, 600, 3, true},
		{"same seed, eight workers", 7, 600, 8, true},
		{"other seed", 8, 600, 1, false},
	}
	for _, tt := range tests {
		got, _ := genBytes(t, tt.seed, tt.docs, tt.workers)
		if (sum(got) == sum(base)) != tt.same {
			t.Errorf("%s: generate(%d, %d docs, %d workers) same bytes = %v, want %v", tt.name, tt.seed, tt.docs, tt.workers, !tt.same, tt.same)
		}
	}
	// A smaller corpus is the prefix of a larger one.
	small, _ := genBytes(t, 7, 300, 2)
	if !bytes.HasPrefix(base, small) {
		t.Errorf("generate(7, 300 docs) is not a prefix of generate(7, 600 docs)")
	}
}

func TestGenerateSchema(t *testing.T) {
	const docs = 2000
	data, st := genBytes(t, 1, docs, 2)
	manifest := corpus.Manifest{DefaultSource: "bench", DefaultLang: analysis.French}

	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	if len(lines) != docs || st.Docs != docs {
		t.Fatalf("generate(%d docs) = %d lines, stats %d docs, want %d", docs, len(lines), st.Docs, docs)
	}
	ids := make(map[string]bool)
	sources := make(map[string]bool)
	kinds := make(map[corpus.Kind]bool)
	years := make(map[string]bool)
	var curly, straight, compounds, mixed, textBytes int
	for i, l := range lines {
		doc, err := corpus.ParseRecord("bench.jsonl", i+1, l, manifest)
		if err != nil {
			t.Fatalf("line %d: ParseRecord: %v\n%s", i+1, err, l)
		}
		if ids[doc.ID] {
			t.Errorf("line %d: id %q repeats", i+1, doc.ID)
		}
		ids[doc.ID] = true
		sources[doc.Source] = true
		kinds[doc.Kind] = true
		years[doc.Date[:4]] = true
		if doc.Date < "2010-01-01" || doc.Date > "2024-12-31" {
			t.Errorf("line %d: date %s outside 2010–2024", i+1, doc.Date)
		}
		langs := make(map[analysis.Lang]bool)
		textBytes += len(doc.Title)
		for _, p := range doc.Paragraphs {
			langs[p.Lang] = true
			textBytes += len(p.Text)
			for _, w := range strings.Fields(p.Text) {
				switch {
				case strings.Contains(w, "’"):
					curly++
				case strings.Contains(w, "'"):
					straight++
				}
				if strings.Contains(strings.Trim(w, ",.?!…"), "-") {
					compounds++
				}
			}
		}
		if len(langs) > 1 {
			mixed++
		}
	}
	checks := []struct {
		what     string
		got      float64
		min, max float64
	}{
		{"text bytes per document", float64(textBytes) / docs, 1000, 2000},
		{"share of English paragraphs", float64(st.EnglishParagraphs) / float64(st.Paragraphs), 0.12, 0.30},
		{"paragraphs per document", float64(st.Paragraphs) / docs, 2, 8},
		{"sources", float64(len(sources)), 35, 40},
		{"kinds", float64(len(kinds)), 6, 7},
		{"years", float64(len(years)), 15, 15},
		{"words with ’", float64(curly), 1000, 1e9},
		{"words with '", float64(straight), 1000, 1e9},
		{"hyphenated words", float64(compounds), 1000, 1e9},
		{"mixed-language documents", float64(mixed) / docs, 0.05, 0.4},
		{"French words per document", float64(st.Tokens["fr"]) / docs, frenchTokensPerDoc * 0.8, frenchTokensPerDoc * 1.2},
		{"English words per document", float64(st.Tokens["en"]) / docs, englishTokensPerDoc * 0.7, englishTokensPerDoc * 1.3},
	}
	for _, c := range checks {
		if c.got < c.min || c.got > c.max {
			t.Errorf("%s = %.3f, want within [%g, %g]", c.what, c.got, c.min, c.max)
		}
	}
}

func TestGenerateConcepts(t *testing.T) {
	const docs = 1000
	data, _ := genBytes(t, 3, docs, 2)
	c, err := corpus.Open(fstest.MapFS{
		corpusFile:   {Data: data},
		manifestFile: {Data: []byte(`{"default_source": "bench", "default_lang": "fr"}`)},
	}, "generated")
	if err != nil {
		t.Fatal(err)
	}
	tagged := 0
	concepts := make(map[string]int)
	err = c.Walk(context.Background(), func(d *corpus.Document) error {
		if len(d.Concepts) > 0 {
			tagged++
		}
		for _, h := range d.Concepts {
			concepts[h.ID]++
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	if share := float64(tagged) / docs; share < 0.5 || share > 0.97 {
		t.Errorf("share of documents with a concept = %.2f, want within [0.5, 0.97]", share)
	}
	if len(concepts) < 15 {
		t.Errorf("concepts found = %d (%v), want at least 15 of 18", len(concepts), concepts)
	}
}

// distinctWords counts the distinct lower-cased words of generated text.
func distinctWords(t *testing.T, data []byte) int {
	t.Helper()
	seen := make(map[string]bool)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r corpus.Record
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatal(err)
		}
		text := r.Title + " " + r.Body
		for _, p := range r.Paragraphs {
			text += " " + p.Text
		}
		for _, w := range strings.FieldsFunc(text, func(c rune) bool { return !unicode.IsLetter(c) }) {
			seen[strings.ToLower(w)] = true
		}
	}
	return len(seen)
}

func TestVocabularyGrowth(t *testing.T) {
	small, stSmall := genBytes(t, 1, 1000, 2)
	large, stLarge := genBytes(t, 1, 4000, 2)
	words := float64(distinctWords(t, large)) / float64(distinctWords(t, small))
	lexemes := float64(stLarge.Lexemes["fr"]) / float64(stSmall.Lexemes["fr"])
	// Heaps' law with β ≈ 0.5: four times the text, about twice the words;
	// neither saturated (≈1) nor proportional (4).
	for _, c := range []struct {
		what string
		got  float64
	}{{"distinct words, 4000 / 1000 documents", words}, {"French lexemes, 4000 / 1000 documents", lexemes}} {
		if c.got < 1.6 || c.got > 3 {
			t.Errorf("%s = %.2f, want within [1.6, 3]", c.what, c.got)
		}
	}
	if stSmall.Lexemes["fr"] < 5000 {
		t.Errorf("French lexemes at 1000 documents = %d, want at least 5000", stSmall.Lexemes["fr"])
	}
}

func TestZipf(t *testing.T) {
	z := newZipf(zipfKernel, tailExponent)
	tests := []struct {
		u    float64
		rank int
	}{
		{0, 0},
		{z.cdf(1) - 1e-12, 0},
		{z.cdf(1) + 1e-12, 1},
		{z.cdf(100) + 1e-12, 100},
		{z.cdf(zipfKernel) + 1e-12, zipfKernel},
		{z.cdf(50000) + 1e-12, 50000},
	}
	for _, tt := range tests {
		if got := z.rank(tt.u); got != tt.rank {
			t.Errorf("zipf.rank(%g) = %d, want %d", tt.u, got, tt.rank)
		}
	}
	for _, r := range []int{0, 1, 10, 2999, 3000, 100000} {
		if z.p(r) <= z.p(r+1) {
			t.Errorf("zipf.p(%d) = %g ≤ zipf.p(%d) = %g, want decreasing", r, z.p(r), r+1, z.p(r+1))
		}
	}
}

func TestLexiconWords(t *testing.T) {
	g, err := newGenerator(1)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		rank int
		want string
	}{
		{0, "de"},
		{1, "la"},
		{g.fr.functions, "travail"},
	}
	for _, tt := range tests {
		if got := g.fr.word(tt.rank); got != tt.want {
			t.Errorf("fr.word(%d) = %q, want %q", tt.rank, got, tt.want)
		}
	}
	// Pseudo-words: letters only, distinct for nearby ranks.
	seen := make(map[string]int)
	for r := len(g.fr.real); r < len(g.fr.real)+20000; r++ {
		w := g.fr.word(r)
		for _, c := range w {
			if !unicode.IsLetter(c) {
				t.Fatalf("fr.word(%d) = %q, want letters only", r, w)
			}
		}
		seen[w]++
	}
	if len(seen) < 19000 {
		t.Errorf("20000 pseudo-words hold %d distinct words, want at least 19000", len(seen))
	}
}

// BenchmarkGenerate measures the generator on one core.
func BenchmarkGenerate(b *testing.B) {
	for b.Loop() {
		if _, err := generate(context.Background(), io.Discard, 1, 2000, 1); err != nil {
			b.Fatal(err)
		}
	}
}
