package gate

import (
	"context"
	"log/slog"
	"time"

	"tacheron/index"

	"github.com/prometheus/client_golang/prometheus"
)

// A Searcher answers the APIs' questions; the store's live index is one.
type Searcher interface {
	Search(ctx context.Context, req index.Request) (*index.Result, error)
	Document(ctx context.Context, id, query string) (*index.Document, error)
	Suggest(ctx context.Context, q string, limit int, lang string) ([]index.Suggestion, uint64, error)
	Concepts(ctx context.Context) ([]index.ConceptCount, uint64, error)
	Sources(ctx context.Context) ([]index.FacetCount, uint64, error)
	Status() index.Status
	Analyst
}

// Default limits of a Front (see Options).
const (
	DefaultTimeout        = 2 * time.Second
	DefaultMaxURLBytes    = 8 << 10
	DefaultMaxHeaderBytes = 32 << 10
	DefaultMaxBodyBytes   = 64 << 10
	// GzipMinBytes is the size from which a response is compressed: a
	// smaller one fits in TCP's initial congestion window (ten segments,
	// about 14 KB), so it takes one round trip compressed or not, and
	// compressing it would only cost time at both ends.
	GzipMinBytes = 14 << 10
)

// Options configures a Front; a zero field takes its default.
type Options struct {
	// Logger receives the access log and the errors (nothing when nil).
	Logger *slog.Logger
	// CORSOrigin is the one origin allowed to call the APIs from a
	// browser ("https://search.example.org"); empty disables CORS.
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
	// MaxConcurrent bounds the calls to the Searcher running at once; as
	// many more may wait QueueWait for a place, the others get 503 (see
	// Limits.go; DefaultMaxConcurrent() when 0).
	MaxConcurrent int
	// QueueWait bounds how long a call waits for a place
	// (DefaultQueueWait when 0; none when negative).
	QueueWait time.Duration
	// Collectors are more metrics to serve on /metrics (a replica's).
	Collectors []prometheus.Collector
	// PromptSearcher says that the Searcher returns soon after its
	// context ends, as the index does: its calls then run on the
	// request's goroutine, and one past its deadline is answered when it
	// returns rather than at the deadline (see limits.go).
	PromptSearcher bool
}

// withDefaults returns o with every zero field set to its default.
func (o Options) withDefaults() Options {
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultTimeout
	}
	if o.MaxURLBytes <= 0 {
		o.MaxURLBytes = DefaultMaxURLBytes
	}
	if o.MaxHeaderBytes <= 0 {
		o.MaxHeaderBytes = DefaultMaxHeaderBytes
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = DefaultMaxConcurrent()
	}
	if o.QueueWait == 0 {
		o.QueueWait = DefaultQueueWait
	}
	return o
}

// A Front holds what the dialects share: the admitted Searcher, the
// options, the metrics and the logger. One Front serves every dialect of a
// server, so that admission and metrics count all their requests.
type Front struct {
	// Searcher is the searcher behind admission and limits.
	Searcher Searcher
	Log      *slog.Logger
	Opts     Options
	Metrics  *Metrics
	pools    pools
}

// New returns a Front over searcher.
func New(searcher Searcher, opts Options) *Front {
	opts = opts.withDefaults()
	m := NewMetrics(searcher)
	m.Registry.MustRegister(opts.Collectors...)
	return &Front{
		Searcher: limitedSearcher{next: searcher, l: newLimiter(opts, m.Registry)},
		Log:      opts.Logger,
		Opts:     opts,
		Metrics:  m,
	}
}
