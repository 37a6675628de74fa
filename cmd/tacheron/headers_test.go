package main

import (
	"bufio"
	"fmt"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeHugeHeaderBlock: a header block over the server's own limit
// (1 MiB), refused before any handler, is answered as a problem too.
func TestServeHugeHeaderBlock(t *testing.T) {
	s := startServe(t, nil, "--index", filepath.Join(t.TempDir(), "index"), "--watch-interval", "0")
	c, err := net.Dial("tcp", strings.TrimPrefix(s.base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	go fmt.Fprintf(c, "GET /api/v1/search?q=x HTTP/1.1\r\nHost: x\r\nX-Big: %s\r\n\r\n", strings.Repeat("a", maxHeaderBytes+64<<10))
	res, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Errorf("a 1 MiB header block: %d %q, want 431 application/problem+json", res.StatusCode, res.Header.Get("Content-Type"))
	}
}
