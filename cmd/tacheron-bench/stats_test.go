package main

import (
	"testing"
	"time"
)

// series returns 1ms, 2ms, … n ms.
func series(n int) []time.Duration {
	s := make([]time.Duration, n)
	for i := range s {
		s[i] = time.Duration(i+1) * time.Millisecond
	}
	return s
}

func TestPercentile(t *testing.T) {
	tests := []struct {
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{nil, 50, 0},
		{series(1), 50, time.Millisecond},
		{series(1), 99, time.Millisecond},
		{series(2), 50, 1 * time.Millisecond},
		{series(2), 51, 2 * time.Millisecond},
		{series(10), 50, 5 * time.Millisecond},
		{series(10), 95, 10 * time.Millisecond},
		{series(10), 99, 10 * time.Millisecond},
		{series(100), 50, 50 * time.Millisecond},
		{series(100), 95, 95 * time.Millisecond},
		{series(100), 99, 99 * time.Millisecond},
		{series(100), 100, 100 * time.Millisecond},
		{series(1000), 99, 990 * time.Millisecond},
		{series(1000), 0.01, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		if got := percentile(tt.sorted, tt.p); got != tt.want {
			t.Errorf("percentile(%d values, %g) = %v, want %v", len(tt.sorted), tt.p, got, tt.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	ms := time.Millisecond
	tests := []struct {
		lat  []time.Duration
		want latency
	}{
		{nil, latency{}},
		{[]time.Duration{3 * ms}, latency{P50: 3, P95: 3, P99: 3, Mean: 3, Max: 3}},
		// Unsorted input; summarize sorts a copy.
		{[]time.Duration{4 * ms, 1 * ms, 3 * ms, 2 * ms}, latency{P50: 2, P95: 4, P99: 4, Mean: 2.5, Max: 4}},
		{series(100), latency{P50: 50, P95: 95, P99: 99, Mean: 50.5, Max: 100}},
	}
	for _, tt := range tests {
		in := append([]time.Duration(nil), tt.lat...)
		if got := summarize(tt.lat); got != tt.want {
			t.Errorf("summarize(%v) = %+v, want %+v", in, got, tt.want)
		}
		for i := range in {
			if in[i] != tt.lat[i] {
				t.Errorf("summarize(%v) changed its argument to %v", in, tt.lat)
				break
			}
		}
	}
}

func TestTotalOf(t *testing.T) {
	tests := []struct {
		body string
		want int
	}{
		{`{"query":"x","total": 42,"hits":[]}`, 42},
		{`{"query":"x","total":0}`, 0},
		{`{"status":"ok"}`, 0},
		{`{"total":1234567,"facets":{"total":3}}`, 1234567},
	}
	for _, tt := range tests {
		if got := totalOf([]byte(tt.body)); got != tt.want {
			t.Errorf("totalOf(%#q) = %d, want %d", tt.body, got, tt.want)
		}
	}
}
