package api

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"tacheron/api/gate"
	"tacheron/api/meili"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"
)

// A Searcher answers the API's questions; the store's live index is one.
type Searcher = gate.Searcher

// Default limits of a Server (see Options).
const (
	DefaultTimeout        = gate.DefaultTimeout
	DefaultMaxURLBytes    = gate.DefaultMaxURLBytes
	DefaultMaxHeaderBytes = gate.DefaultMaxHeaderBytes
	DefaultMaxBodyBytes   = gate.DefaultMaxBodyBytes
	DefaultQueueWait      = gate.DefaultQueueWait
)

// DefaultMaxConcurrent returns the searches a Server runs at once by
// default (see gate.DefaultMaxConcurrent).
func DefaultMaxConcurrent() int { return gate.DefaultMaxConcurrent() }

// Options configures a Server.
type Options struct {
	// Searcher answers the requests; it is required.
	Searcher Searcher
	// Logger, CORSOrigin, Timeout, the size limits and admission
	// (MaxConcurrent, QueueWait) mean what gate.Options says; a zero value
	// takes the default.
	Logger                      *slog.Logger
	CORSOrigin                  string
	Timeout                     time.Duration
	MaxURLBytes, MaxHeaderBytes int
	MaxBodyBytes                int64
	MaxConcurrent               int
	QueueWait                   time.Duration
	// PromptSearcher says that Searcher returns soon after its context
	// ends, as the store's live index does: admitted calls then run on the
	// request's goroutine (see gate.Options.PromptSearcher).
	PromptSearcher bool
	// Collectors are more metrics to serve on /metrics, like a replica's
	// (replica.Follower.Collectors).
	Collectors []prometheus.Collector
	// AdminToken enables the admin endpoints (see admin.go) for the
	// requests that carry it; empty disables them. Reloader and
	// Reindexer are then required.
	AdminToken string
	Reloader   Reloader
	Reindexer  Reindexer
	// MeiliPrefix is the path under which the Meilisearch-compatible API
	// is served (see package api/meili), like DefaultMeiliPrefix; empty
	// disables it.
	MeiliPrefix string
	// MeiliIndex is the uid of the index it serves (DefaultMeiliIndex
	// when empty).
	MeiliIndex string
	// Exports (format=csv and the like, see export.go) run outside the
	// search limits: MaxExports at once (DefaultMaxExports when 0; others
	// get 503), each within ExportTimeout (DefaultExportTimeout when 0)
	// and at most MaxExportRows rows (DefaultMaxExportRows when 0).
	MaxExports    int
	ExportTimeout time.Duration
	MaxExportRows int
}

// Defaults of the Meilisearch-compatible API.
const (
	DefaultMeiliPrefix = meili.DefaultPrefix
	DefaultMeiliIndex  = meili.DefaultIndex
)

// A Server is the API's http.Handler: tacheron's own routes, and the
// Meilisearch dialect under its prefix.
type Server struct {
	*gate.Front
	opts   Options
	engine *gin.Engine
	assets *webAssets // the search page's files
	// adminDigest is the SHA-256 of the admin token.
	adminDigest [sha256.Size]byte
	// meili serves the Meilisearch-compatible API (nil when disabled).
	meili *meili.Server
	// exports holds a token per export running (see export.go).
	exports chan struct{}
	// responses keeps search responses for reuse.
	responses responsePool
}

// NewServer returns the API's handler over opts.Searcher.
func NewServer(opts Options) (*Server, error) {
	if opts.Searcher == nil {
		return nil, errors.New("api: Options.Searcher is required")
	}
	if err := checkOrigin(opts.CORSOrigin); err != nil {
		return nil, err
	}
	if opts.AdminToken != "" && (opts.Reloader == nil || opts.Reindexer == nil) {
		return nil, errors.New("api: an admin token needs Options.Reloader and Options.Reindexer")
	}
	// gin's mode is process-wide; release mode keeps it from printing
	// its routes and warnings to its default writer.
	gin.SetMode(gin.ReleaseMode)
	front := gate.New(opts.Searcher, gate.Options{
		Logger: opts.Logger, CORSOrigin: opts.CORSOrigin, Timeout: opts.Timeout,
		MaxURLBytes: opts.MaxURLBytes, MaxHeaderBytes: opts.MaxHeaderBytes, MaxBodyBytes: opts.MaxBodyBytes,
		MaxConcurrent: opts.MaxConcurrent, QueueWait: opts.QueueWait, Collectors: opts.Collectors,
		PromptSearcher: opts.PromptSearcher,
	})
	if opts.MaxExports <= 0 {
		opts.MaxExports = DefaultMaxExports
	}
	if opts.ExportTimeout <= 0 {
		opts.ExportTimeout = DefaultExportTimeout
	}
	if opts.MaxExportRows <= 0 {
		opts.MaxExportRows = DefaultMaxExportRows
	}
	s := &Server{Front: front, opts: opts, adminDigest: sha256.Sum256([]byte(opts.AdminToken)), assets: loadAssets(),
		exports: make(chan struct{}, opts.MaxExports)}
	s.engine = gate.NewEngine()
	s.routes()
	if opts.MeiliPrefix != "" {
		m, err := meili.New(front, meili.Options{Prefix: opts.MeiliPrefix, Index: opts.MeiliIndex})
		if err != nil {
			return nil, err
		}
		s.meili = m
	}
	return s, nil
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	gate.SecureHeaders(w.Header())
	if s.meili.OwnsPath(r.URL.Path) {
		s.meili.ServeHTTP(w, r)
		return
	}
	s.engine.ServeHTTP(w, r)
}

// checkOrigin accepts an empty origin (CORS off) or one web origin,
// scheme://host[:port], and nothing else ("*" included).
func checkOrigin(origin string) error {
	if origin == "" {
		return nil
	}
	u, err := url.Parse(origin)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		u.User != nil || u.Path != "" || u.RawQuery != "" || u.Fragment != "" || u.Opaque != "" {
		return fmt.Errorf("api: CORS origin %q is not an origin like https://search.example.org", origin)
	}
	return nil
}
