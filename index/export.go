package index

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

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
	sent := 0
	send := func(doc uint32, match string) error {
		if limit > 0 && sent >= limit {
			return errEnough
		}
		if sent%256 == 255 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		rec, err := s.docs.get(doc)
		if err != nil {
			return err
		}
		r, err := exportRecord(rec, match)
		if err != nil {
			return err
		}
		sent++
		return fn(r)
	}
	sets := []struct {
		docs  *roaring.Bitmap
		match string
	}{{sel.primary, MatchAll}, {sel.related, MatchRelated}}
	for _, set := range sets {
		if set.docs == nil || set.docs.IsEmpty() {
			continue
		}
		err = s.eachInOrder(req, sel.plan, acc, set.docs, func(doc uint32) error { return send(doc, set.match) })
		if err == errEnough {
			return nil
		}
		if err != nil {
			return err
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

// exportRecord makes the Record of a stored document.
func exportRecord(rec *record, match string) (Record, error) {
	var extra exportExtra
	if len(rec.extra) > 0 {
		if err := json.Unmarshal(rec.extra, &extra); err != nil {
			return Record{}, fmt.Errorf("document %s: %w", rec.id, err)
		}
	}
	abstract, _, _ := strings.Cut(rec.body, "\n")
	return Record{
		ID: rec.id, Title: rec.title, Source: rec.source, Kind: rec.kind, Date: rec.date, Lang: rec.lang,
		Concepts: slices.Clone(rec.concepts), URL: extra.URL, Authors: extra.Authors, Published: extra.Published, Abstract: abstract, Match: match,
	}, nil
}
