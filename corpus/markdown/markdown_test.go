package markdown

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

var update = flag.Bool("update", false, "rewrite golden files")

func read(t testing.TB, name string, data []byte) (corpus.Document, error) {
	t.Helper()
	var docs []corpus.Document
	err := Format().Read(name, bytes.NewReader(data), func(d corpus.Document) error {
		docs = append(docs, d)
		return nil
	})
	if err == nil && len(docs) != 1 {
		t.Fatalf("%s: %d documents, want 1", name, len(docs))
	}
	if err != nil {
		return corpus.Document{}, err
	}
	return docs[0], nil
}

// TestGolden pins the documents of the notes under testdata in
// testdata/notes.golden.json (rewritten with -update).
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*")
	var docs []corpus.Document
	for _, file := range files {
		if strings.HasSuffix(file, ".golden.json") {
			continue
		}
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !Format().Detect(filepath.Base(file), data) {
			t.Errorf("%s: not detected", file)
		}
		d, err := read(t, filepath.Base(file), data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		docs = append(docs, d)
	}
	got, _ := json.MarshalIndent(docs, "", "  ")
	golden := filepath.Join("testdata", "notes.golden.json")
	if *update {
		os.WriteFile(golden, append(got, '\n'), 0o644)
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(append(got, '\n'), want) {
		t.Errorf("documents differ from %s (rerun with -update and diff):\n%s", golden, got)
	}
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
		d, err := read(t, filepath.Base(tt.file), data)
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
		_, err := read(t, tt.file, []byte(tt.data))
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
