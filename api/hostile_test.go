package api

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"tacheron/api/gate"
	"tacheron/index/store"
)

// answerTimeout bounds the time a hostile request may take to be
// answered: a generous bound, not a measure of speed.
const answerTimeout = 5 * time.Second

// startServer serves h on 127.0.0.1 with the limits tacheron serve gives
// its http.Server, until the test ends. The server's own errors go to
// logger when it is not nil.
func startServer(tb testing.TB, h http.Handler, logger *slog.Logger) *httptest.Server {
	tb.Helper()
	srv := httptest.NewUnstartedServer(h)
	if logger != nil {
		srv.Config.ErrorLog = slog.NewLogLogger(logger.Handler(), slog.LevelWarn)
	}
	srv.Config.ReadHeaderTimeout = 5 * time.Second
	srv.Config.ReadTimeout = 10 * time.Second
	srv.Config.WriteTimeout = DefaultTimeout + 5*time.Second
	srv.Config.IdleTimeout = 60 * time.Second
	srv.Config.MaxHeaderBytes = 1 << 20
	srv.Start()
	tb.Cleanup(srv.Close)
	return srv
}

// hostileSearcher is the index the hostile and load tests run on: the
// bundled corpus, or the store in $TACHERON_TEST_INDEX (such as a
// 100k-document benchmark index) to try them at scale.
func hostileSearcher(t *testing.T) Searcher {
	dir := os.Getenv("TACHERON_TEST_INDEX")
	if dir == "" {
		return testLive
	}
	live := store.NewLive(store.Open(dir))
	t.Cleanup(func() { live.Close() })
	if _, err := live.Reload(); err != nil {
		t.Fatalf("TACHERON_TEST_INDEX=%s: %v", dir, err)
	}
	return live
}

// exchange sends a raw HTTP/1.1 request on a new connection to addr and
// reads the answer, both within answerTimeout. The request is written
// while the answer is read: a server may answer before it has read all.
func exchange(addr string, raw []byte) (*http.Response, []byte, error) {
	conn, err := net.DialTimeout("tcp", addr, answerTimeout)
	if err != nil {
		return nil, nil, err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(answerTimeout))
	go conn.Write(raw) // a write cut short by the server's answer is fine
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return nil, nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	return res, body, err
}

// A hostileRequest is a request as a client may send it.
type hostileRequest struct {
	method, target string
	header         string // raw header lines, each ending in \r\n
	body           string
	chunked        bool
}

func (h hostileRequest) bytes() []byte {
	method := h.method
	if method == "" {
		method = http.MethodGet
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s", method, h.target, h.header)
	switch {
	case h.chunked:
		b.WriteString("Transfer-Encoding: chunked\r\n\r\n")
		for rest := h.body; rest != ""; {
			n := min(len(rest), 32<<10)
			fmt.Fprintf(&b, "%x\r\n%s\r\n", n, rest[:n])
			rest = rest[n:]
		}
		b.WriteString("0\r\n\r\n")
	case h.body != "":
		fmt.Fprintf(&b, "Content-Length: %d\r\n\r\n%s", len(h.body), h.body)
	default:
		b.WriteString("\r\n")
	}
	return b.Bytes()
}

// leaks matches what an error body must never tell: source files, stack
// traces, paths on the server.
var leaks = regexp.MustCompile(`\.go\b|goroutine \d|panic|/home/|/tmp/|/work/|/var/|/usr/`)

// TestHostileRequests sends what scripts, crawlers and attackers send to a
// server on 127.0.0.1 and checks that each is answered, within a generous
// bound, with the expected status and, where the API answers, a problem.
func TestHostileRequests(t *testing.T) {
	srv := startServer(t, newTestServer(t, Options{Searcher: hostileSearcher(t)}), nil)
	addr := srv.Listener.Addr().String()
	search := "/api/v1/search?q="
	words := func(w string, n int) string { return strings.TrimSuffix(strings.Repeat(w+"+", n), "+") }
	prefixes := func() string {
		var b []string
		for _, r := range "abcdefghijklmnopqrstuvwxyzéèàôçû" {
			b = append(b, string(r)+"%2A")
		}
		return strings.Join(b, "+")
	}()
	for _, tt := range []struct {
		name string
		req  hostileRequest
		// status is the answer wanted; problem, whether the API answers
		// it (with a problem for an error), rather than Go's server.
		status  int
		problem bool
		param   string
	}{
		// Syntax of other engines is read as the words it holds.
		{name: "leading wildcard", req: hostileRequest{target: search + "%2Ation"}, status: 200, problem: true},
		{name: "wildcards around", req: hostileRequest{target: search + "%2Atrav%2Ail%2A"}, status: 200, problem: true},
		{name: "lone wildcard", req: hostileRequest{target: search + "%2A"}, status: 200, problem: true},
		{name: "wildcard ?", req: hostileRequest{target: search + "a?b"}, status: 200, problem: true},
		{name: "regexp", req: hostileRequest{target: search + "/ub.%2A/"}, status: 200, problem: true},
		{name: "regexp class", req: hostileRequest{target: search + "%5Ba-z%5D%2B%7B2,%7D"}, status: 200, problem: true},
		{name: "parentheses", req: hostileRequest{target: search + "((("}, status: 200, problem: true},
		{name: "field", req: hostileRequest{target: search + "title:x"}, status: 200, problem: true},
		{name: "fuzzy and boost", req: hostileRequest{target: search + "travail~2+uber%5E10"}, status: 200, problem: true},
		{name: "boolean operators", req: hostileRequest{target: search + "%2Btravail+AND+uber+OR+NOT+-digital+%26%26+%7C%7C"}, status: 200, problem: true},
		{name: "unbalanced quote", req: hostileRequest{target: search + "%22travail+digital"}, status: 200, problem: true},
		{name: "range syntax", req: hostileRequest{target: search + "date:%5B2017+TO+%2A%5D"}, status: 200, problem: true},
		{name: "only syntax", req: hostileRequest{target: search + "%2A%3F~%5E%3A%22%22()%5B%5D%7B%7D%2F%5C"}, status: 200, problem: true},
		// Expensive queries within the limits.
		{name: "32 one-letter prefixes", req: hostileRequest{target: search + prefixes}, status: 200, problem: true},
		{name: "32 typos of long words", req: hostileRequest{target: search + words("consommateurz", 16) + "+" + words("travailleuzs", 16)}, status: 200, problem: true},
		{name: "phrases of common words", req: hostileRequest{target: search + words("%22de+la+le+et%22", 8)}, status: 200, problem: true},
		{name: "32 prefixes, every facet, deepest page", req: hostileRequest{target: search + prefixes +
			"&facets=source,concept,kind,lang,date&facet_size=500&page=100&per_page=100&sort=-date"}, status: 200, problem: true},
		{name: "100 values of each filter", req: hostileRequest{target: "/api/v1/search?q=travail&" + strings.Repeat("source=x&kind=press&", 50) + strings.Repeat("lang=fr&concept=w&", 50)}, status: 200, problem: true},
		{name: "every filter", req: hostileRequest{target: "/api/v1/search?q=a&source=Le+Monde&concept=micro-travail&kind=press&lang=fr&from=1900-01-01&to=2999-12-31"}, status: 200, problem: true},
		// Query limits.
		{name: "33 words", req: hostileRequest{target: search + words("mot", 33)}, status: 400, problem: true, param: "q"},
		{name: "1,000 words", req: hostileRequest{target: search + words("a", 1000)}, status: 400, problem: true, param: "q"},
		{name: "10,000 words", req: hostileRequest{target: search + words("a", 10000)}, status: 414, problem: true},
		{name: "600-byte query", req: hostileRequest{target: search + strings.Repeat("a", 600)}, status: 400, problem: true, param: "q"},
		{name: "long suggest", req: hostileRequest{target: "/api/v1/suggest?q=" + strings.Repeat("a", 600)}, status: 400, problem: true, param: "q"},
		{name: "1 MB URL", req: hostileRequest{target: search + strings.Repeat("a", 1<<20-100)}, status: 414, problem: true},
		{name: "2 MB URL", req: hostileRequest{target: search + strings.Repeat("a", 2<<20)}, status: 431},
		{name: "too many parameters", req: hostileRequest{target: "/api/v1/search?" + strings.Repeat("a=1&", 300)}, status: 400, problem: true},
		// Pages and sizes.
		{name: "deepest page", req: hostileRequest{target: "/api/v1/search?page=100&per_page=100"}, status: 200, problem: true},
		{name: "deep page", req: hostileRequest{target: "/api/v1/search?page=101&per_page=100"}, status: 400, problem: true, param: "page"},
		{name: "page 10001", req: hostileRequest{target: "/api/v1/search?page=10001"}, status: 400, problem: true, param: "page"},
		{name: "page beyond int64", req: hostileRequest{target: "/api/v1/search?page=99999999999999999999999999"}, status: 400, problem: true, param: "page"},
		{name: "page in exponent", req: hostileRequest{target: "/api/v1/search?page=1e9"}, status: 400, problem: true, param: "page"},
		{name: "huge per_page", req: hostileRequest{target: "/api/v1/search?per_page=1000000"}, status: 400, problem: true, param: "per_page"},
		{name: "negative per_page", req: hostileRequest{target: "/api/v1/search?per_page=-1"}, status: 400, problem: true, param: "per_page"},
		{name: "huge facet_size", req: hostileRequest{target: "/api/v1/search?facet_size=1000000"}, status: 400, problem: true, param: "facet_size"},
		{name: "huge suggest limit", req: hostileRequest{target: "/api/v1/suggest?q=a&limit=1000000"}, status: 400, problem: true, param: "limit"},
		// Encoding.
		{name: "lone percent", req: hostileRequest{target: search + "%"}, status: 400, problem: true, param: "q"},
		{name: "bad percent digit", req: hostileRequest{target: search + "%g1"}, status: 400, problem: true, param: "q"},
		{name: "double percent", req: hostileRequest{target: search + "%%41"}, status: 400, problem: true, param: "q"},
		{name: "bad percent in a name", req: hostileRequest{target: "/api/v1/search?%zz=1"}, status: 400, problem: true},
		{name: "encoded invalid UTF-8", req: hostileRequest{target: search + "caf%C3%28"}, status: 400, problem: true, param: "q"},
		{name: "encoded overlong UTF-8", req: hostileRequest{target: search + "%C0%AF"}, status: 400, problem: true, param: "q"},
		{name: "encoded surrogate", req: hostileRequest{target: search + "%ED%A0%80"}, status: 400, problem: true, param: "q"},
		{name: "raw invalid UTF-8", req: hostileRequest{target: search + "caf\xe9"}, status: 400, problem: true, param: "q"},
		{name: "raw invalid UTF-8 in the path", req: hostileRequest{target: "/api/v1/documents/\xff\xfe"}, status: 400, problem: true, param: "id"},
		{name: "encoded NUL", req: hostileRequest{target: search + "a%00b"}, status: 400, problem: true, param: "q"},
		{name: "encoded NUL in the path", req: hostileRequest{target: "/api/v1/documents/a%00b"}, status: 400, problem: true, param: "id"},
		{name: "encoded NUL in a file name", req: hostileRequest{target: "/static/app.js%00.png"}, status: 400, problem: true, param: "file"},
		{name: "raw NUL", req: hostileRequest{target: search + "a\x00b"}, status: 400},
		{name: "encoded escape", req: hostileRequest{target: search + "%1B%5B31m"}, status: 400, problem: true, param: "q"},
		{name: "encoded DEL", req: hostileRequest{target: search + "a%7Fb"}, status: 400, problem: true, param: "q"},
		{name: "encoded C1 control", req: hostileRequest{target: search + "a%C2%9Bb"}, status: 400, problem: true, param: "q"},
		{name: "encoded CR LF", req: hostileRequest{target: search + "a%0D%0ASet-Cookie:+x=1"}, status: 400, problem: true, param: "q"},
		{name: "raw control character", req: hostileRequest{target: search + "a\x01b"}, status: 400},
		{name: "';' separator", req: hostileRequest{target: search + "a;per_page=1000"}, status: 400, problem: true, param: "q"},
		// Headers and bodies.
		{name: "10,000 header fields", req: hostileRequest{target: "/api/v1/search?q=a", header: strings.Repeat("X-Flood: 1\r\n", 10000)}, status: 431, problem: true},
		{name: "a 40 KB header field", req: hostileRequest{target: "/api/v1/search?q=a", header: "X-Big: " + strings.Repeat("b", 40<<10) + "\r\n"}, status: 431, problem: true},
		{name: "2 MB of header fields", req: hostileRequest{target: "/api/v1/search?q=a", header: strings.Repeat("X-Flood: "+strings.Repeat("f", 1000)+"\r\n", 2048)}, status: 431},
		{name: "header field with NUL", req: hostileRequest{target: "/healthz", header: "X-Bad: a\x00b\r\n"}, status: 400},
		{name: "invalid UTF-8 in a header field", req: hostileRequest{target: "/", header: "If-None-Match: \xff\xfe\r\nAccept-Encoding: \xff\r\n"}, status: 200, problem: true},
		{name: "100 KB body", req: hostileRequest{method: http.MethodPost, target: "/api/v1/search", body: strings.Repeat("c", 100<<10)}, status: 413, problem: true},
		{name: "1 MB chunked body", req: hostileRequest{method: http.MethodPost, target: "/api/v1/search", body: strings.Repeat("c", 1<<20), chunked: true}, status: 405, problem: true},
		{name: "1 MB chunked body on a GET", req: hostileRequest{target: "/api/v1/search?q=a", body: strings.Repeat("c", 1<<20), chunked: true}, status: 200, problem: true},
		// Files and methods.
		{name: "traversal", req: hostileRequest{target: "/static/../../go.mod"}, status: 404, problem: true},
		{name: "encoded traversal", req: hostileRequest{target: "/static/..%2F..%2Fgo.mod"}, status: 404, problem: true},
		{name: "dot-encoded traversal", req: hostileRequest{target: "/static/%2e%2e/%2e%2e/api/server.go"}, status: 404, problem: true},
		{name: "backslash traversal", req: hostileRequest{target: "/static/..%5C..%5Cgo.mod"}, status: 404, problem: true},
		{name: "absolute file", req: hostileRequest{target: "/static//etc/passwd"}, status: 404, problem: true},
		{name: "root traversal", req: hostileRequest{target: "/../../../../etc/passwd"}, status: 404, problem: true},
		{name: "embedded file by its path", req: hostileRequest{target: "/web/static/app.js"}, status: 404, problem: true},
		{name: "directory listing", req: hostileRequest{target: "/static/"}, status: 404, problem: true},
		{name: "directory without slash", req: hostileRequest{target: "/static"}, status: 404, problem: true},
		{name: "TRACE", req: hostileRequest{method: "TRACE", target: "/"}, status: 405, problem: true},
		{name: "unknown method", req: hostileRequest{method: "BREW", target: "/api/v1/search"}, status: 405, problem: true},
		{name: "absolute target", req: hostileRequest{target: "http://evil.example/api/v1/search?q=a"}, status: 200, problem: true},
	} {
		start := time.Now()
		raw := tt.req.bytes()
		res, body, err := exchange(addr, raw)
		if err != nil {
			t.Errorf("%s: no answer: %v (after %v)", tt.name, err, time.Since(start).Round(time.Millisecond))
			continue
		}
		took := time.Since(start)
		t.Logf("%-40s %d in %v", tt.name, res.StatusCode, took.Round(time.Microsecond))
		if res.StatusCode != tt.status {
			t.Errorf("%s = %d, want %d\n%s", tt.name, res.StatusCode, tt.status, shortBody(body))
			continue
		}
		if leaks.Match(body) && res.StatusCode >= 400 {
			t.Errorf("%s: the body tells too much:\n%s", tt.name, shortBody(body))
		}
		if !tt.problem {
			// Go's server refused the request before the API saw it.
			continue
		}
		if got := res.Header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("%s: X-Content-Type-Options = %q", tt.name, got)
		}
		if got := res.Header.Get("Content-Security-Policy"); got == "" {
			t.Errorf("%s: no Content-Security-Policy", tt.name)
		}
		// Validate the answer against the OpenAPI document, with the
		// request as the server read it.
		req, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			t.Errorf("%s: the API answered a request Go cannot read: %v", tt.name, err)
			continue
		}
		if err := checkResponse(t, req, &response{Status: res.StatusCode, Header: res.Header, Body: body}); err != nil {
			t.Errorf("%s: %v\n%s", tt.name, err, shortBody(body))
		}
		if res.StatusCode < 400 {
			continue
		}
		var p gate.Problem
		(&response{Body: body}).json(t, &p)
		if p.Status != res.StatusCode || p.Type == "" || p.Title == "" || p.Detail == "" || p.Param != tt.param && tt.param != "" {
			t.Errorf("%s: problem %+v, want status %d, param %q", tt.name, p, tt.status, tt.param)
		}
	}
}

// TestBadTextInEveryParameter sends invalid UTF-8, NUL and control
// characters in every parameter of every endpoint, named or not, in names
// and in path parameters: each gets a 400 naming the parameter.
func TestBadTextInEveryParameter(t *testing.T) {
	s := newTestServer(t, Options{})
	params := map[string][]string{
		"/api/v1/search": {"q", "source", "concept", "kind", "lang", "from", "to", "sort", "page", "per_page",
			"facets", "facet_size", "date_interval", "label_lang"},
		"/api/v1/suggest": {"q", "limit", "label_lang"},
		"/api/v1/documents/2017-03-22-qui-entraine-les-ia": {"q"},
		"/api/v1/concepts": {"label_lang"},
		"/api/v1/sources":  nil,
		"/healthz":         nil,
		"/readyz":          nil,
		"/metrics":         nil,
		"/openapi.json":    nil,
		"/":                nil,
		"/static/app.js":   nil,
	}
	bad := []string{"%ff", "a%C3", "%C0%AF", "%ED%A0%80", "%F4%90%80%80", "%00", "a%00", "%01", "%09", "%0A", "%0D", "%1F", "%7F", "%C2%80", "%C2%9F"}
	for path, names := range params {
		for _, name := range append(names, "utm_source") {
			for _, value := range bad {
				target := path + "?" + name + "=" + value
				r := get(t, s, target)
				if p := r.problem(t); r.Status != http.StatusBadRequest || p.Param != name {
					t.Errorf("GET %s = %d, param %q; want 400, %q", target, r.Status, p.Param, name)
				}
			}
		}
		for _, value := range bad {
			target := path + "?" + value + "=1"
			if r := get(t, s, target); r.Status != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", target, r.Status)
			}
		}
	}
	for _, value := range bad {
		for path, param := range map[string]string{"/api/v1/documents/": "id", "/static/": "file"} {
			target := path + "x" + value
			r := get(t, s, target)
			if p := r.problem(t); r.Status != http.StatusBadRequest || p.Param != param {
				t.Errorf("GET %s = %d, param %q; want 400, %q", target, r.Status, p.Param, param)
			}
		}
	}
}

// TestSecurityHeadersEverywhere checks the security headers of answers of
// every kind: success, errors of the API, and the page's files (which
// carry the page's own policy).
func TestSecurityHeadersEverywhere(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, tt := range []struct {
		method, target string
		header         http.Header
		body           string
		csp            string
	}{
		{target: "/api/v1/search?q=travail", csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/api/v1/search?page=0", csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/api/v1/documents/nope", csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/nope", csp: "default-src 'none'; frame-ancestors 'none'"},
		{method: http.MethodPost, target: "/healthz", csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/api/v1/search?q=" + strings.Repeat("a", 9000), csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/api/v1/search", header: http.Header{"X-Big": {strings.Repeat("b", 40<<10)}}, csp: "default-src 'none'; frame-ancestors 'none'"},
		{method: http.MethodPost, target: "/api/v1/search", body: strings.Repeat("c", 100<<10), csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/healthz", csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/metrics", csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/openapi.json", csp: "default-src 'none'; frame-ancestors 'none'"},
		{target: "/", csp: pageCSP},
		{target: "/static/app.js", csp: pageCSP},
		{target: "/static/app.js", header: http.Header{"If-None-Match": {"*"}}, csp: pageCSP},
		{target: "/static/nope.js", csp: "default-src 'none'; frame-ancestors 'none'"},
	} {
		req := tableRequest(tt.method, tt.target, tt.body, tt.header)
		r := serve(t, s, req)
		name := tt.target
		if len(name) > 60 {
			name = name[:60] + "…"
		}
		for k, want := range map[string]string{
			"X-Content-Type-Options":  "nosniff",
			"X-Frame-Options":         "DENY",
			"Referrer-Policy":         "no-referrer",
			"Content-Security-Policy": tt.csp,
		} {
			if got := r.Header.Get(k); got != want {
				t.Errorf("%s %s → %d: %s = %q, want %q", req.Method, name, r.Status, k, got, want)
			}
		}
	}
}

// TestHostileQueriesWithinDeadline runs the most expensive queries with a
// deadline too short for them: each is answered, 200 or a 503 timeout, and
// never anything else.
func TestHostileQueriesWithinDeadline(t *testing.T) {
	s := newTestServer(t, Options{Searcher: hostileSearcher(t), Timeout: time.Millisecond})
	for _, q := range []string{
		"q=a%2A+b%2A+c%2A+d%2A+e%2A+f%2A+g%2A+h%2A+i%2A+j%2A+k%2A+l%2A+m%2A+n%2A+o%2A+p%2A&facet_size=500&per_page=100&page=100",
		"q=plateformisatiom+microtravailleuzs+consommateurz+algorithmiqe+uberisatiom&per_page=100",
		"q=%22travail+digital%22+%22de+la%22&sort=-date&per_page=100",
	} {
		r := get(t, s, "/api/v1/search?"+q)
		if r.Status == http.StatusOK {
			continue
		}
		if p := r.problem(t); r.Status != http.StatusServiceUnavailable || p.Type != gate.ProblemTimeout {
			t.Errorf("GET /api/v1/search?%s with a 1ms deadline = %d %+v, want 200 or a 503 timeout", q, r.Status, p)
		}
	}
}

// TestOtherSyntaxIsReadAsWords checks that the syntax of other engines
// (wildcards, regular expressions, fields, operators) costs nothing: the
// search reads the words it holds and answers 200.
func TestOtherSyntaxIsReadAsWords(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, tt := range []struct {
		q     string
		words []string
	}{
		{"*tion", []string{"tion"}},
		{"*trav*il*", []string{"trav", "il"}},
		{"/ub.*/", []string{"ub"}},
		{"a?b", []string{"a", "b"}},
		{"(((", []string{}},
		{"title:x", []string{"x"}},
		{"titre:captcha", []string{"captcha"}},
		{"travail~2 uber^10", []string{"travail", "2", "uber", "10"}},
		{"[a-z]+{2,}", []string{"a", "z", "2"}},
		{`*?~^:""()[]{}/\`, []string{}},
		{"+travail && uber || !digital", []string{"travail", "uber", "digital"}},
	} {
		res := search(t, s, url.Values{"q": {tt.q}}.Encode())
		if !slices.Equal(res.Words, tt.words) {
			t.Errorf("search %#q: words %#q, want %#q", tt.q, res.Words, tt.words)
		}
	}
}

// TestBadTextInMeiliParameters does the same for the query parameters of
// the Meilisearch-compatible API, which answers its own errors.
func TestBadTextInMeiliParameters(t *testing.T) {
	s := newMeiliServer(t, Options{})
	for _, path := range []string{"/meili/health", "/meili/version", "/meili/stats", "/meili/indexes",
		"/meili/indexes/documents", "/meili/indexes/documents/search", "/meili/indexes/documents/documents",
		"/meili/indexes/documents/documents/2017-03-22-qui-entraine-les-ia", "/meili/indexes/documents/settings",
		"/meili/indexes/documents/stats"} {
		for _, name := range []string{"q", "filter", "sort", "limit", "offset", "fields", "utm_source"} {
			for _, value := range []string{"%ff", "a%C3", "%00", "%1B", "%7F", "%C2%9F"} {
				target := path + "?" + name + "=" + value
				if r := meiliDo(t, s, http.MethodGet, target, ""); r.Status != http.StatusBadRequest {
					t.Errorf("GET %s = %d, want 400", target, r.Status)
				}
			}
		}
	}
}
