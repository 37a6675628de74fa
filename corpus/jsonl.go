package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"

	"tacheron/corpus/analysis"
)

// A Record is one line of a JSON Lines corpus file. Title and date are
// required; the body is either Body (paragraphs separated by blank lines) or
// Paragraphs.
type Record struct {
	ID     string `json:"id,omitempty"`
	Title  string `json:"title"`
	Source string `json:"source,omitempty"`
	Kind   Kind   `json:"kind,omitempty"`
	Date   string `json:"date"`
	// Published is the time of publication, RFC 3339 with a zone
	// ("2017-03-22T09:15:00+01:00"); without Date, its day is the date.
	Published  string          `json:"published,omitempty"`
	Lang       analysis.Lang   `json:"lang,omitempty"`
	Body       string          `json:"body,omitempty"`
	Paragraphs []RecordSection `json:"paragraphs,omitempty"`
	Parent     string          `json:"parent,omitempty"`
	URL        string          `json:"url,omitempty"`
	Authors    []string        `json:"authors,omitempty"`
	Tags       []string        `json:"tags,omitempty"`
	Section    string          `json:"section,omitempty"`
}

// A RecordSection is a paragraph of a Record; Lang is detected when empty.
type RecordSection struct {
	Text string        `json:"text"`
	Lang analysis.Lang `json:"lang,omitempty"`
}

// maxLineBytes bounds one line of a JSON Lines file.
const maxLineBytes = 8 << 20

// ParseRecord reads one JSON Lines record into a document (concepts are not
// tagged here). lineNo is used in errors.
func ParseRecord(name string, lineNo int, data []byte, m Manifest) (Document, error) {
	bad := func(format string, args ...any) error {
		return &SyntaxError{File: name, Line: lineNo, Msg: fmt.Sprintf(format, args...)}
	}
	if !utf8.Valid(data) {
		return Document{}, bad("invalid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var r Record
	if err := dec.Decode(&r); err != nil {
		return Document{}, bad("invalid JSON record: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return Document{}, bad("invalid JSON record: more than one value on the line")
	}
	if !validText(r.Title) || strings.TrimSpace(r.Title) == "" {
		return Document{}, bad("record needs a title (non-empty text without control characters)")
	}
	var published time.Time
	if r.Published != "" {
		t, ok := ParseTimestamp(r.Published)
		if !ok {
			return Document{}, bad("published %q is not a time with a zone (want RFC 3339: 2017-03-22T09:15:00+01:00)", r.Published)
		}
		published = t
		if r.Date == "" {
			r.Date = t.Format(DateLayout)
		}
	}
	from, to, ok := ParseDate(r.Date)
	if !ok {
		return Document{}, bad("date %q is not a date (want YYYY-MM-DD)", r.Date)
	}
	if r.Kind == "" {
		r.Kind = Post
	}
	if !validKind(r.Kind) {
		return Document{}, bad("unknown kind %q (want one of %v)", r.Kind, Kinds())
	}
	if r.Lang != "" && r.Lang != analysis.French && r.Lang != analysis.English {
		return Document{}, bad("unknown lang %q (want fr or en)", r.Lang)
	}
	if r.ID != "" && !ValidID(r.ID) {
		return Document{}, bad("id %q: use printable characters, at most %d bytes", r.ID, maxIDBytes)
	}
	if r.Parent != "" && !ValidID(r.Parent) {
		return Document{}, bad("parent %q is not a valid id", r.Parent)
	}
	if r.Body != "" && len(r.Paragraphs) > 0 {
		return Document{}, bad("record has both body and paragraphs")
	}
	if !validText(r.Source) || !validText(r.Body) {
		return Document{}, bad("control characters in source or body")
	}
	fallback := m.DefaultLang
	if r.Lang != "" {
		fallback = r.Lang
	}
	if fallback != analysis.English {
		fallback = analysis.French
	}
	doc := Document{
		ID:      r.ID,
		Title:   normalizeSpace(r.Title),
		Source:  normalizeSpace(r.Source),
		Kind:    r.Kind,
		Date:    to.Format(DateLayout),
		Parent:  r.Parent,
		URL:     r.URL,
		Authors: cleanList(r.Authors),
		Tags:    cleanList(r.Tags),
		Section: normalizeSpace(r.Section),
		Origin:  fmt.Sprintf("%s:%d", name, lineNo),
	}
	if !from.Equal(to) {
		doc.DateFrom, doc.DateTo = from.Format(DateLayout), to.Format(DateLayout)
	}
	if !published.IsZero() {
		doc.Published = published.Format(PublishedLayout)
	}
	if doc.Source == "" {
		doc.Source = m.DefaultSource
	}
	sections := r.Paragraphs
	if r.Body != "" {
		for _, p := range strings.Split(r.Body, "\n\n") {
			sections = append(sections, RecordSection{Text: p})
		}
	}
	for i, s := range sections {
		if !validText(s.Text) {
			return Document{}, bad("paragraph %d: control characters", i+1)
		}
		text := normalizeSpace(s.Text)
		if text == "" {
			continue
		}
		lang := s.Lang
		switch lang {
		case "":
			lang = analysis.DetectLanguage(text, fallback)
		case analysis.French, analysis.English:
		default:
			return Document{}, bad("paragraph %d: unknown lang %q (want fr or en)", i+1, s.Lang)
		}
		doc.Paragraphs = append(doc.Paragraphs, Paragraph{Text: text, Lang: lang})
	}
	doc.TitleLang = analysis.DetectLanguage(doc.Title, "")
	doc.Lang = r.Lang
	if doc.Lang == "" {
		doc.Lang = documentLang(doc.Paragraphs, doc.TitleLang, fallback)
	}
	if doc.TitleLang == "" {
		doc.TitleLang = doc.Lang
	}
	if doc.ID == "" {
		doc.ID = deriveID(doc.Date, doc.Title)
	}
	return doc, nil
}

// validText reports whether s holds no control character other than
// white space.
func validText(s string) bool {
	for _, r := range s {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' {
			return false
		}
		if r == 0x7f {
			return false
		}
	}
	return true
}
