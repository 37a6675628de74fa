// Package csv reads spreadsheets of articles saved as CSV (encoding/csv):
// a header row names the columns — title, date, body, source, url,
// authors, lang, tags, section, kind, id, in any order, in English or
// French (titre, texte or corps, lien, auteurs, langue, mots-clés or
// étiquettes, rubrique…), or as a Zotero CSV export names them (Abstract
// Note, Publication Title, Manual Tags, Item Type; authors "Last, First")
// — and each row is a document. Commas, semicolons (a French
// spreadsheet's export) and tabs separate fields; a byte-order mark and
// Windows-1252 text are read too.
package csv

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Format returns the CSV format.
func Format() corpus.Format { return format{} }

type format struct{}

func (format) Name() string { return "csv" }

// columns maps folded header names to the field they fill.
var columns = map[string]string{
	"title": "title", "titre": "title", "headline": "title",
	"date": "date", "published": "date", "pubdate": "date", "date de publication": "date", "publication date": "date", "jour": "date",
	"body": "body", "text": "body", "texte": "body", "corps": "body", "content": "body", "contenu": "body", "article": "body",
	"abstract": "body", "abstract note": "body", "resume": "body",
	"source": "source", "publication": "source", "journal": "source", "media": "source", "site": "source", "support": "source",
	"publication title": "source", "website title": "source", "blog title": "source",
	"url": "url", "link": "url", "lien": "url", "adresse": "url",
	"authors": "authors", "author": "authors", "auteurs": "authors", "auteur": "authors", "signature": "authors", "byline": "authors",
	"lang": "lang", "language": "lang", "langue": "lang",
	"tags": "tags", "tag": "tags", "keywords": "tags", "mots-cles": "tags", "mots cles": "tags", "etiquettes": "tags", "categories": "tags", "sujets": "tags",
	"manual tags": "tags", "automatic tags": "tags",
	"section": "section", "rubrique": "section",
	"kind": "kind", "type": "kind", "item type": "kind",
	"id": "id", "identifiant": "id",
}

// fold normalises a header name: lower case, no accents, single spaces.
func fold(s string) string {
	s = analysis.Fold(analysis.Lower(strings.TrimSpace(s)))
	s = strings.NewReplacer("_", " ", "é", "e", "è", "e").Replace(s)
	return strings.Join(strings.Fields(s), " ")
}

// header reads a header line: its separator and the field of each column
// ("" for a column tacheron does not read).
func header(line string) (comma rune, fields []string, ok bool) {
	line = strings.TrimPrefix(strings.TrimRight(line, "\r\n"), "\ufeff")
	comma = ','
	best := strings.Count(line, ",")
	for _, c := range []rune{';', '\t'} {
		if n := strings.Count(line, string(c)); n > best {
			comma, best = c, n
		}
	}
	if best == 0 {
		return 0, nil, false
	}
	seen := map[string]bool{}
	zotero := false
	for name := range strings.SplitSeq(line, string(comma)) {
		folded := fold(strings.Trim(strings.TrimSpace(name), `"`))
		f := columns[folded]
		fields = append(fields, f)
		seen[f] = true
		zotero = zotero || folded == "item type"
	}
	if zotero {
		// Zotero writes "Last, First; Last, First": a comma never
		// separates two authors.
		for i, f := range fields {
			if f == "authors" {
				fields[i] = "authors-zotero"
			}
		}
	}
	return comma, fields, seen["title"] && seen["date"]
}

// Detect recognises text whose first line is a header naming at least a
// title and a date column.
func (format) Detect(_ string, head []byte) bool {
	line, _, _ := bytes.Cut(head, []byte("\n"))
	_, _, ok := header(string(line))
	return ok
}

// Read reads the rows of r.
func (format) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	if peek, _ := br.Peek(64 << 10); !utf8.Valid(trimCut(peek)) {
		// Not UTF-8: a spreadsheet saved in Windows-1252.
		r = charmap.Windows1252.NewDecoder().Reader(br)
		br = bufio.NewReaderSize(r, 64<<10)
	}
	first, err := br.ReadString('\n')
	if err != nil && err != io.EOF {
		return err
	}
	comma, fields, ok := header(first)
	if !ok {
		return &corpus.SyntaxError{File: path, Line: 1, Msg: "the header row must name a title and a date column (title/titre, date)"}
	}
	cr := csv.NewReader(br)
	cr.Comma = comma
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return nil
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			return &corpus.SyntaxError{File: path, Line: pe.StartLine + 1, Msg: fmt.Sprintf("line %d, column %d: %v", pe.Line+1, pe.Column, pe.Err)}
		}
		if err != nil {
			return err
		}
		line, _ := cr.FieldPos(0)
		line++ // the header was read apart
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		if len(rec) > len(fields) {
			return &corpus.SyntaxError{File: path, Line: line, Msg: fmt.Sprintf("%d fields, the header names %d", len(rec), len(fields))}
		}
		doc, err := row(fields, rec)
		if err != nil {
			return &corpus.SyntaxError{File: path, Line: line, Msg: err.Error()}
		}
		doc.Origin = fmt.Sprintf("%s:%d", path, line)
		if err := emit(doc); err != nil {
			return err
		}
	}
}

// trimCut drops an incomplete rune at the end of a peeked buffer.
func trimCut(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}

// row turns a record into a document.
func row(fields, rec []string) (corpus.Document, error) {
	var d corpus.Document
	var date string
	for i, v := range rec {
		v = strings.TrimSpace(v)
		switch fields[i] {
		case "title":
			d.Title = v
		case "date":
			// A sheet may have both a day and a time column ("date",
			// "published"): an empty cell never hides the other, and a time
			// with its zone is preferred.
			if _, timed := corpus.ParseTimestamp(v); v != "" && (date == "" || timed) {
				date = v
			}
		case "body":
			for p := range strings.SplitSeq(strings.ReplaceAll(v, "\r\n", "\n"), "\n\n") {
				if p = strings.TrimSpace(p); p != "" {
					d.Paragraphs = append(d.Paragraphs, corpus.Paragraph{Text: p})
				}
			}
		case "source":
			if d.Source == "" {
				d.Source = v
			}
		case "url":
			d.URL = v
		case "authors":
			for _, a := range split(v) {
				d.Authors = append(d.Authors, lastFirst(a))
			}
		case "authors-zotero":
			for a := range strings.SplitSeq(v, ";") {
				if a = strings.TrimSpace(a); a != "" {
					d.Authors = append(d.Authors, lastFirst(a))
				}
			}
		case "tags":
			d.Tags = append(d.Tags, split(v)...)
		case "kind":
			if k := corpus.Kind(strings.ToLower(v)); slices.Contains(corpus.Kinds(), k) {
				d.Kind = k
			} else if k, ok := zoteroKinds[strings.ToLower(v)]; ok {
				d.Kind = k
			}
		case "section":
			d.Section = v
		case "id":
			d.ID = v
		case "lang":
			switch l := strings.ToLower(v); {
			case l == "":
			case strings.HasPrefix(l, "fr"):
				d.Lang = analysis.French
			case strings.HasPrefix(l, "en"), strings.HasPrefix(l, "an"):
				d.Lang = analysis.English
			default:
				return d, fmt.Errorf("lang %q: want fr or en", v)
			}
		}
	}
	if d.Title == "" {
		return d, errors.New("no title")
	}
	if date == "" {
		return d, fmt.Errorf("%q has no date", d.Title)
	}
	day, ok := parseDay(date)
	if !ok {
		return d, fmt.Errorf("date %q is not a date (want 2017-03-22, 22/03/2017 or 22 mars 2017)", date)
	}
	d.Date = day
	if t, ok := corpus.ParseTimestamp(date); ok {
		d.Published = t.Format(corpus.PublishedLayout)
	}
	if d.ID != "" && !corpus.ValidID(d.ID) {
		return d, fmt.Errorf("id %q is not printable text", d.ID)
	}
	return d, nil
}

// zoteroKinds maps the item types of a Zotero export to kinds; a kind
// column holds those or tacheron's kinds, and other values leave the
// default.
var zoteroKinds = map[string]corpus.Kind{
	"blogpost": corpus.Post, "forumpost": corpus.Post, "webpage": corpus.Post,
	"newspaperarticle": corpus.Press, "magazinearticle": corpus.Press,
	"videorecording": corpus.Video, "audiorecording": corpus.Video, "podcast": corpus.Video, "radiobroadcast": corpus.Video,
	"tvbroadcast": corpus.Video, "film": corpus.Video, "presentation": corpus.Seminar,
}

// lastFirst writes a name given last name first, as Zotero and
// bibliographies do ("Exemple, Claire"), first name first.
func lastFirst(name string) string {
	last, first, ok := strings.Cut(name, ",")
	last, first = strings.TrimSpace(last), strings.TrimSpace(first)
	if !ok || last == "" || first == "" || strings.Contains(first, ",") || len(strings.Fields(first)) > 3 || len(strings.Fields(last)) > 3 {
		return name
	}
	return first + " " + last
}

// split splits a list of names at semicolons, vertical bars or commas.
func split(v string) []string {
	sep := ","
	for _, s := range []string{";", "|"} {
		if strings.Contains(v, s) {
			sep = s
			break
		}
	}
	var out []string
	for it := range strings.SplitSeq(v, sep) {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// dateLayouts are the layouts of dates spreadsheets hold.
var dateLayouts = []string{corpus.DateLayout, time.RFC3339, "2006-01-02 15:04:05", "2006-01-02 15:04", "2006-01-02T15:04:05", "02/01/2006", "2/1/2006", "02/01/2006 15:04", "02.01.2006", "2006/01/02"}

// parseDay returns the day a cell names (day before month in slashes, as
// in French).
func parseDay(s string) (string, bool) {
	if t, ok := corpus.ParseTimestamp(s); ok {
		return t.Format(corpus.DateLayout), true
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, s); err == nil {
			return t.Format(corpus.DateLayout), true
		}
	}
	if from, to, ok := corpus.ParseDate(s); ok && from.Equal(to) {
		return to.Format(corpus.DateLayout), true
	}
	return "", false
}
