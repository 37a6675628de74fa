package api

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
	ctxQuery = "tacheron.query" // url.Values, the parsed query string
	ctxHits  = "tacheron.hits"  // int, the hits of a search (access log)
	ctxParam = "tacheron.param" // string, the parameter a 400 refused
)

// routeOf returns the route pattern of a request, "unmatched" when none
// matched: a label of bounded cardinality.
func routeOf(c *gin.Context) string {
	if r := c.FullPath(); r != "" {
		return r
	}
	return "unmatched"
}

// observe logs and counts every request once it is answered.
func (s *Server) observe(c *gin.Context) {
	start := time.Now()
	c.Next()
	took := time.Since(start)
	route, status := routeOf(c), c.Writer.Status()
	s.metrics.observe(route, status, took.Seconds())
	ctx := c.Request.Context()
	if !s.log.Enabled(ctx, slog.LevelInfo) {
		return
	}
	attrs := []slog.Attr{
		slog.String("method", c.Request.Method),
		slog.String("route", route),
		slog.Int("status", status),
		slog.Duration("duration", took),
		slog.Int("bytes", c.Writer.Size()),
	}
	if hits, ok := c.Get(ctxHits); ok {
		attrs = append(attrs, slog.Any("hits", hits))
	}
	if param, ok := c.Get(ctxParam); ok {
		attrs = append(attrs, slog.Any("param", param))
	}
	s.log.LogAttrs(ctx, slog.LevelInfo, "request", attrs...)
}

// recoverPanic answers a panic with a 500 problem and logs it; the body
// says nothing of where it happened.
func (s *Server) recoverPanic(c *gin.Context) {
	s.recoverWith(c, func() { s.writeProblem(c, internalError()) })
}

// recoverWith runs the rest of the chain and, if it panics, logs the panic
// with its stack and calls answer unless a response was written already.
func (s *Server) recoverWith(c *gin.Context, answer func()) {
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		if v == http.ErrAbortHandler {
			panic(v)
		}
		s.log.ErrorContext(c.Request.Context(), "panic", "method", c.Request.Method, "route", routeOf(c),
			"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
		if !c.Writer.Written() {
			answer()
		}
		c.Abort()
	}()
	c.Next()
}

// headers sets the headers every response carries: the generation of the
// index being served, and CORS for the configured origin.
func (s *Server) headers(c *gin.Context) {
	h := c.Writer.Header()
	if st := s.searcher.Status(); st.Ready {
		h.Set("X-Index-Generation", strconv.FormatUint(st.Generation, 10))
	}
	if s.opts.CORSOrigin == "" {
		c.Next()
		return
	}
	h.Add("Vary", "Origin")
	if c.GetHeader("Origin") != s.opts.CORSOrigin {
		c.Next()
		return
	}
	h.Set("Access-Control-Allow-Origin", s.opts.CORSOrigin)
	h.Set("Access-Control-Expose-Headers", "X-Index-Generation, Retry-After")
	if c.Request.Method == http.MethodOptions && c.GetHeader("Access-Control-Request-Method") != "" {
		// A preflight: the API is read-only.
		h.Set("Access-Control-Allow-Methods", "GET")
		h.Set("Access-Control-Allow-Headers", "Accept, Accept-Language, Content-Type")
		h.Set("Access-Control-Max-Age", "600")
		h.Del("Allow")
		c.Writer.WriteHeader(http.StatusNoContent)
		c.Writer.WriteHeaderNow()
		c.Abort()
		return
	}
	c.Next()
}

// limits refuses oversized requests: a long target (414), large header
// fields (431) or body (413).
func (s *Server) limits(c *gin.Context) {
	r := c.Request
	target := len(r.RequestURI)
	if target == 0 {
		target = len(r.URL.RequestURI())
	}
	if target > s.opts.MaxURLBytes {
		s.writeProblem(c, &Problem{Type: problemTooLarge, Title: "URI too long", Status: http.StatusRequestURITooLong,
			Detail: fmt.Sprintf("the request target is %d bytes long; the limit is %d", target, s.opts.MaxURLBytes)})
		return
	}
	size := 0
	for name, values := range r.Header {
		for _, v := range values {
			size += len(name) + len(v) + 4
		}
	}
	if size > s.opts.MaxHeaderBytes {
		s.writeProblem(c, &Problem{Type: problemTooLarge, Title: "Request header fields too large", Status: http.StatusRequestHeaderFieldsTooLarge,
			Detail: fmt.Sprintf("the header fields take %d bytes; the limit is %d", size, s.opts.MaxHeaderBytes)})
		return
	}
	if r.ContentLength > s.opts.MaxBodyBytes {
		s.writeProblem(c, &Problem{Type: problemTooLarge, Title: "Content too large", Status: http.StatusRequestEntityTooLarge,
			Detail: fmt.Sprintf("the body is %d bytes long; the limit is %d", r.ContentLength, s.opts.MaxBodyBytes)})
		return
	}
	if r.Body != nil && r.Body != http.NoBody {
		r.Body = http.MaxBytesReader(c.Writer, r.Body, s.opts.MaxBodyBytes)
	}
	c.Next()
}

// query parses the query string strictly for the handlers (see
// parseQuery).
func (s *Server) query(c *gin.Context) {
	v, p := parseQuery(c.Request.URL.RawQuery)
	if p != nil {
		s.writeProblem(c, p)
		return
	}
	c.Set(ctxQuery, v)
	c.Next()
}

// params returns the parsed query string of a request.
func params(c *gin.Context) url.Values {
	if v, ok := c.Get(ctxQuery); ok {
		return v.(url.Values)
	}
	return url.Values{}
}

// deadline gives the request its deadline; the search sees it through
// the request's context.
func (s *Server) deadline(c *gin.Context) {
	ctx, cancel := context.WithTimeout(c.Request.Context(), s.opts.Timeout)
	defer cancel()
	c.Request = c.Request.WithContext(ctx)
	c.Next()
}
