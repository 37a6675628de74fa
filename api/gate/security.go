package gate

import (
	"net/http"

	"github.com/gin-gonic/gin"
)

// apiCSP is the content security policy of every response but the page's
// own files: JSON and problems are data, never a document to render, frame
// or run scripts from.
const apiCSP = "default-src 'none'; frame-ancestors 'none'"

// SecureHeaders sets the security headers every response carries, errors
// included; the page's files replace the policy with their own (pageCSP).
func SecureHeaders(h http.Header) {
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", apiCSP)
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
}

// PathParams refuses a path parameter (a document id, a file name) holding
// invalid UTF-8 or control characters, as query does for the query string.
func (s *Front) PathParams(c *gin.Context) {
	for _, p := range c.Params {
		if pr := CheckText(p.Key, p.Value); pr != nil {
			s.WriteProblem(c, pr)
			return
		}
	}
	c.Next()
}
