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

// TestBuildFindsReprints builds a corpus where a blog post reproduces a
// press article, and checks that each document lists the other as a
// reprint, and that an unrelated one lists none.
func TestBuildFindsReprints(t *testing.T) {
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
	defer s.Close()
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
