package press

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Europresse also exports a selection as one PDF: a cover (the list of the
// selected articles), then each article from a new page, in the page frame
// of the viewer (a running header, the notice "Ce document est réservé à
// l'usage exclusif de l'utilisateur désigné par …", "Service fourni par
// CEDROM-SNi", page numbers) — its publication's name, the date line
// ("Économie, mercredi 22 mars 2017 1093 mots, p. 28"), the title, the
// byline, the text, the copyright line ("© 2017 Le Figaro. Tous droits
// réservés."), the notice "Le présent document est protégé par les lois et
// conventions internationales sur le droit d'auteur…", "Certificat émis le
// … à … à des fins de visualisation personnelle et temporaire." and the
// document number ("news·20170322·LF·…"), which closes the article.
//
// The PDF format (corpus/pdf) gives the text pdftotext -layout makes of it
// (pages separated by form feeds, the gaps between paragraphs kept as
// blank lines, which its default mode loses): EuropressePDF splits it.
// The page frame is what repeats at the top or bottom of most pages, and
// the lines the viewer always writes there; an article runs from the page
// after the previous article's document number to its own; the first
// article starts on the last page before its document number whose first
// lines are a publication and a date line, so the cover is left out.

// EuropressePDF returns the reader of Europresse PDF exports, for the PDF
// format (corpus/pdf).
func EuropressePDF() EuropressePDFReader { return EuropressePDFReader{} }

// EuropressePDFReader reads the text of Europresse PDF exports.
type EuropressePDFReader struct{}

// europressePDFMarkers are what only an Europresse PDF's text holds.
var europressePDFMarkers = []string{
	"Le présent document est protégé par les lois et conventions",
	"Certificat émis le", "Ce document est réservé à l'usage exclusif", "Ce document est réservé à l’usage exclusif",
	"CEDROM-SNi", "This document is protected by", "Certificate issued",
}

// Claims reports whether a PDF's text is an Europresse export: a document
// number and one of the viewer's notices.
func (EuropressePDFReader) Claims(text string) bool {
	if !strings.Contains(text, "·") || !docNumber.MatchString(text) {
		return false
	}
	// The notices may wrap anywhere.
	text = cleanText(text)
	for _, m := range europressePDFMarkers {
		if strings.Contains(text, m) {
			return true
		}
	}
	return false
}

// A pdfBlock is a run of lines pdftotext wrote without a blank line
// between them, on one page.
type pdfBlock struct {
	lines []string
	page  int // from 1
}

// frameStarts are the lines of the viewer's page frame, wherever they are.
var frameStarts = []string{
	"Ce document est réservé à l'usage exclusif", "Ce document est réservé à l’usage exclusif",
	"This document is reserved for the exclusive use", "Service fourni par CEDROM", "Service provided by CEDROM",
	"Ce document a été généré", "This document was generated",
}

// framePage matches a page number, the viewer's logo line, an address
// alone on its line (a browser prints the page's at the bottom).
var framePage = regexp.MustCompile(`(?i)^(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:/|sur|of|de)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$|^(?:www\.)?europresse(?:\.com)?$|^©\s*\d{4}\s*CEDROM|^https?://\S+(?:\s+\d{1,4}\s*/\s*\d{1,4})?$`)

// isFrame reports whether a line belongs to the page frame.
func isFrame(line string) bool {
	if framePage.MatchString(line) {
		return true
	}
	if len(line) < 120 && strings.Contains(strings.ToLower(line), "europresse.com") {
		return true // a browser's header: "06/12/2026 14:32 Europresse.com"
	}
	for _, p := range frameStarts {
		if strings.HasPrefix(line, p) {
			return true
		}
	}
	return false
}

// frameKey reduces a line to what repeats from page to page: digits (page
// numbers, dates of issue) do not count.
func frameKey(line string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsDigit(r) {
			return '#'
		}
		return r
	}, line)
}

// pdfBlocks cuts pdftotext's output into blocks, the page frame left out:
// the viewer's lines, and the lines that open or close most pages alike.
func pdfBlocks(text string) []pdfBlock {
	pages := strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\f")
	var lines [][]string
	for _, p := range pages {
		var ls []string
		for l := range strings.SplitSeq(p, "\n") {
			ls = append(ls, cleanText(l))
		}
		lines = append(lines, ls)
	}
	// Running headers and footers: the first two and last two lines of a
	// page, when the same on every page (two at least), or on half of the
	// pages (three at least).
	counts := map[string]int{}
	edges := func(ls []string) []string {
		var out []string
		var filled []string
		for _, l := range ls {
			if l != "" {
				filled = append(filled, l)
			}
		}
		for i, l := range filled {
			if i < 2 || i >= len(filled)-2 {
				out = append(out, frameKey(l))
			}
		}
		return out
	}
	for _, ls := range lines {
		seen := map[string]bool{}
		for _, k := range edges(ls) {
			if !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
	}
	repeated := map[string]bool{}
	for k, n := range counts {
		if n >= 2 && (n == len(lines) || n >= 3 && 2*n >= len(lines)) {
			repeated[k] = true
		}
	}
	var blocks []pdfBlock
	for i, ls := range lines {
		edge := map[string]bool{}
		for _, k := range edges(ls) {
			edge[k] = true
		}
		var cur []string
		framed := false
		flush := func() {
			if len(cur) > 0 && !framed {
				blocks = append(blocks, pdfBlock{lines: cur, page: i + 1})
			}
			cur, framed = nil, false
		}
		for _, l := range ls {
			switch {
			case l == "":
				flush()
			case edge[frameKey(l)] && repeated[frameKey(l)]:
			case isFrame(l):
				// The notice wraps: its block is the frame.
				flush()
				framed = true
			default:
				cur = append(cur, l)
			}
		}
		flush()
	}
	return blocks
}

// tailStart matches the lines that start an article's tail, which may
// follow its last paragraph without a blank line.
var tailStart = regexp.MustCompile(`^(?:Le présent document est protégé|This document is protected|Certificat émis|Certificate issued|Numéro de document|Document number|Note\(s\)|[A-Za-z]+·\d{8}·)`)

// isTailStart reports whether a line starts an article's tail: the
// copyright line (not a photo credit), the notices, the document number.
func isTailStart(line string) bool {
	return isDatabaseCopyright(line) || tailStart.MatchString(line)
}

// splitTails cuts a block before each line that starts an article's tail.
func splitTails(blocks []pdfBlock) []pdfBlock {
	var out []pdfBlock
	for _, b := range blocks {
		start := 0
		for i := 1; i < len(b.lines); i++ {
			if isTailStart(b.lines[i]) {
				out = append(out, pdfBlock{lines: b.lines[start:i], page: b.page})
				start = i
			}
		}
		out = append(out, pdfBlock{lines: b.lines[start:], page: b.page})
	}
	return out
}

// isHeaderDate reports whether a line is an article's date line: short,
// not a sentence, a day near its start named with its weekday or followed
// by a word count ("mercredi 22 mars 2017", "22 mars 2017 1093 mots"), so
// that a paragraph that opens with a date is not taken for one.
func isHeaderDate(line string) bool {
	if len(line) > 160 || strings.HasSuffix(line, ".") || labelLine.MatchString(line) {
		return false
	}
	span, ok := findDate(line)
	return ok && span.start <= 60 && (weekday.MatchString(line) || wordCountAfter.MatchString(line[span.end:]))
}

// weekday matches a day's name, French or English.
var weekday = regexp.MustCompile(`(?i)\b(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b`)

// wordCountAfter matches a word count after a date line's day.
var wordCountAfter = regexp.MustCompile(`(?i)\b\d[\d .,]* (?:mots|words)\b`)

// sourceInfo matches the lines that describe the publication under an
// article ("Nom de la source", "Type de source", "Périodicité"…).
var sourceInfo = regexp.MustCompile(`^(?i:nom de la source|type de source|p[ée]riodicit[ée]|couverture g[ée]ographique|provenance|source name|source type|periodicity|geographical coverage)\b`)

// headerAt reports whether the blocks from i open an article: a date line
// among the first three lines.
func headerAt(blocks []pdfBlock, i int) bool {
	n := 0
	for j := i; j < len(blocks) && n < 3; j++ {
		for _, l := range blocks[j].lines {
			if n++; n > 3 {
				break
			}
			if isHeaderDate(l) {
				return true
			}
		}
	}
	return false
}

// Split reads the text of an Europresse PDF export into its articles.
func (EuropressePDFReader) Split(path, text string, emit func(corpus.Document) error) error {
	blocks := splitTails(pdfBlocks(text))
	var ends []int // the block holding each article's document number
	for i, b := range blocks {
		for _, l := range b.lines {
			if strings.Contains(l, "·") && docNumber.MatchString(l) {
				ends = append(ends, i)
				break
			}
		}
	}
	if len(ends) == 0 {
		return &Error{File: path, Msg: "no Europresse article: want document numbers (news·20170322·LF·…)"}
	}
	// Each article runs from its first block to the next one's.
	starts := make([]int, len(ends)+1)
	// The first article: the last page before its document number that
	// opens with a publication and a date line (the cover comes before).
	for i := ends[0]; i >= 0; i-- {
		if (i == 0 || blocks[i-1].page != blocks[i].page) && headerAt(blocks, i) {
			starts[0] = i
			break
		}
	}
	for n := 1; n < len(ends); n++ {
		// The page after the previous article's document number, or the
		// next block when two articles share a page.
		prev, start := ends[n-1], ends[n-1]+1
		for start < ends[n] && blocks[start].page == blocks[prev].page {
			start++
		}
		if blocks[start].page == blocks[prev].page {
			start = prev + 1
		}
		starts[n] = start
	}
	starts[len(ends)] = len(blocks)
	for n := range ends {
		doc, err := europressePDFDoc(path, n+1, blocks[starts[n]:starts[n+1]])
		if err != nil {
			return err
		}
		if err := emit(doc); err != nil {
			return err
		}
	}
	return nil
}

// europressePDFDoc reads article n of a PDF export from its blocks.
func europressePDFDoc(path string, n int, blocks []pdfBlock) (corpus.Document, error) {
	var doc corpus.Document
	var boilerplate []string
	page := blocks[0].page
	bad := func(msg string) (corpus.Document, error) {
		return corpus.Document{}, &Error{File: path, Article: n, DocID: doc.ID, Msg: fmt.Sprintf("page %d: %s", page, msg)}
	}
	// The tail first, for the document number (and the copyright's
	// holder); it goes to the boilerplate last, in the article's order.
	body := blocks
	var tail []string
	for i, b := range blocks {
		if isTailStart(b.lines[0]) {
			body = blocks[:i]
			for _, t := range blocks[i:] {
				line := corpus.JoinLines(t.lines, " ")
				if m := findDocNumber(line); m != "" && (doc.ID == "" || strings.HasPrefix(line, "Numéro de document")) {
					doc.ID = m
				}
				tail = append(tail, line)
			}
			break
		}
	}
	// The header: the publication's name, then the date line.
	var lines []string
	var lineBlock []int
	for i, b := range body {
		for _, l := range b.lines {
			lines = append(lines, l)
			lineBlock = append(lineBlock, i)
		}
		if len(lines) >= 6 {
			break
		}
	}
	dateAt := -1
	for i, l := range lines {
		if i > 3 {
			break
		}
		if isHeaderDate(l) {
			dateAt = i
			break
		}
	}
	if dateAt < 0 {
		return bad("no date line (as in \"Économie, mercredi 22 mars 2017\") at the top of the article")
	}
	header := lines[dateAt]
	span, _ := findDate(header)
	doc.Date = span.day.Format(corpus.DateLayout)
	if t, ok := findTime(header[span.end:], span.day); ok {
		doc.Published = t.Format(corpus.PublishedLayout)
	}
	doc.Section = strings.Trim(header[:span.start], " ,;-")
	if dateAt > 0 {
		doc.Source = cleanSource(lines[0])
		boilerplate = append(boilerplate, lines[1:dateAt]...)
	} else {
		// A publication shown as a logo has no text: its copyright line
		// names it.
		for _, t := range tail {
			if m := copyrightHolder.FindStringSubmatch(t); m != nil {
				doc.Source = cleanSource(m[1])
				break
			}
		}
	}
	if doc.Source == "" {
		return bad("no publication name above the date line " + quote(header))
	}
	// The title: the rest of the date line's block, else the next block.
	hb := lineBlock[dateAt]
	var rest []string
	for i := dateAt + 1; i < len(lines) && lineBlock[i] == hb; i++ {
		rest = append(rest, lines[i])
	}
	next := hb + 1
	if len(rest) == 0 && next < len(body) {
		rest = body[next].lines
		next++
	}
	if k := corpus.JoinLines(rest, " "); next < len(body) && isRubric(k) {
		// A rubric between the date line and the title: "AGENDA".
		boilerplate = append(boilerplate, k)
		if doc.Section == "" {
			doc.Section = k
		}
		rest = body[next].lines
		next++
	}
	doc.Title = corpus.JoinLines(rest, " ")
	if doc.Title == "" {
		return bad("no title after the date line " + quote(header))
	}
	var paras []string
	for i := next; i < len(body); i++ {
		t := corpus.JoinLines(body[i].lines, " ")
		if i > next && len(paras) > 0 && body[i].page != body[i-1].page && continues(paras[len(paras)-1], t) {
			// A paragraph cut by a page break.
			paras[len(paras)-1] += " " + t
			continue
		}
		paras = append(paras, t)
	}
	for i, t := range paras {
		switch {
		case isEuropresseBoilerplate(t) || isAdditionalText(t) || sourceInfo.MatchString(t):
			boilerplate = append(boilerplate, t)
		case i == 0 && len(doc.Authors) == 0 && looksLikeByline(t):
			doc.Authors = splitAuthors(t)
			boilerplate = append(boilerplate, t)
		case len(doc.Paragraphs) == 0 && len(doc.Authors) == 0 && bodyByline.MatchString(t) && looksLikeByline(bodyByline.FindStringSubmatch(t)[1]):
			doc.Authors = splitAuthors(bodyByline.FindStringSubmatch(t)[1])
			boilerplate = append(boilerplate, t)
		case len(doc.Paragraphs) == 0 && sameText(t, doc.Title):
			boilerplate = append(boilerplate, t)
		default:
			doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: inlineLink.ReplaceAllString(t, "")})
		}
	}
	doc.Boilerplate = append(boilerplate, tail...)
	finish(&doc, path, n, analysis.French)
	return doc, nil
}

// isRubric reports whether a line is a rubric: one to three words in
// capitals.
func isRubric(t string) bool {
	words := strings.Fields(t)
	return len(words) > 0 && len(words) <= 3 && len(t) <= 40 && strings.ToUpper(t) == t && strings.ToLower(t) != t
}

// copyrightHolder matches the holder of an article's copyright line: "©
// 2017 Le Figaro. Tous droits réservés." → "Le Figaro".
var copyrightHolder = regexp.MustCompile(`^©\s*\d{4}\s+(?:SA\s+)?([^.]+?)\.?\s+(?:Tous droits réservés|All rights reserved)`)

// continues reports whether next carries on the paragraph prev, cut by a
// page break: prev does not end a sentence and next starts in lower case.
func continues(prev, next string) bool {
	last, _ := utf8.DecodeLastRuneInString(prev)
	first, _ := utf8.DecodeRuneInString(next)
	return !strings.ContainsRune(".!?»:\"”", last) && unicode.IsLower(first)
}
