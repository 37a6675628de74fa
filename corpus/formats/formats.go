// Package formats lists every source format tacheron reads, in the order
// files are tested against them: the first whose Detect accepts a file
// reads it.
package formats

import (
	"tacheron/corpus"
	"tacheron/corpus/csv"
	"tacheron/corpus/feed"
	"tacheron/corpus/markdown"
	"tacheron/corpus/pdf"
	"tacheron/corpus/press"
	"tacheron/corpus/web"
	"tacheron/corpus/word"
	"tacheron/corpus/wordpress"
)

// All returns every format, in detection order: the precise ones (by
// content) first, catch-all text last.
func All() []corpus.Format {
	// Word files (zip archives) first: no other format takes a zip. Then
	// press databases' exports: their signatures are specific, and an
	// export is also HTML (or XML) that a generic reader would take. Saved
	// web pages last: any HTML is one. A press database's Word download
	// is told from a note inside the Word format, by its paragraphs, and a
	// press PDF from a report inside the PDF format, by its text.
	fs := []corpus.Format{word.Format(press.NexisUniDOCX())}
	fs = append(fs, press.Formats()...)
	fs = append(fs,
		wordpress.Format(),
		feed.Format(),
		corpus.JSONL(),
		corpus.Archive(),
		csv.Format(),
		markdown.Format(),
		pdf.Format(press.EuropressePDF(), press.NexisUniPDF()),
		web.Format(),
	)
	return fs
}
