// Package press reads the exports of the press databases that newsrooms and
// research labs use — Europresse (its older table layout and its current
// <article> layout; its PDF selections, through corpus/pdf), Factiva (HTML,
// XML, RTF and text) and LexisNexis / Nexis Uni (HTML, RTF and text; its
// Word downloads, through corpus/word) — into one document per article.
//
// Every reader keeps the database's own document number as the id
// ("news·20170322·UK·20170322×c0049", Factiva's accession number), cleans
// the publication name into the source ("Le Monde, no. 22586" → "Le
// Monde"), reads the date from the French or English date line and moves
// the database's boilerplate (certificates, copyright and document-number
// lines, notes, index lines) out of the body into Document.Boilerplate.
// HTML is parsed with golang.org/x/net/html; a file whose declared charset
// lies is decoded by content first (see decode).
package press

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Formats returns the press-database formats, most specific first.
func Formats() []corpus.Format {
	return []corpus.Format{Europresse(), FactivaXML(), Factiva(), LexisNexis(), FactivaText(), LexisNexisText()}
}

// maxFile bounds the size of one export file (exports hold at most a few
// thousand articles).
const maxFile = 1 << 30

// An Error reports a malformed export: the file, the article's number
// within the file (1-based, 0 for the file as a whole) and its document
// number when known.
type Error struct {
	File    string
	Article int
	DocID   string
	Msg     string
}

func (e *Error) Error() string {
	switch {
	case e.Article == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.DocID != "":
		return fmt.Sprintf("%s: article %d (%s): %s", e.File, e.Article, e.DocID, e.Msg)
	}
	return fmt.Sprintf("%s: article %d: %s", e.File, e.Article, e.Msg)
}

// decode reads a whole export and returns it as UTF-8. Content wins over
// the declared charset: bytes that are valid UTF-8 are taken as UTF-8
// whatever the page declares; otherwise the declared (or sniffed) charset
// is used, and a page that declares UTF-8 while holding invalid UTF-8 is
// read as Windows-1252 (the superset of ISO-8859-1 such pages hold).
func decode(r io.Reader, contentType string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxFile {
		return nil, fmt.Errorf("larger than %d bytes", maxFile)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return data, nil
	}
	enc, name, _ := charset.DetermineEncoding(data, contentType)
	if name == "utf-8" {
		enc = charmap.Windows1252
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", name, err)
	}
	return out, nil
}

// parseHTML decodes and parses an HTML export.
func parseHTML(path string, r io.Reader) (*html.Node, error) {
	data, err := decode(r, "text/html")
	if err != nil {
		return nil, &Error{File: path, Msg: err.Error()}
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return nil, &Error{File: path, Msg: fmt.Sprintf("parsing HTML: %v", err)}
	}
	return root, nil
}

// A block is one line of text of an HTML page, as a reader sees it: the
// text between two block boundaries, with the mark of the element it sits
// in and the first link it holds.
type block struct {
	text string
	raw  string // text before white space is collapsed
	mark string
	href string
}

// blockElements are the elements that start a new line.
var blockElements = map[string]bool{
	"address": true, "article": true, "aside": true, "blockquote": true, "br": true, "dd": true,
	"div": true, "dl": true, "dt": true, "figcaption": true, "figure": true, "footer": true,
	"h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true, "header": true,
	"hr": true, "li": true, "ol": true, "p": true, "pre": true, "section": true, "table": true,
	"td": true, "th": true, "tr": true, "ul": true, "main": true, "nav": true, "tbody": true,
}

// skipElements hold no text a reader wants.
var skipElements = map[string]bool{
	"script": true, "style": true, "head": true, "noscript": true, "template": true,
	"button": true, "input": true, "select": true, "textarea": true, "svg": true, "iframe": true,
}

// flattener turns a node tree into blocks; mark names an element's role
// ("" to inherit its parent's).
type flattener struct {
	mark   func(*html.Node) string
	blocks []block
	buf    strings.Builder
	cur    string
	href   string
}

// flatten returns the blocks of n's subtree.
func flatten(n *html.Node, mark func(*html.Node) string) []block {
	f := &flattener{mark: mark}
	f.walk(n, "")
	f.flush()
	return f.blocks
}

func (f *flattener) walk(n *html.Node, mark string) {
	switch n.Type {
	case html.TextNode:
		if mark != f.cur {
			f.flush()
			f.cur = mark
		}
		f.buf.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipElements[n.Data] {
			return
		}
		m := f.mark(n)
		if m == "" {
			m = mark
		}
		boundary := blockElements[n.Data] || m != mark
		if boundary {
			f.flush()
			f.cur = m
		}
		if n.Data == "a" && f.href == "" {
			f.href = attr(n, "href")
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f.walk(c, m)
		}
		if boundary {
			f.flush()
			f.cur = mark
		}
		return
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		f.walk(c, mark)
	}
}

func (f *flattener) flush() {
	raw := f.buf.String()
	text := cleanText(raw)
	f.buf.Reset()
	if text != "" {
		f.blocks = append(f.blocks, block{text: text, raw: raw, mark: f.cur, href: f.href})
	}
	f.href = ""
}

// cleanText collapses white space (no-break and zero-width spaces
// included), drops control characters and trims the ends.
func cleanText(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || unicode.IsControl(r) || r == utf8.RuneError {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// attr returns the value of n's attribute key.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

// hasClass reports whether n's class attribute holds class, ignoring case.
func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if strings.EqualFold(c, class) {
			return true
		}
	}
	return false
}

// findAll returns the elements under n (n included) for which match holds,
// in document order, without descending into a match.
func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// textOf returns the cleaned text of n's subtree.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		case n.Type == html.ElementNode && skipElements[n.Data]:
			return
		case n.Type == html.ElementNode && blockElements[n.Data]:
			b.WriteByte(' ')
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return cleanText(b.String())
}

// cleanSource reduces a publication line to the publication's name: "Le
// Monde, no. 22586" → "Le Monde", "Le Figaro (site web)" → "Le Figaro", "The
// Guardian - Final Edition" → "The Guardian".
func cleanSource(raw string) string {
	s := strings.TrimSpace(raw)
	// A second line (or a run of spaces) adds an edition: "01 net\n   01net Magazine".
	for _, cut := range []string{"\n", "\r", "  ", "\t"} {
		if i := strings.Index(s, cut); i > 0 {
			s = s[:i]
		}
	}
	s = cleanText(s)
	for _, cut := range []string{", ", " (", "; ", " -- ", " - ", " – ", " — ", " no. ", " No. ", " n° "} {
		if i := strings.Index(s, cut); i > 0 {
			s = s[:i]
		}
	}
	return strings.TrimRight(strings.TrimSpace(s), ",;:")
}

// A dateSpan is where findDate found a day in a line.
type dateSpan struct {
	day        time.Time
	start, end int // byte offsets of the date in the line
}

// findDate finds the first day named in a line of a press export: "Idées,
// jeudi 5 octobre 2017 1234 mots, p. 22", "December 19, 1991, Sunday, Late
// Edition", "Thursday, December 22, 2022". It reuses corpus.ParseDate on
// windows of words, longest first.
func findDate(line string) (dateSpan, bool) {
	type word struct {
		text       string
		start, end int
	}
	var words []word
	start := -1
	for i, r := range line + " " {
		if unicode.IsSpace(r) {
			if start >= 0 {
				words = append(words, word{line[start:i], start, i})
				start = -1
			}
			continue
		}
		if start < 0 {
			start = i
		}
	}
	var update *dateSpan
	for i := 0; i < len(words); i++ {
		for n := 5; n >= 3; n-- {
			if i+n > len(words) {
				continue
			}
			text := line[words[i].start:words[i+n-1].end]
			text = strings.TrimRight(text, ",;.")
			from, to, ok := corpus.ParseDate(text)
			if !ok || !from.Equal(to) || !hasDayNumber(text) {
				continue
			}
			span := dateSpan{day: from, start: words[i].start, end: words[i+n-1].end}
			if update == nil && updatedBefore.MatchString(line[:span.start]) {
				// "Updated March 23, 2017; published March 22, 2017": the
				// publication's day, when the line gives one after.
				update = &span
				i += n - 1
				break
			}
			return span, true
		}
	}
	if update != nil {
		return *update, true
	}
	return dateSpan{}, false
}

// updatedBefore matches the words that introduce an update's date rather
// than the publication's: "mis à jour le", "Updated", "modifié le".
var updatedBefore = regexp.MustCompile(`(?i)(?:mis à jour|mise à jour|actualisé|modifié|updated|last modified|revised)(?: le| on)?\s*:?\s*$`)

// clockAfterDate matches a time of day after a date line's day: "- 17:23
// UTC +0100" (Europresse's web sources), "Wednesday 3:31 PM GMT"
// (LexisNexis), "à 12h30", "15:32 GMT" (Factiva's time line). The zone is
// optional; a time without one is not kept (its instant is unknown).
var clockAfterDate = regexp.MustCompile(`^[\s,;]*(?i:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday)[\s,;]*)?(?:[-–—@à]|at\b)?\s*\(?\s*(\d{1,2})\s*[:hH]\s*(\d{2})(?::(\d{2}))?\s*(?i:([ap])\.?\s?m\b\.?)?\s*(?:\(?((?:UTC|GMT|UT)?\s*[-+−]\s*\d{1,2}(?::?\d{2})?|[A-Z]{1,5})\)?(?:$|[\s,;.)]))?`)

// findTime reads the time of day that follows a day in a line (rest is
// the text after the day) and returns the moment in the zone the line
// names; ok is false without a time of day or without a zone it knows.
func findTime(rest string, day time.Time) (time.Time, bool) {
	m := clockAfterDate.FindStringSubmatch(rest)
	if m == nil || m[5] == "" {
		return time.Time{}, false
	}
	hour, _ := strconv.Atoi(m[1])
	minute, _ := strconv.Atoi(m[2])
	second, _ := strconv.Atoi(m[3])
	switch strings.ToLower(m[4]) {
	case "a":
		if hour < 1 || hour > 12 {
			return time.Time{}, false
		}
		hour %= 12
	case "p":
		if hour < 1 || hour > 12 {
			return time.Time{}, false
		}
		hour = hour%12 + 12
	}
	if hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	zone := strings.ReplaceAll(m[5], "−", "-")
	off, ok := corpus.ZoneOffset(strings.ReplaceAll(zone, " ", ""))
	if !ok {
		return time.Time{}, false
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, second, 0, time.FixedZone("", off)), true
}

// hasDayNumber reports whether text holds a one- or two-digit number (a day
// of the month), so that "octobre 2017" alone is not taken for a day.
func hasDayNumber(text string) bool {
	for _, f := range strings.FieldsFunc(text, func(r rune) bool { return !unicode.IsDigit(r) && r != 'e' && r != 'r' }) {
		f = strings.TrimSuffix(f, "er")
		if n := len(f); n >= 1 && n <= 2 && f[0] >= '0' && f[0] <= '9' {
			return true
		}
	}
	return false
}

// splitAuthors splits a byline into names: "Par Jean Dupont et Marie
// Curie" → [Jean Dupont, Marie Curie]; "Braun, Elisa" → [Elisa Braun];
// "Dupont, Jean; Curie, Marie" → [Jean Dupont, Marie Curie]; "By PAPER
// AUTHOR" → [Paper Author]. What follows a name and is not one — "(à
// Bruxelles)", ", correspondant à Bruxelles", "avec AFP" — is left out.
func splitAuthors(byline string) []string {
	s := cleanText(byline)
	lower := strings.ToLower(s)
	for _, p := range []string{"par ", "by ", "de notre envoyé spécial ", "de notre envoyée spéciale ", "de notre correspondant ", "de notre correspondante ", "propos recueillis par "} {
		if strings.HasPrefix(lower, p) {
			s = strings.TrimSpace(s[len(p):])
			break
		}
	}
	s = parenthetical.ReplaceAllString(s, " ")
	if s == "" {
		return nil
	}
	var names []string
	for _, group := range strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '/' || r == '|' }) {
		// "Braun, Elisa": one name, last name first.
		if parts := strings.Split(group, ","); len(parts) == 2 && len(strings.Fields(parts[0])) == 1 && len(strings.Fields(parts[1])) == 1 && startsUpper(parts[1]) {
			group = strings.TrimSpace(parts[1]) + " " + strings.TrimSpace(parts[0])
		}
		for _, part := range strings.Split(group, ",") {
			for _, name := range splitWord(part, " et ", " and ", " & ", " avec ", " with ") {
				name = strings.TrimSpace(name)
				if name == "" || !startsUpper(name) {
					continue // "correspondant à Bruxelles"
				}
				names = append(names, nameCase(name))
			}
		}
	}
	return names
}

// parenthetical matches a parenthesised aside in a byline: "(à Bruxelles)".
var parenthetical = regexp.MustCompile(`\s*\([^)]*\)`)

// startsUpper reports whether s starts with an upper-case letter (or a
// digit: "20 Minutes").
func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(strings.TrimSpace(s))
	return unicode.IsUpper(r) || unicode.IsDigit(r)
}

// nameCase writes a name as a reader would: "PAPER AUTHOR" → "Paper
// Author", and a surname in capitals, as bylines write it, "Jeanne DUPONT"
// → "Jeanne Dupont", so that one person is one author whatever the
// source's habit.
func nameCase(name string) string {
	words := strings.Fields(name)
	if len(words) < 2 {
		return name // "AFP", "Reuters": an agency, not a name in capitals
	}
	for i, w := range words {
		letters := 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
			}
		}
		if letters >= 2 && w == strings.ToUpper(w) && strings.ToLower(w) != w {
			words[i] = titleWord(w)
		}
	}
	return strings.Join(words, " ")
}

// titleWord capitalises the first letter of each part of a word: "DUPONT"
// → "Dupont", "JEAN-MARC" → "Jean-Marc", "D'ORNANO" → "D'Ornano".
func titleWord(w string) string {
	var b strings.Builder
	upper := true
	for _, r := range strings.ToLower(w) {
		if upper && unicode.IsLetter(r) {
			b.WriteRune(unicode.ToUpper(r))
			upper = false
			continue
		}
		b.WriteRune(r)
		if r == '-' || r == '\'' || r == '’' {
			upper = true
		}
	}
	return b.String()
}

// splitWord splits s at each of seps.
func splitWord(s string, seps ...string) []string {
	parts := []string{s}
	for _, sep := range seps {
		var next []string
		for _, p := range parts {
			next = append(next, strings.Split(p, sep)...)
		}
		parts = next
	}
	return parts
}

// finish sets what every press document has: its kind, languages, origin
// ("file#3" for the third article of a file) and, when the export gave no
// document number, an id made from the file and the article's number.
func finish(doc *corpus.Document, path string, n int, fallback analysis.Lang) {
	doc.Kind = corpus.Press
	doc.Origin = fmt.Sprintf("%s#%d", path, n)
	doc.DetectLanguages(fallback)
	if doc.ID == "" {
		doc.ID = doc.Origin
	}
}

// langOf reads a language as an export names it ("Français", "ENGLISH",
// "fr", "EN"), or returns fallback.
func langOf(name string, fallback analysis.Lang) analysis.Lang {
	switch l := strings.ToLower(strings.TrimSpace(name)); {
	case l == "fr" || strings.HasPrefix(l, "fran") || strings.HasPrefix(l, "french"):
		return analysis.French
	case l == "en" || strings.HasPrefix(l, "engl") || strings.HasPrefix(l, "anglais"):
		return analysis.English
	}
	return fallback
}
