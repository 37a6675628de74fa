// Package word reads Word files (.docx, through corpus/docx): a press
// database's Word download (Nexis Uni's default format), through the
// Splitter that claims it, as one document per article; any other Word
// file — notes, a report — as one document, its id the file's path.
//
// A note's title is the file's own (its core properties, unless a
// default such as "Document1"), else its first Title-styled paragraph or
// first heading, else its first paragraph; that paragraph then leaves the
// body. Its date is the one its file name starts with
// ("2017-03-22-notes.docx": the name the user gave says it best), else the
// created (or modified) date of its core properties. Authors come from
// the creator, tags from the keywords, the language from the file's own
// when it is French or English. Footnotes and endnotes are appended to
// the body.
package word

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strings"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
	"tacheron/corpus/docx"
)

// A Splitter reads the Word downloads of one press database.
type Splitter interface {
	// Claims reports whether a Word file whose first paragraphs are
	// these (maxClaimParagraphs at most) is one of its downloads.
	Claims(paragraphs []string) bool
	// Split reads the paragraphs that each gives, one by one, into
	// documents, without holding the whole file in memory.
	Split(path string, each func(func(docx.Paragraph) error) error, emit func(corpus.Document) error) error
}

// Format returns the Word format; splitters are tried, in order, on each
// file before it is read as one document.
func Format(splitters ...Splitter) corpus.Format { return format{splitters} }

type format struct{ splitters []Splitter }

func (format) Name() string { return "docx" }

// Detect recognises a zip archive holding a word/ part (or named .docx),
// and a Word 97–2003 or encrypted Word file, to say it cannot be read.
func (format) Detect(p string, head []byte) bool { return docx.IsDOCX(p, head) || isLegacy(p, head) }

// oleMagic starts the compound files of Word 97–2003 (.doc) and of
// password-protected .docx files.
var oleMagic = []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")

// isLegacy reports whether a file is a compound file named as a Word file.
func isLegacy(p string, head []byte) bool {
	switch strings.ToLower(path.Ext(p)) {
	case ".doc", ".docx", ".dot", ".docm":
		return bytes.HasPrefix(head, oleMagic)
	}
	return false
}

// maxClaimParagraphs bounds how many paragraphs a splitter is shown: a
// download's first article, with its cover page, is much shorter.
const maxClaimParagraphs = 2000

// errEnough stops the first look at a file's paragraphs.
var errEnough = errors.New("enough paragraphs")

func (f format) Read(p string, r io.Reader, emit func(corpus.Document) error) error {
	br := bufio.NewReader(r)
	if head, _ := br.Peek(len(oleMagic)); bytes.Equal(head, oleMagic) {
		return fmt.Errorf("%s: a Word 97–2003 file (.doc) or a password-protected one: tacheron reads .docx; save it as .docx without a password: %w", p, corpus.ErrUnsupported)
	}
	if _, ok := r.(io.ReaderAt); !ok {
		r = br
	}
	file, err := docx.Open(p, r)
	if err != nil {
		return err
	}
	if len(f.splitters) > 0 {
		var first []string
		err := file.Paragraphs(func(para docx.Paragraph) error {
			first = append(first, para.Text)
			if len(first) >= maxClaimParagraphs {
				return errEnough
			}
			return nil
		})
		if err != nil && !errors.Is(err, errEnough) {
			return err
		}
		for _, s := range f.splitters {
			if s.Claims(first) {
				return s.Split(p, file.Paragraphs, emit)
			}
		}
	}
	doc, err := note(p, file)
	if err != nil {
		return err
	}
	return emit(doc)
}

// junkTitle matches the titles word processors put in core properties by
// default.
var junkTitle = regexp.MustCompile(`(?i)^(untitled|sans titre|document\s*\d*|doc\d*|titre|title|microsoft word - .*|.*\.(docx?|odt|pdf|rtf))$`)

// note reads a Word file as one document.
func note(p string, file *docx.File) (corpus.Document, error) {
	doc := corpus.Document{ID: p, Origin: p + ":1"}
	var paras []docx.Paragraph
	collect := func(para docx.Paragraph) error {
		para.Text = strings.Join(strings.Fields(para.Text), " ")
		if para.Text != "" {
			paras = append(paras, para)
		}
		return nil
	}
	if err := file.Paragraphs(collect); err != nil {
		return doc, err
	}
	body := len(paras)
	if err := file.Notes(collect); err != nil {
		return doc, err
	}
	if len(paras) == 0 {
		return doc, &corpus.SyntaxError{File: p, Msg: "the Word file has no text"}
	}
	props := file.Props
	titleAt := -1
	if t := strings.TrimSpace(props.Title); t != "" && !junkTitle.MatchString(t) {
		doc.Title = t
	} else {
		for i, para := range paras[:body] {
			if para.Title {
				titleAt = i
				break
			}
		}
		if titleAt < 0 {
			for i, para := range paras[:body] {
				if para.Heading > 0 {
					titleAt = i
					break
				}
			}
		}
		if titleAt < 0 && body > 0 {
			titleAt = 0
		}
		if titleAt < 0 {
			doc.Title = strings.TrimSuffix(path.Base(p), path.Ext(p))
		} else {
			doc.Title = paras[titleAt].Text
			if r := []rune(doc.Title); len(r) > 200 {
				doc.Title = string(r[:200]) + "…"
				titleAt = -1 // a long first paragraph stays text
			}
		}
	}
	for i, para := range paras {
		if i != titleAt {
			doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: para.Text})
		}
	}
	date, named := corpus.NameDate(p)
	switch {
	case named:
		doc.Date = date
	case !props.Created.IsZero() && props.Created.Year() > 1900:
		doc.Date = props.Created.Format(corpus.DateLayout)
	case !props.Modified.IsZero() && props.Modified.Year() > 1900:
		doc.Date = props.Modified.Format(corpus.DateLayout)
	default:
		return doc, &corpus.SyntaxError{File: p, Msg: fmt.Sprintf("no date: the Word file's properties give none; start the file name with it (\"2017-03-22-%s\")", path.Base(p))}
	}
	for a := range strings.SplitSeq(props.Creator, ";") {
		if a = strings.TrimSpace(a); a != "" {
			doc.Authors = append(doc.Authors, a)
		}
	}
	sep := ","
	if strings.Contains(props.Keywords, ";") {
		sep = ";"
	}
	for k := range strings.SplitSeq(props.Keywords, sep) {
		if k = strings.TrimSpace(k); k != "" {
			doc.Tags = append(doc.Tags, k)
		}
	}
	switch l := strings.ToLower(props.Language); {
	case strings.HasPrefix(l, "fr"):
		doc.Lang = analysis.French
	case strings.HasPrefix(l, "en"):
		doc.Lang = analysis.English
	}
	return doc, nil
}
