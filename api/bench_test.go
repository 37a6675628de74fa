package api

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"testing"
	"time"
)

// benchQueries are the queries of BenchmarkSearch, in turn: words,
// compounds, phrases, a prefix, a typo, and the empty query.
var benchQueries = []string{"ubérisation", "micro-travail", "travail digital", "Mechanical Turk", "smyrn", "automatisaton", "captcha", "plateformes", ""}

// BenchmarkSearch runs full searches (the default facets, highlights, 10
// hits) on the bundled corpus: on the index, through the handler in
// process, and over HTTP on 127.0.0.1 with a keep-alive client, with and
// without gzip; and the HTTP floor, /healthz over the same client, to
// compare a full search with.
func BenchmarkSearch(b *testing.B) {
	targets := make([]string, len(benchQueries))
	for i, q := range benchQueries {
		targets[i] = "/api/v1/search?q=" + url.QueryEscape(q)
	}
	s := newTestServer(b, Options{Logger: slog.New(slog.DiscardHandler)})

	b.Run("index", func(b *testing.B) {
		ctx := context.Background()
		var took latencies
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
		var took latencies
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

	ts := httptest.NewServer(s)
	defer ts.Close()
	for _, gzip := range []bool{false, true} {
		name := "http"
		if gzip {
			name = "http-gzip"
		}
		b.Run(name, func(b *testing.B) {
			client := &http.Client{Transport: &http.Transport{DisableCompression: !gzip, MaxIdleConnsPerHost: 1}}
			defer client.CloseIdleConnections()
			var took latencies
			for i := 0; b.Loop(); i++ {
				start := time.Now()
				fetch(b, client, ts.URL+targets[i%len(targets)])
				took.add(start)
			}
			took.report(b)
		})
	}
	b.Run("http-healthz", func(b *testing.B) {
		client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 1}}
		defer client.CloseIdleConnections()
		var took latencies
		for b.Loop() {
			start := time.Now()
			fetch(b, client, ts.URL+"/healthz")
			took.add(start)
		}
		took.report(b)
	})
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

// latencies are the durations of a benchmark's operations, to report
// their median and 99th percentile beside the mean (ns/op).
type latencies []time.Duration

func (l *latencies) add(start time.Time) { *l = append(*l, time.Since(start)) }

func (l latencies) report(b *testing.B) {
	if len(l) == 0 {
		return
	}
	slices.Sort(l)
	b.ReportMetric(float64(l[len(l)/2].Nanoseconds()), "p50-ns")
	b.ReportMetric(float64(l[len(l)*99/100].Nanoseconds()), "p99-ns")
}
