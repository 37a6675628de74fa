package index

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
)

// reprintArticles are three texts, each long enough to be signed; the
// first two are reprinted.
var reprintArticles = []string{
	"Chez Google, il n'y a pas de petites économies. Un internaute veut changer son mot de passe ? Alors qu'il pense " +
		"simplement prouver qu'il n'est pas un robot en cliquant sur un panneau de signalisation dans une série d'images, " +
		"il entraîne les intelligences artificielles développées par l'entreprise. Les plateformes ont beau promettre un " +
		"futur rempli de machines autonomes, elles ont encore besoin de millions de petites actions humaines.",
	"Les livreurs à vélo des plateformes de repas se sont réunis devant le siège de l'entreprise pour réclamer une " +
		"tarification minimale de la course et une assurance en cas d'accident. Le collectif dénonce une baisse continue " +
		"des rémunérations depuis deux ans et la déconnexion sans préavis de coursiers jugés trop lents par l'algorithme " +
		"qui attribue les commandes aux travailleurs indépendants de la ville.",
	"Une étude du laboratoire de sociologie décrit le quotidien des annotateurs de données qui étiquettent des images " +
		"pour les plateformes de micro-travail depuis leur domicile. Rémunérés à la tâche, souvent quelques centimes, ils " +
		"enchaînent les consignes sans savoir à quel produit elles serviront ni qui les emploie vraiment, loin des bureaux " +
		"des entreprises clientes et de leurs ingénieurs.",
}

// reprintCorpus is a corpus with two groups of reprints, one across two
// months, beside an article printed once and fillers (some holding
// "plateformes"), more of them than a batch of recordScan.
type reprintCorpus struct {
	records []corpus.Record
	// groups are the ids of each group of reprints.
	groups [][]string
}

func newReprintCorpus() *reprintCorpus {
	c := &reprintCorpus{}
	add := func(id, title, source, date, body string) {
		c.records = append(c.records, corpus.Record{ID: id, Title: title, Source: source, Kind: corpus.Press, Date: date, Body: body})
	}
	add("lf-2017-03-22", "Les internautes travaillent aussi pour les géants du Web", "Le Figaro", "2017-03-22", reprintArticles[0])
	add("blog-2017-03-23", "Qui entraîne les IA ?", "Blog", "2017-03-23", "Dans Le Figaro, un article sur le digital labor.\n"+reprintArticles[0])
	add("revue-2017-05-02", "Revue de presse : le travail du clic", "Revue", "2017-05-02", reprintArticles[0]+"\nRepris avec l'accord de l'auteur.")
	add("lm-2018-01-10", "Les livreurs réclament un tarif minimal", "Le Monde", "2018-01-10", reprintArticles[1])
	add("blog-2018-02-01", "Livreurs : la colère", "Blog", "2018-02-01", reprintArticles[1]+"\nPublié d'abord par Le Monde.")
	add("lib-2018-06-05", "Les annotateurs de l'ombre", "Libération", "2018-06-05", reprintArticles[2])
	c.groups = [][]string{{"blog-2017-03-23", "lf-2017-03-22", "revue-2017-05-02"}, {"blog-2018-02-01", "lm-2018-01-10"}}
	// Fillers: words of a made-up lexicon, so that no two are alike.
	rng := rand.New(rand.NewPCG(7, 16))
	lexicon := make([]string, 3000)
	for i := range lexicon {
		lexicon[i] = fmt.Sprintf("mot%c%c%c%d", 'a'+rng.IntN(26), 'a'+rng.IntN(26), 'a'+rng.IntN(26), i)
	}
	for i := range 700 {
		words := make([]string, 40)
		for j := range words {
			words[j] = lexicon[rng.IntN(len(lexicon))]
		}
		if i%3 == 0 {
			words[rng.IntN(len(words))] = "plateformes"
		}
		date := fmt.Sprintf("%d-%02d-%02d", 2016+i%4, 1+i%12, 1+i%28)
		add(fmt.Sprintf("filler-%03d", i), "Note "+words[0], []string{"Blog", "Le Monde", "Revue"}[i%3], date, strings.Join(words, " ")+".")
	}
	return c
}

// snapshot builds and opens the corpus.
func (c *reprintCorpus) snapshot(t *testing.T) *Snapshot {
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
	dir := filepath.Join(t.TempDir(), "snap")
	if _, err := Build(context.Background(), cp, dir, BuildOptions{}); err != nil {
		t.Fatal(err)
	}
	groups, err := loadReprints(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range groups {
		slices.Sort(g)
	}
	slices.SortFunc(groups, func(a, b []string) int { return strings.Compare(a[0], b[0]) })
	if fmt.Sprint(groups) != fmt.Sprint(c.groups) {
		t.Fatalf("reprint groups %q, want %q", groups, c.groups)
	}
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

// groupOf returns the group of reprints of an id: its index in groups, or
// the id itself.
func (c *reprintCorpus) groupOf(id string) string {
	for i, g := range c.groups {
		if slices.Contains(g, id) {
			return fmt.Sprint("group ", i)
		}
	}
	return id
}

// TestAnalysesCountReprintsOnce checks that trends, co-occurrence, the
// concordance and exports count a group of reprints once (and every
// member with NoCollapse), against the documents that hold the words,
// found by reading every record, and the groups the corpus was made with.
func TestAnalysesCountReprintsOnce(t *testing.T) {
	c := newReprintCorpus()
	s := c.snapshot(t)
	ctx := context.Background()
	for _, q := range []string{"plateformes ", "livreurs ", "intelligences artificielles ", ""} {
		// The independent count: records holding every word as written.
		var holding []corpus.Record
		for _, r := range c.records {
			text := strings.ToLower(r.Title + " " + r.Body)
			if !slices.ContainsFunc(strings.Fields(q), func(w string) bool { return !strings.Contains(text, w) }) {
				holding = append(holding, r)
			}
		}
		groups := map[string]bool{}
		for _, r := range holding {
			groups[c.groupOf(r.ID)] = true
		}
		for _, noCollapse := range []bool{false, true} {
			want := len(groups)
			if noCollapse {
				want = len(holding)
			}
			name := fmt.Sprintf("%q NoCollapse=%v", q, noCollapse)
			search := Request{Query: q, NoCollapse: noCollapse}

			tr, err := s.Trends(ctx, TrendsRequest{Series: []Request{search}, Interval: IntervalMonth})
			if err != nil {
				t.Fatal(err)
			}
			if tr.Series[0].Total != want {
				t.Errorf("%s: trends total %d, want %d", name, tr.Series[0].Total, want)
			}
			// Per month: the date facet of the same search.
			res, err := s.Search(ctx, Request{Query: q, NoCollapse: noCollapse, ExcludeRelated: true, Facets: []string{FacetDate}, FacetSize: MaxFacetSize})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != want {
				t.Errorf("%s: search total %d, want %d", name, res.Total, want)
			}
			for _, p := range tr.Series[0].Points {
				if f := max(0, facetCount(res.Facets[FacetDate], p.Period)); p.Count != f {
					t.Errorf("%s: trends %s: %d, date facet %d", name, p.Period, p.Count, f)
				}
			}

			if q != "" {
				co, err := s.Cooccurrence(ctx, CooccurrenceRequest{Search: search, MinCount: 1})
				if err != nil {
					t.Fatal(err)
				}
				if co.Total != want || co.Sampled != min(want, TermSample) {
					t.Errorf("%s: co-occurrence total %d, sampled %d; want %d", name, co.Total, co.Sampled, want)
				}
				kw, err := s.Concordance(ctx, ConcordanceRequest{Search: search, Limit: MaxConcordancePage})
				if err != nil {
					t.Fatal(err)
				}
				docs := map[string]bool{}
				for _, l := range kw.Lines {
					docs[l.ID] = true
				}
				if kw.Documents != want || kw.Complete && len(docs) != want {
					t.Errorf("%s: concordance of %d documents, lines from %d; want %d", name, kw.Documents, len(docs), want)
				}
			}

			var ids []string
			err = s.Export(ctx, Request{Query: q, NoCollapse: noCollapse, ExcludeRelated: true, Sort: SortDateDesc}, 0,
				func(total, _ int) error {
					if total != want {
						t.Errorf("%s: export total %d, want %d", name, total, want)
					}
					return nil
				}, func(r Record) error {
					ids = append(ids, r.ID)
					return nil
				})
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]string{}
			for _, id := range ids {
				if g := c.groupOf(id); seen[g] != "" && !noCollapse {
					t.Errorf("%s: export holds %s and %s, reprints of each other", name, seen[g], id)
				}
				seen[c.groupOf(id)] = id
			}
			if len(ids) != want {
				t.Errorf("%s: export of %d records, want %d", name, len(ids), want)
			}
		}
	}
}

// TestExportRecordsAreTheStoredDocuments checks every exported record
// against the document store's own decoding, over more documents than a
// batch, in date order, and that a limit within a batch stops it there.
func TestExportRecordsAreTheStoredDocuments(t *testing.T) {
	s := newReprintCorpus().snapshot(t)
	var got []Record
	err := s.Export(context.Background(), Request{Sort: SortDateDesc, NoCollapse: true}, 0, func(int, int) error { return nil },
		func(r Record) error {
			got = append(got, r)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != int(s.all.GetCardinality()) || len(got) <= scanBatch {
		t.Fatalf("%d records for %d documents (want more than %d)", len(got), s.all.GetCardinality(), scanBatch)
	}
	for i, r := range got {
		doc, found, err := s.internalID(r.ID)
		if err != nil || !found {
			t.Fatalf("%s: %v %v", r.ID, found, err)
		}
		rec, err := s.docs.get(doc)
		if err != nil {
			t.Fatal(err)
		}
		var extra struct {
			URL     string   `json:"url"`
			Authors []string `json:"authors"`
		}
		if len(rec.extra) > 0 {
			if err := json.Unmarshal(rec.extra, &extra); err != nil {
				t.Fatal(err)
			}
		}
		abstract, _, _ := strings.Cut(rec.body, "\n")
		want := Record{ID: rec.id, Title: rec.title, Source: rec.source, Kind: rec.kind, Date: rec.date, Lang: rec.lang,
			Concepts: rec.concepts, URL: extra.URL, Authors: extra.Authors, Abstract: abstract, Match: MatchAll}
		if fmt.Sprintf("%#v", r) != fmt.Sprintf("%#v", want) {
			t.Errorf("record %d:\n got %#v\nwant %#v", i, r, want)
		}
		if i > 0 && r.Date > got[i-1].Date {
			t.Errorf("record %d dated %s after %s", i, r.Date, got[i-1].Date)
		}
	}
	n := 0
	limit := scanBatch + 7
	if err := s.Export(context.Background(), Request{Sort: SortDateDesc}, limit, func(int, int) error { return nil },
		func(Record) error { n++; return nil }); err != nil || n != limit {
		t.Errorf("limit %d: %d records (%v)", limit, n, err)
	}
}
