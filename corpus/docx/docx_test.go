package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"tacheron/corpus/formattest"
)

// styles is a styles part with Word's built-in names, a style based on a
// heading, and one marked by its outline level only.
const styles = `<?xml version="1.0" encoding="UTF-8"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="Titre1"><w:name w:val="heading 1"/><w:basedOn w:val="Normal"/></w:style>
<w:style w:type="paragraph" w:styleId="MonTitre"><w:name w:val="Mon titre"/><w:basedOn w:val="Titre1"/></w:style>
<w:style w:type="paragraph" w:styleId="Partie"><w:name w:val="Partie"/><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:style>
<w:style w:type="paragraph" w:styleId="Titre"><w:name w:val="Title"/></w:style>
<w:style w:type="character" w:styleId="Titre1Car"><w:name w:val="Titre 1 Car"/></w:style>
</w:styles>`

// rels gives the document a hyperlink rId7 besides styles and footnotes.
const rels = `<?xml version="1.0" encoding="UTF-8"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/>
<Relationship Id="rId7" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://example.org/a?id=1&amp;b=2" TargetMode="External"/>
</Relationships>`

// para is a paragraph as a test writes it: text, heading level, title, table.
type para struct {
	text    string
	heading int
	title   bool
	table   bool
	links   string
}

func (p para) String() string {
	return fmt.Sprintf("%q h%d t%v tbl%v %s", p.text, p.heading, p.title, p.table, p.links)
}

func read(t *testing.T, data []byte) ([]para, error) {
	t.Helper()
	f, err := Open("test.docx", bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	var out []para
	err = f.Paragraphs(func(p Paragraph) error {
		out = append(out, para{p.Text, p.Heading, p.Title, p.Table, strings.Join(p.Links, ",")})
		return nil
	})
	return out, err
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		name string
		body string
		want []para
	}{
		{"runs", `<w:p><w:r><w:t>Le micro</w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">-travail </w:t></w:r><w:r><w:t>en France</w:t></w:r></w:p>`,
			[]para{{text: "Le micro-travail en France"}}},
		{"tab, break, hyphen", `<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>a</w:t><w:tab/><w:t>b</w:t><w:br/><w:t>c</w:t><w:noBreakHyphen/><w:t>d</w:t><w:softHyphen/><w:t>e</w:t></w:r></w:p>`,
			[]para{{text: "a\tb\nc-de"}}},
		{"empty paragraphs left out", `<w:p/><w:p><w:r><w:t xml:space="preserve">  </w:t></w:r></w:p><w:p><w:r><w:t>x</w:t></w:r></w:p>`,
			[]para{{text: "x"}}},
		{"hyperlink and smart tag", `<w:p><w:hyperlink r:id="rId7"><w:r><w:t>Titre lié</w:t></w:r></w:hyperlink><w:smartTag w:uri="urn:x" w:element="place"><w:r><w:t xml:space="preserve"> à Paris</w:t></w:r></w:smartTag><w:hyperlink w:anchor="_Toc1"><w:r><w:t>.</w:t></w:r></w:hyperlink></w:p>`,
			[]para{{text: "Titre lié à Paris.", links: "https://example.org/a?id=1&b=2"}}},
		{"complex field: its result, not its code", `<w:p><w:r><w:t xml:space="preserve">Le </w:t></w:r><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> DATE \@ "d MMMM yyyy" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>22 mars 2017</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`,
			[]para{{text: "Le 22 mars 2017"}}},
		{"hyperlink written as a field", `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> HYPERLINK "https://advance.lexis.com/api/document?id=urn:contentItem:5XV1" </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>Titre</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>`,
			[]para{{text: "Titre", links: "https://advance.lexis.com/api/document?id=urn:contentItem:5XV1"}}},
		{"table of contents left out", `<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> TOC \o "1-3" \h </w:instrText></w:r><w:r><w:fldChar w:fldCharType="separate"/></w:r><w:hyperlink w:anchor="_Toc1"><w:r><w:t>Introduction</w:t></w:r><w:r><w:tab/><w:t>1</w:t></w:r></w:hyperlink></w:p><w:p><w:hyperlink w:anchor="_Toc2"><w:r><w:t>Méthode</w:t></w:r></w:hyperlink><w:r><w:fldChar w:fldCharType="end"/></w:r></w:p><w:p><w:r><w:t>Introduction</w:t></w:r></w:p>`,
			[]para{{text: "Introduction"}}},
		{"simple field", `<w:p><w:fldSimple w:instr=" PAGE "><w:r><w:t>3</w:t></w:r></w:fldSimple><w:fldSimple w:instr=" HYPERLINK &quot;https://example.org/s&quot; "><w:r><w:t>.</w:t></w:r></w:fldSimple></w:p>`,
			[]para{{text: "3.", links: "https://example.org/s"}}},
		{"revisions: inserted kept, deleted and moved away left out", `<w:p><w:ins w:id="1"><w:r><w:t>gardé</w:t></w:r></w:ins><w:del w:id="2"><w:r><w:delText>effacé</w:delText></w:r></w:del><w:moveFrom w:id="3"><w:r><w:t>déplacé</w:t></w:r></w:moveFrom></w:p>`,
			[]para{{text: "gardé"}}},
		{"hidden run", `<w:p><w:r><w:t>vu</w:t></w:r><w:r><w:rPr><w:vanish/></w:rPr><w:t>caché</w:t></w:r><w:r><w:rPr><w:vanish w:val="0"/></w:rPr><w:t xml:space="preserve"> aussi</w:t></w:r></w:p>`,
			[]para{{text: "vu aussi"}}},
		{"table rows", `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>Nom</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>Rôle</w:t></w:r></w:p></w:tc></w:tr><w:tr><w:tc><w:p><w:r><w:t>Jeanne</w:t></w:r></w:p><w:p><w:r><w:t>Dupont</w:t></w:r></w:p></w:tc><w:tc/></w:tr></w:tbl><w:p><w:r><w:t>Après</w:t></w:r></w:p>`,
			[]para{{text: "Nom | Rôle", table: true}, {text: "Jeanne Dupont", table: true}, {text: "Après"}}},
		{"heading styles", `<w:p><w:pPr><w:pStyle w:val="Titre"/></w:pPr><w:r><w:t>Le titre</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Titre1"/></w:pPr><w:r><w:t>Un</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="MonTitre"/></w:pPr><w:r><w:t>Deux</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Partie"/></w:pPr><w:r><w:t>Trois</w:t></w:r></w:p><w:p><w:pPr><w:outlineLvl w:val="2"/></w:pPr><w:r><w:t>Quatre</w:t></w:r></w:p><w:p><w:pPr><w:pStyle w:val="Heading4"/></w:pPr><w:r><w:t>Cinq</w:t></w:r></w:p><w:p><w:r><w:rPr><w:rStyle w:val="Titre1Car"/></w:rPr><w:t>Texte</w:t></w:r></w:p>`,
			[]para{{text: "Le titre", title: true}, {text: "Un", heading: 1}, {text: "Deux", heading: 1}, {text: "Trois", heading: 2}, {text: "Quatre", heading: 3}, {text: "Cinq", heading: 4}, {text: "Texte"}}},
		{"alternate content: one branch", `<w:p><w:r><w:t xml:space="preserve">Avant </w:t></w:r><w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><w:txbxContent><w:p><w:r><w:t>Encadré</w:t></w:r></w:p></w:txbxContent></w:drawing></mc:Choice><mc:Fallback><w:pict><w:txbxContent><w:p><w:r><w:t>Encadré</w:t></w:r></w:p></w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r><w:r><w:t>après</w:t></w:r></w:p>`,
			[]para{{text: "Encadré"}, {text: "Avant après"}}},
		{"content control", `<w:sdt><w:sdtPr><w:alias w:val="Auteur"/><w:placeholder><w:docPart w:val="x"/></w:placeholder></w:sdtPr><w:sdtContent><w:p><w:r><w:t>Jeanne Dupont</w:t></w:r></w:p></w:sdtContent></w:sdt>`,
			[]para{{text: "Jeanne Dupont"}}},
		{"symbols", `<w:p><w:r><w:sym w:font="Symbol" w:char="F0B7"/><w:sym w:font="Arial" w:char="00E9"/><w:t>t</w:t></w:r></w:p>`,
			[]para{{text: "ét"}}},
	}
	for _, tt := range tests {
		data := formattest.DOCX(tt.body, map[string]string{"word/styles.xml": styles, "word/_rels/document.xml.rels": rels})
		got, err := read(t, data)
		if err != nil {
			t.Errorf("%s: %v", tt.name, err)
			continue
		}
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("%s: paragraphs\n%v\nwant\n%v", tt.name, got, tt.want)
		}
	}
}

// TestStrict reads a Strict OOXML file: other namespaces, other
// relationship types, the same text.
func TestStrict(t *testing.T) {
	doc := `<?xml version="1.0" encoding="UTF-8"?>
<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main" xmlns:r="http://purl.oclc.org/ooxml/officeDocument/relationships" w:conformance="strict"><w:body>
<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:hyperlink r:id="rId9"><w:r><w:t>Strict</w:t></w:r></w:hyperlink></w:p>
<w:p><w:r><w:t>Texte.</w:t></w:r></w:p></w:body></w:document>`
	data := formattest.DOCX("", map[string]string{
		"word/main.xml":     doc,
		"word/document.xml": "",
		"_rels/.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="/word/main.xml"/></Relationships>`,
		"word/_rels/main.xml.rels": `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId9" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/hyperlink" Target="https://example.org/s" TargetMode="External"/></Relationships>`,
	})
	got, err := read(t, data)
	want := []para{{text: "Strict", heading: 1, links: "https://example.org/s"}, {text: "Texte."}}
	if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("strict: %v, %v; want %v", got, err, want)
	}
}

func TestProperties(t *testing.T) {
	core := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<dc:title>Notes de terrain</dc:title><dc:subject>Enquête</dc:subject><dc:creator>Jeanne Dupont</dc:creator>
<cp:keywords>micro-travail; plateformes</cp:keywords><dc:language>fr-FR</dc:language>
<dcterms:created xsi:type="dcterms:W3CDTF">2019-04-12T07:30:00Z</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">2019-05-01T10:00:00Z</dcterms:modified>
</cp:coreProperties>`
	f, err := Open("p.docx", bytes.NewReader(formattest.DOCX(formattest.WordParagraphs("x"), map[string]string{"docProps/core.xml": core})))
	if err != nil {
		t.Fatal(err)
	}
	want := Properties{Title: "Notes de terrain", Subject: "Enquête", Creator: "Jeanne Dupont", Keywords: "micro-travail; plateformes", Language: "fr-FR",
		Created: time.Date(2019, 4, 12, 7, 30, 0, 0, time.UTC), Modified: time.Date(2019, 5, 1, 10, 0, 0, 0, time.UTC)}
	if f.Props != want {
		t.Errorf("properties = %+v, want %+v", f.Props, want)
	}
	// Keywords given as items.
	items := strings.Replace(core, "<cp:keywords>micro-travail; plateformes</cp:keywords>", `<cp:keywords><cp:value xml:lang="fr">IA</cp:value><cp:value xml:lang="fr">travail</cp:value></cp:keywords>`, 1)
	f, err = Open("p.docx", bytes.NewReader(formattest.DOCX(formattest.WordParagraphs("x"), map[string]string{"docProps/core.xml": items})))
	if err != nil || f.Props.Keywords != "IA; travail" {
		t.Errorf("keyword items: %q, %v", f.Props.Keywords, err)
	}
}

func TestNotes(t *testing.T) {
	notes := `<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:t>---</w:t></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> Voir le rapport.</w:t></w:r></w:p></w:footnote></w:footnotes>`
	body := `<w:p><w:r><w:t>Texte</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>`
	f, err := Open("n.docx", bytes.NewReader(formattest.DOCX(body, map[string]string{"word/footnotes.xml": notes})))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	if err := f.Notes(func(p Paragraph) error { got = append(got, p.Text); return nil }); err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != " Voir le rapport." {
		t.Errorf("notes = %q", got)
	}
}

// bomb returns a zip holding word/document.xml as a deflate stream of
// size bytes of XML, whose header claims an unknown size: one flushed
// block of spaces between paragraphs, repeated.
func bomb(size int) []byte {
	var block bytes.Buffer
	fw, _ := flate.NewWriter(&block, flate.BestCompression)
	unit := strings.Repeat("<w:p/>", 1<<14)
	fw.Write([]byte(unit))
	fw.Flush()
	var stream bytes.Buffer
	head, _ := flate.NewWriter(&stream, flate.BestSpeed)
	head.Write([]byte(`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>`))
	head.Flush()
	for n := 0; n < size; n += len(unit) {
		stream.Write(block.Bytes())
	}
	stream.Write([]byte{3, 0}) // a final empty block
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "word/document.xml", Method: zip.Deflate, CompressedSize64: uint64(stream.Len()), UncompressedSize64: 1 << 40})
	w.Write(stream.Bytes())
	zw.Close()
	return buf.Bytes()
}

func TestErrors(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		msg  string
	}{
		{"not a zip", []byte("PK\x03\x04 garbage"), "bad.docx: not a Word file (a zip archive): zip: not a valid zip file"},
		{"no document part", func() []byte {
			var buf bytes.Buffer
			zw := zip.NewWriter(&buf)
			w, _ := zw.Create("xl/workbook.xml")
			w.Write([]byte("<workbook/>"))
			zw.Close()
			return buf.Bytes()
		}(), "bad.docx: not a Word document: the archive has no word/document.xml"},
		{"malformed XML", formattest.DOCX("<w:p><w:r><w:t>a</w:r>\n</w:p>", nil), "bad.docx: word/document.xml:2: malformed XML"},
	}
	for _, tt := range tests {
		f, err := Open("bad.docx", bytes.NewReader(tt.data))
		if err == nil {
			err = f.Paragraphs(func(Paragraph) error { return nil })
		}
		if err == nil || !strings.HasPrefix(err.Error(), tt.msg) {
			t.Errorf("%s: error %v, want %q", tt.name, err, tt.msg)
		}
	}
	// A part that inflates past the limit stops with an error naming it.
	f, err := open("bomb.docx", bytes.NewReader(bomb(4<<20)), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	err = f.Paragraphs(func(Paragraph) error { return nil })
	if !errors.Is(err, ErrTooLarge) || !strings.HasPrefix(err.Error(), "bomb.docx: word/document.xml: larger than 1048576 bytes uncompressed") {
		t.Errorf("bomb: %v", err)
	}
}

func TestIsDOCX(t *testing.T) {
	doc := formattest.DOCX(formattest.WordParagraphs("x"), nil)
	tests := []struct {
		name string
		head []byte
		want bool
	}{
		{"a.bin", doc, true},
		{"notes.docx", []byte("PK\x03\x04xxxx"), true},
		{"archive.zip", []byte("PK\x03\x04xxxx"), false},
		{"notes.docx", []byte("{\\rtf1"), false},
	}
	for _, tt := range tests {
		if got := IsDOCX(tt.name, tt.head); got != tt.want {
			t.Errorf("IsDOCX(%s, %.10q) = %v, want %v", tt.name, tt.head, got, tt.want)
		}
	}
}

func FuzzDOCX(f *testing.F) {
	f.Add([]byte(`<w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r></w:p><w:tbl><w:tr><w:tc><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`))
	f.Add([]byte(`<w:p><w:r><w:fldChar w:fldCharType="begin"/><w:instrText>X</w:instrText><w:fldChar w:fldCharType="separate"/><w:t>y</w:t><w:fldChar w:fldCharType="end"/></w:r></w:p>`))
	f.Add([]byte(`<w:p><mc:AlternateContent><mc:Choice><w:p><w:r><w:t>c</w:t></w:r></w:p></mc:Choice><mc:Fallback/></mc:AlternateContent></w:p><w:p><w:pPr><w:outlineLvl w:val="1"/></w:pPr></w:p>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		data := formattest.DOCX(string(body), map[string]string{"word/styles.xml": styles, "word/_rels/document.xml.rels": rels})
		file, err := Open("f.docx", bytes.NewReader(data))
		if err != nil {
			t.Fatalf("opening a well-formed archive: %v", err)
		}
		err = file.Paragraphs(func(p Paragraph) error {
			if strings.TrimSpace(p.Text) == "" || p.Heading < 0 || p.Heading > 9 {
				t.Fatalf("bad paragraph %+v", p)
			}
			return nil
		})
		var de *Error
		if err != nil && (!errors.As(err, &de) || !strings.HasPrefix(err.Error(), "f.docx: word/document.xml")) {
			t.Fatalf("error %v does not name the file and part", err)
		}
	})
}
