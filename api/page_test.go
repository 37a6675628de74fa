package api

import (
	"bufio"
	"io/fs"
	"net"
	"net/http"
	"net/http/httptest"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// maxPageBytes bounds the page's files, all together, uncompressed (100 KB
// until the trends, contexts, co-occurrence and export tools of issue 16).
const maxPageBytes = 110_000

func TestPageSize(t *testing.T) {
	total := 0
	err := fs.WalkDir(webFiles, "web", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		t.Logf("%6d %s", info.Size(), name)
		total += int(info.Size())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%6d in all", total)
	if total >= maxPageBytes {
		t.Errorf("the page's files take %d bytes; the budget is %d", total, maxPageBytes)
	}
}

// pageTargets returns the path of every file the page serves.
func pageTargets(t *testing.T) []string {
	t.Helper()
	targets := []string{"/"}
	for name := range loadAssets().static {
		targets = append(targets, "/static/"+name)
	}
	slices.Sort(targets)
	if len(targets) < 4 {
		t.Fatalf("the page has too few files: %v", targets)
	}
	return targets
}

func TestPageHeaders(t *testing.T) {
	s := newTestServer(t, Options{})
	wantType := map[string]string{
		"":     "text/html; charset=utf-8",
		".css": "text/css; charset=utf-8",
		".js":  "text/javascript; charset=utf-8",
		".svg": "image/svg+xml",
	}
	for _, target := range pageTargets(t) {
		r := get(t, s, target)
		if r.Status != http.StatusOK {
			t.Errorf("GET %s = %d", target, r.Status)
			continue
		}
		if got, want := r.Header.Get("Content-Type"), wantType[path.Ext(target)]; got != want {
			t.Errorf("GET %s: Content-Type %q, want %q", target, got, want)
		}
		if got := r.Header.Get("Content-Security-Policy"); got != pageCSP {
			t.Errorf("GET %s: Content-Security-Policy %q, want %q", target, got, pageCSP)
		}
		for name, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "no-referrer",
			"X-Frame-Options":        "DENY",
			"Cache-Control":          "no-cache",
		} {
			if got := r.Header.Get(name); got != want {
				t.Errorf("GET %s: %s %q, want %q", target, name, got, want)
			}
		}
		etag := r.Header.Get("ETag")
		if etag == "" {
			t.Errorf("GET %s: no ETag", target)
			continue
		}
		req := httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("If-None-Match", etag)
		if r := serve(t, s, req); r.Status != http.StatusNotModified || len(r.Body) != 0 {
			t.Errorf("GET %s, If-None-Match %s = %d with %d bytes, want 304 and none", target, etag, r.Status, len(r.Body))
		}
		req = httptest.NewRequest(http.MethodGet, target, nil)
		req.Header.Set("If-None-Match", `"stale"`)
		if r := serve(t, s, req); r.Status != http.StatusOK {
			t.Errorf("GET %s, stale If-None-Match = %d, want 200", target, r.Status)
		}
	}
	for _, csp := range []string{"unsafe-inline", "unsafe-eval", "*", "data:", "http:", "https:"} {
		if strings.Contains(pageCSP, csp) {
			t.Errorf("the CSP allows %q", csp)
		}
	}
}

// traversals are requests for files outside the page's own, or for its
// files under another name.
var traversals = []string{
	"/static/../page.go",
	"/static/../../go.mod",
	"/static/%2e%2e/page.go",
	"/static/%2E%2E%2Fpage.go",
	"/static/..%2fpage.go",
	"/static/..%5cpage.go",
	"/static/../web/index.html",
	"/static/web/static/app.js",
	"/static/./app.js",
	"/static//app.js",
	"/static/app.js/",
	"/static/APP.JS",
	"/static/app.js%00.go",
	"/static/",
	"/static",
	"/static/../openapi.json",
	"/static/%2e%2e/%2e%2e/go.mod",
	"/web/index.html",
	"/api/web/static/app.js",
}

// leaked reports whether a body looks like a file it should not be.
func leaked(body string) bool {
	for _, sign := range []string{"package api", "module tacheron", "<!doctype", "import {", "\"openapi\""} {
		if strings.Contains(body, sign) {
			return true
		}
	}
	return false
}

func TestPageTraversal(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, target := range traversals {
		r := get(t, s, target)
		if r.Status < 400 || r.Status >= 500 || leaked(string(r.Body)) {
			t.Errorf("GET %s = %d %q, want a 4xx problem", target, r.Status, shortBody(r.Body))
		}
	}

	// The same requests as a client sends them on the wire, unchanged by
	// any client library.
	srv := httptest.NewServer(s)
	defer srv.Close()
	for _, target := range traversals {
		conn, err := net.Dial("tcp", srv.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		_, err = conn.Write([]byte("GET " + target + " HTTP/1.1\r\nHost: tacheron\r\nConnection: close\r\n\r\n"))
		if err != nil {
			t.Fatal(err)
		}
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		var body strings.Builder
		_, err = bufio.NewReader(res.Body).WriteTo(&body)
		res.Body.Close()
		conn.Close()
		if err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
		if res.StatusCode < 400 || res.StatusCode >= 500 || leaked(body.String()) {
			t.Errorf("on the wire, GET %s = %d %q, want a 4xx problem", target, res.StatusCode, body.String())
		}
	}
}

// TestPageSelfContained checks what the CSP would otherwise only refuse
// at run time: no inline script, handler or style in the HTML, nothing
// from another origin, and HTML built from strings in one checked place.
func TestPageSelfContained(t *testing.T) {
	html := string(loadAssets().index.body)
	for _, tt := range []struct {
		what string
		re   *regexp.Regexp
	}{
		{"an inline script", regexp.MustCompile(`(?i)<script(?:\s[^>]*)?>\s*[^<\s]`)},
		{"an event handler attribute", regexp.MustCompile(`(?i)\son[a-z]+\s*=`)},
		{"a style attribute", regexp.MustCompile(`(?i)\sstyle\s*=`)},
		{"a style element", regexp.MustCompile(`(?i)<style`)},
		{"a javascript: URL", regexp.MustCompile(`(?i)javascript:`)},
	} {
		if m := tt.re.FindString(html); m != "" {
			t.Errorf("index.html has %s: %q", tt.what, m)
		}
	}

	for _, tag := range regexp.MustCompile(`(?i)<script[^>]*>`).FindAllString(html, -1) {
		if !strings.Contains(tag, " src=") {
			t.Errorf("index.html has a script without src: %q", tag)
		}
	}

	otherOrigin := regexp.MustCompile(`(?i)(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}`)
	innerHTML := 0
	files := map[string]string{"index.html": html}
	for name, f := range loadAssets().static {
		files[name] = string(f.body)
	}
	for name, text := range files {
		for _, m := range otherOrigin.FindAllString(text, -1) {
			if m != "http://www.w3.org" { // the SVG namespace, not a fetch
				t.Errorf("%s refers to another origin: %q", name, m)
			}
		}
		innerHTML += strings.Count(text, "innerHTML")
		// Every module and file the page names is served.
		for _, m := range regexp.MustCompile(`(?:from '\./|"/static/)([\w.-]+)`).FindAllStringSubmatch(text, -1) {
			if _, ok := loadAssets().static[m[1]]; !ok {
				t.Errorf("%s names %s, which is not served", name, m[1])
			}
		}
	}
	if n := strings.Count(files["dom.js"], "innerHTML"); n != 1 || innerHTML != 1 {
		t.Errorf("innerHTML appears %d times (%d in dom.js); only setMarked may use it", innerHTML, n)
	}
}
