package corpus

import "io"

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
