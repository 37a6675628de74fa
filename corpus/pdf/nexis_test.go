package pdf

import (
	"encoding/json"
	"fmt"
	"os/exec"
	"strings"
	"testing"

	"tacheron/corpus/formattest"
	"tacheron/corpus/press"
)

// nexisPage is the content stream of a page of a Nexis Uni PDF download:
// "Page n of m" at the top right, the running header (the current
// document's headline, none on the cover) under it, the lines of the page
// ("" leaves a gap: a new paragraph), and the library's footer. Text is
// WinAnsi: "\240" is a no-break space, "\351" é.
func nexisPage(n, m int, header string, lines []string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "BT /F1 9 Tf 480 770 Td (Page %d of %d) Tj ET\n", n, m)
	if header != "" {
		fmt.Fprintf(&b, "BT /F1 9 Tf 72 756 Td (%s) Tj ET\n", header)
	}
	b.WriteString("BT /F1 11 Tf 13 TL 72 720 Td\n")
	for _, l := range lines {
		if l == "" {
			b.WriteString("0 -18 Td\n")
			continue
		}
		fmt.Fprintf(&b, "(%s) Tj T*\n", l)
	}
	b.WriteString("ET\n")
	b.WriteString("BT /F1 8 Tf 72 40 Td (Nexis Uni \\227 Universit\\351 Exemple) Tj ET\n")
	return b.String()
}

// nexisPages are the pages of a Nexis Uni PDF download of two articles
// (neutral text of our own): its cover, an article over two pages with a
// paragraph cut by the page break, and an article in French. Each item of
// a page is a paragraph; "|" cuts a paragraph into the lines of the page.
var nexisPages = []struct {
	header string
	items  []string
}{
	{"", []string{"User Name: =Jane Example", "Date and Time: Thursday, December 19, 2019 10:12:00 AM EST", "Job Number: 104766343",
		"Documents (2)", "1. Ghost workers power the AI boom", "Client/Matter: -None-", "Search Terms: ghost work"}},
	{"Ghost workers power the AI boom", []string{"Ghost workers power the AI boom", "The Example Post", "December 19, 2019 Thursday",
		"Copyright 2019 The Example Post All Rights Reserved", "Section: BUSINESS; Pg. A14", "Length:\\240812 words", "Byline:\\240Jane Roe; John Doe", "Body",
		"Data labelers in many countries do the work that trains|the systems, and the platforms that hire them pay by"}},
	{"Ghost workers power the AI boom", []string{"the task.", "A second paragraph about the pay.", "Classification", "Language:\\240ENGLISH",
		"Publication-Type:\\240Newspaper", "Load-Date:\\240December 20, 2019", "End of Document"}},
	{"Un second titre", []string{"Un second titre", "Le Monde Example", "22 mars 2017 mercredi", "Copyright 2017 Le Monde Example",
		"Section:\\240IDEES", "Length:\\240600 words", "Body", "Un paragraphe en fran\\347ais sur les plateformes.",
		"Load-Date:\\240March 23, 2017", "Language:\\240FRENCH", "End of Document"}},
}

// nexisPDF returns the download of pages, and its text download: the
// same paragraphs, a blank line between them.
func nexisPDF(pages []struct {
	header string
	items  []string
}) (pdf []byte, text string) {
	var contents, paras []string
	var cut string // a paragraph the page break cut
	for i, p := range pages {
		var lines []string
		for j, it := range p.items {
			if j > 0 {
				lines = append(lines, "")
			}
			lines = append(lines, strings.Split(it, "|")...)
			para := strings.ReplaceAll(it, "|", " ")
			if cut != "" && j == 0 {
				paras[len(paras)-1] += " " + para
				cut = ""
				continue
			}
			paras = append(paras, para)
		}
		if last := p.items[len(p.items)-1]; strings.HasSuffix(last, "by") {
			cut = last
		}
		contents = append(contents, nexisPage(i+1, len(pages), p.header, lines))
	}
	text = strings.Join(paras, "\n\n") + "\n"
	text = strings.NewReplacer("\\240", "\u00a0", "\\347", "ç").Replace(text)
	return makePDFContents(map[string]string{"Title": "Files (2)"}, contents), text
}

// TestNexisUniPDFSameAsText reads the same articles as a PDF download and
// as a text download: the documents are the same, the page frame left
// out.
func TestNexisUniPDFSameAsText(t *testing.T) {
	needPoppler(t)
	const name = "nexis.pdf"
	f := Format(press.EuropressePDF(), press.NexisUniPDF())
	data, text := nexisPDF(nexisPages)
	fromPDF, err := formattest.Read(t, f, name, data)
	if err != nil {
		t.Fatal(err)
	}
	if !press.LexisNexisText().Detect(name, []byte(text)) {
		t.Fatal("the text is not a LexisNexis text download")
	}
	fromText, err := formattest.Read(t, press.LexisNexisText(), name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(fromPDF) != 2 {
		t.Fatalf("%d documents from the PDF, want 2: %+v", len(fromPDF), fromPDF)
	}
	p, _ := json.MarshalIndent(fromPDF, "", " ")
	x, _ := json.MarshalIndent(fromText, "", " ")
	if string(p) != string(x) {
		t.Errorf("PDF download:\n%s\ntext download:\n%s", p, x)
	}
	d := fromPDF[0]
	if d.Title != "Ghost workers power the AI boom" || d.Source != "The Example Post" || d.Date != "2019-12-19" || d.Section != "BUSINESS" ||
		strings.Join(d.Authors, "|") != "Jane Roe|John Doe" || len(d.Paragraphs) != 2 || d.Lang != "en" ||
		d.Paragraphs[0].Text != "Data labelers in many countries do the work that trains the systems, and the platforms that hire them pay by the task." {
		t.Errorf("first article = %+v", d)
	}
	if d := fromPDF[1]; d.Title != "Un second titre" || d.Date != "2017-03-22" || d.Section != "IDEES" || d.Lang != "fr" {
		t.Errorf("second article = %+v", d)
	}
	for i, d := range fromPDF {
		all, _ := json.Marshal(d)
		for _, frame := range []string{"Page ", "Nexis Uni", "Universit"} {
			if strings.Contains(string(all), frame) {
				t.Errorf("article %d: %q left in it", i+1, frame)
			}
		}
	}
}

// TestNexisUniPDFOneArticle reads downloads of one article, without a
// cover: over two pages whose first has no running header (the headline
// opens the file and heads the next page), over two pages both headed by
// it, and on one page; each gives the text download's document.
func TestNexisUniPDFOneArticle(t *testing.T) {
	needPoppler(t)
	type page = struct {
		header string
		items  []string
	}
	article, end := nexisPages[1], nexisPages[2]
	onePage := append(append([]string{}, article.items[:8]...), "Text.", "Load-Date:\\240December 20, 2019", "End of Document")
	for name, pages := range map[string][]page{
		"first page without header": {{"", article.items}, end},
		"every page headed":         {article, end},
		"one page":                  {{"", onePage}},
	} {
		data, text := nexisPDF(pages)
		fromPDF, err := formattest.Read(t, Format(press.NexisUniPDF()), "one.pdf", data)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		fromText, err := formattest.Read(t, press.LexisNexisText(), "one.pdf", []byte(text))
		if err != nil {
			t.Fatalf("%s: text download: %v", name, err)
		}
		p, _ := json.Marshal(fromPDF)
		x, _ := json.Marshal(fromText)
		if len(fromPDF) != 1 || fromPDF[0].Title != "Ghost workers power the AI boom" || string(p) != string(x) {
			t.Errorf("%s: PDF download:\n%s\ntext download:\n%s", name, p, x)
		}
	}
}

// TestNotNexisUniPDF: a report that ends as a Nexis Uni document does,
// without its fields, stays one document.
func TestNotNexisUniPDF(t *testing.T) {
	needPoppler(t)
	f := Format(press.EuropressePDF(), press.NexisUniPDF())
	name := "2020-01-01-rapport.pdf"
	data := makePDF(nil, []string{"Rapport annuel", "", "Load-Date: March 23, 2017", "", "End of Document"})
	docs, err := formattest.Read(t, f, name, data)
	if err != nil || len(docs) != 1 || docs[0].ID != name {
		t.Errorf("%s: %d documents, %v", name, len(docs), err)
	}
}

func TestNexisUniPDFErrors(t *testing.T) {
	needPoppler(t)
	pages := append(nexisPages[:0:0], nexisPages...)
	pages[3].items = append([]string{}, pages[3].items...)
	pages[3].items[2] = "sans date"
	data, _ := nexisPDF(pages)
	_, err := formattest.Read(t, Format(press.NexisUniPDF()), "bad.pdf", data)
	want := "bad.pdf: article 2: page 4: "
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want %q…", err, want)
	}
}

// BenchmarkNexisUniPDF measures throughput (MB/s) on a 40-article
// download (81 pages), poppler's runs included.
func BenchmarkNexisUniPDF(b *testing.B) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		b.Fatal("pdftotext not found: install poppler-utils")
	}
	pages := nexisPages[:1]
	for range 40 {
		pages = append(pages, nexisPages[1:3]...)
	}
	data, _ := nexisPDF(pages)
	formattest.Bench(b, Format(press.EuropressePDF(), press.NexisUniPDF()), "bench.pdf", data, 40)
}
