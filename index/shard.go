package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A shard is one bleve index of a snapshot, and its document store. A
// snapshot is built as several shards side by side (one builder per core:
// bleve's offline builder works on one core); a document's number in the
// snapshot is its number in its shard plus the shard's base, so that the
// shards' documents follow each other. A snapshot built incrementally
// shares the shards of the one before it that hold unchanged documents,
// and lists in deletedFile the documents of those shards it no longer
// holds (deleted, local numbers).
type shard struct {
	idx     bleve.Index
	reader  bleveindex.IndexReader
	base    uint32
	count   uint32 // documents, deleted ones included
	deleted *roaring.Bitmap
}

// deletedFile lists, for each shard that has some, the numbers of its
// deleted documents.
const deletedFile = "deleted.json"

// live returns the number of documents of the shard that are not deleted.
func (sh *shard) live() int {
	if sh.deleted == nil {
		return int(sh.count)
	}
	return int(sh.count) - int(sh.deleted.GetCardinality())
}

// isDeleted reports whether local document number n is deleted.
func (sh *shard) isDeleted(n uint64) bool {
	return sh.deleted != nil && sh.deleted.Contains(uint32(n))
}

// shardDir returns the directory of shard i of a snapshot.
func shardDir(dir string, i int) string {
	return filepath.Join(dir, bleveDir+"-"+strconv.Itoa(i))
}

// shardDirs lists the shard directories of a snapshot: bleve-0, bleve-1…, or
// the single bleve directory of older snapshots.
func shardDirs(dir string) ([]string, error) {
	if _, err := os.Stat(filepath.Join(dir, bleveDir)); err == nil {
		return []string{filepath.Join(dir, bleveDir)}, nil
	}
	var dirs []string
	for i := 0; ; i++ {
		d := shardDir(dir, i)
		if _, err := os.Stat(d); err != nil {
			break
		}
		dirs = append(dirs, d)
	}
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no bleve index in %s", dir)
	}
	return dirs, nil
}

// readDeleted reads the deleted documents of a snapshot's shards.
func readDeleted(dir string) (map[int][]uint32, error) {
	data, err := os.ReadFile(filepath.Join(dir, deletedFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var del map[int][]uint32
	if err := json.Unmarshal(data, &del); err != nil {
		return nil, fmt.Errorf("%s: %w", deletedFile, err)
	}
	return del, nil
}

// openShards opens the shards of a snapshot read-only.
func openShards(dir string) ([]*shard, error) {
	dirs, err := shardDirs(dir)
	if err != nil {
		return nil, err
	}
	del, err := readDeleted(dir)
	if err != nil {
		return nil, err
	}
	var shards []*shard
	base := uint32(0)
	for i, d := range dirs {
		sh, err := openShard(d)
		if err != nil {
			closeShards(shards)
			return nil, err
		}
		sh.base = base
		if len(del[i]) > 0 {
			sh.deleted = roaring.BitmapOf(del[i]...)
		}
		shards = append(shards, sh)
		base += sh.count
	}
	return shards, nil
}

// openShard opens the bleve index in dir read-only.
func openShard(dir string) (*shard, error) {
	idx, err := bleve.OpenUsing(dir, map[string]any{"read_only": true})
	if err != nil {
		return nil, err
	}
	sh := &shard{idx: idx}
	adv, err := idx.Advanced()
	if err == nil {
		sh.reader, err = adv.Reader()
	}
	var n uint64
	if err == nil {
		n, err = sh.reader.DocCount()
	}
	if err != nil {
		closeShards([]*shard{sh})
		return nil, err
	}
	sh.count = uint32(n)
	return sh, nil
}

// closeShards closes shards.
func closeShards(shards []*shard) error {
	var first error
	for _, sh := range shards {
		if sh.reader != nil {
			if err := sh.reader.Close(); err != nil && first == nil {
				first = err
			}
		}
		if err := sh.idx.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// postings returns the documents holding term in field, in every shard.
func (s *Snapshot) postings(ctx context.Context, field, term string) (*roaring.Bitmap, error) {
	b := roaring.New()
	var buf []uint32
	var tfd bleveindex.TermFieldDoc
	for _, sh := range s.shards {
		tfr, err := sh.reader.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return nil, fmt.Errorf("postings %s:%s: %w", field, term, err)
		}
		for {
			next, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return nil, fmt.Errorf("postings %s:%s: %w", field, term, err)
			}
			if next == nil {
				break
			}
			if sh.isDeleted(next.ID.Value()) {
				continue
			}
			buf = append(buf, sh.base+uint32(next.ID.Value()))
			if len(buf) == 4096 {
				b.AddMany(buf)
				buf = buf[:0]
			}
		}
		tfr.Close()
	}
	b.AddMany(buf)
	b.RunOptimize()
	return b, nil
}

// termCount returns the number of documents holding term in field.
func (s *Snapshot) termCount(ctx context.Context, field, term string) (uint64, error) {
	var n uint64
	var tfd bleveindex.TermFieldDoc
	for _, sh := range s.shards {
		tfr, err := sh.reader.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return 0, fmt.Errorf("count %s:%s: %w", field, term, err)
		}
		if sh.deleted == nil {
			n += tfr.Count()
		} else {
			for {
				next, err := tfr.Next(&tfd)
				if err != nil {
					tfr.Close()
					return 0, fmt.Errorf("count %s:%s: %w", field, term, err)
				}
				if next == nil {
					break
				}
				if !sh.isDeleted(next.ID.Value()) {
					n++
				}
			}
		}
		if err := tfr.Close(); err != nil {
			return 0, fmt.Errorf("count %s:%s: %w", field, term, err)
		}
	}
	return n, nil
}

// dictionary calls fn with every term of field in every shard, and the
// number of the shard's documents that hold it, deleted ones included (see
// deletedTerms).
//
// The counts are read from the postings, not from the dictionary
// iterator: zap's miscounts (zapx v17.2.5: PostingsList.read leaves a
// previous term's one-hit encoding set, so that a term after one held by a
// single document may be counted as held by one), which made completions
// and suggestions differ from build to build.
func (s *Snapshot) dictionary(field string, fn func(term string, count uint64)) error {
	for _, sh := range s.shards {
		count, err := sh.termCounter(field)
		if err != nil {
			return fmt.Errorf("field %s: %w", field, err)
		}
		dict, err := sh.reader.FieldDict(field)
		if err != nil {
			return fmt.Errorf("field %s: %w", field, err)
		}
		for {
			e, err := dict.Next()
			if err != nil {
				dict.Close()
				return fmt.Errorf("field %s: %w", field, err)
			}
			if e == nil {
				break
			}
			n, err := count(e.Term)
			if err != nil {
				dict.Close()
				return fmt.Errorf("field %s: %w", field, err)
			}
			fn(e.Term, n)
		}
		dict.Close()
	}
	return nil
}

// termCounter returns a function giving the number of the shard's
// documents that hold a term in field, deleted ones included, read from
// the postings; each segment's dictionary of field is opened once.
func (sh *shard) termCounter(field string) (func(term string) (uint64, error), error) {
	snap, ok := sh.reader.(*scorch.IndexSnapshot)
	if !ok {
		return func(term string) (uint64, error) {
			tfr, err := sh.reader.TermFieldReader(context.Background(), []byte(term), field, false, false, false)
			if err != nil {
				return 0, err
			}
			defer tfr.Close()
			return tfr.Count(), nil
		}, nil
	}
	type part struct {
		dict    segment.TermDictionary
		deleted *roaring.Bitmap
	}
	var parts []*part
	for _, seg := range snap.Segments() {
		dict, err := seg.Segment().Dictionary(field)
		if err != nil {
			return nil, err
		}
		parts = append(parts, &part{dict: dict, deleted: seg.Deleted()})
	}
	return func(term string) (uint64, error) {
		var n uint64
		for _, p := range parts {
			// No postings list is reused: zap's would keep the previous
			// term's one-hit encoding (see dictionary).
			pl, err := p.dict.PostingsList([]byte(term), p.deleted, nil)
			if err != nil {
				return 0, err
			}
			n += pl.Count()
		}
		return n, nil
	}, nil
}

// internalID returns the snapshot's number of document id.
func (s *Snapshot) internalID(id string) (uint32, bool, error) {
	for _, sh := range s.shards {
		internal, err := sh.reader.InternalID(id)
		if err != nil {
			return 0, false, err
		}
		if internal != nil && !sh.isDeleted(internal.Value()) {
			return sh.base + uint32(internal.Value()), true, nil
		}
	}
	return 0, false, nil
}

// documentsByID returns the documents in the order of their ids.
func (s *Snapshot) documentsByID() ([]uint32, error) {
	type entry struct {
		id  string
		doc uint32
	}
	// Each shard's live documents in the order of their ids, the shards
	// side by side (each on a core), then merged.
	lists := make([][]entry, len(s.shards))
	errs := make([]error, len(s.shards))
	var wg sync.WaitGroup
	for k, sh := range s.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			docs, err := sh.idOrder()
			if err != nil {
				errs[k] = err
				return
			}
			list := make([]entry, 0, len(docs))
			i := 0
			errs[k] = sh.forEachID(func(id string) {
				if !sh.isDeleted(uint64(docs[i])) {
					list = append(list, entry{id, sh.base + docs[i]})
				}
				i++
			})
			lists[k] = list
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]uint32, 0, n)
	for len(out) < n {
		best := -1
		for k, l := range lists {
			if len(l) > 0 && (best < 0 || l[0].id < lists[best][0].id) {
				best = k
			}
		}
		out = append(out, lists[best][0].doc)
		lists[best] = lists[best][1:]
	}
	return out, nil
}

// forEachID calls fn with the id of each of the shard's documents, deleted
// ones included, in the order of the ids.
func (sh *shard) forEachID(fn func(id string)) error {
	dict, err := sh.reader.FieldDict("_id")
	if err != nil {
		return fmt.Errorf("ids: %w", err)
	}
	defer dict.Close()
	for {
		e, err := dict.Next()
		if err != nil {
			return fmt.Errorf("ids: %w", err)
		}
		if e == nil {
			return nil
		}
		fn(e.Term)
	}
}

// idOrder returns the shard's document numbers in the order of their ids,
// deleted ones included.
func (sh *shard) idOrder() ([]uint32, error) {
	var ids []string
	if err := sh.forEachID(func(id string) { ids = append(ids, id) }); err != nil {
		return nil, err
	}
	out := make([]uint32, 0, len(ids))
	var tfd bleveindex.TermFieldDoc
	for _, id := range ids {
		tfr, err := sh.reader.TermFieldReader(context.Background(), []byte(id), "_id", false, false, false)
		if err != nil {
			return nil, fmt.Errorf("ids: %w", err)
		}
		next, err := tfr.Next(&tfd)
		tfr.Close()
		if err != nil {
			return nil, fmt.Errorf("ids: %s: %w", id, err)
		}
		if next == nil {
			return nil, fmt.Errorf("ids: no document number for %q", id)
		}
		out = append(out, uint32(next.ID.Value()))
	}
	return out, nil
}

// openDocSet opens the document stores of a snapshot of format.
func openDocSet(dir string, format int, shards []*shard) (*docSet, error) {
	ds := &docSet{}
	if format < shardStoreFormatVersion {
		st, err := openDocStore(dir, format == snappyFormatVersion)
		if err != nil {
			return nil, err
		}
		ds.stores, ds.bases = []*docStore{st}, []uint32{0}
		return ds, nil
	}
	dirs, err := shardDirs(dir)
	if err != nil {
		return nil, err
	}
	for i, d := range dirs {
		st, err := openDocStore(d, false)
		if err != nil {
			ds.close()
			return nil, err
		}
		ds.stores = append(ds.stores, st)
		ds.bases = append(ds.bases, shards[i].base)
	}
	return ds, nil
}

// deletedTerms calls fn with each term of fields in the deleted documents
// of each shard and the number of (document, field) pairs holding it, so
// that the dictionary's counts, which include deleted documents, can be
// corrected. A shard's counts are read from its deleted-terms file
// (deletedterms.go) when that covers the shard's deleted documents in
// fields; otherwise, as for snapshots built before the file, its deleted
// documents are analysed again from their records.
func (s *Snapshot) deletedTerms(fields []string, fn func(term string, n uint32)) error {
	var a *docAnalyzer
	for i, sh := range s.shards {
		if sh.deleted == nil {
			continue
		}
		tc, err := readDeletedCounts(s.dir, i)
		if err != nil {
			return fmt.Errorf("deleted documents: %w", err)
		}
		if tc.covers(sh.deleted, fields) {
			for k, t := range tc.terms {
				fn(t, tc.counts[k])
			}
			continue
		}
		if a == nil {
			a = newDocAnalyzer()
		}
		sh.deleted.Iterate(func(n uint32) bool {
			var rec *record
			rec, err = s.docs.get(sh.base + n)
			if err != nil {
				return false
			}
			forDocumentTerms(a, rec, fields, func(term string) { fn(term, 1) })
			return true
		})
		if err != nil {
			return fmt.Errorf("deleted documents: %w", err)
		}
	}
	return nil
}

// firstDoc returns the first live document holding term in field; found
// is false when no document holds it.
func (s *Snapshot) firstDoc(ctx context.Context, field, term string) (doc uint32, found bool, err error) {
	var tfd bleveindex.TermFieldDoc
	for _, sh := range s.shards {
		tfr, err := sh.reader.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			return 0, false, fmt.Errorf("first document %s:%s: %w", field, term, err)
		}
		for {
			next, err := tfr.Next(&tfd)
			if err != nil {
				tfr.Close()
				return 0, false, fmt.Errorf("first document %s:%s: %w", field, term, err)
			}
			if next == nil {
				break
			}
			if !sh.isDeleted(next.ID.Value()) {
				tfr.Close()
				return sh.base + uint32(next.ID.Value()), true, nil
			}
		}
		tfr.Close()
	}
	return 0, false, nil
}
