package index

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	bleveindex "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
	zap "github.com/blevesearch/zapx/v17"
)

// A segmentWriter writes a shard's bleve (scorch) index from documents
// already analysed, as bleve's offline builder (scorch.Builder) does, but
// without merging all of the shard into one segment at the end: a merge
// maps every segment it reads, so that one of a whole shard made the
// memory of a build grow with the corpus (4.93 GB at 1M documents).
// Documents are gathered into batches of batchSize, each made into a
// segment in a scratch directory; as soon as the scratch segments add up
// to mergeBytes, they are merged into one segment of the index. A shard
// is thus one segment when it is smaller than mergeBytes, and otherwise
// several of about mergeBytes each; every document is merged once, as
// with the offline builder.
type segmentWriter struct {
	path    string // the index's store directory
	scratch string
	plugin  *zap.ZapPlugin
	// internal is the index's internal data (its mapping).
	internal map[string][]byte

	batchSize  int
	mergeBytes int64

	batch []bleveindex.Document
	// pending are the scratch segments not yet merged, and their bytes.
	pending      []string
	pendingBytes int64
	// segments are the file names of the index's segments, in order.
	segments []string
	next     uint64
}

// newSegmentWriter creates at path a bleve index written by a
// segmentWriter, with its scratch files under scratch, batches of
// batchSize documents and segments of about mergeBytes (see
// segmentWriter).
func newSegmentWriter(path string, m *mapping.IndexMappingImpl, scratch string, batchSize int, mergeBytes int64) (*segmentWriter, error) {
	if err := os.MkdirAll(filepath.Join(path, "store"), 0o755); err != nil {
		return nil, err
	}
	meta, err := json.Marshal(map[string]string{"storage": scorch.Name, "index_type": scorch.Name})
	if err != nil {
		return nil, err
	}
	if err := writeFileSync(filepath.Join(path, "index_meta.json"), meta); err != nil {
		return nil, err
	}
	mappingJSON, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp(scratch, "segments")
	if err != nil {
		return nil, err
	}
	return &segmentWriter{
		path: filepath.Join(path, "store"), scratch: tmp, plugin: &zap.ZapPlugin{},
		internal:  map[string][]byte{string(util.MappingInternalKey): mappingJSON},
		batchSize: max(1, batchSize), mergeBytes: max(1, mergeBytes),
	}, nil
}

// segmentName returns the file name of segment n, as scorch names them.
func segmentName(n uint64) string { return fmt.Sprintf("%012x.zap", n) }

// Index adds a document to the index.
func (w *segmentWriter) Index(doc bleveindex.Document) error {
	w.batch = append(w.batch, doc)
	if len(w.batch) >= w.batchSize {
		return w.flush()
	}
	return nil
}

// flush makes the batch into a scratch segment, and merges the scratch
// segments once they reach mergeBytes.
func (w *segmentWriter) flush() error {
	if len(w.batch) == 0 {
		return nil
	}
	for _, doc := range w.batch {
		analyzeDocument(doc)
	}
	seg, _, err := w.plugin.New(w.batch)
	clear(w.batch)
	w.batch = w.batch[:0]
	if err != nil {
		return fmt.Errorf("build segment: %w", err)
	}
	unpersisted, ok := seg.(segment.UnpersistedSegment)
	if !ok {
		return fmt.Errorf("build segment: %T cannot be written", seg)
	}
	path := filepath.Join(w.scratch, segmentName(w.next))
	w.next++
	if err := unpersisted.Persist(path); err != nil {
		return fmt.Errorf("write segment: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return err
	}
	w.pending = append(w.pending, path)
	w.pendingBytes += info.Size()
	if w.pendingBytes >= w.mergeBytes {
		return w.merge()
	}
	return nil
}

// analyzeDocument analyses the indexed fields of doc and adds its _id
// field, as scorch does before making a segment.
func analyzeDocument(doc bleveindex.Document) {
	doc.AddIDField()
	doc.VisitFields(func(f bleveindex.Field) {
		if !f.Options().IsIndexed() {
			return
		}
		f.Analyze()
		if doc.HasComposite() && f.Name() != "_id" {
			doc.VisitComposite(func(cf bleveindex.CompositeField) {
				cf.Compose(f.Name(), f.AnalyzedLength(), f.AnalyzedTokenFrequencies())
			})
		}
	})
}

// merge makes the pending scratch segments into the index's next segment.
func (w *segmentWriter) merge() error {
	if len(w.pending) == 0 {
		return nil
	}
	name := segmentName(w.next)
	w.next++
	target := filepath.Join(w.path, name)
	if len(w.pending) == 1 {
		if err := os.Rename(w.pending[0], target); err != nil {
			return err
		}
	} else {
		segs := make([]segment.Segment, 0, len(w.pending))
		closeAll := func() error {
			var first error
			for _, s := range segs {
				if err := s.Close(); err != nil && first == nil {
					first = err
				}
			}
			return first
		}
		for _, p := range w.pending {
			s, err := w.plugin.Open(p)
			if err != nil {
				closeAll()
				return fmt.Errorf("open segment %s: %w", p, err)
			}
			segs = append(segs, s)
		}
		_, _, err := w.plugin.Merge(segs, make([]*roaring.Bitmap, len(segs)), target, nil, nil)
		if cerr := closeAll(); err == nil {
			err = cerr
		}
		if err != nil {
			return fmt.Errorf("merge segments: %w", err)
		}
		for _, p := range w.pending {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	w.segments = append(w.segments, name)
	w.pending, w.pendingBytes = w.pending[:0], 0
	return nil
}

// Close writes what is left and the index's root (root.bolt: the list of
// its segments, read by scorch), and removes the scratch directory.
func (w *segmentWriter) Close() error {
	if err := w.flush(); err != nil {
		return err
	}
	if err := w.merge(); err != nil {
		return err
	}
	if len(w.segments) == 0 {
		return errors.New("no document to index")
	}
	if err := os.RemoveAll(w.scratch); err != nil {
		return err
	}
	return w.writeRoot()
}

// abort removes the scratch directory.
func (w *segmentWriter) abort() { os.RemoveAll(w.scratch) }

// rootEpoch is the epoch of the snapshot written in root.bolt, as
// scorch.Builder writes it.
const rootEpoch = 3

// writeRoot writes root.bolt, which lists the segments of the index: what
// scorch.Builder writes (see prepareBoltSnapshot in bleve's
// index/scorch/persister.go), with several segments.
func (w *segmentWriter) writeRoot() error {
	rootPath := filepath.Join(w.path, "root.bolt")
	root, err := util.OpenBolt(rootPath, 0o600, nil)
	if err != nil {
		return err
	}
	tx, err := root.Begin(true)
	if err != nil {
		root.Close()
		return err
	}
	if err := w.fillRoot(tx, rootPath); err != nil {
		tx.Rollback()
		root.Close()
		return fmt.Errorf("write root.bolt: %w", err)
	}
	if err := tx.Commit(); err != nil {
		root.Close()
		return fmt.Errorf("write root.bolt: %w", err)
	}
	return root.Close()
}

// fillRoot fills a new root.bolt with the snapshot of the index.
func (w *segmentWriter) fillRoot(tx *util.BoltTxImpl, rootPath string) error {
	snapshots, err := tx.CreateBucketIfNotExists(util.BoltSnapshotsBucket)
	if err != nil {
		return err
	}
	snapshot, err := snapshots.CreateBucketIfNotExists(encodeUvarintAscending(nil, rootEpoch))
	if err != nil {
		return err
	}
	meta, err := snapshot.CreateBucketIfNotExists(util.BoltMetaDataKey)
	if err != nil {
		return err
	}
	writer, err := util.NewFileWriter([]byte(rootPath))
	if err != nil {
		return err
	}
	version := make([]byte, 4)
	version[0], version[1], version[2], version[3] = byte(w.plugin.Version()>>24), byte(w.plugin.Version()>>16), byte(w.plugin.Version()>>8), byte(w.plugin.Version())
	stamp, err := time.Now().MarshalText()
	if err != nil {
		return err
	}
	for _, kv := range []struct {
		key, value []byte
		writer     util.FileWriter
	}{
		{util.BoltMetaDataSegmentTypeKey, []byte(w.plugin.Type()), nil},
		{util.BoltMetaDataSegmentVersionKey, version, nil},
		{util.BoltMetaDataFileWriterIDKey, []byte(writer.Id()), writer},
		{util.BoltMetaDataTimeStamp, stamp, writer},
	} {
		if err := meta.Put(kv.key, kv.value, kv.writer); err != nil {
			return err
		}
	}
	internal, err := snapshot.CreateBucketIfNotExists(util.BoltInternalKey)
	if err != nil {
		return err
	}
	for k, v := range w.internal {
		if err := internal.Put([]byte(k), v, writer); err != nil {
			return err
		}
	}
	for i, name := range w.segments {
		// Scorch lists a snapshot's segments in the order of their keys.
		b, err := snapshot.CreateBucketIfNotExists(encodeUvarintAscending(nil, uint64(i)))
		if err != nil {
			return err
		}
		if err := b.Put(util.BoltPathKey, []byte(name), writer); err != nil {
			return err
		}
	}
	return nil
}

// encodeUvarintAscending encodes v so that encodings sort as the numbers
// do, as scorch encodes the keys of root.bolt (bleve's
// index/scorch/int.go, after CockroachDB's).
func encodeUvarintAscending(b []byte, v uint64) []byte {
	const intMax = 0xfd
	if v <= 109 { // intSmall: intMax - intZero - 8, intZero = 0x88
		return append(b, 0x88+byte(v))
	}
	n := 0
	for x := v; x > 0; x >>= 8 {
		n++
	}
	b = append(b, byte(intMax-8+n))
	for i := n - 1; i >= 0; i-- {
		b = append(b, byte(v>>(8*i)))
	}
	return b
}
