package web

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/formattest"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// TestGolden reads each saved page and compares the document with
// testdata/NAME.golden.json (rewritten with -update).
func TestGolden(t *testing.T) {
	for _, tc := range []struct {
		file                          string
		title, date, source, url, tag string
		authors                       string
		absent                        []string
	}{
		{"blog-post.html", "Qui entraîne les IA et les drones ? Les internautes (Le Figaro, 22 mars 2017)", "2017-03-22",
			"Antonio A. Casilli", "https://www.casilli.fr/2017/03/22/qui-entraine-les-ia/", "digital labor", "Antonio A. Casilli",
			[]string{"cookies", "Accueil", "Articles récents", "Fièrement propulsé", "Merci pour ce partage"}},
		{"news-og.html", "Ghost workers power the AI boom", "2019-12-19", "the Guardian",
			"https://www.theguardian.com/technology/2019/dec/19/ghost-workers-ai-boom-pay", "Work & careers", "Jane Roe|John Doe",
			[]string{"cookies", "Most viewed", "Privacy policy", "Opinion"}},
		{"2017-03-24-notes.html", "Notes de lecture", "2017-03-24", "", "", "", "", []string{"Accueil"}},
		// A WordPress page with Yoast's JSON-LD @graph: the author is a
		// reference to a Person node, the section a list.
		{"yoast-graph.html", "Un billet sur le travail du clic", "2017-03-22", "Carnets d'exemple",
			"https://carnets.example.org/2017/03/22/un-billet/", "plateformes", "Claire Exemple",
			[]string{"Partager", "commentaire d'un lecteur", "Fièrement propulsé", "Accueil", "Publié le"}},
	} {
		t.Run(tc.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", tc.file))
			if err != nil {
				t.Fatal(err)
			}
			if !Format().Detect(tc.file, data) {
				t.Errorf("Detect(%s) = false", tc.file)
			}
			name := "pages/" + tc.file
			d, err := formattest.ReadOne(t, Format(), name, data)
			if err != nil {
				t.Fatalf("Read: %v", err)
			}
			got := []string{d.ID, d.Title, d.Date, d.Source, d.URL, strings.Join(d.Authors, "|")}
			want := []string{name, tc.title, tc.date, tc.source, tc.url, tc.authors}
			for i := range got {
				if got[i] != want[i] {
					t.Errorf("field %d = %q, want %q", i, got[i], want[i])
				}
			}
			if tc.tag != "" && !contains(d.Tags, tc.tag) {
				t.Errorf("tags %q lack %q", d.Tags, tc.tag)
			}
			if len(d.Paragraphs) < 3 {
				t.Errorf("only %d paragraphs: %q", len(d.Paragraphs), d.Text())
			}
			for _, a := range tc.absent {
				if strings.Contains(d.Text(), a) {
					t.Errorf("page furniture %q in the text", a)
				}
			}
			golden := filepath.Join("testdata", strings.TrimSuffix(tc.file, ".html")+".golden.json")
			formattest.CompareGolden(t, golden, d, *update)
		})
	}
}

// TestPostedLine checks which first lines are a theme's "posted on" line.
func TestPostedLine(t *testing.T) {
	for _, tc := range []struct {
		line string
		want bool
	}{
		{"Publié le 22 mars 2017", true},
		{"Publié le 22 mars 2017 par Claire Exemple", true},
		{"Posted on March 22, 2017 by Jane Doe", true},
		{"Published 2017-03-22", true},
		{"Publié en 2017, le rapport a fait date. Il montre que les plateformes recrutent.", false},
		{"Posted workers in 2017 were many", false},
		{"Le 22 mars 2017, le rapport est sorti.", false},
	} {
		if got := postedLine.MatchString(tc.line); got != tc.want {
			t.Errorf("postedLine(%q) = %v", tc.line, got)
		}
	}
}

// TestJSONLDReferences checks JSON-LD values as Yoast writes them: an
// author given as {"@id": …} pointing to a Person of the @graph, and
// articleSection as a list.
func TestJSONLDReferences(t *testing.T) {
	graph := []map[string]any{
		{"@type": "Article", "author": []any{map[string]any{"@id": "#p1"}, map[string]any{"@id": "#p2", "name": "Named Inline"}}},
		{"@type": "Person", "@id": "#p1", "name": "Claire Exemple"},
		{"@type": "Person", "@id": "#p2", "name": "Other Name"},
	}
	if got := strings.Join(names(resolveIDs(graph[0]["author"], graph)), "|"); got != "Claire Exemple|Named Inline" {
		t.Errorf("authors %q", got)
	}
	if got := names(resolveIDs(map[string]any{"@id": "#unknown"}, graph)); len(got) != 0 {
		t.Errorf("an unknown reference gives authors %q", got)
	}
	for _, tc := range []struct {
		v    any
		want string
	}{{"Terrain", "Terrain"}, {[]any{"Terrain", "Livres"}, "Terrain"}, {[]any{}, ""}, {nil, ""}} {
		if got := first(tc.v); got != tc.want {
			t.Errorf("first(%v) = %q, want %q", tc.v, got, tc.want)
		}
	}
	data, err := os.ReadFile("testdata/yoast-graph.html")
	if err != nil {
		t.Fatal(err)
	}
	d, err := formattest.ReadOne(t, Format(), "yoast-graph.html", data)
	if err != nil {
		t.Fatal(err)
	}
	if d.Section != "Terrain" {
		t.Errorf("section %q, want the first articleSection", d.Section)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func TestDetect(t *testing.T) {
	for _, tc := range []struct {
		head string
		want bool
	}{
		{"<!DOCTYPE html><html><body>x</body></html>", true},
		{"\xef\xbb\xbf<html lang=fr><head><title>t</title>", true},
		{"<!-- saved from url=(0020)https://example.org/ -->\n<html>", true},
		{`<html><body><span class="DocPublicationName">Le Monde</span>`, false},
		{`<html><title>Factiva</title><div class="article enArticle">`, false},
		{"<HTML><BODY><DIV><P><SPAN>1 of 3 DOCUMENTS</SPAN></P>", false},
		{`<?xml version="1.0"?><rss version="2.0"><channel>`, false},
		{`<feed xmlns="http://www.w3.org/2005/Atom">`, false},
		{"title: Note\n---\n# Heading", false},
	} {
		if got := Format().Detect("x.html", []byte(tc.head)); got != tc.want {
			t.Errorf("Detect(%q) = %v, want %v", tc.head, got, tc.want)
		}
	}
}

func TestMalformed(t *testing.T) {
	for _, tc := range []struct{ name, input, want string }{
		{"no date", `<html><head><title>T</title></head><body><p>Un texte assez long pour être lu comme le contenu principal de la page.</p></body></html>`, "pages/undated.html: no publication date"},
		{"no title", `<html><body><p>x</p></body></html>`, "pages/undated.html: no title"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := formattest.ReadOne(t, Format(), "pages/undated.html", []byte(tc.input))
			var werr *Error
			if err == nil || !errors.As(err, &werr) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Read = %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestDay(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"2017-03-22T23:41:07+01:00", "2017-03-22"},
		{"2019-12-19T23:30:00.000Z", "2019-12-19"},
		{"2017-03-22", "2017-03-22"},
		{"22 mars 2017", "2017-03-22"},
		{"hier", ""},
	} {
		if got := day(tc.in); got != tc.want {
			t.Errorf("day(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzWeb(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.html")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Format().Read("2017-03-22-fuzz.html", bytes.NewReader(data), func(d corpus.Document) error {
			if d.ID == "" || d.Date == "" || d.Title == "" {
				t.Errorf("document without id, date or title: %+v", d)
			}
			return nil
		})
		var werr *Error
		if err != nil && !errors.As(err, &werr) {
			t.Errorf("error %v is not a *web.Error", err)
		}
	})
}
