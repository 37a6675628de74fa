package watch

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"tacheron/index"
	"tacheron/index/store"
)

// record is one JSON Lines document whose body holds word.
func record(id, word string) string {
	return fmt.Sprintf(`{"id":%q,"title":"Note %s","date":"2024-03-0%d","lang":"en","body":"A short note about platform work and %s, written for the watch tests."}`+"\n",
		id, id, 1+len(id)%9, word)
}

// writeFile writes a file of the corpus, creating its folders.
func writeFile(t *testing.T, dir, name, data string) {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}

// total counts the documents of the store's current snapshot that hold
// word.
func total(t *testing.T, st *store.Store, word string) int {
	t.Helper()
	_, dir, err := st.Current()
	if err != nil {
		t.Fatal(err)
	}
	snap, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer snap.Close()
	res, err := snap.Search(context.Background(), index.Request{Query: word, Limit: 10})
	if err != nil {
		t.Fatalf("search %q: %v", word, err)
	}
	return res.Total
}

// generation returns the store's current generation, 0 when none.
func generation(t *testing.T, st *store.Store) uint64 {
	t.Helper()
	gen, _, err := st.Current()
	if errors.Is(err, index.ErrNoSnapshot) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	return gen
}

// waitGeneration polls the store until its generation passes after, and
// returns it.
func waitGeneration(t *testing.T, st *store.Store, after uint64, what string) uint64 {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if gen := generation(t, st); gen > after {
			return gen
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Fatalf("%s: no generation after %d published within 60s", what, after)
	return 0
}

// running is a Watcher running in the background, and what it reported.
type running struct {
	st     *store.Store
	failed chan error
	stop   func()
}

// start runs a Watcher of dir into a new store until the test ends.
func start(t *testing.T, dir string, events bool) *running {
	t.Helper()
	r := &running{st: store.Open(t.TempDir()), failed: make(chan error, 16)}
	w, err := New(Options{
		Dir: dir, Store: r.st, Quiet: 50 * time.Millisecond, Rescan: -1,
		Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil)),
		Failed: func(err error) { r.failed <- err },
	})
	if err != nil {
		t.Fatal(err)
	}
	if !events {
		w.noEvents = true
		w.opts.Rescan = 100 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := w.Run(ctx); err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	r.stop = func() { cancel(); wg.Wait() }
	t.Cleanup(r.stop)
	return r
}

// testWriter sends the watcher's log to the test's.
type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

// TestWatchPublishesChanges adds a file in a new folder, changes a file
// and removes one, and checks that each change is published and searched,
// with file events and, separately, with the rescan alone.
func TestWatchPublishesChanges(t *testing.T) {
	for _, events := range []bool{true, false} {
		t.Run(fmt.Sprintf("events=%v", events), func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "a.jsonl", record("a1", "quuxone")+record("a2", "common"))
			r := start(t, dir, events)
			gen := waitGeneration(t, r.st, 0, "start")
			if n := total(t, r.st, "quuxone"); n != 1 {
				t.Fatalf("quuxone: %d documents, want 1", n)
			}

			writeFile(t, dir, "2026/03/b.jsonl", record("b1", "quuxtwo"))
			gen = waitGeneration(t, r.st, gen, "add")
			if n := total(t, r.st, "quuxtwo"); n != 1 {
				t.Errorf("after adding b.jsonl: quuxtwo: %d documents, want 1", n)
			}

			writeFile(t, dir, "a.jsonl", record("a1", "quuxthree")+record("a2", "common"))
			gen = waitGeneration(t, r.st, gen, "change")
			if n, m := total(t, r.st, "quuxone"), total(t, r.st, "quuxthree"); n != 0 || m != 1 {
				t.Errorf("after changing a.jsonl: quuxone %d, quuxthree %d documents, want 0 and 1", n, m)
			}

			if err := os.Remove(filepath.Join(dir, "2026/03/b.jsonl")); err != nil {
				t.Fatal(err)
			}
			waitGeneration(t, r.st, gen, "remove")
			if n, m := total(t, r.st, "quuxtwo"), total(t, r.st, "common"); n != 0 || m != 1 {
				t.Errorf("after removing b.jsonl: quuxtwo %d, common %d documents, want 0 and 1", n, m)
			}
			select {
			case err := <-r.failed:
				t.Errorf("a build failed: %v", err)
			default:
			}
		})
	}
}

// TestWatchBadFileKeepsSnapshot adds a file with a bad line: the build
// fails naming file and line, the previous snapshot stays current, and the
// watcher publishes once the file is fixed.
func TestWatchBadFileKeepsSnapshot(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.jsonl", record("a1", "quuxone"))
	r := start(t, dir, true)
	gen := waitGeneration(t, r.st, 0, "start")

	writeFile(t, dir, "bad.jsonl", record("b1", "quuxtwo")+"{\"title\": \"no date\"}\n")
	select {
	case err := <-r.failed:
		if !strings.Contains(err.Error(), "bad.jsonl:2") {
			t.Errorf("the build failed with %q, want it to name bad.jsonl:2", err)
		}
	case <-time.After(60 * time.Second):
		t.Fatal("no failed build reported within 60s")
	}
	if g := generation(t, r.st); g != gen {
		t.Errorf("after a failed build generation %d is current, want %d", g, gen)
	}
	if n := total(t, r.st, "quuxone"); n != 1 {
		t.Errorf("after a failed build: quuxone: %d documents, want 1", n)
	}

	writeFile(t, dir, "bad.jsonl", record("b1", "quuxtwo"))
	waitGeneration(t, r.st, gen, "fixed")
	if n := total(t, r.st, "quuxtwo"); n != 1 {
		t.Errorf("after fixing bad.jsonl: quuxtwo: %d documents, want 1", n)
	}
}

// TestWatchLeavesOutFilesInProgress drives the watcher's looks by hand:
// files named like downloads or saves in progress are never read (their
// content is not even valid), and a new file still growing between two
// looks is left out of the build until a look finds it unchanged.
func TestWatchLeavesOutFilesInProgress(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a.jsonl", record("a1", "quuxone"))
	for _, name := range []string{"c.jsonl.part", "d.jsonl.tmp", "e.jsonl.crdownload", "~f.jsonl", ".#g.jsonl", "~lock/h.jsonl"} {
		writeFile(t, dir, name, record("x1", "quuxpartial")+`{"title": "cut sh`)
	}
	st := store.Open(t.TempDir())
	w, err := New(Options{Dir: dir, Store: st, Logger: slog.New(slog.NewTextHandler(testWriter{t}, nil))})
	if err != nil {
		t.Fatal(err)
	}
	w.opts.MaxWait = time.Nanosecond // a file still changing does not hold the others back
	ctx := context.Background()
	look := func(what string, wantAgain bool) {
		t.Helper()
		again, err := w.look(ctx)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if again != wantAgain {
			t.Errorf("%s: look again %v, want %v", what, again, wantAgain)
		}
	}
	if _, err := w.start(ctx); err != nil {
		t.Fatal(err)
	}
	if gen := generation(t, st); gen != 1 {
		t.Fatalf("start: generation %d, want 1 (failed: %v)", gen, w.failed != nil)
	}
	if n := total(t, st, "quuxpartial"); n != 0 {
		t.Errorf("files in progress were read: quuxpartial: %d documents", n)
	}

	// b.jsonl appears, and z.jsonl beside it: both are new since the last
	// look, so nothing is read yet.
	writeFile(t, dir, "b.jsonl", record("b1", "quuxtwo"))
	writeFile(t, dir, "z.jsonl", record("z1", "quuxfour"))
	look("first look at b and z", true)
	if gen := generation(t, st); gen != 1 {
		t.Errorf("first look: generation %d, want 1 (nothing has settled)", gen)
	}
	// b.jsonl grows; z.jsonl has settled and is published without b.
	f, err := os.OpenFile(filepath.Join(dir, "b.jsonl"), os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(record("b2", "quuxtwo")); err != nil {
		t.Fatal(err)
	}
	f.Close()
	look("second look, b growing", true)
	if gen := generation(t, st); gen != 2 {
		t.Fatalf("second look: generation %d, want 2", gen)
	}
	if n, m := total(t, st, "quuxtwo"), total(t, st, "quuxfour"); n != 0 || m != 1 {
		t.Errorf("second look: quuxtwo %d (still growing), quuxfour %d documents, want 0 and 1", n, m)
	}
	// b.jsonl is unchanged since: it is read whole.
	look("third look, b complete", false)
	if n := total(t, st, "quuxtwo"); n != 2 {
		t.Errorf("third look: quuxtwo: %d documents, want 2", n)
	}
	gen := generation(t, st)
	look("fourth look, nothing changed", false)
	if g := generation(t, st); g != gen {
		t.Errorf("a look at an unchanged folder published generation %d", g)
	}

	// A known file being rewritten holds the build back until complete.
	writeFile(t, dir, "a.jsonl", record("a1", "quuxfive"))
	look("a rewritten", true)
	if g := generation(t, st); g != gen {
		t.Errorf("a file still changing was published (generation %d)", g)
	}
	// A download completes: renamed from its .part name.
	if err := os.Rename(filepath.Join(dir, "c.jsonl.part"), filepath.Join(dir, "c.jsonl")); err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "c.jsonl", record("c1", "quuxsix"))
	look("c renamed", true)
	look("a and c settled", false)
	if n, m, k := total(t, st, "quuxfive"), total(t, st, "quuxsix"), total(t, st, "quuxpartial"); n != 1 || m != 1 || k != 0 {
		t.Errorf("after a and c settled: quuxfive %d, quuxsix %d, quuxpartial %d documents, want 1, 1, 0", n, m, k)
	}
}

// TestInProgress lists names a build leaves out.
func TestInProgress(t *testing.T) {
	for _, tc := range []struct {
		name string
		want bool
	}{
		{"a.jsonl", false},
		{"a.jsonl.part", true},
		{"a.tmp", true},
		{"export.xml.crdownload", true},
		{"~a.jsonl", true},
		{".#a.md", true},
		{".hidden", true},
		{"a~.jsonl", false},
		{"partial.jsonl", false},
		{"tmp", false},
	} {
		if got := InProgress(tc.name); got != tc.want {
			t.Errorf("InProgress(%q) = %v, want %v", tc.name, got, tc.want)
		}
	}
}
