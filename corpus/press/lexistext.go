package press

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"tacheron/corpus"
)

// LexisNexis Academic's "Text" download (a .TXT file), like its RTF one,
// holds the same
// documents as its HTML one, as plain text wrapped at about 80 columns:
// paragraphs are separated by blank lines, the document number, the
// publication and the date line are centred with spaces, and a download
// request (user, time of request, search terms, sources) may come first.
//
//	                               1 of 10 DOCUMENTS
//
//	                                  The Guardian
//
//	                            January 11, 2010 Monday
//	                                   Final Edition
//
//	Headline of the article
//
//	BYLINE: Jane Doe
//
//	SECTION: NEWS; Pg. 6
//
//	LENGTH: 355 words
//
//	Text of the article, wrapped
//	at a fixed width.
//
//	LOAD-DATE: January 11, 2010
//
//	LANGUAGE: ENGLISH
//
//	                       Copyright 2010 Guardian News
//	                              All Rights Reserved
//
// A text made from a Nexis Uni download (headline, publication, date,
// "Body", text, "End of Document") reads the same way.

// LexisNexisText returns the format of LexisNexis text and RTF exports.
func LexisNexisText() corpus.Format { return lexisText{} }

type lexisText struct{}

func (lexisText) Name() string { return "lexisnexis-text" }

// lexisTextStart matches a line that starts a LexisNexis Academic
// document in a text export, centred or not.
var lexisTextStart = regexp.MustCompile(`(?im)^[ \t]*(?:\d+ (?:of|de|sur|von) \d+ (?:documents?|dokumente?)|(?:document|dokument) \d+ (?:of|de|sur|von) \d+)[ \t]*\r?$`)

// lexisTextEnd matches Nexis Uni's "End of Document" line.
var lexisTextEnd = regexp.MustCompile(`(?im)^[ \t]*end of document[ \t]*\r?$`)

// lexisTextLoadDate and lexisTextField match the field lines of a
// LexisNexis document (Nexis Uni puts a no-break space after the label): with "End of Document", a Load-Date line and
// another field tell a Nexis Uni text from a note that ends its own way.
var (
	lexisTextLoadDate = regexp.MustCompile(`(?im)^[ \t]*(?:load-date|date-chargement):[ \t\x{A0}]`)
	lexisTextField    = regexp.MustCompile(`(?im)^[ \t]*(?:length|byline|section|longueur|auteur|rubrique):[ \t\x{A0}]`)
)

func (lexisText) Detect(path string, head []byte) bool {
	if isRTF(head) {
		t, _ := rtfText(head)
		head = []byte(t)
	} else if isMarkup(head) {
		return false
	}
	return isLexisText(head)
}

// isLexisText reports whether text (the head of a text download, or the
// whole text of a Word or PDF download) is a LexisNexis download's: an
// "N of M DOCUMENTS" line, or "End of Document" with a "Load-Date:" line
// and a field line.
func isLexisText(text []byte) bool {
	return lexisTextStart.Match(text) || (lexisTextEnd.Match(text) && lexisTextLoadDate.Match(text) && lexisTextField.Match(text))
}

func (lexisText) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	lines, err := readText(path, r)
	if err != nil {
		return err
	}
	return emitLexisText(path, lines, func(line int) string { return fmt.Sprintf("line %d", line) }, emit)
}

// emitLexisText emits the documents of the lines of a LexisNexis text
// (a text download's, or a PDF download's without its page frame); an
// error names the article, and where its first line is (where(line), of
// the 1-based line).
func emitLexisText(path string, lines []string, where func(line int) string, emit func(corpus.Document) error) error {
	docs := splitLexis(textGroups(lines))
	if len(docs) == 0 {
		return &Error{File: path, Msg: `no LexisNexis document: want "1 of 25 DOCUMENTS" lines or "End of Document" after each document`}
	}
	for i, g := range docs {
		doc, err := lexisDoc(path, i+1, g)
		var perr *Error
		if errors.As(err, &perr) && perr.Article > 0 {
			perr.Msg = where(g[0].line) + ": " + perr.Msg
		}
		if err != nil {
			return err
		}
		if err := emit(doc); err != nil {
			return err
		}
	}
	return nil
}

// textGroups cuts a text into paragraphs at blank lines, each line
// trimmed of the spaces that centre it. A paragraph is also cut before a
// field line ("Length: 812 words", "Body", "End of Document") and before
// a date line that follows the publication's name without a blank line,
// as the text of a Nexis Uni download has them.
func textGroups(lines []string) []lexisGroup {
	var groups []lexisGroup
	var cur []string
	start := 0
	flush := func() {
		if len(cur) > 0 {
			groups = append(groups, lexisGroup{lines: cur, wrapped: true, line: start})
			cur = nil
		}
	}
	for n, line := range lines {
		n++
		line = cleanText(line)
		if line == "" {
			flush()
			continue
		}
		if len(cur) > 0 && startsGroup(line, cur[len(cur)-1]) {
			flush()
		}
		if len(cur) == 0 {
			start = n
		}
		cur = append(cur, line)
	}
	flush()
	return groups
}

// startsGroup reports whether a line of a text export starts a paragraph
// of its own although no blank line comes before it.
func startsGroup(line, prev string) bool {
	if wrapped(prev) {
		return false // prev continues on this line
	}
	switch strings.ToLower(line) {
	case "body", "text", "classification", "end of document":
		return true
	}
	if _, _, ok := field(line, lexisHeaderFields); ok {
		return true
	}
	if _, _, ok := field(line, lexisTrailerFields); ok {
		return true
	}
	if len(line) > 60 || labelLine.MatchString(line) {
		return false
	}
	span, ok := findDate(line)
	return ok && span.start == 0
}
