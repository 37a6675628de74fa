package pdf

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/formattest"
	"tacheron/corpus/press"
)

var update = flag.Bool("update", false, "rewrite testdata/rapport.pdf")

// makePDF writes a PDF 1.4 file, following the PDF Reference: a catalog,
// one page per entry of pages (each a list of text lines, in WinAnsi
// Latin-1 — "\351" is é), Helvetica, and an Info dictionary (Title,
// Author, Keywords, CreationDate) when info is not empty. A page without
// lines draws a rectangle: an image-only page, like a scan's.
func makePDF(info map[string]string, pages ...[]string) []byte {
	var contents []string
	for _, lines := range pages {
		var content strings.Builder
		if len(lines) == 0 {
			content.WriteString("0 0 0 rg 50 50 400 600 re f\n")
		} else {
			content.WriteString("BT /F1 12 Tf 14 TL 72 720 Td\n")
			for _, l := range lines {
				if l == "" {
					content.WriteString("0 -40 Td\n") // a gap: a new paragraph
					continue
				}
				fmt.Fprintf(&content, "(%s) Tj T*\n", l)
			}
			content.WriteString("ET\n")
		}
		contents = append(contents, content.String())
	}
	return makePDFContents(info, contents)
}

// makePDFContents writes a PDF 1.4 file whose pages have the given content
// streams, with makePDF's font and Info dictionary.
func makePDFContents(info map[string]string, contents []string) []byte {
	var objs []string
	kids := []string{}
	n := len(contents)
	// 1 catalog, 2 pages, 3 font, then page and content pairs, then info.
	for i, content := range contents {
		page := 4 + 2*i
		kids = append(kids, fmt.Sprintf("%d 0 R", page))
		objs = append(objs,
			fmt.Sprintf("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>", page+1),
			fmt.Sprintf("<< /Length %d >>\nstream\n%sendstream", len(content), content))
	}
	head := []string{
		"<< /Type /Catalog /Pages 2 0 R >>",
		fmt.Sprintf("<< /Type /Pages /Kids [%s] /Count %d >>", strings.Join(kids, " "), n),
		"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
	}
	objs = append(head, objs...)
	trailer := ""
	if len(info) > 0 {
		var b strings.Builder
		b.WriteString("<<")
		for _, k := range []string{"Title", "Author", "Keywords", "CreationDate"} {
			if v, ok := info[k]; ok {
				fmt.Fprintf(&b, " /%s (%s)", k, v)
			}
		}
		b.WriteString(" >>")
		objs = append(objs, b.String())
		trailer = fmt.Sprintf(" /Info %d 0 R", len(objs))
	}
	var out bytes.Buffer
	out.WriteString("%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = out.Len()
		fmt.Fprintf(&out, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := out.Len()
	fmt.Fprintf(&out, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&out, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&out, "trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return out.Bytes()
}

// needPoppler fails the test where pdftotext is missing: .ci/run installs
// poppler-utils.
func needPoppler(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatal("pdftotext not found: install poppler-utils")
	}
}

func TestPDF(t *testing.T) {
	needPoppler(t)
	report := makePDF(map[string]string{"Title": "Le micro-travail en France", "Author": "Paola Tubaro; Antonio A. Casilli",
		"Keywords": "micro-travail, plateformes", "CreationDate": "D:20190412093000+02'00'"},
		[]string{"Le micro-travail en France", "", "Ce rapport estime le nombre de micro-travail-", "leurs en France.", "", "1"},
		[]string{"Second page : les plateformes num\\351riques."})
	tests := []struct {
		name  string
		data  []byte
		title string
		date  string
		paras []string
	}{
		{"rapport.pdf", report, "Le micro-travail en France", "2019-04-12",
			[]string{"Le micro-travail en France", "Ce rapport estime le nombre de micro-travailleurs en France.", "Second page : les plateformes numériques."}},
		{"notes/2020-06-01-sans-metadonnees.pdf", makePDF(nil, []string{"Compte rendu de r\\351union", "Deux lignes du m\\352me paragraphe."}),
			"Compte rendu de réunion", "2020-06-01", []string{"Compte rendu de réunion Deux lignes du même paragraphe."}},
		{"2021-01-02-word.pdf", makePDF(map[string]string{"Title": "Microsoft Word - note.docx"}, []string{"Vrai titre", "", "Texte."}),
			"Vrai titre", "2021-01-02", []string{"Vrai titre", "Texte."}},
	}
	for _, tt := range tests {
		if !Format().Detect(tt.name, tt.data) {
			t.Errorf("%s: not detected", tt.name)
		}
		docs, err := formattest.Read(t, Format(), tt.name, tt.data)
		if err != nil || len(docs) != 1 {
			t.Errorf("%s: %d documents, %v", tt.name, len(docs), err)
			continue
		}
		d := docs[0]
		var paras []string
		for _, p := range d.Paragraphs {
			paras = append(paras, p.Text)
		}
		if d.ID != tt.name || d.Title != tt.title || d.Date != tt.date || strings.Join(paras, "|") != strings.Join(tt.paras, "|") {
			t.Errorf("%s = %+v\nwant title %q, date %q, paragraphs %q", tt.name, d, tt.title, tt.date, tt.paras)
		}
		if tt.name == "rapport.pdf" && (strings.Join(d.Authors, "|") != "Paola Tubaro|Antonio A. Casilli" || strings.Join(d.Tags, "|") != "micro-travail|plateformes") {
			t.Errorf("metadata: authors %q, tags %q", d.Authors, d.Tags)
		}
	}
}

func TestUnreadablePDFs(t *testing.T) {
	needPoppler(t)
	tests := []struct {
		name        string
		data        []byte
		unsupported bool
		msg         string
	}{
		{"scan.pdf", makePDF(map[string]string{"CreationDate": "D:20200101"}, nil), true, "scan.pdf: the PDF has no text layer (a scan?): run OCR"},
		{"undated.pdf", makePDF(nil, []string{"Texte"}), false, "undated.pdf:1: no date"},
		{"broken.pdf", []byte("%PDF-1.4\nnot really a pdf"), false, "broken.pdf:1: pdftotext cannot read it"},
	}
	for _, tt := range tests {
		_, err := formattest.Read(t, Format(), tt.name, tt.data)
		if err == nil || errors.Is(err, corpus.ErrUnsupported) != tt.unsupported || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: error %v, want %q (unsupported: %v)", tt.name, err, tt.msg, tt.unsupported)
		}
	}
}

func TestWithoutPoppler(t *testing.T) {
	t.Setenv("PATH", t.TempDir())
	_, err := formattest.Read(t, Format(), "r.pdf", makePDF(nil, []string{"x"}))
	if !errors.Is(err, corpus.ErrUnsupported) || !strings.Contains(err.Error(), "install poppler-utils") {
		t.Errorf("without pdftotext: %v, want an unsupported error saying to install poppler-utils", err)
	}
}

func TestParagraphs(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"Titre\n\nUn para-\ngraphe coupé.\n\n12\n\fPage 2 / 3\n\nFin.", []string{"Titre", "Un paragraphe coupé.", "Fin."}},
		{"Jean-\nPierre garde son tiret.", []string{"Jean-\nPierre garde son tiret."}},
		{"  \n\f\n ", nil},
	}
	for _, tt := range tests {
		if got := paragraphs(tt.in); strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("paragraphs(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzPDFText(f *testing.F) {
	f.Add("Titre\n\nUn para-\ngraphe.\f2\n")
	f.Add("-\n-\n\f")
	f.Fuzz(func(t *testing.T, text string) {
		doc, err := document("f.pdf", text, map[string]string{"CreationDate": "2020-01-01T00:00:00"})
		if err != nil {
			if !errors.Is(err, corpus.ErrUnsupported) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if doc.Title == "" || len(doc.Paragraphs) == 0 {
			t.Fatalf("incomplete document %+v", doc)
		}
	})
}

// BenchmarkRead measures throughput (MB/s) on a 40-page PDF, poppler's
// runs included.
func BenchmarkRead(b *testing.B) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		b.Fatal("pdftotext not found: install poppler-utils")
	}
	var pages [][]string
	for i := range 40 {
		var lines []string
		for j := range 40 {
			lines = append(lines, fmt.Sprintf("Page %d, ligne %d : les plateformes reposent sur le travail invisible.", i, j))
		}
		pages = append(pages, lines)
	}
	data := makePDF(map[string]string{"Title": "Bench", "CreationDate": "D:20200101"}, pages...)
	formattest.Bench(b, Format(), "bench.pdf", data, 1)
}

// TestFixture keeps testdata/rapport.pdf, a PDF other packages' tests read,
// equal to what makePDF writes (rewrite it with -update).
func TestFixture(t *testing.T) {
	needPoppler(t)
	want := makePDF(map[string]string{"Title": "Rapport sur le micro-travail", "Author": "Paola Tubaro", "CreationDate": "D:20190412093000+02'00'"},
		[]string{"Rapport sur le micro-travail", "", "Le micro-travail concerne des milliers de personnes en France."})
	if *update {
		if err := os.WriteFile("testdata/rapport.pdf", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("testdata/rapport.pdf")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("testdata/rapport.pdf differs from makePDF's (rerun with -update): %v", err)
	}
	// The Europresse export the incremental build's test reads.
	if *update {
		if err := os.WriteFile("testdata/europresse.pdf", europressePDF(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if e, err := os.ReadFile("testdata/europresse.pdf"); err != nil || !bytes.Equal(e, europressePDF()) {
		t.Fatalf("testdata/europresse.pdf differs from europressePDF's (rerun with -update): %v", err)
	}
	formattest.Check(t, Format(press.EuropressePDF()), "testdata/europresse.pdf", *update)
	docs, err := formattest.Read(t, Format(), "rapport.pdf", got)
	if err != nil || docs[0].Title != "Rapport sur le micro-travail" || docs[0].Date != "2019-04-12" {
		t.Errorf("rapport.pdf = %+v, %v", docs, err)
	}
}
