package api

import (
	"math"
	"sync"

	"tacheron/index"
)

// SearchResponse is the body of GET /api/v1/search.
type SearchResponse struct {
	Query string `json:"query"`
	// Total counts the documents that match every word of the query;
	// RelatedTotal those that match only partly, or through a concept a
	// word stands for, which follow them.
	Total        int     `json:"total"`
	RelatedTotal int     `json:"related_total"`
	Page         int     `json:"page"`
	PerPage      int     `json:"per_page"`
	TookMS       float64 `json:"took_ms"`
	Hits         []Hit   `json:"hits"`
	// Facets holds every requested facet, an empty list when nothing
	// counts.
	Facets map[string][]FacetValue `json:"facets"`
	// Words are the query's words as the search understood them.
	Words []string `json:"words"`
	// Generation is that of the index that answered.
	Generation uint64 `json:"generation"`
	// Warnings report filter values that match no value of the index (the
	// search answers as if they were there, with no document); absent
	// when there is none.
	Warnings []Warning `json:"warnings,omitempty"`
}

// A Warning reports a filter value that matches no value of the index,
// with the closest values that exist.
type Warning struct {
	Parameter string   `json:"parameter"`
	Value     string   `json:"value"`
	Closest   []string `json:"closest"`
	Message   string   `json:"message"`
}

// A Hit is one document of a search response.
type Hit struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Kind   string `json:"kind"`
	Date   string `json:"date"`
	// Published is the time of publication, RFC 3339 in the source's zone,
	// when the source gave one; Date is its day there.
	Published string   `json:"published,omitempty"`
	Lang      string   `json:"lang"`
	Concepts  []string `json:"concepts"`
	Authors   []string `json:"authors,omitempty"`
	Tags      []string `json:"tags,omitempty"`
	// Score is the BM25 score; it orders hits only within a tier.
	Score float64 `json:"score"`
	// Tier is the ranking tier: hits are ordered by tier, larger first,
	// then by score. 0 when they are ordered by date.
	Tier       int64      `json:"tier"`
	Highlights Highlights `json:"highlights"`
	// Match is "all" for a document that matches every word of the
	// query, "related" for one that follows them.
	Match string `json:"match"`
	// AlsoIn are the other documents of the hit's group of reprints.
	AlsoIn []DocumentReference `json:"also_in"`
}

// Highlights are HTML-escaped snippets with the matches in <mark>.
type Highlights struct {
	Title []string `json:"title"`
	Body  []string `json:"body"`
	// BodyLang is the language of each body snippet, its paragraph's: an
	// English passage of a French document is "en".
	BodyLang []string `json:"body_lang"`
}

// A FacetValue is a value of a facet and the number of hits with it;
// concepts have a label.
type FacetValue struct {
	Value string `json:"value"`
	Label string `json:"label,omitempty"`
	Count int    `json:"count"`
}

// NewSearchResponse maps the result of req into the API's response.
func NewSearchResponse(req index.Request, res *index.Result) *SearchResponse {
	return new(SearchResponse).fill(req, res)
}

// fill maps the result of req into out, reusing the room of its hits,
// facets and warnings (an earlier response's): every field is written
// anew. It returns out.
func (out *SearchResponse) fill(req index.Request, res *index.Result) *SearchResponse {
	perPage := req.Limit
	if perPage <= 0 {
		perPage = 10
	}
	hits, facets, warnings := out.Hits[:0], out.Facets, out.Warnings[:0]
	if hits == nil || cap(hits) < len(res.Hits) {
		hits = make([]Hit, 0, len(res.Hits))
	}
	if facets == nil {
		facets = make(map[string][]FacetValue, len(req.Facets))
	}
	clear(facets)
	*out = SearchResponse{
		Query:        req.Query,
		Total:        res.Total,
		RelatedTotal: res.Related,
		Page:         req.Offset/perPage + 1,
		PerPage:      perPage,
		TookMS:       math.Round(float64(res.Took.Nanoseconds())/1e3) / 1e3,
		Hits:         hits[:len(res.Hits)],
		Facets:       facets,
		Words:        nonNil(res.Words),
		Generation:   res.Generation,
		Warnings:     warnings,
	}
	for _, w := range res.Warnings {
		out.Warnings = append(out.Warnings, Warning{Parameter: w.Param, Value: w.Value, Closest: nonNil(w.Closest), Message: w.Message()})
	}
	for i, h := range res.Hits {
		out.Hits[i] = Hit{
			ID: h.ID, Title: h.Title, Source: h.Source, Kind: h.Kind, Date: h.Date, Published: h.Published, Lang: h.Lang,
			Concepts: nonNil(h.Concepts),
			Authors:  h.Authors, Tags: h.Tags,
			Score: h.Score,
			Tier:  h.Tier,
			Match: h.Match,
			Highlights: Highlights{
				Title:    nonNil(h.Highlights["title"]),
				Body:     nonNil(h.Highlights["body"]),
				BodyLang: nonNil(h.Highlights["body_lang"]),
			},
			AlsoIn: make([]DocumentReference, len(h.Reprints)),
		}
		for j, r := range h.Reprints {
			out.Hits[i].AlsoIn[j] = reference(r)
		}
	}
	for _, name := range req.Facets {
		counts := res.Facets[name]
		values := make([]FacetValue, len(counts))
		for i, fc := range counts {
			values[i] = FacetValue{Value: fc.Value, Count: fc.Count}
			if name == index.FacetConcept {
				values[i].Label = fc.Label
			}
		}
		out.Facets[name] = values
	}
	return out
}

// A responsePool keeps search responses between requests, so that their
// hits, which hold pointers, are neither allocated nor cleared anew.
type responsePool struct{ sync.Pool }

func (p *responsePool) get() *SearchResponse {
	if r, ok := p.Get().(*SearchResponse); ok {
		return r
	}
	return new(SearchResponse)
}

// put keeps r unless it grew large.
func (p *responsePool) put(r *SearchResponse) {
	if cap(r.Hits) <= 100 {
		p.Put(r)
	}
}

// A Document is the body of GET /api/v1/documents/{id}.
type Document struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	TitleHTML string `json:"title_html"`
	Source    string `json:"source"`
	Kind      string `json:"kind"`
	Date      string `json:"date"`
	DateFrom  string `json:"date_from,omitempty"`
	DateTo    string `json:"date_to,omitempty"`
	// Published is the time of publication, RFC 3339 in the source's zone,
	// when the source gave one; Date is its day there.
	Published string `json:"published,omitempty"`
	Lang      string `json:"lang"`
	TitleLang string `json:"title_lang"`
	URL       string `json:"url,omitempty"`
	Origin    string `json:"origin"`
	// Authors, Tags and Section are as the source gave them.
	Authors []string `json:"authors"`
	Tags    []string `json:"tags"`
	Section string   `json:"section,omitempty"`
	// Paragraphs are the body, each in its language; HTML is the text
	// escaped, with the matches of the q parameter marked.
	Paragraphs []Paragraph         `json:"paragraphs"`
	Concepts   []DocumentConcept   `json:"concepts"`
	Parent     *DocumentReference  `json:"parent,omitempty"`
	Mentions   []DocumentReference `json:"mentions"`
	// Reprints are the documents that carry the same text, reached through
	// another route (a blog post and the press database's copy of it).
	Reprints   []DocumentReference `json:"reprints"`
	Generation uint64              `json:"generation"`
}

// A Paragraph is a paragraph of a document.
type Paragraph struct {
	Text string `json:"text"`
	Lang string `json:"lang"`
	HTML string `json:"html"`
}

// A DocumentConcept is a concept of a document and the words that
// triggered it.
type DocumentConcept struct {
	ID     string   `json:"id"`
	Labels Labels   `json:"labels"`
	Count  int      `json:"count"`
	Words  []string `json:"words"`
}

// Labels name a concept in French and English.
type Labels struct {
	FR string `json:"fr"`
	EN string `json:"en"`
}

// A DocumentReference names another document.
type DocumentReference struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Date   string `json:"date"`
	Kind   string `json:"kind"`
}

func newDocument(d *index.Document) *Document {
	out := &Document{
		ID: d.ID, Title: d.Title, TitleHTML: d.TitleHTML, Source: d.Source, Kind: d.Kind, Date: d.Date,
		DateFrom: d.DateFrom, DateTo: d.DateTo, Published: d.Published, Lang: d.Lang, TitleLang: d.TitleLang, URL: d.URL, Origin: d.Origin,
		Authors: nonNil(d.Authors), Tags: nonNil(d.Tags), Section: d.Section,
		Paragraphs: make([]Paragraph, len(d.Paragraphs)),
		Concepts:   make([]DocumentConcept, len(d.Concepts)),
		Mentions:   make([]DocumentReference, len(d.Mentions)),
		Reprints:   make([]DocumentReference, len(d.Reprints)),
		Generation: d.Generation,
	}
	for i, p := range d.Paragraphs {
		out.Paragraphs[i] = Paragraph{Text: p.Text, Lang: p.Lang, HTML: p.HTML}
	}
	for i, c := range d.Concepts {
		out.Concepts[i] = DocumentConcept{ID: c.ID, Labels: labels(c.Labels), Count: c.Count, Words: nonNil(c.Words)}
	}
	if d.Parent != nil {
		ref := reference(*d.Parent)
		out.Parent = &ref
	}
	for i, m := range d.Mentions {
		out.Mentions[i] = reference(m)
	}
	for i, r := range d.Reprints {
		out.Reprints[i] = reference(r)
	}
	return out
}

func reference(r index.DocumentRef) DocumentReference {
	return DocumentReference{ID: r.ID, Title: r.Title, Source: r.Source, Date: r.Date, Kind: r.Kind}
}

func labels(m map[string]string) Labels { return Labels{FR: m["fr"], EN: m["en"]} }

// A Concept is an element of GET /api/v1/concepts.
type Concept struct {
	ID     string `json:"id"`
	Labels Labels `json:"labels"`
	// Label is the label in the language asked for (label_lang).
	Label string `json:"label"`
	Count int    `json:"count"`
}

// A Source is an element of GET /api/v1/sources.
type Source struct {
	// Value is the value to filter on (the source parameter).
	Value string `json:"value"`
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// A Suggestion is an element of GET /api/v1/suggest.
type Suggestion struct {
	Text string `json:"text"`
	// Kind is term, concept, source or title.
	Kind string `json:"kind"`
	// ID is the concept's id (concept), the document's (title) or the source (source).
	ID    string `json:"id,omitempty"`
	Count int    `json:"count"`
}

// nonNil returns s, or an empty slice for nil (so JSON says [], not null).
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
