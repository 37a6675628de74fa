package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"sync"
	"syscall"
	"time"

	"tacheron/api"
	"tacheron/api/gate"
	"tacheron/corpus"
	"tacheron/corpus/formats"
	"tacheron/index"
	"tacheron/index/replica"
	"tacheron/index/store"
	"tacheron/index/watch"

	"github.com/prometheus/client_golang/prometheus"
)

// Limits of the HTTP server. The header limit is above the API's own
// (api.DefaultMaxHeaderBytes, api.DefaultMaxURLBytes) so that the API
// answers oversized requests with a problem document; beyond it the
// server refuses them itself.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 1 << 20
	// shutdownTimeout bounds how long requests in flight may take to
	// finish once the server is asked to stop.
	shutdownTimeout = 15 * time.Second
)

// runServe serves the API (see the api package) until ctx is done, then
// lets the requests in flight finish.
func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron serve", flag.ContinueOnError)
	indexDir := fs.String("index", envOr(getenv, "TACHERON_INDEX", defaultIndex), "index `PATH`; built from the corpus when it holds none [$TACHERON_INDEX]")
	addr := fs.String("addr", envOr(getenv, "TACHERON_ADDR", "127.0.0.1:8080"), "listen on `HOST:PORT` [$TACHERON_ADDR]")
	corpusDir := fs.String("corpus", envOr(getenv, "TACHERON_CORPUS", ""), "corpus `DIR` to build a missing index from, and to reindex from (default: the bundled corpus) [$TACHERON_CORPUS]")
	corsOrigin := fs.String("cors-origin", envOr(getenv, "TACHERON_CORS_ORIGIN", ""), "the one `ORIGIN` allowed to call the API from a browser (default: none) [$TACHERON_CORS_ORIGIN]")
	timeout := fs.Duration("timeout", api.DefaultTimeout, "deadline of each request")
	maxConcurrent := fs.Int("max-concurrent", 0, "searches answered at once; as many more wait up to 100ms, others get 503 (default: 2 per CPU) [$TACHERON_MAX_CONCURRENT]")
	if v := getenv("TACHERON_MAX_CONCURRENT"); v != "" {
		if err := fs.Set("max-concurrent", v); err != nil {
			fmt.Fprintf(stderr, "tacheron serve: TACHERON_MAX_CONCURRENT=%q: %v\n", v, err)
			return errUsage
		}
	}
	watchCorpus := fs.Bool("watch-corpus", false, "publish and serve a new snapshot, incrementally, whenever files of --corpus are added, changed or removed and have stayed unchanged for --watch-quiet")
	quiet := fs.Duration("watch-quiet", watch.DefaultQuiet, "with --watch-corpus, how long the corpus must stay unchanged before a build")
	rescan := fs.Duration("watch-rescan", watch.DefaultRescan, "with --watch-corpus, look at the whole corpus this often too, for changes no file event reported")
	watchInterval := fs.Duration("watch-interval", defaultWatchInterval, "look for a new snapshot this often; 0 disables [$TACHERON_WATCH_INTERVAL]")
	adminToken := fs.String("admin-token", "", "`TOKEN` that enables the admin endpoints (reload, reindex); prefer $TACHERON_ADMIN_TOKEN, which ps does not show")
	keep := fs.Int("keep", 2, "snapshots a reindex through the admin endpoint, or --follow, keeps, the new one included")
	reindexMemory := byteSize(index.DefaultMaxMemory)
	fs.Var(&reindexMemory, "reindex-max-memory", "memory a reindex through the admin endpoint (or --watch-corpus) may add to the server, as `SIZE` (512MiB, 2GiB…): its batches and segments are sized from it, as tacheron index --max-memory")
	follow := fs.String("follow", envOr(getenv, "TACHERON_FOLLOW", ""), "make a replica: follow the snapshots published to `s3://BUCKET/PREFIX` (tacheron index --publish) into --index instead of building (credentials, region, endpoint: the AWS_* variables and files) [$TACHERON_FOLLOW]")
	followInterval := fs.Duration("follow-interval", replica.DefaultFollowInterval, "with --follow, read the published pointer this often")
	keepOpen := fs.Int("keep-open", 0, "keep open this many previous snapshots once swapped out, for the requests that ask for their generation (page 2 of a result list; default 2 with --follow, else 0)")
	keepOpenFor := fs.Duration("keep-open-for", 0, "keep open too the snapshots swapped out less than this long ago (default 5m with --follow, else 0)")
	followLimit := fs.String("follow-limit", envOr(getenv, "TACHERON_FOLLOW_LIMIT", ""), "with --follow, download at most `RATE` bytes per second (like 500k, 20M; default: no limit) [$TACHERON_FOLLOW_LIMIT]")
	meiliPrefix := fs.String("meili-prefix", envOr(getenv, "TACHERON_MEILI_PREFIX", api.DefaultMeiliPrefix), "serve the read-only Meilisearch-compatible API under `PATH`; empty or off disables it [$TACHERON_MEILI_PREFIX]")
	maxExports := fs.Int("max-exports", api.DefaultMaxExports, "exports (format=csv…) streamed at once; others get 503")
	exportTimeout := fs.Duration("export-timeout", api.DefaultExportTimeout, "deadline of an export")
	exportMaxRows := fs.Int("export-max-rows", api.DefaultMaxExportRows, "rows of an export, at most")
	meiliIndex := fs.String("meili-index", envOr(getenv, "TACHERON_MEILI_INDEX", api.DefaultMeiliIndex), "the `UID` of the index in the Meilisearch-compatible API [$TACHERON_MEILI_INDEX]")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: tacheron serve [flags]\n\nServes the JSON API and the search page, and swaps in each new snapshot of the index:\non SIGHUP, on POST /api/v1/admin/reload, and when the index's CURRENT marker changes.\nWith --corpus DIR --watch-corpus it publishes a new snapshot whenever the folder changes.\n\n")
		fs.PrintDefaults()
	}
	if v := getenv("TACHERON_WATCH_INTERVAL"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			fmt.Fprintf(stderr, "tacheron serve: TACHERON_WATCH_INTERVAL=%q is not a duration like 2s (0 disables)\n", v)
			return errUsage
		}
		*watchInterval = d
	}
	*adminToken = envOr(getenv, "TACHERON_ADMIN_TOKEN", "")
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tacheron serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	if *timeout <= 0 {
		fmt.Fprintf(stderr, "tacheron serve: --timeout must be positive\n")
		return errUsage
	}
	if *maxConcurrent < 0 {
		fmt.Fprintf(stderr, "tacheron serve: --max-concurrent must be positive, or 0 for the default\n")
		return errUsage
	}
	if *watchInterval < 0 {
		fmt.Fprintf(stderr, "tacheron serve: --watch-interval must be 0 (off) or positive\n")
		return errUsage
	}
	if *meiliPrefix == "off" {
		*meiliPrefix = ""
	}
	if *keep < 1 {
		fmt.Fprintf(stderr, "tacheron serve: --keep must be at least 1\n")
		return errUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if *follow != "" {
		if !set["keep-open"] {
			*keepOpen = 2
		}
		if !set["keep-open-for"] {
			*keepOpenFor = 5 * time.Minute
		}
		if !set["keep"] {
			// On disk too, so that a restarted replica opens them again.
			*keep = *keepOpen + 1
		}
	}
	if *keepOpen < 0 || *keepOpenFor < 0 {
		fmt.Fprintf(stderr, "tacheron serve: --keep-open and --keep-open-for must not be negative\n")
		return errUsage
	}
	if *followInterval <= 0 {
		fmt.Fprintf(stderr, "tacheron serve: --follow-interval must be positive\n")
		return errUsage
	}
	rate, err := parseRate(*followLimit)
	if err != nil {
		fmt.Fprintf(stderr, "tacheron serve: --follow-limit: %v\n", err)
		return errUsage
	}
	if *watchCorpus {
		switch {
		case *corpusDir == "":
			fmt.Fprintf(stderr, "tacheron serve: --watch-corpus needs --corpus DIR (the bundled corpus does not change)\n")
			return errUsage
		case *follow != "":
			fmt.Fprintf(stderr, "tacheron serve: --watch-corpus and --follow exclude each other: a replica serves what is published (watch the corpus where it is published: tacheron index --watch --publish)\n")
			return errUsage
		case *quiet <= 0 || *rescan <= 0:
			fmt.Fprintf(stderr, "tacheron serve: --watch-quiet and --watch-rescan must be positive\n")
			return errUsage
		}
	}
	var loc replica.Location
	if *follow != "" {
		if loc, err = replica.ParseLocation(*follow); err != nil {
			fmt.Fprintf(stderr, "tacheron serve: --follow: %v\n", err)
			return errUsage
		}
	}
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	st := store.Open(*indexDir)
	live := store.NewLive(st)
	live.KeepOpen(*keepOpen, *keepOpenFor)
	defer live.Close()
	reindexFrom := func() (*corpus.Corpus, error) { return reindexCorpus(*corpusDir, live.Status()) }
	var follower *replica.Follower
	if *follow != "" {
		bucket, err := replica.Open(ctx, loc)
		if err != nil {
			return err
		}
		follower = replica.NewFollower(bucket, st, replica.FollowOptions{
			Interval: *followInterval, BytesPerSecond: rate, Keep: *keep, Logger: logger,
			Installed: func(gen uint64) {
				_, err := live.Reload()
				logReload(logger, live, "follow", gen, err)
			},
		})
		reindexFrom = func() (*corpus.Corpus, error) {
			return nil, fmt.Errorf("a replica does not reindex: it follows %s (reindex with tacheron index --publish)", loc)
		}
	}
	var collectors []prometheus.Collector
	if follower != nil {
		collectors = follower.Collectors()
	}
	// A reindex (or a build for --watch-corpus) grows the server by its
	// bound: the soft memory limit holds its heap for the time of the
	// build, unless GOMEMLIMIT sets the process's.
	reindexBuild := index.BuildOptions{MaxMemory: int64(reindexMemory), LimitMemory: getenv("GOMEMLIMIT") == ""}
	reindexer, err := store.NewReindexer(live, store.ReindexOptions{
		Corpus:  reindexFrom,
		Publish: store.PublishOptions{Keep: *keep, BuildOptions: reindexBuild},
		Done:    func(run store.ReindexRun) { logReindex(logger, run) },
	})
	if err != nil {
		return err
	}
	defer reindexer.Close() // before live.Close: a run in progress is canceled
	handler, err := api.NewServer(api.Options{
		Searcher: live, Logger: logger, CORSOrigin: *corsOrigin, Timeout: *timeout,
		AdminToken: *adminToken, Reloader: live, Reindexer: reindexer,
		MeiliPrefix: *meiliPrefix, MeiliIndex: *meiliIndex,
		MaxConcurrent: *maxConcurrent, PromptSearcher: true,
		MaxExports: *maxExports, ExportTimeout: *exportTimeout, MaxExportRows: *exportMaxRows, Collectors: collectors,
	})
	if err != nil {
		return err
	}
	// SIGHUP reloads; caught from before the server listens, so that an
	// early one does not kill the process.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	// The header blocks net/http refuses itself are answered as problems.
	ln = gate.ProblemListener(ln, maxHeaderBytes)
	srv := &http.Server{
		Handler:           handler,
		ConnContext:       gate.ConnContext,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      *timeout + 5*time.Second,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening", "addr", ln.Addr().String(), "index", *indexDir, "admin", *adminToken != "", "watch", *watchInterval, "follow", *follow)

	// Until an index is loaded, /readyz and the API answer 503. A failed
	// load stops the server. Once loaded, the watch looks for new
	// snapshots.
	sctx, stop := context.WithCancelCause(ctx)
	var background sync.WaitGroup
	if follower != nil {
		// A replica serves what its store holds, if anything, while the
		// follower fetches what is published.
		background.Go(func() { follower.Run(sctx) })
		background.Go(func() {
			if _, _, err := st.Current(); err == nil {
				_, err := live.Reload()
				logReload(logger, live, "start", 0, err)
			}
			if *watchInterval > 0 {
				live.Watch(sctx, *watchInterval, func(gen uint64, err error) { logReload(logger, live, "watch", gen, err) })
			}
		})
	}
	background.Go(func() {
		if follower != nil {
			return
		}
		if err := load(sctx, live, *corpusDir, reindexBuild, logger); err != nil {
			stop(err)
			return
		}
		if *watchCorpus {
			w, err := watch.New(watch.Options{
				Dir: *corpusDir, Store: st, Quiet: *quiet, Rescan: *rescan, Logger: logger,
				Corpus:  []corpus.Option{corpus.WithFormats(formats.All()...)},
				Publish: store.PublishOptions{Keep: *keep, BuildOptions: reindexBuild},
				Published: func(p watch.Publication) {
					_, err := live.Reload()
					logReload(logger, live, "corpus", p.Stats.Generation, err)
				},
			})
			if err != nil {
				stop(err)
				return
			}
			background.Go(func() {
				if err := w.Run(sctx); err != nil {
					logger.Error("the corpus is no longer watched", "corpus", *corpusDir, "err", err)
				}
			})
		}
		if *watchInterval > 0 {
			live.Watch(sctx, *watchInterval, func(gen uint64, err error) { logReload(logger, live, "watch", gen, err) })
		}
	})
	background.Go(func() {
		for {
			select {
			case <-sctx.Done():
				return
			case <-hup:
				_, err := live.Reload()
				logReload(logger, live, "SIGHUP", 0, err)
			}
		}
	})
	err = serveUntil(sctx, srv, ln, logger)
	stop(nil)
	background.Wait() // a build in progress sees sctx done and stops
	if cause := context.Cause(sctx); !errors.Is(cause, context.Canceled) {
		return cause
	}
	if err != nil {
		return err
	}
	logger.Info("stopped")
	return nil
}

// serveUntil serves on ln until ctx is done, then shuts srv down: it stops
// listening, lets the requests in flight finish and returns.
func serveUntil(ctx context.Context, srv *http.Server, ln net.Listener, logger *slog.Logger) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	// ctx is done: Shutdown gets a fresh context.
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-served; !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// load makes live serve its store's current snapshot, first building one
// from the corpus in corpusDir (the bundled corpus when empty), with
// build's options, if the store holds none.
func load(ctx context.Context, live *store.Live, corpusDir string, build index.BuildOptions, logger *slog.Logger) error {
	snapshots := live.Store()
	if _, _, err := snapshots.Current(); errors.Is(err, index.ErrNoSnapshot) {
		logger.Info("the index holds no snapshot: building one", "index", snapshots.Dir(), "corpus", corpusDir)
		c, err := openCorpus(corpusDir)
		if err != nil {
			return err
		}
		start := time.Now()
		stats, err := snapshots.Publish(ctx, c, store.PublishOptions{BuildOptions: build})
		if err != nil {
			return fmt.Errorf("build index: %w", err)
		}
		logger.Info("built", "documents", stats.Documents, "generation", stats.Generation, "took", time.Since(start).Round(time.Millisecond))
	} else if err != nil {
		return err
	}
	if _, err := live.Reload(); err != nil {
		return err
	}
	st := live.Status()
	logger.Info("serving index", "generation", st.Generation, "documents", st.Documents)
	if st.ReadOnly {
		logger.Warn("the index is on a read-only file system: served without its in-use lock (nothing can remove a snapshot there)", "index", live.Store().Dir())
	}
	return nil
}

// parseRate parses a rate in bytes per second: a number, optionally
// followed by k, M or G (powers of 1024); empty means no limit (0).
func parseRate(s string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	mult := int64(1)
	switch s[len(s)-1] {
	case 'k', 'K':
		mult = 1 << 10
	case 'm', 'M':
		mult = 1 << 20
	case 'g', 'G':
		mult = 1 << 30
	}
	num := s
	if mult > 1 {
		num = s[:len(s)-1]
	}
	n, err := strconv.ParseInt(num, 10, 64)
	if err != nil || n <= 0 || n > (1<<62)/mult {
		return 0, fmt.Errorf("%q is not a rate like 500k or 20M (bytes per second)", s)
	}
	return n * mult, nil
}

// defaultWatchInterval is how often serve looks for a new snapshot.
const defaultWatchInterval = 2 * time.Second

// logReload logs a reload: what asked for it, and what is served after.
func logReload(logger *slog.Logger, live *store.Live, trigger string, gen uint64, err error) {
	st := live.Status()
	if err != nil {
		attrs := []any{"trigger", trigger, "err", err, "serving", st.Generation}
		if gen > 0 {
			attrs = append(attrs, "generation", gen)
		}
		logger.Error("reload failed; the previous snapshot keeps serving", attrs...)
		return
	}
	logger.Info("serving index", "trigger", trigger, "generation", st.Generation, "documents", st.Documents)
}

// logReindex logs the end of a reindex through the admin endpoint.
func logReindex(logger *slog.Logger, run store.ReindexRun) {
	took := run.Finished.Sub(run.Started).Round(time.Millisecond)
	if run.Err != nil {
		logger.Error("reindex failed; the previous snapshot keeps serving", "err", run.Err, "documents", run.Documents, "took", took)
		return
	}
	logger.Info("reindexed", "generation", run.Generation, "documents", run.Documents, "took", took)
}

// writeSearchJSON prints a search result as the API's JSON search response.
func writeSearchJSON(w io.Writer, req index.Request, res *index.Result) error {
	return gate.EncodeJSON(w, api.NewSearchResponse(req, res))
}

// reindexCorpus opens the corpus an admin reindex reads: dir when --corpus
// names one, else the corpus that built the served snapshot, which the
// snapshot records. It never falls back on another corpus: a snapshot that
// records none, or a corpus that cannot be read, is an error that says what
// to do.
func reindexCorpus(dir string, served index.Status) (*corpus.Corpus, error) {
	if dir != "" {
		return openCorpus(dir)
	}
	switch {
	case !served.Ready:
		return nil, errors.New("nothing is served yet, so no corpus is known to reindex from: start tacheron serve with --corpus DIR")
	case served.Corpus == corpus.BundledName:
		return corpus.Bundled()
	case served.Corpus == "" || !filepath.IsAbs(served.Corpus):
		return nil, fmt.Errorf("generation %d does not record the directory of the corpus it was built from (%q): start tacheron serve with --corpus DIR to reindex", served.Generation, served.Corpus)
	}
	c, err := openCorpus(served.Corpus)
	if err != nil {
		return nil, fmt.Errorf("generation %d was built from %s, which cannot be read: %w (start tacheron serve with --corpus DIR to reindex from elsewhere)", served.Generation, served.Corpus, err)
	}
	return c, nil
}
