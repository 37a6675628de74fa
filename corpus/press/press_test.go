package press

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"tacheron/corpus"
	"tacheron/corpus/formattest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden reads each fixture through its format and compares the
// documents with testdata/NAME.golden.json (rewritten with -update).
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file   string
		format corpus.Format
		docs   int
	}{
		{"europresse-article.html", Europresse(), 4},
		{"europresse-table.html", Europresse(), 4},
		{"europresse-latin1.html", Europresse(), 1},
		{"europresse-web.html", Europresse(), 2},
		{"europresse-2023.html", Europresse(), 2},
		{"factiva-article.html", Factiva(), 3},
		{"factiva-coded.html", Factiva(), 2},
		{"factiva-print2010.html", Factiva(), 1},
		{"factiva-table.rtf", FactivaText(), 2},
		{"factiva-display.txt", FactivaText(), 2},
		{"factiva.xml", FactivaXML(), 3},
		{"lexisnexis-academic.html", LexisNexis(), 3},
		{"lexisnexis-uni.html", LexisNexis(), 2},
		{"lexisnexis-wire.html", LexisNexis(), 2},
		{"lexisnexis-uni-cover.html", LexisNexis(), 3},
		{"lexisnexis-text.txt", LexisNexisText(), 3},
		{"nexis-uni.txt", LexisNexisText(), 2},
	} {
		t.Run(tc.file, func(t *testing.T) {
			docs := formattest.Check(t, tc.format, filepath.Join("testdata", tc.file), *update)
			if len(docs) != tc.docs {
				t.Errorf("Read gave %d documents, want %d", len(docs), tc.docs)
			}
			ids := map[string]bool{}
			for _, d := range docs {
				if ids[d.ID] {
					t.Errorf("id %q given twice", d.ID)
				}
				ids[d.ID] = true
				for _, p := range d.Paragraphs {
					for _, bad := range []string{"© 20", "Certificat émis", "Numéro de document", "Note(s)", "news·", "Tous droits réservés", "<p>", "(lien :", "Publié dans"} {
						if strings.Contains(p.Text, bad) {
							t.Errorf("%s: boilerplate %q in the body: %q", d.ID, bad, p.Text)
						}
					}
				}
			}
		})
	}
}

func TestEuropresseFields(t *testing.T) {
	data, err := os.ReadFile("testdata/europresse-table.html")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := formattest.Read(t, Europresse(), "x/europresse-table.html", data)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		id, source, date, section, title, authors string
	}
	wants := []want{
		{"news·20131005·HU·2040056000", "l'Humanité", "2013-10-05", "Politique", "Les plateformes numériques en question", "Pierre Durand"},
		{"news·20131005·LM·21378001", "Le Monde", "2013-10-05", "Éditorial", "Éditorial", ""},
		{"news·20131005·LM·21378002", "Le Monde", "2013-10-05", "Éditorial", "Éditorial", "Elisa Braun"},
		{"news·20131219·GU·a1b2c3", "The Guardian", "2013-12-19", "Opinion", "Who trains the machines?", "Jane Roe|John Doe"},
	}
	if len(docs) != len(wants) {
		t.Fatalf("got %d documents, want %d", len(docs), len(wants))
	}
	for i, w := range wants {
		d := docs[i]
		got := want{d.ID, d.Source, d.Date, d.Section, d.Title, strings.Join(d.Authors, "|")}
		if got != w {
			t.Errorf("article %d = %+v, want %+v", i+1, got, w)
		}
		if d.Kind != corpus.Press {
			t.Errorf("article %d: kind %q, want press", i+1, d.Kind)
		}
	}
	if got := docs[0].Paragraphs[len(docs[0].Paragraphs)-1].Text; !strings.HasPrefix(got, "(1) Rapport") {
		t.Errorf("last paragraph of article 1 = %q, want the note kept as text", got)
	}
	if docs[3].Lang != "en" || docs[0].Lang != "fr" {
		t.Errorf("langs = %s, %s; want fr, en", docs[0].Lang, docs[3].Lang)
	}
}

// TestCharsetLies checks that a page declaring UTF-8 while holding Latin-1,
// and one declaring ISO-8859-1 while holding UTF-8, both decode right.
func TestCharsetLies(t *testing.T) {
	for _, file := range []string{"europresse-latin1.html", "europresse-table.html"} {
		data, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Fatal(err)
		}
		docs, err := formattest.Read(t, Europresse(), file, data)
		if err != nil {
			t.Fatal(err)
		}
		var all strings.Builder
		for _, d := range docs {
			all.WriteString(d.Title + " " + d.Source + " " + d.Text())
		}
		if s := all.String(); strings.ContainsAny(s, "\ufffdÃ") || !strings.ContainsAny(s, "éÉ") {
			t.Errorf("%s decoded wrong: %.200q", file, s)
		}
	}
}

// TestPhotoCreditKeepsText checks that a photo credit in an article of the
// table layout does not end the article's text, while the closing
// copyright line does.
// TestFactivaXMLCharsetLies checks that a Factiva XML export reads right
// whatever its declaration says: UTF-8 declared ISO-8859-1, Windows-1252
// declared UTF-8, and Windows-1252 declared as such.
func TestFactivaXMLCharsetLies(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "factiva.xml"))
	if err != nil {
		t.Fatal(err)
	}
	cp1252, err := charmap.Windows1252.NewEncoder().Bytes(data)
	if err != nil {
		t.Fatal(err)
	}
	declare := func(b []byte, enc string) []byte {
		return regexp.MustCompile(`encoding="[^"]*"`).ReplaceAll(b, []byte(`encoding="`+enc+`"`))
	}
	want, err := formattest.Read(t, FactivaXML(), "f.xml", data)
	if err != nil {
		t.Fatal(err)
	}
	for name, in := range map[string][]byte{
		"UTF-8 declared ISO-8859-1":     declare(data, "ISO-8859-1"),
		"Windows-1252 declared UTF-8":   declare(cp1252, "UTF-8"),
		"Windows-1252 declared as such": declare(cp1252, "windows-1252"),
	} {
		got, err := formattest.Read(t, FactivaXML(), "f.xml", in)
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		for i := range want {
			if i >= len(got) || got[i].Title != want[i].Title || got[i].Text() != want[i].Text() || got[i].Source != want[i].Source {
				t.Errorf("%s: document %d differs from the UTF-8 file's", name, i+1)
			}
		}
	}
}

// TestFactivaXMLNamespaces checks that articles read alike with Factiva's
// default namespace, with a prefix, and without any.
func TestFactivaXMLNamespaces(t *testing.T) {
	article := func(p string) string {
		return `<` + p + `article><` + p + `accessionNo>LEFIG00020170322ed3m0000a</` + p + `accessionNo><` + p + `baseLanguage>FR</` + p + `baseLanguage>` +
			`<` + p + `headline><` + p + `paragraph>Les tâcherons du clic</` + p + `paragraph></` + p + `headline>` +
			`<` + p + `publicationDate><` + p + `dateTime>2017-03-22T08:30:00Z</` + p + `dateTime></` + p + `publicationDate>` +
			`<` + p + `sourceName>Le Figaro</` + p + `sourceName><` + p + `tailParagraphs><` + p + `paragraph>Un texte.</` + p + `paragraph></` + p + `tailParagraphs></` + p + `article>`
	}
	for name, doc := range map[string]string{
		"default": `<?xml version="1.0"?><PPSResponse><ppsArticleResponse xmlns="http://global.factiva.com/pps/2.0"><ppsarticle>` + article("") + `</ppsarticle></ppsArticleResponse></PPSResponse>`,
		"prefix":  `<?xml version="1.0"?><f:ppsArticleResponse xmlns:f="http://global.factiva.com/pps/2.0"><f:ppsarticle>` + article("f:") + `</f:ppsarticle></f:ppsArticleResponse>`,
		"none":    `<ppsarticleResultSet><ppsarticle>` + article("") + `</ppsarticle></ppsarticleResultSet>`,
	} {
		if !FactivaXML().Detect("a.xml", []byte(doc)) {
			t.Errorf("%s: not detected", name)
		}
		d, err := formattest.ReadOne(t, FactivaXML(), "a.xml", []byte(doc))
		if err != nil || d.ID != "LEFIG00020170322ed3m0000a" || d.Title != "Les tâcherons du clic" || d.Source != "Le Figaro" ||
			d.Date != "2017-03-22" || d.Published != "2017-03-22T08:30:00Z" || d.Text() != "Un texte." {
			t.Errorf("%s: %+v, %v", name, d, err)
		}
	}
}

func TestPhotoCreditKeepsText(t *testing.T) {
	page := `<html><body><table><tr><td><span class="DocPublicationName">Libération</span><br>` +
		`<span class="DocHeader">mardi 21 mars 2017</span><br><br><span class="TitreArticleVisu">Le clic invisible</span><br><br>` +
		`Premier paragraphe de l'article, assez long pour ne pas passer pour une signature.<p></p>© AFP<p></p>` +
		`Second paragraphe, après la photo.<p></p>© 2017 Libération. Tous droits réservés.<p></p>Texte après le copyright.<p></p>` +
		`Numéro de document : news·20170321·LI·42</td></tr></table></body></html>`
	docs, err := formattest.Read(t, Europresse(), "libe.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	text := docs[0].Text()
	if !strings.Contains(text, "Second paragraphe") || strings.Contains(text, "Texte après le copyright") || strings.Contains(text, "Tous droits") {
		t.Errorf("text = %q", text)
	}
	if docs[0].ID != "news·20170321·LI·42" {
		t.Errorf("id = %q", docs[0].ID)
	}
}

// TestFactivaEditionAndPage checks an article display whose fields hold an
// edition and a page between the source code and the language.
func TestFactivaEditionAndPage(t *testing.T) {
	page := `<html><head><title>Factiva</title></head><body><div class="article frArticle">` +
		`<div id="hd"><span class="frHeadline">Les tâcherons du clic</span></div><div class="author">Par Jean Dupont</div>` +
		`<div>512 mots</div><div>3 avril 2018</div><div>Le Monde</div><div>LEMOND</div><div>Édition principale</div><div>12</div>` +
		`<div>Français</div><div>(c) 2018 Le Monde.</div>` +
		`<p class="articleParagraph frarticleParagraph">Ok.</p><p>Document LEMOND0020180403ee430000z</p></div></body></html>`
	docs, err := formattest.Read(t, Factiva(), "f.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if d.ID != "LEMOND0020180403ee430000z" || d.Source != "Le Monde" || d.Date != "2018-04-03" || d.Lang != "fr" ||
		strings.Join(d.Authors, "|") != "Jean Dupont" || !slices.Contains(d.Boilerplate, "Édition principale") {
		t.Errorf("document = %+v", d)
	}
}

func TestDatabaseCopyright(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"© 2017 Le Figaro. Tous droits réservés.", true},
		{"©2013 SA Le Monde", true},
		{"© Guardian News & Media. All rights reserved.", true},
		{"© AFP", false},
		{"Photo © Reuters / Jean Dupont", false},
	} {
		if got := isDatabaseCopyright(tc.line); got != tc.want {
			t.Errorf("isDatabaseCopyright(%q) = %v, want %v", tc.line, got, tc.want)
		}
	}
}

func TestCleanSource(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Le Monde, no. 22586", "Le Monde"},
		{"Le Figaro (site web)", "Le Figaro"},
		{"The Guardian - Final Edition", "The Guardian"},
		{"Libération; Paris", "Libération"},
		{"01 net\n   01net Magazine", "01 net"},
		{"Les Echos no. 12345", "Les Echos"},
		{"20 Minutes", "20 Minutes"},
		{"Agence France Presse -- English", "Agence France Presse"},
	} {
		if got := cleanSource(tc.in); got != tc.want {
			t.Errorf("cleanSource(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestFindDate(t *testing.T) {
	for _, tc := range []struct{ in, want, before string }{
		{"Idées, jeudi 5 octobre 2017 1234 mots, p. 22", "2017-10-05", "Idées, "},
		{"December 19, 1991, Sunday, Late Edition - Final", "1991-12-19", ""},
		{"Opinion, Thursday, December 22, 2022 13887 words, p. 819(40)", "2022-12-22", "Opinion, "},
		{"lundi 20 mars 2017 - 17:23 UTC +0100 642 mots", "2017-03-20", ""},
		{"1er mars 2016", "2016-03-01", ""},
		{"Publié le mercredi 22 mars 2017 à 09h15, mis à jour le jeudi 23 mars 2017 à 10h00", "2017-03-22", "Publié le "},
		{"Updated March 23, 2017; published March 22, 2017", "2017-03-22", "Updated March 23, 2017; published "},
		{"mis à jour le jeudi 23 mars 2017", "2017-03-23", "mis à jour le "},
		{"22. März 2017 Mittwoch", "2017-03-22", ""},
		{"Sports, mars 2017", "", ""},
		{"1234 mots", "", ""},
	} {
		span, ok := findDate(tc.in)
		got := ""
		if ok {
			got = span.day.Format(corpus.DateLayout)
			if b := tc.in[:span.start]; b != tc.before {
				t.Errorf("findDate(%q): text before = %q, want %q", tc.in, b, tc.before)
			}
		}
		if got != tc.want {
			t.Errorf("findDate(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestFindTime checks the times of day that follow the day of a date
// line, as the exports write them (reconstructed from the descriptions of
// Europresse's web sources, LexisNexis wire stories and Factiva's time
// line): kept with their zone, dropped without one.
func TestFindTime(t *testing.T) {
	for _, tc := range []struct{ line, want string }{
		{"lundi 20 mars 2017 - 17:23 UTC +0100 642 mots", "2017-03-20T17:23:00+01:00"},
		{"lundi 20 mars 2017 - 17:23 UTC+01:00", "2017-03-20T17:23:00+01:00"},
		{"lundi 20 mars 2017 - 17:23 UTC 642 mots", "2017-03-20T17:23:00Z"},
		{"March 22, 2017 Wednesday 3:31 PM GMT", "2017-03-22T15:31:00Z"},
		{"March 22, 2017 Wednesday 12:05 AM EST", "2017-03-22T00:05:00-05:00"},
		{"March 22, 2017 Wednesday 11:16 a.m. EDT", "2017-03-22T11:16:00-04:00"},
		{"22 mars 2017 mercredi 9:05 AM GMT", "2017-03-22T09:05:00Z"},
		{"22 March 2017 15:32 GMT", "2017-03-22T15:32:00Z"},
		{"March 22, 2017 Wednesday 15:31 GMT+1", "2017-03-22T15:31:00+01:00"},
		{"Publié le mercredi 22 mars 2017 à 09h15, mis à jour le jeudi 23 mars 2017 à 10h00", ""},
		{"22 March 2017 (15:32 CET)", "2017-03-22T15:32:00+01:00"},
		{"mercredi 22 mars 2017 à 12h30 (UTC+2)", "2017-03-22T12:30:00+02:00"},
		{"mercredi 22 mars 2017 - 12:30", ""},
		{"mercredi 22 mars 2017 - 12:30 XYZ", ""},
		{"March 22, 2017 Wednesday 13:31 PM GMT", ""},
		{"December 19, 1991, Sunday, Late Edition - Final", ""},
		{"Idées, jeudi 5 octobre 2017 1234 mots, p. 22", ""},
		{"jeudi 5 octobre 2017 25:10 GMT", ""},
	} {
		span, ok := findDate(tc.line)
		if !ok {
			t.Fatalf("findDate(%q): no date", tc.line)
		}
		got := ""
		if ts, ok := findTime(tc.line[span.end:], span.day); ok {
			got = ts.Format(corpus.PublishedLayout)
		}
		if got != tc.want {
			t.Errorf("findTime after %q = %q, want %q", tc.line, got, tc.want)
		}
	}
}

func TestSplitAuthors(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Braun, Elisa", "Elisa Braun"},
		{"Par Jean Dupont et Marie Curie", "Jean Dupont|Marie Curie"},
		{"By PAPER AUTHOR", "Paper Author"},
		{"Jean Dupont, Marie Curie; Paul Martin", "Jean Dupont|Marie Curie|Paul Martin"},
		{"Par Jeanne DUPONT et Jean-Marc LE GOFF", "Jeanne Dupont|Jean-Marc Le Goff"},
		{"JEAN-MARC D'ORNANO", "Jean-Marc D'Ornano"},
		{"Marie Curie à Paris", "Marie Curie à Paris"},
		{"Dupont, Jean; Curie, Marie", "Jean Dupont|Marie Curie"},
		{"Par Jean Dupont (à Bruxelles)", "Jean Dupont"},
		{"Jean Dupont, correspondant à Bruxelles", "Jean Dupont"},
		{"Par Jean Dupont avec AFP", "Jean Dupont|AFP"},
		{"Propos recueillis par Marie Curie", "Marie Curie"},
		{"By Mary Gray and Siddharth Suri | Bloomberg", "Mary Gray|Siddharth Suri|Bloomberg"},
		{"", ""},
	} {
		if got := strings.Join(splitAuthors(tc.in), "|"); got != tc.want {
			t.Errorf("splitAuthors(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestMalformed checks that broken exports fail with an error naming the
// file and the article.
func TestMalformed(t *testing.T) {
	for _, tc := range []struct {
		name   string
		format corpus.Format
		input  string
		want   string
	}{
		{"no articles", Europresse(), `<html><body><p>nothing here</p></body></html>`, "bad.html: no Europresse article"},
		{"no title", Europresse(), `<html><body><article><span class="DocPublicationName">Le Monde</span><span class="DocHeader">jeudi 5 octobre 2017</span><div class="docOcurrContainer"><p>x</p></div></article></body></html>`, "bad.html: article 1: no title"},
		{"no date", Europresse(), `<article><span class="DocPublicationName">Le Monde</span><p class="titreArticleVisu">T</p></article><article><span class="DocPublicationName">Le Monde</span><span class="DocHeader">Idées</span><p class="titreArticleVisu">T</p><div class="publiC-lblNodoc">news·2017·LM·1</div></article>`, "bad.html: article 1: no date in the header"},
		{"second article bad", Europresse(), `<article><span class="DocPublicationName">Le Monde</span><span class="DocHeader">jeudi 5 octobre 2017</span><p class="titreArticleVisu">T</p></article><article><span class="DocHeader">jeudi 5 octobre 2017</span><p class="titreArticleVisu">T</p><div class="publiC-lblNodoc">news·20171005·LM·2</div></article>`, "bad.html: article 2 (news·20171005·LM·2): no publication name"},
		{"factiva no articles", Factiva(), `<html><title>Factiva</title><body></body></html>`, "bad.html: no Factiva article"},
		{"factiva no date", Factiva(), `<div class="article enArticle"><div id="hd"><span class="enHeadline">T</span></div><div>12 words</div><div>The Times</div><p>Document TIMES00020170322ed3m0000a</p></div>`, "bad.html: article 1 (TIMES00020170322ed3m0000a): no date line"},
		{"factiva coded bad PD", Factiva(), `<div class="article enArticle"><table><tr><td class="index"><b>HD</b></td><td>T</td></tr><tr><td class="index"><b>SN</b></td><td>Le Monde</td></tr><tr><td class="index"><b>PD</b></td><td>hier</td></tr></table></div>`, "bad.html: article 1: PD (publication date) \"hier\" is not a date"},
		{"factiva xml truncated", FactivaXML(), "<ppsarticleResultSet><ppsarticle><article><accessionNo>X</accessionNo><headline><paragraph>T</paragraph></headline>\n<sourceName>S</sourceName>", "bad.html: article 1: line 2: XML syntax error"},
		{"factiva xml no date", FactivaXML(), "<ppsarticleResultSet>\n<ppsarticle><article><accessionNo>X1</accessionNo><headline><paragraph>T</paragraph></headline><sourceName>S</sourceName></article></ppsarticle>\n<ppsarticle><article><accessionNo>X2</accessionNo><headline><paragraph>T</paragraph></headline><sourceName>S</sourceName><publicationDate><date>demain</date></publicationDate></article></ppsarticle></ppsarticleResultSet>", "bad.html: article 1 (X1): line 2: <publicationDate>"},
		{"lexis nothing", LexisNexis(), `<html><body><p>hello</p></body></html>`, "bad.html: no LexisNexis document"},
		{"lexis text nothing", LexisNexisText(), "hello\n\nworld\n", "bad.html: no LexisNexis document"},
		{"lexis text no headline", LexisNexisText(), "Load-Date: March 2, 2017\n\nEnd of Document\n", "bad.html: article 1: line 1: no date line"},
		{"lexis text no date", LexisNexisText(), "\n\n   1 of 2 DOCUMENTS\n\n   The Times\n\nHeadline\n\n   2 of 2 DOCUMENTS\n\n   The Times\n\n   March 2, 2017\n\nT\n", "bad.html: article 1: line 3: no date line"},
		{"lexis text two lines before the date", LexisNexisText(), "1 of 1 DOCUMENTS\n\nThe Times\n\nLondon\n\nMarch 2, 2017\n\nT\n", "bad.html: article 1: line 1: 2 lines between the document number and the date line"},
		{"factiva text nothing", FactivaText(), "hello\n\nworld\n", "bad.html: no Factiva article"},
		{"factiva text no word count", FactivaText(), "\nHeadline\n22 March 2017\nThe Times\n\nText.\n\nDocument TIMEUK0020170322ed3m0000a\n", "bad.html: article 1 (TIMEUK0020170322ed3m0000a): line 2: no word count"},
		{"factiva text bad PD", FactivaText(), "HD\tT\nPD\thier\nSN\tThe Times\nAN\tDocument X\n", "bad.html: article 1: line 1: PD (publication date) \"hier\" is not a date"},
		{"factiva rtf unbalanced", FactivaText(), "{\\rtf1 HD\\tab T}}", "bad.html: reading RTF: line 1: unbalanced }"},
		{"lexis no date", LexisNexis(), `<html><body><p>1 of 2 DOCUMENTS</p><p>The Times</p><p>Headline</p><p>Text.</p><p>2 of 2 DOCUMENTS</p></body></html>`, "bad.html: article 1: no date line"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := formattest.Read(t, tc.format, "bad.html", []byte(tc.input))
			var perr *Error
			if err == nil || !errors.As(err, &perr) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

// TestEuropresse2023 checks an export of 2023 (rebuilt from one published
// with the Tiresias project's tests): a web source whose text carries
// Europresse's "[Additional Text]:" heading, and a paper that signs in the
// first paragraph ("Entretien coordonné par …") under a "kicker|standfirst"
// subtitle and an edition after the publication's <br>.
func TestEuropresse2023(t *testing.T) {
	data, err := os.ReadFile("testdata/europresse-2023.html")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := formattest.Read(t, Europresse(), "x/europresse-2023.html", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("Read gave %d documents, want 2", len(docs))
	}
	web, paper := docs[0], docs[1]
	if web.Section != "PEOPLE" {
		t.Errorf("section %q, want the rubric above the title", web.Section)
	}
	if web.Source != "Le Journal des Exemples" || web.Published != "2023-10-23T11:49:55Z" || web.URL != "https://www.example.org/people/2956147-exemple" {
		t.Errorf("web source: source %q, published %q, url %q", web.Source, web.Published, web.URL)
	}
	if len(web.Paragraphs) == 0 || web.Paragraphs[0].Text == web.Title {
		t.Errorf("the title repeated as the first paragraph stays in the text: %q", web.Paragraphs)
	}
	for _, p := range web.Paragraphs {
		if strings.Contains(p.Text, "Additional Text") {
			t.Errorf("database heading in the body: %q", p.Text)
		}
	}
	if !slices.Contains(web.Boilerplate, "[Additional Text]:") {
		t.Errorf("boilerplate %q lacks the [Additional Text] heading", web.Boilerplate)
	}
	if got := strings.Join(paper.Authors, "|"); got != "Paul Durand|Marie Martin" {
		t.Errorf("authors %q, want the first paragraph's byline", got)
	}
	if paper.Source != "Aujourd'hui en France" || paper.Section != "Sciences" || paper.Date != "2023-10-18" {
		t.Errorf("paper: source %q, section %q, date %q", paper.Source, paper.Section, paper.Date)
	}
	var texts []string
	for _, p := range paper.Paragraphs[:3] {
		texts = append(texts, p.Text)
	}
	want := []string{"Face aux lecteurs", "Un chapeau qui présente l'entretien avec Jeanne Exemple, sans tabou.", "Un premier paragraphe de l'entretien."}
	if !slices.Equal(texts, want) {
		t.Errorf("first paragraphs %q, want %q", texts, want)
	}
	if !slices.Contains(paper.Boilerplate, "Photos : Luc Dupont") {
		t.Errorf("boilerplate %q lacks the photo credit", paper.Boilerplate)
	}
}

// TestEuropresseNotices checks that the notices and navigation links of an
// Europresse selection leave the text.
func TestEuropresseNotices(t *testing.T) {
	page := `<html><body><a name="sommaire"></a><p>Sommaire</p><a href="#art1">Un titre</a>
<article id="art1"><header><span class="DocPublicationName">Le Monde</span><span class="DocHeader">lundi 6 mars 2017</span>
<p class="titreArticleVisu">Un titre</p></header><section><div class="docOcurrContainer"><p>Le texte de l'article.</p>
<p>Photos : AFP</p>
<p><a href="#sommaire">Retour au sommaire</a></p>
<p>Ce document est réservé à l'usage exclusif de l'utilisateur désigné par UNIVERSITE-EXEMPLE et ne peut faire l'objet d'aucune autre utilisation ou diffusion auprès de tiers.</p>
<p>Ce document a été généré le 7 mars 2017 par Europresse.</p></div></section>
<footer><div class="publiC-lblNodoc">news·20170306·LM·1</div></footer></article></body></html>`
	d, err := formattest.ReadOne(t, Europresse(), "x.html", []byte(page))
	if err != nil {
		t.Fatal(err)
	}
	if d.Text() != "Le texte de l'article." {
		t.Errorf("text %q, want the article's paragraph alone", d.Text())
	}
	if len(d.Boilerplate) < 5 {
		t.Errorf("boilerplate %q lacks the notices; text %q", d.Boilerplate, d.Paragraphs)
	}
}

// TestEuropressePhotoCredit checks which short lines are read as a
// picture's credit (boilerplate) and which stay text.
func TestEuropressePhotoCredit(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Photos : AFP", true},
		{"Photo: Jean Dupont / Le Monde", true},
		{"PHOTO : LIONEL BONAVENTURE/AFP", true},
		{"Crédit photo : DR", true},
		{"Crédits : Getty Images", true},
		{"Illustration : Reuters", true},
		{"Photo : J. Dupont / Le Monde", true},
		{"Dessin : Plantu.", true},
		{"Photo : un livreur attend sa commande devant un restaurant parisien, le 3 mars.", false},
		{"Photo : des livreurs à vélo attendent leur commande. Ils sont payés à la course.", false},
		{"Photos et vidéos circulent sur les réseaux sociaux.", false},
		{"Le texte de l'article.", false},
	} {
		if got := isEuropresseBoilerplate(tc.line); got != tc.want {
			t.Errorf("%q: boilerplate %v, want %v", tc.line, got, tc.want)
		}
	}
}

// TestBodyByline checks which first paragraphs of an Europresse article
// are read as its byline.
func TestBodyByline(t *testing.T) {
	for _, tc := range []struct {
		line, want string
	}{
		{"Par Jean Dupont", "Jean Dupont"},
		{"par Jean DUPONT et Marie Curie", "Jean Dupont|Marie Curie"},
		{"Propos recueillis par Marie Curie", "Marie Curie"},
		{"Entretien Coordonné Par Paul Durand et Marie Martin", "Paul Durand|Marie Martin"},
		{"Par ailleurs, le gouvernement a tranché.", ""},
		{"Par Jean Dupont, qui était à Lyon pour l'occasion et y a rencontré beaucoup de monde.", ""},
		{"Parmi les Candidats Retenus", ""},
	} {
		got := ""
		if m := bodyByline.FindStringSubmatch(tc.line); m != nil && looksLikeByline(m[1]) {
			got = strings.Join(splitAuthors(m[1]), "|")
		}
		if got != tc.want {
			t.Errorf("%q: byline %q, want %q", tc.line, got, tc.want)
		}
	}
}

// TestFactivaPrint2010 checks the older Factiva print view (a plain <div
// class="article">, "By …" in an unclassed <div>, unclassed paragraphs
// between the copyright field and a closing copyright line), rebuilt from
// a Factiva.com page of 2010.
func TestFactivaPrint2010(t *testing.T) {
	data, err := os.ReadFile("testdata/factiva-print2010.html")
	if err != nil {
		t.Fatal(err)
	}
	d, err := formattest.ReadOne(t, Factiva(), "x/factiva-print2010.html", data)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{d.ID, d.Title, d.Source, d.Date, strings.Join(d.Authors, "|"), string(d.Lang), d.Text()}
	want := []string{"exampl0020100311e63b0001p", "Platform workers meet in the city.", "Example Daily News", "2010-03-11", "Jane Example", "en",
		"A first paragraph of neutral text about platform workers meeting in the city.\n\nA second paragraph, which says who came and what they asked for."}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
}

// TestRTFText checks the RTF reader on what exports hold.
func TestRTFText(t *testing.T) {
	for _, tc := range []struct{ name, rtf, want string }{
		{"paragraphs", `{\rtf1\ansi Un\par Deux\line Trois}`, "Un\nDeux\nTrois"},
		{"table", `{\rtf1{\trowd\cellx1000\cellx2000\pard\intbl HD\cell\pard\intbl Titre\cell\row}}`, "HD\tTitre\t\n"},
		{"code page 1252", `{\rtf1\ansi\ansicpg1252 r\'e9serv\'e9s \'96 \'80}`, "réservés – €"},
		{"code page 1251", `{\rtf1\ansi\ansicpg1251 \'cf\'f0\'e8}`, "При"},
		{"unicode and fallback", `{\rtf1\uc1 caf\u233?, \uc2 \u8217\'92\'92s}`, "café, ’s"},
		{"negative unicode", `{\rtf1 \u-4064?}`, "\uf020"},
		{"destinations dropped", `{\rtf1{\fonttbl{\f0 Arial;}}{\colortbl;\red0;}{\*\generator Factiva;}{\info{\title T}}Texte}`, "Texte"},
		{"field result kept", `{\rtf1{\field{\*\fldinst HYPERLINK "https://example.org"}{\fldrslt lien}}}`, "lien"},
		{"escapes", `{\rtf1 a\{b\}c\\d\~e\-f}`, "a{b}c\\d\u00a0ef"},
		{"symbols", `{\rtf1 \ldblquote x\rdblquote\emdash y\tab z}`, "“x”—y\tz"},
	} {
		got, err := rtfText([]byte(tc.rtf))
		if err != nil || got != tc.want {
			t.Errorf("%s: rtfText = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := rtfText([]byte(strings.Repeat("{", maxRTFDepth+1))); err == nil {
		t.Error("rtfText accepted groups nested too deep")
	}
}

// TestFactivaText checks the fields Factiva's RTF (coded display, a
// table) and text (article display) downloads give.
func TestFactivaText(t *testing.T) {
	type want struct {
		id, title, source, date, section, authors, lang, first, last string
	}
	for _, tc := range []struct {
		file  string
		wants []want
	}{
		{"factiva-table.rtf", []want{
			{"QUOTEX0020170322ed3m0000a", "Les plateformes et le travail du clic", "Le Quotidien d'Exemple", "2017-03-22", "Economie", "Jeanne Exemple", "fr",
				"Un premier paragraphe sur le travail des plateformes, avec l’apostrophe typographique.", "Un troisième paragraphe — avec un tiret."},
			{"EXTIME0020170324ed3o0000b", "Platform workers and the meaning of a click", "The Example Times", "2017-03-24", "", "", "en",
				"A lead paragraph in English about platform work.", "A last paragraph."},
		}},
		// The coded display with each code alone on its line, its value
		// on the next.
		{"factiva-coded-alone.txt", []want{
			{"QUOTEX0020170322ed3m0000a", "Les plateformes et le travail du clic", "Le Quotidien d'Exemple", "2017-03-22", "Economie", "Jeanne Exemple", "fr",
				"Un premier paragraphe sur le travail des plateformes.", "Un troisième paragraphe, court."},
			{"EXTIME0020170324ed3o0000b", "Platform workers and the meaning of a click", "The Example Times", "2017-03-24", "", "", "en",
				"A lead paragraph in English about platform work.", "A last paragraph."},
		}},
		{"factiva-display.txt", []want{
			{"QUOTEX0020170322ed3m0000a", "Les plateformes et le travail du clic", "Le Quotidien d'Exemple", "2017-03-22", "Economie", "Jeanne Exemple", "fr",
				"Un premier paragraphe sur le travail des plateformes, que la copie a coupé à une largeur fixe et qui continue sur la ligne suivante.", "Un deuxième paragraphe, court."},
			{"EXTIME0020170324ed3o0000b", "Platform workers and the meaning of a click", "The Example Times", "2017-03-24", "", "", "en",
				"A lead paragraph in English about platform work.", "A last paragraph."},
		}},
	} {
		data, err := os.ReadFile(filepath.Join("testdata", tc.file))
		if err != nil {
			t.Fatal(err)
		}
		docs, err := formattest.Read(t, FactivaText(), "x/"+tc.file, data)
		if err != nil {
			t.Fatalf("%s: %v", tc.file, err)
		}
		if len(docs) != len(tc.wants) {
			t.Fatalf("%s: %d documents, want %d", tc.file, len(docs), len(tc.wants))
		}
		for i, w := range tc.wants {
			d := docs[i]
			got := want{d.ID, d.Title, d.Source, d.Date, d.Section, strings.Join(d.Authors, "|"), string(d.Lang), "", ""}
			if len(d.Paragraphs) > 0 {
				got.first, got.last = d.Paragraphs[0].Text, d.Paragraphs[len(d.Paragraphs)-1].Text
			}
			if got != w {
				t.Errorf("%s #%d:\n got %+v\nwant %+v", tc.file, i+1, got, w)
			}
		}
	}
}

// TestLexisNexisRTF checks a LexisNexis RTF download.
func TestLexisNexisRTF(t *testing.T) {
	rtf := `{\rtf1\ansi\ansicpg1252{\fonttbl{\f0 Times;}}\pard\qc 1 of 1 DOCUMENTS\par\par The Times\par\par March 2, 2017 Thursday\par\par\pard\ql Caf\'e9 workers\par\par BYLINE: Jane Doe\par\par LENGTH: 3 words\par\par Some caf\'e9 text.\par\par LOAD-DATE: March 3, 2017\par}`
	if !LexisNexisText().Detect("x.rtf", []byte(rtf)) {
		t.Error("LexisNexisText.Detect(RTF download) = false")
	}
	d, err := formattest.ReadOne(t, LexisNexisText(), "x.rtf", []byte(rtf))
	if err != nil {
		t.Fatal(err)
	}
	if d.Title != "Café workers" || d.Source != "The Times" || d.Date != "2017-03-02" || d.Text() != "Some café text." || strings.Join(d.Authors, "|") != "Jane Doe" {
		t.Errorf("got title %q, source %q, date %q, text %q, authors %q", d.Title, d.Source, d.Date, d.Text(), d.Authors)
	}
}

// TestNexisUniText checks the text of a Nexis Uni download (a cover page;
// publication and date line, header fields, trailer fields with no blank
// line between them; "Body" and "End of Document" around each document;
// CRLF).
func TestNexisUniText(t *testing.T) {
	data, err := os.ReadFile("testdata/nexis-uni.txt")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := formattest.Read(t, LexisNexisText(), "nexis-uni.txt", data)
	if err != nil || len(docs) != 2 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	d := docs[0]
	got := []string{d.Title, d.Source, d.Date, d.Section, strings.Join(d.Authors, "|"), d.Text()}
	want := []string{"Ghost workers power the AI boom", "The Example Post", "2019-12-19", "BUSINESS", "Jane Roe|John Doe",
		"Data labelers in many countries do the work that trains the systems.\n\nA second paragraph about the pay."}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if d := docs[1]; d.Title != "Un second titre" || d.Source != "Le Monde Example" || d.Date != "2017-03-22" || d.Text() != "Un paragraphe en français." {
		t.Errorf("second document = %+v", d)
	}
}

// TestLexisNexisText checks the fields of a LexisNexis Academic text
// export (the structure of LexisNexisTools' sample.TXT: a download
// request, centred document numbers, publications and date lines, an
// edition under the date, paragraphs wrapped at a fixed width, CRLF line
// ends, Windows-1252).
func TestLexisNexisText(t *testing.T) {
	data, err := os.ReadFile("testdata/lexisnexis-text.txt")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := formattest.Read(t, LexisNexisText(), "x/lexisnexis-text.txt", data)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		source, date, section, title, authors, lang, first string
	}
	wants := []want{
		{"Le Monde", "2017-03-22", "ECONOMIE", "Les plateformes et le travail du clic", "Claire Martin|Paul Durand", "fr",
			"Un premier paragraphe de l'article, coupé à une largeur fixe comme le fait l'export texte, qui continue sur la ligne suivante."},
		{"The Times", "2017-03-24", "NEWS", "Platform workers and the meaning of a click", "Tom Example", "en",
			"A first paragraph in English about platform work, wrapped over two lines by the export."},
		{"Les Echos", "2017-03-25", "", "Un titre sans auteur", "", "fr", "Le texte d'une brève, sans signature."},
	}
	if len(docs) != len(wants) {
		t.Fatalf("Read gave %d documents, want %d", len(docs), len(wants))
	}
	for i, w := range wants {
		d := docs[i]
		got := want{d.Source, d.Date, d.Section, d.Title, strings.Join(d.Authors, "|"), string(d.Lang), ""}
		if len(d.Paragraphs) > 0 {
			got.first = d.Paragraphs[0].Text
		}
		if got != w {
			t.Errorf("document %d:\n got %+v\nwant %+v", i+1, got, w)
		}
		for _, p := range d.Paragraphs {
			if strings.Contains(p.Text, "Copyright") || strings.Contains(p.Text, "LOAD-DATE") || strings.Contains(p.Text, "Edition 1") {
				t.Errorf("document %d: boilerplate in the body: %q", i+1, p.Text)
			}
		}
	}
	if !slices.Contains(docs[1].Boilerplate, "Edition 1;") {
		t.Errorf("the edition under the date line is not boilerplate: %q", docs[1].Boilerplate)
	}
}

// TestDetect checks that each format claims its own files and no other.
// TestLexisNexisLanguages checks LexisNexis Academic exports in French
// and German (reconstructed from the keywords LexisNexisTools reads:
// "Document 1 de 2", "Dokument 1 von 2", AUTEUR/AUTOR, RUBRIQUE/RUBRIK,
// LANGUE/SPRACHE).
func TestLexisNexisLanguages(t *testing.T) {
	page := func(start, byline, section, length, lang string) string {
		p := func(s string) string { return "<DIV><P>" + s + "</P></DIV>\n" }
		return "<HTML><BODY>\n" + p(start) + p("Die Zeit") + p("22. März 2017") + p("Klickarbeiter") +
			p(byline+": Jeanne DUPONT") + p(section+": Wirtschaft; S. 3") + p(length+": 300 Wörter") +
			p("Ein Text über Plattformarbeit.") + p("LOAD-DATE: March 23, 2017") + p(lang+": GERMAN") + "</BODY></HTML>"
	}
	for _, tc := range []struct{ name, html string }{
		{"fr", page("Document 1 de 2", "AUTEUR", "RUBRIQUE", "LONGUEUR", "LANGUE")},
		{"de", page("Dokument 1 von 2", "AUTOR", "RUBRIK", "LÄNGE", "SPRACHE")},
	} {
		if !LexisNexis().Detect("x.html", []byte(tc.html)) {
			t.Errorf("%s: not detected", tc.name)
		}
		d, err := formattest.ReadOne(t, LexisNexis(), "x.html", []byte(tc.html))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if d.Source != "Die Zeit" || d.Date != "2017-03-22" || d.Title != "Klickarbeiter" || strings.Join(d.Authors, "|") != "Jeanne Dupont" ||
			d.Section != "Wirtschaft" || len(d.Paragraphs) != 1 || d.Paragraphs[0].Text != "Ein Text über Plattformarbeit." {
			t.Errorf("%s: %+v", tc.name, d)
		}
	}
}

func TestDetect(t *testing.T) {
	files := map[string]string{
		"europresse-article.html":   "europresse",
		"europresse-table.html":     "europresse",
		"europresse-latin1.html":    "europresse",
		"europresse-2023.html":      "europresse",
		"factiva-article.html":      "factiva",
		"factiva-coded.html":        "factiva",
		"factiva-print2010.html":    "factiva",
		"factiva-table.rtf":         "factiva-text",
		"factiva-display.txt":       "factiva-text",
		"factiva-coded-alone.txt":   "factiva-text",
		"factiva.xml":               "factiva-xml",
		"lexisnexis-academic.html":  "lexisnexis",
		"lexisnexis-uni.html":       "lexisnexis",
		"lexisnexis-wire.html":      "lexisnexis",
		"lexisnexis-uni-cover.html": "lexisnexis",
		"lexisnexis-text.txt":       "lexisnexis-text",
		"nexis-uni.txt":             "lexisnexis-text",
	}
	generic := []byte(`<!DOCTYPE html><html><head><title>Un blog</title></head><body><article><h1>Titre</h1><p>Un lien vers europresse.</p><p>Voir https://www.europresse.com/fr/ et Factiva.</p></article></body></html>`)
	// An Europresse export whose head (style sheets, scripts) fills the
	// detection window: the viewer's style sheet names it.
	longHead := []byte(`<html><head><META http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"><link href="http://www.bpe.europresse.com/css/CSS_PopupPrint.css" rel="stylesheet"><style>` + strings.Repeat(".x{color:red}", 1000) + `</style></head>`)
	if !Europresse().Detect("export.htm", longHead[:8192]) {
		t.Error("Europresse.Detect(export with a long head) = false")
	}
	// Notes that end or are laid out like exports are not exports.
	notes := []string{
		"# Plan\n\nSection: Methods\n\nSome text.\n\nEnd of Document\n",
		"Notes de lecture\n\nLength: 3 pages\nLoad-Date: none\n",
		"Compte rendu\n\n412 words\n\nA paragraph.\n",
		"Abréviations\n\nHD\n\nPD\n\nAN\n",
	}
	for _, f := range Formats() {
		for _, n := range notes {
			if f.Detect("note.md", []byte(n)) {
				t.Errorf("%s.Detect(%q) = true", f.Name(), n)
			}
		}
		if f.Detect("page.html", generic) {
			t.Errorf("%s.Detect(generic web page) = true", f.Name())
		}
		for file, want := range files {
			data, err := os.ReadFile(filepath.Join("testdata", file))
			if err != nil {
				t.Fatal(err)
			}
			if got := f.Detect(file, formattest.Head(data)); got != (f.Name() == want) {
				t.Errorf("%s.Detect(%s) = %v", f.Name(), file, got)
			}
		}
	}
}

func FuzzEuropresse(f *testing.F) {
	fuzzSeeds(f, "europresse-*.html")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, Europresse(), data)
	})
}

func FuzzFactiva(f *testing.F) {
	fuzzSeeds(f, "factiva-*.html")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, Factiva(), data)
	})
}

func FuzzFactivaXML(f *testing.F) {
	fuzzSeeds(f, "factiva.xml")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, FactivaXML(), data)
	})
}

func FuzzLexisNexis(f *testing.F) {
	fuzzSeeds(f, "lexisnexis-*.html")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, LexisNexis(), data)
	})
}

func FuzzFactivaText(f *testing.F) {
	fuzzSeeds(f, "factiva-*.rtf")
	fuzzSeeds(f, "factiva-*.txt")
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, FactivaText(), data)
	})
}

func FuzzLexisNexisText(f *testing.F) {
	fuzzSeeds(f, "lexisnexis-text.txt")
	fuzzSeeds(f, "nexis-uni.txt")
	f.Add([]byte("1 of 1 DOCUMENTS\n\nThe Times\n\nMarch 2, 2017\n\nHeadline\n\nLENGTH: 3 words\n\nText.\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		fuzzRead(t, LexisNexisText(), data)
	})
}

// fuzzSeeds adds the fixtures matching pattern as seeds.
func fuzzSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(filepath.Join("testdata", pattern))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
}

// fuzzRead reads data through format: it must not panic, and what it
// returns must be an *Error or documents with an id, a title and a date.
func fuzzRead(t *testing.T, format corpus.Format, data []byte) {
	err := format.Read("fuzz.html", bytes.NewReader(data), func(d corpus.Document) error {
		if d.ID == "" || d.Date == "" {
			t.Errorf("document without id or date: %+v", d)
		}
		if d.Published != "" {
			// The time of publication is RFC 3339, on the document's day.
			ts, err := time.Parse(time.RFC3339, d.Published)
			if err != nil || ts.Format(corpus.DateLayout) != d.Date {
				t.Errorf("published %q (%v) is not a time on the day %s", d.Published, err, d.Date)
			}
		}
		return nil
	})
	var perr *Error
	if err != nil && !errors.As(err, &perr) {
		t.Errorf("error %v is not a *press.Error", err)
	}
}
