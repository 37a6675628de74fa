package api

import (
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
	// The API is read-only: a preflight may ask for GET only.
	if !s.CommonHeaders(c, gate.CORS{Methods: "GET", Headers: "Accept, Accept-Language, Content-Type"}) {
		c.Next()
	}
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
