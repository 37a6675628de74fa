package index

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
)

// TestAuthorsAndTags checks that authors and tags are facets and filters
// (matched without case or accents), shown by Document, and that ids with
// URL characters work.
func TestAuthorsAndTags(t *testing.T) {
	data := `{"id":"http://example.org/?p=1","title":"Le micro-travail","date":"2020-01-02","authors":["Antonio A. Casilli","Paola Tubaro"],"tags":["Micro-travail","IA"],"section":"Idées","body":"Les travailleurs du clic."}
{"id":"man-mklost+found.8","title":"Les plateformes","date":"2020-02-03","authors":["Paola Tubaro"],"tags":["plateformes"],"body":"Le travail des plateformes."}
{"title":"Sans auteur","date":"2020-03-04","body":"Le travail sans auteur."}
`
	c, err := corpus.Open(fstest.MapFS{"a.jsonl": {Data: []byte(data)}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	if _, err := Build(context.Background(), c, dir, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	facet := func(res *Result, name string) string {
		var out []string
		for _, f := range res.Facets[name] {
			out = append(out, f.Value+"="+string(rune('0'+f.Count)))
		}
		return strings.Join(out, ",")
	}
	tests := []struct {
		authors, tags []string
		ids           string
		authorFacet   string
		tagFacet      string
	}{
		{nil, nil, "http://example.org/?p=1 man-mklost+found.8 2020-03-04-sans-auteur", "Paola Tubaro=2,Antonio A. Casilli=1", "IA=1,Micro-travail=1,plateformes=1"},
		{[]string{"paola tubaro"}, nil, "http://example.org/?p=1 man-mklost+found.8", "Paola Tubaro=2,Antonio A. Casilli=1", "IA=1,Micro-travail=1,plateformes=1"},
		{[]string{"ANTONIO A. CASILLI"}, []string{"micro-travail"}, "http://example.org/?p=1", "Antonio A. Casilli=1,Paola Tubaro=1", "IA=1,Micro-travail=1"},
		{nil, []string{"Plateformes", "ia"}, "http://example.org/?p=1 man-mklost+found.8", "Paola Tubaro=2,Antonio A. Casilli=1", "IA=1,Micro-travail=1,plateformes=1"},
		{[]string{"Nobody"}, nil, "", "Paola Tubaro=2,Antonio A. Casilli=1,Nobody=0", ""},
	}
	for _, tt := range tests {
		req := Request{Filters: Filters{Authors: tt.authors, Tags: tt.tags}, Sort: SortDateAsc, Limit: 10,
			Facets: []string{FacetAuthor, FacetTag}}
		res, err := s.Search(ctx, req)
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if got := strings.Join(ids, " "); got != tt.ids {
			t.Errorf("authors %q tags %q: hits %q, want %q", tt.authors, tt.tags, got, tt.ids)
		}
		if got := facet(res, FacetAuthor); got != tt.authorFacet {
			t.Errorf("authors %q tags %q: author facet %q, want %q", tt.authors, tt.tags, got, tt.authorFacet)
		}
		if got := facet(res, FacetTag); got != tt.tagFacet {
			t.Errorf("authors %q tags %q: tag facet %q, want %q", tt.authors, tt.tags, got, tt.tagFacet)
		}
	}
	res, err := s.Search(ctx, Request{Query: "micro-travail", Limit: 10})
	if err != nil || len(res.Hits) == 0 {
		t.Fatalf("search: %v, %+v", err, res)
	}
	if h := res.Hits[0]; h.ID != "http://example.org/?p=1" || strings.Join(h.Authors, "|") != "Antonio A. Casilli|Paola Tubaro" || strings.Join(h.Tags, "|") != "Micro-travail|IA" {
		t.Errorf("hit = %+v", h)
	}
	d, err := s.Document(ctx, "http://example.org/?p=1", "")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.Authors, "|") != "Antonio A. Casilli|Paola Tubaro" || strings.Join(d.Tags, "|") != "Micro-travail|IA" || d.Section != "Idées" {
		t.Errorf("document = %+v", d)
	}
}

func TestHitExtra(t *testing.T) {
	tests := []struct{ in, authors, tags, published string }{
		{`{"authors":["A","B"],"tags":["t"],"concepts":[{"id":"x"}],"origin":"f:1"}`, "A|B", "t", ""},
		{`{"tags":["t"],"origin":"f:1"}`, "", "t", ""},
		{`{"authors":["A"],"published":"2017-03-22T09:15:00+01:00","origin":"f:1"}`, "A", "", "2017-03-22T09:15:00+01:00"},
		{`{"published":"2017-03-22T09:15:00Z","concepts":[]}`, "", "", "2017-03-22T09:15:00Z"},
		{`{"published":2017}`, "", "", ""},
		{`{"concepts":[],"origin":"f:1","published":"2017-03-22T09:15:00Z"}`, "", "", ""},
		{`{"authors":["A"`, "", "", ""},
		{``, "", "", ""},
	}
	for _, tt := range tests {
		f := hitExtra([]byte(tt.in))
		if strings.Join(f.authors, "|") != tt.authors || strings.Join(f.tags, "|") != tt.tags || f.published != tt.published {
			t.Errorf("hitExtra(%s) = %q, %q, %q; want %q, %q, %q", tt.in, f.authors, f.tags, f.published, tt.authors, tt.tags, tt.published)
		}
	}
}
