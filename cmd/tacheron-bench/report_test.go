package main

import (
	"strings"
	"testing"
)

// section returns the marked block of a size with body.
func section(size, body string) string {
	open, closing := sectionMarkers(size)
	return open + "\n" + body + "\n" + closing + "\n"
}

func TestReplaceSection(t *testing.T) {
	head := "# Benchmarks\n"
	tests := []struct {
		name string
		text string
		size string
		body string
		want string
	}{
		{"first section", head, "10k", "A", head + "\n" + section("10k", "A")},
		{"replace", head + "\n" + section("10k", "A"), "10k", "B", head + "\n" + section("10k", "B")},
		{"replace, keep others", head + "\n" + section("10k", "A") + "\n" + section("100k", "C"), "10k", "B",
			head + "\n" + section("10k", "B") + "\n" + section("100k", "C")},
		{"insert before a larger size", head + "\n" + section("1m", "M"), "100k", "C",
			head + "\n" + section("100k", "C") + "\n" + section("1m", "M")},
		{"append after a smaller size", head + "\n" + section("10k", "A"), "1m", "M",
			head + "\n" + section("10k", "A") + "\n" + section("1m", "M")},
		{"replace the middle one", head + "\n" + section("10k", "A") + "\n" + section("100k", "C") + "\n" + section("1m", "M"), "100k", "D",
			head + "\n" + section("10k", "A") + "\n" + section("100k", "D") + "\n" + section("1m", "M")},
	}
	for _, tt := range tests {
		got := replaceSection(tt.text, tt.size, tt.body)
		if got != tt.want {
			t.Errorf("%s: replaceSection(%q, %s, %q) =\n%s\nwant\n%s", tt.name, tt.text, tt.size, tt.body, got, tt.want)
		}
		// Idempotent: a second run leaves one section.
		again := replaceSection(got, tt.size, tt.body)
		if again != got {
			t.Errorf("%s: replacing twice =\n%s\nwant\n%s", tt.name, again, got)
		}
		if open, _ := sectionMarkers(tt.size); strings.Count(got, open) != 1 {
			t.Errorf("%s: %d sections of %s, want 1", tt.name, strings.Count(got, open), tt.size)
		}
	}
}

func TestRenderSectionWithoutServe(t *testing.T) {
	rep := &benchReport{Size: "10k", Seed: 1, Clients: []int{1, 4}, Duration: 3, StockSkipped: true}
	rep.Corpus = genStats{Docs: 10000, Paragraphs: 10, TextBytes: 1e6}
	rep.Serve.Error = "tacheron serve exited before it was ready: exit status 1"
	got := renderSection(rep)
	for _, want := range []string{"## 10,000 documents", "Not measured: the serve step failed", "exit status 1", "Not run (`--stock=false`)"} {
		if !strings.Contains(got, want) {
			t.Errorf("renderSection(serve failed) lacks %q:\n%s", want, got)
		}
	}
}

func TestRenderSection(t *testing.T) {
	rep := &benchReport{Size: "100k", Seed: 1, Clients: []int{1, 4}, Duration: 5}
	rep.Corpus = genStats{Docs: 100000, Paragraphs: 10, TextBytes: 100e6, Lexemes: map[string]int{"fr": 1, "en": 2}}
	rep.Index.Seconds, rep.Index.DocsPerSec, rep.Index.Bytes = 100, 1000, 150e6
	rep.Stock = &stockResult{Docs: 100000, IndexSeconds: 400, DocsPerSec: 250, IndexBytes: 500e6}
	for _, n := range rep.Clients {
		for _, c := range classOrder() {
			rep.Load = append(rep.Load, classResult{Class: c, Clients: n, Example: "q=x", Requests: 1000, Seconds: 1, Throughput: 1000,
				Latency: latency{P50: 2, P95: 10, P99: 20}})
			if c != classHealthz {
				rep.Stock.Classes = append(rep.Stock.Classes, classResult{Class: c, Clients: n, Example: "x", Requests: 50, Seconds: 1, Throughput: 50})
			}
		}
	}
	rep.Load[1].Non200, rep.Load[1].Statuses, rep.Load[1].FirstError = 3, map[int]int{504: 3}, "504 Gateway Timeout"
	got := renderSection(rep)
	for _, want := range []string{
		"## 100,000 documents",
		"| tacheron / stock | 0.25× the time | | **4.00×** the speed | 0.30× the size |",
		"| common word | `q=x` | 2.00 | 10.0 | 20.0 | 1000 | 2.00 | 10.0 | 20.0 | 1000 | 0 | 0 | **3** |",
		"| HTTP floor: /healthz |",
		"| **fixed mix** (one request of each class) | **20.0×** | **20.0×** |",
		"common word at 1: 0 errors, 3 non-200 map[504:3]; first: 504 Gateway Timeout",
		"| p99 ≤ 30 ms at 1 client, every class | worst 20.0 ms",
		"| index ≤ 2× the raw text | 1.50× | yes |",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("renderSection lacks %q:\n%s", want, got)
		}
	}
}

func TestMixThroughput(t *testing.T) {
	res := func(class string, clients int, throughput float64) classResult {
		return classResult{Class: class, Clients: clients, Throughput: throughput}
	}
	tests := []struct {
		results []classResult
		clients int
		want    float64
	}{
		{nil, 1, 0},
		{[]classResult{res(classRare, 1, 100)}, 1, 100},
		// 10 ms + 40 ms for two requests: 40 per second.
		{[]classResult{res(classRare, 1, 100), res(classCommon, 1, 25)}, 1, 40},
		// The floor and other levels do not count.
		{[]classResult{res(classRare, 1, 100), res(classCommon, 1, 25), res(classHealthz, 1, 5000), res(classRare, 4, 1)}, 1, 40},
		// A class without answers: no mix.
		{[]classResult{res(classRare, 1, 100), res(classCommon, 1, 0)}, 1, 0},
	}
	for _, tt := range tests {
		if got := mixThroughput(tt.results, tt.clients); got != tt.want {
			t.Errorf("mixThroughput(%v, %d) = %g, want %g", tt.results, tt.clients, got, tt.want)
		}
	}
}
