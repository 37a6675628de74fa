package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"tacheron/corpus"
	"tacheron/index"
)

// ErrReindexRunning reports a reindex asked for while another one runs.
var ErrReindexRunning = errors.New("a reindex is already running")

// A Reindexer rebuilds the store of a Live from a corpus in the background,
// one run at a time, and swaps the new snapshot in once it is published.
// It is safe for concurrent use.
type Reindexer struct {
	live   *Live
	opts   ReindexOptions
	ctx    context.Context
	cancel context.CancelFunc
	runs   sync.WaitGroup

	mu     sync.Mutex
	run    *ReindexRun // the run in progress, or nil
	last   *ReindexRun // the last run that finished, or nil
	closed bool
}

// ReindexOptions configures a Reindexer.
type ReindexOptions struct {
	// Corpus opens the corpus to index, at the start of each run; it is
	// required.
	Corpus func() (*corpus.Corpus, error)
	// Publish tunes the build and how many snapshots are kept.
	Publish PublishOptions
	// Done, when set, is called with each run once it has finished.
	Done func(ReindexRun)
}

// A ReindexRun describes a run of a Reindexer.
type ReindexRun struct {
	Started time.Time
	// Finished is zero while the run goes on.
	Finished time.Time
	// Phase is PhaseBuilding, PhaseValidating, PhasePublishing,
	// PhaseSwapping, then PhaseDone.
	Phase string
	// Documents counts the documents indexed so far.
	Documents int
	// Err is nil for a run that succeeded or goes on.
	Err error
	// Generation is the generation the run published, once it has.
	Generation uint64
}

// ReindexStatus is what a Reindexer is doing and did last.
type ReindexStatus struct {
	// Running is the run in progress, or nil.
	Running *ReindexRun
	// Last is the last run that finished, or nil.
	Last *ReindexRun
}

// NewReindexer returns a Reindexer of live's store.
func NewReindexer(live *Live, opts ReindexOptions) (*Reindexer, error) {
	if live == nil || opts.Corpus == nil {
		return nil, errors.New("index: a Reindexer needs a Live and ReindexOptions.Corpus")
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Reindexer{live: live, opts: opts, ctx: ctx, cancel: cancel}, nil
}

// Start starts a run in the background and returns at once. It fails
// with ErrReindexRunning while a run goes on, and with ErrLocked while
// another process (tacheron index) builds into the store.
func (r *Reindexer) Start() (ReindexStatus, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return r.status(), errors.New("index: the Reindexer is closed")
	}
	if r.run != nil {
		return r.status(), fmt.Errorf("%w (started at %s)", ErrReindexRunning, r.run.Started.Format(time.RFC3339))
	}
	unlock, err := r.live.store.lock()
	if err != nil {
		return r.status(), err
	}
	run := &ReindexRun{Started: time.Now().UTC(), Phase: PhaseBuilding}
	r.run = run
	r.runs.Go(func() { r.do(run, unlock) })
	return r.status(), nil
}

// do carries a run out, the store's build lock held until it has
// published.
func (r *Reindexer) do(run *ReindexRun, unlock func()) {
	stats, err := r.publish(run, unlock)
	if err == nil {
		r.update(func(run *ReindexRun) {
			run.Phase = PhaseSwapping
			run.Generation = stats.Generation
			run.Documents = stats.Documents
		})
		_, err = r.live.Reload()
	}
	r.mu.Lock()
	run.Phase, run.Finished, run.Err = PhaseDone, time.Now().UTC(), err
	r.run, r.last = nil, run
	done := *run
	r.mu.Unlock()
	if r.opts.Done != nil {
		r.opts.Done(done)
	}
}

func (r *Reindexer) publish(run *ReindexRun, unlock func()) (*index.Stats, error) {
	defer unlock()
	c, err := r.opts.Corpus()
	if err != nil {
		return nil, err
	}
	opts := r.opts.Publish
	progress := opts.Progress
	opts.Progress = func(docs int) {
		r.update(func(run *ReindexRun) { run.Documents = docs })
		if progress != nil {
			progress(docs)
		}
	}
	opts.phase = func(phase string) {
		r.update(func(run *ReindexRun) { run.Phase = phase })
	}
	return r.live.store.publish(r.ctx, c, opts)
}

// update changes the run in progress.
func (r *Reindexer) update(f func(*ReindexRun)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.run != nil {
		f(r.run)
	}
}

// Status reports the run in progress and the last one.
func (r *Reindexer) Status() ReindexStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status()
}

func (r *Reindexer) status() ReindexStatus {
	var st ReindexStatus
	if r.run != nil {
		run := *r.run
		st.Running = &run
	}
	if r.last != nil {
		last := *r.last
		st.Last = &last
	}
	return st
}

// Close cancels a run in progress and waits for it to end.
func (r *Reindexer) Close() error {
	r.mu.Lock()
	r.closed = true
	r.mu.Unlock()
	r.cancel()
	r.runs.Wait()
	return nil
}
