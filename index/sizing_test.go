package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/corpus"
)

// TestBoundedBuildAnswersAlike builds a corpus with a memory bound so small
// that every batch and every segment holds one document, and with one
// whose shards' segments are each merged from several, and checks that
// they answer every request as a build with the default bound does (one
// segment per shard), and that their stored statistics are the same.
func TestBoundedBuildAnswersAlike(t *testing.T) {
	sc := newSynthCorpus(t, 6, 20, 3)
	c, err := corpus.OpenDir(sc.dir)
	if err != nil {
		t.Fatal(err)
	}
	build := func(maxMemory int64) ([]string, *Stats, int, []int) {
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
		return answers(t, snap), st, batches, segmentsPerShard(t, dir)
	}
	want, wantStats, wantBatches, wantSegments := build(0)
	for i, n := range wantSegments {
		if n != 1 {
			t.Errorf("2 GiB: shard %d has %d segments, want 1", i, n)
		}
	}
	for _, bound := range []int64{1 << 10, 96 << 10} {
		got, gotStats, gotBatches, segments := build(bound)
		name := fmt.Sprintf("%d bytes", bound)
		t.Logf("%s: segments per shard %v, %d batches", name, segments, gotBatches)
		all := 0
		for _, n := range segments {
			all += n
		}
		switch {
		case bound == 1<<10 && (gotBatches != gotStats.Documents || wantBatches >= gotBatches):
			t.Errorf("%s: %d batches for %d documents; 2 GiB: %d batches", name, gotBatches, gotStats.Documents, wantBatches)
		case bound == 1<<10 && all != gotStats.Documents:
			t.Errorf("%s: %d segments for %d documents", name, all, gotStats.Documents)
		case bound != 1<<10 && (all <= len(segments) || all >= gotBatches):
			// Several segments per shard, each merged from several.
			t.Errorf("%s: segments per shard %v for %d batches", name, segments, gotBatches)
		}
		if gotStats.Documents != wantStats.Documents || gotStats.TextBytes != wantStats.TextBytes {
			t.Errorf("%s: %d documents, %d bytes; want %d, %d", name, gotStats.Documents, gotStats.TextBytes, wantStats.Documents, wantStats.TextBytes)
		}
		for field, n := range wantStats.FieldLength {
			if gotStats.FieldLength[field] != n {
				t.Errorf("%s: mean length of %s %v, want %v", name, field, gotStats.FieldLength[field], n)
			}
		}
		compareAnswers(t, name, got, want)
	}
}

// segmentsPerShard counts the segment files of each shard of snapshot dir.
func segmentsPerShard(t *testing.T, dir string) []int {
	t.Helper()
	var counts []int
	for i := 0; ; i++ {
		entries, err := os.ReadDir(filepath.Join(shardDir(dir, i), "store"))
		if os.IsNotExist(err) {
			return counts
		}
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if strings.HasSuffix(e.Name(), ".zap") {
				n++
			}
		}
		counts = append(counts, n)
	}
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
		// merge: the bytes of segments a merge reads.
		merge int64
	}{
		// 2 GiB × 0.45 / (1 + 2×2 + 2×4×2 batches) / 40 bytes per byte;
		// merges of 2 GiB × 0.2 / 2 shards.
		{name: "default", shards: 2, batchBytes: 1150437, batchMax: 12500, docs: 1000, bytes: 1533000, segment: 3001, merge: 214748364},
		// 1 + 2×2 + 2×4×4 batches.
		{name: "4 shards", shards: 4, batchBytes: 652951, batchMax: 12500, docs: 500, bytes: 870500, segment: 1500, merge: 107374182},
		{name: "256 MiB", opts: BuildOptions{MaxMemory: 256 << 20}, shards: 2, batchBytes: 143804, batchMax: 12500, docs: 100, bytes: 191739, segment: 300, merge: 26843545},
		{name: "batch size caps", opts: BuildOptions{BatchSize: 50}, shards: 2, batchBytes: 1150437, batchMax: 50, docs: 50, bytes: 5000, segment: 50, merge: 214748364},
		{name: "small documents", shards: 1, batchBytes: 1858399, batchMax: 12500, docs: 12500, bytes: 125000, segment: maxSegmentDocs, merge: 429496729},
		{name: "tiny bound", opts: BuildOptions{MaxMemory: 1024}, shards: 2, batchBytes: 1, batchMax: 12500, docs: 1, bytes: 300, segment: 1, merge: 102},
	} {
		s := newSizing(tc.opts, tc.shards)
		if s.batchBytes != tc.batchBytes || s.batchDocs != tc.batchMax {
			t.Errorf("%s: batches of %d bytes, %d documents; want %d, %d", tc.name, s.batchBytes, s.batchDocs, tc.batchBytes, tc.batchMax)
		}
		if got := s.segmentSize(tc.docs, tc.bytes); got != tc.segment {
			t.Errorf("%s: segments of %d documents, want %d", tc.name, got, tc.segment)
		}
		if s.mergeBytes != tc.merge {
			t.Errorf("%s: merges of %d bytes, want %d", tc.name, s.mergeBytes, tc.merge)
		}
	}
}
