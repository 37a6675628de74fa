// Package htmltext turns HTML into the plain paragraphs tacheron indexes:
// one per block (paragraph, heading, list item, quote, table row…), inline
// markup flattened, and what is not text — scripts, styles, forms, embedded
// players and frames, images — left out. Formats that carry HTML (WordPress
// posts, feed entries, web pages, press exports) share it.
package htmltext

import (
	"io"
	"strings"
	"unicode"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// Options change how text is split into paragraphs.
type Options struct {
	// BlankLines splits text at blank lines as well as at blocks, the way
	// WordPress's classic editor stores paragraphs (without <p>).
	BlankLines bool
}

// Fragment returns the paragraphs of an HTML fragment (the body of a post,
// a feed entry's content).
func Fragment(s string, opts Options) []string {
	ctx := &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body}
	nodes, err := html.ParseFragment(strings.NewReader(s), ctx)
	if err != nil {
		// Only a read error fails, and a strings.Reader has none.
		return nil
	}
	w := &writer{opts: opts}
	for _, n := range nodes {
		w.node(n)
	}
	w.flush()
	return w.out
}

// Read parses a whole HTML document from r (already UTF-8; see
// golang.org/x/net/html/charset) and returns the paragraphs of its body.
func Read(r io.Reader, opts Options) ([]string, error) {
	doc, err := html.Parse(r)
	if err != nil {
		return nil, err
	}
	return Node(doc, opts), nil
}

// Node returns the paragraphs of the text under n.
func Node(n *html.Node, opts Options) []string {
	w := &writer{opts: opts}
	w.node(n)
	w.flush()
	return w.out
}

// Text returns the text under n as one line, spaces collapsed (a title, a
// byline, a date).
func Text(n *html.Node) string {
	w := &writer{}
	w.inline = true
	w.node(n)
	return collapse(w.cur.String())
}

// writer collects paragraphs.
type writer struct {
	opts   Options
	out    []string
	cur    strings.Builder
	inline bool // everything goes to one line
}

// skipped are the elements whose content is not text.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true,
	atom.Embed: true, atom.Video: true, atom.Audio: true, atom.Source: true,
	atom.Track: true, atom.Svg: true, atom.Math: true, atom.Canvas: true,
	atom.Map: true, atom.Img: true, atom.Picture: true, atom.Form: true,
	atom.Input: true, atom.Button: true, atom.Select: true, atom.Textarea: true,
	atom.Head: true, atom.Title: true, atom.Meta: true, atom.Link: true,
	atom.Dialog: true,
}

// blocks are the elements that start and end a paragraph.
var blocks = map[atom.Atom]bool{
	atom.P: true, atom.Div: true, atom.Li: true, atom.Ul: true, atom.Ol: true,
	atom.Dl: true, atom.Dt: true, atom.Dd: true, atom.Blockquote: true,
	atom.Pre: true, atom.H1: true, atom.H2: true, atom.H3: true, atom.H4: true,
	atom.H5: true, atom.H6: true, atom.Table: true, atom.Tr: true,
	atom.Thead: true, atom.Tbody: true, atom.Tfoot: true, atom.Caption: true,
	atom.Section: true, atom.Article: true, atom.Aside: true, atom.Header: true,
	atom.Footer: true, atom.Nav: true, atom.Main: true, atom.Address: true,
	atom.Figure: true, atom.Figcaption: true, atom.Hr: true, atom.Details: true,
	atom.Summary: true, atom.Fieldset: true, atom.Body: true, atom.Html: true,
	atom.Center: true,
}

// isEmbed reports whether n wraps an embedded player or post: a WordPress
// embed block, a tweet or Instagram blockquote.
func isEmbed(n *html.Node) bool {
	for _, a := range n.Attr {
		if a.Key != "class" {
			continue
		}
		for c := range strings.FieldsSeq(a.Val) {
			switch {
			case strings.HasPrefix(c, "wp-block-embed"), c == "twitter-tweet", c == "instagram-media",
				c == "tiktok-embed", c == "wp-embedded-content", strings.HasPrefix(c, "embed-"):
				return true
			}
		}
	}
	return false
}

func (w *writer) node(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text(n.Data)
		return
	case html.CommentNode, html.DoctypeNode:
		return
	case html.ElementNode:
		if skipped[n.DataAtom] || isEmbed(n) {
			return
		}
		if n.DataAtom == atom.Br {
			if w.opts.BlankLines && !w.inline {
				w.cur.WriteByte('\n')
			} else {
				w.cur.WriteByte(' ')
			}
			return
		}
		if n.DataAtom == atom.Td || n.DataAtom == atom.Th {
			if strings.TrimSpace(w.cur.String()) != "" {
				w.cur.WriteString(" | ")
			}
		}
	}
	block := n.Type == html.ElementNode && blocks[n.DataAtom]
	if block {
		w.flush()
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.node(c)
	}
	if block {
		w.flush()
	}
}

// text adds text, splitting it at blank lines with Options.BlankLines.
func (w *writer) text(s string) {
	if !w.opts.BlankLines || w.inline {
		w.cur.WriteString(s)
		return
	}
	for {
		i := blankLine(s)
		if i < 0 {
			w.cur.WriteString(s)
			return
		}
		w.cur.WriteString(s[:i])
		w.flush()
		s = s[i:]
		s = strings.TrimLeft(s, " \t\r\n")
	}
}

// blankLine returns the index of the first blank line in s (a newline,
// optional spaces, a newline), or -1.
func blankLine(s string) int {
	for i := 0; i < len(s); i++ {
		if s[i] != '\n' {
			continue
		}
		for j := i + 1; j < len(s); j++ {
			if s[j] == '\n' {
				return i
			}
			if s[j] != ' ' && s[j] != '\t' && s[j] != '\r' {
				break
			}
		}
	}
	return -1
}

// flush ends the current paragraph.
func (w *writer) flush() {
	if w.inline {
		return
	}
	text := w.cur.String()
	w.cur.Reset()
	if w.opts.BlankLines {
		// A <br> or a single newline: the text of a paragraph goes on.
		text = strings.ReplaceAll(text, "\n", " ")
	}
	if t := collapse(text); t != "" {
		w.out = append(w.out, t)
	}
}

// collapse collapses runs of white space (no-break spaces included) into
// single spaces and trims the ends.
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u200b' || r == '\ufeff' {
			space = b.Len() > 0
			continue
		}
		if unicode.IsControl(r) {
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
