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
	// Press databases' exports first: their signatures are specific, and
	// an export is also HTML (or XML) that a generic reader would take.
	// Saved web pages last: any HTML is one. Word files (zip archives)
	// go first: no text format takes a zip; a press database's Word
	// download is told from a note inside the Word format, by its
	// paragraphs, as a press PDF is inside the PDF format.
	fs := []corpus.Format{word.Format(press.NexisUniDOCX())}
	fs = append(fs, press.Formats()...)
	fs = append(fs,
		wordpress.Format(),
		feed.Format(),
		corpus.JSONL(),
		corpus.Archive(),
		csv.Format(),
		markdown.Format(),
		pdf.Format(press.EuropressePDF()),
		web.Format(),
	)
	return fs
}
