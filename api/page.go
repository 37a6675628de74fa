package api

import (
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"tacheron/api/gate"

	"github.com/gin-gonic/gin"
)

// The search page is web/index.html and the files of web/static, served at
// / and /static/NAME from the binary. It is plain HTML, CSS and ES modules:
// no build step, nothing from other origins, no inline script or style.

//go:embed web/index.html web/static
var webFiles embed.FS

// pageCSP lets the page load nothing but from its own origin, and run no
// inline script.
const pageCSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// An asset is a file of the page, ready to serve.
type asset struct {
	body        []byte
	contentType string
	etag        string
}

// webAssets holds the page's files: index.html, and the static files by
// name. It is read from the embedded files once and never changes.
type webAssets struct {
	index  asset
	static map[string]asset
}

// contentTypes are the types of the static files by extension; a file of
// any other kind is not served.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".svg":  "image/svg+xml",
}

// loadAssets reads the embedded files, once per Server. Only the files
// found there can be served: a request names a key of the map, never a
// path to open.
func loadAssets() *webAssets {
	a := &webAssets{static: make(map[string]asset)}
	// The files are compiled in: walking and reading them cannot fail.
	fs.WalkDir(webFiles, "web", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ct, ok := contentTypes[path.Ext(name)]
		if !ok {
			return nil
		}
		body, err := webFiles.ReadFile(name)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		// A weak tag: the bytes differ when the body is gzipped.
		f := asset{body: body, contentType: ct, etag: `W/"` + base64.RawURLEncoding.EncodeToString(sum[:12]) + `"`}
		if name == "web/index.html" {
			a.index = f
		} else if rest, ok := strings.CutPrefix(name, "web/static/"); ok {
			a.static[rest] = f
		}
		return nil
	})
	return a
}

// page answers GET / with the search page.
func (s *Server) page(c *gin.Context) {
	s.serveAsset(c, s.assets.index)
}

// staticFile answers GET /static/NAME with a file of the page.
func (s *Server) staticFile(c *gin.Context) {
	f, ok := s.assets.static[strings.TrimPrefix(c.Param("file"), "/")]
	if !ok {
		s.WriteProblem(c, gate.NotFound("no such file of the page"))
		return
	}
	s.serveAsset(c, f)
}

// serveAsset answers with a file of the page and its security headers.
// The browser revalidates it each time (the page changes with the
// binary), and gets a 304 when its copy is current.
func (s *Server) serveAsset(c *gin.Context, f asset) {
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", pageCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cache-Control", "no-cache")
	h.Set("ETag", f.etag)
	if etagMatch(c.GetHeader("If-None-Match"), f.etag) {
		c.Writer.WriteHeader(http.StatusNotModified)
		c.Writer.WriteHeaderNow()
		return
	}
	s.WriteBody(c, http.StatusOK, f.contentType, f.body)
}

// etagMatch reports whether an If-None-Match header lists etag (weak
// comparison, RFC 9110 section 13.1.2).
func etagMatch(header, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for tag := range strings.SplitSeq(header, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == etag || tag == "*" {
			return true
		}
	}
	return false
}
