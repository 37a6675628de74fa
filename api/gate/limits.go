package gate

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"tacheron/index"
)

// Admission of searches. A search is CPU work on an index held in memory:
// running more of them at once than there are CPUs only shares the CPUs
// between them, so each takes longer and none more is answered. A Server
// therefore runs at most Options.MaxConcurrent calls to its Searcher at
// once; as many more may wait for a place, for at most Options.QueueWait,
// which absorbs a burst; any other is refused at once with a 503 and
// Retry-After. Nothing queues without bound.
//
// A call that outlives its request's deadline is answered with a 503 at
// the deadline; it keeps its place until the Searcher returns, so a
// Searcher slow to notice its deadline cannot pile work up behind the
// limit. To answer at the deadline whatever the Searcher does, each call
// runs on a goroutine of its own. A Searcher that returns soon after its
// context ends (Options.PromptSearcher: the index checks its deadline
// between the steps of a search and within them) is called on the
// request's own goroutine instead, which spares a hand-off between
// goroutines per request: a call past its deadline is then answered with
// the same 503 when the Searcher returns.

// DefaultQueueWait is how long a search waits for a place by default.
const DefaultQueueWait = 100 * time.Millisecond

// DefaultMaxConcurrent returns the number of searches a Server runs at once
// by default: two per CPU that the process may use, so that the CPUs stay
// busy while some searches encode or write their answers.
func DefaultMaxConcurrent() int { return 2 * runtime.GOMAXPROCS(0) }

// ErrBusy is the error of a search refused because as many as allowed are
// running and waiting.
var ErrBusy = errors.New("too many searches in flight")

// errPanicked is the error of a search whose Searcher panicked.
var errPanicked = errors.New("the searcher panicked")

// Overloaded returns the problem of a search refused by admission.
func Overloaded() *Problem {
	return &Problem{Type: ProblemOverloaded, Title: "Too many searches in flight", Status: http.StatusServiceUnavailable,
		Detail: "the server is answering as many searches as it can; retry after the delay in Retry-After"}
}

// A limiter admits calls to a Searcher: max running at once, as many
// waiting at most wait for a place.
type limiter struct {
	running chan struct{} // one token per call running
	waiting chan struct{} // one token per call waiting for a place
	wait    time.Duration
	log     *slog.Logger
	// inline runs calls on the caller's goroutine (Options.PromptSearcher).
	inline bool
	// rejected counts the calls refused; abandoned, those answered at
	// their deadline while the Searcher went on.
	rejected, abandoned prometheus.Counter
}

// newLimiter returns the limiter of opts (whose zero values are already
// replaced by the defaults) and registers its metrics.
func newLimiter(opts Options, registry prometheus.Registerer) *limiter {
	l := &limiter{
		running: make(chan struct{}, opts.MaxConcurrent),
		waiting: make(chan struct{}, opts.MaxConcurrent),
		wait:    opts.QueueWait,
		log:     opts.Logger,
		inline:  opts.PromptSearcher,
		rejected: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tacheron_searches_rejected_total",
			Help: "Searches refused with a 503 because as many as allowed were running and waiting.",
		}),
		abandoned: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tacheron_searches_abandoned_total",
			Help: "Searches answered with a 503 for outliving their deadline, the index going on until it noticed.",
		}),
	}
	registry.MustRegister(
		l.rejected,
		l.abandoned,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tacheron_searches_running",
			Help: "Searches running, abandoned ones included.",
		}, func() float64 { return float64(len(l.running)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tacheron_searches_waiting",
			Help: "Searches waiting for a place.",
		}, func() float64 { return float64(len(l.waiting)) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "tacheron_searches_max_running",
			Help: "Searches allowed to run at once (--max-concurrent).",
		}, func() float64 { return float64(cap(l.running)) }),
	)
	return l
}

// acquire takes a place for a call: at once if one is free, else after
// waiting for at most l.wait if fewer than cap(l.waiting) wait already.
// It returns ErrBusy when refused, ctx's error when ctx ends first.
func (l *limiter) acquire(ctx context.Context) error {
	select {
	case l.running <- struct{}{}:
		return nil
	default:
	}
	if l.wait <= 0 {
		l.rejected.Inc()
		return ErrBusy
	}
	select {
	case l.waiting <- struct{}{}:
	default:
		l.rejected.Inc()
		return ErrBusy
	}
	defer func() { <-l.waiting }()
	timer := time.NewTimer(l.wait)
	defer timer.Stop()
	select {
	case l.running <- struct{}{}:
		return nil
	case <-timer.C:
		l.rejected.Inc()
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
}

// release gives a place back.
func (l *limiter) release() { <-l.running }

// call runs f under the limiter and answers by ctx's deadline: when ctx
// ends first, call returns its error at once and f goes on, keeping its
// place, until it returns (when l.inline, f runs on the caller's goroutine
// and call returns ctx's error once f returns). A panic in f is logged and
// returned as errPanicked.
func call[T any](ctx context.Context, l *limiter, name string, f func(context.Context) (T, error)) (T, error) {
	var zero T
	if err := l.acquire(ctx); err != nil {
		return zero, err
	}
	if l.inline {
		return callInline(ctx, l, name, f)
	}
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := guarded(ctx, l, name, f)
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		if err := ctx.Err(); err != nil && r.err == nil {
			// Finished, but past the deadline: answered as a timeout
			// all the same.
			return zero, err
		}
		return r.v, r.err
	case <-ctx.Done():
		l.abandoned.Inc()
		return zero, ctx.Err()
	}
}

// callInline runs f, which holds a place of l, on the caller's goroutine.
// A call that ends past ctx's deadline, or once ctx is canceled, is
// answered with ctx's error as call answers it at the deadline, and counted
// as abandoned.
func callInline[T any](ctx context.Context, l *limiter, name string, f func(context.Context) (T, error)) (T, error) {
	v, err := guarded(ctx, l, name, f)
	if ctxErr := ctx.Err(); ctxErr != nil {
		l.abandoned.Inc()
		var zero T
		return zero, ctxErr
	}
	return v, err
}

// guarded runs f, which holds a place of l, gives the place back, and
// turns a panic in f into a logged errPanicked.
func guarded[T any](ctx context.Context, l *limiter, name string, f func(context.Context) (T, error)) (v T, err error) {
	defer l.release()
	defer func() {
		if p := recover(); p != nil {
			l.log.Error("panic", "call", name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			var zero T
			v, err = zero, errPanicked
		}
	}()
	return f(ctx)
}

// checkRequest refuses what the index would refuse once the search has
// its place (index.Request.Check: the index's own checks, not a copy), so
// that an invalid request gets its 400 even while searches are full, and
// takes no place.
func checkRequest(req index.Request) error { return req.Check() }

// A limitedSearcher calls its Searcher under a limiter. Status is not
// limited: it answers from memory, for health checks.
type limitedSearcher struct {
	next Searcher
	l    *limiter
}

func (s limitedSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	if err := checkRequest(req); err != nil {
		return nil, err
	}
	return call(ctx, s.l, "Search", func(ctx context.Context) (*index.Result, error) {
		return s.next.Search(ctx, req)
	})
}

func (s limitedSearcher) Document(ctx context.Context, id, query string) (*index.Document, error) {
	return call(ctx, s.l, "Document", func(ctx context.Context) (*index.Document, error) {
		return s.next.Document(ctx, id, query)
	})
}

// withGeneration is a result and the generation of the index that gave it.
type withGeneration[T any] struct {
	v   T
	gen uint64
}

func (s limitedSearcher) Suggest(ctx context.Context, q string, limit int, lang string) ([]index.Suggestion, uint64, error) {
	r, err := call(ctx, s.l, "Suggest", func(ctx context.Context) (withGeneration[[]index.Suggestion], error) {
		v, gen, err := s.next.Suggest(ctx, q, limit, lang)
		return withGeneration[[]index.Suggestion]{v, gen}, err
	})
	return r.v, r.gen, err
}

func (s limitedSearcher) Concepts(ctx context.Context) ([]index.ConceptCount, uint64, error) {
	r, err := call(ctx, s.l, "Concepts", func(ctx context.Context) (withGeneration[[]index.ConceptCount], error) {
		v, gen, err := s.next.Concepts(ctx)
		return withGeneration[[]index.ConceptCount]{v, gen}, err
	})
	return r.v, r.gen, err
}

func (s limitedSearcher) Sources(ctx context.Context) ([]index.FacetCount, uint64, error) {
	r, err := call(ctx, s.l, "Sources", func(ctx context.Context) (withGeneration[[]index.FacetCount], error) {
		v, gen, err := s.next.Sources(ctx)
		return withGeneration[[]index.FacetCount]{v, gen}, err
	})
	return r.v, r.gen, err
}

func (s limitedSearcher) Status() index.Status { return s.next.Status() }
