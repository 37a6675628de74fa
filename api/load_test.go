package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"tacheron/api/gate"
	"tacheron/api/meili"
	"tacheron/index"
)

var (
	loadClients  = flag.Int("load.clients", 32, "concurrent clients of TestLoad")
	loadDuration = flag.Duration("load.duration", 20*time.Second, "how long TestLoad runs")
)

// A loadRequest is one request of the load test's mix, and the status it
// must get; a request to an endpoint that reads the index may get a 503
// (overloaded or timeout) instead.
type loadRequest struct {
	method, target string
	header         http.Header
	body           string
	status         int
	limited        bool
	meili          bool // of the Meilisearch-compatible API, which has its own errors
}

// loadMix is what the load test's clients send, in turn: searches of
// every kind, the other endpoints, the Meilisearch-compatible API, and
// hostile requests.
func loadMix(docID string) []loadRequest {
	search := func(q string) loadRequest {
		return loadRequest{target: "/api/v1/search?" + q, status: 200, limited: true}
	}
	bad := func(target string, status int) loadRequest { return loadRequest{target: target, status: status} }
	var prefixes []string
	for _, r := range "abcdefghijklmnopqrstuvwxyzéèàôçû" {
		prefixes = append(prefixes, string(r)+"%2A")
	}
	return []loadRequest{
		search("q=travail"),
		search("q=captcha"),
		search("q=micro-travail&source=Le+Figaro&kind=press"),
		search("q=digital+labor&sort=-date&facets=source,date&date_interval=year"),
		search("q=ub%C3%A9"),
		search("q=plateforme&per_page=50"),
		search(""),
		search("q=%22travail+num%C3%A9rique%22+-uber&lang=fr&from=2015-01-01&to=2019-12-31"),
		search("q=travial+numerqiue+plateformz"),
		search("q=%2Ation"),
		search("q=/ub.%2A/"),
		search("q=title:x+(((+a?b"),
		search("q=" + strings.Join(prefixes, "+") + "&facet_size=500&per_page=100&page=100"),
		search("q=" + strings.Repeat("consommateurz+", 31) + "travailleuzs&per_page=100"),
		{target: "/api/v1/suggest?q=ub", status: 200, limited: true},
		{target: "/api/v1/suggest?q=micro&limit=20", status: 200, limited: true},
		{target: "/api/v1/documents/" + url.PathEscape(docID) + "?q=travail", status: 200, limited: true},
		{target: "/api/v1/documents/no-such-document", status: 404, limited: true},
		{target: "/api/v1/concepts?label_lang=en", status: 200, limited: true},
		{target: "/api/v1/sources", status: 200, limited: true},
		{target: "/meili/indexes/documents/search?q=travail&facets=*", status: 200, limited: true, meili: true},
		{method: http.MethodPost, target: "/meili/indexes/documents/search", body: `{"q": "*tion", "limit": 50, "filter": "lang = fr"}`, status: 200, limited: true, meili: true},
		{method: http.MethodPost, target: "/meili/multi-search", body: `{"queries": [{"indexUid": "documents", "q": "ub"}, {"indexUid": "documents", "q": "micro"}]}`, status: 200, limited: true, meili: true},
		{method: http.MethodPost, target: "/meili/indexes/documents/search", body: `{"q": `, status: 400, meili: true},
		{target: "/healthz", status: 200},
		{target: "/readyz", status: 200},
		{target: "/metrics", status: 200},
		{target: "/", status: 200},
		{target: "/static/app.js", status: 200},
		bad("/api/v1/search?q="+strings.Repeat("mot+", 33), 400),
		bad("/api/v1/search?q="+strings.Repeat("a", 600), 400),
		bad("/api/v1/search?page=101&per_page=100", 400),
		bad("/api/v1/search?per_page=1000000", 400),
		bad("/api/v1/search?q=%ff", 400),
		bad("/api/v1/search?q=a%00b", 400),
		bad("/api/v1/search?q=a%1Bb", 400),
		bad("/api/v1/search?q=%zz", 400),
		bad("/api/v1/documents/a%00b", 400),
		bad("/api/v1/search?q="+strings.Repeat("a", 64<<10), 414),
		{target: "/api/v1/search?q=a", header: http.Header{"X-Flood": slices.Repeat([]string{strings.Repeat("f", 100)}, 400)}, status: 431},
		{method: http.MethodPost, target: "/api/v1/search", body: strings.Repeat("c", 100<<10), status: 413},
		bad("/static/..%2F..%2Fgo.mod", 404),
		bad("/nope", 404),
		{method: http.MethodDelete, target: "/healthz", status: 405},
	}
}

// logScanner counts the lines of a log and keeps those that tell of
// trouble: warnings, errors, panics.
type logScanner struct {
	mu    sync.Mutex
	lines int
	bad   []string
}

func (w *logScanner) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sc := bufio.NewScanner(bytes.NewReader(p))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		w.lines++
		line := sc.Text()
		if (strings.Contains(line, "level=WARN") || strings.Contains(line, "level=ERROR") || strings.Contains(line, "panic")) && len(w.bad) < 20 {
			w.bad = append(w.bad, line)
		}
	}
	return len(p), nil
}

// loadRounds is the number of rounds of TestLoad; roundSlack is how much
// the heap may differ from one round to another (what the rounds leave
// behind must not grow, whatever the caches hold).
const (
	loadRounds = 3
	roundSlack = 8 << 20
)

// heapAlloc returns the bytes of live heap objects after a collection.
func heapAlloc() uint64 {
	runtime.GC()
	runtime.GC() // the second empties the sync.Pools the first moved aside
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestLoad runs 32 clients for 20 s against the real handler over the
// bundled corpus (or $TACHERON_TEST_INDEX) on 127.0.0.1, with a mix of ordinary and hostile
// requests. It checks what must hold under load, not how fast: every
// request is answered; no 5xx but the documented 503s (overloaded or
// timeout, with Retry-After), and those only from endpoints that read the
// index; no warning, error or panic in the log; goroutines back to where
// they were after each of three rounds and once the server is closed; the
// heap no bigger after the third round than after the first (the caches,
// warm after the first, are not counted against the server).
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("the load test runs for 20 s")
	}
	searcher := hostileSearcher(t)
	newest, err := searcher.Search(context.Background(), index.Request{Limit: 1})
	if err != nil || len(newest.Hits) == 0 {
		t.Fatalf("the newest document: %v", err)
	}
	mix := loadMix(newest.Hits[0].ID)
	loadSpec(t)
	baseGoroutines := runtime.NumGoroutine()

	logs := &logScanner{}
	logger := slog.New(slog.NewTextHandler(logs, nil))
	srv := startServer(t, newTestServer(t, Options{Searcher: searcher, Logger: logger, MeiliPrefix: DefaultMeiliPrefix}), logger)
	transport := &http.Transport{MaxIdleConnsPerHost: *loadClients, DisableCompression: true}
	client := &http.Client{Transport: transport, Timeout: answerTimeout}

	var (
		mu       sync.Mutex
		byStatus = map[int]int{}
		by503    = map[string]int{}
		checked  = map[string]bool{} // target and status, validated once
		failures []string
		total    atomic.Int64
	)
	fail := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(failures) < 20 {
			failures = append(failures, fmt.Sprintf(format, args...))
		}
	}
	round := func(stop time.Time) {
		var wg sync.WaitGroup
		for c := range *loadClients {
			wg.Go(func() {
				for i := c; time.Now().Before(stop); i++ {
					lr := mix[i%len(mix)]
					method := lr.method
					if method == "" {
						method = http.MethodGet
					}
					req, err := http.NewRequest(method, srv.URL+lr.target, strings.NewReader(lr.body))
					if err != nil {
						fail("%s: %v", lr.target, err)
						return
					}
					if lr.body == "" {
						req.Body, req.ContentLength = http.NoBody, 0
					} else {
						req.Header.Set("Content-Type", "application/json")
					}
					maps.Copy(req.Header, lr.header)
					res, err := client.Do(req)
					if err != nil {
						fail("%s %.80s: no answer: %v", method, lr.target, err)
						continue
					}
					body, err := io.ReadAll(res.Body)
					res.Body.Close()
					if err != nil {
						fail("%s %.80s: reading the answer: %v", method, lr.target, err)
						continue
					}
					total.Add(1)
					var problemType string
					if res.StatusCode == http.StatusServiceUnavailable {
						var p gate.Problem
						json.Unmarshal(body, &p)
						problemType = p.Type
						if lr.meili {
							var e meili.Error
							json.Unmarshal(body, &e)
							problemType = "meili:" + e.Code
							p.Type = map[string]string{"too_many_search_requests": gate.ProblemOverloaded, "search_timeout": gate.ProblemTimeout}[e.Code]
						}
						if !lr.limited || (p.Type != gate.ProblemOverloaded && p.Type != gate.ProblemTimeout) || res.Header.Get("Retry-After") == "" {
							fail("%s %.80s = 503 %s, Retry-After %q", method, lr.target, body, res.Header.Get("Retry-After"))
						}
					} else if res.StatusCode != lr.status {
						fail("%s %.80s = %d, want %d\n%s", method, lr.target, res.StatusCode, lr.status, shortBody(body))
					}
					key := fmt.Sprint(method, lr.target, res.StatusCode)
					mu.Lock()
					byStatus[res.StatusCode]++
					if problemType != "" {
						by503[problemType]++
					}
					first := !checked[key]
					checked[key] = true
					mu.Unlock()
					if first {
						check := checkResponse
						if lr.meili {
							check = checkMeiliResponse
						}
						req.Body = io.NopCloser(strings.NewReader(lr.body))
						if err := check(t, req, &response{Status: res.StatusCode, Header: res.Header, Body: body}); err != nil {
							fail("%s %.80s → %d: %v", method, lr.target, res.StatusCode, err)
						}
					}
				}
			})
		}
		wg.Wait()
	}
	// The load runs in rounds of the same mix: once the first has warmed
	// the caches, the heap must not grow from one round to the next.
	// Searches abandoned at their deadline end on their own: after each
	// round, wait for the goroutines to go back to where they were.
	settle := func(goroutines int) int {
		transport.CloseIdleConnections()
		deadline := time.Now().Add(30 * time.Second)
		for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
			time.Sleep(100 * time.Millisecond)
		}
		return runtime.NumGoroutine()
	}
	serving := runtime.NumGoroutine()
	var heaps []uint64
	for r := range loadRounds {
		round(time.Now().Add(*loadDuration / loadRounds))
		if g := settle(serving); g > serving {
			t.Errorf("30s after round %d: %d goroutines, %d before", r+1, g, serving)
		}
		heaps = append(heaps, heapAlloc())
	}
	kib := make([]uint64, len(heaps))
	for i, h := range heaps {
		kib[i] = h >> 10
	}
	t.Logf("heap after each round: %v KiB", kib)
	if last := heaps[len(heaps)-1]; last > heaps[0]+roundSlack {
		t.Errorf("the heap grew from %d KiB after round 1 to %d KiB after round %d (%d KiB allowed)",
			heaps[0]>>10, last>>10, len(heaps), roundSlack>>10)
	}
	statuses := slices.Sorted(maps.Keys(byStatus))
	var summary []string
	for _, st := range statuses {
		summary = append(summary, fmt.Sprintf("%d: %d", st, byStatus[st]))
	}
	t.Logf("%d clients, %v: %d requests (%.0f/s); by status {%s}; 503s by problem %v; %d log lines",
		*loadClients, *loadDuration, total.Load(), float64(total.Load())/loadDuration.Seconds(), strings.Join(summary, ", "), by503, logs.lines)
	for _, f := range failures {
		t.Error(f)
	}
	for st := range byStatus {
		if st >= 500 && st != http.StatusServiceUnavailable {
			t.Errorf("%d answers %d", byStatus[st], st)
		}
	}
	if byStatus[http.StatusOK] == 0 {
		t.Error("no request succeeded")
	}

	transport.CloseIdleConnections()
	srv.Close()
	logs.mu.Lock()
	for _, line := range logs.bad {
		t.Errorf("log: %s", line)
	}
	logs.mu.Unlock()

	// The server closed, the goroutines go back to where they were.
	if g := settle(baseGoroutines); g > baseGoroutines {
		t.Errorf("30s after the load: %d goroutines (%d before)", g, baseGoroutines)
		buf := make([]byte, 1<<20)
		t.Logf("goroutines:\n%s", buf[:runtime.Stack(buf, true)])
	}
}
