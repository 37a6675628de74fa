package index

import (
	"context"
	"path/filepath"
	"testing"

	"tacheron/corpus"
)

// TestBoundedBuildAnswersAlike builds a corpus with a memory bound so small
// that every batch and every segment holds one document, and checks
// that it answers every request as a build with the default bound does,
// and that its stored statistics are the same.
func TestBoundedBuildAnswersAlike(t *testing.T) {
	sc := newSynthCorpus(t, 6, 20, 3)
	c, err := corpus.OpenDir(sc.dir)
	if err != nil {
		t.Fatal(err)
	}
	build := func(maxMemory int64) ([]string, *Stats, int) {
		dir := filepath.Join(t.TempDir(), "snap")
		batches := 0
		st, err := Build(context.Background(), c, dir, BuildOptions{MaxMemory: maxMemory, Progress: func(int) { batches++ }})
		if err != nil {
			t.Fatal(err)
		}
		snap, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Close()
		return answers(t, snap), st, batches
	}
	want, wantStats, wantBatches := build(0)
	got, gotStats, gotBatches := build(1 << 10)
	if gotBatches != gotStats.Documents || wantBatches >= gotBatches {
		t.Errorf("1 KiB: %d batches for %d documents; 2 GiB: %d batches", gotBatches, gotStats.Documents, wantBatches)
	}
	if gotStats.Documents != wantStats.Documents || gotStats.TextBytes != wantStats.TextBytes {
		t.Errorf("bounded build: %d documents, %d bytes; want %d, %d", gotStats.Documents, gotStats.TextBytes, wantStats.Documents, wantStats.TextBytes)
	}
	for field, n := range wantStats.FieldLength {
		if gotStats.FieldLength[field] != n {
			t.Errorf("bounded build: mean length of %s %v, want %v", field, gotStats.FieldLength[field], n)
		}
	}
	compareAnswers(t, "bounded build", got, want)
}

func TestSizing(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		opts                 BuildOptions
		shards               int
		batchBytes, batchMax int
		// segment: the documents of a segment whose first batch holds
		// docs documents of bytes bytes.
		docs, bytes, segment int
	}{
		// 2 GiB × 0.6 / (1 + 2×2 + 2×4×2 batches) / 40 bytes per byte.
		{name: "default", shards: 2, batchBytes: 1533916, batchMax: 12500, docs: 1000, bytes: 1533000, segment: 4002},
		// 1 + 2×2 + 2×4×4 batches.
		{name: "4 shards", shards: 4, batchBytes: 870601, batchMax: 12500, docs: 500, bytes: 870500, segment: 2000},
		{name: "256 MiB", opts: BuildOptions{MaxMemory: 256 << 20}, shards: 2, batchBytes: 191739, batchMax: 12500, docs: 100, bytes: 191739, segment: 400},
		{name: "batch size caps", opts: BuildOptions{BatchSize: 50}, shards: 2, batchBytes: 1533916, batchMax: 50, docs: 50, bytes: 5000, segment: 50},
		{name: "small documents", shards: 1, batchBytes: 2477865, batchMax: 12500, docs: 12500, bytes: 125000, segment: maxSegmentDocs},
		{name: "tiny bound", opts: BuildOptions{MaxMemory: 1024}, shards: 2, batchBytes: 1, batchMax: 12500, docs: 1, bytes: 300, segment: 1},
	} {
		s := newSizing(tc.opts, tc.shards)
		if s.batchBytes != tc.batchBytes || s.batchDocs != tc.batchMax {
			t.Errorf("%s: batches of %d bytes, %d documents; want %d, %d", tc.name, s.batchBytes, s.batchDocs, tc.batchBytes, tc.batchMax)
		}
		if got := s.segmentSize(tc.docs, tc.bytes); got != tc.segment {
			t.Errorf("%s: segments of %d documents, want %d", tc.name, got, tc.segment)
		}
	}
}
