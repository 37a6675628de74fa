package corpus

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"tacheron/corpus/analysis"
)

var update = flag.Bool("update", false, "rewrite golden files")

// bundledDocs loads the bundled corpus.
func bundledDocs(t *testing.T) []Document {
	t.Helper()
	c, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

// goldenDoc is what the golden file pins of a document.
type goldenDoc struct {
	ID          string       `json:"id"`
	Title       string       `json:"title"`
	Source      string       `json:"source"`
	Kind        Kind         `json:"kind"`
	Date        string       `json:"date"`
	DateFrom    string       `json:"date_from,omitempty"`
	DateTo      string       `json:"date_to,omitempty"`
	Lang        string       `json:"lang"`
	TitleLang   string       `json:"title_lang"`
	Paragraphs  []string     `json:"paragraphs"` // lang: first words
	Concepts    []ConceptHit `json:"concepts"`
	Parent      string       `json:"parent,omitempty"`
	Mentions    []string     `json:"mentions,omitempty"`
	Boilerplate int          `json:"boilerplate_lines,omitempty"`
	Origin      string       `json:"origin"`
}

// TestSegmentationGolden pins the whole segmentation of the bundled archive.
// Run with -update to rewrite testdata/segmentation.golden.json.
func TestSegmentationGolden(t *testing.T) {
	var got []goldenDoc
	for _, d := range bundledDocs(t) {
		g := goldenDoc{
			ID: d.ID, Title: d.Title, Source: d.Source, Kind: d.Kind, Date: d.Date,
			DateFrom: d.DateFrom, DateTo: d.DateTo, Lang: string(d.Lang), TitleLang: string(d.TitleLang),
			Concepts: d.Concepts, Parent: d.Parent, Mentions: d.Mentions,
			Boilerplate: len(d.Boilerplate), Origin: d.Origin,
		}
		for _, p := range d.Paragraphs {
			words := strings.Fields(p.Text)
			g.Paragraphs = append(g.Paragraphs, string(p.Lang)+": "+strings.Join(words[:min(8, len(words))], " "))
		}
		got = append(got, g)
	}
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "segmentation.golden.json")
	if *update {
		if err := os.WriteFile(golden, append(data, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update)", err)
	}
	if string(want) != string(data)+"\n" {
		t.Errorf("segmentation differs from %s; run go test ./corpus -run Golden -update and review the diff", golden)
	}
}

// TestBundledPosts checks the posts of the bundled archive against the
// issue's table.
func TestBundledPosts(t *testing.T) {
	docs := bundledDocs(t)
	manifest := Manifest{}
	data, err := bundled.ReadFile("data/casilli-blog-2017-03.manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(data, &manifest); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		title, source, kind, date string
	}{
		{"[Vidéo] Digital labor : le syndicalisme qui vient", manifest.DefaultSource, "video", "2017-03-29"},
		{"Marché du travail : entre automation", "Alternatives Economiques", "press", "2017-03-28"},
		{"[Séminaire #ecnEHESS] Mary L. Gray", "EHESS", "seminar", "2017-04-10"},
		{"Qui entraîne les IA et les drones ?", "Le Figaro", "press", "2017-03-22"},
		{"Le micro-travail : des corvées", "01net", "press", "2017-03-22"},
		{"Inscrire dans le Code du travail le digital labor", "Slate", "press", "2017-03-19"},
		{"Ailleur dans les médias", manifest.DefaultSource, "press-review", ""},
		{"Digital labor, privilège et invisibilisation", "Le Monde", "interview", "2017-03-11"},
		{"[Séminaire #ecnEHESS] Nikos Smyrnaios", "EHESS", "seminar", "2017-03-20"},
	}
	var posts []Document
	mentions := 0
	for _, d := range docs {
		if d.Kind == Mention {
			mentions++
			continue
		}
		posts = append(posts, d)
	}
	if len(posts) != len(want) {
		t.Fatalf("%d posts, want %d", len(posts), len(want))
	}
	if mentions != 16 {
		t.Errorf("%d mentions, want 16", mentions)
	}
	for i, w := range want {
		p := posts[i]
		if !strings.HasPrefix(p.Title, w.title) || p.Source != w.source || string(p.Kind) != w.kind {
			t.Errorf("post %d = %q (%s, %s), want %q… (%s, %s)", i+1, p.Title, p.Source, p.Kind, w.title, w.source, w.kind)
		}
		if w.date != "" && p.Date != w.date {
			t.Errorf("post %q dated %s, want %s", p.Title, p.Date, w.date)
		}
		if !strings.HasPrefix(p.ID, p.Date+"-") {
			t.Errorf("post %q: id %q does not start with its date", p.Title, p.ID)
		}
	}
	review := posts[6]
	if review.Date < "2017-01-01" || review.Date > "2017-03-31" || review.DateFrom != "2017-01-01" || review.DateTo != "2017-03-31" {
		t.Errorf("press review dated %s (%s..%s), want inside 2017-01-01..2017-03-31", review.Date, review.DateFrom, review.DateTo)
	}
	if posts[3].ID != "2017-03-22-qui-entraine-les-ia" {
		t.Errorf("Le Figaro post id = %q", posts[3].ID)
	}
}

func TestMentionsAndBoilerplate(t *testing.T) {
	docs := bundledDocs(t)
	byID := map[string]Document{}
	var review Document
	for _, d := range docs {
		byID[d.ID] = d
		if d.Kind == PressReview {
			review = d
		}
	}
	if len(review.Mentions) != 16 {
		t.Fatalf("press review lists %d mentions, want 16", len(review.Mentions))
	}
	first := byID[review.Mentions[0]]
	if first.Title != "Turc mécanique d’Amazon, comment les travailleurs du clic sont devenus esclaves de la machine" ||
		first.Source != "Cnet" || first.Date != "2017-03-24" || first.Parent != review.ID || first.Kind != Mention {
		t.Errorf("first mention = %+v", first)
	}
	wantSources := map[string]string{
		"Les Sleeping Giants attaquent les «fake news» au portefeuille":       "Mediapart",
		"Un journaliste bloqué sur Wikipédia : le canular, cette idée moisie": "OBS/Rue89",
		"BiTS – Troll": "Arte",
		"Fake news et “travailleurs du clic” : comment la désinformation est devenue un marché mondial": "Méta Média, France TV",
	}
	for _, id := range review.Mentions {
		m := byID[id]
		if want, ok := wantSources[m.Title]; ok && m.Source != want {
			t.Errorf("mention %q: source %q, want %q", m.Title, m.Source, want)
		}
		delete(wantSources, m.Title)
	}
	if len(wantSources) > 0 {
		t.Errorf("mentions not found: %v", wantSources)
	}
	// The press database's menu and copyright are not in the 01net post's
	// text.
	var net Document
	for _, d := range docs {
		if d.Source == "01net" {
			net = d
		}
	}
	for _, junk := range []string{"Réinitialiser la session", "Magazines et revues", "© 2017 01 net", "Certificat émis", "CEDROM", "Facebook specializes", "Presse web"} {
		for _, p := range net.Paragraphs {
			if strings.Contains(p.Text, junk) {
				t.Errorf("01net paragraph holds boilerplate %q: %q", junk, p.Text)
			}
		}
		found := false
		for _, b := range net.Boilerplate {
			found = found || strings.Contains(b, junk)
		}
		if !found {
			t.Errorf("boilerplate %q not kept apart", junk)
		}
	}
	// The seminar carries an English abstract in a French post.
	for _, d := range docs {
		if strings.Contains(d.Title, "Mary L. Gray") {
			langs := map[string]int{}
			for _, p := range d.Paragraphs {
				langs[string(p.Lang)]++
			}
			if d.Lang != "fr" || langs["en"] == 0 || langs["fr"] == 0 {
				t.Errorf("seminar: lang %s, paragraph langs %v; want a French post with English paragraphs", d.Lang, langs)
			}
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, from, to string }{
		{"22 mars 2017", "2017-03-22", "2017-03-22"},
		{"lundi 10 avril 2017", "2017-04-10", "2017-04-10"},
		{"24 févr. 2017", "2017-02-24", "2017-02-24"},
		{"1er janvier 2018", "2018-01-01", "2018-01-01"},
		{"janv.-mars 2017", "2017-01-01", "2017-03-31"},
		{"10-12 mars 2017", "2017-03-10", "2017-03-12"},
		{"28 févr.-3 mars 2017", "2017-02-28", "2017-03-03"},
		{"mars 2017", "2017-03-01", "2017-03-31"},
		{"March 22, 2017", "2017-03-22", "2017-03-22"},
		{"2017-03-22", "2017-03-22", "2017-03-22"},
		{"décembre 2016", "2016-12-01", "2016-12-31"},
		{"31 févr. 2017", "", ""},
		{"2015", "", ""},
		{"INA éditions, 2015", "", ""},
		{"Le Monde", "", ""},
	}
	for _, tt := range tests {
		from, to, ok := ParseDate(tt.in)
		if tt.from == "" {
			if ok {
				t.Errorf("ParseDate(%q) = %v..%v, want no date", tt.in, from, to)
			}
			continue
		}
		if !ok || from.Format(DateLayout) != tt.from || to.Format(DateLayout) != tt.to {
			t.Errorf("ParseDate(%q) = %v..%v (%v), want %s..%s", tt.in, from, to, ok, tt.from, tt.to)
		}
	}
}

func TestTaxonomyMatch(t *testing.T) {
	c, err := Bundled()
	if err != nil {
		t.Fatal(err)
	}
	tax := c.Taxonomy()
	tests := []struct {
		text, lang, concept string
	}{
		{"le micro-travail des plateformes", "fr", "micro-travail"},
		{"les microtâches", "fr", "micro-travail"},
		{"des micro travailleurs", "fr", "micro-travail"},
		{"l’ubérisation du travail", "fr", "uberisation"},
		{"the uberization of work", "en", "uberisation"},
		{"Amazon Mechanical Turk", "en", "micro-travail"},
		{"digital labour", "en", "digital-labor"},
		{"le travail du clic", "fr", "digital-labor"},
		{"AI systems", "en", "intelligence-artificielle"},
		{"les syndicats", "fr", "syndicats"},
	}
	for _, tt := range tests {
		found := false
		for _, m := range tax.Match(tt.text, analysisLang(tt.lang)) {
			found = found || m.Concept == tt.concept
		}
		if !found {
			t.Errorf("Match(%q, %s) misses %s", tt.text, tt.lang, tt.concept)
		}
	}
	// A French "ai" (j'ai) is not artificial intelligence.
	for _, m := range tax.Match("j’ai accordé un entretien", "fr") {
		if m.Concept == "intelligence-artificielle" {
			t.Errorf("j’ai matched %s", m.Concept)
		}
	}
}

func TestTaxonomyNames(t *testing.T) {
	base := Concept{ID: "plateformes", Labels: map[string]string{"fr": "plateformes", "en": "platforms"},
		Variants: []string{"plate-forme", "Deliveroo"}, VariantsByLang: map[analysis.Lang][]string{analysis.English: {"platform"}}}
	for _, tt := range []struct {
		names []string
		ok    bool
	}{
		{nil, true},
		{[]string{"plate-forme"}, true},
		{[]string{"platform"}, true},       // a variant of one language
		{[]string{"platforms"}, true},      // a label
		{[]string{"plates-formes"}, false}, // not a variant: it would match nothing
	} {
		c := base
		c.Names = tt.names
		_, err := NewTaxonomy([]Concept{c})
		if (err == nil) != tt.ok {
			t.Errorf("NewTaxonomy with names %q: error %v, want ok %v", tt.names, err, tt.ok)
		}
	}
	tax, err := NewTaxonomy([]Concept{base})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		a, b string
		lang analysis.Lang
		same bool
	}{
		{"platform", "platforms", analysis.English, true},
		{"plateforme", "Plateformes", analysis.French, true},
		{"trade union", "trade unions", analysis.English, true},
		{"platform", "plateformes", analysis.French, false},
	} {
		if same := tax.Key(tt.a, tt.lang) == tax.Key(tt.b, tt.lang); same != tt.same {
			t.Errorf("Key(%q) == Key(%q) in %s: %v, want %v", tt.a, tt.b, tt.lang, same, tt.same)
		}
	}
}

func TestJSONLines(t *testing.T) {
	good := `{"title":"Les travailleurs du clic","date":"2020-05-04","source":"Le Monde","body":"Le micro-travail des plateformes.\n\nThe gig economy and crowdwork."}
{"id":"custom-1","title":"Uberization","date":"2021-01-02","kind":"press","lang":"en","paragraphs":[{"text":"Uberization of labor."}]}
`
	fsys := fstest.MapFS{"a.jsonl": {Data: []byte(good)}}
	c, err := Open(fsys, "test")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 {
		t.Fatalf("%d documents, want 2", len(docs))
	}
	d := docs[0]
	if d.ID != "2020-05-04-les-travailleurs-du-clic" || d.Kind != Post || len(d.Paragraphs) != 2 ||
		d.Paragraphs[0].Lang != "fr" || d.Paragraphs[1].Lang != "en" || d.Origin != "a.jsonl:1" {
		t.Errorf("first document = %+v", d)
	}
	if got := d.ConceptIDs(); len(got) == 0 {
		t.Errorf("first document has no concept")
	}
	if docs[1].ID != "custom-1" || docs[1].Lang != "en" {
		t.Errorf("second document = %+v", docs[1])
	}
}

func TestMalformedFiles(t *testing.T) {
	tests := []struct {
		name, file, data string
		line             int
	}{
		{"bad json", "x.jsonl", "{\"title\":\"a\",\"date\":\"2020-01-01\"}\n{\"title\": \n", 2},
		{"unknown field", "x.jsonl", "\n\n{\"title\":\"a\",\"date\":\"2020-01-01\",\"colour\":1}\n", 3},
		{"bad date", "x.jsonl", "{\"title\":\"a\",\"date\":\"yesterday\"}\n", 1},
		{"no title", "x.jsonl", "{\"date\":\"2020-01-01\"}\n", 1},
		{"bad kind", "x.jsonl", "{\"title\":\"a\",\"date\":\"2020-01-01\",\"kind\":\"novel\"}\n", 1},
		{"bad lang", "x.jsonl", "{\"title\":\"a\",\"date\":\"2020-01-01\",\"lang\":\"de\"}\n", 1},
		{"duplicate id", "x.jsonl", "{\"id\":\"a\",\"title\":\"a\",\"date\":\"2020-01-01\"}\n{\"id\":\"a\",\"title\":\"b\",\"date\":\"2020-01-02\"}\n", 2},
		{"invalid utf8", "x.jsonl", "{\"title\":\"a\xff\",\"date\":\"2020-01-01\"}\n", 1},
		{"no title line", "x.txt", "Just some text.\nMore text.\n", 1},
		{"text before title", "x.txt", "Header\nAnother line\n\nTitle (Le Monde, 3 mars 2017)\n\nBody.\n", 2},
		{"bad mention", "x.txt", "Revue (mars 2017)\n\n» (hier) Un titre, Slate\n", 3},
	}
	for _, tt := range tests {
		c, err := Open(fstest.MapFS{tt.file: {Data: []byte(tt.data)}}, "dir")
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		_, err = c.Documents(context.Background())
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%s: error %v, want a SyntaxError", tt.name, err)
			continue
		}
		if se.File != filepath.Join("dir", tt.file) || se.Line != tt.line {
			t.Errorf("%s: error at %s:%d, want dir/%s:%d (%v)", tt.name, se.File, se.Line, tt.file, tt.line, err)
		}
	}
}

func TestDerivedIDsAreUnique(t *testing.T) {
	data := `{"title":"Même titre","date":"2020-01-01"}
{"title":"Même titre","date":"2020-01-01"}
`
	c, err := Open(fstest.MapFS{"a.jsonl": {Data: []byte(data)}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	docs, err := c.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if docs[0].ID == docs[1].ID {
		t.Errorf("both documents have id %q", docs[0].ID)
	}
}

func FuzzLoadArchive(f *testing.F) {
	seed, err := bundled.ReadFile("data/casilli-blog-2017-03.txt")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(seed[:4000])
	f.Add([]byte("Titre (Le Monde, 11 mars 2017)\n\nCorps.\n\n» (3 mars 2017) Un titre, Slate\n"))
	f.Add([]byte("(2017)\n\n()\n\n» (\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := ParseArchive("fuzz.txt", data, Manifest{DefaultSource: "d"})
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line < 1 {
				t.Fatalf("error without a line: %v", err)
			}
			return
		}
		for _, d := range docs {
			if d.ID == "" || d.Date == "" || d.Title == "" {
				t.Fatalf("incomplete document %+v", d)
			}
		}
	})
}

func FuzzLoadJSONL(f *testing.F) {
	f.Add([]byte(`{"title":"a","date":"2020-01-01","body":"b"}`))
	f.Add([]byte(`{"id":"x","title":"a","date":"2020-01-01","paragraphs":[{"text":"t","lang":"en"}]}`))
	f.Add([]byte(`{"title":"\u0000","date":"2020-13-01"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		d, err := ParseRecord("fuzz.jsonl", 7, line, Manifest{DefaultSource: "s"})
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) || se.Line != 7 {
				t.Fatalf("error without its line: %v", err)
			}
			return
		}
		if d.ID == "" || d.Title == "" || len(d.Date) != len(DateLayout) {
			t.Fatalf("incomplete document %+v", d)
		}
	})
}

func analysisLang(s string) analysis.Lang { return analysis.Lang(s) }
