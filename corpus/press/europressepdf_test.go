package press

import (
	"errors"
	"strings"
	"testing"
	"time"

	"tacheron/corpus"
)

// europresseText is the pdftotext -layout text of an Europresse PDF
// export: a cover, two articles (the second's on two pages, its paragraph
// cut by the page break), the frame on each page (a running header, the
// notice, a page number). Neutral text of our own.
const europresseText = `                Dossier de presse — Université Exemple

Sommaire

Le Figaro · 22 mars 2017
Les internautes travaillent aussi pour les géants du Web

    Ce document est réservé à l'usage exclusif de l'utilisateur désigné par Université Exemple et ne peut faire
    l'objet d'aucune autre utilisation ou diffusion auprès de tiers. • Service fourni par CEDROM-SNi Inc.

                                        1
` + "\f" + `                Dossier de presse — Université Exemple

Le Figaro, no. 22586
Économie, mercredi 22 mars 2017 1093 mots, p. 28

Les internautes travaillent aussi pour les géants du Web

Elisa BRAUN

Le micro-travail concerne des milliers de personnes.
© 2017 Le Figaro. Tous droits réservés.

Certificat émis le 6 décembre 2026 à UNIVERSITE-EXEMPLE à des fins de visualisation personnelle et temporaire.

news·20170322·LF·1234567

    Ce document est réservé à l'usage exclusif de l'utilisateur désigné par Université Exemple et ne peut faire
    l'objet d'aucune autre utilisation ou diffusion auprès de tiers. • Service fourni par CEDROM-SNi Inc.

                                        2
` + "\f" + `                Dossier de presse — Université Exemple

Le Monde
Idées, jeudi 5 octobre 2017, p. 22

Plateformes : la fin
du salariat ?

Un premier paragraphe sur les coursiers des plate-
formes de livraison, qui

    Ce document est réservé à l'usage exclusif de l'utilisateur désigné par Université Exemple et ne peut faire
    l'objet d'aucune autre utilisation ou diffusion auprès de tiers. • Service fourni par CEDROM-SNi Inc.

                                        3
` + "\f" + `                Dossier de presse — Université Exemple

continue sur cette page.

Photo : AFP

Nom de la source : Le Monde
Type de source : Presse • Journaux
Périodicité : Quotidien

Note(s) :
Une note de la rédaction.
© 2017 SA Le Monde. Tous droits réservés.
news·20171005·LM·5193452

    Ce document est réservé à l'usage exclusif de l'utilisateur désigné par Université Exemple et ne peut faire
    l'objet d'aucune autre utilisation ou diffusion auprès de tiers. • Service fourni par CEDROM-SNi Inc.

                                        4
`

func TestEuropressePDFText(t *testing.T) {
	shared := strings.Replace(europresseText, "news·20170322·LF·1234567\n", "news·20170322·LF·1234567\n\nLibération\nlundi 2 janvier 2017\n\nUn court article\n\nDeux phrases. Voilà.\n\n© 2017 Libération. Tous droits réservés.\nnews·20170102·LI·1\n", 1)
	tests := []struct {
		name string
		text string
		want []string // id|source|date|section|title|authors|paragraphs
	}{
		{"selection", europresseText, []string{
			"news·20170322·LF·1234567|Le Figaro|2017-03-22|Économie|Les internautes travaillent aussi pour les géants du Web|Elisa Braun|Le micro-travail concerne des milliers de personnes.",
			"news·20171005·LM·5193452|Le Monde|2017-10-05|Idées|Plateformes : la fin du salariat ?||Un premier paragraphe sur les coursiers des plateformes de livraison, qui continue sur cette page.",
		}},
		{"a rubric above the title, a browser's frame on two pages", "06/12/2026 14:32 Europresse.com\n\nLe Monde\nmardi 3 janvier 2017, p. 12\n\nAGENDA\n\nLes rendez-vous de la semaine\n\nUn séminaire sur le travail du clic\n\nhttps://nouveau.europresse.com/Search/Reading 1/2\n\f06/12/2026 14:32 Europresse.com\n\nse tiendra jeudi.\n© 2017 Le Monde. Tous droits réservés.\nCertificat émis le 6 décembre 2026\nnews·20170103·LM·9\n\nhttps://nouveau.europresse.com/Search/Reading 2/2\n", []string{
			"news·20170103·LM·9|Le Monde|2017-01-03|AGENDA|Les rendez-vous de la semaine||Un séminaire sur le travail du clic se tiendra jeudi.",
		}},
		{"two articles on one page", shared, []string{
			"news·20170322·LF·1234567|Le Figaro|2017-03-22|Économie|Les internautes travaillent aussi pour les géants du Web|Elisa Braun|Le micro-travail concerne des milliers de personnes.",
			"news·20170102·LI·1|Libération|2017-01-02||Un court article||Deux phrases. Voilà.",
			"news·20171005·LM·5193452|Le Monde|2017-10-05|Idées|Plateformes : la fin du salariat ?||Un premier paragraphe sur les coursiers des plateformes de livraison, qui continue sur cette page.",
		}},
	}
	for _, tt := range tests {
		if !EuropressePDF().Claims(tt.text) {
			t.Errorf("%s: not claimed", tt.name)
		}
		var got []string
		err := EuropressePDF().Split("sel.pdf", tt.text, func(d corpus.Document) error {
			var paras []string
			for _, p := range d.Paragraphs {
				paras = append(paras, p.Text)
			}
			got = append(got, strings.Join([]string{d.ID, d.Source, d.Date, d.Section, d.Title, strings.Join(d.Authors, ","), strings.Join(paras, "¶")}, "|"))
			return nil
		})
		if err != nil || strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: %v\n%s\nwant\n%s", tt.name, err, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
		}
	}
}

func TestEuropressePDFClaims(t *testing.T) {
	tests := []struct {
		text string
		want bool
	}{
		{europresseText, true},
		{"Rapport\n\nNous citons news·20170322·LF·1234567.\n", false},
		{"Certificat émis le 6 décembre 2026\n", false},
		{"Le présent document est protégé par les lois et\nconventions internationales.\nnews·20170322·LF·1\n", true},
		{"This document is protected by international copyright laws.\nnews·20170322·LF·1\n", true},
	}
	for _, tt := range tests {
		if got := EuropressePDF().Claims(tt.text); got != tt.want {
			t.Errorf("Claims(%.40q) = %v, want %v", tt.text, got, tt.want)
		}
	}
}

func TestEuropressePDFErrors(t *testing.T) {
	tests := []struct {
		text, msg string
	}{
		{strings.Replace(europresseText, "Idées, jeudi 5 octobre 2017, p. 22", "Idées", 1), "sel.pdf: article 2 (news·20171005·LM·5193452): page 3: no date line"},
		{"Le Monde\nmardi 3 janvier 2017\n\n© 2017 Le Monde. Tous droits réservés.\nCertificat émis le 1 février 2017\nnews·20170103·LM·1\n", "sel.pdf: article 1 (news·20170103·LM·1): page 1: no title after the date line"},
		{"mardi 3 janvier 2017\n\nTitre\n\nTexte.\n\nCertificat émis le 1 février 2017\nnews·20170103·LM·1\n", "sel.pdf: article 1 (news·20170103·LM·1): page 1: no publication name"},
		// A date that opens a paragraph is not a date line.
		{"Le Monde\nLe 3 janvier 2017, la rédaction a publié\n\nTitre\n\nCertificat émis le 1 février 2017\nnews·20170103·LM·1\n", "sel.pdf: article 1 (news·20170103·LM·1): page 1: no date line"},
	}
	for _, tt := range tests {
		err := EuropressePDF().Split("sel.pdf", tt.text, func(corpus.Document) error { return nil })
		if err == nil || !strings.HasPrefix(err.Error(), tt.msg) {
			t.Errorf("error %v, want %q", err, tt.msg)
		}
	}
}

func FuzzEuropressePDF(f *testing.F) {
	f.Add(europresseText)
	f.Add("Le Monde\nmardi 3 janvier 2017\n\nTitre\n\fTexte\n© 2017 Le Monde. Tous droits réservés.\nnews·20170103·LM·1\n")
	f.Add("\f\f1\n\nnews·20170103·LM·1\fCertificat émis le\n")
	f.Fuzz(func(t *testing.T, text string) {
		if !EuropressePDF().Claims(text) {
			return
		}
		err := EuropressePDF().Split("fuzz.pdf", text, func(d corpus.Document) error {
			if d.ID == "" || d.Title == "" || d.Source == "" {
				t.Errorf("incomplete document %+v", d)
			}
			if _, err := time.Parse(corpus.DateLayout, d.Date); err != nil {
				t.Errorf("date %q", d.Date)
			}
			return nil
		})
		var perr *Error
		if err != nil && (!errors.As(err, &perr) || perr.File != "fuzz.pdf") {
			t.Errorf("error %v is not a *press.Error naming the file", err)
		}
	})
}
