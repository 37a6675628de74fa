package store

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"tacheron/corpus"
	"tacheron/index"
)

// publish publishes the bundled corpus into store and returns the
// generation.
func publish(t *testing.T, store *Store, keep int) uint64 {
	t.Helper()
	st, err := store.Publish(context.Background(), bundledCorpus(t), PublishOptions{Keep: keep})
	if err != nil {
		t.Fatal(err)
	}
	return st.Generation
}

// servedLive returns a Live serving a store with one snapshot published.
func servedLive(t *testing.T) (*Store, *Live) {
	t.Helper()
	store := Open(t.TempDir())
	publish(t, store, 0)
	live := NewLive(store)
	t.Cleanup(func() { live.Close() })
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	return store, live
}

// corrupt makes snapshot gen invalid: its build record claims one more
// document than its index holds.
func corrupt(t *testing.T, store *Store, gen uint64) {
	t.Helper()
	name := filepath.Join(store.snapshotDir(gen), "tacheron.json") // the build record (index.Stats)
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var st map[string]any
	if err := json.Unmarshal(data, &st); err != nil {
		t.Fatal(err)
	}
	st["documents"] = st["documents"].(float64) + 1
	if data, err = json.Marshal(st); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// searchCaptcha checks that live answers the query "captcha" as the
// bundled corpus should, from generation gen.
func searchCaptcha(t *testing.T, live *Live, gen uint64) {
	t.Helper()
	res, err := live.Search(context.Background(), index.Request{Query: "captcha"})
	if err != nil || res.Total != 1 || res.Generation != gen {
		t.Fatalf("search captcha: %+v, %v; want 1 hit from generation %d", res, err, gen)
	}
}

func TestPublishRemovesLeftovers(t *testing.T) {
	store := Open(t.TempDir())
	publish(t, store, 0)
	snapshots := filepath.Join(store.Dir(), snapshotsDir)
	// What killed runs leave: a build directory, CURRENT.tmp, and a
	// snapshot renamed into place that CURRENT never named.
	for _, dir := range []string{".build-123/snapshot/bleve", ".build-gc-1-2/bleve", "000002/bleve"} {
		if err := os.MkdirAll(filepath.Join(snapshots, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(store.Dir(), "CURRENT.tmp"), []byte("2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if gen := publish(t, store, 0); gen != 2 {
		t.Fatalf("published generation %d, want 2", gen)
	}
	var names []string
	entries, _ := os.ReadDir(snapshots)
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != "000001 000002" {
		t.Errorf("snapshots after a run = %v, want 000001 000002", names)
	}
	if _, err := os.Stat(filepath.Join(store.Dir(), "CURRENT.tmp")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("CURRENT.tmp left: %v", err)
	}
	_, dir, err := store.Current()
	if err != nil {
		t.Fatal(err)
	}
	snap, err := index.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	snap.Close()
}

func TestCollectSparesSnapshotsInUse(t *testing.T) {
	store, live := servedLive(t) // serves 1
	publish(t, store, 1)
	publish(t, store, 1)
	if gens, _ := store.generations(); len(gens) != 2 || gens[0] != 1 || gens[1] != 3 {
		t.Fatalf("generations %v, want [1 3]: 1 is served, 2 is not", gens)
	}
	searchCaptcha(t, live, 1)
	if swapped, err := live.Reload(); !swapped || err != nil {
		t.Fatalf("reload: %v, %v", swapped, err)
	}
	live.retiring.Wait() // 1 is closed and released
	publish(t, store, 1)
	if gens, _ := store.generations(); len(gens) != 2 || gens[0] != 3 || gens[1] != 4 {
		t.Fatalf("generations %v, want [3 4]", gens)
	}
	searchCaptcha(t, live, 3)
}

func TestInFlightFinishesOnOldSnapshot(t *testing.T) {
	store, live := servedLive(t)
	h, done, err := live.acquire() // a request in flight on 1
	if err != nil {
		t.Fatal(err)
	}
	publish(t, store, 0)
	if swapped, err := live.Reload(); !swapped || err != nil {
		t.Fatalf("reload: %v, %v", swapped, err)
	}
	searchCaptcha(t, live, 2)
	res, err := h.snap.Search(context.Background(), index.Request{Query: "captcha"})
	if err != nil || res.Total != 1 || res.Generation != 1 {
		t.Fatalf("the request in flight on 1: %+v, %v", res, err)
	}
	done()
	live.retiring.Wait()
	if !h.snap.Closed() {
		t.Error("snapshot 1 is still open after its last request")
	}
}

func TestGenerationOfErrors(t *testing.T) {
	_, live := servedLive(t)
	_, err := live.Document(context.Background(), "no-such-document", "")
	if gen, ok := index.GenerationOf(err); !ok || gen != 1 || !errors.Is(err, index.ErrNotFound) {
		t.Errorf("Document(unknown) = %v: generation %d, %v; want index.ErrNotFound from 1", err, gen, ok)
	}
	_, err = live.Search(context.Background(), index.Request{Query: "a", Filters: index.Filters{From: "not a date"}})
	if gen, ok := index.GenerationOf(err); err == nil || !ok || gen != 1 {
		t.Errorf("Search(bad date) = %v: generation %d, %v", err, gen, ok)
	}
	if _, ok := index.GenerationOf(errors.New("x")); ok {
		t.Error("GenerationOf(an error of no snapshot) reports one")
	}
}

func TestWatchSkipsInvalidSnapshot(t *testing.T) {
	store, live := servedLive(t)
	type report struct {
		gen uint64
		err error
	}
	var reports []report
	w := &watcher{live: live, interval: 10 * time.Millisecond, report: func(gen uint64, err error) {
		reports = append(reports, report{gen, err})
	}}
	now := time.Now()
	w.check(now)
	if len(reports) != 0 {
		t.Fatalf("reports with nothing new: %v", reports)
	}
	publish(t, store, 3)
	corrupt(t, store, 2)
	// The first look tries 2 and fails; the next ones leave it alone
	// until its retry time.
	for i := range 100 {
		w.check(now.Add(time.Duration(i) * time.Millisecond))
	}
	if len(reports) != 1 || reports[0].gen != 2 || reports[0].err == nil || !strings.Contains(reports[0].err.Error(), "documents") {
		t.Fatalf("reports after 100 looks at an invalid 2: %v, want one failure", reports)
	}
	searchCaptcha(t, live, 1)
	retry := now.Add(retryDelay(w.interval, 1))
	w.check(retry.Add(-time.Millisecond))
	if len(reports) != 1 {
		t.Fatalf("tried again %v before its retry time", retryDelay(w.interval, 1))
	}
	w.check(retry)
	if len(reports) != 2 || reports[1].err == nil {
		t.Fatalf("reports after the retry time: %v, want a second failure", reports)
	}
	if d1, d2 := retryDelay(w.interval, 1), retryDelay(w.interval, 2); d2 != 2*d1 || d1 < time.Second || retryDelay(w.interval, 30) != MaxRetryDelay {
		t.Errorf("retry delays %v, %v, …, %v", d1, d2, retryDelay(w.interval, 30))
	}
	// A new valid snapshot is swapped in at the next look.
	publish(t, store, 3)
	w.check(retry.Add(time.Millisecond))
	if len(reports) != 3 || reports[2].gen != 3 || reports[2].err != nil {
		t.Fatalf("reports after publishing 3: %v", reports)
	}
	searchCaptcha(t, live, 3)
}

func TestWatch(t *testing.T) {
	store, live := servedLive(t)
	ctx, cancel := context.WithCancel(context.Background())
	swaps := make(chan uint64, 10)
	done := make(chan struct{})
	go func() {
		defer close(done)
		live.Watch(ctx, 5*time.Millisecond, func(gen uint64, err error) {
			if err != nil {
				t.Errorf("watch: %v", err)
			}
			swaps <- gen
		})
	}()
	for want := uint64(2); want <= 3; want++ {
		publish(t, store, 0)
		select {
		case gen := <-swaps:
			if gen != want {
				t.Errorf("watch swapped in %d, want %d", gen, want)
			}
		case <-time.After(30 * time.Second):
			t.Fatalf("generation %d not swapped in after 30s", want)
		}
		searchCaptcha(t, live, want)
	}
	cancel()
	<-done
}

// blockingCorpus returns a corpus function that waits for release before
// it opens the bundled corpus, and a channel that tells when it is called.
func blockingCorpus() (open func() (*corpus.Corpus, error), called chan struct{}, release chan struct{}) {
	called, release = make(chan struct{}, 10), make(chan struct{})
	return func() (*corpus.Corpus, error) {
		called <- struct{}{}
		<-release
		return corpus.Bundled()
	}, called, release
}

func TestReindexer(t *testing.T) {
	store, live := servedLive(t)
	open, called, release := blockingCorpus()
	finished := make(chan ReindexRun, 1)
	r, err := NewReindexer(live, ReindexOptions{Corpus: open, Done: func(run ReindexRun) { finished <- run }})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if st := r.Status(); st.Running != nil || st.Last != nil {
		t.Fatalf("status before any run: %+v", st)
	}
	st, err := r.Start()
	if err != nil || st.Running == nil || st.Running.Phase != PhaseBuilding || st.Running.Started.IsZero() {
		t.Fatalf("Start = %+v, %v", st, err)
	}
	<-called
	if _, err := r.Start(); !errors.Is(err, ErrReindexRunning) {
		t.Errorf("a second Start while one runs = %v, want ErrReindexRunning", err)
	}
	if _, err := store.Publish(context.Background(), bundledCorpus(t), PublishOptions{}); !errors.Is(err, ErrLocked) {
		t.Errorf("Publish while a reindex runs = %v, want ErrLocked", err)
	}
	close(release)
	run := <-finished
	if run.Err != nil || run.Generation != 2 || run.Documents != 25 || run.Phase != PhaseDone || run.Finished.Before(run.Started) {
		t.Fatalf("finished run %+v", run)
	}
	if st := r.Status(); st.Running != nil || st.Last == nil || st.Last.Generation != 2 {
		t.Errorf("status after the run: %+v", st)
	}
	searchCaptcha(t, live, 2)

	// A run that fails changes nothing served.
	r.opts.Corpus = func() (*corpus.Corpus, error) { return nil, errors.New("corpus gone") }
	if _, err := r.Start(); err != nil {
		t.Fatal(err)
	}
	if run := <-finished; run.Err == nil || !strings.Contains(run.Err.Error(), "corpus gone") {
		t.Errorf("failed run %+v", run)
	}
	searchCaptcha(t, live, 2)

	// Another process building into the store: Start fails at once.
	unlock, err := store.lock()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Start(); !errors.Is(err, ErrLocked) {
		t.Errorf("Start while the store is locked = %v, want ErrLocked", err)
	}
	unlock()
}

func TestReindexerProgress(t *testing.T) {
	_, live := servedLive(t)
	reached, resume := make(chan struct{}), make(chan struct{})
	finished := make(chan ReindexRun, 1)
	r, err := NewReindexer(live, ReindexOptions{
		Corpus: corpus.Bundled,
		Publish: PublishOptions{BuildOptions: index.BuildOptions{BatchSize: 5, Full: true, Progress: func(docs int) {
			if docs == 10 {
				reached <- struct{}{}
				<-resume
			}
		}}},
		Done: func(run ReindexRun) { finished <- run },
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if _, err := r.Start(); err != nil {
		t.Fatal(err)
	}
	<-reached
	st := r.Status()
	if st.Running == nil || st.Running.Documents != 10 || st.Running.Phase != PhaseBuilding || st.Running.Generation != 0 {
		t.Errorf("status 10 documents into the run: %+v", st.Running)
	}
	close(resume)
	if run := <-finished; run.Err != nil || run.Documents != 25 || run.Generation != 2 {
		t.Errorf("finished run %+v", run)
	}
}

func TestReindexerCloseCancels(t *testing.T) {
	store, live := servedLive(t)
	reached, resume := make(chan struct{}), make(chan struct{})
	finished := make(chan ReindexRun, 1)
	r, err := NewReindexer(live, ReindexOptions{
		Corpus: corpus.Bundled,
		Publish: PublishOptions{BuildOptions: index.BuildOptions{BatchSize: 5, Full: true, Progress: func(docs int) {
			if docs == 5 {
				close(reached)
				<-resume
			}
		}}},
		Done: func(run ReindexRun) { finished <- run },
	})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Start(); err != nil {
		t.Fatal(err)
	}
	<-reached
	closed := make(chan struct{})
	go func() { r.Close(); close(closed) }()
	<-r.ctx.Done()
	close(resume)
	<-closed
	if run := <-finished; !errors.Is(run.Err, context.Canceled) {
		t.Errorf("a run canceled by Close ended with %v", run.Err)
	}
	if _, err := r.Start(); err == nil {
		t.Error("Start after Close succeeded")
	}
	if gen, _, _ := store.Current(); gen != 1 {
		t.Errorf("CURRENT = %d after a canceled run, want 1", gen)
	}
	if entries, _ := os.ReadDir(filepath.Join(store.Dir(), snapshotsDir)); len(entries) != 1 {
		t.Errorf("%d entries in snapshots after a canceled run, want 1", len(entries))
	}
	searchCaptcha(t, live, 1)
}
