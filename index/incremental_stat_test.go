package index

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"tacheron/corpus"
)

// TestIncrementalStatShortcut checks that an incremental build hashes only
// the files whose size, modification time or inode changed since the
// previous snapshot, or that were modified too close to it to trust their
// modification time: a file rewritten in place with the same size and its
// modification time put back is read again when it is racy, and files left
// alone are not hashed.
func TestIncrementalStatShortcut(t *testing.T) {
	sc := newSynthCorpus(t, 6, 3, 7)
	old := time.Now().Add(-time.Hour)
	for _, f := range sc.files(t) {
		if err := os.Chtimes(filepath.Join(sc.dir, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	root := t.TempDir()
	prev := ""
	build := func(name string) *IncrementalStats {
		t.Helper()
		c, err := corpus.OpenDir(sc.dir)
		if err != nil {
			t.Fatal(err)
		}
		dir := filepath.Join(root, name)
		st, err := Build(context.Background(), c, dir, BuildOptions{Previous: prev})
		if err != nil {
			t.Fatalf("build %s: %v", name, err)
		}
		prev = dir
		if st.Incremental == nil {
			return nil
		}
		return st.Incremental
	}
	count := func(word string) int {
		t.Helper()
		snap, err := Open(prev)
		if err != nil {
			t.Fatal(err)
		}
		defer snap.Close()
		res, err := snap.Search(context.Background(), Request{Query: word, Limit: 10})
		if err != nil {
			t.Fatal(err)
		}
		return res.Total
	}
	build("1")

	if inc := build("2"); inc == nil || inc.FilesHashed != 0 || inc.FilesRead != 0 || inc.FilesReused != 6 {
		t.Errorf("untouched corpus: %+v, want no file hashed nor read, 6 reused", inc)
	}

	// A file written just before a build, and so racy, is rewritten in
	// place with the same size, its modification time put back: stat
	// sees no change, the build must hash and read it anyway. Its time is
	// set a minute ahead so that it stays within the racy window however
	// slowly the builds run.
	racy := filepath.Join(sc.dir, "f0003.jsonl")
	stamp := time.Now().Add(time.Minute)
	write := func(word string) {
		t.Helper()
		line := `{"title":"` + word + `","date":"2020-01-10","source":"blog","paragraphs":[{"text":"` + word + `","lang":"fr"}]}` + "\n"
		if err := os.WriteFile(racy, []byte(line), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(racy, stamp, stamp); err != nil {
			t.Fatal(err)
		}
	}
	write("zythum")
	if inc := build("3"); inc == nil || inc.FilesHashed != 1 || inc.FilesRead != 1 {
		t.Errorf("one file changed: %+v, want 1 file hashed and read", inc)
	}
	before, err := os.Stat(racy)
	if err != nil {
		t.Fatal(err)
	}
	write("quokka")
	after, err := os.Stat(racy)
	if err != nil {
		t.Fatal(err)
	}
	if before.Size() != after.Size() || !before.ModTime().Equal(after.ModTime()) || !os.SameFile(before, after) {
		t.Fatalf("the rewrite changed the file's stat: %v %v, %v %v", before.Size(), before.ModTime(), after.Size(), after.ModTime())
	}
	if inc := build("4"); inc == nil || inc.FilesHashed != 1 || inc.FilesRead != 1 {
		t.Errorf("racy file rewritten with the same stat: %+v, want it alone hashed and read", inc)
	}
	if n, m := count("quokka"), count("zythum"); n != 1 || m != 0 {
		t.Errorf("after the racy rewrite: quokka in %d documents, zythum in %d; want 1 and 0", n, m)
	}

	// Once old enough, the file is trusted again.
	for _, f := range sc.files(t) {
		if err := os.Chtimes(filepath.Join(sc.dir, f), old, old); err != nil {
			t.Fatal(err)
		}
	}
	build("5") // the changed times are hashed once
	if inc := build("6"); inc == nil || inc.FilesHashed != 0 || inc.FilesRead != 0 {
		t.Errorf("no file changed since: %+v, want none hashed nor read", inc)
	}
}
