package press

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"html"
	"io"
	"regexp"
	"strings"
	"time"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Factiva's XML exports (the PPS / Factiva API article format) hold
// <ppsarticle><article> elements: accessionNo, baseLanguage, copyright,
// headline/paragraph, byline, leadParagraph/paragraph, tailParagraphs/
// paragraph, publicationDate/date or dateTime, sourceName, sectionName,
// newsSubject/name, region/name, company/name, industry/name, notes. Search
// hits are wrapped in <hlt>. The file is read as a stream, one article at
// a time, with encoding/xml.

// FactivaXML returns the format of Factiva XML exports.
func FactivaXML() corpus.Format { return factivaXML{} }

type factivaXML struct{}

func (factivaXML) Name() string { return "factiva-xml" }

func (factivaXML) Detect(path string, head []byte) bool {
	lower := bytes.ToLower(head)
	return bytes.HasPrefix(bytes.TrimSpace(lower), []byte("<")) &&
		(bytes.Contains(lower, []byte("<ppsarticle")) || bytes.Contains(lower, []byte("global.factiva.com/")) ||
			bytes.Contains(lower, []byte("<accessionno>")))
}

// fxText is an element whose text is wanted, markup (<hlt>) stripped.
type fxText struct {
	Inner string `xml:",innerxml"`
}

var xmlTags = regexp.MustCompile(`<[^>]*>`)

func (t fxText) String() string {
	return cleanText(html.UnescapeString(xmlTags.ReplaceAllString(t.Inner, " ")))
}

// fxParagraphs is an element holding <paragraph>s.
type fxParagraphs struct {
	Paragraphs []fxText `xml:"paragraph"`
}

func (p fxParagraphs) texts() []string {
	var out []string
	for _, t := range p.Paragraphs {
		if s := t.String(); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// fxName is an index entry: <newsSubject code="gpol"><name>Domestic
// Politics</name></newsSubject>.
type fxName struct {
	Code string `xml:"code,attr"`
	Name string `xml:"name"`
}

// fxArticle is one <article> of a Factiva XML export.
type fxArticle struct {
	AccessionNo     string       `xml:"accessionNo"`
	BaseLanguage    string       `xml:"baseLanguage"`
	Copyright       fxText       `xml:"copyright"`
	Headline        fxParagraphs `xml:"headline"`
	Byline          fxText       `xml:"byline"`
	Lead            fxParagraphs `xml:"leadParagraph"`
	Tail            fxParagraphs `xml:"tailParagraphs"`
	PublicationDate struct {
		Date     string `xml:"date"`
		DateTime string `xml:"dateTime"`
	} `xml:"publicationDate"`
	SourceName  fxText   `xml:"sourceName"`
	SectionName fxText   `xml:"sectionName"`
	Notes       fxText   `xml:"notes"`
	Subjects    []fxName `xml:"newsSubject"`
	Regions     []fxName `xml:"region"`
	Companies   []fxName `xml:"company"`
	Industries  []fxName `xml:"industry"`
}

func (factivaXML) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	// The export is decoded by content first, as the HTML exports are: a
	// file declaring ISO-8859-1 that holds UTF-8 (or the reverse) still
	// reads right. The XML declaration is then ignored.
	data, err := decode(r, "")
	if err != nil {
		return &Error{File: path, Msg: err.Error()}
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = func(_ string, in io.Reader) (io.Reader, error) { return in, nil }
	n := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := dec.InputPos()
		if err != nil {
			return &Error{File: path, Article: n + 1, Msg: fmt.Sprintf("line %d: %v", line, err)}
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != "article" {
			continue
		}
		n++
		var a fxArticle
		if err := dec.DecodeElement(&a, &start); err != nil {
			line, _ := dec.InputPos()
			return &Error{File: path, Article: n, Msg: fmt.Sprintf("line %d: %v", line, err)}
		}
		doc, err := a.document(path, n, line)
		if err != nil {
			return err
		}
		if err := emit(doc); err != nil {
			return err
		}
	}
	if n == 0 {
		return &Error{File: path, Msg: "no Factiva <article> element"}
	}
	return nil
}

// document turns a Factiva XML article into a document.
func (a *fxArticle) document(path string, n, line int) (corpus.Document, error) {
	doc := corpus.Document{
		ID:      strings.TrimSpace(a.AccessionNo),
		Title:   strings.Join(a.Headline.texts(), " "),
		Source:  cleanSource(a.SourceName.String()),
		Section: a.SectionName.String(),
		Authors: splitAuthors(a.Byline.String()),
	}
	bad := func(msg string) (corpus.Document, error) {
		return corpus.Document{}, &Error{File: path, Article: n, DocID: doc.ID, Msg: fmt.Sprintf("line %d: %s", line, msg)}
	}
	if doc.Title == "" {
		return bad("no <headline>")
	}
	if doc.Source == "" {
		return bad("no <sourceName>")
	}
	raw := strings.TrimSpace(a.PublicationDate.Date)
	if raw == "" {
		raw = strings.TrimSpace(a.PublicationDate.DateTime)
	}
	day, err := parseISODay(raw)
	if err != nil {
		return bad(fmt.Sprintf("<publicationDate> %s", quote(raw)))
	}
	doc.Date = day
	if t, ok := corpus.ParseTimestamp(a.PublicationDate.DateTime); ok {
		doc.Published = t.Format(corpus.PublishedLayout)
	}
	for _, p := range append(a.Lead.texts(), a.Tail.texts()...) {
		doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: p})
	}
	for _, s := range []string{a.Copyright.String(), a.Notes.String()} {
		if s != "" {
			doc.Boilerplate = append(doc.Boilerplate, s)
		}
	}
	for _, index := range []struct {
		label string
		names []fxName
	}{{"NS", a.Subjects}, {"RE", a.Regions}, {"CO", a.Companies}, {"IN", a.Industries}} {
		var names []string
		for _, x := range index.names {
			if name := cleanText(x.Name); name != "" {
				names = append(names, name)
			}
		}
		if len(names) > 0 {
			doc.Boilerplate = append(doc.Boilerplate, index.label+" "+strings.Join(names, " | "))
		}
	}
	finish(&doc, path, n, langOf(a.BaseLanguage, analysis.English))
	return doc, nil
}

// parseISODay reads "2012-01-09", "2012-01-09T01:35:58Z" or "20120109".
func parseISODay(s string) (string, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", corpus.DateLayout, "20060102"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(corpus.DateLayout), nil
		}
	}
	if len(s) >= 10 {
		if t, err := time.Parse(corpus.DateLayout, s[:10]); err == nil {
			return t.Format(corpus.DateLayout), nil
		}
	}
	return "", fmt.Errorf("not a date: %q", s)
}
