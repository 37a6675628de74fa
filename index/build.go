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

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/document"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/mapping"
	bleveindex "github.com/blevesearch/bleve_index_api"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// A snapshot directory holds the bleve index and two files of tacheron's:
//
//	bleve/          the bleve (scorch) index
//	tacheron.json   Stats: what was built, and BM25's average field lengths
//	concepts.json   the taxonomy the documents were tagged with
const (
	bleveDir     = "bleve"
	statsFile    = "tacheron.json"
	taxonomyFile = "concepts.json"
)

// formatVersion changes when an older snapshot cannot be read.
const formatVersion = 1

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
	// BatchSize is the number of documents per bleve batch (default 1000).
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
		opts.BatchSize = 1000
	}
	m, err := NewMapping()
	if err != nil {
		return nil, err
	}
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, fmt.Errorf("build: %w", err)
	}
	idx, err := bleve.NewUsing(filepath.Join(dir, bleveDir), m, scorch.Name, scorch.Name, nil)
	if err != nil {
		return nil, fmt.Errorf("build: create bleve index: %w", err)
	}
	closed := false
	defer func() {
		if !closed {
			_ = idx.Close()
		}
	}()
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
	totalLength := map[string]int{}
	batch := idx.NewBatch()
	var pending []*document.Document
	flush := func() error {
		if batch.Size() == 0 {
			return nil
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := idx.Batch(batch); err != nil {
			return fmt.Errorf("build: index batch: %w", err)
		}
		for _, d := range pending {
			d.VisitFields(func(f bleveindex.Field) {
				if _, ok := textFields()[f.Name()]; ok {
					totalLength[f.Name()] += f.AnalyzedLength()
				}
			})
		}
		pending = pending[:0]
		batch.Reset()
		if opts.Progress != nil {
			opts.Progress(stats.Documents)
		}
		return nil
	}
	err = c.Walk(ctx, func(d *corpus.Document) error {
		doc, rec, err := db.document(d)
		if err != nil {
			return err
		}
		if err := docs.add(rec); err != nil {
			return err
		}
		if err := batch.IndexAdvanced(doc); err != nil {
			return fmt.Errorf("build: %s: %w", d.ID, err)
		}
		pending = append(pending, doc)
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
		if batch.Size() >= opts.BatchSize {
			return flush()
		}
		return nil
	})
	if err == nil {
		err = flush()
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
	if adv, err := idx.Advanced(); err == nil {
		if s, ok := adv.(*scorch.Scorch); ok {
			if err := s.ForceMerge(ctx, nil); err != nil {
				return nil, fmt.Errorf("build: merge segments: %w", err)
			}
		}
	}
	closed = true
	if err := idx.Close(); err != nil {
		return nil, fmt.Errorf("build: close bleve index: %w", err)
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
	idx, err := bleve.OpenUsing(filepath.Join(dir, bleveDir), map[string]any{"read_only": true})
	if err != nil {
		return fmt.Errorf("build: reopen bleve index: %w", err)
	}
	defer idx.Close()
	adv, err := idx.Advanced()
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	r, err := adv.Reader()
	if err != nil {
		return fmt.Errorf("build: %w", err)
	}
	defer r.Close()
	return docs.finish(dir, r)
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

// docBuilder turns corpus documents into bleve documents.
type docBuilder struct {
	analyzers map[string]analysis.Analyzer
	keyword   analysis.Analyzer
}

func newDocBuilder(m mapping.IndexMapping) (*docBuilder, error) {
	b := &docBuilder{analyzers: map[string]analysis.Analyzer{}}
	for field, name := range textFields() {
		a := m.AnalyzerNamed(name)
		if a == nil {
			return nil, fmt.Errorf("analyzer %s is not registered", name)
		}
		b.analyzers[field] = a
	}
	b.keyword = m.AnalyzerNamed(keyword.Name)
	if b.keyword == nil {
		return nil, fmt.Errorf("analyzer %s is not registered", keyword.Name)
	}
	return b, nil
}

func (b *docBuilder) document(d *corpus.Document) (*document.Document, *record, error) {
	doc := document.NewDocument(d.ID)
	addText := func(field, value string) {
		if value != "" {
			doc.AddField(document.NewTextFieldCustom(field, nil, []byte(value), bleveindex.IndexField, b.analyzers[field]))
		}
	}
	addKeyword := func(field, value string) {
		doc.AddField(document.NewTextFieldCustom(field, nil, []byte(value), bleveindex.IndexField, b.keyword))
	}

	var all, fr, en strings.Builder
	langs := make([]byte, len(d.Paragraphs))
	for i, p := range d.Paragraphs {
		if i > 0 {
			all.WriteByte('\n')
		}
		all.WriteString(p.Text)
		dst := &fr
		langs[i] = 'f'
		if p.Lang == text.English {
			dst = &en
			langs[i] = 'e'
		}
		if dst.Len() > 0 {
			dst.WriteByte('\n')
		}
		dst.WriteString(p.Text)
	}
	body := all.String()
	addText(fieldTitlePlain, d.Title)
	if d.TitleLang == text.English {
		addText(fieldTitleEN, d.Title)
	} else {
		addText(fieldTitleFR, d.Title)
	}
	addText(fieldBodyPlain, body)
	addText(fieldBodyFR, fr.String())
	addText(fieldBodyEN, en.String())
	addText(fieldPairs, d.Title+"\n"+body)
	for _, h := range d.Concepts {
		for range min(h.Count, maxConceptRepeats) {
			addKeyword(fieldConcept, h.ID)
		}
	}
	addKeyword(fieldSource, d.Source)
	addText(fieldSourceText, d.Source)
	addKeyword(fieldKind, string(d.Kind))
	addKeyword(fieldLang, string(d.Lang))
	if len(d.Date) < len(corpus.DateLayout) {
		return nil, nil, fmt.Errorf("build: %s: bad date %q", d.ID, d.Date)
	}
	addKeyword(fieldMonth, d.Date[:7])
	addKeyword(fieldDay, d.Date)

	extra, err := json.Marshal(storedExtra{
		DateFrom: d.DateFrom, DateTo: d.DateTo, Concepts: d.Concepts, Parent: d.Parent,
		Mentions: d.Mentions, URL: d.URL, Boilerplate: d.Boilerplate, Origin: d.Origin,
	})
	if err != nil {
		return nil, nil, err
	}
	conceptWords := encodeConceptWords(d.Concepts)
	rec := &record{
		id: d.ID, title: d.Title, source: d.Source, kind: string(d.Kind), date: d.Date,
		lang: string(d.Lang), titleLang: string(d.TitleLang), paragraphLangs: string(langs),
		concepts: d.ConceptIDs(), body: body, conceptWords: conceptWords, extra: extra,
	}
	return doc, rec, nil
}
