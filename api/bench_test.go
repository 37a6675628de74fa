package api

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"slices"
	"strconv"
	"syscall"
	"testing"
	"time"

	"tacheron/api/gate"
)

// benchQueries are the queries of BenchmarkSearch, in turn: words,
// compounds, phrases, a prefix, a typo, and the empty query.
var benchQueries = []string{"ubérisation", "micro-travail", "travail digital", "Mechanical Turk", "smyrn", "automatisaton", "captcha", "plateformes", ""}

// BenchmarkSearch runs full searches (the default facets, highlights, 10
// hits) on the bundled corpus: on the index, through the handler in
// process, and over HTTP on 127.0.0.1 with keep-alive connections, with
// and without gzip, from net/http's client and from a lean client that
// costs little itself; and the HTTP floor, /healthz over each client, to
// compare a full search with.
func BenchmarkSearch(b *testing.B) {
	targets := make([]string, len(benchQueries))
	for i, q := range benchQueries {
		targets[i] = "/api/v1/search?q=" + url.QueryEscape(q)
	}
	s := newTestServer(b, Options{Logger: slog.New(slog.DiscardHandler)})

	b.Run("index", func(b *testing.B) {
		ctx := context.Background()
		took := startLatencies()
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			req, p := searchRequest(url.Values{"q": {benchQueries[i%len(benchQueries)]}})
			if p != nil {
				b.Fatal(p.Detail)
			}
			if _, err := testLive.Search(ctx, req); err != nil {
				b.Fatal(err)
			}
			took.add(start)
		}
		took.report(b)
	})

	b.Run("handler", func(b *testing.B) {
		took := startLatencies()
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			rec := httptest.NewRecorder()
			s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, targets[i%len(targets)], nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("%s: %d", targets[i%len(targets)], rec.Code)
			}
			took.add(start)
		}
		took.report(b)
	})

	ts := serveAsServe(s)
	defer ts.Close()
	for _, gzip := range []bool{false, true} {
		name := "http"
		if gzip {
			name = "http-gzip"
		}
		b.Run(name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{DisableCompression: !gzip, MaxIdleConnsPerHost: 1}}
			defer client.CloseIdleConnections()
			took := startLatencies()
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				fetch(b, client, ts.URL+targets[i%len(targets)])
				took.add(start)
			}
			took.report(b)
		})
	}
	// The lean client writes a prepared request and reads the answer's
	// Content-Length bytes on one keep-alive connection, as load tools
	// like wrk do: the client's own cost hardly counts against the
	// server's. With gzip it asks for gzip and reads the compressed body.
	addr := ts.Listener.Addr().String()
	b.Run("lean", func(b *testing.B) { benchLean(b, addr, false, targets) })
	b.Run("lean-gzip", func(b *testing.B) { benchLean(b, addr, true, targets) })
	// tacheron serve logs every request (text, to stderr): the same
	// search with that access log written to /dev/null.
	devNull, err := os.OpenFile(os.DevNull, os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer devNull.Close()
	logged := serveAsServe(newTestServer(b, Options{Logger: slog.New(slog.NewTextHandler(devNull, nil))}))
	defer logged.Close()
	b.Run("lean-logged", func(b *testing.B) { benchLean(b, logged.Listener.Addr().String(), false, targets) })
	b.Run("lean-healthz", func(b *testing.B) { benchLean(b, addr, false, []string{"/healthz"}) })
	b.Run("http-healthz", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 1}}
		defer client.CloseIdleConnections()
		took := startLatencies()
		for b.Loop() {
			start := time.Now()
			fetch(b, client, ts.URL+"/healthz")
			took.add(start)
		}
		took.report(b)
	})
}

// serveAsServe serves h on 127.0.0.1 as tacheron serve serves it:
// through gate.ProblemListener, with gate.ConnContext.
func serveAsServe(h http.Handler) *httptest.Server {
	ts := httptest.NewUnstartedServer(h)
	ts.Listener = gate.ProblemListener(ts.Listener, 1<<20)
	ts.Config.ConnContext = gate.ConnContext
	ts.Start()
	return ts
}

// benchLean gets targets in turn from addr with a lean client.
func benchLean(b *testing.B, addr string, gzip bool, targets []string) {
	c := dialLean(b, addr, gzip)
	defer c.Close()
	took := startLatencies()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		c.get(b, targets[i%len(targets)])
		took.add(start)
	}
	took.report(b)
}

// fetch fetches url with client and reads the whole answer, failing b
// unless it is a 200.
func fetch(b *testing.B, client *http.Client, url string) {
	res, err := client.Get(url)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	if _, err := io.Copy(io.Discard, res.Body); err != nil {
		b.Fatal(err)
	}
	if res.StatusCode != http.StatusOK {
		b.Fatalf("%s: %d", url, res.StatusCode)
	}
}

// A leanClient is a minimal HTTP/1.1 client on one keep-alive
// connection: it writes a request prepared in a buffer and reads the
// status line, the header fields and Content-Length bytes of body.
type leanClient struct {
	net.Conn
	r      *bufio.Reader
	header string // the request's fields after the request line
	req    []byte
	body   []byte
}

// dialLean connects a leanClient to addr, asking for gzip when gzip is set.
func dialLean(b *testing.B, addr string, gzip bool) *leanClient {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		b.Fatal(err)
	}
	header := "Host: " + addr + "\r\n"
	if gzip {
		header += "Accept-Encoding: gzip\r\n"
	}
	return &leanClient{Conn: conn, r: bufio.NewReaderSize(conn, 64<<10), header: header + "\r\n"}
}

// get sends GET target and reads the whole answer, failing b unless it
// is a 200 with a Content-Length.
func (c *leanClient) get(b *testing.B, target string) {
	c.req = append(append(append(append(c.req[:0], "GET "...), target...), " HTTP/1.1\r\n"...), c.header...)
	if _, err := c.Write(c.req); err != nil {
		b.Fatal(err)
	}
	status, err := c.r.ReadSlice('\n')
	if err != nil {
		b.Fatal(err)
	}
	if !bytes.HasPrefix(status, []byte("HTTP/1.1 200 ")) {
		b.Fatalf("%s: %q", target, status)
	}
	length := -1
	for {
		line, err := c.r.ReadSlice('\n')
		if err != nil {
			b.Fatal(err)
		}
		if len(line) <= 2 {
			break
		}
		if name, value, ok := bytes.Cut(line, []byte(":")); ok && bytes.EqualFold(name, []byte("Content-Length")) {
			if length, err = strconv.Atoi(string(bytes.TrimSpace(value))); err != nil {
				b.Fatalf("%s: Content-Length %q", target, value)
			}
		}
	}
	if length < 0 {
		b.Fatalf("%s: no Content-Length", target)
	}
	c.body = slices.Grow(c.body[:0], length)[:length]
	if _, err := io.ReadFull(c.r, c.body); err != nil {
		b.Fatal(err)
	}
}

// latencies are the durations of a benchmark's operations, to report
// their median and 99th percentile beside the mean (ns/op), and the CPU
// time the process spent per operation (user and system, every thread:
// server and client alike, and the garbage collector), which a loaded
// machine disturbs less than wall time.
type latencies struct {
	took []time.Duration
	cpu  time.Duration // the process's CPU time when the benchmark started
}

// startLatencies starts measuring a benchmark's operations.
func startLatencies() *latencies { return &latencies{cpu: cpuTime()} }

func (l *latencies) add(start time.Time) { l.took = append(l.took, time.Since(start)) }

func (l *latencies) report(b *testing.B) {
	if len(l.took) == 0 {
		return
	}
	cpu := cpuTime() - l.cpu
	slices.Sort(l.took)
	b.ReportMetric(float64(l.took[len(l.took)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(l.took[len(l.took)*99/100].Nanoseconds()), "p99-ns")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(len(l.took)), "cpu-ns/op")
}

// cpuTime returns the CPU time the process has used, user and system.
func cpuTime() time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}
