package index

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A synthCorpus writes small synthetic corpora of JSON Lines files: few
// words, few dates and repeated titles, so that scores, dates and derived
// ids tie often.
type synthCorpus struct {
	dir  string
	rng  *rand.Rand
	next int // number of the next new file
}

var synthWords = strings.Fields(`travail plateforme micro-travail uberisation syndicat données
	algorithme chauffeur livreur salaire digital labor platform workers data union
	microtravail automatisation intelligence artificielle entretien séminaire revue`)

var synthSources = []string{"le-monde", "mediapart", "blog", "the-guardian"}

// newSynthCorpus writes files files of about docs documents each in a new
// directory.
func newSynthCorpus(tb testing.TB, files, docs int, seed uint64) *synthCorpus {
	tb.Helper()
	c := &synthCorpus{dir: tb.TempDir(), rng: rand.New(rand.NewPCG(seed, 1))}
	for range files {
		c.write(tb, c.newName(), docs)
	}
	return c
}

func (c *synthCorpus) newName() string {
	c.next++
	return fmt.Sprintf("f%04d.jsonl", c.next)
}

func (c *synthCorpus) words(n int) string {
	w := make([]string, n)
	for i := range w {
		w[i] = synthWords[c.rng.IntN(len(synthWords))]
	}
	return strings.Join(w, " ")
}

// write (re)writes a file of about docs documents.
func (c *synthCorpus) write(tb testing.TB, name string, docs int) {
	tb.Helper()
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for range max(1, docs-1+c.rng.IntN(3)) {
		paras := make([]map[string]string, 1+c.rng.IntN(3))
		for i := range paras {
			lang := "fr"
			if c.rng.IntN(4) == 0 {
				lang = "en"
			}
			paras[i] = map[string]string{"text": c.words(3 + c.rng.IntN(12)), "lang": lang}
		}
		rec := map[string]any{
			"title":      c.words(1 + c.rng.IntN(3)),
			"date":       fmt.Sprintf("2020-0%d-1%d", 1+c.rng.IntN(3), c.rng.IntN(3)),
			"source":     synthSources[c.rng.IntN(len(synthSources))],
			"paragraphs": paras,
		}
		if err := enc.Encode(rec); err != nil {
			tb.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(c.dir, name), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
}

// files returns the corpus's file names.
func (c *synthCorpus) files(tb testing.TB) []string {
	tb.Helper()
	names, err := filepath.Glob(filepath.Join(c.dir, "*.jsonl"))
	if err != nil {
		tb.Fatal(err)
	}
	for i, n := range names {
		names[i] = filepath.Base(n)
	}
	return names
}

// answerQueries lists requests of every class: words that tie, a phrase,
// a prefix, a typo, an exclusion, filters, date sorts, the empty query,
// pages beyond the first, facets and highlights.
func answerQueries() []Request {
	facets := FacetNames()
	var reqs []Request
	for _, q := range []string{"travail", "données", "plateforme syndicat", "digital labor", "micro",
		"uberisation", "chaufeur", "travail -livreur", "workers union", "algo", "intelligence artificielle", ""} {
		reqs = append(reqs,
			Request{Query: q, Limit: 100, Facets: facets, Highlight: true},
			Request{Query: q, Limit: 10, Offset: 20, Sort: SortDateAsc},
			Request{Query: q, Limit: 10, Sort: SortDateDesc, Filters: Filters{Langs: []string{"fr"}, Sources: []string{"blog", "le-monde"}}, Facets: facets},
			Request{Query: q, Limit: 5, Filters: Filters{From: "2020-02-10", To: "2020-03-11"}, Facets: []string{FacetDate}},
		)
	}
	return reqs
}

// answers runs answerQueries and suggestions on snap and renders what they
// answer: totals, ranked ids with their scores, facet counts, highlights.
func answers(tb testing.TB, snap *Snapshot) []string {
	tb.Helper()
	ctx := context.Background()
	var out []string
	for _, req := range answerQueries() {
		res, err := snap.Search(ctx, req)
		if err != nil {
			tb.Fatalf("Search(%+v): %v", req, err)
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%+v\ntotal %d\n", req, res.Total)
		for _, h := range res.Hits {
			fmt.Fprintf(&b, "%s %v %q\n", h.ID, h.Score, h.Highlights)
		}
		for _, name := range FacetNames() {
			if fc, ok := res.Facets[name]; ok {
				fmt.Fprintf(&b, "%s %v\n", name, fc)
			}
		}
		out = append(out, b.String())
	}
	for _, q := range []string{"tra", "d", "plateforme s", "micro-t", "uber"} {
		sg, err := snap.Suggest(ctx, q, 10, "fr")
		if err != nil {
			tb.Fatalf("Suggest(%q): %v", q, err)
		}
		out = append(out, fmt.Sprintf("suggest %q: %v", q, sg))
	}
	return out
}

// compareAnswers fails the test where got and want differ.
func compareAnswers(tb testing.TB, what string, got, want []string) {
	tb.Helper()
	if len(got) != len(want) {
		tb.Fatalf("%s: %d answers, want %d", what, len(got), len(want))
	}
	bad := 0
	for i := range got {
		if got[i] != want[i] {
			tb.Errorf("%s: answer %d differs:\n--- got\n%s\n--- want\n%s", what, i, got[i], want[i])
			if bad++; bad == 3 {
				tb.FailNow()
			}
		}
	}
}

// mutate adds, changes and deletes n files each.
func (c *synthCorpus) mutate(tb testing.TB, n, docs int) {
	tb.Helper()
	for range n {
		files := c.files(tb)
		c.write(tb, files[c.rng.IntN(len(files))], docs)                                         // changed
		c.write(tb, fmt.Sprintf("f%04d-%d.jsonl", c.rng.IntN(c.next+1), c.rng.IntN(1000)), docs) // added, anywhere in the order
		files = c.files(tb)
		if err := os.Remove(filepath.Join(c.dir, files[c.rng.IntN(len(files))])); err != nil { // deleted
			tb.Fatal(err)
		}
	}
}
