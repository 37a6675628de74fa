// Package markdown reads notes: Markdown files (converted to text with
// github.com/yuin/goldmark, GitHub tables and Obsidian wiki links
// included) and plain text files, one document per file, its id the file's
// path in the corpus.
//
// Front matter — YAML between "---" lines (Jekyll, Hugo, Obsidian) read
// with github.com/goccy/go-yaml, or TOML between "+++" lines (Hugo) read
// with github.com/pelletier/go-toml/v2 — gives title, date, tags, authors,
// source, url and lang. Without it, the title is the first heading or line
// and the date comes from the file name ("2017-03-22-notes.md") or a
// "Date:" line near the top; a note with no date is an error that says how
// to give one.
package markdown

import (
	"bytes"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer/html"
	"golang.org/x/text/encoding/charmap"

	"tacheron/corpus"
	"tacheron/corpus/htmltext"
)

// Format returns the Markdown and text notes format.
func Format() corpus.Format { return format{} }

type format struct{}

func (format) Name() string { return "markdown" }

// markdownExts and textExts are the extensions of notes.
var (
	markdownExts = map[string]bool{".md": true, ".markdown": true, ".mdown": true, ".mkd": true, ".mdx": true}
	textExts     = map[string]bool{".txt": true, ".text": true}
)

// Detect recognises a Markdown or text file by its extension, or any text
// that opens with front matter, as long as it reads as text (no NUL byte).
func (format) Detect(p string, head []byte) bool {
	if bytes.IndexByte(head, 0) >= 0 {
		return false
	}
	ext := strings.ToLower(path.Ext(p))
	if markdownExts[ext] || textExts[ext] {
		return true
	}
	_, _, fm := splitFrontMatter(bytes.TrimPrefix(head, []byte("\ufeff")))
	return fm != ""
}

// maxNoteBytes bounds a note.
const maxNoteBytes = 64 << 20

// Read reads one note.
func (format) Read(p string, r io.Reader, emit func(corpus.Document) error) error {
	data, err := io.ReadAll(io.LimitReader(r, maxNoteBytes+1))
	if err != nil {
		return err
	}
	if len(data) > maxNoteBytes {
		return &corpus.SyntaxError{File: p, Line: 1, Msg: fmt.Sprintf("note larger than %d bytes", maxNoteBytes)}
	}
	doc, err := parse(p, data)
	if err != nil {
		return err
	}
	return emit(doc)
}

// parse turns a note into a document.
func parse(p string, data []byte) (corpus.Document, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	if !utf8.Valid(data) {
		// Not UTF-8: a note saved by an older editor, in Windows-1252.
		if d, err := charmap.Windows1252.NewDecoder().Bytes(data); err == nil {
			data = d
		}
	}
	data = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	bad := func(line int, format string, args ...any) error {
		return &corpus.SyntaxError{File: p, Line: line, Msg: fmt.Sprintf(format, args...)}
	}
	doc := corpus.Document{ID: p, Origin: p + ":1"}
	meta, body, kind := splitFrontMatter(data)
	bodyLine := 1 + bytes.Count(data[:len(data)-len(body)], []byte("\n"))
	var fm frontMatter
	if kind != "" {
		if err := fm.parse(kind, meta); err != nil {
			return doc, bad(2, "front matter: %v", err)
		}
	}
	isText := textExts[strings.ToLower(path.Ext(p))]
	// Without front matter, a "Date:" line near the top dates the note.
	dateLine := ""
	if fm.date == "" {
		lines := strings.Split(string(body), "\n")
		for i, l := range lines[:min(len(lines), 12)] {
			if m := dateLineRE.FindStringSubmatch(l); m != nil {
				dateLine = m[1]
				lines[i] = ""
				body = []byte(strings.Join(lines, "\n"))
				break
			}
		}
	}
	var paragraphs []string
	if isText {
		// The first line is the title; blank lines separate paragraphs.
		text := strings.TrimSpace(string(body))
		title, rest, _ := strings.Cut(text, "\n")
		if fm.title == "" {
			doc.Title = title
			text = rest
		}
		for block := range strings.SplitSeq(text, "\n\n") {
			if t := strings.Join(strings.Fields(block), " "); t != "" {
				paragraphs = append(paragraphs, t)
			}
		}
	} else {
		var out bytes.Buffer
		md := goldmark.New(
			goldmark.WithExtensions(extension.GFM, extension.NewFootnote(extension.WithFootnoteBacklinkHTML(""))),
			// Raw HTML is kept: htmltext reads its text, never runs it.
			goldmark.WithRendererOptions(html.WithUnsafe()))
		if err := md.Convert(wikiLinks(templateTags(body)), &out); err != nil {
			return doc, bad(bodyLine, "markdown: %v", err)
		}
		paragraphs = htmltext.Fragment(out.String(), htmltext.Options{})
		if fm.title == "" && len(paragraphs) > 0 {
			// The first heading, or the first paragraph, is the title.
			doc.Title = paragraphs[0]
			paragraphs = paragraphs[1:]
		}
	}
	if fm.title != "" {
		doc.Title = fm.title
	}
	if doc.Title == "" {
		doc.Title = strings.TrimSuffix(path.Base(p), path.Ext(p))
	}
	if runes := []rune(doc.Title); len(runes) > 200 {
		doc.Title = string(runes[:200]) + "…"
	}
	for _, t := range paragraphs {
		doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: t})
	}
	date, published := fm.date, fm.published
	if date == "" {
		date = dateLine
		if t, ok := corpus.ParseTimestamp(dateLine); ok {
			published = t.Format(corpus.PublishedLayout)
		}
	}
	if date == "" {
		date, _ = corpus.NameDate(p)
	}
	if date == "" {
		return doc, bad(1, `no date: start the file name with it ("2017-03-22-%s"), write a "Date: 22 mars 2017" line near the top, or front matter ("date: 2017-03-22")`, path.Base(p))
	}
	day, ok := parseDay(date)
	if !ok {
		return doc, bad(1, "date %q is not a date (want YYYY-MM-DD or \"22 mars 2017\")", date)
	}
	doc.Date, doc.Published = day, published
	doc.Authors, doc.Tags = fm.authors, fm.tags
	doc.Source, doc.URL = fm.source, fm.url
	doc.Lang = fm.lang
	return doc, nil
}
