package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiCSP is the content security policy of every response but the page's
// own files: JSON and problems are data, never a document to render, frame
// or run scripts from.
const apiCSP = "default-src 'none'; frame-ancestors 'none'"

// secureHeaders sets the security headers every response carries, errors
// included; the page's files replace the policy with their own (pageCSP).
func secureHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", apiCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}

// pathParams refuses a path parameter (a document id, a file name) holding
// invalid UTF-8 or control characters, as query does for the query string.
func (s *Server) pathParams(c *gin.Context) {
	for _, p := range c.Params {
		if pr := checkText(p.Key, p.Value); pr != nil {
			s.writeProblem(c, pr)
			return
		}
	}
	c.Next()
}

// meiliQuery refuses a query string that parseQuery refuses, on every
// route of the Meilisearch-compatible API, those that read no parameter
// included, with a Meilisearch error.
func (s *Server) meiliQuery(c *gin.Context) {
	if _, p := parseQuery(c.Request.URL.RawQuery); p != nil {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeBadRequest, "%s", p.Detail))
		return
	}
	c.Next()
}
