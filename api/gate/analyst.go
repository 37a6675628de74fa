package gate

import (
	"context"

	"tacheron/index"
)

// An Analyst answers the journalist's tools beyond the list of results:
// trends, co-occurring concepts and terms, concordances and exports;
// *index.Live is one.
type Analyst interface {
	Trends(ctx context.Context, req index.TrendsRequest) (*index.Trends, error)
	Cooccurrence(ctx context.Context, req index.CooccurrenceRequest) (*index.Cooccurrence, error)
	Concordance(ctx context.Context, req index.ConcordanceRequest) (*index.Concordance, error)
	// ConcordanceEach and Export stream: start is called once the
	// documents are selected, before the first line or record.
	ConcordanceEach(ctx context.Context, req index.ConcordanceRequest, start func(gen uint64) error, fn func(index.Line) bool) error
	Export(ctx context.Context, req index.Request, limit int, start func(gen uint64, total, related int) error, fn func(index.Record) error) error
}

// The analyses that answer like a search take a search's place and
// deadline; the streams (ConcordanceEach, Export) have limits of their own
// (see export.go) and pass through.

func (s limitedSearcher) Trends(ctx context.Context, req index.TrendsRequest) (*index.Trends, error) {
	for _, sr := range req.Series {
		if err := checkRequest(sr); err != nil {
			return nil, err
		}
	}
	return call(ctx, s.l, "Trends", func(ctx context.Context) (*index.Trends, error) {
		return s.next.Trends(ctx, req)
	})
}

func (s limitedSearcher) Cooccurrence(ctx context.Context, req index.CooccurrenceRequest) (*index.Cooccurrence, error) {
	if err := checkRequest(req.Search); err != nil {
		return nil, err
	}
	return call(ctx, s.l, "Cooccurrence", func(ctx context.Context) (*index.Cooccurrence, error) {
		return s.next.Cooccurrence(ctx, req)
	})
}

func (s limitedSearcher) Concordance(ctx context.Context, req index.ConcordanceRequest) (*index.Concordance, error) {
	if err := checkRequest(req.Search); err != nil {
		return nil, err
	}
	return call(ctx, s.l, "Concordance", func(ctx context.Context) (*index.Concordance, error) {
		return s.next.Concordance(ctx, req)
	})
}

func (s limitedSearcher) ConcordanceEach(ctx context.Context, req index.ConcordanceRequest, start func(uint64) error, fn func(index.Line) bool) error {
	return s.next.ConcordanceEach(ctx, req, start, fn)
}

func (s limitedSearcher) Export(ctx context.Context, req index.Request, limit int, start func(uint64, int, int) error, fn func(index.Record) error) error {
	return s.next.Export(ctx, req, limit, start, fn)
}
