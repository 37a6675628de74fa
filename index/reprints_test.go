package index

import (
	"context"
	"encoding/json"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
)

// reprintSnapshot builds and opens a corpus where a blog post reproduces a
// press article, beside an unrelated post.
func reprintSnapshot(t *testing.T) *Snapshot {
	t.Helper()
	article := "Chez Google, il n'y a pas de petites économies. Un internaute veut changer son mot de passe ? " +
		"Alors qu'il pense simplement prouver qu'il n'est pas un robot en cliquant sur un panneau de signalisation " +
		"dans une série d'images, il entraîne les intelligences artificielles développées par l'entreprise. " +
		"L'intelligence artificielle a beau promettre un futur rempli de machines entièrement autonomes, elle a " +
		"encore besoin en coulisses de millions de petites actions humaines, payées quelques centimes la tâche."
	records := []corpus.Record{
		{ID: "news-20170322-LF-1", Title: "Les internautes travaillent aussi pour les géants du Web", Source: "Le Figaro", Kind: corpus.Press, Date: "2017-03-22", Body: article},
		{ID: "blog-2017-03-22", Title: "Qui entraîne les IA ? (Le Figaro, 22 mars 2017)", Source: "Blog", Date: "2017-03-22",
			Body: "Dans Le Figaro de ce jour, un article sur le digital labor.\n\n" + article},
		{ID: "other", Title: "Un autre sujet", Source: "Blog", Date: "2017-03-23",
			Body: strings.Repeat("Le séminaire reprend la semaine prochaine avec une séance consacrée aux plateformes de livraison et à leurs coursiers. ", 3)},
	}
	var lines []string
	for _, r := range records {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(data))
	}
	c, err := corpus.Open(fstest.MapFS{"docs.jsonl": {Data: []byte(strings.Join(lines, "\n") + "\n")}}, "reprints")
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(t.TempDir(), "snap")
	stats, err := Build(context.Background(), c, dir, BuildOptions{BatchSize: 1})
	if err != nil {
		t.Fatal(err)
	}
	if stats.ReprintGroups != 1 {
		t.Errorf("ReprintGroups = %d, want 1", stats.ReprintGroups)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// TestBuildFindsReprints checks that each document of a group of reprints
// lists the other, and that an unrelated one lists none.
func TestBuildFindsReprints(t *testing.T) {
	s := reprintSnapshot(t)
	for id, want := range map[string][]string{
		"news-20170322-LF-1": {"blog-2017-03-22"},
		"blog-2017-03-22":    {"news-20170322-LF-1"},
		"other":              nil,
	} {
		d, err := s.Document(context.Background(), id, "")
		if err != nil {
			t.Fatalf("Document(%s): %v", id, err)
		}
		var got []string
		for _, r := range d.Reprints {
			got = append(got, r.ID)
			if r.Title == "" || r.Date == "" {
				t.Errorf("%s: reprint reference %+v lacks title or date", id, r)
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("Document(%s).Reprints = %q, want %q", id, got, want)
		}
	}
}

// TestSearchCollapsesReprints checks that a group of reprints is one hit,
// counted once in the total and the facets, with the others listed as
// "also in", and that NoCollapse shows every member.
func TestSearchCollapsesReprints(t *testing.T) {
	s := reprintSnapshot(t)
	res, err := s.Search(context.Background(), Request{Query: "intelligences artificielles", Facets: []string{FacetSource}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || len(res.Hits) != 1 {
		t.Fatalf("collapsed: total %d, %d hits; want 1, 1", res.Total, len(res.Hits))
	}
	h := res.Hits[0]
	if len(h.Reprints) != 1 || h.Reprints[0].ID == h.ID {
		t.Errorf("hit %s: reprints %+v, want the other member", h.ID, h.Reprints)
	}
	counted := 0
	for _, fc := range res.Facets[FacetSource] {
		counted += fc.Count
	}
	if counted != 1 {
		t.Errorf("source facet counts %d documents, want 1: %+v", counted, res.Facets[FacetSource])
	}
	// A filter that keeps only the member collapsing would hide finds it.
	for _, source := range []string{"Le Figaro", "Blog"} {
		res, err := s.Search(context.Background(), Request{Query: "intelligences artificielles", Filters: Filters{Sources: []string{source}}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 1 || res.Hits[0].Source != source {
			t.Errorf("source=%s: total %d, hits %+v", source, res.Total, res.Hits)
		}
	}
	res, err = s.Search(context.Background(), Request{Query: "intelligences artificielles", NoCollapse: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 2 || len(res.Hits) != 2 {
		t.Errorf("not collapsed: total %d, %d hits; want 2, 2", res.Total, len(res.Hits))
	}
}
