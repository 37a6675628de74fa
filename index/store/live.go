package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
	"tacheron/index"
	"time"
)

// Live serves the current snapshot of a store and swaps in a new one when
// asked to reload: requests in flight finish on the snapshot they started
// on, which is closed once the last of them returns. It is safe for
// concurrent use.
type Live struct {
	store    *Store
	reloadMu sync.Mutex // serialises reloads
	mu       sync.RWMutex
	cur      *handle
	closed   bool
	retiring sync.WaitGroup // snapshots swapped out, not yet closed
}

// A handle is a snapshot being served.
type handle struct {
	snap    *index.Snapshot
	gen     uint64
	users   sync.WaitGroup
	release func() // the IN-USE lock
}

// NewLive returns a Live over store; it serves nothing until Reload.
func NewLive(store *Store) *Live { return &Live{store: store} }

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
	release, err := flock(filepath.Join(dir, inUseFile), syscall.LOCK_SH)
	if err != nil {
		return false, fmt.Errorf("snapshot %d: %w", gen, err)
	}
	snap, err := index.Open(dir)
	if err != nil {
		release()
		return false, err
	}
	if snap.Generation() != gen {
		snap.Close()
		release()
		return false, fmt.Errorf("snapshot %s records generation %d, want %d", dir, snap.Generation(), gen)
	}
	h := &handle{snap: snap, gen: gen, release: release}
	l.mu.Lock()
	old := l.cur
	l.cur = h
	l.mu.Unlock()
	if old != nil {
		l.retiring.Go(old.retire)
	}
	return true, nil
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
	old := l.cur
	l.cur = nil
	l.closed = true
	l.mu.Unlock()
	if old != nil {
		old.retire()
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
	return index.Status{Ready: true, Generation: l.cur.gen, Documents: l.cur.snap.DocCount()}
}

// Search runs a request on the served snapshot.
func (l *Live) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	h, done, err := l.acquire()
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
