package press

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Factiva's RTF download ("Rich Text Format") and the text copied from
// its pages hold the same two displays as its HTML, as lines of text.
//
// The coded display ("Full Article/Report plus Indexing") is one line per
// field, its code, a tab (a table cell in RTF) and its value; the lead
// (LP) and the text (TD) run over several lines, one per paragraph:
//
//	HD	Headline of the article
//	BY	By Jane Doe
//	WC	512 words
//	PD	22 March 2017
//	SN	The Times
//	SC	TIMEUK
//	LA	English
//	CY	(c) 2017 Times Newspapers Ltd.
//	LP	The first paragraph.
//	TD	The next paragraph.
//	NS	gcat : Political/General News
//	AN	Document TIMEUK0020170322ed3m0000a
//
// The "Article" display has no codes: the headline (a section may come
// first), an optional "By …" line, "512 words", the date, an optional
// time, the source name and code, an optional edition and page, the
// language, the copyright, the paragraphs, and "Document
// TIMEUK0020170322ed3m0000a" after each article.

// FactivaText returns the format of Factiva's RTF and text downloads.
func FactivaText() corpus.Format { return factivaText{} }

type factivaText struct{}

func (factivaText) Name() string { return "factiva-text" }

// factivaCodes are the field codes of the coded display, in the order
// Factiva writes them.
var factivaCodes = []string{"CLM", "SE", "HD", "BY", "CR", "WC", "PD", "ET", "SN", "SC", "ED", "PG", "VOL",
	"LA", "CY", "LP", "TD", "CT", "RF", "CO", "IN", "NS", "RE", "IPC", "IPD", "PUB", "AN"}

// codedLine matches a line that starts a field of the coded display: its
// code, then a tab or two spaces and the value, or the code alone.
var codedLine = regexp.MustCompile(`^\s*(CLM|SE|HD|BY|CR|WC|PD|ET|SN|SC|ED|PG|VOL|LA|CY|LP|TD|CT|RF|CO|IN|NS|RE|IPC|IPD|PUB|AN)(?:(?:\t| {2,}|\x{a0})\s*(.*))?$`)

// textAccession matches an accession-number line in a text.
var textAccession = regexp.MustCompile(`(?m)^\s*(?:AN\s+)?(?:Document|Documento|Dokument)\s+[A-Za-z0-9]{16,40}\s*$`)

// wordCountLine matches a word-count line in a text.
var wordCountLine = regexp.MustCompile(`(?m)^\s*[\d,. ]+ (?:words|mots|Wörter|palabras|parole|woorden)\s*$`)

func (factivaText) Detect(path string, head []byte) bool {
	text := head
	if isRTF(head) {
		t, _ := rtfText(head)
		text = []byte(t)
	} else if isMarkup(head) {
		return false
	}
	lines := strings.Split(strings.ReplaceAll(string(text), "\r", "\n"), "\n")
	if hasField(lines, "HD") && hasField(lines, "PD") {
		return true
	}
	return wordCountLine.Match(text) && (textAccession.Match(text) || bytes.Contains(bytes.ToLower(text), []byte("dow jones")))
}

// isMarkup reports whether a head is HTML or XML.
func isMarkup(head []byte) bool {
	lower := bytes.ToLower(head)
	for _, markup := range []string{"<html", "<!doctype", "<?xml", "<div", "<p>", "<p ", "<body"} {
		if bytes.Contains(lower, []byte(markup)) {
			return true
		}
	}
	return false
}

// readText returns the text of a text or RTF export, as lines.
func readText(path string, r io.Reader) ([]string, error) {
	data, err := decode(r, "text/plain")
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	text := string(data)
	if isRTF(data) {
		if text, err = rtfText(data); err != nil {
			return nil, &Error{File: path, Msg: "reading RTF: " + err.Error()}
		}
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	return strings.Split(text, "\n"), nil
}

func (factivaText) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	lines, err := readText(path, r)
	if err != nil {
		return err
	}
	coded := isCoded(lines)
	var arts []textArticle
	if coded {
		arts = codedArticles(lines)
	} else {
		arts = displayArticles(lines)
	}
	if len(arts) == 0 {
		return &Error{File: path, Msg: `no Factiva article: want "HD" fields or "Document …" lines after each article`}
	}
	for i, a := range arts {
		var doc corpus.Document
		if coded {
			doc, err = codedDoc(path, i+1, a.fields, analysis.English)
		} else {
			doc, err = displayDoc(path, i+1, a.lines)
		}
		var perr *Error
		if errors.As(err, &perr) && perr.Article > 0 {
			perr.Msg = fmt.Sprintf("line %d: %s", a.line, perr.Msg)
		}
		if err != nil {
			return err
		}
		if err := emit(doc); err != nil {
			return err
		}
	}
	return nil
}

// isCoded reports whether lines hold the coded display: a headline
// field.
func isCoded(lines []string) bool { return hasField(lines, "HD") }

// hasField reports whether lines hold the field code of the coded display
// with a value: on its line after a tab or two spaces, or — the code alone
// on its line, as a copy of the page's table may give it — on the next
// non-blank line, unless that is another code.
func hasField(lines []string, code string) bool {
	for i, l := range lines {
		m := codedLine.FindStringSubmatch(l)
		if m == nil || m[1] != code {
			continue
		}
		if strings.TrimSpace(m[2]) != "" {
			return true
		}
		for _, next := range lines[i+1 : min(i+3, len(lines))] {
			if strings.TrimSpace(next) != "" {
				if codedLine.MatchString(next) {
					break
				}
				return true
			}
		}
	}
	return false
}

// A textArticle is one article of a text export: its fields (coded
// display) or its lines (article display), and the line it starts at.
type textArticle struct {
	fields []codedField
	lines  []string
	line   int
}

// codeOrder returns the place of a field code in factivaCodes.
func codeOrder(code string) int {
	for i, c := range factivaCodes {
		if c == code {
			return i
		}
	}
	return -1
}

// codedArticles cuts the lines of the coded display into articles: a new
// one starts at a field that cannot follow the previous one (a headline
// after the accession number).
func codedArticles(lines []string) []textArticle {
	var arts []textArticle
	var cur *textArticle
	var field *codedField
	var para []string // the lines of the paragraph being read
	last := -1
	endPara := func() {
		if field != nil && len(para) > 0 {
			field.paragraphs = append(field.paragraphs, strings.Join(para, " "))
		}
		para = nil
	}
	endField := func() {
		endPara()
		if field != nil && cur != nil {
			if field.text == "" && len(field.paragraphs) > 0 {
				field.text = strings.Join(field.paragraphs, " ")
			}
			cur.fields = append(cur.fields, *field)
		}
		field = nil
	}
	for i, raw := range lines {
		if m := codedLine.FindStringSubmatch(raw); m != nil {
			order := codeOrder(m[1])
			if cur == nil || order <= last {
				endField()
				arts = append(arts, textArticle{line: i + 1})
				cur = &arts[len(arts)-1]
			} else {
				endField()
			}
			last = order
			field = &codedField{code: m[1]}
			if v := cleanText(m[2]); v != "" {
				para = append(para, v)
				if field.code == "AN" {
					endField() // one line: what follows is the download's
				}
			}
			continue
		}
		if field == nil {
			continue // before the first article: the download's cover
		}
		l := cleanText(raw)
		switch {
		case l == "":
			endPara()
		case field.code == "LP" || field.code == "TD":
			// One paragraph a line (RTF), or wrapped lines (a text) that
			// a blank line ends.
			if len(para) > 0 && !wrapped(para[len(para)-1]) {
				endPara()
			}
			para = append(para, l)
		default:
			para = append(para, l)
			if field.code == "AN" {
				endField()
			}
		}
	}
	endField()
	return arts
}

// wrapped reports whether a line of text looks cut at a fixed width, the
// next one continuing its paragraph.
func wrapped(line string) bool {
	if len(line) < 60 || len(line) > 100 {
		return false
	}
	switch line[len(line)-1] {
	case '.', '!', '?', '"', ':':
		return false
	}
	return !strings.HasSuffix(line, "»") && !strings.HasSuffix(line, "”")
}

// displayArticles cuts the lines of the article display into articles,
// each ending at its accession-number line.
func displayArticles(lines []string) []textArticle {
	var arts []textArticle
	var cur []string
	start := 0
	for i, raw := range lines {
		l := cleanText(raw)
		if len(cur) == 0 {
			if l == "" {
				continue
			}
			start = i + 1
		}
		cur = append(cur, l)
		if accession.MatchString(l) {
			arts = append(arts, textArticle{lines: cur, line: start})
			cur = nil
		}
	}
	return arts
}

// displayDoc reads an article of the article display.
func displayDoc(path string, n int, lines []string) (corpus.Document, error) {
	var doc corpus.Document
	var boilerplate []string
	// The lines, blank lines dropped, paragraphs that a text wrapped
	// joined again.
	var ls []string
	for _, l := range lines {
		switch {
		case l == "":
			ls = append(ls, "")
		case len(ls) > 0 && ls[len(ls)-1] != "" && wrapped(ls[len(ls)-1]):
			ls[len(ls)-1] += " " + l
		default:
			ls = append(ls, l)
		}
	}
	var nonblank []string
	for _, l := range ls {
		if l == "" {
			continue
		}
		if m := accession.FindStringSubmatch(l); m != nil {
			doc.ID = m[1]
			boilerplate = append(boilerplate, l)
			continue
		}
		nonblank = append(nonblank, l)
	}
	// The headline is the line above the byline and the word count.
	w := -1
	for i, l := range nonblank {
		if i > 6 {
			break
		}
		if wordCount.MatchString(l) {
			w = i
			break
		}
	}
	if w < 0 {
		return corpus.Document{}, &Error{File: path, Article: n, DocID: doc.ID, Msg: `no word count ("512 words") under the headline`}
	}
	t := w - 1
	if t >= 0 && byline.MatchString(nonblank[t]) {
		t--
	}
	if t < 0 {
		return corpus.Document{}, &Error{File: path, Article: n, DocID: doc.ID, Msg: "no headline above the word count"}
	}
	return factivaFields(path, n, doc, nonblank[t], nonblank[:t], nonblank[t+1:], boilerplate, false, analysis.English)
}
