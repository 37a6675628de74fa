package index

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"tacheron/corpus"
)

// TestCompactedMatchesFull changes a corpus round after round and builds
// it incrementally with compaction at a low share of deleted documents and
// small segments (so that shards have several, some with deleted
// documents, some without), until shards have been both compacted alone
// and merged together. The first snapshot that compacted shards alone and
// each one that merged shards must answer every request exactly as a full
// build of the same corpus does (totals, ranked ids and scores, facets,
// highlights, suggestions), and hold no deleted document in the shards it
// compacted.
func TestCompactedMatchesFull(t *testing.T) {
	sc := newSynthCorpus(t, 30, 3, 23)
	root := t.TempDir()
	opts := BuildOptions{BatchSize: 8, MaxMemory: 64 << 10, CompactShare: 0.05}
	build := func(name, previous string) (string, *Stats) {
		t.Helper()
		c, err := corpus.OpenDir(sc.dir)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, name)
		o := opts
		o.Previous = previous
		st, err := Build(context.Background(), c, dir, o)
		if err != nil {
			t.Fatalf("build %s: %v", name, err)
		}
		return dir, st
	}
	prev, _ := build("inc-0", "")
	compacted, merged := 0, 0
	for round := 1; round <= 12 && (compacted == 0 || merged == 0); round++ {
		sc.mutate(t, 1, 3)
		inc, ist := build(fmt.Sprintf("inc-%d", round), prev)
		prev = inc
		i := ist.Incremental
		if i == nil {
			t.Fatalf("round %d: full build (%s), want incremental", round, ist.FullReason)
		}
		t.Logf("round %d: %+v", round, *i)
		if i.CompactedShards > 0 && i.DocumentsDropped == 0 {
			t.Errorf("round %d: shards compacted, no deleted document dropped", round)
		}
		del, err := readDeleted(inc)
		if err != nil {
			t.Fatal(err)
		}
		deletedDocs := 0
		for _, d := range del {
			deletedDocs += len(d)
		}
		if got, want := deletedDocs, snapshotDocs(t, inc)-ist.Documents; got != want {
			t.Errorf("round %d: deleted.json lists %d documents, the shards hold %d more than the corpus", round, got, want)
		}
		if len(del) > i.SharedShards {
			t.Errorf("round %d: %d shards with deleted documents, only %d shared", round, len(del), i.SharedShards)
		}
		first := compacted == 0 && i.CompactedShards > 0
		compacted += i.CompactedShards
		merged += i.MergedShards
		if !first && i.MergedShards == 0 {
			continue // answers compared once a shard was compacted alone, and at every merge
		}
		full, _ := build(fmt.Sprintf("full-%d", round), "")
		isnap, err := Open(inc)
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		fsnap, err := Open(full)
		if err != nil {
			t.Fatal(err)
		}
		compareAnswers(t, fmt.Sprintf("round %d", round), answers(t, isnap), answers(t, fsnap))
		isnap.Close()
		fsnap.Close()
	}
	if compacted == 0 || merged == 0 {
		t.Errorf("%d shards compacted alone, %d merged: want both", compacted, merged)
	}
}

// snapshotDocs returns the documents the shards of the snapshot in dir
// hold, deleted ones included.
func snapshotDocs(t *testing.T, dir string) int {
	t.Helper()
	shards, err := openShards(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer closeShards(shards)
	n := 0
	for _, sh := range shards {
		n += int(sh.count)
	}
	return n
}

// TestFailedCompactionKeepsPrevious checks that an incremental build
// whose compaction fails (here: records of the previous snapshot that its
// document store cannot read) returns an error naming the
// compaction, and leaves the previous snapshot as it was: it opens and
// answers as before.
func TestFailedCompactionKeepsPrevious(t *testing.T) {
	sc := newSynthCorpus(t, 12, 3, 29)
	root := t.TempDir()
	c, err := corpus.OpenDir(sc.dir)
	if err != nil {
		t.Fatal(err)
	}
	prev := filepath.Join(root, "prev")
	if _, err := Build(context.Background(), c, prev, BuildOptions{BatchSize: 8}); err != nil {
		t.Fatal(err)
	}
	// Damage every record but those of the documents that hold a word:
	// their lengths run past the end of docs.dat. Searching that word
	// still answers.
	req := Request{Query: "revue", Limit: 100, Facets: FacetNames()}
	before := searchAnswer(t, prev, req)
	shown := map[string]bool{}
	for _, id := range before.ids {
		shown[id] = true
	}
	shards, err := openShards(prev)
	if err != nil {
		t.Fatal(err)
	}
	damaged := 0
	for i, sh := range shards {
		docs, err := sh.idOrder()
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Join(shardDir(prev, i), docsIndexFile)
		table, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		k := 0
		err = sh.forEachID(func(id string) {
			n := int(docs[k]) * idxEntrySize
			k++
			if !shown[id] {
				binary.LittleEndian.PutUint32(table[n+8:], binary.LittleEndian.Uint32(table[n+8:])+1<<20)
				damaged++
			}
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, table, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	closeShards(shards)
	if len(before.ids) == 0 || damaged < 10 {
		t.Fatalf("%d hits, %d records damaged", len(before.ids), damaged)
	}

	sc.mutate(t, 1, 3)
	if c, err = corpus.OpenDir(sc.dir); err != nil {
		t.Fatal(err)
	}
	next := filepath.Join(root, "next")
	_, err = Build(context.Background(), c, next, BuildOptions{BatchSize: 8, Previous: prev, CompactShare: 0.01})
	if err == nil || !errors.Is(err, ErrCorrupt) {
		t.Fatalf("build upon a damaged snapshot: %v, want a compaction error (ErrCorrupt)", err)
	}
	if got := searchAnswer(t, prev, req); got.text != before.text {
		t.Errorf("previous snapshot after the failed build:\n%s\nwas\n%s", got.text, before.text)
	}
}

// A searched is an answer: its ids, and rendered.
type searched struct {
	ids  []string
	text string
}

// searchAnswer opens the snapshot in dir and returns its answer to req.
func searchAnswer(t *testing.T, dir string, req Request) searched {
	t.Helper()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Search(context.Background(), req)
	if err != nil {
		t.Fatal(err)
	}
	out := searched{text: fmt.Sprint(res.Total, res.Facets)}
	for _, h := range res.Hits {
		out.ids = append(out.ids, h.ID)
		out.text += fmt.Sprintf("\n%s %v", h.ID, h.Score)
	}
	return out
}
