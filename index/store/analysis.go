package store

import (
	"context"

	"tacheron/index"
)

// index.Trends runs a trends request on the served snapshot.
func (l *Live) Trends(ctx context.Context, req index.TrendsRequest) (*index.Trends, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer done()
	t, err := h.snap.Trends(ctx, req)
	return t, h.wrap(err)
}

// index.Cooccurrence runs a co-occurrence request on the served snapshot.
func (l *Live) Cooccurrence(ctx context.Context, req index.CooccurrenceRequest) (*index.Cooccurrence, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer done()
	c, err := h.snap.Cooccurrence(ctx, req)
	return c, h.wrap(err)
}

// index.Concordance returns a page of a concordance from the served snapshot.
func (l *Live) Concordance(ctx context.Context, req index.ConcordanceRequest) (*index.Concordance, error) {
	h, done, err := l.acquire()
	if err != nil {
		return nil, err
	}
	defer done()
	c, err := h.snap.Concordance(ctx, req)
	return c, h.wrap(err)
}

// ConcordanceEach calls start with the generation served, then fn with
// every line of a concordance (see Snapshot.ConcordanceEach); the snapshot
// stays open until it returns.
func (l *Live) ConcordanceEach(ctx context.Context, req index.ConcordanceRequest, start func(gen uint64) error, fn func(index.Line) bool) error {
	h, done, err := l.acquire()
	if err != nil {
		return err
	}
	defer done()
	if err := start(h.gen); err != nil {
		return err
	}
	return h.wrap(h.snap.ConcordanceEach(ctx, req, fn))
}

// Export streams a search's documents from the served snapshot (see
// Snapshot.Export); start gets the generation too. The snapshot stays open
// until it returns.
func (l *Live) Export(ctx context.Context, req index.Request, limit int, start func(gen uint64, total, related int) error, fn func(index.Record) error) error {
	h, done, err := l.acquire()
	if err != nil {
		return err
	}
	defer done()
	return h.wrap(h.snap.Export(ctx, req, limit, func(total, related int) error { return start(h.gen, total, related) }, fn))
}
