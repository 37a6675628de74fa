package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/corpus"
)

var update = flag.Bool("update", false, "rewrite the golden files")

func read(t testing.TB, name string, data []byte) (corpus.Document, error) {
	t.Helper()
	var docs []corpus.Document
	err := Format().Read(name, bytes.NewReader(data), func(d corpus.Document) error {
		docs = append(docs, d)
		return nil
	})
	if err != nil {
		return corpus.Document{}, err
	}
	if len(docs) != 1 {
		t.Fatalf("Read(%s) gave %d documents, want 1", name, len(docs))
	}
	return docs[0], nil
}

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
			d, err := read(t, name, data)
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
			out, err := json.MarshalIndent(d, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", strings.TrimSuffix(tc.file, ".html")+".golden.json")
			if *update {
				if err := os.WriteFile(golden, append(out, '\n'), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			wantJSON, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if !bytes.Equal(bytes.TrimSpace(out), bytes.TrimSpace(wantJSON)) {
				t.Errorf("document differs from %s (run go test -update and review the diff)", golden)
			}
		})
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
			_, err := read(t, "pages/undated.html", []byte(tc.input))
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
