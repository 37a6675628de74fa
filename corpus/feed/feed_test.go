package feed

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed"

	"tacheron/corpus"
	"tacheron/corpus/formattest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden pins the documents of each fixture matching testdata/*.*: run
// with -update to rewrite testdata/NAME.golden.json.
func TestGolden(t *testing.T) {
	formattest.Golden(t, Format(), "testdata/*.*", 3, *update)
}

func TestFeeds(t *testing.T) {
	tests := []struct {
		file                      string
		n                         int
		id, title, date, source   string
		authors, tags, firstParas string
	}{
		{"rss2.xml", 3, "https://diplab.example.eu/?p=4242", "Le micro-travail en France : « qui sont-ils ? »", "2023-04-13",
			"DiPLab – Digital Platform Labor", "Paola Tubaro", "Publications|micro-travail",
			"Le rapport estime à 260 000 le nombre de micro-travailleurs réguliers.|It was presented in Paris."},
		{"rss1.rdf", 1, "http://labo.example.fr/news/12", "Séminaire : plateformes et travail", "2016-09-28",
			"Laboratoire - Actualités", "Jean Martin", "Séminaire", "Le séminaire reprend à l'automne."},
		{"atom.xml", 3, "tag:news.example.com,2024:/2024/05/data-workers", "Data workers & the AI supply chain", "2024-05-01",
			"Platform Labor Newsroom", "Jane Doe|John Roe", "Artificial intelligence|labour",
			"Data workers label the images that train AI systems.|Kenya|Venezuela"},
		// A YouTube channel's feed (its structure): the text is the Media
		// RSS description.
		{"youtube.xml", 1, "yt:video:abcdefghijk", "Une conférence filmée sur le travail des plateformes", "2017-03-22",
			"Séminaire d'exemple", "Séminaire d'exemple", "",
			"La description de la vidéo, qui résume la conférence.|Une deuxième ligne, sur les intervenants."},
	}
	for _, tt := range tests {
		data, _ := os.ReadFile(filepath.Join("testdata", tt.file))
		docs, err := formattest.Read(t, Format(), tt.file, data)
		if err != nil || len(docs) != tt.n {
			t.Errorf("%s: %d documents, %v; want %d", tt.file, len(docs), err, tt.n)
			continue
		}
		d := docs[0]
		var paras []string
		for _, p := range d.Paragraphs {
			paras = append(paras, p.Text)
		}
		got := []string{d.ID, d.Title, d.Date, d.Source, strings.Join(d.Authors, "|"), strings.Join(d.Tags, "|"), strings.Join(paras, "|")}
		want := []string{tt.id, tt.title, tt.date, tt.source, tt.authors, tt.tags, tt.firstParas}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: field %d = %q, want %q", tt.file, i, got[i], want[i])
			}
		}
	}
	// The entry that names its source; the summary when there is no content.
	data, _ := os.ReadFile("testdata/rss2.xml")
	docs, _ := formattest.Read(t, Format(), "rss2.xml", data)
	if d := docs[1]; d.Source != "Le Monde" || d.Authors[0] != "Antonio Casilli" || d.Paragraphs[0].Text != "Seule la description, échappée, porte le texte." {
		t.Errorf("second RSS item = %+v", d)
	}
	data, _ = os.ReadFile("testdata/youtube.xml")
	if docs, _ := formattest.Read(t, Format(), "youtube.xml", data); len(docs) != 1 || docs[0].Kind != corpus.Video {
		t.Errorf("YouTube entry = %+v, want kind video", docs)
	}
	for _, tc := range []struct {
		link string
		want bool
	}{
		{"https://www.youtube.com/watch?v=abcdefghijk", true},
		{"https://youtu.be/abcdefghijk", true},
		{"https://vimeo.com/123456", true},
		{"https://peertube.example.org/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d", true},
		{"https://vimeo.com/about", false},
		{"https://en.wikipedia.org/w/index.php?title=Video", false},
		{"https://blog.example.org/2017/03/22/youtube-et-nous/", false},
	} {
		if got := isVideo(&gofeed.Item{Link: tc.link}); got != tc.want {
			t.Errorf("isVideo(%s) = %v", tc.link, got)
		}
	}
	data, _ = os.ReadFile("testdata/atom.xml")
	docs, _ = formattest.Read(t, Format(), "atom.xml", data)
	if d := docs[1]; d.Source != "The Cooperative Review" || d.Date != "2024-04-20" || len(d.Paragraphs) != 2 || d.Authors[0] != "Newsroom Desk" {
		t.Errorf("second Atom entry = %+v", d)
	}
}

func TestMalformed(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"truncated", "<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>\n<item><title>x</titl", 3, "malformed feed"},
		{"no date", `<rss version="2.0"><channel><title>F</title><item><title>Undated</title><description>x</description></item></channel></rss>`, 0, `entry 1 ("Undated"): no date`},
		{"bad date", `<rss version="2.0"><channel><title>F</title><item><title>T</title><pubDate>someday</pubDate></item></channel></rss>`, 0, "is not a date"},
		{"not a feed", `<html><body>hi</body></html>`, 1, "not a feed"},
	}
	for _, tt := range tests {
		_, err := formattest.Read(t, Format(), "bad.xml", []byte(tt.data))
		var se *corpus.SyntaxError
		if !errors.As(err, &se) || se.File != "bad.xml" || se.Line != tt.line || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("%s: error %v, want bad.xml:%d: …%s…", tt.name, err, tt.line, tt.msg)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{`<?xml version="1.0"?><rss version="2.0"><channel>`, true},
		{"\ufeff<?xml version=\"1.0\"?>\n<!-- generator -->\n<?xml-stylesheet href=\"a.xsl\"?>\n<rss version=\"0.92\">", true},
		{`<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/">`, true},
		{`<feed xmlns="http://www.w3.org/2005/Atom">`, true},
		{`{"version": "https://jsonfeed.org/version/1.1", "title": "x"}`, true},
		{`{"title": "a", "date": "2020-01-01"}`, false},
		{`<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">`, false},
		{`<html><head><title>rss</title>`, false},
		{`<feed><entry>`, false},
	}
	for _, tt := range tests {
		if got := Format().Detect("x.xml", []byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

func FuzzFeed(f *testing.F) {
	for _, name := range []string{"testdata/rss1.rdf", "testdata/atom.xml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<rss><channel><item><title>a</title><pubDate>Mon, 02 Jan 2006 15:04:05 MST</pubDate></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Format().Read("fuzz.xml", bytes.NewReader(data), func(d corpus.Document) error {
			if d.Title == "" || len(d.Date) != len(corpus.DateLayout) {
				t.Fatalf("incomplete document %+v", d)
			}
			return nil
		})
		var se *corpus.SyntaxError
		if err != nil && !errors.As(err, &se) {
			t.Fatalf("error not naming the file: %v", err)
		}
	})
}
