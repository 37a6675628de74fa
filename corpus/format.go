package corpus

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"tacheron/corpus/analysis"
)

// A Format reads one kind of source file — a WordPress export, a feed, a
// press database's export, a web page, a Markdown note… — into documents.
// Each format lives in its own package under corpus/ and knows nothing of
// the others; corpus only knows this interface.
type Format interface {
	// Name is the format's short name, used in messages and summaries
	// ("wordpress", "europresse").
	Name() string
	// Detect reports whether a file is in this format, from its path
	// relative to the corpus folder and its first bytes (up to 8 KiB).
	// Detection goes by content first: the extension is only a hint.
	Detect(path string, head []byte) bool
	// Read parses the file at path (relative to the corpus folder, used in
	// ids and errors) and calls emit with each document, in file order,
	// without holding the whole file's documents in memory. Errors name
	// the file and the line (or the article's number within the file).
	Read(path string, r io.Reader, emit func(Document) error) error
}

// maxIDBytes bounds the length of a document id.
const maxIDBytes = 512

// finish checks and completes a document a Format emitted as the n-th of
// file: spaces normalised, kind, source, languages (per paragraph where the
// format left them out), authors and tags without blanks or repeats. The
// title and a YYYY-MM-DD date are required.
func finish(file string, n int, d *Document, m Manifest) error {
	if d.Origin == "" {
		d.Origin = fmt.Sprintf("%s:#%d", file, n)
	}
	bad := func(format string, args ...any) error {
		f, line := splitOrigin(d.Origin)
		msg := fmt.Sprintf(format, args...)
		if line == 0 {
			msg = fmt.Sprintf("document %d: %s", n, msg)
		}
		return &SyntaxError{File: f, Line: line, Msg: msg}
	}
	d.Title = normalizeSpace(d.Title)
	if d.Title == "" {
		return bad("document has no title")
	}
	if len(d.ID) > maxIDBytes || (d.ID != "" && !ValidID(d.ID)) {
		return bad("id %q is not printable text of at most %d bytes", d.ID, maxIDBytes)
	}
	if d.Published != "" {
		t, ok := ParseTimestamp(d.Published)
		if !ok {
			return bad("published %q is not an RFC 3339 time with a zone", d.Published)
		}
		d.Published = t.Format(PublishedLayout)
		if d.Date == "" {
			d.Date = t.Format(DateLayout)
		}
	}
	if _, err := time.Parse(DateLayout, d.Date); err != nil {
		return bad("date %q is not a YYYY-MM-DD date", d.Date)
	}
	if d.Kind == "" {
		d.Kind = Post
	}
	if !validKind(d.Kind) {
		return bad("unknown kind %q", d.Kind)
	}
	d.Source = issueNumber.ReplaceAllString(normalizeSpace(d.Source), "")
	if d.Source == "" {
		d.Source = m.DefaultSource
	}
	d.Section = normalizeSpace(d.Section)
	d.Authors = cleanList(d.Authors)
	d.Tags = cleanList(d.Tags)
	fallback := m.DefaultLang
	if d.Lang == analysis.English || d.Lang == analysis.French {
		fallback = d.Lang
	}
	if fallback != analysis.English {
		fallback = analysis.French
	}
	ps := d.Paragraphs[:0]
	for _, p := range d.Paragraphs {
		p.Text = normalizeSpace(p.Text)
		if p.Text == "" {
			continue
		}
		if p.Lang != analysis.French && p.Lang != analysis.English {
			p.Lang = analysis.DetectLanguage(p.Text, fallback)
		}
		ps = append(ps, p)
	}
	d.Paragraphs = ps
	if d.TitleLang == "" {
		d.TitleLang = analysis.DetectLanguage(d.Title, "")
	}
	if d.Lang != analysis.French && d.Lang != analysis.English {
		d.Lang = documentLang(d.Paragraphs, d.TitleLang, fallback)
	}
	if d.TitleLang == "" {
		d.TitleLang = d.Lang
	}
	return nil
}

// issueNumber matches the issue number a source name may end with: "Le
// Monde, no. 22586", "Libération, n° 11234".
var issueNumber = regexp.MustCompile(`(?i),?\s*(?:no\.?|n°|nº|num(?:éro|ero)?\.?|issue|#)\s*\d+\s*$`)

// cleanList normalises the spaces of each item and drops blanks and
// repeats (compared without case).
func cleanList(items []string) []string {
	var out []string
	seen := map[string]bool{}
	for _, it := range items {
		it = normalizeSpace(it)
		key := strings.ToLower(it)
		if it == "" || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, it)
	}
	return out
}

// JSONL returns the format of JSON Lines files: one Record per line.
func JSONL() Format { return jsonlFormat{} }

type jsonlFormat struct{}

func (jsonlFormat) Name() string { return "jsonl" }

// Detect recognises a file whose first non-blank byte opens a JSON object.
func (jsonlFormat) Detect(_ string, head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\ufeff"))
	t := bytes.TrimLeft(head, " \t\r\n")
	return len(t) > 0 && t[0] == '{'
}

// Read reads the records of r with the default manifest (a corpus reads
// them with the manifest beside the file, in parallel).
func (jsonlFormat) Read(p string, r io.Reader, emit func(Document) error) error {
	br := bufio.NewReaderSize(r, 1<<16)
	m := Manifest{DefaultSource: path.Base(strings.TrimSuffix(p, path.Ext(p))), DefaultLang: analysis.French}
	for n := 1; ; n++ {
		l, err := readLine(br)
		if errors.Is(err, errLongLine) {
			return &SyntaxError{File: p, Line: n, Msg: fmt.Sprintf("line longer than %d bytes", maxLineBytes)}
		}
		if t := bytes.TrimSpace(l); len(t) > 0 {
			d, perr := ParseRecord(p, n, t, m)
			if perr != nil {
				return perr
			}
			if eerr := emit(d); eerr != nil {
				return eerr
			}
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: read after line %d: %w", p, n, err)
		}
	}
}

// Archive returns the format of the archive dumps: a month of a blog saved
// as text, each post's title line ending with a parenthesised date.
func Archive() Format { return archiveFormat{} }

type archiveFormat struct{}

func (archiveFormat) Name() string { return "archive" }

// Detect recognises text whose first or second non-blank line is a post
// title: "Title (Le Monde, 11 mars 2017)".
func (archiveFormat) Detect(_ string, head []byte) bool {
	if !utf8.Valid(trimPartialRune(head)) {
		return false
	}
	seen := 0
	for l := range strings.SplitSeq(string(head), "\n") {
		l = normalizeSpace(l)
		if l == "" {
			continue
		}
		if _, ok := parseTitleLine(l); ok {
			return true
		}
		if seen++; seen == 2 {
			return false
		}
	}
	return false
}

// Read reads the archive in r with the default manifest.
func (archiveFormat) Read(p string, r io.Reader, emit func(Document) error) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m := Manifest{DefaultSource: path.Base(strings.TrimSuffix(p, path.Ext(p))), DefaultLang: analysis.French}
	docs, err := ParseArchive(p, data, m)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := emit(d); err != nil {
			return err
		}
	}
	return nil
}

// trimPartialRune drops an incomplete UTF-8 sequence cut at the end of a
// file's head.
func trimPartialRune(b []byte) []byte {
	for i := 1; i <= 3 && i <= len(b); i++ {
		if utf8.RuneStart(b[len(b)-i]) {
			if !utf8.FullRune(b[len(b)-i:]) {
				return b[:len(b)-i]
			}
			break
		}
	}
	return b
}
