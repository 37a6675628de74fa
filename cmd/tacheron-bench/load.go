package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// A classResult is what one class of queries measured at one level of
// concurrency. Latencies and throughput count the successful requests
// only; transport errors and non-200 answers are counted apart.
type classResult struct {
	Class      string      `json:"class"`
	Clients    int         `json:"clients"`
	Example    string      `json:"example"`
	Requests   int         `json:"requests"` // successful
	Errors     int         `json:"errors"`   // transport errors, timeouts
	Non200     int         `json:"non_200"`
	Statuses   map[int]int `json:"statuses,omitempty"`
	FirstError string      `json:"first_error,omitempty"`
	Seconds    float64     `json:"seconds"`
	Throughput float64     `json:"throughput"` // successful requests per second
	Latency    latency     `json:"latency"`
	MeanHits   float64     `json:"mean_hits"` // mean total hits of the answers
	ZeroHits   int         `json:"zero_hits"` // answers with no hit
	// Check says what is wrong with the shape of the first answer, if
	// anything (no facets, no highlights): a fast wrong answer is no result.
	Check string `json:"check,omitempty"`
}

// A request is one unit of work of a load: it returns the total hits, or
// an error. status is the HTTP status (0 in process).
type request func(ctx context.Context, i int) (hits int, status int, err error)

// measure runs clients workers that call do for dur, each taking requests
// i = worker, worker+clients, … of the class's fixed sequence.
func measure(ctx context.Context, class string, example string, clients int, dur time.Duration, do request) classResult {
	res := classResult{Class: class, Clients: clients, Example: example, Statuses: make(map[int]int)}
	var mu sync.Mutex
	var lat []time.Duration
	var hits int64
	var wg sync.WaitGroup
	start := time.Now()
	deadline := start.Add(dur)
	for w := range clients {
		wg.Go(func() {
			var mine []time.Duration
			var myHits int64
			errs, non200, zero := 0, 0, 0
			statuses := make(map[int]int)
			firstErr := ""
			for i := w; time.Now().Before(deadline) && ctx.Err() == nil; i += clients {
				t0 := time.Now()
				h, status, err := do(ctx, i)
				d := time.Since(t0)
				switch {
				case err != nil && status == 0:
					errs++
					if firstErr == "" {
						firstErr = err.Error()
					}
				case status != http.StatusOK && status != 0:
					non200++
					statuses[status]++
					if firstErr == "" && err != nil {
						firstErr = err.Error()
					}
				default:
					mine = append(mine, d)
					myHits += int64(h)
					if h == 0 {
						zero++
					}
				}
			}
			mu.Lock()
			defer mu.Unlock()
			lat = append(lat, mine...)
			hits += myHits
			res.Errors += errs
			res.Non200 += non200
			res.ZeroHits += zero
			for s, n := range statuses {
				res.Statuses[s] += n
			}
			if res.FirstError == "" {
				res.FirstError = firstErr
			}
		})
	}
	wg.Wait()
	res.Seconds = time.Since(start).Seconds()
	res.Requests = len(lat)
	res.Throughput = float64(len(lat)) / res.Seconds
	res.Latency = summarize(lat)
	if len(lat) > 0 {
		res.MeanHits = float64(hits) / float64(len(lat))
	}
	if len(res.Statuses) == 0 {
		res.Statuses = nil
	}
	return res
}

// loadOptions configure a load of a running server.
type loadOptions struct {
	URL      string
	Clients  []int
	Duration time.Duration // per class and level of concurrency
	Seed     uint64
	Docs     int
	Log      io.Writer // progress, one line per class and level
}

// newClient returns an HTTP client that keeps a connection per worker.
func newClient(clients int) *http.Client {
	return &http.Client{
		Timeout: 30 * time.Second,
		Transport: &http.Transport{
			Proxy:               nil,
			DialContext:         (&net.Dialer{Timeout: 5 * time.Second}).DialContext,
			MaxIdleConns:        4 * clients,
			MaxIdleConnsPerHost: 4 * clients,
			IdleConnTimeout:     90 * time.Second,
		},
	}
}

// get requests url and reads the whole answer; hits is the answer's
// "total" when it has one.
func get(ctx context.Context, client *http.Client, url string) (hits, status int, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return 0, 0, fmt.Errorf("reading the answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		return 0, resp.StatusCode, fmt.Errorf("%s: %s: %.200s", url, resp.Status, body)
	}
	return totalOf(body), resp.StatusCode, nil
}

// checkAnswer fetches a search and says what its answer lacks of the API
// contract: a total, hits, the five facets, highlights on hits.
func checkAnswer(ctx context.Context, client *http.Client, url string) string {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err.Error()
	}
	resp, err := client.Do(req)
	if err != nil {
		return err.Error()
	}
	defer resp.Body.Close()
	var answer struct {
		Total  *int                         `json:"total"`
		Hits   []map[string]json.RawMessage `json:"hits"`
		Facets map[string]json.RawMessage   `json:"facets"`
	}
	if resp.StatusCode != http.StatusOK {
		return "status " + resp.Status
	}
	if err := json.NewDecoder(resp.Body).Decode(&answer); err != nil {
		return "answer is not JSON: " + err.Error()
	}
	var missing []string
	if answer.Total == nil {
		missing = append(missing, "total")
	}
	for _, f := range strings.Split(searchFacets, ",") {
		if _, ok := answer.Facets[f]; !ok {
			missing = append(missing, "facets."+f)
		}
	}
	for _, h := range answer.Hits {
		if _, ok := h["highlights"]; !ok {
			missing = append(missing, "hits[].highlights")
			break
		}
	}
	if len(missing) > 0 {
		return "answer lacks " + strings.Join(missing, ", ")
	}
	return ""
}

// totalOf returns the top-level "total" of a search answer, or 0. The
// answer starts with its query fields, so the first "total" is the result's.
func totalOf(body []byte) int {
	i := bytes.Index(body, []byte(`"total":`))
	if i < 0 {
		return 0
	}
	rest := bytes.TrimLeft(body[i+len(`"total":`):], " ")
	j := 0
	for j < len(rest) && rest[j] >= '0' && rest[j] <= '9' {
		j++
	}
	n, _ := strconv.Atoi(string(rest[:j]))
	return n
}

// load runs the query mix and the HTTP floor against a server at each level
// of concurrency.
func load(ctx context.Context, opts loadOptions) ([]classResult, error) {
	g, err := newGenerator(opts.Seed)
	if err != nil {
		return nil, err
	}
	base := strings.TrimRight(opts.URL, "/")
	classes := append(queryMix(g, opts.Docs), queryClass{Name: classHealthz, Queries: []query{{}}})
	var out []classResult
	for _, clients := range opts.Clients {
		client := newClient(clients)
		for _, c := range classes {
			paths := make([]string, len(c.Queries))
			for i, q := range c.Queries {
				paths[i] = q.path()
			}
			example := c.Queries[0].describe()
			if c.Name == classHealthz {
				paths[0], example = "/healthz", "/healthz"
			}
			check := ""
			if c.Name != classHealthz {
				check = checkAnswer(ctx, client, base+paths[0])
			}
			// Warm up: every query once, unmeasured, for at most the
			// measuring time.
			warm := time.Now().Add(opts.Duration)
			for _, p := range paths {
				if _, _, err := get(ctx, client, base+p); errors.Is(err, context.Canceled) || time.Now().After(warm) {
					break
				}
			}
			if err := ctx.Err(); err != nil {
				return out, err
			}
			do := func(ctx context.Context, i int) (int, int, error) {
				return get(ctx, client, base+paths[i%len(paths)])
			}
			res := measure(ctx, c.Name, example, clients, opts.Duration, do)
			res.Check = check
			out = append(out, res)
			if opts.Log != nil {
				fmt.Fprintln(opts.Log, resultLine(res))
			}
		}
		client.CloseIdleConnections()
		if err := ctx.Err(); err != nil {
			return out, err
		}
	}
	return out, nil
}

// resultLine is the progress line of a class.
func resultLine(r classResult) string {
	line := fmt.Sprintf("  %-13s %d client(s): %6d ok  p50 %7.2f ms  p95 %7.2f ms  p99 %7.2f ms  %8.1f req/s  mean hits %.0f",
		r.Class, r.Clients, r.Requests, r.Latency.P50, r.Latency.P95, r.Latency.P99, r.Throughput, r.MeanHits)
	if r.Errors > 0 || r.Non200 > 0 {
		line += fmt.Sprintf("  ERRORS %d, non-200 %d %v: %s", r.Errors, r.Non200, r.Statuses, r.FirstError)
	}
	if r.Check != "" {
		line += "  CHECK: " + r.Check
	}
	return line
}

func runLoad(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("tacheron-bench load", flag.ContinueOnError)
	addr := fs.String("url", "http://127.0.0.1:8080", "`URL` of a running tacheron serve")
	clients := fs.String("clients", "1,4", "comma list of concurrent `clients`")
	dur := fs.Duration("duration", 5*time.Second, "measuring time per query class and level of concurrency")
	seed := fs.Uint64("seed", 1, "`seed` of the generated corpus the server holds")
	docs := fs.Int("docs", 10000, "`N` documents of the generated corpus (rare words are chosen for it)")
	corpusDir := fs.String("corpus", "", "generated corpus `DIR`: read --seed and --docs from it")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: tacheron-bench load --url URL [flags]\n\n"+
			"Runs the query mix (%s) then GET /healthz,\n"+
			"each for --duration at each level of --clients, and prints p50/p95/p99 and throughput.\n\n",
			strings.Join(classOrder()[:len(classOrder())-1], ", "))
		fs.PrintDefaults()
	}
	if err := parseFlags(fs, args, stderr); err != nil {
		return err
	}
	levels, err := parseClients(*clients)
	if err != nil || fs.NArg() > 0 {
		fs.Usage()
		return errUsage
	}
	if *corpusDir != "" {
		st, err := readGenStats(*corpusDir)
		if err != nil {
			return err
		}
		*seed, *docs = st.Seed, st.Docs
	}
	res, err := load(ctx, loadOptions{URL: *addr, Clients: levels, Duration: *dur, Seed: *seed, Docs: *docs, Log: stderr})
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(stdout, res)
	}
	for _, r := range res {
		fmt.Fprintln(stdout, resultLine(r))
	}
	return nil
}

// classOrder lists the classes in the order they run.
func classOrder() []string {
	return []string{classRare, classCommon, classTwo, classPhrase, classPrefix, classTypo,
		classEnglish, classFiltered, classEmpty, classHealthz}
}

// parseClients parses a comma list of positive numbers.
func parseClients(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("clients: %q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}
