package csv

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

func read(t testing.TB, name string, data []byte) ([]corpus.Document, error) {
	t.Helper()
	var docs []corpus.Document
	err := Format().Read(name, bytes.NewReader(data), func(d corpus.Document) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

// TestGolden pins the documents of each spreadsheet under testdata (rewrite
// with -update).
func TestGolden(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.csv")
	if len(files) < 2 {
		t.Fatal("no fixtures")
	}
	for _, file := range files {
		data, _ := os.ReadFile(file)
		if !Format().Detect(file, data) {
			t.Errorf("%s: not detected", file)
		}
		docs, err := read(t, filepath.Base(file), data)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		got, _ := json.MarshalIndent(docs, "", "  ")
		golden := strings.TrimSuffix(file, ".csv") + ".golden.json"
		if *update {
			os.WriteFile(golden, append(got, '\n'), 0o644)
		}
		want, _ := os.ReadFile(golden)
		if !bytes.Equal(append(got, '\n'), want) {
			t.Errorf("%s: documents differ from %s (rerun with -update and diff):\n%s", file, golden, got)
		}
	}
}

func TestRows(t *testing.T) {
	data, _ := os.ReadFile("testdata/articles-fr.csv")
	docs, err := read(t, "fr.csv", data)
	if err != nil || len(docs) != 2 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	d := docs[0]
	if d.Title != "Les tâcherons du clic" || d.Date != "2017-03-22" || d.Source != "Le Monde, no. 22586" || d.Section != "Idées" ||
		strings.Join(d.Authors, "|") != "Claire Legros|Antonio A. Casilli" || strings.Join(d.Tags, "|") != "micro-travail|IA" ||
		len(d.Paragraphs) != 2 || d.Lang != "fr" || d.Origin != "fr.csv:2" || d.URL != "https://www.lemonde.fr/x.html" {
		t.Errorf("first row = %+v", d)
	}
	if d := docs[1]; d.Date != "2013-10-05" || d.Paragraphs[0].Text != `Un "chauffeur" requalifié.` || d.Origin != "fr.csv:6" {
		t.Errorf("second row = %+v", d)
	}
	data, _ = os.ReadFile("testdata/articles-en.csv")
	docs, err = read(t, "en.csv", data)
	if err != nil || docs[0].ID != "lb-001" || strings.Join(docs[0].Authors, "|") != "Mary L. Gray|Siddharth Suri" ||
		strings.Join(docs[0].Tags, "|") != "ghost work|platforms" || docs[1].Date != "2021-11-30" {
		t.Errorf("English spreadsheet = %+v, %v", docs, err)
	}
	// Windows-1252, as a French Excel saves it.
	docs, err = read(t, "cp.csv", []byte("titre;date;texte\r\nCaf\xe9;01/02/2020;\x93Cit\xe9\x94\r\n"))
	if err != nil || docs[0].Title != "Café" || docs[0].Paragraphs[0].Text != "“Cité”" {
		t.Errorf("Windows-1252 spreadsheet = %+v, %v", docs, err)
	}
}

func TestBadRows(t *testing.T) {
	tests := []struct {
		name, data string
		line       int
		msg        string
	}{
		{"no title column", "name,date\nx,2020-01-01\n", 1, "must name a title and a date"},
		{"no date", "title,date\nA,2020-01-01\nB,\n", 3, `"B" has no date`},
		{"bad date", "title;date\nA;hier\n", 2, `date "hier" is not a date`},
		{"no title", "title,date,body\n,2020-01-01,text\n", 2, "no title"},
		{"too many fields", "title,date\nA,2020-01-01,extra\n", 2, "3 fields, the header names 2"},
		{"bad quote", "title,date\nA,2020-01-01\n\"A\" x,2020-01-01\n", 3, "quote"},
		{"unclosed quote", "title,date\nA,2020-01-01\n\"unclosed,2020-01-02\nB,2020-01-03\n", 3, "quote"},
		{"bad lang", "title,date,lang\nA,2020-01-01,de\n", 2, `lang "de"`},
	}
	for _, tt := range tests {
		_, err := read(t, "bad.csv", []byte(tt.data))
		var se *corpus.SyntaxError
		if !errors.As(err, &se) || se.File != "bad.csv" || se.Line != tt.line || !strings.Contains(se.Msg, tt.msg) {
			t.Errorf("%s: error %v, want bad.csv:%d: …%s…", tt.name, err, tt.line, tt.msg)
		}
	}
}

func TestDetect(t *testing.T) {
	tests := []struct {
		head string
		want bool
	}{
		{"title,date,body\n", true},
		{"\ufeffTitre;Date de publication;Corps\r\n", true},
		{"titre\tdate\n", true},
		{"name,value\n", false},
		{"Titre (Le Monde, 3 mars 2017)\n", false},
		{"# Title, date\n", false},
	}
	for _, tt := range tests {
		if got := Format().Detect("x.csv", []byte(tt.head)); got != tt.want {
			t.Errorf("Detect(%q) = %v, want %v", tt.head, got, tt.want)
		}
	}
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("title,date,body,tags\nA,2020-01-01,b,\"x;y\"\n"))
	f.Add([]byte("titre;date;auteurs\n\"a\"\"b\";3 mars 2020;x\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		err := Format().Read("fuzz.csv", bytes.NewReader(data), func(d corpus.Document) error {
			if d.Title == "" || len(d.Date) != len(corpus.DateLayout) {
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

// BenchmarkRead measures parsing throughput (MB/s) on a spreadsheet of
// about 4 MB.
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("title,date,source,authors,tags,body\n")
	for i := 0; buf.Len() < 4<<20; i++ {
		buf.WriteString(`Les tâcherons du clic,2017-03-22,Le Monde,"A. Casilli; C. Legros",micro-travail,"Les plateformes numériques reposent sur le travail invisible de millions de personnes.` + "\n\n" + `The gig economy extends far beyond ride-hailing."` + "\n")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := Format().Read("bench.csv", bytes.NewReader(data), func(corpus.Document) error { return nil }); err != nil {
			b.Fatal(err)
		}
	}
}
