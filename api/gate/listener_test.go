package gate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestProblemListener: a header block over the server's MaxHeaderBytes,
// which net/http refuses before any handler, is answered as a problem
// with the security headers; other requests pass unchanged.
func TestProblemListener(t *testing.T) {
	const limit = 4 << 10
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/plain")
			io.WriteString(w, "ok")
		}),
		MaxHeaderBytes: limit,
	}
	go srv.Serve(ProblemListener(ln, limit))
	defer srv.Close()

	send := func(header string) *http.Response {
		t.Helper()
		c, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		fmt.Fprintf(c, "GET / HTTP/1.1\r\nHost: x\r\n%s\r\n", header)
		res, err := http.ReadResponse(bufio.NewReader(c), nil)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body = io.NopCloser(strings.NewReader(string(body)))
		return res
	}
	res := send("X-Big: " + strings.Repeat("a", 2*limit+8192) + "\r\n")
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge || res.Header.Get("Content-Type") != "application/problem+json" ||
		res.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Fatalf("oversized header block: %d %v", res.StatusCode, res.Header)
	}
	var p Problem
	if err := json.NewDecoder(res.Body).Decode(&p); err != nil || p.Status != 431 || p.Type != ProblemTooLarge || !strings.Contains(p.Detail, fmt.Sprint(limit)) {
		t.Errorf("problem = %+v, %v", p, err)
	}
	res = send("X-Small: a\r\n")
	if body, _ := io.ReadAll(res.Body); res.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Errorf("ordinary request: %d %q", res.StatusCode, body)
	}
}
