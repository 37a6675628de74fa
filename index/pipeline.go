package index

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"

	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/mapping"

	"tacheron/corpus"
	"tacheron/corpus/reprint"
)

// An indexer turns the documents of the files a build reads into new
// shards of a snapshot directory. Documents are read in order by one
// goroutine, analysed by workers side by side, and handed to bleve's
// offline builders, one per shard, each turning them into segments and
// merging those once, at the end; the goroutine feeding a shard also
// writes the shard's document store.
type indexer struct {
	dir     string
	m       *mapping.IndexMappingImpl
	opts    BuildOptions
	db      *docBuilder
	nshards int
	size    sizing

	mu     sync.Mutex
	shards []*newShard
	// files are the files read, by path; read counts their documents.
	files map[string]*sourceFile
	read  int
	// signer signs documents for reprint detection; sigs are the
	// signatures of the documents read, by id (guarded by mu).
	signer *reprint.Finder
	sigs   map[string]reprint.Signature
}

// A newShard is a shard being built.
type newShard struct {
	builder *segmentWriter
	docs    *docWriter
	files   map[*sourceFile]bool
}

// A readBatch is a batch of documents read, each with its file's entry,
// and the bytes of their text.
type readBatch struct {
	docs      []corpus.Document
	files     []*sourceFile
	textBytes int
}

// An analysedBatch is a batch of documents ready for a shard, and the
// bytes of their text.
type analysedBatch struct {
	docs      []*document.Document
	recs      []*record
	files     []*sourceFile
	textBytes int
}

// newIndexer prepares a build of at most nshards new shards in dir, its
// documents tagged with taxonomy.
func newIndexer(dir string, m *mapping.IndexMappingImpl, taxonomy *corpus.Taxonomy, opts BuildOptions, nshards int) (*indexer, error) {
	return &indexer{
		dir: dir, m: m, opts: opts, db: newDocBuilder(taxonomy), nshards: nshards, size: newSizing(opts, nshards),
		files:  map[string]*sourceFile{},
		signer: reprint.NewFinder(reprint.Options{}), sigs: map[string]reprint.Signature{},
	}, nil
}

// shardsFor returns the number of shards to build: one per core (at most
// maxShards) for a full build or a large change, one for a small change.
func shardsFor(c *corpus.Corpus, reuse map[string]*sourceFile) int {
	n := max(1, min(runtime.GOMAXPROCS(0), maxShards))
	if reuse == nil {
		return n
	}
	changed := 0
	for _, f := range c.Files() {
		if reuse[f] == nil {
			changed++
		}
	}
	if 4*changed < len(c.Files()) {
		return 1
	}
	return n
}

// run reads the files of c that reuse does not hold (all of them when it
// is nil) and indexes their documents.
func (ix *indexer) run(ctx context.Context, c *corpus.Corpus, files map[string]fingerprint, reuse map[string]*sourceFile) error {
	jobs := make(chan readBatch)
	analysed := make(chan analysedBatch, buildWorkers)
	lengths := make(chan map[*sourceFile]*fileCounts, buildWorkers)
	buildCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var workers sync.WaitGroup
	for range buildWorkers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			total := map[*sourceFile]*fileCounts{}
			defer func() { lengths <- total }()
			for b := range jobs {
				out, err := ix.analyse(b, total)
				if err != nil {
					cancel(err)
					continue
				}
				select {
				case analysed <- out:
				case <-buildCtx.Done():
				}
			}
		}()
	}
	go func() {
		workers.Wait()
		close(analysed)
	}()
	indexed := make(chan error, ix.nshards)
	for range ix.nshards {
		go func() { indexed <- ix.feed(analysed, cancel) }()
	}
	cur := readBatch{}
	send := func() error {
		if len(cur.docs) == 0 {
			return nil
		}
		select {
		case jobs <- cur:
		case <-buildCtx.Done():
			return context.Cause(buildCtx)
		}
		cur = readBatch{docs: make([]corpus.Document, 0, len(cur.docs))}
		if ix.opts.Progress != nil {
			ix.opts.Progress(ix.read)
		}
		return nil
	}
	var reused func(string) ([]corpus.Claim, bool)
	if reuse != nil {
		reused = func(file string) ([]corpus.Claim, bool) {
			if e := reuse[file]; e != nil {
				return e.Claims, true
			}
			return nil, false
		}
	}
	// Documents are tagged as they are analysed (docBuilder.document).
	err := c.WalkFilesUntagged(buildCtx, reused, func(file string, d *corpus.Document, claim corpus.Claim) error {
		e := ix.files[file]
		if e == nil {
			e = &sourceFile{Path: file, Hash: files[file].hash, Stat: files[file].stat.Key}
			ix.files[file] = e
		}
		if d == nil {
			// Skipped as a repeat of an earlier file's document.
			e.Claims = append(e.Claims, claim)
			return nil
		}
		if err := e.add(d, claim); err != nil {
			return err
		}
		cur.docs = append(cur.docs, *d)
		cur.files = append(cur.files, e)
		cur.textBytes += textBytes(d)
		ix.read++
		if len(cur.docs) >= ix.size.batchDocs || cur.textBytes >= ix.size.batchBytes {
			return send()
		}
		return nil
	})
	if err == nil {
		err = send()
	}
	close(jobs)
	for range buildWorkers {
		for e, fc := range <-lengths {
			if e.Lengths == nil {
				e.Lengths = map[string]int{}
			}
			for f, n := range fc.lengths {
				e.Lengths[f] += n
			}
			for c, n := range fc.concepts {
				e.Concepts[c] += n
			}
		}
	}
	for range ix.nshards {
		if ierr := <-indexed; err == nil {
			err = ierr
		}
	}
	if cause := context.Cause(buildCtx); err == nil && cause != nil {
		err = cause
	}
	return err
}

// fileCounts are the analysed lengths of the text fields of a file's
// documents, summed, and the number of them tagged with each concept.
type fileCounts struct {
	lengths  map[string]int
	concepts map[string]int
}

// analyse tags and analyses a batch read into bleve documents and records,
// adding each document's field lengths and concepts to its file's counts.
func (ix *indexer) analyse(b readBatch, counts map[*sourceFile]*fileCounts) (analysedBatch, error) {
	out := analysedBatch{docs: make([]*document.Document, len(b.docs)), recs: make([]*record, len(b.docs)), files: b.files, textBytes: b.textBytes}
	for i := range b.docs {
		d := &b.docs[i]
		// First the document: it tags d, which the record stores.
		doc, fieldLengths := ix.db.document(d)
		rec, err := ix.db.record(d)
		if err != nil {
			return out, err
		}
		sig := ix.signer.Sign(d.Title + "\n\n" + d.Text())
		ix.mu.Lock()
		ix.sigs[d.ID] = sig
		ix.mu.Unlock()
		out.docs[i], out.recs[i] = doc, rec
		fc := counts[b.files[i]]
		if fc == nil {
			fc = &fileCounts{lengths: map[string]int{}, concepts: map[string]int{}}
			counts[b.files[i]] = fc
		}
		for f, n := range fieldLengths {
			fc.lengths[f] += n
		}
		for _, h := range d.Concepts {
			fc.concepts[h.ID]++
		}
	}
	return out, nil
}

// feed indexes analysed batches into a shard of its own, made when its
// first batch comes so that a small corpus makes fewer shards. On error it
// cancels the build and drains what is left.
func (ix *indexer) feed(analysed <-chan analysedBatch, cancel context.CancelCauseFunc) error {
	var sh *newShard
	var err error
	for b := range analysed {
		if err != nil {
			continue
		}
		if sh == nil {
			if sh, err = ix.newShard(ix.size.segmentSize(len(b.docs), b.textBytes)); err != nil {
				cancel(err)
				continue
			}
		}
		for i, doc := range b.docs {
			if err = sh.builder.Index(doc); err != nil {
				err = fmt.Errorf("build: index %s: %w", doc.ID(), err)
				break
			}
			if err = sh.docs.add(b.recs[i]); err != nil {
				break
			}
			sh.files[b.files[i]] = true
		}
		if err != nil {
			cancel(err)
		}
	}
	return err
}

// newShard creates the next shard, writing segments of segmentDocs
// documents.
func (ix *indexer) newShard(segmentDocs int) (*newShard, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	d := shardDir(ix.dir, len(ix.shards))
	builder, err := newSegmentWriter(d, ix.m, ix.dir, segmentDocs, ix.size.mergeBytes)
	if err != nil {
		return nil, fmt.Errorf("build: create bleve index: %w", err)
	}
	docs, err := newDocWriter(d)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	sh := &newShard{builder: builder, docs: docs, files: map[*sourceFile]bool{}}
	ix.shards = append(ix.shards, sh)
	return sh, nil
}

// finish merges each shard's last segments, the shards side by side, writes
// their document stores' tables and records in each file's entry the
// shards holding its documents.
func (ix *indexer) finish() error {
	closed := make(chan error, len(ix.shards))
	for _, sh := range ix.shards {
		go func() { closed <- sh.builder.Close() }()
	}
	var err error
	for range ix.shards {
		if cerr := <-closed; err == nil && cerr != nil {
			err = fmt.Errorf("build: merge segments: %w", cerr)
		}
	}
	if err != nil {
		return err
	}
	for i, ns := range ix.shards {
		sh, err := openShard(shardDir(ix.dir, i))
		if err != nil {
			return fmt.Errorf("build: reopen bleve index: %w", err)
		}
		err = ns.docs.finish(sh)
		ns.docs = nil
		if cerr := closeShards([]*shard{sh}); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
		for e := range ns.files {
			e.Shards = append(e.Shards, i)
		}
	}
	for _, e := range ix.files {
		slices.Sort(e.Shards)
	}
	return nil
}

// abort closes what a failed build left open (the caller removes dir).
func (ix *indexer) abort() {
	for _, sh := range ix.shards {
		sh.builder.abort()
		if sh.docs != nil {
			sh.docs.abort()
		}
	}
}
