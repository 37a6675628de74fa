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
	"sync"
	"syscall"
	"time"

	"tacheron/api"
	"tacheron/api/gate"
	"tacheron/corpus"
	"tacheron/index"
	"tacheron/index/store"
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
	watchInterval := fs.Duration("watch-interval", defaultWatchInterval, "look for a new snapshot this often; 0 disables [$TACHERON_WATCH_INTERVAL]")
	adminToken := fs.String("admin-token", "", "`TOKEN` that enables the admin endpoints (reload, reindex); prefer $TACHERON_ADMIN_TOKEN, which ps does not show")
	keep := fs.Int("keep", 2, "snapshots a reindex through the admin endpoint keeps, the new one included")
	meiliPrefix := fs.String("meili-prefix", envOr(getenv, "TACHERON_MEILI_PREFIX", api.DefaultMeiliPrefix), "serve the read-only Meilisearch-compatible API under `PATH`; empty or off disables it [$TACHERON_MEILI_PREFIX]")
	meiliIndex := fs.String("meili-index", envOr(getenv, "TACHERON_MEILI_INDEX", api.DefaultMeiliIndex), "the `UID` of the index in the Meilisearch-compatible API [$TACHERON_MEILI_INDEX]")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron serve [flags]\n\nServes the JSON API and the search page, and swaps in each new snapshot of the index:\non SIGHUP, on POST /api/v1/admin/reload, and when the index's CURRENT marker changes.\n\n")
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
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	st := store.Open(*indexDir)
	live := store.NewLive(st)
	defer live.Close()
	reindexer, err := store.NewReindexer(live, store.ReindexOptions{
		Corpus:  func() (*corpus.Corpus, error) { return openCorpus(*corpusDir) },
		Publish: store.PublishOptions{Keep: *keep},
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
		MaxConcurrent: *maxConcurrent,
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
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      *timeout + 5*time.Second,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("listening", "addr", ln.Addr().String(), "index", *indexDir, "admin", *adminToken != "", "watch", *watchInterval)

	// Until an index is loaded, /readyz and the API answer 503. A failed
	// load stops the server. Once loaded, the watch looks for new
	// snapshots.
	sctx, stop := context.WithCancelCause(ctx)
	var background sync.WaitGroup
	background.Go(func() {
		if err := load(sctx, live, *corpusDir, logger); err != nil {
			stop(err)
			return
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
// from the corpus in corpusDir (the bundled corpus when empty) if the store
// holds none.
func load(ctx context.Context, live *store.Live, corpusDir string, logger *slog.Logger) error {
	snapshots := live.Store()
	if _, _, err := snapshots.Current(); errors.Is(err, index.ErrNoSnapshot) {
		logger.Info("the index holds no snapshot: building one", "index", snapshots.Dir(), "corpus", corpusDir)
		c, err := openCorpus(corpusDir)
		if err != nil {
			return err
		}
		start := time.Now()
		stats, err := snapshots.Publish(ctx, c, store.PublishOptions{})
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
	return nil
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
