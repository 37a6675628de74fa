package press

import (
	"bytes"
	"io"
	"regexp"
	"strings"

	"golang.org/x/net/html"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Factiva's HTML exports (Dow Jones Factiva, "Save as HTML" / "Print")
// put each article in a <div class="article enArticle"> ("frArticle",
// "deArticle"… by language), in one of two displays.
//
// The "Article" display: <div id="hd"><span class="enHeadline">, an optional
// <div class="author">By …</div>, then one <div> per field in a fixed order —
// word count ("1,093 words"), date ("22 March 2017"), an optional time,
// source name, source code, language, copyright ("(c) 2017 Le Figaro") — then
// <p class="articleParagraph enarticleParagraph"> paragraphs and a last
// "Document FIGARO0020170322ed3m0000a" line (the accession number).
//
// The "Full Article/Report plus Indexing" display: a table whose rows pair
// a field code (<td class="index"><b>HD</b></td>) with its value: HD
// headline, BY byline, SE section, WC, PD date, ET time, SN source, SC, LA
// language, CY copyright, LP lead paragraphs, TD text, NS/RE/IN/CO/IPC/IPD
// index terms, PUB publisher, AN "Document …".

// Factiva returns the format of Factiva HTML exports.
func Factiva() corpus.Format { return factivaHTML{} }

type factivaHTML struct{}

func (factivaHTML) Name() string { return "factiva" }

// factivaHTMLMarker matches the article classes of a Factiva page
// ("article enArticle") and its paragraphs.
var factivaHTMLMarker = regexp.MustCompile(`(?i)class=["']?(article [a-z]{2}article|articleparagraph)|<title>\s*factiva`)

func (factivaHTML) Detect(path string, head []byte) bool {
	lower := bytes.ToLower(head)
	if !bytes.Contains(lower, []byte("<html")) && !bytes.Contains(lower, []byte("<!doctype")) && !bytes.Contains(lower, []byte("<div")) {
		return false
	}
	return factivaHTMLMarker.Match(head) || (bytes.Contains(lower, []byte("factiva")) && bytes.Contains(lower, []byte("dow jones")))
}

// isFactivaArticle reports whether n is an article's <div class="article
// xxArticle">, or the plain <div class="article"> of older exports
// (Factiva.com's print view until about 2010) when it holds a headline
// (<div id="hd">).
func isFactivaArticle(n *html.Node) bool {
	if n.Data != "div" || !hasClass(n, "article") {
		return false
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		if len(c) == 9 && strings.HasSuffix(strings.ToLower(c), "article") {
			return true
		}
	}
	return strings.EqualFold(strings.TrimSpace(attr(n, "class")), "article") &&
		len(findAll(n, func(c *html.Node) bool { return c != n && attr(c, "id") == "hd" })) > 0
}

func (factivaHTML) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	root, err := parseHTML(path, r)
	if err != nil {
		return err
	}
	arts := findAll(root, isFactivaArticle)
	if len(arts) == 0 {
		return &Error{File: path, Msg: `no Factiva article: want <div class="article enArticle"> elements`}
	}
	for i, art := range arts {
		lang := analysis.English
		for _, c := range strings.Fields(attr(art, "class")) {
			if len(c) == 9 && !strings.EqualFold(c, "article") {
				lang = langOf(c[:2], analysis.English)
			}
		}
		var doc corpus.Document
		if len(findAll(art, func(n *html.Node) bool { return n.Data == "td" && hasClass(n, "index") })) > 0 {
			doc, err = factivaCoded(path, i+1, art, lang)
		} else {
			doc, err = factivaDisplay(path, i+1, art, lang)
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

// accession matches a Factiva accession number line: "Document
// LEFIG00020170322ed3m0000a".
var accession = regexp.MustCompile(`^(?:Document|Documento|Dokument)\s+([A-Za-z0-9]{10,40})$`)

// wordCount matches a word-count line: "1,093 words", "295 mots".
var wordCount = regexp.MustCompile(`^[\d,. ]+ (?:words|mots|Wörter|palabras|parole|woorden)$`)

// clockTime matches a time line: "15:32", "3:32 PM", "15:32 GMT".
var clockTime = regexp.MustCompile(`^\d{1,2}:\d{2}(?:\s?[AaPp]\.?[Mm]\.?)?(?:\s+[A-Z]{2,4})?$`)

// byline matches a byline line of an older Factiva export: "By PETER
// GOSNELL.", "Par Jean Dupont".
var byline = regexp.MustCompile(`^(?:By|BY|Par|PAR|Von|VON) \p{Lu}`)

// isLanguageName reports whether a line is the language field of a
// Factiva article ("English", "Français").
func isLanguageName(t string) bool {
	switch strings.ToLower(t) {
	case "english", "anglais", "englisch", "french", "français", "francais", "französisch",
		"german", "deutsch", "allemand", "spanish", "español", "italian", "italiano", "dutch", "nederlands":
		return true
	}
	return false
}

// isCopyright reports whether a line is a copyright notice.
func isCopyright(t string) bool {
	l := strings.ToLower(t)
	return strings.HasPrefix(l, "(c)") || strings.HasPrefix(l, "©") || strings.HasPrefix(l, "copyright") ||
		strings.Contains(l, "all rights reserved") || strings.Contains(l, "tous droits réservés")
}

// factivaMark gives the role of an element of a Factiva article.
func factivaMark(n *html.Node) string {
	if attr(n, "id") == "hd" {
		return markTitle
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		c = strings.ToLower(c)
		switch {
		case strings.HasSuffix(c, "headline"):
			return markTitle
		case c == "author":
			return markAuthor
		case strings.HasSuffix(c, "articleparagraph"):
			return markBody
		}
	}
	return ""
}

// factivaDisplay reads an article of the "Article" display.
func factivaDisplay(path string, n int, art *html.Node, lang analysis.Lang) (corpus.Document, error) {
	var (
		doc         corpus.Document
		title       []string
		pre, fields []string
		boilerplate []string
		marked      bool // the paragraphs have the articleParagraph class
	)
	for _, b := range flatten(art, factivaMark) {
		t := b.text
		if m := accession.FindStringSubmatch(t); m != nil {
			doc.ID = m[1]
			boilerplate = append(boilerplate, t)
			continue
		}
		switch b.mark {
		case markTitle:
			title = append(title, t)
		case markAuthor:
			doc.Authors = append(doc.Authors, splitAuthors(t)...)
		case markBody:
			doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: t})
			marked = true
		default:
			if len(title) == 0 {
				pre = append(pre, t) // a section above the headline
			} else {
				fields = append(fields, t)
			}
		}
	}
	return factivaFields(path, n, doc, strings.Join(title, " "), pre, fields, boilerplate, marked, lang)
}

// factivaFields reads the lines of an article of the "Article" display
// around its headline: pre, the lines above it (a section), and fields,
// the lines under it (byline, word count, date, time, source, code,
// edition, page, language, copyright and, unless the paragraphs were
// marked as such, the text).
func factivaFields(path string, n int, doc corpus.Document, title string, pre, fields, boilerplate []string, marked bool, lang analysis.Lang) (corpus.Document, error) {
	bad := func(msg string) (corpus.Document, error) {
		return corpus.Document{}, &Error{File: path, Article: n, DocID: doc.ID, Msg: msg}
	}
	doc.Title = title
	if doc.Title == "" {
		return bad(`no headline (<div id="hd">)`)
	}
	if len(pre) > 0 {
		doc.Section = pre[len(pre)-1]
	}
	// The fields come in order: words, date, [time], source, code,
	// language, copyright. Find the date, then read what follows it.
	dateAt := -1
	for i, f := range fields {
		if wordCount.MatchString(f) {
			boilerplate = append(boilerplate, f)
			continue
		}
		if byline.MatchString(f) && len(doc.Authors) == 0 {
			// Older exports have no class="author": "By PETER GOSNELL."
			doc.Authors = splitAuthors(strings.TrimRight(f, ". "))
			boilerplate = append(boilerplate, f)
			continue
		}
		if span, ok := findDate(f); ok && dateAt < 0 && span.end-span.start >= len(f)-2 {
			doc.Date = span.day.Format(corpus.DateLayout)
			dateAt = i
			break
		}
	}
	if dateAt < 0 {
		return bad("no date line (as in \"22 March 2017\") after the headline")
	}
	rest := fields[dateAt+1:]
	if len(rest) > 0 && clockTime.MatchString(rest[0]) {
		day, _ := findDate(fields[dateAt])
		if t, ok := findTime(rest[0], day.day); ok {
			doc.Published = t.Format(corpus.PublishedLayout)
		}
		boilerplate = append(boilerplate, rest[0])
		rest = rest[1:]
	}
	if len(rest) == 0 || isCopyright(rest[0]) {
		return bad("no source name after the date")
	}
	doc.Source = cleanSource(rest[0])
	// Then the source code, an optional edition and page, the language
	// and the copyright. In older exports, whose paragraphs have no
	// class, the text follows the copyright (or the language), and may
	// end with a copyright line of its own.
	rest = rest[1:]
	end := len(rest)
	if !marked {
		end = 0
		for i, f := range rest {
			if isCopyright(f) {
				end = i + 1
				break
			}
			if isLanguageName(f) {
				end = i + 1
			}
		}
	}
	for _, f := range rest[:end] {
		switch strings.ToLower(f) {
		case "english", "anglais", "englisch":
			lang = analysis.English
		case "french", "français", "francais", "französisch":
			lang = analysis.French
		}
		boilerplate = append(boilerplate, f)
	}
	for _, f := range rest[end:] {
		if isCopyright(f) && len(f) < 120 {
			boilerplate = append(boilerplate, f)
			continue
		}
		doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: f})
	}
	doc.Boilerplate = boilerplate
	finish(&doc, path, n, lang)
	return doc, nil
}

// factivaCoded reads an article of the coded ("Full Article/Report plus
// Indexing") display.
func factivaCoded(path string, n int, art *html.Node, lang analysis.Lang) (corpus.Document, error) {
	var fields []codedField
	for _, td := range findAll(art, func(n *html.Node) bool { return n.Data == "td" && hasClass(n, "index") }) {
		code := strings.ToUpper(textOf(td))
		value := td.NextSibling
		for value != nil && value.Type != html.ElementNode {
			value = value.NextSibling
		}
		if value == nil {
			continue
		}
		f := codedField{code: code, text: textOf(value)}
		if code == "LP" || code == "TD" {
			for _, b := range flatten(value, func(*html.Node) string { return "" }) {
				f.paragraphs = append(f.paragraphs, b.text)
			}
		}
		fields = append(fields, f)
	}
	return codedDoc(path, n, fields, lang)
}

// A codedField is one field of Factiva's coded display: its code ("HD"),
// its text and, for the lead (LP) and the text (TD), its paragraphs.
type codedField struct {
	code, text string
	paragraphs []string
}

// codedDoc reads the fields of an article of the coded display.
func codedDoc(path string, n int, fields []codedField, lang analysis.Lang) (corpus.Document, error) {
	var doc corpus.Document
	var boilerplate []string
	date, clock := "", ""
	for _, f := range fields {
		code, text := f.code, f.text
		switch code {
		case "HD":
			doc.Title = text
		case "BY":
			doc.Authors = splitAuthors(text)
		case "SE":
			doc.Section = text
		case "PD":
			date = text
		case "ET":
			clock = text
			boilerplate = append(boilerplate, code+" "+text)
		case "SN":
			doc.Source = cleanSource(text)
		case "LA":
			lang = langOf(text, lang)
			boilerplate = append(boilerplate, code+" "+text)
		case "LP", "TD":
			for _, p := range f.paragraphs {
				doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: p})
			}
		case "AN":
			if m := accession.FindStringSubmatch(text); m != nil {
				doc.ID = m[1]
			}
			boilerplate = append(boilerplate, code+" "+text)
		default:
			boilerplate = append(boilerplate, code+" "+text)
		}
	}
	bad := func(msg string) (corpus.Document, error) {
		return corpus.Document{}, &Error{File: path, Article: n, DocID: doc.ID, Msg: msg}
	}
	if doc.Title == "" {
		return bad("no HD (headline) field")
	}
	if doc.Source == "" {
		return bad("no SN (source name) field")
	}
	span, ok := findDate(date)
	if !ok {
		return bad("PD (publication date) " + quote(date) + " is not a date")
	}
	doc.Date = span.day.Format(corpus.DateLayout)
	if t, ok := findTime(clock, span.day); ok {
		doc.Published = t.Format(corpus.PublishedLayout)
	}
	doc.Boilerplate = boilerplate
	finish(&doc, path, n, lang)
	return doc, nil
}
