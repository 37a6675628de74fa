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

// TestIncrementalMatchesFull changes a corpus of 100 files round after
// round (1% of the files added, 1% changed, 1% deleted, then more) and
// checks that each snapshot built incrementally upon the one before
// answers every request exactly as a full build of the same corpus does:
// totals, ranked ids and scores, facet counts, highlights, suggestions.
// Derived ids tie across files, so that removing a file renames the
// documents of later ones. Enough rounds pass for shards to be compacted and merged.
func TestIncrementalMatchesFull(t *testing.T) {
	sc := newSynthCorpus(t, 100, 3, 11)
	root := t.TempDir()
	build := func(name, previous string, full bool) (string, *Stats) {
		t.Helper()
		c, err := corpus.OpenDir(sc.dir)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, name)
		st, err := Build(context.Background(), c, dir, BuildOptions{BatchSize: 50, Previous: previous, Full: full})
		if err != nil {
			t.Fatalf("build %s: %v", name, err)
		}
		return dir, st
	}
	prev, _ := build("inc-0", "", false)
	for round := 1; round <= 8; round++ {
		changes := 1
		if round%4 == 3 {
			changes = 5
		}
		sc.mutate(t, changes, 3)
		inc, ist := build(fmt.Sprintf("inc-%d", round), prev, false)
		full, fst := build(fmt.Sprintf("full-%d", round), "", false)
		if ist.Incremental == nil {
			t.Fatalf("round %d: full build (%s), want incremental", round, ist.FullReason)
		}
		i := ist.Incremental
		if i.FilesRead == 0 || i.FilesRead >= i.FilesRead+i.FilesReused || i.DocumentsDeleted == 0 || i.SharedShards+i.CompactedShards+i.MergedShards == 0 {
			t.Errorf("round %d: incremental build read %d files, reused %d, deleted %d documents, shared %d shards, compacted %d, merged %d",
				round, i.FilesRead, i.FilesReused, i.DocumentsDeleted, i.SharedShards, i.CompactedShards, i.MergedShards)
		}
		if ist.Documents != fst.Documents || fmt.Sprint(ist.FieldLength) != fmt.Sprint(fst.FieldLength) ||
			fmt.Sprint(ist.ByKind, ist.ByLang, ist.Concepts, ist.TextBytes) != fmt.Sprint(fst.ByKind, fst.ByLang, fst.Concepts, fst.TextBytes) {
			t.Errorf("round %d: incremental stats %+v\nfull stats %+v", round, ist, fst)
		}
		t.Logf("round %d: %+v", round, *i)
		shards, err := shardDirs(inc)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("round %d: %d shards, %d documents", round, len(shards), ist.Documents)
		if len(shards) > maxParts {
			t.Errorf("round %d: %d shards, want at most %d", round, len(shards), maxParts)
		}
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
		if round == 1 && !sharesFiles(t, prev, inc) {
			t.Errorf("round %d: the incremental snapshot shares no file with the previous one", round)
		}
		prev = inc
	}
}

// sharesFiles reports whether a file of snapshot b is a hard link to one
// of snapshot a.
func sharesFiles(tb testing.TB, a, b string) bool {
	tb.Helper()
	shared := false
	err := filepath.WalkDir(b, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".zap") {
			return err
		}
		bi, err := os.Stat(path)
		if err != nil {
			return err
		}
		return filepath.WalkDir(a, func(p string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			if ai, err := os.Stat(p); err == nil && os.SameFile(ai, bi) {
				shared = true
			}
			return nil
		})
	})
	if err != nil {
		tb.Fatal(err)
	}
	return shared
}

// TestIncrementalFallsBackToFull checks that a build given a previous
// snapshot rebuilds everything, and says why, when asked to or when the
// taxonomy changed.
func TestIncrementalFallsBackToFull(t *testing.T) {
	sc := newSynthCorpus(t, 10, 3, 5)
	root := t.TempDir()
	c, err := corpus.OpenDir(sc.dir)
	if err != nil {
		t.Fatal(err)
	}
	first := filepath.Join(root, "1")
	if _, err := Build(context.Background(), c, first, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	st, err := Build(context.Background(), c, filepath.Join(root, "2"), BuildOptions{Previous: first})
	if err != nil {
		t.Fatal(err)
	}
	if st.Incremental == nil || st.Incremental.FilesRead != 0 || st.Incremental.FilesReused != 10 {
		t.Errorf("unchanged corpus: incremental %+v (%s), want 10 files reused, none read", st.Incremental, st.FullReason)
	}
	st, err = Build(context.Background(), c, filepath.Join(root, "3"), BuildOptions{Previous: first, Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if st.Incremental != nil || st.FullReason == "" {
		t.Errorf("Full: incremental %+v, reason %q", st.Incremental, st.FullReason)
	}
	data, err := os.ReadFile(filepath.Join("..", "corpus", "data", corpus.TaxonomyFile))
	if err != nil {
		t.Fatal(err)
	}
	data = []byte(strings.Replace(string(data), `"digital-labor"`, `"digital-labour"`, 1))
	if err := os.WriteFile(filepath.Join(sc.dir, corpus.TaxonomyFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	c, err = corpus.OpenDir(sc.dir)
	if err != nil {
		t.Fatal(err)
	}
	st, err = Build(context.Background(), c, filepath.Join(root, "4"), BuildOptions{Previous: first})
	if err != nil {
		t.Fatal(err)
	}
	if st.Incremental != nil || !strings.Contains(st.FullReason, "taxonomy") {
		t.Errorf("taxonomy changed: incremental %+v, reason %q", st.Incremental, st.FullReason)
	}
}
