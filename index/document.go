package index

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"tacheron/corpus"
)

// A Document is the whole record of a document, for reading.
type Document struct {
	ID       string
	Title    string
	Source   string
	Kind     string
	Date     string
	DateFrom string
	DateTo   string
	// Published is the time of publication (RFC 3339, in the source's
	// zone) when the source gave one; Date is its day.
	Published string
	Lang      string
	TitleLang string
	URL       string
	Origin    string
	// Authors, Tags and Section are as the source gave them.
	Authors []string
	Tags    []string
	Section string
	// TitleHTML is the title HTML-escaped, with the matches of the query
	// the document was asked with wrapped in <mark>.
	TitleHTML  string
	Paragraphs []Paragraph
	Concepts   []DocumentConcept
	// Parent is the press review a mention was listed in.
	Parent *DocumentRef
	// Mentions are the mentions a press review lists.
	Mentions []DocumentRef
	// Reprints are the documents that carry the same text, reached
	// through another route (see corpus/reprint).
	Reprints []DocumentRef
	// Generation is that of the snapshot that answered.
	Generation uint64
}

// A Paragraph is a paragraph of a document.
type Paragraph struct {
	Text string
	Lang string
	// HTML is Text HTML-escaped with the query's matches marked.
	HTML string
}

// A DocumentConcept is a concept of a document and the words that signalled
// it.
type DocumentConcept struct {
	ID     string
	Labels map[string]string
	Count  int
	Words  []string
}

// A DocumentRef names another document.
type DocumentRef struct {
	ID     string
	Title  string
	Source string
	Date   string
	Kind   string
}

// Document returns the document id; with a query, its paragraphs carry the
// query's matches marked. It returns ErrNotFound for an unknown id.
func (s *Snapshot) Document(ctx context.Context, id, query string) (*Document, error) {
	rec, err := s.recordByID(ctx, id)
	if err != nil {
		return nil, err
	}
	var extra storedExtra
	if len(rec.extra) > 0 {
		if err := json.Unmarshal(rec.extra, &extra); err != nil {
			return nil, fmt.Errorf("document %s: %w", id, err)
		}
	}
	d := &Document{
		ID: rec.id, Title: rec.title, Source: rec.source, Kind: rec.kind, Date: rec.date,
		DateFrom: extra.DateFrom, DateTo: extra.DateTo, Published: extra.Published, Lang: rec.lang, TitleLang: rec.titleLang,
		URL: extra.URL, Origin: extra.Origin, Generation: s.Generation(),
		Authors: extra.Authors, Tags: extra.Tags, Section: extra.Section,
	}
	var h *highlighter
	if strings.TrimSpace(query) != "" {
		q := ParseQuery(query)
		if err := checkQuery(query, q); err != nil {
			return nil, err
		}
		p, err := s.planQuery(ctx, q)
		if err != nil {
			return nil, err
		}
		h = s.newHighlighter(p, rec)
	}
	mark := func(text, lang string) string {
		if h == nil {
			return markText(text, nil)
		}
		return markText(text, h.spans(text, 0, lang))
	}
	d.TitleHTML = mark(rec.title, rec.titleLang)
	if rec.body != "" {
		for i, text := range strings.Split(rec.body, "\n") {
			lang := "fr"
			if i < len(rec.paragraphLangs) && rec.paragraphLangs[i] == 'e' {
				lang = "en"
			}
			d.Paragraphs = append(d.Paragraphs, Paragraph{Text: text, Lang: lang, HTML: mark(text, lang)})
		}
	}
	for _, c := range extra.Concepts {
		dc := DocumentConcept{ID: c.ID, Count: c.Count, Words: c.Words, Labels: map[string]string{}}
		if concept, ok := s.taxonomy.Concept(c.ID); ok {
			dc.Labels = map[string]string{"fr": concept.Label("fr"), "en": concept.Label("en")}
		}
		d.Concepts = append(d.Concepts, dc)
	}
	if extra.Parent != "" {
		if ref, err := s.ref(ctx, extra.Parent); err == nil {
			d.Parent = ref
		}
	}
	for _, m := range extra.Mentions {
		if ref, err := s.ref(ctx, m); err == nil {
			d.Mentions = append(d.Mentions, *ref)
		}
	}
	for _, other := range s.reprintsOf(rec.id, extra.Reprints) {
		if ref, err := s.ref(ctx, other); err == nil {
			d.Reprints = append(d.Reprints, *ref)
		}
	}
	return d, nil
}

// reprintsOf returns the ids of id's reprints: those found at build time
// and those its source named, each once.
func (s *Snapshot) reprintsOf(id string, named []string) []string {
	found := s.reprints[id]
	if len(named) == 0 {
		return found
	}
	out := append([]string(nil), found...)
	for _, n := range named {
		if n != id && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// ref returns a reference to document id.
func (s *Snapshot) ref(ctx context.Context, id string) (*DocumentRef, error) {
	rec, err := s.recordByID(ctx, id)
	if err != nil {
		return nil, err
	}
	return &DocumentRef{ID: rec.id, Title: rec.title, Source: rec.source, Date: rec.date, Kind: rec.kind}, nil
}

// recordByID reads the stored record of document id.
func (s *Snapshot) recordByID(ctx context.Context, id string) (*record, error) {
	if id == "" || len(id) > 512 {
		return nil, ErrNotFound
	}
	doc, found, err := s.internalID(id)
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", id, err)
	}
	if !found {
		return nil, ErrNotFound
	}
	return s.docs.get(doc)
}

// A ConceptCount is a concept of the taxonomy and the number of documents
// tagged with it.
type ConceptCount struct {
	ID     string
	Labels map[string]string
	Count  int
}

// Concepts returns the taxonomy's concepts with their document counts, in
// the taxonomy's order.
func (s *Snapshot) Concepts() []ConceptCount {
	f := s.facets[fieldConcept]
	out := make([]ConceptCount, 0, len(s.taxonomy.Concepts))
	for _, c := range s.taxonomy.Concepts {
		n := 0
		if b := f.bitmap(c.ID); b != nil {
			n = int(b.GetCardinality())
		}
		out = append(out, ConceptCount{ID: c.ID, Labels: map[string]string{"fr": c.Label("fr"), "en": c.Label("en")}, Count: n})
	}
	return out
}

// Sources returns every source with its document count, most frequent
// first.
func (s *Snapshot) Sources() []FacetCount {
	raw := s.countByBitmaps([]string{FacetSource}, s.all, nil)
	return s.valueFacet(FacetSource, raw[FacetSource], Request{FacetSize: MaxFacetSize})
}

// storedExtra is the rest of a document, for the document view.
type storedExtra struct {
	// Authors, Tags and Published come first: hits read them without
	// decoding the rest (see hitExtra).
	Authors     []string            `json:"authors,omitempty"`
	Tags        []string            `json:"tags,omitempty"`
	Published   string              `json:"published,omitempty"`
	DateFrom    string              `json:"date_from,omitempty"`
	DateTo      string              `json:"date_to,omitempty"`
	Concepts    []corpus.ConceptHit `json:"concepts"`
	Parent      string              `json:"parent,omitempty"`
	Mentions    []string            `json:"mentions,omitempty"`
	URL         string              `json:"url,omitempty"`
	Boilerplate []string            `json:"boilerplate,omitempty"`
	Origin      string              `json:"origin"`
	Section     string              `json:"section,omitempty"`
	Reprints    []string            `json:"reprints,omitempty"`
}

// hitFields are what a hit shows from a record's extra JSON.
type hitFields struct {
	authors, tags []string
	published     string
}

// hitExtra reads the authors, tags and time of publication at the start of
// a record's extra JSON, and stops at the first other key.
func hitExtra(extra []byte) hitFields {
	var f hitFields
	if len(extra) < 2 || !bytes.HasPrefix(extra, []byte(`{"authors"`)) && !bytes.HasPrefix(extra, []byte(`{"tags"`)) && !bytes.HasPrefix(extra, []byte(`{"published"`)) {
		return f
	}
	dec := json.NewDecoder(bytes.NewReader(extra))
	if _, err := dec.Token(); err != nil { // {
		return f
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return f
		}
		switch key {
		case "authors":
			if dec.Decode(&f.authors) != nil {
				f.authors = nil
				return f
			}
		case "tags":
			if dec.Decode(&f.tags) != nil {
				f.tags = nil
				return f
			}
		case "published":
			if dec.Decode(&f.published) != nil {
				f.published = ""
				return f
			}
		default:
			return f
		}
	}
	return f
}
