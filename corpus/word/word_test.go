package word_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/formats"
	"tacheron/corpus/formattest"
	"tacheron/corpus/press"
	"tacheron/corpus/word"
)

var update = flag.Bool("update", false, "rewrite testdata/*.docx and the golden files")

// format is the Word format as the corpus registers it.
func format() corpus.Format { return word.Format(press.NexisUniDOCX()) }

const coreNS = `xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"`

func core(fields string) string {
	return `<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties ` + coreNS + `>` + fields + `</cp:coreProperties>`
}

const footnotes = `<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
<w:footnote w:id="1"><w:p><w:r><w:t>Entretien du 3 avril.</w:t></w:r></w:p></w:footnote></w:footnotes>`

func heading(style, text string) string {
	return `<w:p><w:pPr><w:pStyle w:val="` + style + `"/></w:pPr><w:r><w:t>` + text + `</w:t></w:r></w:p>`
}

func TestNotes(t *testing.T) {
	tests := []struct {
		name   string
		data   []byte
		title  string
		date   string
		paras  []string
		meta   string // authors|tags|lang
		errMsg string
	}{
		{"terrain.docx", formattest.DOCX(formattest.WordParagraphs("Premier entretien.", "Deuxième paragraphe.")+`<w:p><w:r><w:t>Note</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>`,
			map[string]string{"word/footnotes.xml": footnotes, "docProps/core.xml": core(`<dc:title>Notes de terrain</dc:title><dc:creator>Jeanne Dupont; Marie Curie</dc:creator><cp:keywords>micro-travail, plateformes</cp:keywords><dc:language>fr-FR</dc:language><dcterms:created>2019-04-12T07:30:00Z</dcterms:created>`)}),
			"Notes de terrain", "2019-04-12", []string{"Premier entretien.", "Deuxième paragraphe.", "Note", "Entretien du 3 avril."}, "Jeanne Dupont,Marie Curie|micro-travail,plateformes|fr", ""},
		{"notes/2020-06-01-reunion.docx", formattest.DOCX(formattest.WordParagraphs("Ordre du jour")+heading("Heading1", "Compte rendu de réunion")+formattest.WordParagraphs("Texte."),
			map[string]string{"docProps/core.xml": core(`<dc:title>Document1</dc:title><dcterms:created>2019-01-01T00:00:00Z</dcterms:created>`)}),
			"Compte rendu de réunion", "2020-06-01", []string{"Ordre du jour", "Texte."}, "||", ""},
		{"rapport.docx", formattest.DOCX(heading("Heading1", "Section")+heading("Title", "Le vrai titre")+formattest.WordParagraphs("Texte."),
			map[string]string{"docProps/core.xml": core(`<dcterms:modified>2021-02-03T00:00:00Z</dcterms:modified>`)}),
			"Le vrai titre", "2021-02-03", []string{"Section", "Texte."}, "||", ""},
		{"2022-05-06-brouillon.docx", formattest.DOCX(formattest.WordParagraphs("Première ligne sans style", "Suite."), nil),
			"Première ligne sans style", "2022-05-06", []string{"Suite."}, "||", ""},
		// A note that ends as a Nexis Uni document does stays a note.
		{"2022-05-06-fin.docx", formattest.DOCX(formattest.WordParagraphs("Mes notes", "Le texte finit ainsi.", "End of Document"), nil),
			"Mes notes", "2022-05-06", []string{"Le texte finit ainsi.", "End of Document"}, "||", ""},
		{"sans-date.docx", formattest.DOCX(formattest.WordParagraphs("Titre", "Texte"), nil), "", "", nil, "", `sans-date.docx: no date: the Word file's properties give none; start the file name with it ("2017-03-22-sans-date.docx")`},
		{"2022-01-01-vide.docx", formattest.DOCX("<w:p/>", nil), "", "", nil, "", "2022-01-01-vide.docx: the Word file has no text"},
	}
	for _, tt := range tests {
		if !format().Detect(tt.name, formattest.Head(tt.data)) {
			t.Errorf("%s: not detected", tt.name)
		}
		docs, err := formattest.Read(t, format(), tt.name, tt.data)
		if tt.errMsg != "" {
			if err == nil || err.Error() != tt.errMsg {
				t.Errorf("%s: error %v, want %q", tt.name, err, tt.errMsg)
			}
			continue
		}
		if err != nil || len(docs) != 1 {
			t.Errorf("%s: %d documents, %v", tt.name, len(docs), err)
			continue
		}
		d := docs[0]
		var paras []string
		for _, p := range d.Paragraphs {
			paras = append(paras, p.Text)
		}
		meta := strings.Join(d.Authors, ",") + "|" + strings.Join(d.Tags, ",") + "|" + string(d.Lang)
		if d.ID != tt.name || d.Title != tt.title || d.Date != tt.date || strings.Join(paras, "|") != strings.Join(tt.paras, "|") || meta != tt.meta {
			t.Errorf("%s = id %q title %q date %q paragraphs %q meta %q\nwant title %q date %q paragraphs %q meta %q", tt.name, d.ID, d.Title, d.Date, paras, meta, tt.title, tt.date, tt.paras, tt.meta)
		}
	}
}

// nexisArticles are the paragraphs of a Nexis Uni download of two
// articles, with its cover page, as its Word file and its text file hold
// them (neutral text of our own).
var nexisArticles = []string{
	"User Name: =Jane Example",
	"Date and Time: Thursday, December 19, 2019 10:12:00 AM EST",
	"Job Number: 104766343",
	"Documents (2)",
	"1. Ghost workers power the AI boom",
	"Client/Matter: -None-",
	"Search Terms: ghost work",
	"Ghost workers power the AI boom",
	"The Example Post",
	"December 19, 2019 Thursday",
	"Copyright 2019 The Example Post All Rights Reserved",
	"Section: BUSINESS; Pg. A14",
	"Length:\u00a0812 words",
	"Byline:\u00a0Jane Roe; John Doe",
	"Body",
	"Data labelers in many countries do the work that trains the systems.",
	"A second paragraph about the pay.",
	"Classification",
	"Language:\u00a0ENGLISH",
	"Publication-Type:\u00a0Newspaper",
	"Load-Date:\u00a0December 20, 2019",
	"End of Document",
	"Un second titre",
	"Le Monde Example",
	"22 mars 2017 mercredi",
	"Copyright 2017 Le Monde Example",
	"Section:\u00a0IDEES",
	"Length:\u00a0600 words",
	"Body",
	"Un paragraphe en français sur les plateformes.",
	"Load-Date:\u00a0March 23, 2017",
	"Language:\u00a0FRENCH",
	"End of Document",
}

// TestNexisUniSameAsText reads the same articles as a Word download and as
// a text download: the documents are the same.
func TestNexisUniSameAsText(t *testing.T) {
	const name = "nexis.docx"
	data := formattest.DOCX(formattest.WordParagraphs(nexisArticles...), nil)
	if !format().Detect(name, formattest.Head(data)) {
		t.Fatal("not detected")
	}
	fromWord, err := formattest.Read(t, format(), name, data)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(nexisArticles, "\n\n") + "\n"
	if !press.LexisNexisText().Detect(name, []byte(text)) {
		t.Fatal("the text is not a LexisNexis text download")
	}
	fromText, err := formattest.Read(t, press.LexisNexisText(), name, []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if len(fromWord) != 2 {
		t.Fatalf("%d documents from the Word file, want 2", len(fromWord))
	}
	w, _ := json.MarshalIndent(fromWord, "", " ")
	x, _ := json.MarshalIndent(fromText, "", " ")
	if string(w) != string(x) {
		t.Errorf("Word download:\n%s\ntext download:\n%s", w, x)
	}
	d := fromWord[0]
	if d.Title != "Ghost workers power the AI boom" || d.Source != "The Example Post" || d.Date != "2019-12-19" || d.Section != "BUSINESS" ||
		strings.Join(d.Authors, "|") != "Jane Roe|John Doe" || d.Kind != corpus.Press || len(d.Paragraphs) != 2 || d.Lang != "en" {
		t.Errorf("first article = %+v", d)
	}
	if d := fromWord[1]; d.Title != "Un second titre" || d.Date != "2017-03-22" || d.Section != "IDEES" || d.Lang != "fr" {
		t.Errorf("second article = %+v", d)
	}
}

// TestNexisUniEndInParagraph reads a download whose "End of Document"
// shares the paragraph of the line before: after a line break, or as a run
// of its own.
func TestNexisUniEndInParagraph(t *testing.T) {
	want, err := formattest.Read(t, format(), "nexis.docx", formattest.DOCX(formattest.WordParagraphs(nexisArticles...), nil))
	if err != nil {
		t.Fatal(err)
	}
	for _, sep := range []string{"\n", ""} {
		var paras []string
		for _, p := range nexisArticles {
			if p == "End of Document" {
				paras[len(paras)-1] += sep + p
				continue
			}
			paras = append(paras, p)
		}
		got, err := formattest.Read(t, format(), "nexis.docx", formattest.DOCX(formattest.WordParagraphs(paras...), nil))
		if err != nil || len(got) != len(want) {
			t.Errorf("separator %q: %d documents, %v", sep, len(got), err)
			continue
		}
		for i := range got {
			if got[i].Title != want[i].Title || got[i].Text() != want[i].Text() || got[i].ID != want[i].ID {
				t.Errorf("separator %q: document %d = %+v, want %+v", sep, i+1, got[i], want[i])
			}
		}
	}
}

// TestNexisUniLinks reads the document id from the headline's link, and
// one article per file without a cover page or a closing line.
func TestNexisUniLinks(t *testing.T) {
	rels := `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId5" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink" Target="https://advance.lexis.com/api/document?collection=news&amp;id=urn:contentItem:5XV1-8JH1-JBG3-6431-00000-00&amp;context=1516831" TargetMode="External"/></Relationships>`
	body := `<w:p><w:pPr><w:pStyle w:val="Heading1"/></w:pPr><w:hyperlink r:id="rId5"><w:r><w:rPr><w:b/><w:u w:val="single"/></w:rPr><w:t>Les travailleurs</w:t></w:r><w:r><w:br/><w:t>du clic</w:t></w:r></w:hyperlink></w:p>` +
		formattest.WordParagraphs("Le Figaro", "22 mars 2017 mercredi", "Copyright 2017 Le Figaro") +
		`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Section: </w:t></w:r><w:r><w:t>ECONOMIE; Pg. 28</w:t></w:r></w:p>` +
		`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Length: </w:t></w:r><w:r><w:t>1093 words</w:t></w:r></w:p>` +
		`<w:p><w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">Byline: </w:t></w:r><w:r><w:t>Elisa BRAUN</w:t></w:r></w:p>` +
		formattest.WordParagraphs("Body", "Chez Google, il n'y a pas de petites économies.", "Load-Date: March 23, 2017", "End of Document")
	docs, err := formattest.Read(t, format(), "article.docx", formattest.DOCX(body, map[string]string{"word/_rels/document.xml.rels": rels}))
	if err != nil || len(docs) != 1 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	d := docs[0]
	if d.ID != "urn:contentItem:5XV1-8JH1-JBG3-6431-00000-00" || !strings.Contains(d.URL, "advance.lexis.com") || d.Title != "Les travailleurs du clic" ||
		d.Source != "Le Figaro" || d.Section != "ECONOMIE" || strings.Join(d.Authors, "|") != "Elisa Braun" || d.Date != "2017-03-22" {
		t.Errorf("article = %+v", d)
	}
}

// TestLexisAcademicDOCX reads the older "N of M DOCUMENTS" layout, as a
// Word file.
func TestLexisAcademicDOCX(t *testing.T) {
	paras := []string{
		"1 of 2 DOCUMENTS", "The Guardian", "January 11, 2010 Monday\nFinal Edition", "Headline one", "BYLINE: Jane Doe", "SECTION: NEWS; Pg. 6", "LENGTH: 355 words",
		"Text of the first article.", "LOAD-DATE: January 11, 2010", "LANGUAGE: ENGLISH",
		"2 of 2 DOCUMENTS", "The Observer", "January 12, 2010 Tuesday", "Headline two", "LENGTH: 10 words", "Second text.", "LANGUAGE: ENGLISH",
	}
	docs, err := formattest.Read(t, format(), "academic.docx", formattest.DOCX(formattest.WordParagraphs(paras...), nil))
	if err != nil || len(docs) != 2 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	if docs[0].Title != "Headline one" || docs[0].Source != "The Guardian" || docs[1].Title != "Headline two" || docs[1].Date != "2010-01-12" ||
		len(docs[0].Paragraphs) != 1 || docs[0].Paragraphs[0].Text != "Text of the first article." {
		t.Errorf("documents = %+v", docs)
	}
}

func TestNexisUniErrors(t *testing.T) {
	paras := append([]string{}, nexisArticles...)
	paras[24] = "no date here" // the second article's date line
	_, err := formattest.Read(t, format(), "bad.docx", formattest.DOCX(formattest.WordParagraphs(paras...), nil))
	want := "bad.docx: article 2: paragraph 23: no date line"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestDetectOrder checks that the corpus reads a Word file, named or not,
// with this format, and a zip of something else with none.
func TestDetectOrder(t *testing.T) {
	data := formattest.DOCX(formattest.WordParagraphs("x"), nil)
	for _, name := range []string{"notes.docx", "export", "NOTES.DOCX"} {
		var got string
		for _, f := range formats.All() {
			if f.Detect(name, formattest.Head(data)) {
				got = f.Name()
				break
			}
		}
		if got != "docx" {
			t.Errorf("%s: read as %q, want docx", name, got)
		}
	}
}

// BenchmarkRead measures throughput (MB/s) on a Word download of 100
// articles.
func BenchmarkRead(b *testing.B) {
	var paras []string
	for range 50 {
		paras = append(paras, nexisArticles[7:]...)
	}
	formattest.Bench(b, format(), "bench.docx", formattest.DOCX(formattest.WordParagraphs(paras...), nil), 100)
}

// FuzzWord reads a Word file whose body is the input, as a note or a
// download: it must not panic, and what it returns must be documents with
// an id, a title and a date, or an error naming the file.
func FuzzWord(f *testing.F) {
	f.Add(formattest.WordParagraphs("Titre", "Texte."))
	f.Add(formattest.WordParagraphs(nexisArticles...))
	f.Add(heading("Title", "T") + `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`)
	f.Fuzz(func(t *testing.T, body string) {
		data := formattest.DOCX(body, map[string]string{"docProps/core.xml": core(`<dcterms:created>2019-04-12T07:30:00Z</dcterms:created>`)})
		_, err := formattest.Read(t, format(), "f.docx", data)
		if err != nil && !strings.HasPrefix(err.Error(), "f.docx: ") {
			t.Errorf("error %v does not name the file", err)
		}
	})
}

// fixtures are the Word files of testdata, which other packages' tests
// read too (the incremental build's): a Nexis Uni download and a note.
func fixtures() map[string][]byte {
	return map[string][]byte{
		"testdata/nexis-uni.docx": formattest.DOCX(formattest.WordParagraphs(nexisArticles...), nil),
		"testdata/2019-04-12-notes.docx": formattest.DOCX(heading("Title", "Notes sur le micro-travail")+
			formattest.WordParagraphs("Les plateformes de micro-travail rémunèrent des tâches de quelques secondes.", "Les travailleurs du clic entraînent les intelligences artificielles.")+
			`<w:p><w:r><w:t>Voir l'enquête</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>`,
			map[string]string{"word/footnotes.xml": footnotes, "docProps/core.xml": core(`<dc:creator>Jeanne Dupont</dc:creator><cp:keywords>micro-travail; IA</cp:keywords><dcterms:created>2019-04-12T07:30:00Z</dcterms:created>`)}),
	}
}

// TestFixtures keeps testdata's Word files equal to what fixtures writes
// (rewrite them with -update) and their documents equal to the golden
// files.
func TestFixtures(t *testing.T) {
	for file, want := range fixtures() {
		if *update {
			if err := os.WriteFile(file, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(file)
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("%s differs from what the test writes (rerun with -update): %v", file, err)
		}
	}
	formattest.Golden(t, format(), "testdata/*.docx", 2, *update)
}

// TestLegacyWord: a Word 97–2003 file, or a password-protected one, is
// detected and reported as unsupported, saying what to do.
func TestLegacyWord(t *testing.T) {
	data := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 512)...)
	for _, name := range []string{"notes.doc", "secret.docx"} {
		if !format().Detect(name, formattest.Head(data)) {
			t.Errorf("%s: not detected", name)
		}
		_, err := formattest.Read(t, format(), name, data)
		if !errors.Is(err, corpus.ErrUnsupported) || !strings.Contains(err.Error(), name+": a Word 97–2003 file (.doc) or a password-protected one") {
			t.Errorf("%s: error %v, want an unsupported file", name, err)
		}
	}
	if format().Detect("data.xls", formattest.Head(data)) {
		t.Error("a spreadsheet's compound file detected as Word")
	}
}
