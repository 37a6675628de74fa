package press

import (
	"bytes"
	"crypto/sha1"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/net/html"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// LexisNexis HTML exports are a flat run of centred and left-aligned
// paragraphs whose classes (c0, c1…) carry no meaning, so they are read by
// their text.
//
// LexisNexis Academic: each document starts with "2001 of 2146 DOCUMENTS",
// then the publication, the date line ("December 19, 1991, Sunday, Late
// Edition - Final", possibly followed by "Correction Appended"), the
// headline, header fields ("BYLINE: ", "SECTION: ", "LENGTH: ",
// "DATELINE: "…; in French "AUTEUR: ", "RUBRIQUE: ", "LONGUEUR: "), the
// text, then trailer fields ("LOAD-DATE: ", "LANGUAGE: ", "GRAPHIC: ",
// "PUBLICATION-TYPE: ", "SUBJECT: ", "GEOGRAPHIC: ", "COMPANY: ",
// "INDUSTRY: "…) and a centred "Copyright 1991 The New York Times Company".
//
// Nexis Uni: the headline first, then the publication, the date line
// ("December 19, 2019 Thursday"), "Copyright …", "Section: ", "Length: ",
// "Byline: " lines, "Body", the text, "Classification", trailer fields
// ("Language: ", "Subject: ", "Load-Date: "…) and "End of Document".
//
// Nexis Uni's headlines link to the document ("…&id=urn:contentItem:5XV1-
// 8JH1-JBG3-6431-00000-00&…"): that is the id. LexisNexis Academic exports
// carry no document number: the id is made from the date and a hash of the
// publication, headline and text, so that it survives a new export and two
// same-day articles under one headline stay apart. A Nexis Uni export may
// open with a cover page (user, job number, search terms, the list of
// documents): it is kept as the first document's boilerplate.

// LexisNexis returns the format of LexisNexis and Nexis Uni HTML exports.
func LexisNexis() corpus.Format { return lexisNexis{} }

type lexisNexis struct{}

func (lexisNexis) Name() string { return "lexisnexis" }

// lexisHead matches what starts a LexisNexis export.
var lexisHead = regexp.MustCompile(`(?i)\d+ (?:of|de|sur|von) \d+ (?:documents?|dokumente?)\s*<|(?:document|dokument) \d+ (?:of|de|sur|von) \d+\s*<|<!--\s*hide xml section from browser|<docfull>|lxncomment|\bend of document\b|advance\.lexis\.com/|urn:contentitem:|job number:.*\n(?:.*\n){0,12}.*client/matter:`)

func (lexisNexis) Detect(path string, head []byte) bool {
	lower := bytes.ToLower(head)
	if !bytes.Contains(lower, []byte("<html")) && !bytes.Contains(lower, []byte("<!doctype")) && !bytes.Contains(lower, []byte("<div")) && !bytes.Contains(lower, []byte("<p")) {
		return false
	}
	return lexisHead.Match(head) ||
		(bytes.Contains(lower, []byte("load-date:")) && (bytes.Contains(lower, []byte("length:")) || bytes.Contains(lower, []byte("section:"))))
}

// lexisStart matches the line that starts a LexisNexis Academic document.
// ("2001 of 2146 DOCUMENTS", "Document 3 de 25", "Dokument 3 von 25").
var lexisStart = regexp.MustCompile(`(?i)^(?:\d+ (?:of|de|sur|von) \d+ (?:documents?|dokumente?)|(?:document|dokument) \d+ (?:of|de|sur|von) \d+)$`)

// lexisField matches a "KEY: value" field line.
var lexisField = regexp.MustCompile(`^\s*(\pL[\pL-]*(?: [\pL-]+)?):\s*(.*)$`)

// labelLine matches a line that starts with a label: "LOAD-DATE: …", a
// cover page's "Date and Time: …", "Narrowed by: …".
var labelLine = regexp.MustCompile(`^\s*[\pL][\pL /&'-]{0,40}:\s`)

// lexisHeaderFields are the fields between the headline and the text;
// lexisTrailerFields those after the text.
var (
	lexisHeaderFields = map[string]bool{
		"byline": true, "auteur": true, "author": true, "section": true, "rubrique": true, "length": true,
		"longueur": true, "dateline": true, "highlight": true, "encart": true, "edition": true,
		"autor": true, "länge": true, "rubrik": true, "ressort": true, "ausgabe": true,
	}
	lexisTrailerFields = map[string]bool{
		"load-date": true, "date-chargement": true, "language": true, "langue": true, "graphic": true,
		"publication-type": true, "type-publication": true, "subject": true, "sujet": true,
		"geographic": true, "localisation-geo": true, "company": true, "societe": true, "organization": true,
		"industry": true, "secteur-activite": true, "person": true, "city": true, "state": true, "country": true,
		"ticker": true, "symbole-boursier": true, "document-type": true, "correction-date": true,
		"correction": true, "url": true, "journal-code": true, "notes": true, "classification": true,
		"load-date-time": true, "terms": true, "sprache": true, "grafik": true, "update": true,
		"dokumenttyp": true, "publikationstyp": true,
	}
)

// field splits a "KEY: value" line whose key is one of keys.
func field(line string, keys map[string]bool) (key, value string, ok bool) {
	if c := strings.IndexByte(line, ':'); c < 0 || c > 48 {
		return "", "", false // no key is that long
	}
	m := lexisField.FindStringSubmatch(line)
	if m == nil || !keys[strings.ToLower(m[1])] {
		return "", "", false
	}
	return strings.ToLower(m[1]), m[2], true
}

// A lexisGroup is the text of one <p> (or <div>): lines split at <br>;
// item is the Nexis Uni document id ("urn:contentItem:5R4V-…") a link of
// the group points to, if any.
type lexisGroup struct {
	lines []string
	item  string
	link  string // the address that holds item
	// wrapped says the lines are one paragraph wrapped at a fixed width
	// (a text export), to be joined, not lines of their own.
	wrapped bool
	line    int // the line it starts at, in a text export
}

func (g lexisGroup) text() string { return strings.Join(g.lines, " ") }

// contentItem matches the id of a Nexis Uni document in a link to it:
// "https://advance.lexis.com/api/document?collection=news&id=urn:contentItem:5R4V-7X91-JBG3-6000-00000-00&context=1516831".
var contentItem = regexp.MustCompile(`urn:contentItem:[0-9A-Za-z-]{8,64}`)

func (lexisNexis) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	root, err := parseHTML(path, r)
	if err != nil {
		return err
	}
	ids := map[*html.Node]string{}
	mark := func(n *html.Node) string {
		if n.Data != "p" && n.Data != "div" {
			return ""
		}
		if _, ok := ids[n]; !ok {
			ids[n] = "g" + strconv.Itoa(len(ids))
		}
		return ids[n]
	}
	var groups []lexisGroup
	last := ""
	for _, b := range flatten(root, mark) {
		if len(groups) == 0 || b.mark != last {
			groups = append(groups, lexisGroup{})
		}
		g := &groups[len(groups)-1]
		g.lines = append(g.lines, b.text)
		if g.item == "" {
			if g.item = contentItem.FindString(b.href); g.item != "" {
				g.link = b.href
			}
		}
		last = b.mark
	}
	docs := splitLexis(groups)
	if len(docs) == 0 {
		return &Error{File: path, Msg: `no LexisNexis document: want "1 of 25 DOCUMENTS" lines or "End of Document" after each document`}
	}
	for i, g := range docs {
		doc, err := lexisDoc(path, i+1, g)
		if err != nil {
			return err
		}
		if err := emit(doc); err != nil {
			return err
		}
	}
	return nil
}

// splitLexis cuts the groups of a page into documents: at each "N of M
// DOCUMENTS" line (LexisNexis Academic) or after each "End of Document"
// (Nexis Uni).
func splitLexis(groups []lexisGroup) [][]lexisGroup {
	var docs [][]lexisGroup
	var s lexisSplitter
	for _, g := range groups {
		if d := s.add(g); d != nil {
			docs = append(docs, d)
		}
	}
	if d := s.end(); d != nil {
		docs = append(docs, d)
	}
	return docs
}

// A lexisSplitter cuts a stream of groups into documents, one group at a
// time, so that a reader holds one document at most.
type lexisSplitter struct {
	cur      []lexisGroup
	academic bool
}

// add takes the next group and returns the document it completes, if any.
func (s *lexisSplitter) add(g lexisGroup) []lexisGroup {
	t := g.text()
	switch {
	case lexisStart.MatchString(t):
		var done []lexisGroup
		if len(s.cur) > 0 && s.academic {
			done = s.cur
		}
		s.cur = []lexisGroup{g}
		s.academic = true
		return done
	case strings.EqualFold(t, "End of Document"):
		done := append(s.cur, g)
		s.cur = nil
		s.academic = false
		return done
	}
	s.cur = append(s.cur, g)
	return nil
}

// end returns the last document, an Academic one that no end line closes.
func (s *lexisSplitter) end() []lexisGroup {
	if s.academic && len(s.cur) > 0 {
		return s.cur
	}
	return nil
}

// lexisDoc reads document n of a file.
func lexisDoc(path string, n int, groups []lexisGroup) (corpus.Document, error) {
	var doc corpus.Document
	bad := func(msg string) (corpus.Document, error) {
		return corpus.Document{}, &Error{File: path, Article: n, Msg: msg}
	}
	i := 0
	var boilerplate []string
	if i < len(groups) && lexisStart.MatchString(groups[i].text()) {
		boilerplate = append(boilerplate, groups[i].text())
		i++
	}
	// The date line is the first line that holds a day; before it, the
	// publication (Academic) or the headline and the publication (Nexis
	// Uni, after the export's cover page, if any).
	academic := i > 0
	limit := i + 4
	if !academic {
		limit = i + 120
	}
	dateAt := -1
	for j := i; j < len(groups) && j < limit; j++ {
		line := groups[j].lines[0]
		if _, _, isField := field(line, lexisHeaderFields); isField || groups[j].text() == "Body" || groups[j].text() == "Text" {
			break // the header fields: the date line is before them
		}
		// A labelled line ("LOAD-DATE: March 23, 2017", the cover's "Date
		// and Time: …") is not the date line, which may hold a time
		// ("March 22, 2017 Wednesday 3:31 PM GMT").
		if _, ok := findDate(line); ok && !labelLine.MatchString(line) && (academic || j >= i+2) {
			dateAt = j
			break
		}
	}
	if dateAt < 0 {
		return bad("no date line (as in \"December 19, 1991, Sunday\") among the first lines")
	}
	span, _ := findDate(groups[dateAt].lines[0])
	doc.Date = span.day.Format(corpus.DateLayout)
	if t, ok := findTime(groups[dateAt].lines[0][span.end:], span.day); ok {
		doc.Published = t.Format(corpus.PublishedLayout)
	}
	boilerplate = append(boilerplate, groups[dateAt].lines[1:]...) // "Correction Appended"
	after := dateAt + 1
	if academic {
		before := groups[i:dateAt]
		if len(before) != 1 {
			return bad(fmt.Sprintf("%d lines between the document number and the date line, want the publication", len(before)))
		}
		doc.Source = cleanSource(before[0].text())
		if after < len(groups) {
			if _, _, isField := field(groups[after].text(), lexisHeaderFields); !isField && !isCopyright(groups[after].text()) {
				doc.Title = groups[after].text()
				after++
			}
		}
	} else {
		// Nexis Uni: [cover page,] headline, publication, date.
		for _, g := range groups[i : dateAt-2] {
			boilerplate = append(boilerplate, g.text())
		}
		doc.Title = groups[dateAt-2].text()
		doc.Source = cleanSource(groups[dateAt-1].text())
		doc.ID, doc.URL = groups[dateAt-2].item, groups[dateAt-2].link
	}
	if doc.Title == "" {
		return bad("no headline after the date line")
	}
	if doc.Source == "" {
		return bad("no publication before the date line")
	}
	lang := analysis.English
	inBody, trailer := false, false
	for _, g := range groups[after:] {
		t := g.text()
		if trailer || strings.EqualFold(t, "End of Document") || strings.EqualFold(t, "Classification") {
			trailer = true
			if key, value, ok := field(t, lexisTrailerFields); ok && (key == "language" || key == "langue" || key == "sprache") {
				lang = langOf(value, lang)
			}
			boilerplate = append(boilerplate, t)
			continue
		}
		if key, value, ok := field(t, lexisTrailerFields); ok {
			trailer = true
			if key == "language" || key == "langue" || key == "sprache" {
				lang = langOf(value, lang)
			}
			boilerplate = append(boilerplate, t)
			continue
		}
		if !inBody {
			if key, value, ok := field(t, lexisHeaderFields); ok {
				switch key {
				case "byline", "auteur", "author", "autor":
					doc.Authors = splitAuthors(value)
				case "section", "rubrique", "rubrik", "ressort":
					doc.Section = strings.TrimSpace(strings.Split(value, ";")[0])
				}
				boilerplate = append(boilerplate, t)
				continue
			}
			if isCopyright(t) {
				boilerplate = append(boilerplate, t)
				continue
			}
			if t == "Body" || t == "Text" {
				inBody = true
				continue
			}
		}
		inBody = true
		if isCopyright(t) && len(t) < 120 {
			boilerplate = append(boilerplate, t)
			continue
		}
		if g.wrapped {
			doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: t})
			continue
		}
		for _, line := range g.lines {
			doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: line})
		}
	}
	doc.Boilerplate = boilerplate
	if doc.ID == "" {
		// A link to the document itself, in its own lines (not the cover
		// page's list of every document).
		for _, g := range groups[after:] {
			if g.item != "" {
				doc.ID = g.item
				break
			}
		}
	}
	if doc.ID == "" {
		h := sha1.New()
		fmt.Fprintf(h, "%s\x00%s\x00%s", doc.Source, doc.Title, doc.Text())
		doc.ID = fmt.Sprintf("lexisnexis-%s-%x", doc.Date, h.Sum(nil)[:6])
	}
	finish(&doc, path, n, lang)
	return doc, nil
}
