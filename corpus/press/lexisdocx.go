package press

import (
	"errors"
	"fmt"
	"strings"

	"tacheron/corpus"
	"tacheron/corpus/docx"
)

// Nexis Uni's default download is a Word file (.docx): one per article, or
// one holding many, each closed by an "End of Document" paragraph (a
// combined download may open with a cover page: user, job number, search
// terms, the list of documents). Each paragraph holds what a line group of
// the text download holds — the headline (a link to the document,
// "…&id=urn:contentItem:…"), the publication, the date line, "Copyright …",
// "Section:", "Length:", "Byline:" (a label in bold and its value, often
// after a no-break space), "Body", the text, "Classification", trailer
// fields, "Load-Date:" — so the paragraphs are read by the text download's
// parser (lexisDoc), one paragraph a group. The older LexisNexis Academic
// layout ("1 of 25 DOCUMENTS" before each document) reads the same way.

// NexisUniDOCX returns the reader of LexisNexis and Nexis Uni Word
// downloads, for the Word format (corpus/word).
func NexisUniDOCX() NexisDOCXReader { return NexisDOCXReader{} }

// NexisDOCXReader reads LexisNexis and Nexis Uni Word downloads.
type NexisDOCXReader struct{}

// Claims reports whether a Word file's first paragraphs read as a
// LexisNexis download: a "1 of 25 DOCUMENTS" line, or "End of Document"
// with a "Load-Date:" line and a "Length:", "Byline:" or "Section:" one.
func (NexisDOCXReader) Claims(paragraphs []string) bool {
	var b strings.Builder
	for _, p := range paragraphs {
		for _, g := range paragraphGroups(p) {
			for _, l := range g {
				b.WriteString(l)
				b.WriteByte('\n')
			}
		}
	}
	text := []byte(b.String())
	return isLexisText(text)
}

// Split reads the paragraphs of a Word download into documents, one
// article at a time; an error names the article and the paragraph it
// starts at.
func (NexisDOCXReader) Split(path string, each func(func(docx.Paragraph) error) error, emit func(corpus.Document) error) error {
	var s lexisSplitter
	n := 0
	read := func(groups []lexisGroup) error {
		n++
		doc, err := lexisDoc(path, n, groups)
		var perr *Error
		if errors.As(err, &perr) && perr.Article > 0 {
			perr.Msg = fmt.Sprintf("paragraph %d: %s", groups[0].line, perr.Msg)
		}
		if err != nil {
			return err
		}
		return emit(doc)
	}
	err := each(func(p docx.Paragraph) error {
		var link, item string
		for _, l := range p.Links {
			if item = contentItem.FindString(l); item != "" {
				link = l
				break
			}
		}
		for _, lines := range paragraphGroups(p.Text) {
			g := lexisGroup{lines: lines, line: p.N, item: item, link: link}
			if d := s.add(g); d != nil {
				if err := read(d); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if d := s.end(); d != nil {
		if err := read(d); err != nil {
			return err
		}
	}
	if n == 0 {
		return &Error{File: path, Msg: `no LexisNexis document: want "1 of 25 DOCUMENTS" paragraphs or "End of Document" after each document`}
	}
	return nil
}

// paragraphGroups returns the line groups of a paragraph: its lines
// (split at line breaks), cleaned, in one group — except that "End of
// Document" and "N of M DOCUMENTS", which a download may put in the
// paragraph of the line before (after a line break, or at the end of its
// text), are groups of their own.
func paragraphGroups(text string) [][]string {
	var groups [][]string
	var cur []string
	for l := range strings.SplitSeq(text, "\n") {
		if l = cleanText(l); l == "" {
			continue
		}
		if before, ok := strings.CutSuffix(l, "End of Document"); ok && before != "" && !strings.HasSuffix(before, " ") {
			// "Load-Date: March 23, 2017End of Document": two runs.
			cur = append(cur, before)
			l = "End of Document"
		}
		if strings.EqualFold(l, "End of Document") || lexisStart.MatchString(l) {
			if len(cur) > 0 {
				groups = append(groups, cur)
			}
			groups = append(groups, []string{l})
			cur = nil
			continue
		}
		cur = append(cur, l)
	}
	if len(cur) > 0 {
		groups = append(groups, cur)
	}
	return groups
}
