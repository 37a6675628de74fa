package press

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"unicode"

	"tacheron/corpus"
)

// Nexis Uni (and LexisNexis Academic) also download a selection as one
// PDF: the text download's lines — a cover page (user, job number, the
// list of documents), then each document's headline, publication, date
// line, "Copyright …", "Section:", "Length:", "Byline:", "Body", the text,
// "Classification", trailer fields, "Load-Date:", "End of Document" (or
// "1 of 25 DOCUMENTS" before each, the older layout) — in a page frame:
// "Page 2 of 12" at the top of each page, under it the running header
// (the current document's headline), and whatever header or footer the
// library adds on every page.
//
// The PDF format (corpus/pdf) gives the text pdftotext -layout makes of it
// (pages separated by form feeds, the gaps between paragraphs kept as
// blank lines): NexisUniPDF leaves the page frame out and reads the lines
// left with the text download's parser, so that the same articles give
// the same documents as PDF and as text. Its frame is: page numbers at a
// page's top or bottom ("Page 3 of 12", "3", "3 / 12"); the line after a
// page's number at its top when it comes again lower on the same page
// (the headline under its running header) or at the top of another page,
// unless it opens a document (it follows "End of Document", or nothing);
// and a line that opens or closes every page (but the cover) alike, the
// digits aside, unless it is one of the download's own lines ("End of
// Document", "Body", a field). A paragraph cut by a page break is joined
// again.

// NexisUniPDF returns the reader of LexisNexis and Nexis Uni PDF
// downloads, for the PDF format (corpus/pdf).
func NexisUniPDF() NexisPDFReader { return NexisPDFReader{} }

// NexisPDFReader reads the text of LexisNexis and Nexis Uni PDF downloads.
type NexisPDFReader struct{}

// Claims reports whether a PDF's text reads as a LexisNexis download, as
// the text download is detected: a "1 of 25 DOCUMENTS" line, or "End of
// Document" with a "Load-Date:" line and a "Length:", "Byline:" or
// "Section:" one.
func (NexisPDFReader) Claims(text string) bool {
	var b strings.Builder
	for l := range strings.SplitSeq(strings.ReplaceAll(text, "\f", "\n"), "\n") {
		b.WriteString(cleanText(l))
		b.WriteByte('\n')
	}
	t := []byte(b.String())
	return isLexisText(t)
}

// Split reads the text of a LexisNexis PDF download into its documents;
// an error names the article and the page it starts on.
//
// The line under the first page number is the file's first running header
// when every page has it, and is left out; but a download of one article
// whose first page has no running header opens with the headline, which
// the next pages repeat as theirs: when the first article cannot be read
// without that line, it is read again with it.
func (NexisPDFReader) Split(path, text string, emit func(corpus.Document) error) error {
	emitted := 0
	count := func(d corpus.Document) error {
		emitted++
		return emit(d)
	}
	split := func(keepFirst bool) error {
		lines, pages := nexisPDFLines(text, keepFirst)
		return emitLexisText(path, lines, func(line int) string { return fmt.Sprintf("page %d", pages[line-1]) }, count)
	}
	err := split(false)
	var perr *Error
	if errors.As(err, &perr) && perr.Article == 1 && emitted == 0 {
		if split(true) == nil {
			return nil
		}
	}
	return err
}

// nexisPageNumber matches a page number: "Page 3 of 12", "3", "3 / 12".
var nexisPageNumber = regexp.MustCompile(`(?i)^(?:page|seite|p\.)?\s*\d{1,4}(?:\s*(?:of|/|de|sur|von)\s*\d{1,4})?$|^-\s*\d{1,4}\s*-$`)

// nexisPageNumberAfter matches a page number the layout put on the line
// of a header, after a wide gap: "Headline      Page 2 of 3".
var nexisPageNumberAfter = regexp.MustCompile(`(?i)^(.*\S)\s{3,}(?:page|seite)\s+\d{1,4}\s+(?:of|de|sur|von)\s+\d{1,4}\s*$`)

// isLexisLine reports whether a line is one of the download's own, which
// may open or close many pages and are never frame.
func isLexisLine(l string) bool {
	switch strings.ToLower(l) {
	case "body", "text", "classification", "end of document":
		return true
	}
	if _, _, ok := field(l, lexisHeaderFields); ok {
		return true
	}
	_, _, ok := field(l, lexisTrailerFields)
	return ok || lexisStart.MatchString(l)
}

// A nexisPage is the cleaned lines of one page ("" a gap) and where its
// edges are.
type nexisPage struct {
	lines []string
	// top and bottom are the indexes of the first two and last two
	// lines with text.
	top, bottom []int
	// header is the index of the running header's line, under the page
	// number at the top or on its line; -1 without a page number there.
	header int
}

// edges returns the indexes of the page's top and bottom lines.
func (pg nexisPage) edges() []int {
	return append(append([]int{}, pg.top...), pg.bottom...)
}

// nexisPDFLines returns the lines of a PDF download's text without its page
// frame, with a blank line between paragraphs, and the page of each line;
// with keepFirstHeader, the running header of the file's first page is
// kept (see Split).
func nexisPDFLines(text string, keepFirstHeader bool) (lines []string, pageOf []int) {
	var pages []nexisPage
	drop := []map[int]bool{}
	for p := range strings.SplitSeq(strings.ReplaceAll(text, "\r\n", "\n"), "\f") {
		pg := nexisPage{header: -1}
		numberedLine := -1
		for l := range strings.SplitSeq(p, "\n") {
			if m := nexisPageNumberAfter.FindStringSubmatch(l); m != nil && numberedLine < 0 {
				l, numberedLine = m[1], len(pg.lines)
			}
			pg.lines = append(pg.lines, cleanText(l))
		}
		var filled []int
		for i, l := range pg.lines {
			if l != "" {
				filled = append(filled, i)
			}
		}
		pg.top = filled[:min(2, len(filled))]
		pg.bottom = filled[max(len(filled)-2, len(pg.top)):]
		d := map[int]bool{}
		// Page numbers: "Page 3 of 12" at an edge, a bare number as the
		// first or last line.
		for _, at := range pg.edges() {
			l := pg.lines[at]
			if nexisPageNumber.MatchString(l) && (strings.ContainsAny(l, "/-") || strings.ContainsFunc(l, unicode.IsLetter) || at == filled[0] || at == filled[len(filled)-1]) {
				d[at] = true
			}
		}
		switch {
		case len(pg.top) > 0 && pg.top[0] == numberedLine:
			pg.header = pg.top[0]
		case len(pg.top) == 2 && d[pg.top[0]]:
			pg.header = pg.top[1]
		}
		if pg.header >= 0 && isLexisLine(pg.lines[pg.header]) {
			pg.header = -1
		}
		pages = append(pages, pg)
		drop = append(drop, d)
	}
	if n := len(pages); n > 0 && len(pages[n-1].top) == 0 {
		// pdftotext ends the last page with a form feed.
		pages, drop = pages[:n-1], drop[:n-1]
	}
	// Lines that open or close every page alike (the cover aside), but
	// the running header's, which is the current document's headline.
	counts := map[string]int{}
	headers := map[string]int{}
	for i, pg := range pages {
		seen := map[string]bool{}
		for _, at := range pg.edges() {
			if k := frameKey(pg.lines[at]); at != pg.header && !drop[i][at] && !seen[k] {
				seen[k] = true
				counts[k]++
			}
		}
		if pg.header >= 0 {
			headers[pg.lines[pg.header]]++
		}
	}
	for i, pg := range pages {
		for _, at := range pg.edges() {
			n := counts[frameKey(pg.lines[at])]
			if at != pg.header && n >= 2 && (n == len(pages) || n >= 3 && n == len(pages)-1) && !isLexisLine(pg.lines[at]) {
				drop[i][at] = true
			}
		}
	}
	// The running header: dropped when the headline comes again under it,
	// or heads other pages — unless it opens a document.
	prev := "" // the last line kept
	for i, pg := range pages {
		for j, l := range pg.lines {
			if j == pg.header && !drop[i][j] {
				again := false
				for _, m := range pg.lines[j+1:] {
					again = again || m == l
				}
				opens := strings.EqualFold(prev, "End of Document") || prev == "" && (keepFirstHeader || headers[l] < len(pages))
				if again || !opens && headers[l] >= 2 {
					drop[i][j] = true
				}
			}
			if l != "" && !drop[i][j] {
				prev = l
			}
		}
	}
	// The lines kept, a gap between pages unless a paragraph goes on.
	for i, pg := range pages {
		var kept []string
		for j, l := range pg.lines {
			if !drop[i][j] && (l != "" || len(kept) > 0 && kept[len(kept)-1] != "") {
				kept = append(kept, l)
			}
		}
		for len(kept) > 0 && kept[len(kept)-1] == "" {
			kept = kept[:len(kept)-1]
		}
		if len(kept) == 0 {
			continue
		}
		if n := len(lines); n > 0 && !continues(lines[n-1], kept[0]) {
			lines = append(lines, "")
			pageOf = append(pageOf, i+1)
		}
		for _, l := range kept {
			lines = append(lines, l)
			pageOf = append(pageOf, i+1)
		}
	}
	return lines, pageOf
}
