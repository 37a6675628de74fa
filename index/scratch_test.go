package index

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"tacheron/corpus"
)

func TestScratch(t *testing.T) {
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	st, err := Build(context.Background(), c, dir, BuildOptions{})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%+v\n", st)
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, q := range []string{"ubérisation", "l'uberisation", "micro-travail", "microtâches", "travail digital", "Mechanical Turk", "Smyrnaios", "Google Books", "Fair Crowd Work", "pénibilité", "Airbnb Uber", "on-demand services", "automation", "Spare5", "smyrn", "automatisaton", "uberization", "captcha", "AI", "unions", "\"digital labor\" -uber", ""} {
		r, err := s.Search(context.Background(), Request{Query: q, Highlight: true, Facets: []string{"source", "date"}, Limit: 3})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("== %q total=%d took=%v words=%v\n", q, r.Total, r.Took, r.Words)
		for _, h := range r.Hits {
			fmt.Printf("   %-45s %.3f %q\n", h.ID, h.Score, h.Highlights["body"])
		}
	}
}

func TestScratchSuggest(t *testing.T) {
	s := openBundled(t)
	for _, q := range []string{"ubé", "micro", "smyr", "digital la", "plat", "uber", "a"} {
		sg, err := s.Suggest(context.Background(), q, 8, "fr")
		if err != nil {
			t.Fatal(err)
		}
		fmt.Printf("%q → %+v\n", q, sg)
	}
	d, err := s.Document(context.Background(), "2017-03-31-ailleur-dans-les-medias", "wikipedia")
	if err != nil {
		t.Fatal(err)
	}
	fmt.Printf("%+v\n", d.Mentions[:2])
	fmt.Println(d.Paragraphs[10].HTML)
}
