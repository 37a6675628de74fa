package pdf

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"

	"tacheron/corpus/formattest"
	"tacheron/corpus/press"
)

// framedPage is the content stream of a page in Europresse's PDF frame: a
// running header at the top, the lines of the page from below it (""
// leaves a gap: a new paragraph), the notice and the page number at the
// bottom. Text is WinAnsi: "\351" is é, "\267" the middle dot, "\251" ©.
func framedPage(number int, lines []string) string {
	var b strings.Builder
	b.WriteString("BT /F1 9 Tf 72 770 Td (Revue de presse \\227 Universit\\351 Exemple) Tj ET\n")
	b.WriteString("BT /F1 12 Tf 14 TL 72 730 Td\n")
	for _, l := range lines {
		if l == "" {
			b.WriteString("0 -20 Td\n")
			continue
		}
		fmt.Fprintf(&b, "(%s) Tj T*\n", l)
	}
	b.WriteString("ET\n")
	b.WriteString("BT /F1 7 Tf 9 TL 72 60 Td (Ce document est r\\351serv\\351 \\340 l'usage exclusif de l'utilisateur d\\351sign\\351 par Universit\\351 Exemple et ne peut faire) Tj T* ")
	b.WriteString("(l'objet d'aucune autre utilisation ou diffusion aupr\\350s de tiers. \\225 Tous droits r\\351serv\\351s \\225 Service fourni par CEDROM-SNi Inc.) Tj ET\n")
	fmt.Fprintf(&b, "BT /F1 9 Tf 300 30 Td (%d) Tj ET\n", number)
	return b.String()
}

// europressePages are the pages of an Europresse PDF export of three
// articles: the cover, an article over two pages (a paragraph cut by the
// page break, a word hyphenated at a line's end), a web source signed in
// its first paragraph, and a publication shown as a logo (no name above
// its date line). Neutral text of our own.
var europressePages = [][]string{
	{"Sommaire", "", "Documents sauvegard\\351s : 3", "", "Le Figaro \\267 22 mars 2017", "Les internautes travaillent aussi pour les g\\351ants du Web", "",
		"lemonde.fr \\267 20 mars 2017", "Le travail du clic, un monde invisible", "", "Lib\\351ration \\267 5 octobre 2017", "Plateformes : la fin du salariat ?"},
	{"Le Figaro, no. 22586", "\\311conomie, mercredi 22 mars 2017 1093 mots, p. 28", "",
		"Les internautes travaillent aussi pour les g\\351ants", "du Web", "", "Braun, Elisa", "",
		"Le micro-travail concerne des milliers de micro-travail-", "leurs en France, selon une enqu\\352te men\\351e aupr\\350s des", "plateformes.", "",
		"Un deuxi\\350me paragraphe d\\351crit les t\\342ches confi\\351es aux internautes et", "la r\\351mun\\351ration de quelques centimes que les plateformes leur versent pour"},
	{"chaque action accomplie.", "", "Photo : J. Dupont / Le Figaro", "",
		"\\251 2017 Le Figaro. Tous droits r\\351serv\\351s.", "Le pr\\351sent document est prot\\351g\\351 par les lois et conventions internationales sur le droit", "d'auteur et son utilisation est r\\351gie par ces lois et conventions.", "",
		"Certificat \\351mis le 6 d\\351cembre 2026 \\340 UNIVERSITE-EXEMPLE \\340 des fins de visualisation", "personnelle et temporaire.", "", "news\\26720170322\\267LF\\2671234567"},
	{"lemonde.fr (site web)", "lundi 20 mars 2017 - 17:23 UTC +0100 800 mots", "", "Le travail du clic, un monde invisible", "",
		"Par Jean Dupont et Marie Curie", "", "Des milliers de personnes entra\\356nent les intelligences artificielles depuis leur domicile.", "",
		"\\251 2017 SA Le Monde. Tous droits r\\351serv\\351s.", "Le pr\\351sent document est prot\\351g\\351 par les lois et conventions internationales sur le droit", "d'auteur et son utilisation est r\\351gie par ces lois et conventions.", "",
		"Certificat \\351mis le 6 d\\351cembre 2026 \\340 UNIVERSITE-EXEMPLE \\340 des fins de visualisation", "personnelle et temporaire.", "", "news\\26720170320\\267LMF\\267abc123"},
	{"Id\\351es, jeudi 5 octobre 2017, p. 22", "", "Plateformes : la fin du salariat ?", "", "Les plateformes de livraison emploient des coursiers ind\\351pendants.", "",
		"\\251 2017 Lib\\351ration. Tous droits r\\351serv\\351s.", "", "news\\26720171005\\267LI\\267xyz789"},
}

// europressePDF returns the export of europressePages.
func europressePDF() []byte {
	var contents []string
	for i, lines := range europressePages {
		contents = append(contents, framedPage(i+1, lines))
	}
	return makePDFContents(map[string]string{"Title": "Europresse", "CreationDate": "D:20261206120000+01'00'"}, contents)
}

func TestEuropressePDF(t *testing.T) {
	needPoppler(t)
	f := Format(press.EuropressePDF())
	data := europressePDF()
	if os.Getenv("TACHERON_DUMP_PDF") != "" {
		os.WriteFile(os.Getenv("TACHERON_DUMP_PDF"), data, 0o644)
	}
	if !f.Detect("selection.pdf", formattest.Head(data)) {
		t.Fatal("not detected")
	}
	docs, err := formattest.Read(t, f, "selection.pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	type want struct {
		id, source, date, published, section, title, authors string
		paras                                                []string
	}
	wants := []want{
		{"news·20170322·LF·1234567", "Le Figaro", "2017-03-22", "", "Économie", "Les internautes travaillent aussi pour les géants du Web", "Elisa Braun",
			[]string{"Le micro-travail concerne des milliers de micro-travailleurs en France, selon une enquête menée auprès des plateformes.",
				"Un deuxième paragraphe décrit les tâches confiées aux internautes et la rémunération de quelques centimes que les plateformes leur versent pour chaque action accomplie."}},
		{"news·20170320·LMF·abc123", "lemonde.fr", "2017-03-20", "2017-03-20T17:23:00+01:00", "", "Le travail du clic, un monde invisible", "Jean Dupont|Marie Curie",
			[]string{"Des milliers de personnes entraînent les intelligences artificielles depuis leur domicile."}},
		{"news·20171005·LI·xyz789", "Libération", "2017-10-05", "", "Idées", "Plateformes : la fin du salariat ?", "",
			[]string{"Les plateformes de livraison emploient des coursiers indépendants."}},
	}
	if len(docs) != len(wants) {
		t.Fatalf("%d documents, want %d: %+v", len(docs), len(wants), docs)
	}
	for i, w := range wants {
		d := docs[i]
		var paras []string
		for _, p := range d.Paragraphs {
			paras = append(paras, p.Text)
		}
		got := want{d.ID, d.Source, d.Date, d.Published, d.Section, d.Title, strings.Join(d.Authors, "|"), paras}
		if fmt.Sprintf("%q", got) != fmt.Sprintf("%q", w) {
			t.Errorf("article %d =\n%q\nwant\n%q", i+1, got, w)
		}
		if d.Kind != "press" {
			t.Errorf("article %d: kind %q", i+1, d.Kind)
		}
		text := strings.Join(paras, " ")
		for _, frame := range []string{"Revue de presse", "usage exclusif", "CEDROM", "Certificat", "présent document", "©", "Photo", "news·"} {
			if strings.Contains(text, frame) || strings.Contains(d.Title, frame) {
				t.Errorf("article %d: %q left in its text", i+1, frame)
			}
		}
	}
	if b := strings.Join(docs[0].Boilerplate, "|"); !strings.Contains(b, "© 2017 Le Figaro. Tous droits réservés.") || !strings.Contains(b, "Certificat émis le 6 décembre 2026") || !strings.Contains(b, "Photo : J. Dupont / Le Figaro") {
		t.Errorf("boilerplate of article 1 = %q", docs[0].Boilerplate)
	}
}

// TestNotEuropressePDF: a report that merely cites a document number, or
// a selection's notice without one, stays one document.
func TestNotEuropressePDF(t *testing.T) {
	needPoppler(t)
	f := Format(press.EuropressePDF())
	for name, data := range map[string][]byte{
		"2020-01-01-rapport.pdf": makePDF(nil, []string{"Rapport annuel", "", "Nous citons l'article news\\26720170322\\267LF\\2671234567 du Figaro."}),
		"2020-01-01-notice.pdf":  makePDF(nil, []string{"Certificat \\351mis le 6 d\\351cembre 2026", "", "Un texte."}),
	} {
		docs, err := formattest.Read(t, f, name, data)
		if err != nil || len(docs) != 1 || docs[0].ID != name {
			t.Errorf("%s: %d documents, %v", name, len(docs), err)
		}
	}
}

func TestEuropressePDFErrors(t *testing.T) {
	needPoppler(t)
	pages := append([][]string{}, europressePages...)
	pages[3] = append([]string{}, pages[3]...)
	pages[3][1] = "sans date"
	var contents []string
	for i, lines := range pages {
		contents = append(contents, framedPage(i+1, lines))
	}
	_, err := formattest.Read(t, Format(press.EuropressePDF()), "bad.pdf", makePDFContents(nil, contents))
	want := "bad.pdf: article 2 (news·20170320·LMF·abc123): page 4: no date line"
	if err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("error %v, want %q", err, want)
	}
}

// BenchmarkEuropressePDF measures throughput (MB/s) on a 40-article
// export, poppler's runs included.
func BenchmarkEuropressePDF(b *testing.B) {
	if _, err := exec.LookPath("pdftotext"); err != nil {
		b.Fatal("pdftotext not found: install poppler-utils")
	}
	var contents []string
	for i := range 40 {
		for j, lines := range europressePages[1:] {
			contents = append(contents, framedPage(3*i+j+1, lines))
		}
	}
	formattest.Bench(b, Format(press.EuropressePDF()), "bench.pdf", makePDFContents(nil, contents), 120)
}
