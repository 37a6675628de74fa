package index

import (
	"context"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
)

// A Record is a document as an export writes it: what a reference manager
// or a spreadsheet wants, without the whole body.
type Record struct {
	ID, Title, Source, Kind, Date, Lang string
	// Published is the time of publication (RFC 3339) when the source
	// gave one.
	Published string
	Concepts  []string
	URL       string
	Authors   []string
	// Abstract is the first paragraph of the body.
	Abstract string
	// Match is MatchAll or MatchRelated.
	Match string
}

// Export calls start with the number of documents that match and of
// related ones, then fn with the documents, in the search's order (the
// primary set, then the related documents unless the request leaves them
// out), up to limit documents (all when limit ≤ 0); Offset, Limit and
// Facets do not apply. Memory grows with the number of matching documents
// (a few bytes each), not with their text.
func (s *Snapshot) Export(ctx context.Context, req Request, limit int, start func(total, related int) error, fn func(Record) error) error {
	req.Limit, req.Offset = 1, 0
	if err := req.normalize(); err != nil {
		return err
	}
	acc := s.getAccumulator()
	defer s.putAccumulator(acc)
	sel, err := s.selectDocs(ctx, req, acc)
	if err != nil {
		return err
	}
	related := 0
	if sel.related != nil {
		related = int(sel.related.GetCardinality())
	}
	if err := start(int(sel.primary.GetCardinality()), related); err != nil {
		return err
	}
	// The documents come in order; their records are read a batch at a
	// time (see recordScan).
	scan := newRecordScan(s.docs)
	defer scan.close()
	batch := make([]uint32, 0, scanBatch)
	sent := 0
	flush := func(match string) error {
		if len(batch) == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		recs, err := scan.read(batch, match)
		if err != nil {
			return err
		}
		batch = batch[:0]
		for _, r := range recs {
			if err := fn(r); err != nil {
				return err
			}
		}
		return nil
	}
	sets := []struct {
		docs  *roaring.Bitmap
		match string
	}{{sel.primary, MatchAll}, {sel.related, MatchRelated}}
	for _, set := range sets {
		if set.docs == nil || set.docs.IsEmpty() {
			continue
		}
		err = s.eachInOrder(req, sel.plan, acc, set.docs, func(doc uint32) error {
			if limit > 0 && sent >= limit {
				return errEnough
			}
			sent++
			if batch = append(batch, doc); len(batch) == scanBatch {
				return flush(set.match)
			}
			return nil
		})
		if err == nil || err == errEnough {
			err = flush(set.match)
		}
		if err != nil {
			return err
		}
		if limit > 0 && sent >= limit {
			return nil
		}
	}
	return nil
}

// eachInOrder calls visit with the documents of docs in the request's
// order.
func (s *Snapshot) eachInOrder(req Request, p *plan, acc *accumulator, docs *roaring.Bitmap, visit func(uint32) error) error {
	if !p.positive() {
		dense := docs.ToDense()
		return s.walkByDate(docs, req.Sort == SortDateAsc, func(doc uint32) error {
			if w := int(doc / 64); w >= len(dense) || dense[w]&(1<<(doc%64)) == 0 {
				return nil
			}
			return visit(doc)
		})
	}
	keys := make([]keyed, 0, docs.GetCardinality())
	it := docs.Iterator()
	for it.HasNext() {
		doc := it.Next()
		k := keyed{key: acc.relevanceKey(doc, p.content), stable: s.pos[doc], doc: doc}
		switch req.Sort {
		case SortDateDesc:
			k.key = dateKey(s.day[doc], true)
		case SortDateAsc:
			k.key = dateKey(s.day[doc], false)
		}
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b keyed) int {
		if a.better(b) {
			return -1
		}
		if b.better(a) {
			return 1
		}
		return 0
	})
	for _, k := range keys {
		if err := visit(k.doc); err != nil {
			return err
		}
	}
	return nil
}

// exportExtra is the part of a record's extra fields an export reads.
type exportExtra struct {
	URL       string   `json:"url"`
	Authors   []string `json:"authors"`
	Published string   `json:"published"`
}
