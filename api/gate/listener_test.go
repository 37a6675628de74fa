package gate

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gin-gonic/gin"
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

// A countingListener counts the writes to its connections.
type countingListener struct {
	net.Listener
	writes chan int // the size of each write
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.writes}, nil
}

type countingConn struct {
	net.Conn
	writes chan int
}

func (c countingConn) Write(p []byte) (int, error) {
	c.writes <- len(p)
	return c.Conn.Write(p)
}

// TestWriteBodyInOneWrite checks that a response written by WriteBody,
// larger than net/http's 4 KiB buffer, reaches the connection in one
// write when served through ProblemListener with ConnContext, whole and
// on a connection kept alive; for HEAD too, and for a body beyond the
// size held, which is written as net/http writes it.
func TestWriteBodyInOneWrite(t *testing.T) {
	gin.SetMode(gin.ReleaseMode)
	front := New(nil, Options{})
	e := NewEngine()
	bodies := map[string][]byte{}
	for _, size := range []int{10, 5000, 20000, maxHeld + 1000} {
		path := fmt.Sprintf("/%d", size)
		body := []byte(strings.Repeat("0123456789", size/10))
		bodies[path] = body
		e.GET(path, func(c *gin.Context) { front.WriteBody(c, http.StatusOK, "text/plain", body) })
		e.HEAD(path, func(c *gin.Context) { front.WriteBody(c, http.StatusOK, "text/plain", body) })
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	writes := make(chan int, 1000)
	srv := &http.Server{Handler: e, ConnContext: ConnContext}
	go srv.Serve(ProblemListener(countingListener{ln, writes}, 1<<20))
	defer srv.Close()

	conn, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	for _, method := range []string{http.MethodGet, http.MethodHead} {
		for _, size := range []int{10, 5000, 20000, maxHeld + 1000} {
			path := fmt.Sprintf("/%d", size)
			fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\n\r\n", method, path)
			req, _ := http.NewRequest(method, path, nil)
			res, err := http.ReadResponse(r, req)
			if err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			body, err := io.ReadAll(res.Body)
			if err != nil {
				t.Fatalf("%s %s: %v", method, path, err)
			}
			want := bodies[path]
			if method == http.MethodHead {
				want = nil
			}
			if res.StatusCode != http.StatusOK || res.ContentLength != int64(len(bodies[path])) || string(body) != string(want) || res.Close {
				t.Errorf("%s %s: %d, Content-Length %d, %d bytes of body, close %v; want 200, %d, %d, false",
					method, path, res.StatusCode, res.ContentLength, len(body), res.Close, len(bodies[path]), len(want))
			}
			n := len(writes)
			sizes := make([]int, n)
			for i := range n {
				sizes[i] = <-writes
			}
			wantWrites := 1
			if size > maxHeld && method == http.MethodGet {
				wantWrites = 2 // not held: net/http's own writes
			}
			if n != wantWrites {
				t.Errorf("%s %s: written in %d writes %v, want %d", method, path, n, sizes, wantWrites)
			}
		}
	}
}

// BenchmarkWriteBody measures a 7,000-byte response (the size of a
// search's) over a keep-alive loopback connection, written corked in one
// write (ProblemListener with ConnContext) and as net/http writes it, in
// two: p50-ns is the median round trip, cpu-ns/op the process's CPU time
// per request, client included.
func BenchmarkWriteBody(b *testing.B) {
	gin.SetMode(gin.ReleaseMode)
	front := New(nil, Options{})
	e := NewEngine()
	body := []byte(strings.Repeat("0123456789", 700))
	e.GET("/", func(c *gin.Context) { front.WriteBody(c, http.StatusOK, "application/json", body) })
	for _, corked := range []bool{true, false} {
		name := "corked"
		if !corked {
			name = "net-http"
		}
		b.Run(name, func(b *testing.B) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				b.Fatal(err)
			}
			srv := &http.Server{Handler: e}
			if corked {
				srv.ConnContext = ConnContext
			}
			go srv.Serve(ProblemListener(ln, 1<<20))
			defer srv.Close()
			conn, err := net.Dial("tcp", ln.Addr().String())
			if err != nil {
				b.Fatal(err)
			}
			defer conn.Close()
			r := bufio.NewReaderSize(conn, 64<<10)
			req, _ := http.NewRequest(http.MethodGet, "/", nil)
			var took []time.Duration
			cpu := cpuTime()
			for b.Loop() {
				start := time.Now()
				io.WriteString(conn, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
				res, err := http.ReadResponse(r, req)
				if err != nil {
					b.Fatal(err)
				}
				if n, _ := io.Copy(io.Discard, res.Body); n != int64(len(body)) {
					b.Fatalf("%d bytes of body, want %d", n, len(body))
				}
				took = append(took, time.Since(start))
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Nanoseconds()), "p50-ns")
			b.ReportMetric(float64((cpuTime()-cpu).Nanoseconds())/float64(len(took)), "cpu-ns/op")
		})
	}
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
