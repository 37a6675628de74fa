// Package export writes search results and concordance lines in the
// formats a journalist takes away: CSV, JSON Lines, RIS and BibTeX (for
// reference managers). Writers hold one record at a time: an export's
// memory does not grow with its rows.
package export

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"

	"tacheron/index"
)

// Formats of search results.
var Formats = []string{"csv", "jsonl", "ris", "bibtex"}

// A Writer writes records in one format: Header first, then each Record,
// then Flush.
type Writer interface {
	Header() error
	Record(r index.Record) error
	Flush() error
}

// NewWriter returns a Writer of format (one of Formats) to w.
func NewWriter(format string, w io.Writer) (Writer, error) {
	switch format {
	case "csv":
		return &csvRecords{w: csv.NewWriter(w)}, nil
	case "jsonl":
		return &jsonlRecords{w: w}, nil
	case "ris":
		return &risRecords{w: w}, nil
	case "bibtex":
		return &bibtexRecords{w: w}, nil
	}
	return nil, fmt.Errorf("export: unknown format %q (want %s)", format, strings.Join(Formats, ", "))
}

// ContentType returns the media type of a format.
func ContentType(format string) string {
	switch format {
	case "csv":
		return "text/csv; charset=utf-8"
	case "jsonl":
		return "application/jsonl; charset=utf-8"
	case "ris":
		return "application/x-research-info-systems; charset=utf-8"
	case "bibtex":
		return "application/x-bibtex; charset=utf-8"
	}
	return "application/octet-stream"
}

// Extension returns the file name extension of a format.
func Extension(format string) string {
	if format == "bibtex" {
		return "bib"
	}
	return format
}

// encodeJSON writes v compact, with <, > and & as they are, and a newline.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// nonNil returns s, or an empty slice for nil (so JSON says []).
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// LineHeader is the header row of a concordance in CSV.
var LineHeader = []string{"id", "title", "source", "date", "field", "paragraph", "start", "end", "left", "keyword", "right"}

// LineCells returns a concordance line as CSV cells.
func LineCells(l index.Line) []string {
	return SafeCells([]string{l.ID, l.Title, l.Source, l.Date, l.Field, strconv.Itoa(l.Paragraph),
		strconv.Itoa(l.Start), strconv.Itoa(l.End), l.Left, l.Keyword, l.Right})
}

// SafeCells keeps a spreadsheet from reading a cell as a formula: a cell
// that starts with =, +, -, @, a tab or a carriage return gets a leading
// apostrophe (OWASP's advice for CSV injection).
func SafeCells(cells []string) []string {
	for i, s := range cells {
		if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
			cells[i] = "'" + s
		}
	}
	return cells
}

// csvRecords writes records as CSV with a header row.
type csvRecords struct{ w *csv.Writer }

func (w *csvRecords) Header() error {
	return w.w.Write([]string{"id", "title", "authors", "source", "kind", "date", "lang", "concepts", "url", "match", "abstract", "published"})
}

func (w *csvRecords) Record(r index.Record) error {
	return w.w.Write(SafeCells([]string{r.ID, r.Title, strings.Join(r.Authors, "; "), r.Source, r.Kind, r.Date, r.Lang,
		strings.Join(r.Concepts, "; "), r.URL, r.Match, r.Abstract, r.Published}))
}

func (w *csvRecords) Flush() error { w.w.Flush(); return w.w.Error() }

// Record is a line of a JSON Lines export of a search.
type Record struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Authors []string `json:"authors"`
	Source  string   `json:"source"`
	Kind    string   `json:"kind"`
	Date    string   `json:"date"`
	// Published is the time of publication (RFC 3339, in the source's
	// zone) when the source gave one.
	Published string   `json:"published,omitempty"`
	Lang      string   `json:"lang"`
	Concepts  []string `json:"concepts"`
	URL       string   `json:"url,omitempty"`
	Match     string   `json:"match"`
	Abstract  string   `json:"abstract"`
}

// jsonlRecords writes records as JSON Lines.
type jsonlRecords struct{ w io.Writer }

func (w *jsonlRecords) Header() error { return nil }

func (w *jsonlRecords) Record(r index.Record) error {
	return encodeJSON(w.w, Record{ID: r.ID, Title: r.Title, Authors: nonNil(r.Authors), Source: r.Source, Kind: r.Kind,
		Date: r.Date, Published: r.Published, Lang: r.Lang, Concepts: nonNil(r.Concepts), URL: r.URL, Match: r.Match, Abstract: r.Abstract})
}

func (w *jsonlRecords) Flush() error { return nil }

// risRecords writes records as RIS, for reference managers.
type risRecords struct{ w io.Writer }

func (w *risRecords) Header() error { return nil }

// risType maps a kind of document to a RIS reference type.
func risType(kind string) string {
	switch kind {
	case "press", "press-review", "mention":
		return "NEWS"
	case "post":
		return "BLOG"
	case "video":
		return "VIDEO"
	}
	return "ELEC"
}

func (w *risRecords) Record(r index.Record) error {
	var b strings.Builder
	tag := func(t, v string) {
		if v = oneLine(v); v != "" {
			fmt.Fprintf(&b, "%s  - %s\r\n", t, v)
		}
	}
	tag("TY", risType(r.Kind))
	tag("ID", r.ID)
	tag("TI", r.Title)
	for _, a := range r.Authors {
		tag("AU", a)
	}
	tag("T2", r.Source)
	if len(r.Date) >= 4 {
		tag("PY", r.Date[:4])
	}
	tag("DA", strings.ReplaceAll(r.Date, "-", "/"))
	tag("UR", r.URL)
	tag("LA", r.Lang)
	for _, c := range r.Concepts {
		tag("KW", c)
	}
	tag("AB", r.Abstract)
	b.WriteString("ER  - \r\n\r\n")
	_, err := io.WriteString(w.w, b.String())
	return err
}

func (w *risRecords) Flush() error { return nil }

// oneLine puts a value on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// bibtexRecords writes records as BibTeX entries.
type bibtexRecords struct{ w io.Writer }

func (w *bibtexRecords) Header() error { return nil }

func (w *bibtexRecords) Record(r index.Record) error {
	var b strings.Builder
	entry, venue := "misc", "howpublished"
	switch r.Kind {
	case "press", "press-review", "mention":
		entry, venue = "article", "journal"
	}
	fmt.Fprintf(&b, "@%s{%s,\n", entry, bibKey(r.ID))
	field := func(name, v string) {
		if v = oneLine(v); v != "" {
			fmt.Fprintf(&b, "  %s = {%s},\n", name, bibEscape(v))
		}
	}
	field("title", r.Title)
	field("author", strings.Join(r.Authors, " and "))
	field(venue, r.Source)
	if len(r.Date) >= 7 {
		field("year", r.Date[:4])
		field("month", r.Date[5:7])
	}
	field("date", r.Date)
	if r.URL != "" {
		fmt.Fprintf(&b, "  url = {%s},\n", strings.NewReplacer("{", "%7B", "}", "%7D", " ", "%20").Replace(r.URL))
	}
	field("langid", map[string]string{"fr": "french", "en": "english"}[r.Lang])
	field("keywords", strings.Join(r.Concepts, ", "))
	field("abstract", r.Abstract)
	b.WriteString("}\n\n")
	_, err := io.WriteString(w.w, b.String())
	return err
}

func (w *bibtexRecords) Flush() error { return nil }

// bibKey makes a citation key of a document id: letters, digits, - and _.
func bibKey(id string) string {
	return strings.Map(func(r rune) rune {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r) || r == '-' || r == '_') {
			return r
		}
		return '_'
	}, id)
}

// bibEscape escapes the characters TeX reads as commands.
var bibEscape = strings.NewReplacer(
	`\`, `\textbackslash{}`, "{", `\{`, "}", `\}`, "%", `\%`, "&", `\&`, "$", `\$`, "#", `\#`, "_", `\_`,
	"^", `\^{}`, "~", `\~{}`,
).Replace
