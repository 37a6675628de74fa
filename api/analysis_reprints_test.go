package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mmcdole/gofeed"

	"tacheron/corpus"
	"tacheron/index/store"
)

// analysisReprints is a corpus with a group of three reprints over two
// months, a pair of reprints, and documents printed once.
type analysisReprints struct {
	records []corpus.Record
	groups  [][]string
}

func newAnalysisReprints() *analysisReprints {
	a := strings.Repeat("Chez Google, il n'y a pas de petites économies : en prouvant qu'il n'est pas un robot, l'internaute "+
		"entraîne les intelligences artificielles des plateformes, pour quelques centimes la tâche. ", 2)
	b := strings.Repeat("Les livreurs des plateformes de repas réclament une tarification minimale de la course et une "+
		"assurance en cas d'accident, et dénoncent la déconnexion sans préavis des coursiers. ", 2)
	c := &analysisReprints{groups: [][]string{{"blog-2017-03-23", "lf-2017-03-22", "revue-2017-05-02"}, {"blog-2018-02-01", "lm-2018-01-10"}}}
	add := func(id, title, source, date, body string) {
		c.records = append(c.records, corpus.Record{ID: id, Title: title, Source: source, Kind: corpus.Press, Date: date, Body: body})
	}
	add("lf-2017-03-22", "Les internautes travaillent aussi pour les géants du Web", "Le Figaro", "2017-03-22", a)
	add("blog-2017-03-23", "Qui entraîne les IA ?", "Blog", "2017-03-23", "Un article du Figaro, reproduit ici.\n"+a)
	add("revue-2017-05-02", "Revue de presse", "Revue", "2017-05-02", a+"\nRepris avec l'accord de l'auteur.")
	add("lm-2018-01-10", "Les livreurs réclament un tarif minimal", "Le Monde", "2018-01-10", b)
	add("blog-2018-02-01", "Livreurs : la colère", "Blog", "2018-02-01", b+"\nPublié d'abord par Le Monde.")
	add("lib-2018-06-05", "Les annotateurs", "Libération", "2018-06-05", "Les annotateurs de données travaillent pour les plateformes depuis chez eux.")
	add("note-2017-03-30", "Une note", "Blog", "2017-03-30", "Une courte note sur les plateformes et le séminaire de la semaine prochaine.")
	c.records[len(c.records)-1].Authors = []string{"Ada Lovelace", "Paul Otlet"}
	return c
}

// live publishes the corpus and serves it.
func (c *analysisReprints) live(t *testing.T) *store.Live {
	t.Helper()
	var lines []string
	for _, r := range c.records {
		data, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(data))
	}
	cp, err := corpus.Open(fstest.MapFS{"docs.jsonl": {Data: []byte(strings.Join(lines, "\n") + "\n")}}, "reprints")
	if err != nil {
		t.Fatal(err)
	}
	live := publishLive(t, cp)
	return live
}

// group returns the group of reprints of id, or id.
func (c *analysisReprints) group(id string) string {
	for i, g := range c.groups {
		if slices.Contains(g, id) {
			return fmt.Sprint("group ", i)
		}
	}
	return id
}

// TestAnalysesCountReprintsOnceOverHTTP checks that trends, co-occurrence,
// the concordance, the exports and the Atom feed count a group of
// reprints once, and every member with collapse=false, against the
// documents holding the word (read from the corpus) and the groups the
// corpus was made with; trends per month equal the search's date facet.
func TestAnalysesCountReprintsOnceOverHTTP(t *testing.T) {
	textFormats(t)
	c := newAnalysisReprints()
	s := newTestServer(t, Options{Searcher: c.live(t)})
	var holding []string
	groups := map[string]bool{}
	for _, r := range c.records {
		if strings.Contains(strings.ToLower(r.Title+" "+r.Body), "plateformes") {
			holding = append(holding, r.ID)
			groups[c.group(r.ID)] = true
		}
	}
	if len(holding) != 7 || len(groups) != 4 {
		t.Fatalf("the corpus holds %d documents with the word, in %d groups; the test wants 7 in 4", len(holding), len(groups))
	}
	for _, collapse := range []string{"", "&collapse=false"} {
		want := len(groups)
		if collapse != "" {
			want = len(holding)
		}
		q := "q=plateformes" + collapse
		res := search(t, s, q+"&related=false&facets=date&date_interval=month")
		if res.Total != want {
			t.Errorf("%s: search total %d, want %d", q, res.Total, want)
		}
		var tr TrendsResponse
		getOK(t, s, "/api/v1/trends?date_interval=month&"+q).json(t, &tr)
		if tr.Series[0].Total != want {
			t.Errorf("%s: trends total %d, want %d", q, tr.Series[0].Total, want)
		}
		facet := counts(res.Facets["date"])
		for _, p := range tr.Series[0].Points {
			if p.Count != facet[p.Period] {
				t.Errorf("%s: trends %s = %d, date facet %d", q, p.Period, p.Count, facet[p.Period])
			}
		}
		// The same with series=, collapse given outside the series.
		v := url.Values{"series": {"q=plateformes"}, "date_interval": {"month"}}
		if collapse != "" {
			v.Set("collapse", "false")
		}
		getOK(t, s, "/api/v1/trends?"+v.Encode()).json(t, &tr)
		if tr.Series[0].Total != want {
			t.Errorf("series=, %s: trends total %d, want %d", q, tr.Series[0].Total, want)
		}

		var co CooccurrenceResponse
		getOK(t, s, "/api/v1/cooccurrence?min_count=1&"+q).json(t, &co)
		if co.Total != want || co.Sampled != want {
			t.Errorf("%s: co-occurrence total %d, sampled %d; want %d", q, co.Total, co.Sampled, want)
		}
		var kw KWICResponse
		getOK(t, s, "/api/v1/kwic?per_page=500&"+q).json(t, &kw)
		docs := map[string]bool{}
		for _, l := range kw.Lines {
			docs[l.ID] = true
		}
		if kw.Documents != want || len(docs) != want {
			t.Errorf("%s: concordance of %d documents, lines from %d; want %d", q, kw.Documents, len(docs), want)
		}

		r := getOK(t, s, "/api/v1/search?format=csv&related=false&"+q)
		rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, row := range rows[1:] {
			ids = append(ids, row[0])
		}
		r = getOK(t, s, "/api/v1/search?format=atom&"+q)
		feed, err := gofeed.NewParser().ParseString(string(r.Body))
		if err != nil {
			t.Fatal(err)
		}
		var entries []string
		for _, it := range feed.Items {
			id := strings.TrimPrefix(it.GUID, "urn:tacheron:document:")
			entries = append(entries, id)
			// An entry's authors are the document's, or its source.
			var authors []string
			for _, a := range it.Authors {
				authors = append(authors, a.Name)
			}
			i := slices.IndexFunc(c.records, func(r corpus.Record) bool { return r.ID == id })
			want := c.records[i].Authors
			if len(want) == 0 {
				want = []string{c.records[i].Source}
			}
			if !slices.Equal(authors, want) {
				t.Errorf("%s: entry %s: authors %q, want %q", q, id, authors, want)
			}
		}
		for what, got := range map[string][]string{"csv export": ids, "atom feed": entries} {
			if len(got) != want {
				t.Errorf("%s: %s of %d documents, want %d", q, what, len(got), want)
			}
			seen := map[string]string{}
			for _, id := range got {
				if g := c.group(id); seen[g] != "" && collapse == "" {
					t.Errorf("%s: %s holds %s and %s, reprints of each other", q, what, seen[g], id)
				}
				seen[c.group(id)] = id
			}
		}
	}
}
