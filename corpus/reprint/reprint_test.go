package reprint

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"tacheron/corpus"
	"tacheron/corpus/press"
	"tacheron/corpus/web"
)

// readFile reads a fixture of another package through a format.
func readFile(t *testing.T, f corpus.Format, file string) []corpus.Document {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var docs []corpus.Document
	if err := f.Read(file, bytes.NewReader(data), func(d corpus.Document) error {
		docs = append(docs, d)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return docs
}

// TestBlogReprintsEuropresse checks the case reprints are for: a blog post
// that reproduces a Le Figaro article, and the Europresse export of that
// article, are one group; the other articles of the export are not in it.
func TestBlogReprintsEuropresse(t *testing.T) {
	docs := readFile(t, press.Europresse(), "../press/testdata/europresse-article.html")
	docs = append(docs, readFile(t, web.Format(), "../web/testdata/blog-post.html")...)
	docs = append(docs, readFile(t, web.Format(), "../web/testdata/news-og.html")...)
	f := NewFinder(Options{})
	for _, d := range docs {
		f.Add(d.ID, d.Title+"\n\n"+d.Text())
	}
	got := f.Groups()
	want := [][]string{{"../web/testdata/blog-post.html", "news·20170322·LF·f20170322×14×1234567"}}
	if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
		t.Errorf("Groups() = %q, want %q", got, want)
	}
	others := Others(got)
	if o := others["news·20170322·LF·f20170322×14×1234567"]; len(o) != 1 || o[0] != "../web/testdata/blog-post.html" {
		t.Errorf("Others[europresse] = %q", o)
	}
}

// corpusWith makes n random documents of about words words over a
// vocabulary, and plants pairs of reprints: a copy with a few words
// changed, framed by new text (an introduction, a signature).
func corpusWith(n, words, planted int, seed uint64) (ids, texts []string, want [][]string) {
	r := rand.New(rand.NewPCG(seed, 1))
	vocab := make([]string, 5000)
	for i := range vocab {
		vocab[i] = fmt.Sprintf("mot%d", i)
	}
	text := func(n int) []string {
		w := make([]string, n)
		for i := range w {
			w[i] = vocab[r.IntN(len(vocab))]
		}
		return w
	}
	for i := range n {
		ids = append(ids, fmt.Sprintf("doc%05d", i))
		texts = append(texts, strings.Join(text(words), " "))
	}
	for p := range planted {
		orig := strings.Fields(texts[p])
		cp := slices.Clone(orig)
		for i := range cp {
			if r.IntN(25) == 0 { // one word in 25 changed: OCR, typography
				cp[i] = vocab[r.IntN(len(vocab))]
			}
		}
		cp = append(append(text(words/5), cp...), text(words/10)...)
		id := fmt.Sprintf("reprint%05d", p)
		ids = append(ids, id)
		texts = append(texts, strings.Join(cp, " "))
		want = append(want, []string{ids[p], id})
	}
	return ids, texts, want
}

// TestPlanted checks that planted reprints are found, that no unrelated
// documents are grouped, and that the groups do not depend on the order
// documents are added in.
func TestPlanted(t *testing.T) {
	ids, texts, want := corpusWith(1500, 250, 30, 7)
	var first [][]string
	for round, seed := range []uint64{0, 1} {
		order := make([]int, len(ids))
		for i := range order {
			order[i] = i
		}
		if seed > 0 {
			rand.New(rand.NewPCG(seed, 9)).Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
		}
		f := NewFinder(Options{})
		for _, i := range order {
			f.Add(ids[i], texts[i])
		}
		got := f.Groups()
		if round == 0 {
			first = got
			if !slices.EqualFunc(got, want, slices.Equal[[]string]) {
				t.Errorf("Groups() found %d groups, want the %d planted ones; first: %q", len(got), len(want), got[:min(3, len(got))])
			}
			continue
		}
		if !slices.EqualFunc(got, first, slices.Equal[[]string]) {
			t.Errorf("order %d: groups differ from those of the file order", round)
		}
	}
}

func TestLink(t *testing.T) {
	docs := readFile(t, press.Europresse(), "../press/testdata/europresse-article.html")
	docs = append(docs, readFile(t, web.Format(), "../web/testdata/blog-post.html")...)
	Link(docs, Options{})
	for _, d := range docs {
		want := ""
		switch d.ID {
		case "news·20170322·LF·f20170322×14×1234567":
			want = "../web/testdata/blog-post.html"
		case "../web/testdata/blog-post.html":
			want = "news·20170322·LF·f20170322×14×1234567"
		}
		if got := strings.Join(d.Reprints, "|"); got != want {
			t.Errorf("%s: Reprints = %q, want %q", d.ID, got, want)
		}
	}
}

func TestShortDocumentsIgnored(t *testing.T) {
	f := NewFinder(Options{})
	f.Add("a", "Éditorial")
	f.Add("b", "Éditorial")
	if f.Len() != 0 || len(f.Groups()) != 0 {
		t.Errorf("short documents compared: Len() = %d, Groups() = %q", f.Len(), f.Groups())
	}
}

// BenchmarkGroups measures signing and grouping 10,000 documents of 400
// words, 1% of them reprints: documents per second of wall-clock and of
// CPU time, and the CPU time of the grouping step alone.
func BenchmarkGroups(b *testing.B) {
	ids, texts, _ := corpusWith(10000, 400, 100, 3)
	b.ResetTimer()
	cpu0 := cpuTime()
	var grouping time.Duration
	for range b.N {
		f := NewFinder(Options{})
		for i := range ids {
			f.Add(ids[i], texts[i])
		}
		start := cpuTime()
		if g := f.Groups(); len(g) < 95 {
			b.Fatalf("%d groups", len(g))
		}
		grouping += cpuTime() - start
	}
	b.ReportMetric(float64(len(ids)*b.N)/b.Elapsed().Seconds(), "docs/s")
	if d := cpuTime() - cpu0; d > 0 {
		b.ReportMetric(float64(len(ids)*b.N)/d.Seconds(), "docs/cpu-s")
	}
	b.ReportMetric(float64(grouping.Milliseconds())/float64(b.N), "group-cpu-ms/op")
}

// cpuTime returns the CPU time the process has used.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkSign measures signing one document of 400 words, the cost
// reprint detection adds to each document of a build.
func BenchmarkSign(b *testing.B) {
	_, texts, _ := corpusWith(100, 400, 0, 5)
	f := NewFinder(Options{})
	b.ResetTimer()
	cpu0 := cpuTime()
	for i := range b.N {
		f.Sign(texts[i%len(texts)])
	}
	if d := cpuTime() - cpu0; d > 0 {
		b.ReportMetric(float64(d.Microseconds())/float64(b.N), "cpu-µs/doc")
	}
}
