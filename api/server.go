package api

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"tacheron/index"
)

// A Searcher answers the API's questions; *index.Live is one.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
	Document(ctx context.Context, id, query string) (*index.Document, error)
	Suggest(ctx context.Context, q string, limit int, lang string) ([]index.Suggestion, uint64, error)
	Concepts(ctx context.Context) ([]index.ConceptCount, uint64, error)
	Sources(ctx context.Context) ([]index.FacetCount, uint64, error)
	Status() index.Status
	Analyst
}

// Default limits of a Server (see Options).
const (
	DefaultTimeout        = 2 * time.Second
	DefaultMaxURLBytes    = 8 << 10
	DefaultMaxHeaderBytes = 32 << 10
	DefaultMaxBodyBytes   = 64 << 10
	// gzipMinBytes is the size from which a response is compressed: a
	// smaller one fits in TCP's initial congestion window (ten segments,
	// about 14 KB), so it takes one round trip compressed or not, and
	// compressing it would only cost time at both ends.
	gzipMinBytes = 14 << 10
)

// Options configures a Server.
type Options struct {
	// Searcher answers the requests; it is required.
	Searcher Searcher
	// Logger receives the access log and the errors (nothing when nil).
	Logger *slog.Logger
	// CORSOrigin is the one origin allowed to call the API from a browser
	// ("https://search.example.org"); empty disables CORS.
	CORSOrigin string
	// Timeout is the deadline of each request, passed down to the search
	// (DefaultTimeout when 0).
	Timeout time.Duration
	// MaxURLBytes bounds the request target: longer gets 414
	// (DefaultMaxURLBytes when 0).
	MaxURLBytes int
	// MaxHeaderBytes bounds the header fields, names and values: larger
	// gets 431 (DefaultMaxHeaderBytes when 0). The http.Server's own
	// MaxHeaderBytes should be larger, or it answers first in plain text.
	MaxHeaderBytes int
	// MaxBodyBytes bounds a request body: larger gets 413
	// (DefaultMaxBodyBytes when 0).
	MaxBodyBytes int64
	// AdminToken enables the admin endpoints (see admin.go) for the
	// requests that carry it; empty disables them. Reloader and
	// Reindexer are then required.
	AdminToken string
	Reloader   Reloader
	Reindexer  Reindexer
	// MaxConcurrent bounds the calls to the Searcher running at once; as
	// many more may wait QueueWait for a place, the others get 503 (see
	// limits.go; DefaultMaxConcurrent() when 0).
	MaxConcurrent int
	// QueueWait bounds how long a call waits for a place
	// (DefaultQueueWait when 0; none when negative).
	QueueWait time.Duration
	// MeiliPrefix is the path under which the Meilisearch-compatible API
	// is served (see meili.go), like DefaultMeiliPrefix; empty disables it.
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

// A Server is the API's http.Handler.
type Server struct {
	searcher Searcher
	log      *slog.Logger
	opts     Options
	engine   *gin.Engine
	metrics  *metrics
	assets   *webAssets // the search page's files
	pools    pools
	// adminDigest is the SHA-256 of the admin token.
	adminDigest [sha256.Size]byte
	// meili and meiliEngine serve the Meilisearch-compatible API (nil
	// when disabled).
	meili       *meiliState
	meiliEngine *gin.Engine
	// exports holds a token per export running (see export.go).
	exports chan struct{}
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
	if opts.MeiliIndex == "" {
		opts.MeiliIndex = DefaultMeiliIndex
	}
	if err := checkMeili(opts.MeiliPrefix, opts.MeiliIndex); err != nil {
		return nil, err
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxURLBytes <= 0 {
		opts.MaxURLBytes = DefaultMaxURLBytes
	}
	if opts.MaxHeaderBytes <= 0 {
		opts.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.MaxConcurrent <= 0 {
		opts.MaxConcurrent = DefaultMaxConcurrent()
	}
	if opts.QueueWait == 0 {
		opts.QueueWait = DefaultQueueWait
	}
	if opts.MaxExports <= 0 {
		opts.MaxExports = DefaultMaxExports
	}
	if opts.ExportTimeout <= 0 {
		opts.ExportTimeout = DefaultExportTimeout
	}
	if opts.MaxExportRows <= 0 {
		opts.MaxExportRows = DefaultMaxExportRows
	}
	// gin's mode is process-wide; release mode keeps it from printing
	// its routes and warnings to its default writer.
	gin.SetMode(gin.ReleaseMode)
	s := &Server{searcher: opts.Searcher, log: opts.Logger, opts: opts, adminDigest: sha256.Sum256([]byte(opts.AdminToken)), assets: loadAssets()}
	s.exports = make(chan struct{}, opts.MaxExports)
	s.metrics = newMetrics(opts.Searcher)
	s.searcher = limitedSearcher{next: opts.Searcher, l: newLimiter(opts, s.metrics.registry)}
	s.engine = newEngine()
	s.routes()
	if opts.MeiliPrefix != "" {
		s.meili = &meiliState{prefix: opts.MeiliPrefix, uid: opts.MeiliIndex}
		s.meiliEngine = newEngine()
		s.meiliRoutes()
	}
	return s, nil
}

// newEngine returns a gin engine that answers a wrong method with 405,
// never redirects, and trusts no forwarding header.
func newEngine() *gin.Engine {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.ForwardedByClientIP = false
	return e
}

// ServeHTTP serves a request.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	secureHeaders(w.Header())
	if s.meili.ownsPath(r.URL.Path) {
		s.meiliEngine.ServeHTTP(w, r)
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
