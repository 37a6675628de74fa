package markdown

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

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden pins the documents of the notes under testdata in
// testdata/notes.golden.json (rewritten with -update).
func TestGolden(t *testing.T) {
	var docs []corpus.Document
	for _, file := range formattest.Fixtures(t, "testdata/*", 1) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !Format().Detect(filepath.Base(file), data) {
			t.Errorf("%s: not detected", file)
		}
		d, err := formattest.ReadOne(t, Format(), filepath.Base(file), data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		docs = append(docs, d)
	}
	formattest.CompareGolden(t, filepath.Join("testdata", "notes.golden.json"), docs, *update)
}

func TestNotes(t *testing.T) {
	tests := []struct {
		file, data                           string
		title, date, authors, tags, firstPar string
	}{
		{"testdata/hugo-yaml.md", "", "Les travailleurs du clic", "2019-01-03", "Antonio A. Casilli", "micro-travail|plateformes|Livres",
			"Le livre décrit le digital labor : le travail des tâcherons du clic."},
		{"testdata/hugo-toml.md", "", "Platform cooperativism", "2020-06-15", "Trebor Scholz", "cooperatives", "Workers can own the platforms they work on."},
		{"testdata/2017-03-22-jekyll-post.markdown", "", "Séminaire #ecnEHESS : qui entraîne les IA ?", "2017-03-22", "Paola Tubaro", "seminaire|EHESS",
			"Compte rendu du séminaire, avec un lien et une note1."},
		{"testdata/obsidian-note.md", "", "Ghost Work, notes de lecture", "2023-11-07", "", "lecture|ia",
			"Le livre de Mary L. Gray et Suri parle du travail fantôme."},
		{"testdata/reunion.txt", "", "Réunion du laboratoire", "2013-10-05", "", "", "Nous avons parlé des plateformes et du micro-travail."},
		{"testdata/2017-03-22-compte-rendu.txt", "", "Compte rendu", "2017-03-22", "", "", "Premier paragraphe du compte rendu."},
		{"notes/2021-05-06 idée.md", "Une idée *sans* titre ni front matter.\n\nSuite.", "Une idée sans titre ni front matter.", "2021-05-06", "", "", "Suite."},
		{"a.md", "---\ntitle: Daté en français\ndate: 12 mars 2018\n---\nTexte.", "Daté en français", "2018-03-12", "", "", "Texte."},
		{"latin1.txt", "Caf\xe9 du labo\nDate: 2019-02-01\n\nDes notes \x93entre guillemets\x94.", "Café du labo", "2019-02-01", "", "", "Des notes “entre guillemets”."},
	}
	for _, tt := range tests {
		data := []byte(tt.data)
		if data == nil || tt.data == "" {
			var err error
			if data, err = os.ReadFile(tt.file); err != nil {
				t.Fatal(err)
			}
		}
		d, err := formattest.ReadOne(t, Format(), filepath.Base(tt.file), data)
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if tt.file == "a.md" && d.ID != "a.md" {
			t.Errorf("id %q, want the file's path", d.ID)
		}
		first := ""
		if len(d.Paragraphs) > 0 {
			first = d.Paragraphs[0].Text
		}
		got := []string{d.Title, d.Date, strings.Join(d.Authors, "|"), strings.Join(d.Tags, "|"), first}
		want := []string{tt.title, tt.date, tt.authors, tt.tags, tt.firstPar}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("%s: field %d = %q, want %q", tt.file, i, got[i], want[i])
			}
		}
	}
}

// TestTemplateTags checks that the template syntax of static-site
// generators (Jekyll's Liquid tags, Hugo's shortcodes) and Obsidian's
// callout markers leave the text, and stay in fenced code.
func TestTemplateTags(t *testing.T) {
	note := "---\ntitle: T\ndate: 2019-05-04\n---\n" +
		"Avant {{< figure src=\"/x.png\" title=\"Légende\" >}} après {{% note %}}dedans{{% /note %}}.\n\n" +
		"{% include figure.html src=\"/img/a.png\" caption=\"Une figure\" %}\n\n" +
		"{%- if page.x -%}Conditionnel{%- endif -%}\n\n" +
		"> [!note]+ Un encadré\n> Son contenu.\n\n" +
		"Des accolades {{ à garder }} et un {%pourcentage.\n\n" +
		"```liquid\n{% raw %}gardé{% endraw %}\n```\n"
	d, err := formattest.ReadOne(t, Format(), "n.md", []byte(note))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Paragraphs {
		got = append(got, p.Text)
	}
	want := []string{"Avant après dedans.", "Conditionnel", "Un encadré Son contenu.",
		"Des accolades {{ à garder }} et un {%pourcentage.", "{% raw %}gardé{% endraw %}"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("paragraphs\n got %q\nwant %q", got, want)
	}
}

// TestPublished checks the time of publication of notes: kept, in its
// zone, when the front matter or the date line names a time of day and a
// zone; none when it names no zone (YAML would read it as UTC).
func TestPublished(t *testing.T) {
	tests := []struct{ file, data, date, published string }{
		{"jekyll.md", "---\ntitle: T\ndate: 2017-03-22 23:30:00 -0500\n---\nTexte.", "2017-03-22", "2017-03-22T23:30:00-05:00"},
		{"hugo.md", "---\ntitle: T\nDate: \"2017-03-22T09:15:00+01:00\" # publié\n---\nTexte.", "2017-03-22", "2017-03-22T09:15:00+01:00"},
		{"toml.md", "+++\ntitle = 'T'\ndate = 2017-03-22T09:15:00+01:00\n+++\nTexte.", "2017-03-22", "2017-03-22T09:15:00+01:00"},
		{"pub.md", "---\ntitle: T\npublished: 2017-03-22T08:15:00Z\n---\nTexte.", "2017-03-22", "2017-03-22T08:15:00Z"},
		{"local.md", "---\ntitle: T\ndate: 2017-03-22T23:30:00\n---\nTexte.", "2017-03-22", ""},
		{"tomllocal.md", "+++\ntitle = 'T'\ndate = 2017-03-22T23:30:00\n+++\nTexte.", "2017-03-22", ""},
		{"day.md", "---\ntitle: T\ndate: 2017-03-22\n---\nTexte.", "2017-03-22", ""},
		{"line.txt", "Titre\nDate: 2017-03-22T09:15:00+01:00\n\nTexte.", "2017-03-22", "2017-03-22T09:15:00+01:00"},
		{"2017-03-22-name.txt", "Titre\n\nTexte.", "2017-03-22", ""},
	}
	for _, tt := range tests {
		d, err := formattest.ReadOne(t, Format(), tt.file, []byte(tt.data))
		if err != nil {
			t.Errorf("%s: %v", tt.file, err)
			continue
		}
		if d.Date != tt.date || d.Published != tt.published {
			t.Errorf("%s: date %q, published %q; want %q, %q", tt.file, d.Date, d.Published, tt.date, tt.published)
		}
	}
}

func TestBadNotes(t *testing.T) {
	tests := []struct {
		file, data string
		line       int
		msg        string
	}{
		{"notes.txt", "Un titre\n\nUn texte sans date.", 1, `no date: start the file name with it ("2017-03-22-notes.txt")`},
		{"x.md", "---\ntitle: [unclosed\n---\nText", 2, "front matter: yaml"},
		{"y.md", "+++\ntitle = \n+++\nText", 2, "front matter: toml"},
		{"z.md", "---\ntitle: T\ndate: someday\n---\n", 1, `date "someday" is not a date`},
	}
	for _, tt := range tests {
		_, err := formattest.ReadOne(t, Format(), tt.file, []byte(tt.data))
		var se *corpus.SyntaxError
		if !errors.As(err, &se) || se.File != tt.file || se.Line != tt.line || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("%s: error %v, want %s:%d: …%s…", tt.file, err, tt.file, tt.line, tt.msg)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		path, head string
		want       bool
	}{
		{"a.md", "# Titre", true},
		{"a.TXT", "texte", true},
		{"notes", "---\ntitle: x\n---\n", true},
		{"notes", "plain", false},
		{"a.md", "bin\x00ary", false},
		{"feed.xml", "<rss>", false},
	}
	for _, tt := range tests {
		if got := Format().Detect(tt.path, []byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q, %q) = %v, want %v", tt.path, tt.head, got, tt.want)
		}
	}
}

func FuzzMarkdown(f *testing.F) {
	f.Add("a.md", []byte("---\ntitle: T\ndate: 2020-01-01\ntags: [a, b]\n---\n# H\n\ntext [[x|y]]"))
	f.Add("2020-01-01-a.txt", []byte("Title\nDate: 3 mars 2020\n\nBody"))
	f.Add("b.md", []byte("+++\ntitle = \"T\"\ndate = 2020-01-01\n+++\n"))
	f.Fuzz(func(t *testing.T, name string, data []byte) {
		err := Format().Read(name, bytes.NewReader(data), func(d corpus.Document) error {
			if len(d.Date) != len(corpus.DateLayout) || d.ID != name {
				t.Fatalf("incomplete document %+v", d)
			}
			return nil
		})
		var se *corpus.SyntaxError
		if err != nil && (!errors.As(err, &se) || se.Line < 1) {
			t.Fatalf("error without a line: %v", err)
		}
	})
}
