package wordpress

import (
	"bytes"
	"errors"
	"flag"
	"io"
	"os"
	"strings"
	"testing"
	"testing/iotest"

	"tacheron/corpus"
	"tacheron/corpus/formattest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden pins the documents of each fixture matching testdata/*.xml: run
// with -update to rewrite testdata/NAME.golden.json.
func TestGolden(t *testing.T) {
	formattest.Golden(t, Format(), "testdata/*.xml", 3, *update)
}

// TestWXR12 states what the golden file holds for the WXR 1.2 export.
func TestWXR12(t *testing.T) {
	data, _ := os.ReadFile("testdata/wxr12.xml")
	docs, err := formattest.Read(t, Format(), "wxr12.xml", data)
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, d := range docs {
		titles = append(titles, d.Title)
		for _, p := range d.Paragraphs {
			for _, bad := range []string{"dataLayer", "youtube", "vimeo", "color:red", "commentaire", "wp:", "[caption", "[gallery"} {
				if strings.Contains(p.Text, bad) {
					t.Errorf("%s: paragraph %q holds %q", d.Title, p.Text, bad)
				}
			}
		}
	}
	want := []string{"Qui entraîne les IA ? Les micro-travailleurs", "Digital labor : le syndicalisme qui vient", "À propos",
		"Une brève sans titre, publiée en passant, dont le texte…", "Annonce sans texte"}
	if strings.Join(titles, "|") != strings.Join(want, "|") {
		t.Errorf("titles = %q, want %q", titles, want)
	}
	first := docs[0]
	if first.ID != "https://travail-plateformes.example.org/?p=101" || first.Date != "2017-03-22" ||
		first.URL != "https://travail-plateformes.example.org/2017/03/22/qui-entraine-les-ia/" ||
		first.Source != "Travail & plateformes" || strings.Join(first.Authors, ",") != "Antonio A. Casilli" ||
		strings.Join(first.Tags, ",") != "Recherche,micro-travail,intelligence artificielle" {
		t.Errorf("first post = %+v", first)
	}
	if got := len(first.Paragraphs); got != 4 {
		t.Errorf("first post has %d paragraphs, want 4 (text, two list items, quote): %q", got, first.Paragraphs)
	}
	second := docs[1]
	if second.Kind != corpus.Video || second.Authors[0] != "Paola Tubaro" || len(second.Paragraphs) != 3 ||
		!strings.Contains(second.Paragraphs[2].Text, "contient ]]> au milieu") || !strings.Contains(second.Paragraphs[2].Text, "[sic]") ||
		second.Paragraphs[1].Text != "La salle, pleine" {
		t.Errorf("second post = %+v", second)
	}
	if docs[2].Authors[0] != "ghostwriter" {
		t.Errorf("an author missing from wp:author keeps the login: %q", docs[2].Authors)
	}
	if docs[3].ID != "https://travail-plateformes.example.org/?p=107" {
		t.Errorf("a repeated guid gives id %q, want the site's ?p=107", docs[3].ID)
	}
	if len(docs[4].Paragraphs) != 0 {
		t.Errorf("a post without content has paragraphs %q", docs[4].Paragraphs)
	}
}

// TestWordPressCom reads an export of a WordPress.com blog (its structure:
// wp:base_site_url is "http://wordpress.com/" for every blog, the blog's
// own address is wp:base_blog_url; Gutenberg blocks; attachments, menu
// items, reusable blocks, drafts and trash beside the posts; Co-Authors
// Plus's <category domain="author"> terms).
func TestWordPressCom(t *testing.T) {
	data, err := os.ReadFile("testdata/wpcom.xml")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := formattest.Read(t, Format(), "wpcom.xml", data)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("%d documents, want the two published posts", len(docs))
	}
	// Co-Authors Plus's author terms are the byline, a login read through
	// wp:author, a guest author's slug as a name.
	if got := strings.Join(docs[1].Authors, "|"); got != "Jeanne Invitee|Claire Exemple" || strings.Join(docs[1].Tags, "|") != "Terrain" {
		t.Errorf("co-authored post: authors %q, tags %q", got, docs[1].Tags)
	}
	d := docs[0]
	if d.ID != "https://carnets-exemple.wordpress.com/?p=7" || d.Source != "carnets-exemple.wordpress.com" {
		t.Errorf("id %q, source %q: want the blog's address, not wordpress.com's", d.ID, d.Source)
	}
	var texts []string
	for _, p := range d.Paragraphs {
		texts = append(texts, p.Text)
	}
	want := []string{"Un premier paragraphe du carnet.", "Une légende de photo", "Une citation.", "Une source",
		"Une légende ancienne", "Un dernier paragraphe, sans balise, à l'ancienne."}
	if strings.Join(texts, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs %q, want %q", texts, want)
	}
}

// TestWXR10Terms checks that WXR 1.0's doubled terms (<category> and
// <category domain="category" nicename="…"> for one category, two
// <category domain="tag"> for one tag) give one tag each.
func TestWXR10Terms(t *testing.T) {
	data, err := os.ReadFile("testdata/wxr10.xml")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := formattest.Read(t, Format(), "wxr10.xml", data)
	if err != nil || len(docs) == 0 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	if got := strings.Join(docs[0].Tags, "|"); got != "Labour|mturk" {
		t.Errorf("tags %q, want Labour|mturk", got)
	}
}

func TestEncodings(t *testing.T) {
	data, _ := os.ReadFile("testdata/wxr11-latin1.xml")
	docs, err := formattest.Read(t, Format(), "x.xml", data)
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if d.Title != "Résumé d’un séminaire" || d.Paragraphs[0].Text != "Le séminaire a eu lieu mardi." || d.Tags[0] != "Séminaires" || d.Authors[0] != "Marie Dupont" {
		t.Errorf("latin-1 export = %+v", d)
	}
	// A UTF-8 export with a stray Latin-1 byte and a form feed.
	utf := bytes.Replace(data, []byte(`encoding="ISO-8859-1"`), []byte(`encoding="UTF-8"`), 1)
	utf = bytes.Replace(utf, []byte("R\xe9sum\xe9"), []byte("Résumé"), 1)
	docs, err = formattest.Read(t, Format(), "x.xml", utf)
	if err != nil || docs[0].Title != "Résumé d’un séminaire" {
		t.Errorf("mixed UTF-8 export: %v, %+v", err, docs)
	}
	// Read one byte at a time: runes cut between reads stay whole.
	var got []corpus.Document
	err = Format().Read("x.xml", iotest.OneByteReader(bytes.NewReader(utf)), func(d corpus.Document) error { got = append(got, d); return nil })
	if err != nil || got[0].Title != docs[0].Title {
		t.Errorf("one byte at a time: %v, %+v", err, got)
	}
}

func TestMalformed(t *testing.T) {
	head := `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">` + "\n<channel>\n"
	item := func(body string) string {
		return "<item><title>T</title><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>" + body + "</item>\n"
	}
	tests := []struct {
		name, data string
		line, col  int
		msg        string
	}{
		{"unclosed item", head + "<item><title>T</title>\n</channel></rss>", 5, 11, "malformed XML"},
		{"bad entity", head + "<item><title>A &foo; B</title></item>", 4, 21, "malformed XML"},
		{"truncated", head + "<item><title>T</title>", 4, 23, ""},
		{"no date", head + item("<wp:post_date>0000-00-00 00:00:00</wp:post_date>"), 4, 0, "has no date"},
		{"not rss", `<?xml version="1.0"?>` + "\n<feed xmlns:wp=\"http://wordpress.org/export/1.2/\"></feed>", 2, 0, "starts with <rss>"},
		{"unknown encoding", `<?xml version="1.0" encoding="x-unknown"?>` + "<rss/>", 1, 0, "unknown encoding"},
	}
	for _, tt := range tests {
		_, err := formattest.Read(t, Format(), "bad.xml", []byte(tt.data))
		var se *corpus.SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v, want a SyntaxError", tt.name, err)
			continue
		}
		if se.File != "bad.xml" || se.Line != tt.line || (tt.col > 0 && se.Column != tt.col) || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("%s: %v, want bad.xml:%d:%d: …%s…", tt.name, err, tt.line, tt.col, tt.msg)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{`<?xml version="1.0"?><rss version="2.0" xmlns:wp="http://wordpress.org/export/1.2/">`, true},
		{`<rss xmlns:wp="https://wordpress.org/export/1.0/">`, true},
		{`<?xml version="1.0"?><rss version="2.0"><channel><title>A feed</title>`, false},
		{`<feed xmlns="http://www.w3.org/2005/Atom">`, false},
		{`Plain text about wordpress.org/export/ and <rss`, true},
	}
	for _, tt := range tests {
		if got := Format().Detect("export.xml", []byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

func TestStripShortcodes(t *testing.T) {
	tests := []struct{ in, want string }{
		{`[caption id="a" width="300"]<img src="x"> Légende[/caption]`, ` <img src="x"> Légende `},
		{`avant [embed]https://youtu.be/x[/embed] après`, `avant   après`},
		{`[gallery ids="1,2"] texte`, `  texte`},
		{`[video src="a.mp4" /] texte`, `  texte`},
		{`un [sic] et [1] et [Vidéo] restent`, `un [sic] et [1] et [Vidéo] restent`},
		{`[vc_row][vc_column]Texte[/vc_column][/vc_row]`, `  Texte  `},
		{`[contact-form-7 id="5" title="Contact"]`, ` `},
		{`[audio mp3="x.mp3"][/audio]fin`, ` fin`},
		{`[embed]sans fin`, ` sans fin`},
	}
	for _, tt := range tests {
		if got := stripShortcodes(tt.in); got != tt.want {
			t.Errorf("stripShortcodes(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzWordPress(f *testing.F) {
	for _, name := range []string{"testdata/wxr10.xml", "testdata/wxr11-latin1.xml"} {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`<rss xmlns:wp="http://wordpress.org/export/1.2/"><channel><item><title><![CDATA[a]]]]><![CDATA[>]]></title><wp:post_date>2020-01-01</wp:post_date></item></channel></rss>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Format().Read("fuzz.xml", bytes.NewReader(data), func(d corpus.Document) error {
			if d.Title == "" || len(d.Date) != len(corpus.DateLayout) || d.ID == "" {
				t.Fatalf("incomplete document %+v", d)
			}
			return nil
		})
		var se *corpus.SyntaxError
		if err != nil && (!errors.As(err, &se) || se.Line < 1) && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("error without a line: %v", err)
		}
	})
}
