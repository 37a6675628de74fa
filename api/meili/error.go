package meili

import (
	"errors"
	"fmt"
	"net/http"
	"tacheron/api/gate"

	"github.com/gin-gonic/gin"

	"tacheron/index"
)

// A Error is the body of every error of the Meilisearch-compatible
// API, in Meilisearch's shape.
type Error struct {
	Message string `json:"message"`
	Code    string `json:"code"`
	Type    string `json:"type"`
	Link    string `json:"link"`
	status  int
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Meilisearch error codes tacheron answers with, and its own:
// index_read_only for writes.
const (
	codeBadRequest        = "bad_request"
	codeMalformedPayload  = "malformed_payload"
	codePayloadTooLarge   = "payload_too_large"
	codeMissingPayload    = "missing_payload"
	codeInvalidContent    = "invalid_content_type"
	codeIndexNotFound     = "index_not_found"
	codeDocumentNotFound  = "document_not_found"
	codeNotFound          = "not_found"
	codeReadOnly          = "index_read_only"
	codeInvalidFilter     = "invalid_search_filter"
	codeInvalidFederation = "invalid_multi_search_federated"
	codeMissingFacetName  = "missing_facet_search_facet_name"
	codeInvalidFacetName  = "invalid_facet_search_facet_name"
	codeInvalidFacetQuery = "invalid_facet_search_facet_query"
	codeUnavailable       = "unavailable"
	codeTimeout           = "search_timeout"
	codeTooManySearches   = "too_many_search_requests"
	codeInternal          = "internal"
)

// meiliErr returns an error of the request (type invalid_request).
func meiliErr(status int, code, format string, args ...any) *Error {
	return &Error{
		Message: fmt.Sprintf(format, args...),
		Code:    code,
		Type:    "invalid_request",
		Link:    "https://docs.meilisearch.com/errors#" + code,
		status:  status,
	}
}

// badParam returns the 400 error of an invalid search parameter: its
// code is invalid_search_ and the parameter in snake case.
func badParam(prefix, param, format string, args ...any) *Error {
	return meiliErr(http.StatusBadRequest, prefix+snake(param), format, args...)
}

// snake turns camelCase into snake_case.
func snake(s string) string {
	var b []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'A' && c <= 'Z' {
			b = append(b, '_', c+'a'-'A')
			continue
		}
		b = append(b, c)
	}
	return string(b)
}

// readOnly is the error of a write: tacheron's index is built from its
// corpus, not through this API.
func readOnly(method, path string) *Error {
	return meiliErr(http.StatusMethodNotAllowed, codeReadOnly,
		"tacheron serves a read-only Meilisearch-compatible API: %s %s would modify the index, which is built from tacheron's corpus (`tacheron index`, or the admin reindex endpoint); only searches and reads are served.", method, path)
}

// queryError renders a request the index refuses under the search
// parameter that set the field refused.
func queryError(qe *index.QueryError) *Error {
	param := ""
	switch qe.Field {
	case index.FieldQuery:
		param = "q"
	case index.FieldLimit, index.FieldOffset, index.FieldSort, index.FieldFacets:
		param = qe.Field
	case index.FieldFacetSize:
		param = "maxValuesPerFacet"
	case index.FieldFrom, index.FieldTo, index.FieldSources, index.FieldConcepts, index.FieldKinds, index.FieldLangs, index.FieldWhere:
		param = "filter"
	default:
		return meiliErr(http.StatusBadRequest, codeBadRequest, "The search cannot be run: %s.", qe.Reason)
	}
	return badParam("invalid_search_", param, "Invalid value at `.%s`: %s.", param, qe.Reason)
}

// meiliErrorOf renders an error of the Searcher as a Meilisearch error,
// classified as the native API classifies it (gate.ClassOf); the second
// result reports whether it is the server's own (to be logged).
func meiliErrorOf(err error) (*Error, bool) {
	var me *Error
	var fe *FilterError
	switch {
	case errors.As(err, &me):
		return me, false
	case errors.As(err, &fe):
		return meiliErr(http.StatusBadRequest, codeInvalidFilter, "%s", fe.Msg), false
	}
	system := func(code, msg string) (*Error, bool) {
		e := meiliErr(http.StatusServiceUnavailable, code, "%s", msg)
		e.Type = "system"
		return e, false
	}
	class, qe := gate.ClassOf(err)
	switch class {
	case gate.ClassInvalid:
		return queryError(qe), false
	case gate.ClassNotFound:
		return meiliErr(http.StatusNotFound, codeDocumentNotFound, "Document not found."), false
	case gate.ClassNoSnapshot:
		return system(codeUnavailable, "No index is loaded yet; retry in a moment.")
	case gate.ClassBusy:
		return system(codeTooManySearches, "Too many search requests running at the same time; retry after the delay in Retry-After.")
	case gate.ClassTimeout, gate.ClassCanceled:
		return system(codeTimeout, "The search did not finish within its deadline; narrow it or retry.")
	}
	e := meiliErr(http.StatusInternalServerError, codeInternal, "The server failed to answer; the error was logged.")
	e.Type = "internal"
	return e, true
}

// meiliFail answers with the Meilisearch error of err.
func (s *Server) meiliFail(c *gin.Context, err error) {
	me, internal := meiliErrorOf(err)
	if internal {
		s.Log.ErrorContext(c.Request.Context(), "request failed", "method", c.Request.Method, "route", gate.RouteOf(c), "err", err)
	}
	s.writeMeiliError(c, me)
}

// writeMeiliError answers with e and stops the handler chain.
func (s *Server) writeMeiliError(c *gin.Context, e *Error) {
	if e.status == http.StatusServiceUnavailable {
		c.Header("Retry-After", "1")
	}
	c.Set(gate.KeyParam, e.Code)
	s.WriteJSON(c, e.status, "application/json", e)
	c.Abort()
}
