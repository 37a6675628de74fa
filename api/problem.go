package api

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/gin-gonic/gin"

	"tacheron/index"
)

// Problem types: URNs that name each kind of error the API answers with
// (RFC 9457 section 3.1.1); openapi.json describes them.
const (
	problemInvalidParameter = "urn:tacheron:problem:invalid-parameter"
	problemNotFound         = "urn:tacheron:problem:not-found"
	problemMethod           = "urn:tacheron:problem:method-not-allowed"
	problemTooLarge         = "urn:tacheron:problem:request-too-large"
	problemUnavailable      = "urn:tacheron:problem:unavailable"
	problemTimeout          = "urn:tacheron:problem:timeout"
	problemOverloaded       = "urn:tacheron:problem:overloaded"
	problemInternal         = "urn:tacheron:problem:internal"
)

// A Problem is an RFC 9457 problem document: the body of every error.
type Problem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Detail string `json:"detail"`
	// Param names the offending parameter of an invalid request.
	Param string `json:"param,omitempty"`
}

// invalidParam returns the problem of an invalid parameter.
func invalidParam(param, format string, args ...any) *Problem {
	return &Problem{
		Type:   problemInvalidParameter,
		Title:  "Invalid parameter",
		Status: http.StatusBadRequest,
		Detail: fmt.Sprintf(format, args...),
		Param:  param,
	}
}

// notFound returns the problem of an unknown resource.
func notFound(detail string) *Problem {
	return &Problem{Type: problemNotFound, Title: "Not found", Status: http.StatusNotFound, Detail: detail}
}

// unavailable returns the problem of a server that cannot answer yet.
func unavailable(detail string) *Problem {
	return &Problem{Type: problemUnavailable, Title: "Service unavailable", Status: http.StatusServiceUnavailable, Detail: detail}
}

// internalError is the problem of a failure of the server; its detail
// says nothing of the cause, which is logged.
func internalError() *Problem {
	return &Problem{Type: problemInternal, Title: "Internal server error", Status: http.StatusInternalServerError,
		Detail: "the server failed to answer; the error was logged"}
}

// problemOf maps an error of the Searcher to a problem; the second result
// reports whether the error is the server's own (to be logged).
func problemOf(err error) (*Problem, bool) {
	var qe *index.QueryError
	switch {
	case errors.As(err, &qe):
		return invalidParam(qe.Param, "%s: %s", qe.Param, qe.Reason), false
	case errors.Is(err, index.ErrNotFound):
		return notFound("no document has this id"), false
	case errors.Is(err, errBusy):
		return overloaded(), false
	case errors.Is(err, index.ErrNoSnapshot):
		return unavailable("no index is loaded yet; retry in a moment"), false
	case errors.Is(err, context.DeadlineExceeded):
		return &Problem{Type: problemTimeout, Title: "Request timed out", Status: http.StatusServiceUnavailable,
			Detail: "the request did not finish within its deadline; narrow it or retry"}, false
	case errors.Is(err, context.Canceled):
		return &Problem{Type: problemTimeout, Title: "Request canceled", Status: http.StatusServiceUnavailable,
			Detail: "the request was canceled before it finished"}, false
	}
	return internalError(), true
}

// writeProblem answers with p and stops the handler chain.
func (s *Server) writeProblem(c *gin.Context, p *Problem) {
	if p.Status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "1")
	}
	if p.Param != "" {
		c.Set(ctxParam, p.Param)
	}
	s.writeJSON(c, p.Status, "application/problem+json", p)
	c.Abort()
}

// fail answers with the problem of err, logging the server's own errors.
func (s *Server) fail(c *gin.Context, err error) {
	if gen, ok := index.GenerationOf(err); ok {
		setGeneration(c, gen)
	}
	p, internal := problemOf(err)
	if internal {
		s.log.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method, "route", routeOf(c), "err", err)
	}
	s.writeProblem(c, p)
}
