package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"maps"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"

	"golang.org/x/term"

	"tacheron/corpus"
	"tacheron/index"
	"tacheron/index/store"
)

// defaultIndex is where the index lives unless told otherwise.
const defaultIndex = "data/index"

// openCorpus opens dir, or the bundled corpus when dir is empty.
func openCorpus(dir string) (*corpus.Corpus, error) {
	if dir == "" {
		return corpus.Bundled()
	}
	return corpus.OpenDir(dir)
}

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron index", flag.ContinueOnError)
	corpusDir := fs.String("corpus", envOr(getenv, "TACHERON_CORPUS", ""), "corpus `DIR` (.txt archives, .jsonl files; default: the bundled corpus) [$TACHERON_CORPUS]")
	indexDir := fs.String("index", envOr(getenv, "TACHERON_INDEX", defaultIndex), "index `PATH` [$TACHERON_INDEX]")
	keep := fs.Int("keep", 2, "snapshots to keep, the new one included; older ones are removed unless a server uses them")
	batch := fs.Int("batch", 2000, "documents per bleve segment")
	full := fs.Bool("full", false, "rebuild everything instead of reading only the files changed since the current snapshot")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron index [flags]\n\nBuilds a snapshot of the corpus beside the served one and makes it current.\nOnly the files added or changed since the current snapshot are read (unless\n--full); a change of taxonomy, analysis or format rebuilds everything.\n\n")
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tacheron index: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	if *keep < 1 {
		fmt.Fprintf(stderr, "tacheron index: --keep must be at least 1\n")
		return errUsage
	}
	c, err := openCorpus(*corpusDir)
	if err != nil {
		return err
	}
	if getenv("GOGC") == "" {
		// Building allocates much and keeps little: collect less often.
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	start := time.Now()
	progress := newProgress(stderr)
	st := store.Open(*indexDir)
	stats, err := st.Publish(ctx, c, store.PublishOptions{
		BuildOptions: index.BuildOptions{BatchSize: *batch, Progress: progress.update, Full: *full},
		Keep:         *keep,
	})
	progress.done()
	if err != nil {
		served := "no snapshot is published yet"
		if gen, _, cerr := st.Current(); cerr == nil {
			served = fmt.Sprintf("generation %d is still current", gen)
		}
		return fmt.Errorf("index %s: nothing published, %s: %w", *indexDir, served, err)
	}
	fmt.Fprintln(stdout, summary(stats, *indexDir, time.Since(start)))
	return nil
}

// summary is the line that reports a build.
func summary(st *index.Stats, dir string, took time.Duration) string {
	counts := func(m map[string]int) string {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(m)) {
			parts = append(parts, k+" "+strconv.Itoa(m[k]))
		}
		return strings.Join(parts, ", ")
	}
	line := fmt.Sprintf("indexed %d documents (%s; %s), %d concepts, in %.2fs: %s generation %d",
		st.Documents, counts(st.ByKind), counts(st.ByLang), len(st.Concepts), took.Seconds(), dir, st.Generation)
	switch inc := st.Incremental; {
	case inc != nil:
		line += fmt.Sprintf("\nincremental upon generation %d: %d files read, %d unchanged, %d removed; %d documents read, %d deleted; %d shards shared",
			inc.Previous, inc.FilesRead, inc.FilesReused, inc.FilesRemoved, inc.DocumentsRead, inc.DocumentsDeleted, inc.SharedShards)
	case st.FullReason != "":
		line += "\nfull build: " + st.FullReason
	}
	return line
}

// progress draws a progress line on a terminal, and nothing otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	start time.Time
	last  time.Time
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		p.tty = term.IsTerminal(int(f.Fd()))
	}
	return p
}

func (p *progress) update(docs int) {
	if !p.tty || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	rate := float64(docs) / time.Since(p.start).Seconds()
	bar := strings.Repeat("█", (docs/1000)%30) + strings.Repeat("░", 30-(docs/1000)%30)
	fmt.Fprintf(p.w, "\r%s %d documents, %.0f/s", bar, docs, rate)
}

func (p *progress) done() {
	if p.tty && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
