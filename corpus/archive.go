package corpus

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tacheron/corpus/analysis"
)

// A Manifest describes an archive file; it sits beside it as
// NAME.manifest.json.
type Manifest struct {
	// Archive names the archive ("… Monthly Archives: March 2017").
	Archive string `json:"archive"`
	// DefaultSource is the source of posts whose title names none.
	DefaultSource string `json:"default_source"`
	// DefaultLang is the language assumed where detection cannot tell.
	DefaultLang analysis.Lang `json:"default_lang"`
}

// maxTitleLen bounds the length of a title line.
const maxTitleLen = 400

// line is one line of a source file.
type line struct {
	n    int // 1-based
	text string
}

// SyntaxError reports a malformed source file: the file, the line (0 when
// unknown: Msg names the article) and, where known, the column.
type SyntaxError struct {
	File   string
	Line   int
	Column int
	Msg    string
}

func (e *SyntaxError) Error() string {
	switch {
	case e.Line == 0:
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Column > 0:
		return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Column, e.Msg)
	}
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// ParseArchive segments the text of a WordPress archive dump into documents:
// one per post, whose title line ends with a parenthesised source and/or
// date, and one per mention ("» (24 mars 2017) Title, Outlet") of a press
// review. Concepts are not tagged here.
func ParseArchive(name string, data []byte, m Manifest) ([]Document, error) {
	if m.DefaultLang != analysis.English {
		m.DefaultLang = analysis.French
	}
	lines, err := splitLines(name, data)
	if err != nil {
		return nil, err
	}
	var titles []int
	for i := range lines {
		if isTitleLine(lines, i) {
			titles = append(titles, i)
		}
	}
	if len(titles) == 0 {
		return nil, &SyntaxError{File: name, Line: 1, Msg: "no post title found: a title line ends with a parenthesised date, as in \"Title (Le Monde, 11 mars 2017)\""}
	}
	// Before the first title, only a header line ("Monthly Archives: …").
	header := 0
	for _, l := range lines[:titles[0]] {
		if l.text == "" {
			continue
		}
		header++
		if header > 1 || len(l.text) > 200 {
			return nil, &SyntaxError{File: name, Line: l.n, Msg: "text before the first post title (a title line ends with a parenthesised date)"}
		}
	}
	var docs []Document
	for k, start := range titles {
		end := len(lines)
		if k+1 < len(titles) {
			end = titles[k+1]
		}
		post, mentions, err := parsePost(name, lines[start], lines[start+1:end], m)
		if err != nil {
			return nil, err
		}
		docs = append(docs, post)
		docs = append(docs, mentions...)
	}
	return docs, nil
}

// splitLines splits data into lines, normalising spaces; it rejects invalid
// UTF-8 and NUL bytes.
func splitLines(name string, data []byte) ([]line, error) {
	raw := strings.Split(string(data), "\n")
	lines := make([]line, len(raw))
	for i, r := range raw {
		if !utf8.ValidString(r) {
			return nil, &SyntaxError{File: name, Line: i + 1, Msg: "invalid UTF-8"}
		}
		if strings.IndexByte(r, 0) >= 0 {
			return nil, &SyntaxError{File: name, Line: i + 1, Msg: "NUL byte"}
		}
		lines[i] = line{n: i + 1, text: normalizeSpace(r)}
	}
	return lines, nil
}

// normalizeSpace collapses runs of white space (including no-break spaces)
// into single spaces and trims the ends.
func normalizeSpace(s string) string {
	clean := true
	prevSpace := true
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff' {
			if r != ' ' || prevSpace {
				clean = false
				break
			}
			prevSpace = true
			continue
		}
		if unicode.IsControl(r) {
			clean = false
			break
		}
		prevSpace = false
	}
	if clean && !prevSpace {
		return s
	}
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff' || unicode.IsControl(r) {
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

// titleMeta is what the parenthesised end of a title line says.
type titleMeta struct {
	title    string
	source   string // raw: "grand entretien dans Le Monde"
	from, to time.Time
}

// parseTitleLine reads "Title (Source, 22 mars 2017)" or "Title (29 mars
// 2017)" or "Title (10 avril 2017, 17h)".
func parseTitleLine(text string) (titleMeta, bool) {
	if !strings.HasSuffix(text, ")") || len(text) > maxTitleLen {
		return titleMeta{}, false
	}
	open := strings.LastIndex(text, "(")
	if open <= 0 {
		return titleMeta{}, false
	}
	title := strings.TrimSpace(text[:open])
	inner := text[open+1 : len(text)-1]
	if title == "" || strings.ContainsAny(inner, "()") {
		return titleMeta{}, false
	}
	parts := strings.Split(inner, ",")
	for i := len(parts) - 1; i >= 0; i-- {
		p := strings.TrimSpace(parts[i])
		if isClockTime(p) && i == len(parts)-1 {
			continue
		}
		from, to, ok := ParseDate(p)
		if !ok {
			return titleMeta{}, false
		}
		source := strings.TrimSpace(strings.Join(parts[:i], ","))
		return titleMeta{title: title, source: source, from: from, to: to}, true
	}
	return titleMeta{}, false
}

// isClockTime reports whether s is a time of day: "17h", "17h30", "18:00".
func isClockTime(s string) bool {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" || s[0] < '0' || s[0] > '9' {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9') && r != 'h' && r != ':' {
			return false
		}
	}
	return strings.ContainsAny(s, "h:")
}

// isTitleLine reports whether lines[i] starts a post: it follows a blank line
// (or the start) and ends with a parenthesised date.
func isTitleLine(lines []line, i int) bool {
	t := lines[i].text
	if t == "" || strings.HasPrefix(t, "»") || (i > 0 && lines[i-1].text != "") {
		return false
	}
	_, ok := parseTitleLine(t)
	return ok
}

// sourcePrefixes are the words that introduce an outlet in a title's
// parentheses; interview says the post is an interview.
var sourcePrefixes = []struct {
	prefix    string
	interview bool
}{
	{"grand entretien dans ", true}, {"grand entretien avec ", true}, {"grand entretien pour ", true},
	{"entretien dans ", true}, {"entretien avec ", true}, {"entretien pour ", true},
	{"interview dans ", true}, {"interview pour ", true}, {"interview in ", true}, {"interview with ", true},
	{"interview ", true}, {"entretien ", true},
	{"tribune dans ", false}, {"article dans ", false}, {"chronique dans ", false},
	{"portrait dans ", false}, {"dossier dans ", false}, {"cité dans ", false}, {"dans ", false},
	{"sur ", false}, {"in ", false}, {"on ", false},
}

// cleanSource turns "grand entretien dans Le Monde" into "Le Monde".
func cleanSource(raw string) (source string, interview bool) {
	source = strings.TrimSpace(raw)
	lower := strings.ToLower(source)
	for _, p := range sourcePrefixes {
		if strings.HasPrefix(lower, p.prefix) {
			return strings.TrimSpace(source[len(p.prefix):]), p.interview
		}
	}
	return source, false
}

// tagSource reads the outlet out of a bracketed tag's hashtag:
// "#ecnEHESS" → "EHESS".
func tagSource(tag string) string {
	for _, w := range strings.Fields(tag) {
		if !strings.HasPrefix(w, "#") {
			continue
		}
		w = strings.TrimRight(w[1:], "]")
		end := len(w)
		start := end
		for start > 0 && w[start-1] >= 'A' && w[start-1] <= 'Z' {
			start--
		}
		if end-start >= 2 {
			return w[start:end]
		}
	}
	return ""
}

// parsePost builds the document of a post and of the mentions it lists.
func parsePost(name string, title line, body []line, m Manifest) (Document, []Document, error) {
	meta, _ := parseTitleLine(title.text)
	doc := Document{
		Title:  meta.title,
		Date:   meta.to.Format(DateLayout),
		Kind:   Post,
		Origin: fmt.Sprintf("%s:%d", name, title.n),
	}
	if !meta.from.Equal(meta.to) {
		doc.DateFrom = meta.from.Format(DateLayout)
		doc.DateTo = meta.to.Format(DateLayout)
	}
	source, interview := cleanSource(meta.source)
	if source != "" {
		doc.Kind = Press
	}
	if interview {
		doc.Kind = Interview
	}
	if strings.HasPrefix(meta.title, "[") {
		if end := strings.Index(meta.title, "]"); end > 0 {
			tag := meta.title[1:end]
			folded := analysis.Fold(analysis.Lower(tag))
			switch {
			case strings.Contains(folded, "video") || strings.Contains(folded, "podcast"):
				doc.Kind = Video
			case strings.Contains(folded, "seminaire") || strings.Contains(folded, "seminar"):
				doc.Kind = Seminar
				if source == "" {
					source = tagSource(tag)
				}
			case strings.Contains(folded, "entretien") || strings.Contains(folded, "interview"):
				doc.Kind = Interview
			}
		}
	}
	if source == "" {
		source = m.DefaultSource
	}
	doc.Source = source

	paragraphs, boilerplate, mentionLines := splitBody(body)
	doc.Boilerplate = boilerplate
	for _, p := range paragraphs {
		doc.Paragraphs = append(doc.Paragraphs, Paragraph{Text: p, Lang: analysis.DetectLanguage(p, m.DefaultLang)})
	}
	doc.TitleLang = analysis.DetectLanguage(doc.Title, "")
	doc.Lang = documentLang(doc.Paragraphs, doc.TitleLang, m.DefaultLang)
	if doc.TitleLang == "" {
		doc.TitleLang = doc.Lang
	}
	doc.ID = deriveID(doc.Date, doc.Title)

	var mentions []Document
	for _, ml := range mentionLines {
		men, err := parseMention(name, ml, m)
		if err != nil {
			return Document{}, nil, err
		}
		men.Parent = doc.ID
		mentions = append(mentions, men)
	}
	if len(mentions) >= 2 && 2*len(mentionLines) >= len(paragraphs) {
		doc.Kind = PressReview
	}
	return doc, mentions, nil
}

// documentLang returns the language of a document: that of most of its
// text, unless its title is in the other language and that language holds at
// least a third of the text (a French post that carries an English abstract
// stays French).
func documentLang(ps []Paragraph, titleLang, fallback analysis.Lang) analysis.Lang {
	n := map[analysis.Lang]int{}
	total := 0
	for _, p := range ps {
		n[p.Lang] += len(p.Text)
		total += len(p.Text)
	}
	if titleLang != "" && 3*n[titleLang] >= total {
		return titleLang
	}
	switch {
	case n[analysis.French] > n[analysis.English]:
		return analysis.French
	case n[analysis.English] > n[analysis.French]:
		return analysis.English
	}
	if titleLang != "" {
		return titleLang
	}
	return fallback
}

// splitBody sorts the lines of a post into paragraphs, boilerplate (lines of
// a press database that are not the author's text) and mention lines.
func splitBody(body []line) (paragraphs, boilerplate []string, mentions []line) {
	seen := map[string]bool{}
	inMenu := false
	for i := 0; i < len(body); i++ {
		t := body[i].text
		if t == "" {
			inMenu = false
			continue
		}
		if inMenu || isBoilerplate(t) {
			boilerplate = append(boilerplate, t)
			continue
		}
		if t == "Réinitialiser la session" {
			// The menu of the press database: short lines follow.
			boilerplate = append(boilerplate, t)
			inMenu = true
			for i+1 < len(body) && isMenuLine(body[i+1].text) {
				i++
				boilerplate = append(boilerplate, body[i].text)
			}
			continue
		}
		if i+1 < len(body) && isCompanyProfile(t, body[i+1].text) {
			boilerplate = append(boilerplate, t, body[i+1].text)
			i++
			continue
		}
		if strings.HasPrefix(t, "»") {
			mentions = append(mentions, body[i])
		}
		if seen[t] {
			continue
		}
		seen[t] = true
		paragraphs = append(paragraphs, t)
	}
	return paragraphs, boilerplate, mentions
}

// isBoilerplate reports whether a line is a press database's copyright,
// certificate or document number.
func isBoilerplate(t string) bool {
	return strings.HasPrefix(t, "©") ||
		strings.HasPrefix(t, "Certificat émis") ||
		strings.HasPrefix(t, "news·") ||
		strings.HasPrefix(t, "Tous droits réservés")
}

// isMenuLine reports whether a line looks like an item of a menu: short,
// without sentence punctuation.
func isMenuLine(t string) bool {
	return t != "" && len(t) <= 80 && !strings.ContainsAny(t, ".!?:;»(") && !strings.HasSuffix(t, ")")
}

// isCompanyProfile reports whether name and next are a press database's
// company profile: a name alone, then a line starting with it that says
// what the company does.
func isCompanyProfile(name, next string) bool {
	if len(name) > 40 || len(strings.Fields(name)) > 3 || !strings.HasPrefix(next, name+" ") {
		return false
	}
	lower := strings.ToLower(next)
	for _, marker := range []string{"spécialis", "specializ", "specialis", "activité de la société", "activity is organized"} {
		if strings.Contains(lower, marker) {
			return true
		}
	}
	return false
}

// parseMention reads "» (24 mars 2017) Title, Outlet".
func parseMention(name string, l line, m Manifest) (Document, error) {
	t := strings.TrimSpace(strings.TrimPrefix(l.text, "»"))
	bad := func(msg string) error {
		return &SyntaxError{File: name, Line: l.n, Msg: "press mention: " + msg + ` (want "» (24 mars 2017) Title, Outlet")`}
	}
	if !strings.HasPrefix(t, "(") {
		return Document{}, bad("no date in parentheses")
	}
	closeAt := strings.Index(t, ")")
	if closeAt < 0 {
		return Document{}, bad("unclosed parenthesis")
	}
	from, to, ok := ParseDate(t[1:closeAt])
	if !ok || !from.Equal(to) {
		return Document{}, bad(fmt.Sprintf("%q is not a day", t[1:closeAt]))
	}
	title, source := splitMention(strings.TrimSpace(t[closeAt+1:]))
	if title == "" {
		return Document{}, bad("no title")
	}
	if source == "" {
		source = m.DefaultSource
	}
	date := to.Format(DateLayout)
	lang := analysis.DetectLanguage(title, m.DefaultLang)
	return Document{
		ID:        deriveID(date, title),
		Title:     title,
		Source:    source,
		Kind:      Mention,
		Date:      date,
		Lang:      lang,
		TitleLang: lang,
		Origin:    fmt.Sprintf("%s:%d", name, l.n),
	}, nil
}

// splitMention splits "Title, Outlet" at the outlet: the last one or two
// comma-separated segments that read as a name (each long word capitalised),
// leaving at least one segment to the title.
func splitMention(text string) (title, source string) {
	segs := strings.Split(text, ",")
	cut := len(segs)
	for cut > 1 && len(segs)-cut < 2 && isName(segs[cut-1]) {
		cut--
	}
	if cut == len(segs) && len(segs) > 1 {
		cut = len(segs) - 1
	}
	title = strings.TrimSpace(strings.Join(segs[:cut], ","))
	outlet := make([]string, 0, 2)
	for _, s := range segs[cut:] {
		outlet = append(outlet, strings.TrimSpace(s))
	}
	return title, strings.Join(outlet, ", ")
}

// isName reports whether s reads as a proper name: at most five words, every
// word longer than three letters capitalised, no sentence punctuation.
func isName(s string) bool {
	s = strings.TrimSpace(s)
	words := strings.Fields(s)
	if len(words) == 0 || len(words) > 5 || strings.ContainsAny(s, "?!:«»") {
		return false
	}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if utf8.RuneCountInString(w) > 3 && unicode.IsLetter(r) && !unicode.IsUpper(r) {
			return false
		}
	}
	return true
}
