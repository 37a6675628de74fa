// Package feed reads RSS 2.0, RSS 1.0 (RDF) and Atom feeds saved to files,
// and JSON Feed, through github.com/mmcdole/gofeed: one document per entry.
//
// An entry's full content (content:encoded, Atom content) is preferred to
// its summary; its date is its publication date (else its update date); its
// source is the feed it names (RSS <source>, Atom <source>), else the
// feed's title; its id is its guid or Atom id, else its link.
package feed

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html/charset"

	"tacheron/corpus"
	"tacheron/corpus/htmltext"
)

// Format returns the feed format.
func Format() corpus.Format { return format{} }

type format struct{}

func (format) Name() string { return "feed" }

// rootRE finds the root element of an XML document after its prolog
// (declaration, comments, processing instructions, doctype).
var rootRE = regexp.MustCompile(`^(?:\s+|<\?[^>]*\?>|<!--(?s:.*?)-->|<!DOCTYPE[^>]*>)*<([A-Za-z_][\w.:-]*)`)

// Detect recognises an XML document whose root is <rss>, <rdf:RDF> or
// Atom's <feed> (a WordPress export is left to its own format), or a JSON
// Feed.
func (format) Detect(_ string, head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	if bytes.Contains(head, []byte("wordpress.org/export/")) {
		return false
	}
	if t := bytes.TrimLeft(head, " \t\r\n"); len(t) > 0 && t[0] == '{' {
		return bytes.Contains(head, []byte("jsonfeed.org/version/"))
	}
	m := rootRE.FindSubmatch(head)
	if m == nil {
		return false
	}
	switch root := string(m[1]); {
	case root == "rss":
		return true
	case strings.HasSuffix(root, "RDF"):
		return bytes.Contains(head, []byte("purl.org/rss/1.0/"))
	case root == "feed" || strings.HasSuffix(root, ":feed"):
		return bytes.Contains(head, []byte("http://www.w3.org/2005/Atom")) || bytes.Contains(head, []byte("purl.org/atom/ns#"))
	}
	return false
}

// maxFeedBytes bounds a feed file: feeds are parsed whole.
const maxFeedBytes = 256 << 20

// Read parses the feed in r and emits its entries in order.
func (format) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	data, err := io.ReadAll(io.LimitReader(r, maxFeedBytes+1))
	if err != nil {
		return err
	}
	if len(data) > maxFeedBytes {
		return fmt.Errorf("%s: feed larger than %d bytes", path, maxFeedBytes)
	}
	p := gofeed.NewParser()
	p.KeepOriginalFeed = true
	f, err := p.Parse(bytes.NewReader(data))
	if err != nil {
		return syntaxError(path, data, err)
	}
	source := inline(f.Title)
	sources := entrySources(f)
	ids := map[string]bool{}
	for i, it := range f.Items {
		n := i + 1
		doc, err := document(it, f)
		if err != nil {
			return &corpus.SyntaxError{File: path, Msg: fmt.Sprintf("entry %d (%q): %v", n, it.Title, err)}
		}
		doc.Origin = fmt.Sprintf("%s:#%d", path, n)
		doc.Source = source
		if i < len(sources) && sources[i] != "" {
			doc.Source = sources[i]
		}
		if ids[doc.ID] {
			doc.ID = "" // a feed that repeats an id: derived from date and title
		}
		ids[doc.ID] = true
		if err := emit(doc); err != nil {
			return err
		}
	}
	return nil
}

// document turns an entry into a document.
func document(it *gofeed.Item, f *gofeed.Feed) (corpus.Document, error) {
	when, published := entryDate(it.Published, it.PublishedParsed)
	if when == nil {
		when, published = entryDate(it.Updated, it.UpdatedParsed)
	}
	if when == nil {
		if it.Published != "" || it.Updated != "" {
			return corpus.Document{}, fmt.Errorf("date %q is not a date", it.Published+it.Updated)
		}
		return corpus.Document{}, errors.New("no date (pubDate, dc:date, published or updated)")
	}
	body := it.Content
	if strings.TrimSpace(body) == "" {
		body = it.Description
	}
	var paragraphs []corpus.Paragraph
	for _, t := range htmltext.Fragment(body, htmltext.Options{}) {
		if appearedFirst.MatchString(t) {
			continue
		}
		paragraphs = append(paragraphs, corpus.Paragraph{Text: t})
	}
	if len(paragraphs) == 0 {
		// A video feed (YouTube, Vimeo, a podcast) describes its entries
		// in Media RSS: <media:group><media:description>, plain text.
		for line := range strings.SplitSeq(mediaText(it.Extensions, "description"), "\n") {
			if t := strings.Join(strings.Fields(line), " "); t != "" {
				paragraphs = append(paragraphs, corpus.Paragraph{Text: t})
			}
		}
	}
	doc := corpus.Document{
		ID:         strings.TrimSpace(it.GUID),
		Title:      inline(it.Title),
		Date:       when.Format(corpus.DateLayout),
		Published:  published,
		URL:        strings.TrimSpace(it.Link),
		Tags:       it.Categories,
		Paragraphs: paragraphs,
	}
	if isVideo(it) {
		doc.Kind = corpus.Video
	}
	if doc.ID == "" || !corpus.ValidID(doc.ID) {
		doc.ID = doc.URL
	}
	if !corpus.ValidID(doc.ID) {
		doc.ID = ""
	}
	if doc.Title == "" && len(paragraphs) > 0 {
		words := strings.Fields(paragraphs[0].Text)
		doc.Title = strings.Join(words[:min(len(words), 10)], " ")
		if len(words) > 10 {
			doc.Title += "…"
		}
	}
	if doc.Title == "" {
		return corpus.Document{}, errors.New("no title and no text")
	}
	people := it.Authors
	if len(people) == 0 {
		people = f.Authors // Atom: the feed's author signs its entries
	}
	for _, a := range people {
		if a != nil && a.Name != "" {
			doc.Authors = append(doc.Authors, inline(a.Name))
		}
	}
	return doc, nil
}

// mediaText returns the text of a Media RSS element of an entry
// (media:description, media:title), at the top or in its media:group.
func mediaText(exts ext.Extensions, name string) string {
	for prefix, elems := range exts {
		if prefix != "media" {
			continue
		}
		for _, e := range elems[name] {
			if strings.TrimSpace(e.Value) != "" {
				return e.Value
			}
		}
		for _, g := range elems["group"] {
			for _, e := range g.Children[name] {
				if strings.TrimSpace(e.Value) != "" {
					return e.Value
				}
			}
		}
	}
	return ""
}

// videoLink matches the address of a video page: YouTube, Vimeo,
// Dailymotion, PeerTube (/videos/watch/).
var videoLink = regexp.MustCompile(`^https?://(?:www\.|m\.)?(?:youtube\.com/(?:watch\?|shorts/)|youtu\.be/|vimeo\.com/\d|dailymotion\.com/video/|[^/]+/videos/watch/[0-9a-zA-Z-]{8,})`)

// isVideo reports whether an entry is a video or a recording: a link to a
// video page, a YouTube entry (yt:videoId), or an audio or video
// enclosure.
func isVideo(it *gofeed.Item) bool {
	if videoLink.MatchString(strings.TrimSpace(it.Link)) {
		return true
	}
	if _, ok := it.Extensions["yt"]["videoId"]; ok {
		return true
	}
	for _, e := range it.Enclosures {
		if e != nil && (strings.HasPrefix(e.Type, "video/") || strings.HasPrefix(e.Type, "audio/")) {
			return true
		}
	}
	return false
}

// entrySources returns the source each entry names, by entry, from the
// original RSS or Atom feed.
func entrySources(f *gofeed.Feed) []string {
	var out []string
	switch o := f.OriginalFeed().(type) {
	case *rss.Feed:
		for _, it := range o.Items {
			s := ""
			if it.Source != nil {
				s = inline(it.Source.Title)
			}
			out = append(out, s)
		}
	case *atom.Feed:
		for _, e := range o.Entries {
			s := ""
			if e.Source != nil {
				s = inline(e.Source.Title)
			}
			out = append(out, s)
		}
	}
	return out
}

// appearedFirst matches the line SEO plugins add to each entry of a
// WordPress feed.
var appearedFirst = regexp.MustCompile(`^(The post .* appeared first on .*|L[’'](?:article|billet) .* est apparu en premier sur .*)$`)

// inline returns the text of a title that may hold markup or entities.
func inline(s string) string {
	return strings.Join(htmltext.Fragment(s, htmltext.Options{}), " ")
}

// dateLayouts are the layouts of the dates feeds write, with their time
// zone, tried before gofeed's parse (which moves the time to UTC, and so
// may change the day).
var dateLayouts = []string{time.RFC3339, time.RFC1123Z, time.RFC1123, "Mon, 2 Jan 2006 15:04:05 -0700", "2 Jan 2006 15:04:05 -0700", "Mon, 2 Jan 2006 15:04:05 MST"}

// entryDate returns the time raw says in its own time zone, else the one
// gofeed parsed; published is that time as RFC 3339 when raw names its
// time of day and zone (RFC 822 or 3339, as feeds write them).
func entryDate(raw string, parsed *time.Time) (when *time.Time, published string) {
	raw = strings.TrimSpace(raw)
	if t, ok := corpus.ParseTimestamp(raw); ok {
		return &t, t.Format(corpus.PublishedLayout)
	}
	for _, l := range dateLayouts {
		if t, err := time.Parse(l, raw); err == nil {
			return &t, ""
		}
	}
	return parsed, ""
}

// syntaxError explains why a feed did not parse: where the XML is
// malformed, when it is, with line and column.
func syntaxError(path string, data []byte, err error) error {
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charset.NewReaderLabel
	for {
		_, xerr := d.Token()
		if xerr == io.EOF {
			break
		}
		if xerr != nil {
			line, col := d.InputPos()
			var se *xml.SyntaxError
			msg := xerr.Error()
			if errors.As(xerr, &se) {
				msg = se.Msg
			}
			return &corpus.SyntaxError{File: path, Line: line, Column: col, Msg: "malformed feed: " + msg}
		}
	}
	return &corpus.SyntaxError{File: path, Line: 1, Msg: "not a feed gofeed can read: " + err.Error()}
}
