package formattest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"sort"
	"strings"
)

// WordNS declares the namespaces a test's WordprocessingML uses: w
// (Transitional), r and mc.
const WordNS = `xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"`

// DOCX returns a Word file as Word writes it: [Content_Types].xml, the
// package and document relationships (styles, footnotes), and
// word/document.xml holding body inside <w:body>; parts adds or replaces
// parts by name ("docProps/core.xml", "word/styles.xml",
// "word/_rels/document.xml.rels"…).
func DOCX(body string, parts map[string]string) []byte {
	all := map[string]string{
		"[Content_Types].xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"_rels/.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/></Relationships>`,
		"word/_rels/document.xml.rels": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes" Target="footnotes.xml"/></Relationships>`,
		"word/document.xml": `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document ` + WordNS + ` mc:Ignorable="w14"><w:body>` + body + `<w:sectPr/></w:body></w:document>`,
	}
	for name, content := range parts {
		all[name] = content
	}
	names := make([]string, 0, len(all))
	for name := range all {
		names = append(names, name)
	}
	// Word writes [Content_Types].xml first, then the package's parts.
	sort.Slice(names, func(i, j int) bool {
		if (names[i] == "[Content_Types].xml") != (names[j] == "[Content_Types].xml") {
			return names[i] == "[Content_Types].xml"
		}
		return names[i] < names[j]
	})
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range names {
		w, err := zw.Create(name)
		if err != nil {
			panic(err)
		}
		if _, err := w.Write([]byte(all[name])); err != nil {
			panic(err)
		}
	}
	if err := zw.Close(); err != nil {
		panic(err)
	}
	return buf.Bytes()
}

// WordParagraphs returns WordprocessingML paragraphs, one a text, each
// one run; a text's "\n" is a line break (w:br).
func WordParagraphs(texts ...string) string {
	var b strings.Builder
	for _, t := range texts {
		b.WriteString("<w:p><w:r>")
		for i, line := range strings.Split(t, "\n") {
			if i > 0 {
				b.WriteString("<w:br/>")
			}
			b.WriteString(`<w:t xml:space="preserve">`)
			xml.EscapeText(&b, []byte(line))
			b.WriteString("</w:t>")
		}
		b.WriteString("</w:r></w:p>")
	}
	return b.String()
}
