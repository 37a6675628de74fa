package index

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// A shard is one bleve index of a snapshot. A snapshot is built as several
// shards side by side (one builder per core: bleve's offline builder works
// on one core); a document's number in the snapshot is its number in its
// shard plus the shard's base, so that the shards' documents follow each
// other.
type shard struct {
	idx    bleve.Index
	reader bleveindex.IndexReader
	base   uint32
	count  uint32
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

// openShards opens the shards of a snapshot read-only.
func openShards(dir string) ([]*shard, error) {
	dirs, err := shardDirs(dir)
	if err != nil {
		return nil, err
	}
	var shards []*shard
	base := uint32(0)
	for _, d := range dirs {
		idx, err := bleve.OpenUsing(d, map[string]any{"read_only": true})
		if err != nil {
			closeShards(shards)
			return nil, err
		}
		sh := &shard{idx: idx, base: base}
		shards = append(shards, sh)
		adv, err := idx.Advanced()
		if err == nil {
			sh.reader, err = adv.Reader()
		}
		if err != nil {
			closeShards(shards)
			return nil, err
		}
		n, err := sh.reader.DocCount()
		if err != nil {
			closeShards(shards)
			return nil, err
		}
		sh.count = uint32(n)
		base += sh.count
	}
	return shards, nil
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
func (s *Snapshot) termCount(ctx context.Context, field, term string) uint64 {
	var n uint64
	for _, sh := range s.shards {
		tfr, err := sh.reader.TermFieldReader(ctx, []byte(term), field, false, false, false)
		if err != nil {
			continue
		}
		n += tfr.Count()
		tfr.Close()
	}
	return n
}

// dictionary calls fn with every term of field in every shard, and the
// number of the shard's documents that hold it.
func (s *Snapshot) dictionary(field string, fn func(term string, count uint64)) error {
	for _, sh := range s.shards {
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
			fn(e.Term, e.Count)
		}
		dict.Close()
	}
	return nil
}

// internalID returns the snapshot's number of document id.
func (s *Snapshot) internalID(id string) (uint32, bool, error) {
	for _, sh := range s.shards {
		internal, err := sh.reader.InternalID(id)
		if err != nil {
			return 0, false, err
		}
		if internal != nil {
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
	var all []entry
	for _, sh := range s.shards {
		docs, err := sh.idOrder()
		if err != nil {
			return nil, err
		}
		i := 0
		err = sh.forEachID(func(id string) {
			all = append(all, entry{id, sh.base + docs[i]})
			i++
		})
		if err != nil {
			return nil, err
		}
	}
	slices.SortFunc(all, func(a, b entry) int { return strings.Compare(a.id, b.id) })
	out := make([]uint32, len(all))
	for i, e := range all {
		out[i] = e.doc
	}
	return out, nil
}

// forEachID calls fn with the id of each of the shard's documents, in
// order.
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

// idOrder returns the shard's document numbers in the order of their ids.
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
