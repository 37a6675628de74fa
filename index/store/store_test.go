package store

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
	"tacheron/index"
)

func bundledCorpus(t *testing.T) *corpus.Corpus {
	t.Helper()
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestStorePublishAndReload(t *testing.T) {
	dir := t.TempDir()
	store := Open(dir)
	if _, _, err := store.Current(); !errors.Is(err, index.ErrNoSnapshot) {
		t.Fatalf("empty store: %v", err)
	}
	live := NewLive(store)
	defer live.Close()
	if _, err := live.Search(context.Background(), index.Request{}); !errors.Is(err, index.ErrNoSnapshot) {
		t.Fatalf("search before any snapshot: %v", err)
	}
	for gen := uint64(1); gen <= 3; gen++ {
		st, err := store.Publish(context.Background(), bundledCorpus(t), PublishOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if st.Generation != gen {
			t.Fatalf("published generation %d, want %d", st.Generation, gen)
		}
		swapped, err := live.Reload()
		if err != nil || !swapped {
			t.Fatalf("reload: %v, %v", swapped, err)
		}
		res, err := live.Search(context.Background(), index.Request{Query: "captcha"})
		if err != nil || res.Total != 1 || res.Generation != gen {
			t.Fatalf("search on generation %d: %+v, %v", gen, res, err)
		}
	}
	if swapped, err := live.Reload(); err != nil || swapped {
		t.Errorf("reload without a new snapshot: %v, %v", swapped, err)
	}
	// Two snapshots are kept by default.
	gens, err := store.generations()
	if err != nil || len(gens) != 2 || gens[0] != 2 || gens[1] != 3 {
		t.Errorf("kept generations %v, %v", gens, err)
	}
}

func TestStoreLock(t *testing.T) {
	dir := t.TempDir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err := tryLockExclusive(filepath.Join(dir, lockFile))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = Open(dir).Publish(context.Background(), bundledCorpus(t), PublishOptions{})
	if !errors.Is(err, ErrLocked) {
		t.Errorf("publish while locked: %v", err)
	}
}

func TestFailedBuildKeepsCurrent(t *testing.T) {
	dir := t.TempDir()
	store := Open(dir)
	if _, err := store.Publish(context.Background(), bundledCorpus(t), PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	bad, err := corpus.Open(fstest.MapFS{"bad.jsonl": {Data: []byte("{\"title\":\"a\",\"date\":\"2020-01-01\"}\nnot json\n")}}, "bad")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Publish(context.Background(), bad, PublishOptions{}); err == nil {
		t.Fatal("publishing a malformed corpus succeeded")
	}
	gen, snapDir, err := store.Current()
	if err != nil || gen != 1 {
		t.Fatalf("current after a failed build: %d, %v", gen, err)
	}
	if _, err := index.Open(snapDir); err != nil {
		t.Errorf("current snapshot no longer opens: %v", err)
	}
	entries, _ := os.ReadDir(filepath.Join(dir, snapshotsDir))
	if len(entries) != 1 {
		t.Errorf("snapshots dir holds %d entries after a failed build, want 1", len(entries))
	}
}
