package index

// Compaction. An incremental build leaves the documents of changed or
// removed files in the shards it shares with the previous snapshot, listed
// as deleted: searches still walk their postings and skip them. A shard
// with many deleted documents, and the small shards that incremental
// builds leave (one or more per build), are rewritten instead of linked:
// their segments are merged by zap (which drops the deleted documents and
// keeps the others in order), and their document stores' records are
// copied, not read and analysed again. The document numbers of a
// compacted shard change; nothing outside the shard holds them but
// deleted.json and the deleted-terms files, which a compacted shard, having
// no deleted document, does without. Ties between hits are broken by
// stable keys, not document numbers, so answers do not change.

import (
	"bufio"
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// defaultCompactShare is the share of a shard's documents that, deleted,
// has the shard compacted rather than shared (BuildOptions.CompactShare):
// its live documents are merged again at most 1/share − 1 times per
// deleted document.
const defaultCompactShare = 0.25

// A shardGroup is shards of the previous snapshot that make one shard of
// the next: linked as it is (one shard, not compacted), or compacted.
type shardGroup struct {
	members []int
	compact bool
}

// planShards says what becomes of the previous snapshot's shards, given
// their deleted documents once this build's are added and the number of
// shards the build made: shards with no live document disappear; when
// there would be more than maxParts shards, the smallest are compacted
// into one, and the next smallest with them while no larger than those
// together, so that shard sizes grow geometrically and a document is
// merged again a few times only (the largest shards, one per core, are
// kept); a shard at least compactShare deleted is compacted alone; the
// others are linked. The groups are in the order of their first shards.
func (p *previous) planShards(deleted []*roaring.Bitmap, newShards int, compactShare float64) []shardGroup {
	live := func(i int) int { return int(p.shards[i].count) - int(deleted[i].GetCardinality()) }
	var alive []int
	for i := range p.shards {
		if live(i) > 0 {
			alive = append(alive, i)
		}
	}
	fold := map[int]bool{}
	if total := newShards + len(alive); total > maxParts {
		need := total - maxParts + 1
		bySize := slices.Clone(alive)
		slices.SortStableFunc(bySize, func(a, b int) int { return live(a) - live(b) })
		foldable := len(bySize) - max(1, min(runtime.GOMAXPROCS(0), maxShards))
		sum := 0
		for j, i := range bySize[:max(0, foldable)] {
			if j >= max(2, need) && live(i) > sum {
				break
			}
			sum += live(i)
			fold[i] = true
		}
		if len(fold) < 2 {
			clear(fold)
		}
	}
	var groups []shardGroup
	merged := -1
	for _, i := range alive {
		compactable := p.shards[i].segments() != nil
		switch {
		case fold[i] && compactable && merged >= 0:
			groups[merged].members = append(groups[merged].members, i)
		case fold[i] && compactable:
			merged = len(groups)
			groups = append(groups, shardGroup{members: []int{i}, compact: true})
		default:
			share := float64(deleted[i].GetCardinality()) / float64(p.shards[i].count)
			groups = append(groups, shardGroup{members: []int{i}, compact: compactable && share >= compactShare})
		}
	}
	return groups
}

// segments returns the shard's segments, in the order of its document
// numbers; nil when its index is not scorch's.
func (sh *shard) segments() []*scorch.SegmentSnapshot {
	snap, ok := sh.reader.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	return snap.Segments()
}

// A compactInput is a segment of a shard being compacted.
type compactInput struct {
	seg   segment.Segment
	path  string
	size  int64
	drops *roaring.Bitmap
}

// compact writes into dst one shard holding the documents of the previous
// snapshot's shards members, in order, but those deleted lists (by
// shard). A segment with no deleted document and at least half of
// mergeBytes is linked as it is; the others are merged, in runs of about
// mergeBytes. It returns the number of documents of the new shard; a
// merge stops when ctx is done.
func (p *previous) compact(ctx context.Context, dst string, m *mapping.IndexMappingImpl, members []int, deleted []*roaring.Bitmap, mergeBytes int64) (int, error) {
	w, err := newSegmentWriter(dst, m, filepath.Dir(dst), 1, mergeBytes)
	if err != nil {
		return 0, err
	}
	defer w.abort()
	stop := make(chan struct{}) // zap's merge stops once it is closed
	defer context.AfterFunc(ctx, func() { close(stop) })()
	want := 0
	var run []compactInput
	runBytes := int64(0)
	flush := func() error {
		if len(run) == 0 {
			return nil
		}
		defer func() { run, runBytes = run[:0], 0 }()
		name := segmentName(w.next)
		w.next++
		target := filepath.Join(w.path, name)
		if len(run) == 1 && run[0].drops.IsEmpty() {
			w.segments = append(w.segments, name)
			return linkFile(run[0].path, target)
		}
		segs := make([]segment.Segment, len(run))
		drops := make([]*roaring.Bitmap, len(run))
		expect := 0
		for k, in := range run {
			segs[k], drops[k] = in.seg, in.drops
			expect += int(in.seg.Count()) - int(in.drops.GetCardinality())
		}
		numbers, _, err := w.plugin.Merge(segs, drops, target, stop, nil)
		if err == nil {
			err = ctx.Err() // zap's merge may stop without saying so
		}
		if err != nil {
			return fmt.Errorf("merge segments: %w", err)
		}
		kept := 0
		for _, nums := range numbers {
			for _, n := range nums {
				if n != dropped {
					kept++
				}
			}
		}
		if kept != expect {
			return fmt.Errorf("merge segments: %d documents kept, want %d", kept, expect)
		}
		w.segments = append(w.segments, name)
		return nil
	}
	for _, i := range members {
		sh := p.shards[i]
		del := deleted[i].ToArray()
		off := uint64(0)
		for _, ss := range sh.segments() {
			seg := ss.Segment()
			n := seg.Count()
			drops := roaring.New()
			if ss.Deleted() != nil {
				drops.Or(ss.Deleted())
			}
			lo, _ := slices.BinarySearch(del, uint32(off))
			hi, _ := slices.BinarySearch(del, uint32(off+n))
			for _, d := range del[lo:hi] {
				drops.Add(d - uint32(off))
			}
			off += n
			if drops.GetCardinality() == n {
				continue
			}
			want += int(n) - int(drops.GetCardinality())
			path := ""
			if ps, ok := seg.(interface{ Path() string }); ok {
				path = ps.Path()
			}
			info, err := os.Stat(path)
			if err != nil {
				return 0, fmt.Errorf("segment of shard %d: %w", i, err)
			}
			in := compactInput{seg: seg, path: path, size: info.Size(), drops: drops}
			if drops.IsEmpty() && 2*in.size >= mergeBytes {
				if err := flush(); err != nil {
					return 0, err
				}
				run = append(run, in)
				if err := flush(); err != nil {
					return 0, err
				}
				continue
			}
			run = append(run, in)
			runBytes += in.size
			if runBytes >= mergeBytes {
				if err := flush(); err != nil {
					return 0, err
				}
			}
		}
		if off != uint64(sh.count) {
			return 0, fmt.Errorf("shard %d: segments hold %d documents, the shard %d", i, off, sh.count)
		}
	}
	if err := flush(); err != nil {
		return 0, err
	}
	if err := w.writeRoot(); err != nil {
		return 0, err
	}
	sh, err := openShard(dst)
	if err != nil {
		return 0, fmt.Errorf("reopen compacted shard: %w", err)
	}
	defer closeShards([]*shard{sh})
	if int(sh.count) != want {
		return 0, fmt.Errorf("compacted shard holds %d documents, want %d", sh.count, want)
	}
	if len(members) == 1 {
		err = p.copyRecords(dst, sh, members[0], deleted[members[0]])
	} else {
		err = p.rewriteRecords(dst, sh, members, deleted)
	}
	if err != nil {
		return 0, fmt.Errorf("document store: %w", err)
	}
	return want, nil
}

// dropped is the number zap's Merge gives a document it dropped.
const dropped = ^uint64(0)

// copyRecords writes the document store of the compacted shard sh in dst
// from that of the previous snapshot's shard i, whose deleted documents
// are deleted: the live records are copied as they are, still compressed,
// and the dictionary they were compressed with is linked.
func (p *previous) copyRecords(dst string, sh *shard, i int, deleted *roaring.Bitmap) error {
	src := shardDir(p.dir, i)
	st, err := openDocStore(src, false)
	if err != nil {
		return err
	}
	defer st.close()
	old := p.shards[i]
	docs, err := old.idOrder()
	if err != nil {
		return err
	}
	ids := make([]string, old.count)
	k := 0
	if err := old.forEachID(func(id string) {
		if int(docs[k]) < len(ids) {
			ids[docs[k]] = id
		}
		k++
	}); err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(dst, docsDataFile))
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriterSize(f, 1<<20)
	entries := make(map[string][2]uint64, sh.count)
	var buf []byte
	offset := uint64(0)
	for n := range old.count {
		if deleted.Contains(n) {
			continue
		}
		if int(n) >= st.count() {
			return fmt.Errorf("record %d of shard %d: %w", n, i, ErrCorrupt)
		}
		off := binary.LittleEndian.Uint64(st.table[int(n)*idxEntrySize:])
		length := binary.LittleEndian.Uint32(st.table[int(n)*idxEntrySize+8:])
		buf = slices.Grow(buf[:0], int(length))[:length]
		if got, err := st.f.ReadAt(buf, int64(off)); got < len(buf) {
			return fmt.Errorf("record %d of shard %d: %d of its %d bytes read (%v): %w", n, i, got, length, err, ErrCorrupt)
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
		entries[ids[n]] = [2]uint64{offset, uint64(length)}
		offset += uint64(length)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(src, docsDictFile)); err == nil {
		if err := linkFile(filepath.Join(src, docsDictFile), filepath.Join(dst, docsDictFile)); err != nil {
			return err
		}
	}
	return writeDocTable(dst, sh, entries)
}

// rewriteRecords writes the document store of the compacted shard sh in
// dst from those of the previous snapshot's shards members, whose deleted
// documents are deleted: each store compresses with its own dictionary, so
// the live records are decompressed and compressed again, with one.
func (p *previous) rewriteRecords(dst string, sh *shard, members []int, deleted []*roaring.Bitmap) error {
	dw, err := newDocWriter(dst)
	if err != nil {
		return err
	}
	for _, i := range members {
		st, err := openDocStore(shardDir(p.dir, i), false)
		if err != nil {
			dw.abort()
			return err
		}
		for n := range p.shards[i].count {
			if deleted[i].Contains(n) {
				continue
			}
			var rec *record
			if rec, err = st.get(n); err == nil {
				err = dw.add(rec)
			}
			if err != nil {
				st.close()
				dw.abort()
				return fmt.Errorf("record %d of shard %d: %w", n, i, err)
			}
		}
		if err := st.close(); err != nil {
			dw.abort()
			return err
		}
	}
	return dw.finish(sh)
}

// linkFile makes dst a hard link to src, or a copy where links fail.
func linkFile(src, dst string) error {
	if err := os.Link(src, dst); err == nil {
		return nil
	}
	return copyFile(src, dst)
}
