// Package pdf reads PDF reports through poppler's command-line tools:
// pdftotext for the text, pdfinfo for the title, author, keywords and
// date (Debian package poppler-utils). One document per file, its id the
// file's path in the corpus; the title is the document's own (its
// metadata) or else its first line. A PDF without text — a scan — and a
// machine without pdftotext are reported as unsupported, saying what to do.
//
// A press database's PDF export (Europresse's selections, Nexis Uni's
// downloads) is split into its articles by the Splitter that claims its
// text.
package pdf

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path"
	"regexp"
	"strings"
	"time"

	"tacheron/corpus"
)

// A Splitter reads the PDF exports of one press database.
type Splitter interface {
	// Claims reports whether a PDF whose text (pdftotext's, pages
	// separated by form feeds) is text is one of its exports.
	Claims(text string) bool
	// Split reads into documents the file's text as pdftotext -layout
	// gives it: the vertical gaps between paragraphs kept as blank lines.
	Split(path, layoutText string, emit func(corpus.Document) error) error
}

// Format returns the PDF format; splitters are tried, in order, on each
// file's text before it is read as one document.
func Format(splitters ...Splitter) corpus.Format { return format{splitters} }

type format struct{ splitters []Splitter }

func (format) Name() string { return "pdf" }

// Detect recognises the "%PDF-" header, which may follow a few bytes of
// junk.
func (format) Detect(_ string, head []byte) bool {
	return bytes.Contains(head[:min(len(head), 1024)], []byte("%PDF-"))
}

// timeout bounds each poppler run on one file.
const timeout = 2 * time.Minute

// Read extracts the text of the PDF in r.
func (f format) Read(p string, r io.Reader, emit func(corpus.Document) error) error {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		return fmt.Errorf("%s: reading a PDF needs pdftotext, which is not installed: install poppler-utils (apt-get install poppler-utils, brew install poppler): %w", p, corpus.ErrUnsupported)
	}
	tmp, err := os.CreateTemp("", "tacheron-*.pdf")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	_, err = io.Copy(tmp, r)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("%s: %w", p, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	text, err := run(ctx, pdftotext, "-q", "-enc", "UTF-8", tmp.Name(), "-")
	if err != nil {
		return &corpus.SyntaxError{File: p, Line: 1, Msg: "pdftotext cannot read it: " + err.Error()}
	}
	for _, s := range f.splitters {
		if s.Claims(text) {
			layout, err := run(ctx, pdftotext, "-q", "-layout", "-enc", "UTF-8", tmp.Name(), "-")
			if err != nil {
				return &corpus.SyntaxError{File: p, Line: 1, Msg: "pdftotext -layout cannot read it: " + err.Error()}
			}
			return s.Split(p, layout, emit)
		}
	}
	info := map[string]string{}
	if pdfinfo, err := exec.LookPath("pdfinfo"); err == nil {
		out, err := run(ctx, pdfinfo, "-isodates", "-enc", "UTF-8", tmp.Name())
		if err == nil {
			info = parseInfo(out)
		}
	}
	doc, err := document(p, text, info)
	if err != nil {
		return err
	}
	return emit(doc)
}

// run runs a poppler tool and returns its output.
func run(ctx context.Context, name string, args ...string) (string, error) {
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		if msg := strings.TrimSpace(stderr.String()); msg != "" {
			return "", fmt.Errorf("%w: %s", err, msg)
		}
		return "", err
	}
	return stdout.String(), nil
}

// parseInfo reads pdfinfo's "Key: value" lines.
func parseInfo(out string) map[string]string {
	info := map[string]string{}
	for l := range strings.SplitSeq(out, "\n") {
		k, v, ok := strings.Cut(l, ":")
		if ok {
			info[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	return info
}

// junkTitle matches the titles PDF producers put in metadata by default.
var junkTitle = regexp.MustCompile(`(?i)^(untitled|sans titre|document\d*|microsoft word - .*|.*\.(docx?|odt|pdf|indd|tex|dvi))$`)

// fileDate matches a file name that starts with a date.
var fileDate = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2})(?:[-_ .]|$)`)

// document builds the document of a PDF from its text and metadata.
func document(p, text string, info map[string]string) (corpus.Document, error) {
	paragraphs := paragraphs(text)
	if len(paragraphs) == 0 {
		return corpus.Document{}, fmt.Errorf("%s: the PDF has no text layer (a scan?): run OCR on it first (ocrmypdf adds one): %w", p, corpus.ErrUnsupported)
	}
	doc := corpus.Document{ID: p, Origin: p + ":1"}
	if t := info["Title"]; t != "" && !junkTitle.MatchString(t) {
		doc.Title = t
	} else {
		doc.Title, _, _ = strings.Cut(paragraphs[0], "\n")
		if r := []rune(doc.Title); len(r) > 200 {
			doc.Title = string(r[:200]) + "…"
		}
	}
	for _, t := range paragraphs {
		doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: strings.ReplaceAll(t, "\n", " ")})
	}
	for _, k := range []string{"CreationDate", "ModDate"} {
		if d := info[k]; len(d) >= 10 {
			if t, err := time.Parse(corpus.DateLayout, d[:10]); err == nil && t.Year() > 1900 {
				doc.Date = t.Format(corpus.DateLayout)
				break
			}
		}
	}
	if m := fileDate.FindStringSubmatch(path.Base(p)); m != nil {
		doc.Date = m[1] // the name the user gave says it best
	}
	if doc.Date == "" {
		return doc, &corpus.SyntaxError{File: p, Line: 1, Msg: fmt.Sprintf("no date: the PDF's metadata gives none; start the file name with it (\"2017-03-22-%s\")", path.Base(p))}
	}
	if a := info["Author"]; a != "" {
		doc.Authors = splitList(a)
	}
	if k := info["Keywords"]; k != "" {
		doc.Tags = splitList(k)
	}
	return doc, nil
}

// splitList splits names at semicolons, or commas.
func splitList(s string) []string {
	sep := ","
	if strings.Contains(s, ";") {
		sep = ";"
	}
	var out []string
	for it := range strings.SplitSeq(s, sep) {
		if it = strings.TrimSpace(it); it != "" {
			out = append(out, it)
		}
	}
	return out
}

// paragraphs splits pdftotext's output into paragraphs at blank lines and
// page breaks, joining a word hyphenated at the end of a line; the lines
// of a paragraph stay separated by newlines.
func paragraphs(text string) []string {
	text = strings.ReplaceAll(text, "\f", "\n\n")
	var out []string
	for block := range strings.SplitSeq(text, "\n\n") {
		var lines []string
		for l := range strings.SplitSeq(block, "\n") {
			if l = strings.TrimSpace(l); l != "" {
				lines = append(lines, l)
			}
		}
		if t := strings.TrimSpace(corpus.JoinLines(lines, "\n")); t != "" && !pageNumber.MatchString(t) {
			out = append(out, t)
		}
	}
	return out
}

// pageNumber matches a paragraph that is only a page number.
var pageNumber = regexp.MustCompile(`^(?:-\s*)?\d{1,4}(?:\s*-)?$|^(?i:page|p\.)\s*\d+(?:\s*/\s*\d+)?$`)
