package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// The files gen writes in its output directory.
const (
	corpusFile   = "bench.jsonl"
	manifestFile = "bench.manifest.json"
	statsFile    = ".bench.stats.json" // hidden: the corpus reader leaves it out
)

// genChunk is the number of documents a worker makes at once.
const genChunk = 256

// genStats describes a generated corpus; it is written last, so its
// presence says the corpus is complete.
type genStats struct {
	Generator         int              `json:"generator"`
	Seed              uint64           `json:"seed"`
	Docs              int              `json:"docs"`
	JSONLBytes        int64            `json:"jsonl_bytes"`
	TextBytes         int64            `json:"text_bytes"` // titles and paragraphs
	Paragraphs        int              `json:"paragraphs"`
	EnglishParagraphs int              `json:"english_paragraphs"`
	Tokens            map[string]int64 `json:"tokens"`  // lexicon words drawn, by language
	Lexemes           map[string]int   `json:"lexemes"` // distinct lexicon entries, by lexicon
	Seconds           float64          `json:"seconds"`
}

func runGen(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron-bench gen", flag.ContinueOnError)
	docs := fs.Int("docs", 10000, "number of `N` documents")
	seed := fs.Uint64("seed", 1, "random `seed`: the same docs and seed give the same bytes")
	out := fs.String("out", "", "output `DIR` (created)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron-bench gen --docs N --seed S --out DIR\n\n"+
			"Writes a synthetic bilingual corpus: DIR/%s, DIR/%s and DIR/%s.\n\n", corpusFile, manifestFile, statsFile)
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if *out == "" || *docs < 1 || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	st, err := writeCorpus(ctx, *out, *seed, *docs)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "generated %d documents (seed %d) in %.1fs: %s, %.1f MB of JSON Lines, %.1f MB of text, %d+%d lexemes (fr+en), %.0f%% English paragraphs\n",
		st.Docs, st.Seed, st.Seconds, *out, float64(st.JSONLBytes)/1e6, float64(st.TextBytes)/1e6,
		st.Lexemes["fr"], st.Lexemes["en"], 100*float64(st.EnglishParagraphs)/float64(st.Paragraphs))
	return nil
}

// writeCorpus writes the corpus of seed and docs in dir.
func writeCorpus(ctx context.Context, dir string, seed uint64, docs int) (*genStats, error) {
	start := time.Now()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	os.Remove(filepath.Join(dir, statsFile))
	manifest, err := json.MarshalIndent(corpus.Manifest{
		Archive:       fmt.Sprintf("tacheron-bench synthetic corpus, seed %d, %d documents", seed, docs),
		DefaultSource: "tacheron-bench",
		DefaultLang:   analysis.French,
	}, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, manifestFile), append(manifest, '\n'), 0o644); err != nil {
		return nil, err
	}
	tmp := filepath.Join(dir, corpusFile+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return nil, err
	}
	defer os.Remove(tmp)
	w := bufio.NewWriterSize(f, 1<<20)
	st, err := generate(ctx, w, seed, docs, runtime.GOMAXPROCS(0))
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, err
	}
	if err := os.Rename(tmp, filepath.Join(dir, corpusFile)); err != nil {
		return nil, err
	}
	st.Seconds = time.Since(start).Seconds()
	data, err := json.MarshalIndent(st, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, statsFile), append(data, '\n'), 0o644); err != nil {
		return nil, err
	}
	return st, nil
}

// readGenStats reads the stats of a generated corpus.
func readGenStats(dir string) (*genStats, error) {
	data, err := os.ReadFile(filepath.Join(dir, statsFile))
	if err != nil {
		return nil, err
	}
	var st genStats
	if err := json.Unmarshal(data, &st); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, statsFile), err)
	}
	return &st, nil
}

// A genBatch is a run of documents made by one worker.
type genBatch struct {
	first, n int
	buf      bytes.Buffer
	st       docStats
	ranks    map[string]*roaring.Bitmap
	err      error
	done     chan struct{}
}

// generate writes docs documents as JSON Lines to w, made by workers
// goroutines and written in order: the output does not depend on workers.
func generate(ctx context.Context, w io.Writer, seed uint64, docs, workers int) (*genStats, error) {
	g, err := newGenerator(seed)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan *genBatch)
	order := make(chan *genBatch, 2*workers)
	for range max(1, workers) {
		go func() {
			for b := range jobs {
				b.make(g)
				close(b.done)
			}
		}()
	}
	go func() {
		defer close(jobs)
		defer close(order)
		for first := 0; first < docs; first += genChunk {
			b := &genBatch{first: first, n: min(genChunk, docs-first), done: make(chan struct{})}
			select {
			case order <- b:
			case <-ctx.Done():
				return
			}
			select {
			case jobs <- b:
			case <-ctx.Done():
				close(b.done)
				return
			}
		}
	}()
	st := &genStats{Generator: generatorVersion, Seed: seed, Tokens: make(map[string]int64), Lexemes: make(map[string]int)}
	lexemes := make(map[string]*roaring.Bitmap)
	var firstErr error
	for b := range order {
		<-b.done
		if firstErr != nil {
			continue
		}
		if err := errors.Join(b.err, ctx.Err()); err != nil {
			firstErr = err
			cancel()
			continue
		}
		n, err := w.Write(b.buf.Bytes())
		if err != nil {
			firstErr = err
			cancel()
			continue
		}
		st.Docs += b.n
		st.JSONLBytes += int64(n)
		st.TextBytes += int64(b.st.textBytes)
		st.Paragraphs += b.st.paragraphs
		st.EnglishParagraphs += b.st.english
		for lang, k := range b.st.tokens {
			st.Tokens[string(lang)] += int64(k)
		}
		for name, bm := range b.ranks {
			if lexemes[name] == nil {
				lexemes[name] = roaring.New()
			}
			lexemes[name].Or(bm)
		}
	}
	if firstErr != nil {
		return nil, firstErr
	}
	for name, bm := range lexemes {
		st.Lexemes[name] = int(bm.GetCardinality())
	}
	return st, nil
}

// make makes the documents of a batch.
func (b *genBatch) make(g *generator) {
	enc := json.NewEncoder(&b.buf)
	enc.SetEscapeHTML(false)
	b.st.tokens = make(map[analysis.Lang]int)
	b.ranks = make(map[string]*roaring.Bitmap)
	for i := b.first; i < b.first+b.n; i++ {
		rec, st := g.document(i)
		if err := enc.Encode(rec); err != nil {
			b.err = fmt.Errorf("document %d: %w", i, err)
			return
		}
		b.st.textBytes += st.textBytes
		b.st.paragraphs += st.paragraphs
		b.st.english += st.english
		for lang, k := range st.tokens {
			b.st.tokens[lang] += k
		}
		for name, ranks := range st.ranks {
			if b.ranks[name] == nil {
				b.ranks[name] = roaring.New()
			}
			b.ranks[name].AddMany(ranks)
		}
	}
}
