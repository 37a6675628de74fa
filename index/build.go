package index

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/blevesearch/bleve/v2/document"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// A snapshot directory holds the bleve index, in shards, and tacheron's
// document store and files:
//
//	bleve-0/, bleve-1/…  the shards, bleve (scorch) indexes (bleve/ alone
//	                     before format 4), each with its document store
//	                     (docs.dat, docs.idx, docs.dict: see docstore.go;
//	                     one store at the top before format 5)
//	deleted.json    the documents of shared shards that are deleted (shard.go)
//	deleted-terms-N.bin  the vocabulary's terms of the deleted documents of
//	                shard N, counted (deletedterms.go)
//	sources.json    the source files and what each made (incremental.go)
//	reprints.json   the groups of reprints (reprints.go)
//	signatures-*.bin  the reprint signatures of the documents each build
//	                read, for the next incremental build (reprints.go;
//	                signatures.bin, signatures.gob before)
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

// formatVersion changes when an older snapshot cannot be read.
const formatVersion = 5

// Formats: 2 has snappy document records, 3 zstd records and one bleve
// index, 4 shards, 5 a document store per shard, deleted documents and the
// list of source files (incremental builds).

// shardStoreFormatVersion is the first format with a document store per
// shard.
const shardStoreFormatVersion = 5

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
	TextBytes int64 `json:"text_bytes"`
	// ReprintGroups is the number of groups of reprints found.
	ReprintGroups int       `json:"reprint_groups"`
	Seconds       float64   `json:"seconds"`
	BuiltAt       time.Time `json:"built_at"`
	// Incremental says what an incremental build read and reused; it is
	// nil for a full build.
	Incremental *IncrementalStats `json:"incremental,omitempty"`
	// FullReason says why a build given a previous snapshot rebuilt
	// everything.
	FullReason string `json:"full_reason,omitempty"`
}

// IncrementalStats describes what an incremental build did.
type IncrementalStats struct {
	// Previous is the generation of the snapshot built upon.
	Previous uint64 `json:"previous"`
	// Files read (new or changed), reused unread, and removed.
	FilesRead    int `json:"files_read"`
	FilesReused  int `json:"files_reused"`
	FilesRemoved int `json:"files_removed"`
	// FilesHashed were read to hash them: the others' size, modification
	// time and inode were those the previous snapshot recorded (see
	// fingerprints).
	FilesHashed int `json:"files_hashed"`
	// DocumentsRead were analysed and indexed; DocumentsDeleted were
	// dropped from the shards shared with the previous snapshot.
	DocumentsRead    int `json:"documents_read"`
	DocumentsDeleted int `json:"documents_deleted"`
	// SharedShards are shards of the previous snapshot linked, not copied.
	SharedShards int `json:"shared_shards"`
	// CompactedShards are shards of the previous snapshot rewritten
	// without their deleted documents, MergedShards small ones merged
	// together (compact.go): neither reads files again. DocumentsDropped
	// were deleted documents they held.
	CompactedShards  int `json:"compacted_shards,omitempty"`
	MergedShards     int `json:"merged_shards,omitempty"`
	DocumentsDropped int `json:"documents_dropped,omitempty"`
}

// BuildOptions tunes Build.
type BuildOptions struct {
	// Generation is recorded in the snapshot's Stats.
	Generation uint64
	// BatchSize, when set, caps the documents of a batch read and of a
	// segment; otherwise MaxMemory alone sizes them.
	BatchSize int
	// MaxMemory bounds the memory the build uses, in bytes (default
	// DefaultMaxMemory): batches, segments and the merges of segments are
	// sized from it, so that a larger corpus makes more segments rather
	// than larger ones (see sizing and segmentWriter). A process that
	// builds alone may also set 75% of it as its soft memory limit
	// (runtime/debug.SetMemoryLimit): merges map the segments they read,
	// outside the Go heap, within the rest.
	MaxMemory int64
	// LimitMemory, for a process that serves while it builds, sets the
	// process's soft memory limit for the time of the build to what the Go
	// runtime holds at its start plus 75% of MaxMemory (unless a lower
	// limit is in force), and puts the previous limit back after (see
	// limitMemory): without it the garbage collector lets the heap grow
	// to twice the build's live memory. Builds with LimitMemory must not
	// overlap in one process.
	LimitMemory bool
	// Progress, when set, is called after each batch with the number of
	// documents read so far.
	Progress func(docs int)
	// Previous, when set, is the directory of the snapshot this one
	// follows: the build is incremental (see incremental.go), unless Full
	// is set or the previous snapshot was built with another format,
	// analysis or taxonomy (Stats.FullReason says which).
	Previous string
	// Full makes a build given Previous rebuild everything.
	Full bool
	// CompactShare is the share of a previous shard's documents that,
	// deleted, has an incremental build rewrite the shard without them
	// rather than share it (default 0.25; 1 or more: never for its deleted
	// documents alone). See compact.go.
	CompactShare float64
}

// Build indexes every document of c into a new snapshot directory dir (which
// must not exist). On error, dir may hold a partial build: the caller
// removes it.
func Build(ctx context.Context, c *corpus.Corpus, dir string, opts BuildOptions) (*Stats, error) {
	start := time.Now()
	if opts.MaxMemory <= 0 {
		opts.MaxMemory = DefaultMaxMemory
	}
	if opts.LimitMemory {
		defer limitMemory(opts.MaxMemory)()
	}
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	taxonomy, err := json.MarshalIndent(c.Taxonomy().Concepts, "", " ")
	if err != nil {
		return nil, err
	}
	key := buildKey(taxonomy)
	var prev *previous
	reason := ""
	if opts.Previous != "" {
		if opts.Full {
			reason = "a full build was asked for"
		} else if prev, reason, err = openPrevious(opts.Previous, key); err != nil {
			return nil, err
		}
		if prev != nil {
			defer prev.close()
		}
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	key.StatTime = time.Now().UnixNano()
	var known *sourceManifest
	if prev != nil {
		known = &prev.man
	}
	files, hashed, err := fingerprints(ctx, c, known)
	if err != nil {
		return nil, err
	}
	var reuse map[string]*sourceFile
	if prev != nil {
		reuse = prev.reusable(files)
	}
	ix, err := newIndexer(dir, m, c.Taxonomy(), opts, shardsFor(c, reuse))
	if err != nil {
		return nil, err
	}
	err = ix.run(ctx, c, files, reuse)
	var groups [][]string
	if err == nil {
		// Reprints are grouped while the new shards' segments are merged,
		// which keeps a core busy for a small change.
		grouped := make(chan error, 1)
		go func() {
			var gerr error
			groups, gerr = ix.reprintGroups(dir, prev, kept(c.Files(), ix, reuse), signaturesPart(key.StatTime))
			grouped <- gerr
		}()
		err = ix.finish()
		if gerr := <-grouped; err == nil && gerr != nil {
			err = fmt.Errorf("build: %w", gerr)
		}
	}
	if err != nil {
		ix.abort()
		return nil, err
	}
	man := &key
	var inc *IncrementalStats
	for _, f := range c.Files() {
		if e := ix.files[f]; e != nil {
			man.Files = append(man.Files, e)
		}
	}
	if prev != nil {
		if inc, err = prev.carryOver(ctx, dir, ix, man, c.Files(), files, reuse); err != nil {
			return nil, err
		}
		inc.FilesHashed = hashed
	}
	stats := man.stats()
	stats.Generation, stats.Corpus, stats.Incremental, stats.FullReason = opts.Generation, c.Name(), inc, reason
	if stats.Documents == 0 {
		return nil, errors.New("build: the corpus holds no document")
	}
	stats.ReprintGroups = len(groups)
	if err := writeReprints(dir, groups); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	if err := man.write(dir); err != nil {
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
	// taxonomy, when set, tags documents (document sets their Concepts)
	// from the terms analysed for the index.
	taxonomy *corpus.Taxonomy
}

func newDocBuilder(taxonomy *corpus.Taxonomy) *docBuilder {
	return &docBuilder{analyzer: newDocAnalyzer(), taxonomy: taxonomy}
}

// document returns the bleve document of d, and the analysed length of each
// of its text fields; with a taxonomy, it first sets d's concepts. Its fields are given to bleve analysed, as term
// frequencies (see countedField); a keyword field given several values
// (concepts, authors, tags) is one field holding each value as a term, as
// bleve would merge the fields of the same name.
func (b *docBuilder) document(d *corpus.Document) (*document.Document, map[string]int) {
	doc := document.NewDocument(d.ID)
	lengths := map[string]int{}
	fields, terms := b.analyzer.counts(d, b.taxonomy != nil)
	if b.taxonomy != nil {
		b.taxonomy.TagTerms(d, terms)
	}
	for _, f := range fields {
		doc.AddField((*countedField)(f))
		lengths[f.name] = f.length
	}
	keyword := func(field string, values ...string) *termCounts {
		f := &termCounts{name: field, freqs: bleveindex.TokenFrequencies{}}
		for _, v := range values {
			f.add(v, 1)
		}
		return f
	}
	if len(d.Concepts) > 0 {
		f := keyword(fieldConcept)
		for _, h := range d.Concepts {
			f.add(h.ID, min(h.Count, maxConceptRepeats))
		}
		if f.length > 0 {
			doc.AddField((*countedField)(f))
		}
	}
	doc.AddField((*countedField)(keyword(fieldSource, d.Source)))
	doc.AddField((*countedField)(keyword(fieldKind, string(d.Kind))))
	doc.AddField((*countedField)(keyword(fieldLang, string(d.Lang))))
	doc.AddField((*countedField)(keyword(fieldMonth, d.Date[:7])))
	doc.AddField((*countedField)(keyword(fieldDay, d.Date)))
	if len(d.Authors) > 0 {
		doc.AddField((*countedField)(keyword(fieldAuthor, d.Authors...)))
	}
	if len(d.Tags) > 0 {
		doc.AddField((*countedField)(keyword(fieldTag, d.Tags...)))
	}
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
		Authors: d.Authors, Tags: d.Tags, Published: d.Published, Section: d.Section,
		Reprints: d.Reprints,
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
