package press

import (
	"bytes"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// Europresse exports (CEDROM-SNi's "Sauvegarder" / "Exporter" HTML) come in
// two layouts.
//
// The older one puts each article in a table cell: a
// <span class="DocPublicationName">, <span class="DocHeader"> spans (section,
// weekday, date, page), a <span class="TitreArticleVisu"> title, an optional
// byline line, the text, a "© 2012 Le Monde. Tous droits réservés." line,
// "Numéro de document : news·20121004·LM·…" and a certificate table ("Ce
// certificat est émis à … à des fins de visualisation personnelle et
// temporaire").
//
// The current one puts each article in an <article>: a header with
// .rdp__DocPublicationName > .DocPublicationName, .rdp__DocHeader >
// .DocHeader ("Idées, jeudi 5 octobre 2017 1234 mots, p. 22"), .titreArticle
// (p.titreArticleVisu.rdp__articletitle, p.rdp__subtitle), .docAuthors (or a
// p.sm-margin-bottomNews after the title); the text in .DocText >
// .docOcurrContainer; notes in an <aside>; .Doc-LegalInfo (copyright); a
// footer with .publiC-lblCertificatIssuedTo and .publiC-lblNodoc (the
// document number).

// Europresse returns the format of Europresse HTML exports, both layouts.
func Europresse() corpus.Format { return europresse{} }

type europresse struct{}

func (europresse) Name() string { return "europresse" }

// europresseMarkers are strings only an Europresse export holds near its
// start.
var europresseMarkers = [][]byte{
	[]byte("docpublicationname"), []byte("titrearticlevisu"), []byte("public-lblnodoc"),
	[]byte("rdp__docheader"), []byte("cedrom-sni.com/schema"), []byte("<title>europresse"),
	// The viewer's style sheets and images, linked from the head: a head
	// longer than the detection window still names them.
	[]byte("bpe.europresse.com/"), []byte("nouveau.europresse.com/"), []byte("nouveau-europresse-com."),
}

func (europresse) Detect(path string, head []byte) bool {
	lower := bytes.ToLower(head)
	for _, m := range europresseMarkers {
		if bytes.Contains(lower, m) {
			return true
		}
	}
	return false
}

// The roles of the elements of an Europresse article.
const (
	markPub      = "pub"
	markHeader   = "header"
	markTitle    = "title"
	markSubtitle = "subtitle"
	markAuthor   = "author"
	markBody     = "body"
	markDocNum   = "docnum"
	markBoiler   = "boiler"
	markLink     = "link"
)

// europresseMark gives the role of an element of an Europresse export.
func europresseMark(n *html.Node) string {
	switch n.Data {
	case "aside":
		return markBoiler
	case "a":
		if t := textOf(n); strings.Contains(t, "Cet article est paru dans") || strings.Contains(t, "This article appeared in") {
			return markLink
		}
		return ""
	}
	for _, c := range strings.Fields(attr(n, "class")) {
		switch strings.ToLower(c) {
		case "docpublicationname":
			return markPub
		case "docheader":
			return markHeader
		case "titrearticlevisu", "rdp__articletitle", "grandtitre", "titrearticle":
			return markTitle
		case "rdp__subtitle":
			return markSubtitle
		case "docauthors":
			return markAuthor
		case "sm-margin-bottomnews":
			if inTitle(n) {
				return markSubtitle
			}
			return markAuthor
		case "dococurrcontainer", "doctext":
			return markBody
		case "public-lblnodoc":
			return markDocNum
		case "doc-legalinfo", "public-lblcertificatissuedto", "txtcertificat", "apd-sources-date",
			"source-name-apd", "apd-wrapper", "doctitresoussection", "rdp__newsdoc":
			return markBoiler
		}
	}
	return ""
}

// inTitle reports whether n sits in an article's .titreArticle.
func inTitle(n *html.Node) bool {
	for p := n.Parent; p != nil; p = p.Parent {
		if hasClass(p, "titreArticle") {
			return true
		}
	}
	return false
}

func (europresse) Read(path string, r io.Reader, emit func(corpus.Document) error) error {
	root, err := parseHTML(path, r)
	if err != nil {
		return err
	}
	var groups [][]block
	current := false
	for _, art := range findAll(root, func(n *html.Node) bool { return n.Data == "article" }) {
		groups = append(groups, flatten(art, europresseMark))
		current = true
	}
	if !current {
		// The table layout: an article starts at each publication name.
		for _, b := range flatten(root, europresseMark) {
			if b.mark == markPub && (len(groups) == 0 || hasMark(groups[len(groups)-1], markTitle) || hasMark(groups[len(groups)-1], markBody)) {
				groups = append(groups, nil)
			}
			if len(groups) > 0 {
				groups[len(groups)-1] = append(groups[len(groups)-1], b)
			}
		}
	}
	if len(groups) == 0 {
		return &Error{File: path, Msg: `no Europresse article: want <article> elements or <span class="DocPublicationName"> headers`}
	}
	for i, g := range groups {
		doc, err := europresseDoc(path, i+1, g, current)
		if err != nil {
			return err
		}
		if err := emit(doc); err != nil {
			return err
		}
	}
	return nil
}

// hasMark reports whether one of blocks has the mark.
func hasMark(blocks []block, mark string) bool {
	for _, b := range blocks {
		if b.mark == mark {
			return true
		}
	}
	return false
}

// docNumber matches an Europresse document number:
// "news·20170322·UK·20170322×c0049".
var docNumber = regexp.MustCompile(`[A-Za-z]+·(\d{8})·\S+`)

// findDocNumber returns the document number in t, or "".
func findDocNumber(t string) string {
	if !strings.Contains(t, "·") {
		return ""
	}
	return docNumber.FindString(t)
}

// europresseDoc reads the blocks of article n of a file; current says the
// file has the <article> layout, where unmarked lines are the database's.
func europresseDoc(path string, n int, blocks []block, current bool) (corpus.Document, error) {
	var (
		doc                  corpus.Document
		pubRaw               string
		pub, title           []string
		headers, lead, body  []string
		sawTitle, bylineSeen bool
		tail                 bool
		boilerplate          []string
		kicker               string
	)
	boiler := func(t string) { boilerplate = append(boilerplate, t) }
	for _, b := range blocks {
		t := b.text
		if m := findDocNumber(t); m != "" && (b.mark == markDocNum || b.mark == "" || b.mark == markBoiler) {
			if doc.ID == "" || strings.HasPrefix(t, "Numéro de document") {
				doc.ID = m
			}
			boiler(t)
			continue
		}
		if b.mark == markLink {
			if b.href != "" && doc.URL == "" {
				doc.URL = b.href
			}
			boiler(t)
			continue
		}
		if isEuropresseBoilerplate(t) {
			if isDatabaseCopyright(t) || strings.HasPrefix(t, "Note(s)") || t == "Réinitialiser la session" {
				tail = true
			}
			boiler(t)
			continue
		}
		switch b.mark {
		case markPub:
			if len(pub) == 0 {
				pubRaw = b.raw
			}
			pub = append(pub, t)
		case markHeader:
			headers = append(headers, t)
		case markTitle:
			title = append(title, t)
			sawTitle = true
		case markSubtitle:
			// Under the title, a line of names is the byline ("Claire
			// LEGROS et Jean Dupont"), anything else a subtitle.
			if !bylineSeen && len(doc.Authors) == 0 && looksLikeByline(t) && !hasMark(blocks, markAuthor) {
				doc.Authors = append(doc.Authors, splitAuthors(t)...)
				bylineSeen = true
				continue
			}
			// "Face aux lecteurs|Sa carrière…": a kicker and the standfirst.
			for _, part := range strings.Split(t, "|") {
				if part = strings.TrimSpace(part); part != "" {
					lead = append(lead, part)
				}
			}
		case markAuthor:
			doc.Authors = append(doc.Authors, splitAuthors(t)...)
		case markBody:
			if tail {
				boiler(t)
				continue
			}
			if isAdditionalText(t) {
				boiler(t) // the database's heading over a web source's extra text
				continue
			}
			if len(body) == 0 && len(doc.Authors) == 0 && !hasMark(blocks, markAuthor) {
				// Some papers (Le Parisien, Aujourd'hui en France) sign in the
				// first paragraph: "Par Jean Dupont", "Entretien coordonné
				// par Jean Dupont et Marie Curie".
				if m := bodyByline.FindStringSubmatch(t); m != nil && looksLikeByline(m[1]) {
					doc.Authors = splitAuthors(m[1])
					bylineSeen = true
					boiler(t)
					continue
				}
			}
			body = append(body, bodyLines(t)...)
		case markDocNum, markBoiler:
			boiler(t)
		default:
			switch {
			case current && !tail && !sawTitle && len(headers) > 0 && kicker == "":
				kicker = t // a rubric between the date line and the title: "AGENDA"
				boiler(t)
			case tail || current:
				boiler(t)
			case !sawTitle:
				if len(headers) > 0 {
					lead = append(lead, t) // a kicker above the title
				} else {
					boiler(t)
				}
			case !bylineSeen && len(body) == 0 && looksLikeByline(t):
				doc.Authors = append(doc.Authors, splitAuthors(t)...)
				bylineSeen = true
			default:
				body = append(body, t)
			}
		}
	}
	bad := func(msg string) (corpus.Document, error) {
		return corpus.Document{}, &Error{File: path, Article: n, DocID: doc.ID, Msg: msg}
	}
	if len(pub) == 0 {
		return bad(`no publication name (<span class="DocPublicationName">)`)
	}
	doc.Source = cleanSource(pubRaw)
	boilerplate = append(boilerplate, pub[1:]...)
	doc.Title = strings.Join(title, " ")
	if doc.Title == "" {
		return bad(`no title (class "titreArticleVisu")`)
	}
	header := strings.Join(headers, " ")
	if span, ok := findDate(header); ok {
		doc.Date = span.day.Format(corpus.DateLayout)
		if t, ok := findTime(header[span.end:], span.day); ok {
			doc.Published = t.Format(corpus.PublishedLayout)
		}
		doc.Section = strings.Trim(header[:span.start], " ,;-")
		if doc.Section == "" {
			doc.Section = kicker
		}
	} else if m := docNumber.FindStringSubmatch(doc.ID); m != nil {
		day, err := time.Parse("20060102", m[1])
		if err != nil {
			return bad("no date in the header " + quote(header) + " nor in the document number")
		}
		doc.Date = day.Format(corpus.DateLayout)
	} else {
		return bad("no date in the header " + quote(header))
	}
	if len(body) > 0 && sameText(body[0], doc.Title) {
		// Web sources repeat the title as the first paragraph.
		boilerplate = append(boilerplate, body[0])
		body = body[1:]
	}
	for _, p := range append(lead, body...) {
		doc.Paragraphs = append(doc.Paragraphs, corpus.Paragraph{Text: p})
	}
	doc.Boilerplate = boilerplate
	finish(&doc, path, n, analysis.French)
	return doc, nil
}

// escapedMarkup matches HTML tags left as text in an article's body: some
// exports escape the body's markup ("&lt;p&gt;…&lt;/p&gt;"), which then
// reads as "<p>…</p>".
var escapedMarkup = regexp.MustCompile(`(?i)</?(?:p|br|div|span|b|i|em|strong|a|h[1-6]|ul|ol|li|blockquote)\b[^>]*>`)

// inlineLink matches the "(lien : https://…)" that the exports of web
// sources write after a link's text.
var inlineLink = regexp.MustCompile(`\s*\((?:lien|link)\s?:\s*https?://[^\s)]*\)`)

// bodyLines returns a line of an article's body as paragraphs: markup left
// as text is read as HTML, and inline link addresses are dropped.
func bodyLines(t string) []string {
	var lines []string
	if strings.IndexByte(t, '<') >= 0 && escapedMarkup.MatchString(t) {
		if frag, err := html.Parse(strings.NewReader(t)); err == nil {
			for _, b := range flatten(frag, func(*html.Node) string { return "" }) {
				lines = append(lines, b.text)
			}
		}
	}
	if lines == nil {
		lines = []string{t}
	}
	out := lines[:0]
	for _, l := range lines {
		if strings.Contains(l, "(li") {
			l = strings.TrimSpace(inlineLink.ReplaceAllString(l, ""))
		}
		if l != "" {
			out = append(out, l)
		}
	}
	return out
}

// bodyByline matches a byline written as an article's first paragraph:
// "Par Jean Dupont", "Propos recueillis par Marie Curie", "Entretien
// coordonné par Jean Dupont et Marie Curie"; the names are group 1.
var bodyByline = regexp.MustCompile(`^(?i:(?:(?:entretien|propos recueillis|interview|reportage|enquête|textes?)(?: \pL+)? )?par) (\p{Lu}.*)$`)

// isAdditionalText reports whether a line is the heading Europresse puts
// over the extra text of a web source ("[Additional Text]:", "[Texte
// additionnel] :").
func isAdditionalText(t string) bool {
	t = strings.ToLower(strings.TrimRight(t, " :\u00a0"))
	return t == "[additional text]" || t == "[texte additionnel]" || t == "[texte supplémentaire]"
}

// sameText reports whether two lines hold the same words, whatever the
// spacing and case.
func sameText(a, b string) bool {
	return strings.EqualFold(strings.Join(strings.Fields(a), " "), strings.Join(strings.Fields(b), " "))
}

// quote quotes s for a message, shortened.
func quote(s string) string {
	if len(s) > 80 {
		cut := 80
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut] + "…"
	}
	return `"` + s + `"`
}

// isEuropresseBoilerplate reports whether a line is the database's: a
// copyright, certificate or document-number line, a notes heading, the
// viewer's menu.
func isEuropresseBoilerplate(t string) bool {
	if isDatabaseCopyright(t) {
		return true
	}
	for _, p := range []string{"Numéro de document", "Document number", "Certificat émis", "Ce certificat est émis",
		"This certificate", "Date d'émission", "Date of issue", "Le présent document est protégé", "This document is protected",
		"Tous droits réservés", "All rights reserved", "Note(s)", "Réinitialiser la session",
		// The notices of a dossier or a printed selection, and its
		// navigation.
		"Ce document est réservé à l'usage exclusif", "Ce document est réservé à l’usage exclusif",
		"Ce document a été généré", "This document is reserved for the exclusive use", "This document was generated",
		"Retour au sommaire", "Retour en haut", "Back to top", "Back to contents", "Return to table of contents"} {
		if strings.HasPrefix(t, p) {
			return true
		}
	}
	return isPhotoCredit(t)
}

// creditLabel matches the start of a credit line under an article or a
// picture: "Photos : AFP", "Photo: J. Dupont / Le Monde", "Crédit photo :
// DR", "Illustration : Reuters".
var creditLabel = regexp.MustCompile(`^(?i:photos?|cr[ée]dits?(?: photos?)?|illustrations?|infographie|dessin)\s*:\s*\S`)

// sentenceBreak matches a full stop followed by a lower-case word.
var sentenceBreak = regexp.MustCompile(`\. \p{Ll}`)

// isPhotoCredit reports whether t is a credit line: a label and a few
// words of names, not a caption or a sentence that starts with the word.
func isPhotoCredit(t string) bool {
	if len(t) > 100 || strings.ContainsAny(t, "!?") || !creditLabel.MatchString(t) {
		return false
	}
	// A sentence break (a full stop and a lower-case word) makes it a
	// caption; initials ("J. Dupont") do not.
	if sentenceBreak.MatchString(t) {
		return false
	}
	return !strings.HasSuffix(t, ".") || len(strings.Fields(t)) <= 6
}

// databaseCopyright matches the copyright line that closes an article:
// "© 2017 Le Figaro. Tous droits réservés.", not a photo credit ("© AFP").
var databaseCopyright = regexp.MustCompile(`^©\s*(?:\d{4}\b|.*(?i:droits réservés|rights reserved))`)

// isDatabaseCopyright reports whether t is an article's closing copyright
// line.
func isDatabaseCopyright(t string) bool {
	return strings.HasPrefix(t, "©") && databaseCopyright.MatchString(t)
}

// looksLikeByline reports whether a line under a title reads as a byline:
// a few capitalised words ("Jean Dupont", "Braun, Elisa", "Par Marie Curie
// et Jean Dupont"), without sentence punctuation.
func looksLikeByline(t string) bool {
	words := strings.Fields(t)
	if len(words) == 0 || len(words) > 8 || strings.ContainsAny(t, ".!?:«»\"") {
		return false
	}
	capital := 0
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		if unicode.IsUpper(r) {
			capital++
		}
	}
	return 2*capital >= len(words)
}
