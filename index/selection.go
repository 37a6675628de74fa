package index

import (
	"context"

	"github.com/RoaringBitmap/roaring/v2"
)

// A selection is what a request matches, for the analyses (trends,
// co-occurrence, concordance, export): the documents of the primary set
// that pass every filter, the related ones, and the plan that found them.
// Unless the request says NoCollapse, a group of reprints is one document
// of the selection, as in a search's hits and totals (see collapsed).
type selection struct {
	plan    *plan
	primary *roaring.Bitmap
	related *roaring.Bitmap // nil when the request leaves them out
}

// selectDocs runs the matching part of a search: no ranking, no facets, no
// page. acc, when not nil, keeps the scores for ranking.
func (s *Snapshot) selectDocs(ctx context.Context, req Request, acc *accumulator) (*selection, error) {
	q := ParseQuery(req.Query)
	if err := checkQuery(req.Query, q); err != nil {
		return nil, err
	}
	if err := req.checkFilters(); err != nil {
		return nil, err
	}
	p, err := s.planQuery(ctx, q)
	if err != nil {
		return nil, err
	}
	if acc == nil {
		acc = s.getAccumulator()
		defer s.putAccumulator(acc)
	}
	excluded, err := s.exclusions(ctx, p)
	if err != nil {
		return nil, err
	}
	var hits *roaring.Bitmap
	var held map[uint32]*roaring.Bitmap
	switch {
	case p.positive():
		if err := s.execute(ctx, p, acc); err != nil {
			return nil, err
		}
		if hits, held, err = s.matchHits(ctx, p, acc, excluded); err != nil {
			return nil, err
		}
	case len(q.Terms) > 0 && excluded == nil:
		hits = roaring.New()
	default:
		hits = s.all.Clone()
		if excluded != nil {
			hits.AndNot(excluded)
		}
	}
	primary, err := s.primary(ctx, p, hits, held)
	if err != nil {
		return nil, err
	}
	sel := &selection{plan: p, primary: primary}
	filters := s.filterBitmaps(req.Filters)
	if req.Where != nil {
		if _, err := s.applyWhere(ctx, req.Where, hits, filters); err != nil {
			return nil, err
		}
	}
	if len(filters) > 0 {
		f := intersect(filters, "")
		sel.primary = roaring.And(primary, f)
		hits = roaring.And(hits, f)
	}
	if !req.NoCollapse {
		// The member Search shows stands for its group here too: the
		// best-ranked for the query (see Search).
		var rank func(uint32) uint64
		if p.positive() {
			rank = func(doc uint32) uint64 { return acc.rankKey(doc, p.content) }
		}
		sel.primary, hits = s.collapsed(sel.primary, hits, rank)
	}
	if !req.ExcludeRelated {
		sel.related = roaring.AndNot(hits, sel.primary)
	}
	return sel, ctx.Err()
}

// collapsed returns primary and hits (which hold primary) with one
// document per group of reprints, the member Search keeps: of primary's
// members when it has one, so that the related documents never hold a
// reprint of a primary one.
func (s *Snapshot) collapsed(primary, hits *roaring.Bitmap, rank func(uint32) uint64) (*roaring.Bitmap, *roaring.Bitmap) {
	primary = s.collapseRanked(primary, nil, rank)
	return primary, s.collapseRanked(hits, primary, rank)
}

// checkFilters checks a request's filters as normalize does.
func (r Request) checkFilters() error {
	c := Request{Filters: r.Filters, Where: r.Where, Sort: SortRelevance, DateInterval: "month"}
	return c.normalize()
}
