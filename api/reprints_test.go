package api

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
	"tacheron/index/store"
)

// publishLive publishes c in a new store and serves it; the test closes it.
func publishLive(t *testing.T, c *corpus.Corpus) *store.Live {
	t.Helper()
	st := store.Open(t.TempDir())
	if _, err := st.Publish(context.Background(), c, store.PublishOptions{}); err != nil {
		t.Fatal(err)
	}
	live := store.NewLive(st)
	t.Cleanup(func() { live.Close() })
	if _, err := live.Reload(); err != nil {
		t.Fatal(err)
	}
	return live
}

// reprintsLive serves a corpus where a blog post reproduces a press
// article.
func reprintsLive(t *testing.T) *store.Live {
	t.Helper()
	article := strings.Repeat("Chez Google, il n'y a pas de petites économies : en prouvant qu'il n'est pas un robot, "+
		"l'internaute entraîne les intelligences artificielles de l'entreprise, pour quelques centimes la tâche. ", 2)
	var lines []string
	for _, r := range []corpus.Record{
		{ID: "news-20170322-LF-1", Title: "Les internautes travaillent aussi pour les géants du Web", Source: "Le Figaro", Kind: corpus.Press, Date: "2017-03-22", Body: article},
		{ID: "blog-2017-03-22", Title: "Qui entraîne les IA ?", Source: "Blog", Date: "2017-03-22", Body: "Un article du Figaro, reproduit ici.\n\n" + article},
	} {
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
	live := publishLive(t, c)
	return live
}

// TestReprints checks, over the real handler, that a group of reprints is
// one hit with the other member in also_in, two with collapse=false, and
// that each document lists the other in reprints.
func TestReprints(t *testing.T) {
	s := newTestServer(t, Options{Searcher: reprintsLive(t)})
	res := search(t, s, "q=intelligences")
	if res.Total != 1 || len(res.Hits) != 1 || len(res.Hits[0].AlsoIn) != 1 || res.Hits[0].AlsoIn[0].ID == res.Hits[0].ID {
		t.Errorf("collapsed: total %d, hits %+v", res.Total, res.Hits)
	}
	res = search(t, s, "q=intelligences&collapse=false")
	if res.Total != 2 || len(res.Hits) != 2 {
		t.Errorf("collapse=false: total %d, %d hits", res.Total, len(res.Hits))
	}
	for id, other := range map[string]string{"news-20170322-LF-1": "blog-2017-03-22", "blog-2017-03-22": "news-20170322-LF-1"} {
		r := get(t, s, "/api/v1/documents/"+id)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", id, r.Status, r.Body)
		}
		var d Document
		r.json(t, &d)
		if len(d.Reprints) != 1 || d.Reprints[0].ID != other || d.Reprints[0].Source == "" {
			t.Errorf("%s: reprints %+v, want %s", id, d.Reprints, other)
		}
	}
}
