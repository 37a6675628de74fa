package index

import "tacheron/corpus"

// DefaultMaxMemory is the memory a build may use unless told otherwise
// (BuildOptions.MaxMemory): 2 GiB.
const DefaultMaxMemory = 2 << 30

// Sizing. Besides what a build keeps for the whole corpus (per document its
// id, reprint signature and place in the document store: some hundred
// bytes), it holds the documents of a few batches at a time: the batch
// being read, one per analysis worker, buildWorkers analysed batches
// waiting for a shard and, per shard, the segment it gathers
// (segmentBatches batches) and bleve's copy of it while it is written. A
// document analysed holds about analysedCost times the bytes of its text
// (its terms counted per field, in bleve's maps: 39 on the synthetic
// corpus). Batches are cut by the bytes of their text so that all of this
// fits in memoryShare of MaxMemory; the rest is left to the garbage
// collector's slack, the stemmers' caches and what the build keeps.
const (
	analysedCost   = 40
	segmentBatches = 4
	memoryShare    = 0.45
	// mergeShare of MaxMemory is left to the segments merges read: a
	// merge maps the segments it reads, outside the Go heap (whose soft
	// limit tacheron index sets at 75% of the bound), and the shards
	// may merge at the same time.
	mergeShare = 0.2
	// maxSegmentDocs caps a segment: larger ones no longer build faster.
	maxSegmentDocs = 50000
)

// A sizing says how large the batches and segments of a build are.
type sizing struct {
	// batchBytes and batchDocs cut a batch read: at batchBytes of text or
	// batchDocs documents, whichever comes first.
	batchBytes int
	batchDocs  int
	// segmentDocs caps the documents of a segment.
	segmentDocs int
	// mergeBytes is the size of the segments a shard's merges read, and
	// so about that of the segments they make (see segmentWriter).
	mergeBytes int64
}

// newSizing sizes the batches of a build into nshards shards.
func newSizing(opts BuildOptions, nshards int) sizing {
	maxMemory := opts.MaxMemory
	if maxMemory <= 0 {
		maxMemory = DefaultMaxMemory
	}
	batches := 1 + 2*buildWorkers + 2*segmentBatches*nshards
	s := sizing{
		batchBytes:  max(1, int(float64(maxMemory)*memoryShare)/batches/analysedCost),
		batchDocs:   maxSegmentDocs / segmentBatches,
		segmentDocs: maxSegmentDocs,
		mergeBytes:  max(1, int64(float64(maxMemory)*mergeShare)/int64(max(1, nshards))),
	}
	if opts.BatchSize > 0 {
		s.batchDocs, s.segmentDocs = min(s.batchDocs, opts.BatchSize), min(s.segmentDocs, opts.BatchSize)
	}
	return s
}

// segmentSize returns the documents per segment of a shard whose first
// batch holds docs documents of textBytes bytes of text: as many as
// segmentBatches batches of that mean size.
func (s sizing) segmentSize(docs, textBytes int) int {
	n := s.segmentDocs
	if docs > 0 && textBytes > 0 {
		perDoc := max(1, textBytes/docs)
		n = min(n, segmentBatches*s.batchBytes/perDoc)
	}
	return max(1, n)
}

// textBytes returns the bytes of d's text: its title and paragraphs.
func textBytes(d *corpus.Document) int {
	n := len(d.Title)
	for _, p := range d.Paragraphs {
		n += len(p.Text)
	}
	return n
}
