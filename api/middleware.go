package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"tacheron/api/gate"
	"tacheron/index"
)

// recoverPanic answers a panic with a 500 problem and logs it; the body
// says nothing of where it happened.
func (s *Server) recoverPanic(c *gin.Context) {
	s.RecoverWith(c, func() { s.WriteProblem(c, gate.InternalError()) })
}

// headers sets the headers every response carries: the generation of the
// index being served, and CORS for the configured origin.
func (s *Server) headers(c *gin.Context) {
	h := c.Writer.Header()
	if st := s.Searcher.Status(); st.Ready {
		h.Set("X-Index-Generation", strconv.FormatUint(st.Generation, 10))
	}
	if s.Opts.CORSOrigin == "" {
		c.Next()
		return
	}
	h.Add("Vary", "Origin")
	if c.GetHeader("Origin") != s.Opts.CORSOrigin {
		c.Next()
		return
	}
	h.Set("Access-Control-Allow-Origin", s.Opts.CORSOrigin)
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

// fail answers with the problem of err, logging the server's own errors.
func (s *Server) fail(c *gin.Context, err error) {
	if gen, ok := index.GenerationOf(err); ok {
		gate.SetGeneration(c, gen)
	}
	p, internal := gate.Classify(err)
	if internal {
		s.Log.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method, "route", gate.RouteOf(c), "err", err)
	}
	s.WriteProblem(c, p)
}
