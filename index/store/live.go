package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"tacheron/index"
	"time"
)

// Live serves the current snapshot of a store and swaps in a new one when
// asked to reload: requests in flight finish on the snapshot they started
// on, which is closed once the last of them returns. It is safe for
// concurrent use.
//
// Snapshots swapped out may be kept open for the requests that ask for
// their generation (see KeepOpen and index.Request.Generation): page 2 of a
// result list is then answered by the snapshot that answered page 1.
type Live struct {
	store    *Store
	reloadMu sync.Mutex // serialises reloads
	mu       sync.RWMutex
	cur      *handle
	prev     []*handle // swapped out, kept open; newest first
	closed   bool
	retiring sync.WaitGroup // snapshots swapped out, not yet closed

	keepCount int           // previous generations kept open at least
	keepFor   time.Duration // and those swapped out less than this ago
}

// A handle is a snapshot being served.
type handle struct {
	snap    *index.Snapshot
	gen     uint64
	users   sync.WaitGroup
	release func()    // the IN-USE lock
	out     time.Time // when it was swapped out
	// locked is false when the store is read-only: no IN-USE lock could
	// be created, and none is needed, since nothing can remove the
	// snapshot through this mount.
	locked bool
}

// NewLive returns a Live over store; it serves nothing until Reload.
func NewLive(store *Store) *Live { return &Live{store: store} }

// KeepOpen keeps open, once swapped out, at least the count previous
// snapshots and those swapped out less than d ago, for the requests that
// ask for their generation; the default keeps none. Call it before the
// first Reload. The first Reload then also opens the count previous
// snapshots the store still holds.
func (l *Live) KeepOpen(count int, d time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keepCount, l.keepFor = max(count, 0), max(d, 0)
}

// Store returns the store the Live serves.
func (l *Live) Store() *Store { return l.store }

// Reload opens the store's current snapshot if it is not the one served and
// swaps it in. It reports whether it swapped. An invalid snapshot is not
// swapped in: the error says why and the old one keeps serving.
func (l *Live) Reload() (swapped bool, err error) {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	gen, dir, err := l.store.Current()
	if err != nil {
		return false, err
	}
	l.mu.RLock()
	same := l.cur != nil && l.cur.gen == gen
	closed := l.closed
	l.mu.RUnlock()
	if same || closed {
		return false, nil
	}
	h, err := openHandle(dir, gen)
	if err != nil {
		return false, err
	}
	l.mu.Lock()
	first := l.cur == nil && len(l.prev) == 0
	if old := l.cur; old != nil {
		old.out = time.Now()
		l.prev = append([]*handle{old}, l.prev...)
	}
	l.cur = h
	l.prune(time.Now())
	count := l.keepCount
	l.mu.Unlock()
	if first && count > 0 {
		l.openPrevious(gen, count)
	}
	return true, nil
}

// openHandle opens the snapshot of generation gen in dir and takes its
// IN-USE lock.
func openHandle(dir string, gen uint64) (*handle, error) {
	release, locked, err := holdShared(filepath.Join(dir, inUseFile))
	if err != nil {
		return nil, fmt.Errorf("snapshot %d: %w", gen, err)
	}
	snap, err := index.Open(dir)
	if err != nil {
		release()
		return nil, err
	}
	if snap.Generation() != gen {
		snap.Close()
		release()
		return nil, fmt.Errorf("snapshot %s records generation %d, want %d", dir, snap.Generation(), gen)
	}
	return &handle{snap: snap, gen: gen, release: release, locked: locked}, nil
}

// openPrevious opens, as kept open, up to count snapshots older than gen
// that the store still holds (after a restart); one that fails to open is
// skipped.
func (l *Live) openPrevious(gen uint64, count int) {
	gens, err := l.store.generations()
	if err != nil {
		return
	}
	var opened []*handle
	for i := len(gens) - 1; i >= 0 && len(opened) < count; i-- {
		if gens[i] >= gen {
			continue
		}
		h, err := openHandle(l.store.snapshotDir(gens[i]), gens[i])
		if err != nil {
			continue
		}
		h.out = time.Now()
		opened = append(opened, h)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		for _, h := range opened {
			l.retiring.Go(h.retire)
		}
		return
	}
	l.prev = append(l.prev, opened...)
}

// prune retires the previous snapshots beyond those kept open; l.mu is
// held.
func (l *Live) prune(now time.Time) {
	kept := l.prev[:0]
	for i, h := range l.prev {
		if i < l.keepCount || now.Sub(h.out) < l.keepFor {
			kept = append(kept, h)
			continue
		}
		l.retiring.Go(h.retire)
	}
	clear(l.prev[len(kept):])
	l.prev = kept
}

// Generations returns the generations served and kept open, newest first.
func (l *Live) Generations() []uint64 {
	l.mu.RLock()
	defer l.mu.RUnlock()
	var gens []uint64
	if l.cur != nil {
		gens = append(gens, l.cur.gen)
	}
	for _, h := range l.prev {
		gens = append(gens, h.gen)
	}
	return gens
}

// retire closes the snapshot once its last request returns.
func (h *handle) retire() {
	h.users.Wait()
	h.snap.Close()
	h.release()
}

// Close stops serving; requests in flight finish first, and every
// snapshot is closed when it returns.
func (l *Live) Close() error {
	l.reloadMu.Lock()
	defer l.reloadMu.Unlock()
	l.mu.Lock()
	old := append([]*handle{l.cur}, l.prev...)
	l.cur, l.prev = nil, nil
	l.closed = true
	l.mu.Unlock()
	for _, h := range old {
		if h != nil {
			h.retire()
		}
	}
	l.retiring.Wait()
	return nil
}

// acquire returns the served snapshot; done must be called when the
// request is over.
func (l *Live) acquire() (*handle, func(), error) {
	l.mu.RLock()
	h := l.cur
	if h == nil {
		l.mu.RUnlock()
		return nil, nil, index.ErrNoSnapshot
	}
	h.users.Add(1)
	l.mu.RUnlock()
	return h, h.users.Done, nil
}

// Status reports what is served.
func (l *Live) Status() index.Status {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return index.Status{}
	}
	return index.Status{Ready: true, Generation: l.cur.gen, Documents: l.cur.snap.DocCount(), Corpus: l.cur.snap.Stats().Corpus,
		ReadOnly: !l.cur.locked}
}

// acquireAt returns the snapshot of generation gen (the served one when
// gen is 0); done must be called when the request is over. A generation
// not held is a *GenerationError.
func (l *Live) acquireAt(gen uint64) (*handle, func(), error) {
	if gen == 0 {
		return l.acquire()
	}
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return nil, nil, index.ErrNoSnapshot
	}
	h := l.cur
	if h.gen != gen {
		h = nil
		for _, p := range l.prev {
			if p.gen == gen {
				h = p
				break
			}
		}
	}
	if h == nil {
		// Replicas keep open keepCount generations before the one they
		// serve: older than that, none need hold it.
		gone := gen < l.cur.gen && l.cur.gen-gen > uint64(l.keepCount)
		return nil, nil, &index.GenerationError{Generation: gen, Serving: l.cur.gen, Gone: gone}
	}
	h.users.Add(1)
	return h, h.users.Done, nil
}

// Search runs a request on the served snapshot, or on that of
// req.Generation when it is not 0.
func (l *Live) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	h, done, err := l.acquireAt(req.Generation)
	if err != nil {
		return nil, err
	}
	defer done()
	res, err := h.snap.Search(ctx, req)
	return res, h.wrap(err)
}

// Document returns a document of the served snapshot.
func (l *Live) Document(ctx context.Context, id, query string) (*index.Document, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer done()
	d, err := h.snap.Document(ctx, id, query)
	return d, h.wrap(err)
}

// Suggest returns completions from the served snapshot, and its generation.
func (l *Live) Suggest(ctx context.Context, q string, limit int, lang string) ([]index.Suggestion, uint64, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, 0, err
	}
	defer done()
	s, err := h.snap.Suggest(ctx, q, limit, lang)
	return s, h.gen, h.wrap(err)
}

// Concepts returns the served snapshot's concepts, and its generation.
func (l *Live) Concepts(ctx context.Context) ([]index.ConceptCount, uint64, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, 0, err
	}
	defer done()
	return h.snap.Concepts(), h.gen, nil
}

// Sources returns the served snapshot's sources, and its generation.
func (l *Live) Sources(ctx context.Context) ([]index.FacetCount, uint64, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, 0, err
	}
	defer done()
	return h.snap.Sources(), h.gen, nil
}

// wrap records in err the generation that answered.
func (h *handle) wrap(err error) error {
	if err == nil {
		return nil
	}
	return index.WithGeneration(h.gen, err)
}

// Watch reloads l whenever its store's CURRENT names a generation other
// than the one served, looking every interval until ctx is done. report,
// when set, is told of each reload tried: the generation served after a
// swap, or the error of one that failed. A generation that fails to load
// (an invalid snapshot) is not tried again at every look: the old one
// keeps serving, and the watch tries again after a delay that doubles with
// each failure (up to MaxRetryDelay), or at once when CURRENT changes.
func (l *Live) Watch(ctx context.Context, interval time.Duration, report func(gen uint64, err error)) {
	w := &watcher{live: l, interval: interval, report: report}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			w.check(now)
		}
	}
}

// MaxRetryDelay bounds how long Watch waits before it tries again to load
// a generation that failed.
const MaxRetryDelay = 5 * time.Minute

// A watcher is the state of Watch.
type watcher struct {
	live     *Live
	interval time.Duration
	report   func(gen uint64, err error)

	failed   uint64    // the generation that failed last (0: CURRENT unreadable)
	failures int       // how often in a row it failed; 0 when none did
	retryAt  time.Time // when to try it again
}

// check reloads if CURRENT names another generation than the one served,
// unless that generation failed and its retry time has not come.
func (w *watcher) check(now time.Time) {
	gen, _, err := w.live.store.Current()
	if errors.Is(err, index.ErrNoSnapshot) {
		return
	}
	w.live.mu.Lock()
	w.live.prune(now)
	w.live.mu.Unlock()
	st := w.live.Status()
	if err == nil && st.Ready && gen == st.Generation {
		w.failures = 0
		return
	}
	if w.failures > 0 && gen == w.failed && now.Before(w.retryAt) {
		return
	}
	swapped, err := w.live.Reload()
	if err != nil {
		if w.failures == 0 || gen != w.failed {
			w.failed, w.failures = gen, 0
		}
		w.failures++
		w.retryAt = now.Add(retryDelay(w.interval, w.failures))
		if w.report != nil {
			w.report(gen, err)
		}
		return
	}
	w.failures = 0
	if swapped && w.report != nil {
		w.report(w.live.Status().Generation, nil)
	}
}

// retryDelay is how long to wait before trying again a generation that
// failed n times: two intervals (two seconds at least), doubling with each
// failure, at most MaxRetryDelay.
func retryDelay(interval time.Duration, n int) time.Duration {
	d := max(interval, time.Second)
	for range n {
		d *= 2
		if d >= MaxRetryDelay {
			return MaxRetryDelay
		}
	}
	return d
}
