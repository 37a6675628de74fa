// Package web reads saved web pages ("Save page as…", SingleFile, wget)
// into one document each: the main text only, found by
// codeberg.org/readeck/go-readability (a maintained Go port of Mozilla's
// Readability), so that navigation, footers, cookie banners and comments
// stay out; the title, date, authors, tags and section from the page's
// metadata (JSON-LD, OpenGraph and article:* meta tags, <time datetime>);
// the canonical URL. The id is the file's path relative to the corpus
// folder.
package web

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding/charmap"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Format returns the format of saved web pages. It claims any HTML page
// that is not a press database's export, so the registry tries it after
// the formats with a more specific signature.
func Format() corpus.Format { return page{} }

type page struct{}

func (page) Name() string { return "web" }

// pressMarkers are the signatures of press-database exports, which are
// HTML too but are read by corpus/press.
var pressMarkers = []string{
	"docpublicationname", "titrearticlevisu", "public-lblnodoc", "rdp__docheader", "cedrom-sni.com/schema",
	"<title>europresse", "<title>factiva", "articleparagraph", "lxncomment", "<docfull>",
	"bpe.europresse.com/", "nouveau.europresse.com/", "nouveau-europresse-com.", "urn:contentitem:",
}

// htmlStart matches the start of an HTML page.
var htmlStart = regexp.MustCompile(`(?is)^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html|<head|<meta|<title)`)

// pressPatterns match LexisNexis's "1 of 25 DOCUMENTS" and Factiva's
// "article enArticle".
var pressPatterns = regexp.MustCompile(`\d+ (?:of|de|sur|von) \d+ (?:documents?|dokumente?)\s*<|(?:document|dokument) \d+ (?:of|de|sur|von) \d+\s*<|class=["']?article [a-z]{2}article`)

func (page) Detect(path string, head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if !htmlStart.Match(head) {
		return false
	}
	lower := string(bytes.ToLower(head))
	for _, m := range pressMarkers {
		if strings.Contains(lower, m) {
			return false
		}
	}
	return !pressPatterns.MatchString(lower)
}

// An Error reports a page that cannot be read.
type Error struct {
	File string
	Msg  string
}

func (e *Error) Error() string { return e.File + ": " + e.Msg }

// maxPage bounds the size of a saved page (SingleFile pages inline their
// images).
const maxPage = 256 << 20

func (page) Read(name string, r io.Reader, emit func(corpus.Document) error) error {
	data, err := io.ReadAll(io.LimitReader(r, maxPage+1))
	if err != nil {
		return &Error{File: name, Msg: err.Error()}
	}
	if len(data) > maxPage {
		return &Error{File: name, Msg: fmt.Sprintf("larger than %d bytes", maxPage)}
	}
	data, err = decode(data)
	if err != nil {
		return &Error{File: name, Msg: err.Error()}
	}
	root, err := html.Parse(bytes.NewReader(data))
	if err != nil {
		return &Error{File: name, Msg: fmt.Sprintf("parsing HTML: %v", err)}
	}
	meta := readMeta(root)
	if meta.url == "" {
		meta.url = savedFrom(data)
	}
	var pageURL *url.URL
	if u, err := url.Parse(meta.url); err == nil && u.IsAbs() {
		pageURL = u
	}
	parser := readability.NewParser()
	art, err := parser.ParseDocument(root, pageURL)
	if err != nil {
		return &Error{File: name, Msg: fmt.Sprintf("finding the main text: %v", err)}
	}
	doc := corpus.Document{
		ID:      name,
		Kind:    corpus.Post,
		Title:   meta.title,
		URL:     meta.url,
		Source:  meta.site,
		Authors: meta.authors,
		Tags:    meta.tags,
		Section: meta.section,
		Origin:  name + ":1",
	}
	if doc.Title == "" {
		doc.Title = cleanText(art.Title())
	}
	if doc.Title == "" {
		return &Error{File: name, Msg: "no title: the page has no <title>, og:title or JSON-LD headline"}
	}
	if doc.Source == "" {
		doc.Source = cleanText(art.SiteName())
	}
	if doc.Source == "" && pageURL != nil {
		doc.Source = strings.TrimPrefix(pageURL.Hostname(), "www.")
	}
	if len(doc.Authors) == 0 {
		doc.Authors = splitByline(art.Byline())
	}
	doc.Date, doc.Published = meta.date, meta.published
	if doc.Date == "" {
		if t, err := art.PublishedTime(); err == nil {
			doc.Date = t.Format(corpus.DateLayout)
		}
	}
	if doc.Date == "" {
		doc.Date = dateIn(meta.url)
	}
	if doc.Date == "" {
		doc.Date = dateIn(path.Base(name))
	}
	if doc.Date == "" {
		return &Error{File: name, Msg: "no publication date: looked for JSON-LD datePublished, article:published_time, <time datetime>, and a date (2017/03/22 or 2017-03-22) in the URL or the file name; add one of them"}
	}
	if art.Node != nil {
		for _, p := range paragraphs(art.Node) {
			if p == doc.Title {
				continue
			}
			if len(doc.Paragraphs) == 0 && postedLine.MatchString(p) {
				continue // the theme's "Publié le 22 mars 2017 par …" above the text
			}
			doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: p})
		}
	}
	doc.DetectLanguages(langOf(meta.lang, art.Language()))
	return emit(doc)
}

// postedLine matches the line a blog theme writes above a post: "Publié
// le 22 mars 2017 par Claire", "Posted on March 22, 2017 by Jane Doe".
var postedLine = regexp.MustCompile(`(?i)^(?:publié|posté|mis en ligne|posted|published|written)(?: le| on)? (?:\d|\pL+\.? \d)[^.!?]{0,60}$`)

// decode returns data as UTF-8, trusting content over the declared charset
// (see corpus/press for the same rule).
func decode(data []byte) ([]byte, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return data, nil
	}
	enc, name, _ := charset.DetermineEncoding(data, "text/html")
	if name == "utf-8" {
		enc = charmap.Windows1252
	}
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return nil, fmt.Errorf("decoding %s: %w", name, err)
	}
	return out, nil
}

// savedFromRe matches the comment browsers and SingleFile leave in a saved
// page: "<!-- saved from url=(0049)https://…" or "url: https://…".
var savedFromRe = regexp.MustCompile(`<!--\s*(?:saved from url=\(\d+\)|[^>]*?\burl:\s*)(https?://[^\s>]+)`)

func savedFrom(data []byte) string {
	if len(data) > 4096 {
		data = data[:4096]
	}
	if m := savedFromRe.FindSubmatch(data); m != nil {
		return string(m[1])
	}
	return ""
}

// pageMeta is what a page's metadata says of it.
type pageMeta struct {
	title, url, site, date, section, lang string
	// published is the time of publication, when the date's source
	// gave a time of day and a zone.
	published     string
	authors, tags []string
}

// setDate sets the page's date, and its time of publication when val
// names one, from val; it reports whether val is a date.
func (m *pageMeta) setDate(val string) bool {
	d := day(val)
	if d == "" {
		return false
	}
	m.date, m.published = d, ""
	if t, ok := corpus.ParseTimestamp(val); ok {
		m.published = t.Format(corpus.PublishedLayout)
	}
	return true
}

// readMeta reads the metadata of a page: JSON-LD first, then OpenGraph and
// article:* meta tags, <link rel="canonical">, <time datetime>.
func readMeta(root *html.Node) pageMeta {
	var m pageMeta
	var ld []map[string]any
	var metaAuthors []string
	var ogTitle, titleTag, canonical, ogURL, timeAttr string
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch n.Data {
			case "html":
				m.lang = attr(n, "lang")
			case "title":
				if titleTag == "" {
					titleTag = textOf(n)
				}
			case "link":
				if strings.EqualFold(attr(n, "rel"), "canonical") && canonical == "" {
					canonical = attr(n, "href")
				}
			case "time":
				if timeAttr == "" {
					timeAttr = attr(n, "datetime")
				}
			case "script":
				if strings.EqualFold(attr(n, "type"), "application/ld+json") && n.FirstChild != nil {
					ld = append(ld, jsonLD(n.FirstChild.Data)...)
				}
				return
			case "meta":
				key := strings.ToLower(attr(n, "property"))
				if key == "" {
					key = strings.ToLower(attr(n, "name"))
				}
				val := cleanText(attr(n, "content"))
				if val == "" {
					break
				}
				switch key {
				case "og:title":
					ogTitle = val
				case "og:url":
					ogURL = val
				case "og:site_name":
					m.site = val
				case "article:published_time", "datepublished", "date", "dc.date", "dc.date.issued", "dcterms.created", "pubdate", "publish-date", "sailthru.date":
					if m.date == "" {
						m.setDate(val)
					}
				case "article:section":
					m.section = val
				case "article:tag":
					m.tags = append(m.tags, val)
				case "author", "article:author", "dc.creator":
					if !strings.HasPrefix(val, "http") {
						metaAuthors = append(metaAuthors, val)
					}
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(root)
	if a := pickArticle(ld); a != nil {
		m.title = cleanText(str(a["headline"]))
		if m.date == "" || str(a["datePublished"]) != "" {
			m.setDate(str(a["datePublished"]))
		}
		m.authors = names(resolveIDs(a["author"], ld))
		if len(m.tags) == 0 {
			m.tags = keywords(a["keywords"])
		}
		if m.section == "" {
			m.section = cleanText(first(a["articleSection"]))
		}
		if m.site == "" {
			if p, ok := a["publisher"].(map[string]any); ok {
				m.site = cleanText(str(p["name"]))
			}
		}
		if canonical == "" {
			canonical = str(a["url"])
		}
	}
	if m.title == "" {
		m.title = ogTitle
	}
	if m.title == "" {
		m.title = titleTag
	}
	if len(m.authors) == 0 {
		for _, a := range metaAuthors {
			m.authors = append(m.authors, splitByline(a)...)
		}
	}
	if m.date == "" && timeAttr != "" {
		m.setDate(timeAttr)
	}
	m.url = canonical
	if m.url == "" {
		m.url = ogURL
	}
	return m
}

// jsonLD decodes a JSON-LD script into its objects, flattening arrays and
// @graph.
func jsonLD(text string) []map[string]any {
	var v any
	if err := json.Unmarshal([]byte(strings.TrimSpace(text)), &v); err != nil {
		return nil
	}
	var out []map[string]any
	var add func(any)
	add = func(v any) {
		switch x := v.(type) {
		case []any:
			for _, e := range x {
				add(e)
			}
		case map[string]any:
			out = append(out, x)
			if g, ok := x["@graph"]; ok {
				add(g)
			}
		}
	}
	add(v)
	return out
}

// pickArticle returns the JSON-LD object that describes the page's
// article: an Article (or NewsArticle, BlogPosting, Report…) first, a
// WebPage otherwise.
func pickArticle(objs []map[string]any) map[string]any {
	var page map[string]any
	for _, o := range objs {
		for _, t := range typesOf(o["@type"]) {
			switch {
			case strings.HasSuffix(t, "Article") || t == "BlogPosting" || t == "Report" || t == "ScholarlyArticle":
				return o
			case strings.HasSuffix(t, "WebPage") && page == nil:
				page = o
			}
		}
	}
	return page
}

func typesOf(v any) []string {
	switch x := v.(type) {
	case string:
		return []string{x}
	case []any:
		var out []string
		for _, e := range x {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// str returns v if it is a string.
func str(v any) string {
	s, _ := v.(string)
	return strings.TrimSpace(s)
}

// first returns a JSON-LD string value, or the first string of a list
// (Yoast writes "articleSection":["Terrain"]).
func first(v any) string {
	if l, ok := v.([]any); ok {
		for _, e := range l {
			if s := str(e); s != "" {
				return s
			}
		}
		return ""
	}
	return str(v)
}

// resolveIDs replaces the JSON-LD references in v ({"@id": "…"} alone, as
// Yoast's @graph points to its Person nodes) by the nodes of objs they
// name.
func resolveIDs(v any, objs []map[string]any) any {
	switch x := v.(type) {
	case map[string]any:
		id, ok := x["@id"].(string)
		if !ok || str(x["name"]) != "" {
			return x
		}
		for _, o := range objs {
			if oid, _ := o["@id"].(string); oid == id && str(o["name"]) != "" {
				return o
			}
		}
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = resolveIDs(e, objs)
		}
		return out
	}
	return v
}

// names reads JSON-LD authors: a string, a Person, or a list of them.
func names(v any) []string {
	switch x := v.(type) {
	case string:
		return splitByline(x)
	case map[string]any:
		if n := cleanText(str(x["name"])); n != "" {
			return []string{n}
		}
	case []any:
		var out []string
		for _, e := range x {
			out = append(out, names(e)...)
		}
		return out
	}
	return nil
}

// keywords reads JSON-LD keywords: "a, b" or ["a", "b"].
func keywords(v any) []string {
	var raw []string
	switch x := v.(type) {
	case string:
		raw = strings.Split(x, ",")
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok {
				raw = append(raw, s)
			}
		}
	}
	var out []string
	for _, k := range raw {
		if k = cleanText(k); k != "" {
			out = append(out, k)
		}
	}
	return out
}

// day reads the day of a timestamp: "2017-03-22T08:00:00+01:00",
// "2017-03-22", "22 mars 2017". The day is the one of the page's own
// offset, not UTC.
func day(s string) string {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04:05", corpus.DateLayout} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format(corpus.DateLayout)
		}
	}
	if len(s) >= 10 {
		if t, err := time.Parse(corpus.DateLayout, s[:10]); err == nil {
			return t.Format(corpus.DateLayout)
		}
	}
	if from, to, ok := corpus.ParseDate(s); ok && from.Equal(to) {
		return from.Format(corpus.DateLayout)
	}
	return ""
}

// datePath matches a day in a URL or file name: 2017/03/22, 2017-03-22.
var datePath = regexp.MustCompile(`(?:^|[/_-])((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:$|[/_.-])`)

func dateIn(s string) string {
	m := datePath.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	t, err := time.Parse(corpus.DateLayout, m[1]+"-"+m[2]+"-"+m[3])
	if err != nil {
		return ""
	}
	return t.Format(corpus.DateLayout)
}

// splitByline splits "By Jane Roe and John Doe" or "Par Jean Dupont, Marie
// Curie" into names.
func splitByline(s string) []string {
	s = cleanText(s)
	lower := strings.ToLower(s)
	for _, p := range []string{"by ", "par ", "written by ", "écrit par "} {
		if strings.HasPrefix(lower, p) {
			s = s[len(p):]
			break
		}
	}
	var out []string
	for _, part := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ';' || r == '|' }) {
		for _, name := range strings.Split(strings.ReplaceAll(strings.ReplaceAll(part, " and ", "\x00"), " et ", "\x00"), "\x00") {
			if name = strings.TrimSpace(name); name != "" && len(name) < 80 {
				out = append(out, name)
			}
		}
	}
	return out
}

// langOf picks the fallback language from the page's lang attribute or
// readability's guess.
func langOf(langs ...string) analysis.Lang {
	for _, l := range langs {
		l = strings.ToLower(l)
		switch {
		case strings.HasPrefix(l, "fr"):
			return analysis.French
		case strings.HasPrefix(l, "en"):
			return analysis.English
		}
	}
	return analysis.French
}

// blockElements start a new paragraph.
var blockElements = map[string]bool{
	"p": true, "div": true, "li": true, "h1": true, "h2": true, "h3": true, "h4": true, "h5": true, "h6": true,
	"blockquote": true, "pre": true, "td": true, "th": true, "dd": true, "dt": true, "figcaption": true,
	"section": true, "article": true, "ul": true, "ol": true, "table": true, "tr": true, "hr": true,
}

// paragraphs returns the text of n's blocks, one string per block.
func paragraphs(n *html.Node) []string {
	var out []string
	var b strings.Builder
	flush := func() {
		if t := cleanText(b.String()); t != "" {
			out = append(out, t)
		}
		b.Reset()
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			b.WriteString(n.Data)
			return
		case html.ElementNode:
			switch n.Data {
			case "script", "style", "noscript", "template", "svg", "button", "form", "nav", "footer":
				return
			case "br":
				b.WriteByte(' ')
				return
			}
		}
		block := n.Type == html.ElementNode && blockElements[n.Data]
		if block {
			flush()
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if block {
			flush()
		}
	}
	walk(n)
	flush()
	return out
}

// textOf returns the text of n's subtree.
func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return cleanText(b.String())
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

// cleanText collapses white space and trims the ends.
func cleanText(s string) string {
	return strings.Join(strings.FieldsFunc(s, func(r rune) bool {
		return unicode.IsSpace(r) || r == '\u200b' || r == '\ufeff' || unicode.IsControl(r)
	}), " ")
}
