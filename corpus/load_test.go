package corpus

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
)

// lineFormat is a test format: a file starting "LINES\n" holds one
// document per line, "date title", or "!unsupported" to refuse the file.
type lineFormat struct{}

func (lineFormat) Name() string { return "lines" }

func (lineFormat) Detect(_ string, head []byte) bool {
	return strings.HasPrefix(string(head), "LINES\n")
}

func (lineFormat) Read(p string, r io.Reader, emit func(Document) error) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	for i, l := range strings.Split(string(data), "\n")[1:] {
		if l == "" {
			continue
		}
		if l == "!unsupported" {
			return errors.Join(errors.New("needs OCR"), ErrUnsupported)
		}
		date, title, _ := strings.Cut(l, " ")
		if err := emit(Document{Title: title, Date: date, Origin: p + ":" + itoa(i+2),
			Authors: []string{" Ann  Author ", "ann author", ""}, Paragraphs: []Paragraph{{Text: "The gig economy and platform labour."}}}); err != nil {
			return err
		}
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestOpenRecursiveAndIDs(t *testing.T) {
	fsys := fstest.MapFS{
		"a/one.lines":            {Data: []byte("LINES\n2020-01-02 Éditorial\n2020-01-02 Éditorial\n")},
		"b/two.lines":            {Data: []byte("LINES\n2020-01-02 Éditorial\n")},
		".hidden/x.bin":          {Data: []byte{0, 1, 2}},
		"c/notes.jsonl":          {Data: []byte(`{"id":"http://example.org/?p=1","title":"T","date":"2020-01-01","authors":["A. B."],"tags":["x","X"],"section":"Idées"}` + "\n")},
		"c/notes.manifest.json":  {Data: []byte(`{"default_source":"Notes"}`)},
		TaxonomyFile:             {Data: mustRead(t, "data/"+TaxonomyFile)},
		"z/man-mklost+found.txt": {Data: []byte("LINES\n2021-05-06 Lost+found\n")},
	}
	c, err := Open(fsys, "dir", WithFormats(append(Builtin(), lineFormat{})...))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, d := range docs {
		ids = append(ids, d.ID)
	}
	want := []string{"2020-01-02-editorial", "2020-01-02-editorial-2", "2020-01-02-editorial-b-two-lines", "http://example.org/?p=1", "2021-05-06-lost-found"}
	if strings.Join(ids, " ") != strings.Join(want, " ") {
		t.Errorf("ids = %q, want %q", ids, want)
	}
	if a := docs[0].Authors; len(a) != 1 || a[0] != "Ann Author" {
		t.Errorf("authors = %q, want [Ann Author]", a)
	}
	if d := docs[3]; d.Source != "Notes" || len(d.Tags) != 1 || d.Section != "Idées" || d.Authors[0] != "A. B." {
		t.Errorf("jsonl document = %+v", d)
	}
	// Without the first file, the second keeps its id: ids do not depend
	// on what else is read, except for the file that claims an id first.
	delete(fsys, "a/one.lines")
	c, err = Open(fsys, "dir", WithFormats(append(Builtin(), lineFormat{})...))
	if err != nil {
		t.Fatal(err)
	}
	docs, err = c.Documents(context.Background())
	if err != nil || docs[0].ID != "2020-01-02-editorial" {
		t.Errorf("alone, b/two.lines gives %q, %v", docs[0].ID, err)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	data, err := bundled.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestUnsupportedFiles(t *testing.T) {
	fsys := fstest.MapFS{
		"good.lines": {Data: []byte("LINES\n2020-01-02 Good\n")},
		"scan.lines": {Data: []byte("LINES\n!unsupported\n")},
		"photo.jpg":  {Data: []byte("\xff\xd8\xff\xe0 JFIF")},
	}
	formats := WithFormats(lineFormat{})
	_, err := Open(fsys, "dir", formats)
	if !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "photo.jpg") {
		t.Errorf("Open = %v, want an unsupported error naming photo.jpg", err)
	}
	delete(fsys, "photo.jpg")
	c, err := Open(fsys, "dir", formats)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Documents(context.Background()); !errors.Is(err, ErrUnsupported) || !strings.Contains(err.Error(), "scan.lines") {
		t.Errorf("Documents = %v, want an unsupported error naming scan.lines", err)
	}
	fsys["photo.jpg"] = &fstest.MapFile{Data: []byte("\xff\xd8\xff\xe0 JFIF")}
	c, err = Open(fsys, "dir", formats, SkipUnsupported(true))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil || len(docs) != 1 || docs[0].Title != "Good" {
		t.Fatalf("Documents = %v, %v", docs, err)
	}
	var skipped []string
	for _, s := range c.Skipped() {
		skipped = append(skipped, s.Path)
	}
	if strings.Join(skipped, " ") != "photo.jpg scan.lines" {
		t.Errorf("skipped %q, want photo.jpg and scan.lines", skipped)
	}
}

func TestValidID(t *testing.T) {
	tests := []struct {
		id   string
		want bool
	}{
		{"2017-03-22-qui-entraine-les-ia", true},
		{"news·20170322·UK·20170322×c0049", true},
		{"http://example.org/?p=1", true},
		{"man-mklost+found.8", true},
		{"a b", true},
		{"", false},
		{" a", false},
		{"a\tb", false},
		{"a\x00b", false},
		{"\xff", false},
		{strings.Repeat("x", 513), false},
	}
	for _, tt := range tests {
		if got := ValidID(tt.id); got != tt.want {
			t.Errorf("ValidID(%q) = %v, want %v", tt.id, got, tt.want)
		}
	}
}

func TestFinishSource(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Le Monde, no. 22586", "Le Monde"},
		{"Libération, n° 11234", "Libération"},
		{"  Le  Figaro ", "Le Figaro"},
		{"20 Minutes", "20 Minutes"},
		{"", "fallback"},
	}
	for _, tt := range tests {
		d := Document{Title: "T", Date: "2020-01-01", Source: tt.in}
		if err := finish("f", 1, &d, Manifest{DefaultSource: "fallback"}); err != nil || d.Source != tt.want {
			t.Errorf("source %q → %q, %v; want %q", tt.in, d.Source, err, tt.want)
		}
	}
	d := Document{Title: " ", Date: "2020-01-01"}
	if err := finish("f.x", 3, &d, Manifest{}); err == nil || err.Error() != "f.x: document 3: document has no title" {
		t.Errorf("untitled: %v", err)
	}
}

func TestRepeatedDocuments(t *testing.T) {
	// Two saves of a feed share entries: kept once. An id reused for
	// another document is an error.
	withIDs := lineFormatWithIDs{}
	fsys := fstest.MapFS{
		"a.lines": {Data: []byte("LINES\n2020-01-02 Un\n2020-01-03 Deux\n")},
		"b.lines": {Data: []byte("LINES\n2020-01-03 Deux\n2020-01-04 Trois\n")},
	}
	c, err := Open(fsys, "dir", WithFormats(withIDs))
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil || len(docs) != 3 {
		t.Fatalf("%d documents, %v; want 3", len(docs), err)
	}
	if r := c.Repeated(); len(r) != 1 || r[0].Path != "b.lines:2" || !strings.Contains(r[0].Reason, "already read at a.lines:3") {
		t.Errorf("repeated = %+v", r)
	}
	fsys["b.lines"] = &fstest.MapFile{Data: []byte("LINES\n2020-01-03 Autre titre\n")}
	c, _ = Open(fsys, "dir", WithFormats(withIDs))
	if _, err := c.Documents(context.Background()); err == nil || !strings.Contains(err.Error(), "already used at a.lines:3") {
		t.Errorf("a reused id: %v", err)
	}
}

// lineFormatWithIDs is lineFormat with an id per date.
type lineFormatWithIDs struct{ lineFormat }

func (f lineFormatWithIDs) Read(p string, r io.Reader, emit func(Document) error) error {
	return f.lineFormat.Read(p, r, func(d Document) error {
		d.ID = "entry-" + d.Date
		return emit(d)
	})
}
