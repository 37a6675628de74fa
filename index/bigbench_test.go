package index

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/corpus"
)

// BenchmarkSearchSnapshot runs full searches (facets and highlights) over an
// existing snapshot, for profiling at scale:
//
//	TACHERON_BENCH_SNAPSHOT=data/bench/100k-s1/index/snapshots/000001 \
//	TACHERON_BENCH_QUERIES='travail|digital labor|micro-t' \
//	go test ./index -run '^$' -bench SearchSnapshot -cpuprofile cpu.out
func BenchmarkSearchSnapshot(b *testing.B) {
	dir := os.Getenv("TACHERON_BENCH_SNAPSHOT")
	if dir == "" {
		b.Skip("set TACHERON_BENCH_SNAPSHOT to a snapshot directory")
	}
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	queries := strings.Split(os.Getenv("TACHERON_BENCH_QUERIES"), "|")
	i := 0
	for b.Loop() {
		if _, err := s.Search(context.Background(), Request{Query: queries[i%len(queries)], Highlight: true, Facets: FacetNames()}); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkBuild builds a snapshot of a corpus directory, for profiling:
//
//	TACHERON_BENCH_CORPUS=data/bench/10k-s1/corpus go test ./index -run '^$' -bench Build -benchtime 1x -cpuprofile cpu.out
func BenchmarkBuild(b *testing.B) {
	dir := os.Getenv("TACHERON_BENCH_CORPUS")
	if dir == "" {
		b.Skip("set TACHERON_BENCH_CORPUS to a corpus directory")
	}
	c, err := corpus.OpenDir(dir)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		st, err := Build(context.Background(), c, filepath.Join(b.TempDir(), "snapshot"), BuildOptions{})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(float64(st.Documents)/st.Seconds, "docs/s")
	}
}

// BenchmarkOpenSnapshot opens an existing snapshot and closes it, for
// measuring what opening costs (an incremental snapshot with many deleted
// documents, with or without its deleted-terms files), in CPU time:
//
//	go test -c -o /tmp/index.test ./index
//	TACHERON_BENCH_SNAPSHOT=STORE/snapshots/000118 /usr/bin/time -v \
//	  /tmp/index.test -test.run '^$' -test.bench OpenSnapshot -test.benchtime 1x
func BenchmarkOpenSnapshot(b *testing.B) {
	dir := os.Getenv("TACHERON_BENCH_SNAPSHOT")
	if dir == "" {
		b.Skip("set TACHERON_BENCH_SNAPSHOT to a snapshot directory")
	}
	for b.Loop() {
		s, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		if err := s.Close(); err != nil {
			b.Fatal(err)
		}
	}
}
