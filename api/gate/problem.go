package gate

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
	ProblemInvalidParameter = "urn:tacheron:problem:invalid-parameter"
	ProblemNotFound         = "urn:tacheron:problem:not-found"
	ProblemMethod           = "urn:tacheron:problem:method-not-allowed"
	ProblemTooLarge         = "urn:tacheron:problem:request-too-large"
	ProblemUnavailable      = "urn:tacheron:problem:unavailable"
	ProblemTimeout          = "urn:tacheron:problem:timeout"
	ProblemOverloaded       = "urn:tacheron:problem:overloaded"
	ProblemInternal         = "urn:tacheron:problem:internal"
	// ProblemGenerationUnavailable: this replica does not hold the
	// generation asked for; another may (503, retried by the load
	// balancer).
	ProblemGenerationUnavailable = "urn:tacheron:problem:generation-unavailable"
	// ProblemGenerationGone: no replica serves the generation asked for
	// any more (410).
	ProblemGenerationGone = "urn:tacheron:problem:generation-gone"
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

// InvalidParam returns the problem of an invalid parameter.
func InvalidParam(param, format string, args ...any) *Problem {
	return &Problem{
		Type:   ProblemInvalidParameter,
		Title:  "Invalid parameter",
		Status: http.StatusBadRequest,
		Detail: fmt.Sprintf(format, args...),
		Param:  param,
	}
}

// NotFound returns the problem of an unknown resource.
func NotFound(detail string) *Problem {
	return &Problem{Type: ProblemNotFound, Title: "Not found", Status: http.StatusNotFound, Detail: detail}
}

// Unavailable returns the problem of a server that cannot answer yet.
func Unavailable(detail string) *Problem {
	return &Problem{Type: ProblemUnavailable, Title: "Service unavailable", Status: http.StatusServiceUnavailable, Detail: detail}
}

// InternalError is the problem of a failure of the server; its detail
// says nothing of the cause, which is logged.
func InternalError() *Problem {
	return &Problem{Type: ProblemInternal, Title: "Internal server error", Status: http.StatusInternalServerError,
		Detail: "the server failed to answer; the error was logged"}
}

// NativeParam returns the parameter of tacheron's API that sets a field
// of an index request (index.Field…).
func NativeParam(field string) string {
	switch field {
	case index.FieldQuery:
		return "q"
	case index.FieldLimit:
		return "per_page"
	case index.FieldOffset:
		return "page"
	case index.FieldSources:
		return "source"
	case index.FieldConcepts:
		return "concept"
	case index.FieldKinds:
		return "kind"
	case index.FieldLangs:
		return "lang"
	case index.FieldAuthors:
		return "author"
	case index.FieldTags:
		return "tag"
	case index.FieldSuggestions:
		return "limit"
	}
	return field // sort, facets, facet_size, date_interval, from, to
}

// A Class is what an error of the Searcher means to a client, whatever
// the dialect that answers it.
type Class int

// Classes of errors.
const (
	ClassInternal            Class = iota // the server's own failure, to be logged
	ClassInvalid                          // a request the index refuses (*index.QueryError)
	ClassNotFound                         // no document has the id
	ClassBusy                             // no place to search: retry
	ClassNoSnapshot                       // no index loaded yet: retry
	ClassTimeout                          // the deadline passed
	ClassCanceled                         // the client went away
	ClassGenerationGone                   // the generation asked for is served nowhere any more
	ClassGenerationElsewhere              // the generation asked for is not held here: another replica may
)

// ClassOf classifies an error of the Searcher: the one classifier both
// dialects render (Classify for tacheron's API, the Meilisearch dialect its
// own way). For ClassInvalid it returns the index's QueryError.
func ClassOf(err error) (Class, *index.QueryError) {
	var qe *index.QueryError
	var ge *index.GenerationError
	switch {
	case errors.As(err, &ge) && ge.Gone:
		return ClassGenerationGone, nil
	case errors.As(err, &ge):
		return ClassGenerationElsewhere, nil
	case errors.As(err, &qe):
		return ClassInvalid, qe
	case errors.Is(err, index.ErrNotFound):
		return ClassNotFound, nil
	case errors.Is(err, ErrBusy):
		return ClassBusy, nil
	case errors.Is(err, index.ErrNoSnapshot):
		return ClassNoSnapshot, nil
	case errors.Is(err, context.DeadlineExceeded):
		return ClassTimeout, nil
	case errors.Is(err, context.Canceled):
		return ClassCanceled, nil
	}
	return ClassInternal, nil
}

// Classify renders an error of the Searcher as a problem; the second
// result reports whether the error is the server's own (to be logged).
func Classify(err error) (*Problem, bool) {
	class, qe := ClassOf(err)
	switch class {
	case ClassInvalid:
		param := NativeParam(qe.Field)
		return InvalidParam(param, "%s: %s", param, qe.Reason), false
	case ClassNotFound:
		return NotFound("no document has this id"), false
	case ClassBusy:
		return Overloaded(), false
	case ClassNoSnapshot:
		return Unavailable("no index is loaded yet; retry in a moment"), false
	case ClassTimeout:
		return &Problem{Type: ProblemTimeout, Title: "Request timed out", Status: http.StatusServiceUnavailable,
			Detail: "the request did not finish within its deadline; narrow it or retry"}, false
	case ClassCanceled:
		return &Problem{Type: ProblemTimeout, Title: "Request canceled", Status: http.StatusServiceUnavailable,
			Detail: "the request was canceled before it finished"}, false
	case ClassGenerationGone, ClassGenerationElsewhere:
		var ge *index.GenerationError
		errors.As(err, &ge)
		if class == ClassGenerationGone {
			return &Problem{Type: ProblemGenerationGone, Title: "Generation gone", Status: http.StatusGone,
				Detail: fmt.Sprintf("generation %d of the index is no longer served (the current one is %d): start again from the first page", ge.Generation, ge.Serving)}, false
		}
		return &Problem{Type: ProblemGenerationUnavailable, Title: "Generation unavailable here", Status: http.StatusServiceUnavailable,
			Detail: fmt.Sprintf("this replica does not hold generation %d of the index (it serves %d); another replica may", ge.Generation, ge.Serving)}, false
	}
	return InternalError(), true
}

// WriteProblem answers with p and stops the handler chain.
func (s *Front) WriteProblem(c *gin.Context, p *Problem) {
	if p.Status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "1")
	}
	if p.Param != "" {
		c.Set(KeyParam, p.Param)
	}
	s.WriteJSON(c, p.Status, "application/problem+json", p)
	c.Abort()
}
