package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"os"
	"runtime/debug"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/term"

	"tacheron/corpus"
	"tacheron/corpus/formats"
	"tacheron/index"
	"tacheron/index/replica"
	"tacheron/index/store"
	"tacheron/index/watch"
)

// defaultIndex is where the index lives unless told otherwise.
const defaultIndex = "data/index"

// openCorpus opens dir, reading every format tacheron knows, or the
// bundled corpus when dir is empty.
func openCorpus(dir string, opts ...corpus.Option) (*corpus.Corpus, error) {
	if dir == "" {
		return corpus.Bundled()
	}
	return corpus.OpenDir(dir, append([]corpus.Option{corpus.WithFormats(formats.All()...)}, opts...)...)
}

func runIndex(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) (err error) {
	fs := flag.NewFlagSet("tacheron index", flag.ContinueOnError)
	corpusDir := fs.String("corpus", envOr(getenv, "TACHERON_CORPUS", ""), "corpus `DIR`, read recursively: WordPress exports, feeds, Markdown, text, CSV, PDF, JSON Lines… (default: the bundled corpus) [$TACHERON_CORPUS]")
	skip := fs.Bool("skip-unsupported", false, "leave out (and list) the files in no known format instead of failing")
	indexDir := fs.String("index", envOr(getenv, "TACHERON_INDEX", defaultIndex), "index `PATH` [$TACHERON_INDEX]")
	keep := fs.Int("keep", 2, "snapshots to keep, the new one included; older ones are removed unless a server uses them")
	batch := fs.Int("batch", 0, "at most `N` documents per batch and per segment (default: sized from --max-memory)")
	maxMemory := byteSize(index.DefaultMaxMemory)
	fs.Var(&maxMemory, "max-memory", "memory the build may use, as `SIZE` (512MiB, 2GiB…): batches and segments are sized from it, and 75% of it is the Go runtime's soft memory limit (unless GOMEMLIMIT is set); a larger corpus makes more segments, not larger ones")
	full := fs.Bool("full", false, "rebuild everything instead of reading only the files changed since the current snapshot")
	compactShare := fs.Float64("compact-share", 0, "rewrite without them a shard of the current snapshot that has at least this `SHARE` of its documents deleted (default 0.25; 1: only merge small shards)")
	watchCorpus := fs.Bool("watch", false, "then keep running (until interrupted): publish a new snapshot, incrementally, whenever files of --corpus are added, changed or removed and have stayed unchanged for --watch-quiet")
	quiet := fs.Duration("watch-quiet", watch.DefaultQuiet, "with --watch, how long the corpus must stay unchanged before a build")
	rescan := fs.Duration("watch-rescan", watch.DefaultRescan, "with --watch, look at the whole corpus this often too, for changes no file event reported")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the build to `FILE` (not listed: for profiling)")
	publish := fs.String("publish", envOr(getenv, "TACHERON_PUBLISH", ""), "then upload the snapshot to `s3://BUCKET/PREFIX` for replicas to follow, keeping --keep generations there too (credentials, region, endpoint: the AWS_* variables and files) [$TACHERON_PUBLISH]")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: tacheron index [flags]\n\nBuilds a snapshot of the corpus beside the served one and makes it current.\nOnly the files added or changed since the current snapshot are read (unless\n--full); a change of taxonomy, analysis or format rebuilds everything.\nWith --watch it then keeps the snapshot up to date with the corpus folder.\n\n")
		printListed(fs, "cpuprofile")
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
	if *watchCorpus {
		switch {
		case *corpusDir == "":
			fmt.Fprintf(stderr, "tacheron index: --watch needs --corpus DIR (the bundled corpus does not change)\n")
			return errUsage
		case *quiet <= 0 || *rescan <= 0:
			fmt.Fprintf(stderr, "tacheron index: --watch-quiet and --watch-rescan must be positive\n")
			return errUsage
		}
	}
	if *batch < 0 {
		fmt.Fprintf(stderr, "tacheron index: --batch must not be negative\n")
		return errUsage
	}
	if !(*compactShare >= 0 && *compactShare <= 1) {
		fmt.Fprintf(stderr, "tacheron index: --compact-share must be between 0 and 1\n")
		return errUsage
	}
	st := store.Open(*indexDir)
	failed := func(err error) error {
		served := "no snapshot is published yet"
		if gen, _, cerr := st.Current(); cerr == nil {
			served = fmt.Sprintf("generation %d is still current", gen)
		}
		return fmt.Errorf("index %s: nothing published, %s: %w", *indexDir, served, err)
	}
	var bucket *replica.Bucket
	if *publish != "" {
		loc, err := replica.ParseLocation(*publish)
		if err != nil {
			fmt.Fprintf(stderr, "tacheron index: --publish: %v\n", err)
			return errUsage
		}
		if bucket, err = replica.Open(ctx, loc); err != nil {
			return failed(err)
		}
	}
	// Generations grow across the bucket, even from a new store.
	var minGen uint64
	if bucket != nil {
		ptr, err := bucket.Pointer(ctx)
		if err != nil && !errors.Is(err, replica.ErrNothingPublished) {
			return failed(err)
		}
		minGen = ptr.Generation + 1
	}
	if getenv("GOGC") == "" {
		// Building allocates much and keeps little: collect less often,
		// the memory limit below bounding the heap.
		defer debug.SetGCPercent(debug.SetGCPercent(200))
	}
	if getenv("GOMEMLIMIT") == "" {
		// The Go runtime's memory, at most 75% of the bound: the rest of
		// the process's resident memory is its code and the segment files
		// merges map (20% of the bound: see index.BuildOptions.MaxMemory).
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(int64(maxMemory) / 4 * 3))
	}
	if *watchCorpus {
		return watchIndex(ctx, watch.Options{
			Dir: *corpusDir, Store: st, Quiet: *quiet, Rescan: *rescan,
			Corpus: []corpus.Option{corpus.WithFormats(formats.All()...), corpus.SkipUnsupported(*skip)},
			Publish: store.PublishOptions{
				BuildOptions:  index.BuildOptions{BatchSize: *batch, MaxMemory: int64(maxMemory), Full: *full, CompactShare: *compactShare},
				Keep:          *keep,
				MinGeneration: minGen,
			},
		}, bucket, stdout, stderr)
	}
	c, err := openCorpus(*corpusDir, corpus.SkipUnsupported(*skip))
	if err != nil {
		return failed(err)
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return failed(err)
		}
		defer func() {
			if serr := stop(); serr != nil && err == nil {
				err = serr
			}
		}()
	}
	start := time.Now()
	progress := newProgress(stderr)
	if progress.tty {
		// The total is counted beside the build, for the percentage and
		// the time left; until it is known the line shows the rate.
		countCtx, stopCount := context.WithCancel(ctx)
		defer stopCount()
		go progress.count(countCtx, c)
	}
	stats, err := st.Publish(ctx, c, store.PublishOptions{
		BuildOptions:  index.BuildOptions{BatchSize: *batch, MaxMemory: int64(maxMemory), Progress: progress.update, Full: *full, CompactShare: *compactShare},
		Keep:          *keep,
		MinGeneration: minGen,
	})
	progress.done()
	if err != nil {
		return failed(err)
	}
	report(stats, c, *indexDir, time.Since(start), stdout, stderr)
	if bucket == nil {
		return nil
	}
	return upload(ctx, bucket, st, stats.Generation, *keep, stdout)
}

// report prints what a build did: the files it skipped, the documents read
// twice, and its summary.
func report(stats *index.Stats, c *corpus.Corpus, indexDir string, took time.Duration, stdout, stderr io.Writer) {
	skipped := c.Skipped()
	for _, sk := range skipped {
		fmt.Fprintf(stderr, "tacheron index: skipped %s: %s\n", sk.Path, sk.Reason)
	}
	repeated := c.Repeated()
	for _, r := range repeated {
		fmt.Fprintf(stderr, "tacheron index: read twice, kept once: %s: %s\n", r.Path, r.Reason)
	}
	line := summary(stats, indexDir, took)
	if len(skipped) > 0 {
		line += fmt.Sprintf(" (%d unsupported files skipped)", len(skipped))
	}
	if len(repeated) > 0 {
		line += fmt.Sprintf(" (%d documents read twice, kept once)", len(repeated))
	}
	fmt.Fprintln(stdout, line)
}

// upload publishes the store's generation gen to bucket, keeping keep
// generations there.
func upload(ctx context.Context, bucket *replica.Bucket, st *store.Store, gen uint64, keep int, stdout io.Writer) error {
	start := time.Now()
	cur, dir, err := st.Current()
	if err != nil {
		return err
	}
	if cur != gen {
		return fmt.Errorf("index %s: generation %d became current while %d was published: not uploaded", st.Dir(), cur, gen)
	}
	ps, err := bucket.Publish(ctx, gen, dir, keep)
	if err != nil {
		return fmt.Errorf("publish generation %d to %s: %w", gen, bucket.Location, err)
	}
	fmt.Fprintf(stdout, "published generation %d to %s: %d files, %d bytes, in %.2fs%s\n",
		ps.Generation, bucket.Location, ps.Files, ps.Bytes, time.Since(start).Seconds(), deleted(ps.Deleted))
	return nil
}

// watchIndex publishes a snapshot of the corpus folder, then one whenever
// it changes, until ctx is done (interrupted). Each publication prints its
// summary, and is uploaded to bucket when there is one; a build that
// fails is logged on stderr, naming file and line, and the current
// snapshot stays.
func watchIndex(ctx context.Context, opts watch.Options, bucket *replica.Bucket, stdout, stderr io.Writer) error {
	opts.Logger = slog.New(slog.NewTextHandler(stderr, nil))
	opts.Published = func(p watch.Publication) {
		report(p.Stats, p.Corpus, opts.Store.Dir(), p.Took, stdout, stderr)
		if bucket != nil {
			if err := upload(ctx, bucket, opts.Store, p.Stats.Generation, opts.Publish.Keep, stdout); err != nil {
				opts.Logger.Error("upload failed", "err", err)
			}
		}
	}
	w, err := watch.New(opts)
	if err != nil {
		return err
	}
	opts.Logger.Info("watching the corpus; interrupt to stop", "corpus", opts.Dir, "index", opts.Store.Dir())
	return w.Run(ctx)
}

// deleted says which generations a publication removed from the bucket.
func deleted(gens []uint64) string {
	if len(gens) == 0 {
		return ""
	}
	var s []string
	for _, g := range gens {
		s = append(s, strconv.FormatUint(g, 10))
	}
	return "; removed generation " + strings.Join(s, ", ")
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
	line := fmt.Sprintf("indexed %d documents (%s; %s), %d concepts, in %.2fs (%.0f documents/s): %s generation %d",
		st.Documents, counts(st.ByKind), counts(st.ByLang), len(st.Concepts), took.Seconds(),
		float64(st.Documents)/max(took.Seconds(), 1e-3), dir, st.Generation)
	switch inc := st.Incremental; {
	case inc != nil:
		line += fmt.Sprintf("\nincremental upon generation %d: %d files read, %d unchanged, %d removed; %d documents read, %d deleted; %d shards shared; %d files hashed",
			inc.Previous, inc.FilesRead, inc.FilesReused, inc.FilesRemoved, inc.DocumentsRead, inc.DocumentsDeleted, inc.SharedShards, inc.FilesHashed)
		if inc.CompactedShards+inc.MergedShards > 0 {
			line += fmt.Sprintf("; %d shards compacted, %d merged, %d deleted documents dropped", inc.CompactedShards, inc.MergedShards, inc.DocumentsDropped)
		}
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
	// total is the number of documents of the corpus once counted, 0
	// before.
	total atomic.Int64
}

func newProgress(w io.Writer) *progress {
	p := &progress{w: w, start: time.Now()}
	if f, ok := w.(*os.File); ok {
		p.tty = term.IsTerminal(int(f.Fd()))
	}
	return p
}

// count counts the documents of c into p.total.
func (p *progress) count(ctx context.Context, c *corpus.Corpus) {
	n := 0
	err := c.Walk(ctx, func(*corpus.Document) error { n++; return nil })
	if err == nil {
		p.total.Store(int64(n))
	}
}

func (p *progress) update(docs int) {
	if !p.tty || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	fmt.Fprintf(p.w, "\r\033[K%s", progressLine(docs, int(p.total.Load()), time.Since(p.start)))
}

func (p *progress) done() {
	if p.tty && !p.last.IsZero() {
		fmt.Fprint(p.w, "\r\033[K")
	}
}

// barCells is the width of the progress bar.
const barCells = 30

// progressLine describes a build that has indexed docs of total documents
// (0: not known yet) in elapsed: a bar, the count, the percentage, the rate
// and the time left.
func progressLine(docs, total int, elapsed time.Duration) string {
	rate := float64(docs) / max(elapsed.Seconds(), 1e-3)
	if total <= 0 {
		return fmt.Sprintf("%d documents, %.0f/s", docs, rate)
	}
	docs = min(docs, total)
	filled := docs * barCells / total
	bar := strings.Repeat("█", filled) + strings.Repeat("░", barCells-filled)
	line := fmt.Sprintf("%s %d/%d documents (%d%%), %.0f/s", bar, docs, total, docs*100/total, rate)
	if rate > 0 {
		left := time.Duration(float64(total-docs) / rate * float64(time.Second))
		line += ", ETA " + left.Round(time.Second).String()
	}
	return line
}

// printListed prints fs's flags as PrintDefaults does, but for those named
// in hidden.
func printListed(fs *flag.FlagSet, hidden ...string) {
	listed := flag.NewFlagSet(fs.Name(), flag.ContinueOnError)
	listed.SetOutput(fs.Output())
	fs.VisitAll(func(f *flag.Flag) {
		if !slices.Contains(hidden, f.Name) {
			listed.Var(f.Value, f.Name, f.Usage)
			listed.Lookup(f.Name).DefValue = f.DefValue
		}
	})
	listed.PrintDefaults()
}

// startCPUProfile starts writing a CPU profile into path; the function
// returned stops it and closes the file.
func startCPUProfile(path string) (func() error, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpu profile: %w", err)
	}
	return func() error {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			return fmt.Errorf("cpu profile: %w", err)
		}
		return nil
	}, nil
}
