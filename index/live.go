package index

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"syscall"
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
}

// A handle is a snapshot being served.
type handle struct {
	snap    *Snapshot
	gen     uint64
	users   sync.WaitGroup
	release func() // the IN-USE lock
}

// Status describes what a Live serves.
type Status struct {
	Ready      bool
	Generation uint64
	Documents  int
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
	snap, err := Open(dir)
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
		go old.retire()
	}
	return true, nil
}

// retire closes the snapshot once its last request returns.
func (h *handle) retire() {
	h.users.Wait()
	h.snap.Close()
	h.release()
}

// Close stops serving; requests in flight finish first.
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
	return nil
}

// acquire returns the served snapshot; done must be called when the
// request is over.
func (l *Live) acquire() (*handle, func(), error) {
	l.mu.RLock()
	h := l.cur
	if h == nil {
		l.mu.RUnlock()
		return nil, nil, ErrNoSnapshot
	}
	h.users.Add(1)
	l.mu.RUnlock()
	return h, h.users.Done, nil
}

// Status reports what is served.
func (l *Live) Status() Status {
	l.mu.RLock()
	defer l.mu.RUnlock()
	if l.cur == nil {
		return Status{}
	}
	return Status{Ready: true, Generation: l.cur.gen, Documents: l.cur.snap.DocCount()}
}

// Search runs a request on the served snapshot.
func (l *Live) Search(ctx context.Context, req Request) (*Result, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer done()
	return h.snap.Search(ctx, req)
}

// Document returns a document of the served snapshot.
func (l *Live) Document(ctx context.Context, id, query string) (*Document, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer done()
	return h.snap.Document(ctx, id, query)
}

// Suggest returns completions from the served snapshot, and its generation.
func (l *Live) Suggest(ctx context.Context, q string, limit int, lang string) ([]Suggestion, uint64, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, 0, err
	}
	defer done()
	s, err := h.snap.Suggest(ctx, q, limit, lang)
	return s, h.gen, err
}

// Concepts returns the served snapshot's concepts, and its generation.
func (l *Live) Concepts(ctx context.Context) ([]ConceptCount, uint64, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, 0, err
	}
	defer done()
	return h.snap.Concepts(), h.gen, nil
}

// Sources returns the served snapshot's sources, and its generation.
func (l *Live) Sources(ctx context.Context) ([]FacetCount, uint64, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, 0, err
	}
	defer done()
	return h.snap.Sources(), h.gen, nil
}

// IsNoSnapshot reports whether err means that nothing is served yet.
func IsNoSnapshot(err error) bool { return errors.Is(err, ErrNoSnapshot) }
