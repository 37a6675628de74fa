// Package corpus reads tacheron's sources into Documents: it segments
// WordPress archive dumps into posts and press mentions, reads JSON Lines,
// parses French dates, detects the language of each paragraph and tags the
// concepts of a bilingual taxonomy.
package corpus

import "tacheron/corpus/analysis"

// A Kind says what a document is.
type Kind string

// The kinds of documents.
const (
	Post        Kind = "post"
	Video       Kind = "video"
	Seminar     Kind = "seminar"
	Interview   Kind = "interview"
	Press       Kind = "press"
	PressReview Kind = "press-review"
	Mention     Kind = "mention"
)

// Kinds returns every kind, in a stable order.
func Kinds() []Kind {
	return []Kind{Post, Video, Seminar, Interview, Press, PressReview, Mention}
}

// validKind reports whether k is one of Kinds.
func validKind(k Kind) bool {
	switch k {
	case Post, Video, Seminar, Interview, Press, PressReview, Mention:
		return true
	}
	return false
}

// A Document is one searchable record: a post of an archive, a press
// mention listed in a press review, or a line of a JSON Lines file.
type Document struct {
	// ID is stable across reindexing: the date and the first words of the
	// title ("2017-03-22-qui-entraine-les-ia").
	ID     string `json:"id"`
	Title  string `json:"title"`
	Source string `json:"source"`
	Kind   Kind   `json:"kind"`
	// Date is YYYY-MM-DD. For a title dated by a span ("janv.-mars 2017")
	// it is the span's last day, and DateFrom/DateTo hold the span.
	Date     string `json:"date"`
	DateFrom string `json:"date_from,omitempty"`
	DateTo   string `json:"date_to,omitempty"`
	// Published is the time of publication, RFC 3339 in the source's own
	// zone ("2017-03-22T09:15:00+01:00"), when the source gives a time of
	// day and a zone (WordPress post_date_gmt, a feed's entry date, a
	// page's article:published_time, front matter, a press export's time
	// line); Date stays the day, in that zone, that facets count.
	Published string `json:"published,omitempty"`
	// Lang is the language of most of the text; TitleLang the title's.
	Lang       analysis.Lang `json:"lang"`
	TitleLang  analysis.Lang `json:"title_lang"`
	Paragraphs []Paragraph   `json:"paragraphs"`
	Concepts   []ConceptHit  `json:"concepts"`
	// Parent is the post a mention was listed in; Mentions the mentions a
	// press review lists.
	Parent   string   `json:"parent,omitempty"`
	Mentions []string `json:"mentions,omitempty"`
	URL      string   `json:"url,omitempty"`
	// Authors are the people who signed the document, as displayed
	// ("Antonio A. Casilli"); Tags its categories and keywords; Section the
	// part of a publication it appeared in (a press export's rubrique).
	Authors []string `json:"authors,omitempty"`
	Tags    []string `json:"tags,omitempty"`
	Section string   `json:"section,omitempty"`
	// Reprints are the ids of the documents that carry the same text
	// reached through another route (a blog post reproducing an article,
	// and the press database's copy of it); see corpus/reprint.
	Reprints []string `json:"reprints,omitempty"`
	// Boilerplate holds lines of the source that are not the author's text
	// (a press database's menu and copyright): kept apart, never searched.
	Boilerplate []string `json:"boilerplate,omitempty"`
	// Origin names the file and line the document starts at.
	Origin string `json:"origin"`
}

// A Paragraph is a block of body text in one language.
type Paragraph struct {
	Text string        `json:"text"`
	Lang analysis.Lang `json:"lang"`
}

// A ConceptHit says that a document speaks of a concept: how often, and with
// which words.
type ConceptHit struct {
	ID    string   `json:"id"`
	Count int      `json:"count"`
	Words []string `json:"words"`
}

// ConceptIDs returns the ids of the document's concepts.
func (d *Document) ConceptIDs() []string {
	ids := make([]string, len(d.Concepts))
	for i, c := range d.Concepts {
		ids[i] = c.ID
	}
	return ids
}

// Text returns the body paragraphs joined by blank lines.
func (d *Document) Text() string {
	n := 0
	for _, p := range d.Paragraphs {
		n += len(p.Text) + 2
	}
	b := make([]byte, 0, n)
	for i, p := range d.Paragraphs {
		if i > 0 {
			b = append(b, '\n', '\n')
		}
		b = append(b, p.Text...)
	}
	return string(b)
}
