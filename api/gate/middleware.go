package gate

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"
)

// Keys of values that handlers leave in the gin context.
const (
	KeyQuery = "tacheron.query" // url.Values, the parsed query string
	KeyHits  = "tacheron.hits"  // int, the hits of a search (access log)
	KeyParam = "tacheron.param" // string, the parameter a 400 refused
)

// RouteOf returns the route pattern of a request, "unmatched" when none
// matched: a label of bounded cardinality.
func RouteOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// Observe logs and counts every request once it is answered.
func (s *Front) Observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	took := time.Since(start)
	route, status := RouteOf(c), c.Writer.Status()
	s.Metrics.Observe(route, status, took.Seconds())
	ctx := c.Request.Context()
	if !s.Log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Duration("duration", took),
		slog.Int("bytes", c.Writer.Size()),
	}
	if hits, ok := c.Get(KeyHits); ok {
		attrs = append(attrs, slog.Any("hits", hits))
	}
	if param, ok := c.Get(KeyParam); ok {
		attrs = append(attrs, slog.Any("param", param))
	}
	s.Log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
}

// RecoverWith runs the rest of the chain and, if it panics, logs the panic
// with its stack and calls answer unless a response was written already.
func (s *Front) RecoverWith(c *gin.Context, answer func()) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		s.Log.ErrorContext(c.Request.Context(), "panic", "method", c.Request.Method, "route", RouteOf(c),
			"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if !c.Writer.Written() {
			answer()
		}
		c.Abort()
	}()
	c.Next()
}

// Limits refuses oversized requests: a long target (414), large header
// fields (431) or body (413).
func (s *Front) Limits(c *gin.Context) {
	if p := s.Oversized(c.Writer, c.Request); p != nil {
		s.WriteProblem(c, p)
		return
	}
	c.Next()
}

// Oversized returns the problem of a request beyond the size limits (its
// target, header fields or announced body), or nil after limiting the
// reading of its body to MaxBodyBytes. Limits answers it; a dialect may
// answer it in its own shape.
func (s *Front) Oversized(w http.ResponseWriter, r *http.Request) *Problem {
	target := len(r.RequestURI)
	if target == 0 {
		target = len(r.URL.RequestURI())
	}
	if target > s.Opts.MaxURLBytes {
		return &Problem{Type: ProblemTooLarge, Title: "URI too long", Status: http.StatusRequestURITooLong,
			Detail: fmt.Sprintf("the request target is %d bytes long; the limit is %d", target, s.Opts.MaxURLBytes)}
	}
	size := 0
	for name, values := range r.Header {
		for _, v := range values {
			size += len(name) + len(v) + 4
		}
	}
	if size > s.Opts.MaxHeaderBytes {
		return &Problem{Type: ProblemTooLarge, Title: "Request header fields too large", Status: http.StatusRequestHeaderFieldsTooLarge,
			Detail: fmt.Sprintf("the header fields take %d bytes; the limit is %d", size, s.Opts.MaxHeaderBytes)}
	}
	if r.ContentLength > s.Opts.MaxBodyBytes {
		return &Problem{Type: ProblemTooLarge, Title: "Content too large", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the body is %d bytes long; the limit is %d", r.ContentLength, s.Opts.MaxBodyBytes)}
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(w, r.Body, s.Opts.MaxBodyBytes)
	}
	return nil
}

// Query parses the query string strictly for the handlers (see
// parseQuery).
func (s *Front) Query(c *gin.Context) {
	v, p := ParseQuery(c.Request.URL.RawQuery)
	if p != nil {
		s.WriteProblem(c, p)
		return
	}
	c.Set(KeyQuery, v)
	c.Next()
}

// Params returns the parsed query string of a request.
func Params(c *gin.Context) url.Values {
	if v, ok := c.Get(KeyQuery); ok {
		return v.(url.Values)
	}
	return url.Values{}
}

// Deadline gives the request its deadline; the search sees it through
// the request's context.
func (s *Front) Deadline(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.Opts.Timeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}

// NewEngine returns a gin engine that answers a wrong method with 405,
// never redirects, and trusts no forwarding header.
func NewEngine() *gin.Engine {
	e := gin.New()
	e.HandleMethodNotAllowed = true
	e.RedirectTrailingSlash = false
	e.RedirectFixedPath = false
	e.ForwardedByClientIP = false
	return e
}

// SetGeneration records the generation of the index that answered.
func SetGeneration(c *gin.Context, gen uint64) {
	if gen > 0 {
		c.Header("X-Index-Generation", strconv.FormatUint(gen, 10))
	}
}

// A CORS says what a dialect lets the configured origin (Options.CORSOrigin)
// do.
type CORS struct {
	// Methods and Headers answer a preflight's Access-Control-Request-*.
	Methods, Headers string
	// AllOptions answers every OPTIONS request with 204, allowed or not
	// (Meilisearch answers them so); otherwise only the origin's
	// preflights are answered and other OPTIONS requests go on.
	AllOptions bool
}

// CommonHeaders sets the headers every response of a dialect carries —
// the generation of the index being served, and CORS for the configured
// origin — and answers preflights as cors says; it reports whether it
// answered the request (the handler chain is then stopped).
func (f *Front) CommonHeaders(c *gin.Context, cors CORS) bool {
	h := c.Writer.Header()
	if st := f.Searcher.Status(); st.Ready {
		h.Set("X-Index-Generation", strconv.FormatUint(st.Generation, 10))
	}
	allowed := false
	if origin := f.Opts.CORSOrigin; origin != "" {
		h.Add("Vary", "Origin")
		if c.GetHeader("Origin") == origin {
			allowed = true
			h.Set("Access-Control-Allow-Origin", origin)
			h.Set("Access-Control-Expose-Headers", "X-Index-Generation, Retry-After")
		}
	}
	if c.Request.Method != http.MethodOptions {
		return false
	}
	preflight := allowed && c.GetHeader("Access-Control-Request-Method") != ""
	if preflight {
		h.Set("Access-Control-Allow-Methods", cors.Methods)
		h.Set("Access-Control-Allow-Headers", cors.Headers)
		h.Set("Access-Control-Max-Age", "600")
		h.Del("Allow")
	}
	if !preflight && !cors.AllOptions {
		return false
	}
	c.Writer.WriteHeader(http.StatusNoContent)
	c.Writer.WriteHeaderNow()
	c.Abort()
	return true
}
