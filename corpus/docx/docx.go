// Package docx reads the text of Word files (Office Open XML
// WordprocessingML, .docx) with archive/zip and encoding/xml: the
// paragraphs of the main document part in order, the styles that mark
// headings and titles, the footnotes and endnotes, and the core properties
// (title, creator, created, keywords…). It is not a corpus format itself:
// the formats that read Word files (notes, press databases' downloads)
// build on it.
//
// What a paragraph's text is: the text of its runs (w:t), tabs (w:tab) as
// tabs, line breaks (w:br, w:cr) as newlines, non-breaking hyphens; the
// runs inside hyperlinks, smart tags, content controls, inserted revisions
// and simple fields; a complex field's result (between its "separate" and
// "end" marks; not a table of contents' or an index's), never its code
// (w:instrText), though a HYPERLINK field's address is a link of its
// paragraph, as a w:hyperlink's is; not deleted or moved-away revisions (w:del, w:moveFrom), not hidden runs (w:vanish),
// not the fallback copy of markup-compatibility blocks. A table row is one
// paragraph, its cells separated by " | ". A text box's paragraphs come as
// paragraphs of their own. Transitional and Strict OOXML namespaces are
// both read.
//
// Word files are zip archives: each part is read through a limit
// (MaxPartBytes uncompressed), so that a zip bomb stops with an error that
// names the file and the part, and the document is streamed paragraph by
// paragraph rather than held in memory.
package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// MaxPartBytes bounds the uncompressed size of one part of a Word file.
const MaxPartBytes = 256 << 20

// maxFileBytes bounds the size of a Word file read from a stream that
// cannot be read at random (it is then held in memory).
const maxFileBytes = 512 << 20

// The namespaces of WordprocessingML, Transitional and Strict.
const (
	nsMain       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsMainStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsCompat     = "http://schemas.openxmlformats.org/markup-compatibility/2006"
)

// An Error reports a Word file that cannot be read: the file, the part of
// the archive (empty for the archive itself) and the line in that part when
// the XML is malformed.
type Error struct {
	File string
	Part string
	Line int
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	switch {
	case e.Part == "":
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	case e.Line > 0:
		return fmt.Sprintf("%s: %s:%d: %s", e.File, e.Part, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s: %s", e.File, e.Part, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// ErrTooLarge marks a part larger than MaxPartBytes once uncompressed.
var ErrTooLarge = errors.New("part too large")

// IsDOCX reports whether a file's first bytes (and its name, a hint) are
// those of a Word file: a zip archive whose first entries hold a word/
// part, or a zip archive named .docx.
func IsDOCX(name string, head []byte) bool {
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) {
		return false
	}
	if bytes.Contains(head, []byte("word/")) {
		return true
	}
	switch strings.ToLower(path.Ext(name)) {
	case ".docx", ".docm", ".dotx", ".dotm":
		return true
	}
	return false
}

// A Paragraph is one paragraph of a Word file.
type Paragraph struct {
	// Text is the paragraph's text, its lines separated by newlines.
	Text string
	// Heading is the level (1–9) of a heading paragraph, 0 otherwise.
	Heading int
	// Title says the paragraph has the Title style.
	Title bool
	// Table says the paragraph is a table row.
	Table bool
	// Links are the external addresses its hyperlinks point to.
	Links []string
	// N is the paragraph's number in its part, from 1.
	N int
}

// Properties are a Word file's core properties (docProps/core.xml).
type Properties struct {
	Title, Subject, Creator, Keywords, Description, Language string
	Created, Modified                                        time.Time
}

// A File is an open Word file.
type File struct {
	name   string
	zr     *zip.Reader
	main   string
	limit  int64             // the largest part, uncompressed
	links  map[string]string // hyperlink ids → external addresses
	styles map[string]style
	notes  []string // footnote and endnote parts
	// Props are the file's core properties.
	Props Properties
}

// style is what a paragraph style says about its paragraphs.
type style struct {
	heading int
	title   bool
}

// Open reads the archive structure, relationships, styles and core
// properties of the Word file r (name is used in errors). r is read at
// random when it can be (an *os.File, a bytes.Reader), else held in memory.
func Open(name string, r io.Reader) (*File, error) {
	return open(name, r, MaxPartBytes)
}

// open opens a Word file whose parts may hold limit bytes uncompressed.
func open(name string, r io.Reader, limit int64) (*File, error) {
	ra, size, err := readerAt(r)
	if err != nil {
		return nil, &Error{File: name, Msg: err.Error(), Err: err}
	}
	zr, err := zip.NewReader(ra, size)
	if err != nil {
		return nil, &Error{File: name, Msg: "not a Word file (a zip archive): " + err.Error(), Err: err}
	}
	f := &File{name: name, zr: zr, limit: limit, links: map[string]string{}}
	pkg, err := f.relationships("_rels/.rels", "")
	if err != nil {
		return nil, err
	}
	f.main = "word/document.xml"
	core := "docProps/core.xml"
	for _, r := range pkg {
		switch {
		case strings.HasSuffix(r.Type, "/officeDocument") && r.Mode != "External":
			f.main = r.Target
		case strings.HasSuffix(r.Type, "/core-properties"):
			core = r.Target
		}
	}
	if f.entry(f.main) == nil {
		return nil, &Error{File: name, Msg: fmt.Sprintf("not a Word document: the archive has no %s", f.main)}
	}
	dir, base := path.Split(f.main)
	rels, err := f.relationships(dir+"_rels/"+base+".rels", dir)
	if err != nil {
		return nil, err
	}
	stylesPart := dir + "styles.xml"
	for _, r := range rels {
		switch {
		case r.Mode == "External" && strings.HasSuffix(r.Type, "/hyperlink"):
			f.links[r.ID] = r.Target
		case strings.HasSuffix(r.Type, "/styles"):
			stylesPart = r.Target
		case strings.HasSuffix(r.Type, "/footnotes"), strings.HasSuffix(r.Type, "/endnotes"):
			f.notes = append(f.notes, r.Target)
		}
	}
	if f.styles, err = f.readStyles(stylesPart); err != nil {
		return nil, err
	}
	if f.Props, err = f.readProperties(core); err != nil {
		return nil, err
	}
	return f, nil
}

// readerAt returns r as an io.ReaderAt and its size.
func readerAt(r io.Reader) (io.ReaderAt, int64, error) {
	switch v := r.(type) {
	case interface {
		io.ReaderAt
		Stat() (fs.FileInfo, error)
	}:
		if fi, err := v.Stat(); err == nil && fi.Mode().IsRegular() {
			return v, fi.Size(), nil
		}
	case interface {
		io.ReaderAt
		Size() int64
	}:
		return v, v.Size(), nil
	}
	data, err := io.ReadAll(io.LimitReader(r, maxFileBytes+1))
	if err != nil {
		return nil, 0, err
	}
	if len(data) > maxFileBytes {
		return nil, 0, fmt.Errorf("larger than %d bytes", maxFileBytes)
	}
	return bytes.NewReader(data), int64(len(data)), nil
}

// entry returns the archive's entry name, or nil.
func (f *File) entry(name string) *zip.File {
	for _, zf := range f.zr.File {
		if zf.Name == name || strings.EqualFold(zf.Name, name) {
			return zf
		}
	}
	return nil
}

// limited reads at most MaxPartBytes, then fails with ErrTooLarge.
type limited struct {
	r    io.Reader
	left int64
}

func (l *limited) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// decode streams the XML of part to fn, token by token; a missing part is
// not an error when optional.
func (f *File) decode(part string, optional bool, fn func(*xml.Decoder, xml.Token) error) error {
	zf := f.entry(part)
	if zf == nil {
		if optional {
			return nil
		}
		return &Error{File: f.name, Part: part, Msg: "missing from the archive"}
	}
	rc, err := zf.Open()
	if err != nil {
		return &Error{File: f.name, Part: part, Msg: err.Error(), Err: err}
	}
	defer rc.Close()
	d := xml.NewDecoder(&limited{r: rc, left: f.limit})
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			line, _ := d.InputPos()
			if errors.Is(err, ErrTooLarge) {
				return &Error{File: f.name, Part: part, Msg: fmt.Sprintf("larger than %d bytes uncompressed (a zip bomb?)", f.limit), Err: err}
			}
			var se *xml.SyntaxError
			if errors.As(err, &se) {
				line = se.Line
			}
			return &Error{File: f.name, Part: part, Line: line, Msg: "malformed XML: " + strings.TrimPrefix(err.Error(), "XML syntax error on line "+strconv.Itoa(line)+": "), Err: err}
		}
		if err := fn(d, tok); err != nil {
			return err
		}
	}
}

// A relationship is one entry of a .rels part.
type relationship struct {
	ID, Type, Target, Mode string
}

// relationships reads a .rels part; targets are made relative to the
// archive's root (dir is the folder of the part they belong to).
func (f *File) relationships(part, dir string) ([]relationship, error) {
	var out []relationship
	err := f.decode(part, true, func(_ *xml.Decoder, tok xml.Token) error {
		se, ok := tok.(xml.StartElement)
		if !ok || se.Name.Local != "Relationship" {
			return nil
		}
		r := relationship{ID: attr(se, "Id"), Type: attr(se, "Type"), Target: attr(se, "Target"), Mode: attr(se, "TargetMode")}
		if r.Mode != "External" {
			if strings.HasPrefix(r.Target, "/") {
				r.Target = strings.TrimPrefix(r.Target, "/")
			} else {
				r.Target = path.Clean(dir + r.Target)
			}
		}
		out = append(out, r)
		return nil
	})
	return out, err
}

// attr returns the value of the attribute of se with the local name key.
func attr(se xml.StartElement, key string) string {
	for _, a := range se.Attr {
		if a.Name.Local == key {
			return a.Value
		}
	}
	return ""
}

// headingName matches the names of the heading styles ("heading 1",
// LibreOffice's "Heading 1") and the ids Word gives them in other
// languages ("Titre1", "berschrift1").
var headingName = regexp.MustCompile(`(?i)^(?:heading|titre|berschrift|\x{00FC}berschrift|t[ií]tulo|kop|rubrik|nagłówek)\s*([1-9])$`)

// readStyles reads which paragraph styles are headings or the title,
// following each style's basedOn chain.
func (f *File) readStyles(part string) (map[string]style, error) {
	type raw struct {
		name, basedOn string
		outline       int // -1 for none
	}
	all := map[string]*raw{}
	var cur *raw
	err := f.decode(part, true, func(_ *xml.Decoder, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "style":
				cur = nil
				if attr(t, "type") == "paragraph" {
					cur = &raw{outline: -1}
					all[attr(t, "styleId")] = cur
				}
			case "name":
				if cur != nil {
					cur.name = attr(t, "val")
				}
			case "basedOn":
				if cur != nil {
					cur.basedOn = attr(t, "val")
				}
			case "outlineLvl":
				if cur != nil {
					if n, err := strconv.Atoi(attr(t, "val")); err == nil {
						cur.outline = n
					}
				}
			}
		case xml.EndElement:
			if t.Name.Local == "style" {
				cur = nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	styles := map[string]style{}
	for id := range all {
		s := style{}
		for seen, at := 0, id; seen < 10 && all[at] != nil; seen++ {
			r := all[at]
			if m := headingName.FindStringSubmatch(r.name); m != nil {
				s.heading = int(m[1][0] - '0')
				break
			}
			if strings.EqualFold(r.name, "title") {
				s.title = true
				break
			}
			if r.outline >= 0 && r.outline < 9 {
				s.heading = r.outline + 1
				break
			}
			at = r.basedOn
		}
		styles[id] = s
	}
	return styles, nil
}

// styleOf returns what a paragraph's style id says, with or without a
// styles part.
func (f *File) styleOf(id string) style {
	if s, ok := f.styles[id]; ok {
		return s
	}
	if m := headingName.FindStringSubmatch(id); m != nil {
		return style{heading: int(m[1][0] - '0')}
	}
	return style{title: strings.EqualFold(id, "title")}
}

// readProperties reads the core properties part: the Dublin Core and OPC
// elements under its root, keywords given as text or as <cp:value> items.
func (f *File) readProperties(part string) (Properties, error) {
	var p Properties
	depth := 0
	prop := ""
	var text strings.Builder
	err := f.decode(part, true, func(_ *xml.Decoder, tok xml.Token) error {
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 {
				prop = t.Name.Local
				text.Reset()
			}
		case xml.CharData:
			if depth >= 2 {
				text.Write(t)
			}
		case xml.EndElement:
			depth--
			if depth == 2 && t.Name.Local == "value" && prop == "keywords" {
				text.WriteString("; ")
			}
			if depth != 1 {
				return nil
			}
			v := strings.Trim(strings.TrimSpace(text.String()), "; ")
			switch prop {
			case "title":
				p.Title = v
			case "subject":
				p.Subject = v
			case "creator":
				p.Creator = v
			case "keywords":
				p.Keywords = v
			case "description":
				p.Description = v
			case "language":
				p.Language = v
			case "created":
				p.Created, _ = parseW3CDate(v)
			case "modified":
				p.Modified, _ = parseW3CDate(v)
			}
			prop = ""
		}
		return nil
	})
	return p, err
}

// parseW3CDate reads a W3CDTF date ("2019-04-12T09:30:00Z", "2019-04-12").
func parseW3CDate(s string) (time.Time, bool) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05", "2006-01-02T15:04Z07:00", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

// Paragraphs calls fn with each paragraph of the document's body, in
// order; it stops at fn's first error and returns it.
func (f *File) Paragraphs(fn func(Paragraph) error) error {
	return f.walk(f.main, "", fn)
}

// Notes calls fn with each paragraph of the footnotes and endnotes, in
// order, the separators Word keeps among them left out.
func (f *File) Notes(fn func(Paragraph) error) error {
	for _, part := range f.notes {
		if err := f.walk(part, "separator", fn); err != nil {
			return err
		}
	}
	return nil
}

// A field is an open complex field: in its code until its "separate" mark.
type field struct {
	code  bool
	instr strings.Builder // the field's code, as its w:instrText give it
	// hide says the result is not the document's text: a table of
	// contents repeats the headings.
	hide bool
}

// hiddenResult matches the codes of the fields whose result is left out.
var hiddenResult = regexp.MustCompile(`^\s*(?:TOC|INDEX|TOA)\b`)

// A row is a table row being read: its finished cells and the current one.
type row struct {
	cells []string
	cell  strings.Builder
}

// An alt is an open mc:AlternateContent: its depth, and whether one of its
// branches was read.
type alt struct {
	depth int
	taken bool
}

// walker holds the state of one part's walk.
type walker struct {
	f     *File
	fn    func(Paragraph) error
	stack []xml.Name // open elements
	paras []*Paragraph
	texts []*strings.Builder
	rows  []*row
	// fields are the open complex fields.
	fields []*field
	// skip is the depth of the element whose subtree is skipped (0: none).
	skip int
	// alts are the open mc:AlternateContent elements.
	alts   []alt
	hidden bool // the current run is hidden
	n      int
}

// walk reads the paragraphs of part; a note whose w:type is one of
// skipTypes (the separators) is left out.
func (f *File) walk(part, skipType string, fn func(Paragraph) error) error {
	w := &walker{f: f, fn: fn}
	// The main part is there (Open checked); a notes part the
	// relationships name but the archive lacks is no text.
	return f.decode(part, true, func(d *xml.Decoder, tok xml.Token) error {
		return w.token(d, tok, skipType)
	})
}

// isW reports whether name is in the WordprocessingML namespace,
// Transitional or Strict.
func (w *walker) isW(name xml.Name) bool {
	return name.Space == nsMain || name.Space == nsMainStrict
}

func (w *walker) token(d *xml.Decoder, tok xml.Token, skipType string) error {
	switch t := tok.(type) {
	case xml.StartElement:
		w.stack = append(w.stack, t.Name)
		depth := len(w.stack)
		if w.skip > 0 {
			return nil
		}
		if t.Name.Space == nsCompat {
			switch t.Name.Local {
			case "AlternateContent":
				w.alts = append(w.alts, alt{depth: depth})
			case "Choice", "Fallback":
				// The first branch of an AlternateContent is read, the
				// others (the fallback) skipped.
				if a := w.alt(); a != nil && depth == a.depth+1 {
					if a.taken {
						w.skip = depth
					}
					a.taken = true
				}
			}
			return nil
		}
		if !w.isW(t.Name) {
			return nil
		}
		switch t.Name.Local {
		case "footnote", "endnote":
			if typ := attr(t, "type"); typ != "" && typ != "normal" && skipType != "" {
				w.skip = depth
			}
		case "del", "moveFrom", "delText", "pPrChange", "rPrChange", "sdtPr", "sdtEndPr", "delInstrText", "commentReference":
			w.skip = depth
		case "p":
			w.n++
			w.paras = append(w.paras, &Paragraph{N: w.n})
			w.texts = append(w.texts, &strings.Builder{})
		case "pStyle":
			if p := w.para(); p != nil && w.parent(2) == "pPr" {
				s := w.f.styleOf(attr(t, "val"))
				p.Heading, p.Title = s.heading, s.title
			}
		case "outlineLvl":
			if p := w.para(); p != nil && w.parent(2) == "pPr" {
				if n, err := strconv.Atoi(attr(t, "val")); err == nil && n >= 0 && n < 9 {
					p.Heading = n + 1
				}
			}
		case "r":
			w.hidden = false
		case "vanish":
			if w.parent(2) == "rPr" && w.parent(3) == "r" {
				v := attr(t, "val")
				w.hidden = v == "" || v == "1" || v == "true" || v == "on"
			}
		case "hyperlink":
			if p := w.para(); p != nil {
				for _, a := range t.Attr {
					if a.Name.Local == "id" {
						if link := w.f.links[a.Value]; link != "" {
							p.Links = append(p.Links, link)
						}
					}
				}
			}
		case "fldSimple":
			w.hyperlink(attr(t, "instr"))
		case "fldChar":
			switch attr(t, "fldCharType") {
			case "begin":
				w.fields = append(w.fields, &field{code: true})
			case "separate":
				if f := w.field(); f != nil {
					f.code = false
					f.hide = hiddenResult.MatchString(f.instr.String())
					w.hyperlink(f.instr.String())
				}
			case "end":
				if f := w.field(); f != nil {
					if f.code {
						w.hyperlink(f.instr.String())
					}
					w.fields = w.fields[:len(w.fields)-1]
				}
			}
		case "tab", "ptab":
			if w.parent(2) == "r" {
				w.write("\t")
			}
		case "br", "cr":
			w.write("\n")
		case "noBreakHyphen":
			w.write("-")
		case "sym":
			if r, err := strconv.ParseUint(attr(t, "char"), 16, 32); err == nil && (r < 0xE000 || r > 0xF8FF) {
				w.write(string(rune(r)))
			}
		case "tr":
			w.rows = append(w.rows, &row{})
		case "tc":
			if r := w.row(); r != nil {
				r.cell.Reset()
			}
		}
	case xml.EndElement:
		depth := len(w.stack)
		if depth > 0 {
			w.stack = w.stack[:depth-1]
		}
		if w.skip > 0 {
			if depth == w.skip {
				w.skip = 0
			}
			return nil
		}
		if a := w.alt(); a != nil && depth == a.depth && t.Name.Space == nsCompat {
			w.alts = w.alts[:len(w.alts)-1]
			return nil
		}
		if !w.isW(t.Name) {
			return nil
		}
		switch t.Name.Local {
		case "p":
			return w.endParagraph()
		case "tc":
			if r := w.row(); r != nil {
				r.cells = append(r.cells, strings.TrimSpace(r.cell.String()))
				r.cell.Reset()
			}
		case "tr":
			r := w.row()
			w.rows = w.rows[:len(w.rows)-1]
			if r == nil {
				return nil
			}
			var cells []string
			for _, c := range r.cells {
				if c != "" {
					cells = append(cells, c)
				}
			}
			text := strings.Join(cells, " | ")
			if text == "" {
				return nil
			}
			if outer := w.row(); outer != nil {
				addCell(&outer.cell, text)
				return nil
			}
			w.n++
			return w.fn(Paragraph{Text: text, Table: true, N: w.n})
		}
	case xml.CharData:
		if w.skip > 0 || len(w.stack) == 0 {
			return nil
		}
		switch name := w.stack[len(w.stack)-1]; {
		case !w.isW(name):
		case name.Local == "t":
			w.write(string(t))
		case name.Local == "instrText":
			if f := w.field(); f != nil && f.code {
				f.instr.Write(t)
			}
		}
	}
	return nil
}

// parent returns the local name of the n-th open element from the top (1
// is the current one).
func (w *walker) parent(n int) string {
	if len(w.stack) < n {
		return ""
	}
	return w.stack[len(w.stack)-n].Local
}

// para returns the innermost open paragraph, or nil.
func (w *walker) para() *Paragraph {
	if len(w.paras) == 0 {
		return nil
	}
	return w.paras[len(w.paras)-1]
}

// field returns the innermost open complex field, or nil.
func (w *walker) field() *field {
	if len(w.fields) == 0 {
		return nil
	}
	return w.fields[len(w.fields)-1]
}

// hyperlinkField matches a HYPERLINK field's code and its address.
var hyperlinkField = regexp.MustCompile(`^\s*HYPERLINK\s+"([^"]+)"`)

// hyperlink records the address of a HYPERLINK field (a link written as a
// field rather than as w:hyperlink) as a link of the open paragraph.
func (w *walker) hyperlink(code string) {
	if m := hyperlinkField.FindStringSubmatch(code); m != nil {
		if p := w.para(); p != nil {
			p.Links = append(p.Links, m[1])
		}
	}
}

// alt returns the innermost open AlternateContent, or nil.
func (w *walker) alt() *alt {
	if len(w.alts) == 0 {
		return nil
	}
	return &w.alts[len(w.alts)-1]
}

// row returns the innermost open table row, or nil.
func (w *walker) row() *row {
	if len(w.rows) == 0 {
		return nil
	}
	return w.rows[len(w.rows)-1]
}

// write adds text to the open paragraph, unless it is a field's code or a
// hidden run.
func (w *walker) write(s string) {
	if len(w.texts) == 0 || w.hidden {
		return
	}
	for _, f := range w.fields {
		if f.code || f.hide {
			return
		}
	}
	w.texts[len(w.texts)-1].WriteString(s)
}

// addCell adds a paragraph's text to a table cell.
func addCell(b *strings.Builder, text string) {
	if b.Len() > 0 {
		b.WriteByte(' ')
	}
	b.WriteString(text)
}

// endParagraph closes the innermost paragraph: into its table cell, or out
// to fn.
func (w *walker) endParagraph() error {
	if len(w.paras) == 0 {
		return nil
	}
	p := w.paras[len(w.paras)-1]
	text := w.texts[len(w.texts)-1].String()
	w.paras, w.texts = w.paras[:len(w.paras)-1], w.texts[:len(w.texts)-1]
	p.Text = strings.TrimRight(text, " \t\n")
	if r := w.row(); r != nil && w.inCell() {
		if t := strings.TrimSpace(strings.ReplaceAll(p.Text, "\n", " ")); t != "" {
			addCell(&r.cell, t)
		}
		return nil
	}
	if strings.TrimSpace(p.Text) == "" {
		return nil
	}
	return w.fn(*p)
}

// inCell reports whether the innermost open paragraph's container is a
// table cell (and not a text box inside a paragraph).
func (w *walker) inCell() bool {
	for i := len(w.stack) - 1; i >= 0; i-- {
		switch w.stack[i].Local {
		case "tc":
			return true
		case "txbxContent", "p":
			return false
		}
	}
	return false
}
