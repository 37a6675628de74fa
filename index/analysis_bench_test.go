package index

import (
	"context"
	"encoding/csv"
	"io"
	"os"
	"strings"
	"testing"
)

// The analyses at scale, over a snapshot of a synthetic corpus:
//
//	go run ./cmd/tacheron-bench gen --docs 10000 --out /tmp/c10k
//	tacheron index --corpus /tmp/c10k --index /tmp/i10k
//	TACHERON_BENCH_SNAPSHOT=/tmp/i10k/snapshots/000001 go test ./index -run '^$' -bench 'Trends|Cooccurrence|Concordance|Export' -count 5
//
// Without TACHERON_BENCH_SNAPSHOT they run on the bundled corpus.
func analysisSnapshot(b *testing.B) *Snapshot {
	b.Helper()
	dir := os.Getenv("TACHERON_BENCH_SNAPSHOT")
	if dir == "" {
		return bundled(b)
	}
	s, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

func BenchmarkTrends5Series(b *testing.B) {
	s := analysisSnapshot(b)
	req := TrendsRequest{Interval: IntervalMonth, Series: []Request{
		{Query: "travail "}, {Query: "plateformes "}, {Query: "ubérisation "},
		{Filters: Filters{Concepts: []string{"micro-travail"}}}, {Query: "syndicats grève "},
	}}
	for b.Loop() {
		if _, err := s.Trends(context.Background(), req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCooccurrence(b *testing.B) {
	s := analysisSnapshot(b)
	for b.Loop() {
		if _, err := s.Cooccurrence(context.Background(), CooccurrenceRequest{Search: Request{Query: "plateformes "}}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkConcordanceFirstPage(b *testing.B) {
	s := analysisSnapshot(b)
	for b.Loop() {
		if _, err := s.Concordance(context.Background(), ConcordanceRequest{Search: Request{Query: "travail "}, Limit: 50}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkExportCSV reports rows/s of an export of every document as CSV
// (the columns of api/export's, to io.Discard).
func BenchmarkExportCSV(b *testing.B) {
	s := analysisSnapshot(b)
	rows := 0
	w := csv.NewWriter(io.Discard)
	for b.Loop() {
		err := s.Export(context.Background(), Request{Sort: SortDateDesc}, 0, func(int, int) error { return nil }, func(r Record) error {
			rows++
			return w.Write([]string{r.ID, r.Title, strings.Join(r.Authors, "; "), r.Source, r.Kind, r.Date, r.Lang,
				strings.Join(r.Concepts, "; "), r.URL, r.Match, r.Abstract})
		})
		w.Flush()
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}
