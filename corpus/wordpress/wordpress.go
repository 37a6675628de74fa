// Package wordpress reads WordPress exports (WXR 1.0, 1.1 and 1.2, the
// file Tools → Export writes): one document per published post or page.
//
// The file is streamed through encoding/xml's token decoder, one item at a
// time, so an export of hundreds of megabytes needs little memory. Drafts,
// scheduled, pending, private and password-protected posts, attachments,
// menu items, revisions and other post types are left out. Categories and
// tags become tags, dc:creator the author's display name (from the
// export's wp:author list; Co-Authors Plus's author terms when present),
// the permalink the url, the guid the id; post HTML becomes paragraphs
// through corpus/htmltext after shortcodes are removed.
package wordpress

import (
	"bufio"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"

	"tacheron/corpus"
	"tacheron/corpus/htmltext"
)

// Format returns the WordPress export format.
func Format() corpus.Format { return format{} }

type format struct{}

func (format) Name() string { return "wordpress" }

// Detect recognises an RSS document that declares WordPress's export
// namespace (http or https, any version).
func (format) Detect(_ string, head []byte) bool {
	return bytes.Contains(head, []byte("<rss")) && bytes.Contains(head, []byte("wordpress.org/export/"))
}

// encodingRE finds the encoding an XML declaration names.
var encodingRE = regexp.MustCompile(`^\s*(?:\xef\xbb\xbf)?<\?xml[^>]*encoding=["']([A-Za-z0-9._:-]+)["']`)

// maxText bounds the text of one element (a post's content).
const maxText = 64 << 20

// Read streams the export in r.
func (format) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(512)
	if m := encodingRE.FindSubmatch(head); m != nil {
		label := strings.ToLower(string(m[1]))
		if label != "utf-8" && label != "utf8" {
			dec, err := charset.NewReaderLabel(label, br)
			if err != nil {
				return &corpus.SyntaxError{File: path, Line: 1, Msg: fmt.Sprintf("unknown encoding %q", label)}
			}
			r = dec
		} else {
			r = br
		}
	} else {
		r = br
	}
	d := xml.NewDecoder(newXMLClean(r))
	d.Entity = xml.HTMLEntity // &nbsp; and friends, outside CDATA
	// The text is UTF-8 by now, whatever the declaration said.
	d.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	p := &parser{d: d, path: path, emit: emit, authors: map[string]string{}, ids: map[string]int{}}
	return p.run()
}

// parser holds the state of one export being read.
type parser struct {
	d       *xml.Decoder
	path    string
	emit    func(corpus.Document) error
	site    string            // the blog's title
	siteURL string            // the channel's link
	baseURL string            // wp:base_site_url
	blogURL string            // wp:base_blog_url
	authors map[string]string // login → display name
	ids     map[string]int    // ids given, → item line
	items   int
	wxr     bool // a WordPress namespace was seen
}

// errorAt reports a malformed export at the decoder's position.
func (p *parser) errorAt(format string, args ...any) error {
	line, col := p.d.InputPos()
	return &corpus.SyntaxError{File: p.path, Line: line, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// token returns the next token; a malformed file is a SyntaxError at its
// line and column.
func (p *parser) token() (xml.Token, error) {
	tok, err := p.d.Token()
	if err == nil || err == io.EOF {
		return tok, err
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return nil, p.errorAt("malformed XML: %s", se.Msg)
	}
	return nil, p.errorAt("%v", err)
}

// key names an element by a short prefix of its namespace: "wp:status",
// "content:encoded", "title".
func key(n xml.Name) string {
	s := n.Space
	switch {
	case s == "":
		return n.Local
	case strings.Contains(s, "wordpress.org/export/") && strings.Contains(s, "/excerpt"), s == "excerpt":
		return "excerpt:" + n.Local
	case strings.Contains(s, "wordpress.org/export/"), s == "wp":
		return "wp:" + n.Local
	case strings.Contains(s, "purl.org/rss/1.0/modules/content"), s == "content":
		return "content:" + n.Local
	case strings.Contains(s, "purl.org/dc/elements/"), s == "dc":
		return "dc:" + n.Local
	}
	return "{" + s + "}" + n.Local
}

func (p *parser) run() error {
	depth := 0
	root := false
	for {
		tok, err := p.token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			depth--
		case xml.StartElement:
			depth++
			k := key(t.Name)
			if depth == 1 {
				if k != "rss" {
					return p.errorAt("<%s> where a WordPress export starts with <rss>", t.Name.Local)
				}
				root = true
			}
			if strings.HasPrefix(k, "wp:") {
				p.wxr = true
			}
			if depth != 3 {
				continue
			}
			var err error
			switch k {
			case "item":
				err = p.item()
			case "title":
				p.site, err = p.text()
			case "link":
				p.siteURL, err = p.text()
			case "wp:base_site_url":
				p.baseURL, err = p.text()
			case "wp:base_blog_url":
				p.blogURL, err = p.text()
			case "wp:author":
				err = p.author()
			default:
				continue
			}
			depth--
			if err != nil {
				return err
			}
		}
	}
	if !root {
		return &corpus.SyntaxError{File: p.path, Line: 1, Msg: "not a WordPress export: no <rss> element"}
	}
	if !p.wxr {
		return &corpus.SyntaxError{File: p.path, Line: 1, Msg: "not a WordPress export: no wp: element (WXR namespace http://wordpress.org/export/1.2/)"}
	}
	return nil
}

// text returns the text of the element just opened, up to its end (the
// text of nested elements included), CDATA sections joined.
func (p *parser) text() (string, error) {
	var b strings.Builder
	depth := 1
	for depth > 0 {
		tok, err := p.token()
		if err == io.EOF {
			return "", p.errorAt("unexpected end of file")
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			if b.Len()+len(t) > maxText {
				return "", p.errorAt("element longer than %d bytes", maxText)
			}
			b.Write(t)
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return strings.TrimSpace(b.String()), nil
}

// author reads a wp:author: login and display name.
func (p *parser) author() error {
	var login, display, first, last string
	err := p.children(func(k string, _ xml.StartElement) (bool, error) {
		var err error
		switch k {
		case "wp:author_login":
			login, err = p.text()
		case "wp:author_display_name":
			display, err = p.text()
		case "wp:author_first_name":
			first, err = p.text()
		case "wp:author_last_name":
			last, err = p.text()
		default:
			return false, nil
		}
		return true, err
	})
	if display == "" {
		display = strings.TrimSpace(first + " " + last)
	}
	if login != "" && display != "" {
		p.authors[login] = display
	}
	return err
}

// children calls fn with each child element of the element just opened;
// fn reads it and returns true, or returns false to have it skipped.
func (p *parser) children(fn func(k string, t xml.StartElement) (bool, error)) error {
	for {
		tok, err := p.token()
		if err == io.EOF {
			return p.errorAt("unexpected end of file")
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.EndElement:
			return nil
		case xml.StartElement:
			read, err := fn(key(t.Name), t)
			if err != nil {
				return err
			}
			if !read {
				if err := p.skip(); err != nil {
					return err
				}
			}
		}
	}
}

// skip skips the rest of the element just opened.
func (p *parser) skip() error {
	for depth := 1; depth > 0; {
		tok, err := p.token()
		if err == io.EOF {
			return p.errorAt("unexpected end of file")
		}
		if err != nil {
			return err
		}
		switch tok.(type) {
		case xml.StartElement:
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return nil
}

// An item is what a WordPress item says of a post.
type item struct {
	line                            int
	title, link, pubDate, creator   string
	guid, content, excerpt, postID  string
	postDate, postDateGMT, postName string
	status, postType, password      string
	tags                            []string
	format                          string   // post_format: "post-format-video"
	coauthors                       []string // Co-Authors Plus's author terms: logins or slugs
}

// item reads an item and emits its document when it is a published post
// or page.
func (p *parser) item() error {
	p.items++
	it := item{status: "publish", postType: "post"}
	it.line, _ = p.d.InputPos()
	fields := map[string]*string{
		"title": &it.title, "link": &it.link, "pubDate": &it.pubDate, "dc:creator": &it.creator,
		"guid": &it.guid, "content:encoded": &it.content, "excerpt:encoded": &it.excerpt,
		"wp:post_id": &it.postID, "wp:post_date": &it.postDate, "wp:post_date_gmt": &it.postDateGMT,
		"wp:post_name": &it.postName, "wp:status": &it.status, "wp:post_type": &it.postType,
		"wp:post_password": &it.password,
	}
	err := p.children(func(k string, t xml.StartElement) (bool, error) {
		if k == "category" {
			domain, nicename := "", ""
			for _, a := range t.Attr {
				switch a.Name.Local {
				case "domain":
					domain = a.Value
				case "nicename":
					nicename = a.Value
				}
			}
			text, err := p.text()
			switch domain {
			case "category", "post_tag", "tag", "":
				// WXR 1.0 writes each term twice, with and without
				// its domain or nicename: one tag each.
				if !defaultCategory(nicename, text) && text != "" && !slices.Contains(it.tags, text) {
					it.tags = append(it.tags, text)
				}
			case "post_format":
				it.format = nicename
			case "author":
				// Co-Authors Plus: <category domain="author"
				// nicename="cap-jdoe">jdoe</category>, the byline in order.
				if text != "" {
					it.coauthors = append(it.coauthors, text)
				}
			}
			return true, err
		}
		f, ok := fields[k]
		if !ok {
			return false, nil
		}
		var err error
		*f, err = p.text()
		return true, err
	})
	if err != nil {
		return err
	}
	if !published(&it) {
		return nil
	}
	doc, err := p.document(&it)
	if err != nil {
		return err
	}
	return p.emit(doc)
}

// published reports whether an item is a post or page anyone can read.
func published(it *item) bool {
	return it.status == "publish" && (it.postType == "post" || it.postType == "page") && it.password == ""
}

// defaultCategory reports whether a category is WordPress's default one,
// which says nothing of the post.
func defaultCategory(nicename, name string) bool {
	switch nicename {
	case "uncategorized", "non-classe", "sin-categoria", "allgemein", "senza-categoria":
		return true
	}
	return nicename == "" && (name == "Uncategorized" || name == "Non classé")
}

// document turns a published item into a document.
func (p *parser) document(it *item) (corpus.Document, error) {
	origin := fmt.Sprintf("%s:%d", p.path, it.line)
	date, published, ok := itemDate(it)
	if !ok {
		return corpus.Document{}, &corpus.SyntaxError{File: p.path, Line: it.line,
			Msg: fmt.Sprintf("post %q has no date (wp:post_date %q, pubDate %q)", it.title, it.postDate, it.pubDate)}
	}
	html := it.content
	if strings.TrimSpace(html) == "" {
		html = it.excerpt
	}
	var paragraphs []corpus.Paragraph
	for _, t := range htmltext.Fragment(stripShortcodes(html), htmltext.Options{BlankLines: true}) {
		if bareURL.MatchString(t) {
			continue // a URL alone on its line is an oEmbed
		}
		paragraphs = append(paragraphs, corpus.Paragraph{Text: t})
	}
	title := strings.Join(htmltext.Fragment(it.title, htmltext.Options{}), " ")
	if title == "" {
		title = untitled(paragraphs, it.postName)
	}
	doc := corpus.Document{
		ID:         p.id(it),
		Title:      title,
		Source:     p.source(),
		Kind:       corpus.Post,
		Date:       date,
		Published:  published,
		URL:        it.link,
		Tags:       it.tags,
		Paragraphs: paragraphs,
		Origin:     origin,
	}
	if doc.URL == "" && strings.HasPrefix(it.guid, "http") {
		doc.URL = it.guid
	}
	switch it.format {
	case "post-format-video", "post-format-audio":
		doc.Kind = corpus.Video
	}
	if it.creator != "" {
		name := p.authors[it.creator]
		if name == "" {
			name = it.creator
		}
		doc.Authors = []string{name}
	}
	if len(it.coauthors) > 0 {
		doc.Authors = nil
		for _, login := range it.coauthors {
			name := p.authors[login]
			if name == "" {
				name = slugName(login)
			}
			if !slices.Contains(doc.Authors, name) {
				doc.Authors = append(doc.Authors, name)
			}
		}
	}
	return doc, nil
}

// slugName reads a guest author's slug as a name: "jane-doe" → "Jane
// Doe"; anything else is kept as it is.
func slugName(slug string) string {
	if strings.ContainsAny(slug, " \t") || !strings.Contains(slug, "-") || strings.ToLower(slug) != slug {
		return slug
	}
	words := strings.Split(slug, "-")
	for i, w := range words {
		if r, size := utf8.DecodeRuneInString(w); size > 0 {
			words[i] = string(unicode.ToUpper(r)) + w[size:]
		}
	}
	return strings.Join(words, " ")
}

// bareURL matches a paragraph that is only a URL.
var bareURL = regexp.MustCompile(`^https?://\S+$`)

// untitled makes a title for a post without one: its first words, or its
// slug.
func untitled(ps []corpus.Paragraph, slug string) string {
	if len(ps) > 0 {
		words := strings.Fields(ps[0].Text)
		if len(words) > 10 {
			return strings.Join(words[:10], " ") + "…"
		}
		return strings.Join(words, " ")
	}
	if slug != "" {
		return strings.ReplaceAll(slug, "-", " ")
	}
	return "(sans titre)"
}

// blog returns the blog's address: wp:base_blog_url, else the channel's
// link, else wp:base_site_url — which is the network's root on a
// multisite and "http://wordpress.com/" in every WordPress.com export.
func (p *parser) blog() string {
	for _, u := range []string{p.blogURL, p.siteURL, p.baseURL} {
		if u = strings.TrimSpace(u); u != "" {
			return u
		}
	}
	return ""
}

// id returns a post's id: its guid, unless empty or already used in the
// file (then the blog's address and the post id).
func (p *parser) id(it *item) string {
	id := strings.TrimSpace(it.guid)
	if _, dup := p.ids[id]; id == "" || dup || !corpus.ValidID(id) {
		blog := p.blog()
		id = strings.TrimRight(blog, "/") + "/?p=" + it.postID
		if blog == "" {
			id = p.path + "#" + it.postID
		}
		if it.postID == "" {
			id = fmt.Sprintf("%s#item%d", p.path, p.items)
		}
	}
	p.ids[id] = it.line
	return id
}

// source returns the blog's name: its title, or its host.
func (p *parser) source() string {
	if s := strings.TrimSpace(p.site); s != "" {
		return strings.Join(htmltext.Fragment(s, htmltext.Options{}), " ")
	}
	if u, err := url.Parse(p.blog()); err == nil && u.Host != "" {
		return u.Host
	}
	return ""
}

// itemDate returns a post's date — wp:post_date (the blog's local time, as
// it shows it), wp:post_date_gmt, or pubDate — and, when the instant is
// known (post_date_gmt, or pubDate, which WordPress writes in GMT), its
// time of publication in the blog's zone: the difference between
// post_date and that instant.
func itemDate(it *item) (date, published string, ok bool) {
	local, hasLocal := wxrTime(it.postDate)
	instant, hasInstant := wxrTime(it.postDateGMT)
	if hasInstant {
		instant = instant.UTC()
	} else if t, found := corpus.ParseTimestamp(it.pubDate); found {
		instant, hasInstant = t, true
	}
	switch {
	case hasLocal && hasInstant:
		off := local.Sub(time.Date(instant.Year(), instant.Month(), instant.Day(), instant.Hour(), instant.Minute(), instant.Second(), 0, time.UTC))
		if off%(15*time.Minute) == 0 && off.Abs() <= 14*time.Hour {
			t := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), local.Second(), 0, time.FixedZone("", int(off.Seconds())))
			date, published = corpus.Stamp(t)
			return date, published, true
		}
		return local.Format(corpus.DateLayout), "", true
	case hasLocal:
		return local.Format(corpus.DateLayout), "", true
	case hasInstant:
		date, published = corpus.Stamp(instant)
		return date, published, true
	}
	for _, s := range []string{it.postDate, it.postDateGMT} {
		if t, err := time.Parse(time.DateOnly, strings.TrimSpace(s)); err == nil && t.Year() > 1 {
			return t.Format(corpus.DateLayout), "", true
		}
	}
	return "", "", false
}

// wxrTime reads a WXR time, "2017-03-22 09:30:00" (in no zone); the
// "0000-00-00 00:00:00" of a draft is no time.
func wxrTime(s string) (time.Time, bool) {
	t, err := time.Parse(time.DateTime, strings.TrimSpace(s))
	return t, err == nil && t.Year() > 1
}
