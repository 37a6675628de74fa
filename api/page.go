package api

import (
	_ "embed"
	"net/http"

	"github.com/gin-gonic/gin"
)

// The search page is a placeholder for now: one static HTML file, no
// script.

//go:embed web/index.html
var pageHTML []byte

// pageCSP lets the page load nothing but from its own origin, and run no
// inline script.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// page answers GET / with the search page.
func (s *Server) page(c *gin.Context) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-cache")
	s.writeBody(c, http.StatusOK, "text/html; charset=utf-8", pageHTML)
}
