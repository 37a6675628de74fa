package index

import (
	"context"
	"encoding/json"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
)

// reprintArticle is the text of a press article that a blog post
// reproduces.
const reprintArticle = "Chez Google, il n'y a pas de petites économies. Un internaute veut changer son mot de passe ? " +
	"Alors qu'il pense simplement prouver qu'il n'est pas un robot en cliquant sur un panneau de signalisation " +
	"dans une série d'images, il entraîne les intelligences artificielles développées par l'entreprise. " +
	"L'intelligence artificielle a beau promettre un futur rempli de machines entièrement autonomes, elle a " +
	"encore besoin en coulisses de millions de petites actions humaines, payées quelques centimes la tâche."

// reprintRecords are a press article, a blog post reproducing it and an
// unrelated post.
func reprintRecords() []corpus.Record {
	return []corpus.Record{
		{ID: "news-20170322-LF-1", Title: "Les internautes travaillent aussi pour les géants du Web", Source: "Le Figaro", Kind: corpus.Press, Date: "2017-03-22", Body: reprintArticle},
		{ID: "blog-2017-03-22", Title: "Qui entraîne les IA ? (Le Figaro, 22 mars 2017)", Source: "Blog", Date: "2017-03-22",
			Body: "Dans Le Figaro de ce jour, un article sur le digital labor.\n\n" + reprintArticle},
		{ID: "other", Title: "Un autre sujet", Source: "Blog", Date: "2017-03-23",
			Body: strings.Repeat("Le séminaire reprend la semaine prochaine avec une séance consacrée aux plateformes de livraison et à leurs coursiers. ", 3)},
	}
}

// reprintSnapshot builds and opens a corpus where a blog post reproduces a
// press article, beside an unrelated post.
func reprintSnapshot(t *testing.T) *Snapshot {
	t.Helper()
	s, groups := recordsSnapshot(t, reprintRecords())
	if groups != 1 {
		t.Errorf("ReprintGroups = %d, want 1", groups)
	}
	return s
}

// recordsSnapshot builds and opens a corpus of records; it returns the
// snapshot and the number of groups of reprints the build found.
func recordsSnapshot(t *testing.T, records []corpus.Record) (*Snapshot, int) {
	t.Helper()
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
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, stats.ReprintGroups
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

// TestReprintRepresentativeIsBestRanked checks that a collapsed group is
// shown by the member that ranks first for the query — the one that comes
// first among the group's members when nothing is collapsed — so that the
// press article stands for the group for one query and the blog post for
// another, and that members ranked alike go to the stable order (date,
// then id) whatever the order of the corpus.
func TestReprintRepresentativeIsBestRanked(t *testing.T) {
	records := reprintRecords()
	// Two identical copies of one article, ranked alike by any query.
	twin := "Les livreurs à vélo des plateformes contestent leur statut d'indépendants devant les prud'hommes. " +
		"Ils demandent la requalification de leurs contrats en contrats de travail, avec les cotisations sociales " +
		"qui vont avec, et dénoncent la notation permanente par les clients et l'application qui les pilote."
	twin = strings.Repeat(twin+" ", 2)
	records = append(records,
		corpus.Record{ID: "twin-b", Title: "Livreurs en colère", Source: "Agence", Kind: corpus.Press, Date: "2018-05-02", Body: twin},
		corpus.Record{ID: "twin-a", Title: "Livreurs en colère", Source: "Agence", Kind: corpus.Press, Date: "2018-05-02", Body: twin},
	)
	for _, order := range [][]int{{0, 1, 2, 3, 4}, {4, 3, 2, 1, 0}} {
		var rs []corpus.Record
		for _, i := range order {
			rs = append(rs, records[i])
		}
		s, groups := recordsSnapshot(t, rs)
		if groups != 2 {
			t.Fatalf("order %v: %d groups of reprints, want 2", order, groups)
		}
		members := map[string]bool{"news-20170322-LF-1": true, "blog-2017-03-22": true, "twin-a": true, "twin-b": true}
		shown := map[string]bool{}
		for _, q := range []string{"internautes", "internautes géants", "entraîne", "qui entraîne les IA", "intelligences artificielles", "petites économies", "livreurs requalification", ""} {
			all, err := s.Search(context.Background(), Request{Query: q, NoCollapse: true, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			// The first member of each group among the uncollapsed hits.
			want := map[string]bool{}
			firstOf := map[string]string{}
			for _, h := range all.Hits {
				if !members[h.ID] {
					continue
				}
				g := "twin"
				if !strings.HasPrefix(h.ID, "twin") {
					g = "figaro"
				}
				if _, ok := firstOf[g]; !ok {
					firstOf[g] = h.ID
					want[h.ID] = true
				}
			}
			got, err := s.Search(context.Background(), Request{Query: q, Limit: 50})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			for _, h := range got.Hits {
				if members[h.ID] {
					seen[h.ID] = true
					shown[h.ID] = true
				}
			}
			if !maps.Equal(seen, want) {
				t.Errorf("order %v, %q: groups shown by %v, want %v (the first of each in the uncollapsed hits %v)", order, q, slices.Sorted(maps.Keys(seen)), slices.Sorted(maps.Keys(want)), hitIDs(all.Hits))
			}
			if seen["twin-b"] {
				t.Errorf("order %v, %q: twin-b shown; the twins rank alike, so twin-a (first by id) stands for them", order, q)
			}
		}
		// The queries were chosen so that each of the pair leads once.
		if !shown["news-20170322-LF-1"] || !shown["blog-2017-03-22"] {
			t.Errorf("order %v: representatives shown %v, want both the article and the blog post for some query", order, slices.Sorted(maps.Keys(shown)))
		}
	}
}

// hitIDs returns the ids of hits.
func hitIDs(hits []Hit) []string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return ids
}
