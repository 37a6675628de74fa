package csv

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/formattest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// TestGolden pins the documents of each fixture matching testdata/*.csv: run
// with -update to rewrite testdata/NAME.golden.json.
func TestGolden(t *testing.T) {
	formattest.Golden(t, Format(), "testdata/*.csv", 2, *update)
}

func TestRows(t *testing.T) {
	data, _ := os.ReadFile("testdata/articles-fr.csv")
	docs, err := formattest.Read(t, Format(), "fr.csv", data)
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
	docs, err = formattest.Read(t, Format(), "en.csv", data)
	if err != nil || docs[0].ID != "lb-001" || strings.Join(docs[0].Authors, "|") != "Mary L. Gray|Siddharth Suri" ||
		strings.Join(docs[0].Tags, "|") != "ghost work|platforms" || docs[1].Date != "2021-11-30" {
		t.Errorf("English spreadsheet = %+v, %v", docs, err)
	}
	// Windows-1252, as a French Excel saves it.
	docs, err = formattest.Read(t, Format(), "cp.csv", []byte("titre;date;texte\r\nCaf\xe9;01/02/2020;\x93Cit\xe9\x94\r\n"))
	if err != nil || docs[0].Title != "Café" || docs[0].Paragraphs[0].Text != "“Cité”" {
		t.Errorf("Windows-1252 spreadsheet = %+v, %v", docs, err)
	}
}

// TestZotero reads a Zotero CSV export (its columns: Key, Item Type,
// Author "Last, First; …", Title, Publication Title, Abstract Note, Date,
// Manual Tags, Automatic Tags…).
func TestZotero(t *testing.T) {
	data, err := os.ReadFile("testdata/zotero.csv")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := formattest.Read(t, Format(), "zotero.csv", data)
	if err != nil || len(docs) != 3 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	for i, want := range []struct {
		title, date, source, authors, tags, text string
		kind                                     corpus.Kind
	}{
		{"Le travail du clic", "2017-03-22", "Revue d'exemple", "Claire Exemple|Paul Durand", "plateformes|micro-travail",
			"Un résumé de l'article, sur le travail des plateformes.", ""},
		{"Un article de presse", "2018-03-12", "Le Quotidien d'exemple", "Marie Martin", "enquête", "Le résumé d'un article de presse.", corpus.Press},
		{"Une conférence filmée", "2019-05-04", "", "Exemple Studio", "", "", corpus.Video},
	} {
		d := docs[i]
		if d.Title != want.title || d.Date != want.date || d.Source != want.source || strings.Join(d.Authors, "|") != want.authors ||
			strings.Join(d.Tags, "|") != want.tags || d.Text() != want.text || d.Kind != want.kind {
			t.Errorf("row %d = %+v", i+1, d)
		}
	}
}

// TestLastFirst checks which authors are read as "Last, First".
func TestLastFirst(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Exemple, Claire", "Claire Exemple"},
		{"de La Fontaine, Jean", "Jean de La Fontaine"},
		{"Claire Exemple", "Claire Exemple"},
		{"Exemple,", "Exemple,"},
		{"Le Monde, avec l'AFP et Reuters à Paris", "Le Monde, avec l'AFP et Reuters à Paris"},
	} {
		if got := lastFirst(tc.in); got != tc.want {
			t.Errorf("lastFirst(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestPublished checks that a date cell with a time of day and a zone
// gives the time of publication, and one without a zone none.
func TestPublished(t *testing.T) {
	data := "title,date\nA,2017-03-22T23:30:00-05:00\nB,2017-03-22 09:15:00 +0100\nC,2017-03-22 09:15:00\nD,22/03/2017\n"
	docs, err := formattest.Read(t, Format(), "p.csv", []byte(data))
	if err != nil || len(docs) != 4 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	for i, want := range []string{"2017-03-22T23:30:00-05:00", "2017-03-22T09:15:00+01:00", "", ""} {
		if d := docs[i]; d.Date != "2017-03-22" || d.Published != want {
			t.Errorf("row %d: date %q, published %q; want 2017-03-22, %q", i+2, d.Date, d.Published, want)
		}
	}
	// A day column and a time column, either of them empty.
	data = "published;title;date\n2017-03-22T23:30:00-05:00;A;2017-03-22\n;B;2017-03-21\n2017-03-20 08:00:00 +0100;C;\n"
	docs, err = formattest.Read(t, Format(), "q.csv", []byte(data))
	if err != nil || len(docs) != 3 {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	for i, want := range [][2]string{{"2017-03-22", "2017-03-22T23:30:00-05:00"}, {"2017-03-21", ""}, {"2017-03-20", "2017-03-20T08:00:00+01:00"}} {
		if d := docs[i]; d.Date != want[0] || d.Published != want[1] {
			t.Errorf("day and time columns, row %d: date %q, published %q; want %q, %q", i+2, d.Date, d.Published, want[0], want[1])
		}
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
		_, err := formattest.Read(t, Format(), "bad.csv", []byte(tt.data))
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
	formattest.Bench(b, Format(), "bench.csv", data, 1)
}
