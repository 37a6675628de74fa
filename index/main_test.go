package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"tacheron/corpus"
)

// shared holds the index of the bundled corpus that the tests search.
var shared struct {
	once sync.Once
	dir  string
	snap *Snapshot
	err  error
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.snap != nil {
		shared.snap.Close()
	}
	if shared.dir != "" {
		os.RemoveAll(shared.dir)
	}
	os.Exit(code)
}

// bundled returns a snapshot of the bundled corpus, built once.
func bundled(tb testing.TB) *Snapshot {
	tb.Helper()
	shared.once.Do(func() {
		c, err := corpus.Bundled()
		if err != nil {
			shared.err = err
			return
		}
		shared.dir, err = os.MkdirTemp("", "tacheron-index-test-")
		if err != nil {
			shared.err = err
			return
		}
		snap := filepath.Join(shared.dir, "snap")
		// Small batches: several segments and, on more than one core,
		// several shards, as a big corpus would have.
		if _, err := Build(context.Background(), c, snap, BuildOptions{BatchSize: 4}); err != nil {
			shared.err = fmt.Errorf("build: %w", err)
			return
		}
		shared.snap, shared.err = Open(snap)
	})
	if shared.err != nil {
		tb.Fatal(shared.err)
	}
	return shared.snap
}
