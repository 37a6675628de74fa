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
	"time"

	"tacheron/api"
	"tacheron/index"
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
	corpusDir := fs.String("corpus", envOr(getenv, "TACHERON_CORPUS", ""), "corpus `DIR` to build a missing index from (default: the bundled corpus) [$TACHERON_CORPUS]")
	corsOrigin := fs.String("cors-origin", envOr(getenv, "TACHERON_CORS_ORIGIN", ""), "the one `ORIGIN` allowed to call the API from a browser (default: none) [$TACHERON_CORS_ORIGIN]")
	timeout := fs.Duration("timeout", api.DefaultTimeout, "deadline of each request")
	maxConcurrent := fs.Int("max-concurrent", 0, "searches answered at once; as many more wait up to 100ms, others get 503 (default: 2 per CPU) [$TACHERON_MAX_CONCURRENT]")
	if v := getenv("TACHERON_MAX_CONCURRENT"); v != "" {
		if err := fs.Set("max-concurrent", v); err != nil {
			fmt.Fprintf(stderr, "tacheron serve: TACHERON_MAX_CONCURRENT=%q: %v\n", v, err)
			return errUsage
		}
	}
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron serve [flags]\n\nServes the JSON API and the search page.\n\n")
		fs.PrintDefaults()
	}
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
	logger := slog.New(slog.NewTextHandler(stderr, nil))

	store := index.OpenStore(*indexDir)
	live := index.NewLive(store)
	defer live.Close()
	handler, err := api.NewServer(api.Options{Searcher: live, Logger: logger, CORSOrigin: *corsOrigin, Timeout: *timeout,
		MaxConcurrent: *maxConcurrent})
	if err != nil {
		return err
	}
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
	logger.Info("listening", "addr", ln.Addr().String(), "index", *indexDir)

	// Until an index is loaded, /readyz and the API answer 503. A failed
	// load stops the server.
	sctx, stop := context.WithCancelCause(ctx)
	loaded := make(chan struct{})
	go func() {
		defer close(loaded)
		if err := load(sctx, live, *corpusDir, logger); err != nil {
			stop(err)
		}
	}()
	err = serveUntil(sctx, srv, ln, logger)
	stop(nil)
	<-loaded // a build in progress sees sctx done and stops
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
func load(ctx context.Context, live *index.Live, corpusDir string, logger *slog.Logger) error {
	store := live.Store()
	if _, _, err := store.Current(); errors.Is(err, index.ErrNoSnapshot) {
		logger.Info("the index holds no snapshot: building one", "index", store.Dir(), "corpus", corpusDir)
		c, err := openCorpus(corpusDir)
		if err != nil {
			return err
		}
		start := time.Now()
		stats, err := store.Publish(ctx, c, index.PublishOptions{})
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

// writeSearchJSON prints a search result as the API's JSON search response.
func writeSearchJSON(w io.Writer, req index.Request, res *index.Result) error {
	return api.EncodeJSON(w, api.NewSearchResponse(req, res))
}
