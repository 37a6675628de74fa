package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// benchSizes maps the sizes of make bench to numbers of documents.
func benchSizes() map[string]int {
	return map[string]int{"10k": 10_000, "100k": 100_000, "1m": 1_000_000}
}

// sizeOrder lists the sizes in the order of BENCHMARKS.md.
func sizeOrder() []string { return []string{"10k", "100k", "1m"} }

// A benchReport is everything one run measured; BENCHMARKS.md is written
// from it and results.json holds it whole.
type benchReport struct {
	Size     string    `json:"size"`
	Seed     uint64    `json:"seed"`
	Date     time.Time `json:"date"`
	Commit   string    `json:"commit"`
	Binary   string    `json:"binary,omitempty"` // set when not built from the tree
	Machine  machine   `json:"machine"`
	Corpus   genStats  `json:"corpus"`
	Cached   bool      `json:"corpus_cached"`
	Clients  []int     `json:"clients"`
	Duration float64   `json:"duration_seconds"` // per class and level

	Index struct {
		Seconds      float64 `json:"seconds"`
		CPUSeconds   float64 `json:"cpu_seconds"` // user and system
		DocsPerSec   float64 `json:"docs_per_sec"`
		Bytes        int64   `json:"bytes"`
		PeakRSSBytes int64   `json:"peak_rss_bytes"`
		Summary      string  `json:"summary"`
	} `json:"index"`

	Serve struct {
		Error        string  `json:"error,omitempty"`
		ReadySeconds float64 `json:"ready_seconds"`
		RSSBytes     int64   `json:"rss_bytes"` // after the load
		PeakRSSBytes int64   `json:"peak_rss_bytes"`
		LogFile      string  `json:"log_file"`
	} `json:"serve"`
	Load []classResult `json:"load"`

	Stock        *stockResult `json:"stock,omitempty"`
	StockError   string       `json:"stock_error,omitempty"`
	StockMaxRSS  int64        `json:"stock_max_rss_bytes"` // whole process: build and queries
	StockSkipped bool         `json:"stock_skipped"`

	// Incremental is the scenario run after the full build (see
	// incremental.go); IncrementalError says why it is missing or partial.
	Incremental      []*incStep `json:"incremental,omitempty"`
	IncrementalError string     `json:"incremental_error,omitempty"`
}

func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron-bench run", flag.ContinueOnError)
	size := fs.String("size", "10k", "corpus `size`: 10k, 100k or 1m")
	seed := fs.Uint64("seed", 1, "corpus `seed`")
	clients := fs.String("clients", "1,4", "comma list of concurrent `clients`")
	dur := fs.Duration("duration", 0, "measuring time per query class and level (default 3s at 10k, 5s above)")
	dataDir := fs.String("data", "data/bench", "`DIR` for corpora, indexes and logs (cached by size and seed)")
	out := fs.String("out", "BENCHMARKS.md", "the `FILE` to update")
	stock := fs.Bool("stock", true, "run the stock-bleve baseline")
	incremental := fs.Bool("incremental", true, "run the incremental scenario after the full build: 1% of the corpus deleted, changed, added, each published")
	binary := fs.String("tacheron", "", "use this tacheron `binary` instead of building bin/tacheron from the tree")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron-bench run --size 10k|100k|1m [flags]\n\n"+
			"Generates the corpus (cached), builds bin/tacheron, indexes, serves, loads, runs stock bleve\n"+
			"and replaces the section of the size in BENCHMARKS.md. Run it from the repository root.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	*size = strings.ToLower(*size)
	docs, ok := benchSizes()[*size]
	levels, err := parseClients(*clients)
	if !ok || err != nil || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if *dur == 0 {
		*dur = 5 * time.Second
		if docs <= 10_000 {
			*dur = 3 * time.Second
		}
	}
	root, err := moduleRoot()
	if err != nil {
		return err
	}
	work := filepath.Join(root, *dataDir, fmt.Sprintf("%s-s%d", *size, *seed))
	rep := &benchReport{Size: *size, Seed: *seed, Date: time.Now().UTC(), Commit: gitCommit(root),
		Machine: thisMachine(), Clients: levels, Duration: dur.Seconds()}
	say := func(format string, args ...any) { fmt.Fprintf(stderr, "==> "+format+"\n", args...) }

	// 1. The corpus, cached by size and seed.
	corpusDir := filepath.Join(work, "corpus")
	st, err := readGenStats(corpusDir)
	if err == nil && st.Generator == generatorVersion && st.Seed == *seed && st.Docs == docs {
		rep.Cached = true
		say("corpus: %s (cached)", corpusDir)
	} else {
		say("corpus: generating %d documents (seed %d) into %s", docs, *seed, corpusDir)
		if st, err = writeCorpus(ctx, corpusDir, *seed, docs); err != nil {
			return fmt.Errorf("gen: %w", err)
		}
	}
	rep.Corpus = *st
	// Laid out as files of 1% each, for the incremental scenario.
	partsDir := filepath.Join(work, "parts")
	if err := layOut(corpusDir, partsDir); err != nil {
		return err
	}

	// 2. The binary.
	bin := filepath.Join(root, "bin", "tacheron")
	if *binary != "" {
		if bin, err = filepath.Abs(*binary); err != nil {
			return err
		}
		rep.Binary = bin
		say("binary: %s (not built from this tree)", bin)
	} else {
		say("build: %s", bin)
		build := exec.CommandContext(ctx, goTool(getenv), "build", "-o", bin, "./cmd/tacheron")
		build.Dir, build.Stdout, build.Stderr = root, stderr, stderr
		if err := build.Run(); err != nil {
			return fmt.Errorf("go build ./cmd/tacheron: %w", err)
		}
	}

	// 3. Indexing.
	indexDir := filepath.Join(work, "index")
	if err := os.RemoveAll(indexDir); err != nil {
		return err
	}
	say("index: tacheron index --corpus %s --index %s", partsDir, indexDir)
	if err := runIndexer(ctx, bin, partsDir, indexDir, rep, stderr); err != nil {
		return err
	}
	say("index: %s", rep.Index.Summary)

	// 4. Serve and load.
	rep.Serve.LogFile = filepath.Join(work, "serve.log")
	serveErr := serveAndLoad(ctx, bin, indexDir, rep, *dur, stderr)
	if serveErr != nil {
		rep.Serve.Error = serveErr.Error()
		fmt.Fprintf(stderr, "\n!!!!!!!!\n!!! tacheron serve step FAILED: %v\n!!! The HTTP load was SKIPPED: this run has no tacheron search numbers.\n!!! Server log: %s\n!!!!!!!!\n\n", serveErr, rep.Serve.LogFile)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	// 5. The incremental scenario, upon the full build.
	if *incremental {
		rep.Incremental, err = runIncremental(ctx, bin, partsDir, indexDir, work, stderr)
		if err != nil {
			rep.IncrementalError = err.Error()
			fmt.Fprintf(stderr, "!!! incremental scenario FAILED: %v\n", err)
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	// 6. Stock bleve, in a child process so that its memory is its own,
	// then the scenario's changes, each in a child process too.
	if *stock {
		say("stock: stock bleve on the same corpus")
		stockIndex := filepath.Join(work, "stock-index")
		if err := runStockChild(ctx, partsDir, stockIndex, filepath.Join(work, "stock.json"), *clients, *dur, rep, stderr); err != nil {
			rep.StockError = err.Error()
			fmt.Fprintf(stderr, "!!! stock bleve FAILED: %v\n", err)
		} else if rep.IncrementalError == "" && *incremental {
			if err := runStockIncremental(ctx, partsDir, stockIndex, work, rep.Incremental, stderr); err != nil {
				rep.IncrementalError = "stock bleve: " + err.Error()
				fmt.Fprintf(stderr, "!!! stock bleve's incremental scenario FAILED: %v\n", err)
			}
		}
	} else {
		rep.StockSkipped = true
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}

	// 7. The report.
	if err := writeJSONFile(filepath.Join(work, "results.json"), rep); err != nil {
		return err
	}
	target := *out
	if !filepath.IsAbs(target) {
		target = filepath.Join(root, target)
	}
	if err := updateBenchmarks(target, rep.Size, renderSection(rep)); err != nil {
		return err
	}
	say("wrote the %s section of %s (all figures: %s)", rep.Size, target, filepath.Join(work, "results.json"))
	fmt.Fprint(stdout, renderSection(rep))
	switch {
	case serveErr != nil:
		return fmt.Errorf("serve step failed, search not measured: %w", serveErr)
	case rep.StockError != "":
		return fmt.Errorf("stock bleve failed: %s", rep.StockError)
	case rep.IncrementalError != "":
		return fmt.Errorf("incremental scenario failed: %s", rep.IncrementalError)
	}
	return nil
}

// runIndexer runs tacheron index and measures it.
func runIndexer(ctx context.Context, bin, corpusDir, indexDir string, rep *benchReport, stderr io.Writer) error {
	var summary strings.Builder
	cmd := exec.CommandContext(ctx, bin, "index", "--corpus", corpusDir, "--index", indexDir)
	cmd.Stdout, cmd.Stderr = &summary, stderr
	start := time.Now()
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tacheron index: %w", err)
	}
	rep.Index.Seconds = time.Since(start).Seconds()
	rep.Index.DocsPerSec = float64(rep.Corpus.Docs) / rep.Index.Seconds
	rep.Index.CPUSeconds = cpuSeconds(cmd.ProcessState)
	rep.Index.PeakRSSBytes = maxRSS(cmd.ProcessState)
	rep.Index.Summary = strings.TrimSpace(summary.String())
	var err error
	rep.Index.Bytes, err = dirSize(indexDir)
	return err
}

// maxRSS returns the peak resident memory of a finished process, in bytes.
func maxRSS(ps *os.ProcessState) int64 {
	if ps == nil {
		return 0
	}
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return ru.Maxrss * 1024 // kilobytes on Linux
	}
	return 0
}

// runStockChild runs "tacheron-bench stock" as a child process.
func runStockChild(ctx context.Context, corpusDir, indexDir, jsonFile, clients string, dur time.Duration, rep *benchReport, stderr io.Writer) error {
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	os.Remove(jsonFile)
	cmd := exec.CommandContext(ctx, exe, "stock", "--corpus", corpusDir, "--index", indexDir,
		"--clients", clients, "--duration", dur.String(), "--json", jsonFile)
	cmd.Stdout, cmd.Stderr = io.Discard, stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("tacheron-bench stock: %w", err)
	}
	rep.StockMaxRSS = maxRSS(cmd.ProcessState)
	data, err := os.ReadFile(jsonFile)
	if err != nil {
		return err
	}
	rep.Stock = &stockResult{}
	return json.Unmarshal(data, rep.Stock)
}

// moduleRoot returns the directory of go.mod, from the working directory up.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
			return d, nil
		}
		if filepath.Dir(d) == d {
			return "", errors.New("run: no go.mod here or above: run it from the tacheron repository")
		}
	}
}

// goTool returns the go command: $GO, else go on the PATH, else Go's
// usual home.
func goTool(getenv func(string) string) string {
	if g := getenv("GO"); g != "" {
		return g
	}
	if p, err := exec.LookPath("go"); err == nil {
		return p
	}
	return "/usr/local/go/bin/go"
}

// writeJSON prints v as indented JSON.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeJSONFile writes v as indented JSON to name.
func writeJSONFile(name string, v any) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	err = writeJSON(f, v)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// sizeLabel is the number of documents of a size, written out.
func sizeLabel(size string) string {
	return groupDigits(benchSizes()[size])
}

// groupDigits writes n with thin separators: 1,000,000.
func groupDigits(n int) string {
	s := strconv.Itoa(n)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
