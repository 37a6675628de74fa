package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/util"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// A snapshot directory holds the bleve index, in shards, and tacheron's
// document store and files:
//
//	bleve-0/, bleve-1/…  the shards, bleve (scorch) indexes (bleve/ alone
//	                     before format 4)
//	docs.dat, docs.idx   the document store (see docstore.go)
//	tacheron.json   Stats: what was built, and BM25's average field lengths
//	concepts.json   the taxonomy the documents were tagged with
const (
	bleveDir     = "bleve"
	statsFile    = "tacheron.json"
	taxonomyFile = "concepts.json"
)

// buildWorkers is the number of goroutines that analyse documents.
const buildWorkers = 2

// maxShards bounds the shards of a snapshot (one per core building it).
const maxShards = 4

// newOfflineBuilder creates at path a bleve index written by scorch's
// offline builder (as bleve.NewBuilder does, but taking documents that are
// already analysed), with its scratch files under scratch.
func newOfflineBuilder(path string, m *mapping.IndexMappingImpl, scratch string, batchSize int) (*scorch.Builder, error) {
	if err := os.MkdirAll(path, 0o755); err != nil {
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
	return scorch.NewBuilder(map[string]any{
		"path":            filepath.Join(path, "store"),
		"buildPathPrefix": scratch,
		"batchSize":       batchSize,
		// Merge every segment at once, at the end.
		"mergeMax": 1 << 20,
		"internal": map[string][]byte{string(util.MappingInternalKey): mappingJSON},
	})
}

// formatVersion changes when an older snapshot cannot be read.
const formatVersion = 4

// Formats: 2 has snappy document records, 3 zstd records and one bleve
// index, 4 shards.

// snappyFormatVersion is the previous format, still read: its document
// store records are snappy-compressed.
const snappyFormatVersion = 2

// Stats describes a built snapshot.
type Stats struct {
	Format int `json:"format"`
	// Generation numbers the snapshots of a store, from 1.
	Generation uint64         `json:"generation"`
	Corpus     string         `json:"corpus"`
	Documents  int            `json:"documents"`
	ByKind     map[string]int `json:"by_kind"`
	ByLang     map[string]int `json:"by_lang"`
	// Concepts counts the documents tagged with each concept.
	Concepts map[string]int `json:"concepts"`
	// FieldLength is the average analysed length of each text field, for
	// BM25.
	FieldLength map[string]float64 `json:"field_length"`
	// TextBytes is the size of the documents' text.
	TextBytes int64     `json:"text_bytes"`
	Seconds   float64   `json:"seconds"`
	BuiltAt   time.Time `json:"built_at"`
}

// BuildOptions tunes Build.
type BuildOptions struct {
	// Generation is recorded in the snapshot's Stats.
	Generation uint64
	// BatchSize is the number of documents per bleve batch (default 2000).
	BatchSize int
	// Progress, when set, is called after each batch with the number of
	// documents indexed so far.
	Progress func(docs int)
}

// Build indexes every document of c into a new snapshot directory dir (which
// must not exist). On error, dir may hold a partial build: the caller
// removes it.
func Build(ctx context.Context, c *corpus.Corpus, dir string, opts BuildOptions) (*Stats, error) {
	start := time.Now()
	if opts.BatchSize <= 0 {
		opts.BatchSize = 2000
	}
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	// On failure the builders are left as they are: their files are inside
	// dir, which the caller removes.
	db, err := newDocBuilder(m)
	if err != nil {
		return nil, err
	}
	docs, err := newDocWriter(dir)
	if err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	docsDone := false
	defer func() {
		if !docsDone {
			docs.abort()
		}
	}()
	stats := &Stats{
		Format:      formatVersion,
		Generation:  opts.Generation,
		Corpus:      c.Name(),
		ByKind:      map[string]int{},
		ByLang:      map[string]int{},
		Concepts:    map[string]int{},
		FieldLength: map[string]float64{},
	}
	// Documents are read and stored in order here, analysed by workers
	// side by side, and handed to bleve's offline builders, one per shard,
	// each turning them into segments and merging those once, at the end.
	jobs := make(chan []corpus.Document)
	analysed := make(chan []*document.Document, buildWorkers)
	lengths := make(chan map[string]int, buildWorkers)
	buildCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var workers sync.WaitGroup
	for range buildWorkers {
		workers.Add(1)
		go func() {
			defer workers.Done()
			total := map[string]int{}
			defer func() { lengths <- total }()
			for batch := range jobs {
				out := make([]*document.Document, len(batch))
				for i := range batch {
					doc, fieldLengths := db.document(&batch[i])
					out[i] = doc
					for f, n := range fieldLengths {
						total[f] += n
					}
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
	// Each indexer makes its shard when its first batch comes, so that a
	// small corpus makes fewer shards; shards are numbered as they are made.
	nshards := max(1, min(runtime.GOMAXPROCS(0), maxShards))
	var (
		mu       sync.Mutex
		builders []*scorch.Builder
	)
	indexed := make(chan error, nshards)
	for range nshards {
		go func() {
			var builder *scorch.Builder
			var err error
			for batch := range analysed {
				if err != nil {
					continue
				}
				if builder == nil {
					mu.Lock()
					n := len(builders)
					builder, err = newOfflineBuilder(shardDir(dir, n), m, dir, opts.BatchSize)
					if err == nil {
						builders = append(builders, builder)
					}
					mu.Unlock()
					if err != nil {
						err = fmt.Errorf("build: create bleve index: %w", err)
						cancel(err)
						continue
					}
				}
				for _, doc := range batch {
					if err = builder.Index(doc); err != nil {
						err = fmt.Errorf("build: index %s: %w", doc.ID(), err)
						cancel(err)
						break
					}
				}
			}
			indexed <- err
		}()
	}
	var cur []corpus.Document
	send := func() error {
		if len(cur) == 0 {
			return nil
		}
		select {
		case jobs <- cur:
		case <-buildCtx.Done():
			return context.Cause(buildCtx)
		}
		cur = make([]corpus.Document, 0, opts.BatchSize)
		if opts.Progress != nil {
			opts.Progress(stats.Documents)
		}
		return nil
	}
	err = c.Walk(buildCtx, func(d *corpus.Document) error {
		rec, err := db.record(d)
		if err != nil {
			return err
		}
		if err := docs.add(rec); err != nil {
			return err
		}
		cur = append(cur, *d)
		stats.Documents++
		stats.ByKind[string(d.Kind)]++
		stats.ByLang[string(d.Lang)]++
		for _, h := range d.Concepts {
			stats.Concepts[h.ID]++
		}
		stats.TextBytes += int64(len(d.Title))
		for _, p := range d.Paragraphs {
			stats.TextBytes += int64(len(p.Text))
		}
		if len(cur) >= opts.BatchSize {
			return send()
		}
		return nil
	})
	if err == nil {
		err = send()
	}
	close(jobs)
	totalLength := map[string]int{}
	for range buildWorkers {
		for f, n := range <-lengths {
			totalLength[f] += n
		}
	}
	for range nshards {
		if ierr := <-indexed; err == nil {
			err = ierr
		}
	}
	if cause := context.Cause(buildCtx); err == nil && cause != nil {
		err = cause
	}
	if err != nil {
		return nil, err
	}
	if stats.Documents == 0 {
		return nil, errors.New("build: the corpus holds no document")
	}
	for f, n := range totalLength {
		stats.FieldLength[f] = float64(n) / float64(stats.Documents)
	}
	// Merge each shard's segments, the shards side by side.
	closed := make(chan error, len(builders))
	for _, b := range builders {
		go func() { closed <- b.Close() }()
	}
	for range builders {
		if cerr := <-closed; err == nil && cerr != nil {
			err = fmt.Errorf("build: merge segments: %w", cerr)
		}
	}
	if err != nil {
		return nil, err
	}
	// Number the document store as the merged index numbers documents.
	docsDone = true
	if err := finishDocs(dir, docs); err != nil {
		return nil, err
	}
	taxonomy, err := json.MarshalIndent(c.Taxonomy().Concepts, "", " ")
	if err != nil {
		return nil, err
	}
	if err := writeFileSync(filepath.Join(dir, taxonomyFile), taxonomy); err != nil {
		return nil, err
	}
	stats.Seconds = time.Since(start).Seconds()
	stats.BuiltAt = time.Now().UTC().Truncate(time.Second)
	data, err := json.MarshalIndent(stats, "", " ")
	if err != nil {
		return nil, err
	}
	if err := writeFileSync(filepath.Join(dir, statsFile), data); err != nil {
		return nil, err
	}
	return stats, nil
}

// encodeConceptWords writes, one line per concept, its id and the plain forms
// of the words that signalled it in the document, tab-separated; the words
// of a phrase are separated by spaces.
func encodeConceptWords(hits []corpus.ConceptHit) []byte {
	var b []byte
	for _, h := range hits {
		b = append(b, h.ID...)
		for _, w := range h.Words {
			b = append(b, '\t')
			first := true
			for _, t := range text.Tokenize(w) {
				if t.Joined {
					continue
				}
				if !first {
					b = append(b, ' ')
				}
				first = false
				b = text.AppendPlain(b, t.Text)
			}
		}
		b = append(b, '\n')
	}
	return b
}

// finishDocs writes the document store's table from the built index.
func finishDocs(dir string, docs *docWriter) error {
	shards, err := openShards(dir)
	if err != nil {
		return fmt.Errorf("build: reopen bleve index: %w", err)
	}
	defer closeShards(shards)
	return docs.finish(dir, shards)
}

// writeFileSync writes a file and flushes it to disk.
func writeFileSync(name string, data []byte) error {
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// maxConceptRepeats caps how often a concept counts in one document.
const maxConceptRepeats = 16

// docBuilder turns corpus documents into bleve documents and document
// store records.
type docBuilder struct {
	analyzer *docAnalyzer
	keyword  analysis.Analyzer
}

func newDocBuilder(m mapping.IndexMapping) (*docBuilder, error) {
	b := &docBuilder{analyzer: newDocAnalyzer()}
	b.keyword = m.AnalyzerNamed(keyword.Name)
	if b.keyword == nil {
		return nil, fmt.Errorf("analyzer %s is not registered", keyword.Name)
	}
	return b, nil
}

// document returns the bleve document of d, and the analysed length of each
// of its text fields.
func (b *docBuilder) document(d *corpus.Document) (*document.Document, map[string]int) {
	doc := document.NewDocument(d.ID)
	lengths := map[string]int{}
	for field, stream := range b.analyzer.streams(d) {
		doc.AddField(document.NewTextFieldCustom(field, nil, nil, bleveindex.IndexField, staticAnalyzer(stream)))
		lengths[field] = len(stream)
	}
	addKeyword := func(field, value string) {
		doc.AddField(document.NewTextFieldCustom(field, nil, []byte(value), bleveindex.IndexField, b.keyword))
	}
	for _, h := range d.Concepts {
		for range min(h.Count, maxConceptRepeats) {
			addKeyword(fieldConcept, h.ID)
		}
	}
	addKeyword(fieldSource, d.Source)
	addKeyword(fieldKind, string(d.Kind))
	addKeyword(fieldLang, string(d.Lang))
	addKeyword(fieldMonth, d.Date[:7])
	addKeyword(fieldDay, d.Date)
	return doc, lengths
}

// record returns the document store record of d.
func (b *docBuilder) record(d *corpus.Document) (*record, error) {
	if len(d.Date) != len(corpus.DateLayout) {
		return nil, fmt.Errorf("build: %s: bad date %q", d.ID, d.Date)
	}
	langs := make([]byte, len(d.Paragraphs))
	var body strings.Builder
	for i, p := range d.Paragraphs {
		if i > 0 {
			body.WriteByte('\n')
		}
		body.WriteString(p.Text)
		langs[i] = 'f'
		if p.Lang == text.English {
			langs[i] = 'e'
		}
	}
	extra, err := json.Marshal(storedExtra{
		DateFrom: d.DateFrom, DateTo: d.DateTo, Concepts: d.Concepts, Parent: d.Parent,
		Mentions: d.Mentions, URL: d.URL, Boilerplate: d.Boilerplate, Origin: d.Origin,
	})
	if err != nil {
		return nil, err
	}
	conceptWords := encodeConceptWords(d.Concepts)
	return &record{
		id: d.ID, title: d.Title, source: d.Source, kind: string(d.Kind), date: d.Date,
		lang: string(d.Lang), titleLang: string(d.TitleLang), paragraphLangs: string(langs),
		concepts: d.ConceptIDs(), body: body.String(), conceptWords: conceptWords, extra: extra,
	}, nil
}
