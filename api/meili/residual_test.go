package meili

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"tacheron/api/gate"
	"tacheron/corpus"
	"tacheron/index"
	"tacheron/index/store"
)

// Filters that tacheron's filters cannot express, or facets they cannot
// count, checked against the test's own reading of each filter on the
// corpus's documents (not matchFilter), and answered by one index search.

// residualCases are filters, each with the same test written on a
// document.
var residualCases = []struct {
	filter string
	keep   func(d *corpus.Document) bool
}{
	{`kind = mention OR lang = en`, func(d *corpus.Document) bool { return d.Kind == corpus.Mention || d.Lang == "en" }},
	{`concepts != micro-travail`, func(d *corpus.Document) bool { return !docHasConcept(d, "micro-travail") }},
	{`concepts = micro-travail`, func(d *corpus.Document) bool { return docHasConcept(d, "micro-travail") }},
	{`NOT (kind = press AND source = 'le monde')`, func(d *corpus.Document) bool {
		return !(d.Kind == corpus.Press && strings.EqualFold(d.Source, "Le Monde"))
	}},
	{`date < 2017-03-01 OR date > 2017-03-25`, func(d *corpus.Document) bool { return d.Date < "2017-03-01" || d.Date > "2017-03-25" }},
	{`date 2017-03-05 TO 2017-03-20`, func(d *corpus.Document) bool { return d.Date >= "2017-03-05" && d.Date <= "2017-03-20" }},
	{`year = 2017 OR concepts IS EMPTY`, func(d *corpus.Document) bool { return strings.HasPrefix(d.Date, "2017") || len(d.Concepts) == 0 }},
	{`source CONTAINS mon AND NOT lang = fr OR month = 2017-02`, func(d *corpus.Document) bool {
		return strings.Contains(strings.ToLower(d.Source), "mon") && d.Lang != "fr" || strings.HasPrefix(d.Date, "2017-02")
	}},
	{`concepts = micro-travail AND concepts != fake-news OR kind IN [press, post]`, func(d *corpus.Document) bool {
		return docHasConcept(d, "micro-travail") && !docHasConcept(d, "fake-news") || d.Kind == corpus.Press || d.Kind == corpus.Post
	}},
}

func docHasConcept(d *corpus.Document, id string) bool {
	return slices.ContainsFunc(d.Concepts, func(c corpus.ConceptHit) bool { return c.ID == id })
}

// residualFacets are the facets every case asks for.
var residualFacets = []string{attrSource, attrKind, attrLang, attrConcepts, attrYear, attrMonth, attrDate}

// A countingSearcher counts the searches it passes on.
type countingSearcher struct {
	gate.Searcher
	searches atomic.Int64
}

func (c *countingSearcher) Search(ctx context.Context, req index.Request) (*index.Result, error) {
	c.searches.Add(1)
	return c.Searcher.Search(ctx, req)
}

// synthCorpus writes a corpus of n documents in JSON Lines, spread over
// the kinds, sources, languages, concepts and days of 2016 to 2018, and
// returns its folder.
func synthCorpus(tb testing.TB, n int) string {
	tb.Helper()
	rng := rand.New(rand.NewPCG(18, 2))
	words := strings.Fields(`plateforme salaire chauffeur livreur algorithme données syndicat entretien revue
		séminaire numérique capital emploi contrat marché réseau annotation modération tâche usine`)
	concepts := []string{"micro-travail", "ubérisation", "fake news", "digital labor", "Wikipédia"}
	sources := []string{"Le Monde", "Slate", "Télérama", "Mediapart", "blog"}
	kinds := []corpus.Kind{corpus.Press, corpus.Post, corpus.Mention, corpus.Interview}
	var b strings.Builder
	enc := json.NewEncoder(&b)
	for i := range n {
		text := make([]string, 12+rng.IntN(20))
		for j := range text {
			text[j] = words[rng.IntN(len(words))]
		}
		if rng.IntN(3) > 0 {
			text = append(text, concepts[rng.IntN(len(concepts))])
		}
		if rng.IntN(4) == 0 {
			text = append(text, concepts[rng.IntN(len(concepts))])
		}
		lang := "fr"
		if rng.IntN(4) == 0 {
			lang = "en"
		}
		rec := map[string]any{
			"id":         fmt.Sprintf("doc-%05d", i),
			"title":      fmt.Sprintf("%s %s %d", words[rng.IntN(len(words))], words[rng.IntN(len(words))], i),
			"date":       fmt.Sprintf("%d-%02d-%02d", 2016+rng.IntN(3), 1+rng.IntN(12), 1+rng.IntN(28)),
			"source":     sources[rng.IntN(len(sources))],
			"kind":       kinds[rng.IntN(len(kinds))],
			"lang":       lang,
			"paragraphs": []map[string]string{{"text": strings.Join(text, " "), "lang": lang}},
		}
		if err := enc.Encode(rec); err != nil {
			tb.Fatal(err)
		}
	}
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "docs.jsonl"), []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// openCorpus builds a store of a corpus and serves it; it returns the
// server and the corpus's documents, as the corpus reads them.
func openCorpus(tb testing.TB, c *corpus.Corpus) (*store.Live, []corpus.Document) {
	tb.Helper()
	docs, err := c.Documents(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	st := store.Open(tb.TempDir())
	if _, err := st.Publish(context.Background(), c, store.PublishOptions{}); err != nil {
		tb.Fatal(err)
	}
	live := store.NewLive(st)
	if _, err := live.Reload(); err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { live.Close() })
	return live, docs
}

// TestMeiliResidualFilters checks filters that tacheron's filters cannot
// express, on the bundled corpus and on a synthetic one of 1,500
// documents whose matches run far beyond the first 100 hits: each page is
// answered by one index search, and its hits, totals and facet counts
// are those the test computes from the documents.
func TestMeiliResidualFilters(t *testing.T) {
	bundled, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	synth, err := corpus.OpenDir(synthCorpus(t, 1500))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		corpus *corpus.Corpus
	}{{"bundled", bundled}, {"synthetic", synth}} {
		t.Run(c.name, func(t *testing.T) {
			live, docs := openCorpus(t, c.corpus)
			searcher := &countingSearcher{Searcher: live}
			h := newMeiliServer(t, gate.Options{}, searcher)
			meiliPost(t, h, `{"limit":1}`) // loads the vocabulary
			for _, tt := range residualCases {
				var want []*corpus.Document
				for i := range docs {
					if tt.keep(&docs[i]) {
						want = append(want, &docs[i])
					}
				}
				// Oldest first, a day's documents by id.
				slices.SortFunc(want, func(a, b *corpus.Document) int {
					return cmp.Or(strings.Compare(a.Date, b.Date), strings.Compare(a.ID, b.ID))
				})
				wantDist := map[string]map[string]int{}
				for _, f := range residualFacets {
					wantDist[f] = map[string]int{}
				}
				for _, d := range want {
					for f, v := range map[string]string{attrSource: d.Source, attrKind: string(d.Kind), attrLang: string(d.Lang),
						attrYear: d.Date[:4], attrMonth: d.Date[:7], attrDate: d.Date} {
						wantDist[f][v]++
					}
					for _, cc := range d.Concepts {
						wantDist[attrConcepts][cc.ID]++
					}
				}
				for _, f := range residualFacets {
					wantDist[f] = topValues(wantDist[f], meiliMaxValuesPerFacet)
				}
				offset := min(len(want)/2, 150)
				wantIDs := []string{}
				for _, d := range want[offset:min(len(want), offset+20)] {
					wantIDs = append(wantIDs, d.ID)
				}
				body, _ := json.Marshal(map[string]any{"filter": tt.filter, "sort": []string{"date:asc"}, "offset": offset, "limit": 20,
					"facets": residualFacets, "attributesToRetrieve": []string{"id"}})
				searcher.searches.Store(0)
				got := meiliPost(t, h, string(body))
				if n := searcher.searches.Load(); n != 1 {
					t.Errorf("%#q: %d index searches, want 1", tt.filter, n)
				}
				if *got.EstimatedTotalHits != min(len(want), meiliMaxTotalHits) {
					t.Errorf("%#q: estimatedTotalHits %d, want %d", tt.filter, *got.EstimatedTotalHits, len(want))
				}
				if !slices.Equal(got.ids(), wantIDs) {
					t.Errorf("%#q at offset %d: hits %v, want %v", tt.filter, offset, got.ids(), wantIDs)
				}
				for _, f := range residualFacets {
					if !maps.Equal(got.FacetDistribution[f], wantDist[f]) {
						t.Errorf("%#q: facet %s = %v, want %v", tt.filter, f, got.FacetDistribution[f], wantDist[f])
					}
				}
			}
			if c.name == "synthetic" {
				// A page of 250 hits: one index search per 100.
				searcher.searches.Store(0)
				got := meiliPost(t, h, `{"filter":"kind = mention OR lang = en","limit":250,"attributesToRetrieve":["id"]}`)
				if n := searcher.searches.Load(); len(got.Hits) != 250 || n != 3 {
					t.Errorf("a page of 250: %d hits, %d index searches; want 250 and 3", len(got.Hits), n)
				}
			}
		})
	}
}

// TestMeiliResidualFilterWithQuery checks a residual filter under a query
// and matchingStrategy all and last: the hits are those of the query that
// pass the test's reading of the filter, in the query's order, and the
// highlights come with them.
func TestMeiliResidualFilterWithQuery(t *testing.T) {
	docs := map[string]*corpus.Document{}
	c, err := corpus.Bundled()
	if err != nil {
		t.Fatal(err)
	}
	all, err := c.Documents(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range all {
		docs[all[i].ID] = &all[i]
	}
	searcher := &countingSearcher{Searcher: testLive}
	h := newMeiliServer(t, gate.Options{}, searcher)
	meiliPost(t, h, `{"limit":1}`)
	for _, strategy := range []string{"all", "last"} {
		res, err := testLive.Search(context.Background(), index.Request{Query: "travail numérique", Limit: index.MaxLimit, ExcludeRelated: strategy == "all"})
		if err != nil {
			t.Fatal(err)
		}
		if strategy == "last" && res.Related == 0 {
			t.Fatal("no related documents: matchingStrategy says nothing here")
		}
		for _, tt := range residualCases {
			want := []string{}
			for _, hit := range res.Hits {
				if tt.keep(docs[hit.ID]) {
					want = append(want, hit.ID)
				}
			}
			body, _ := json.Marshal(map[string]any{"q": "travail numérique", "filter": tt.filter, "limit": 100, "matchingStrategy": strategy,
				"attributesToRetrieve": []string{"id"}, "attributesToHighlight": []string{"title", "body"}})
			searcher.searches.Store(0)
			got := meiliPost(t, h, string(body))
			if n := searcher.searches.Load(); n != 1 {
				t.Errorf("%s %#q: %d index searches, want 1", strategy, tt.filter, n)
			}
			if !slices.Equal(got.ids(), want) || *got.EstimatedTotalHits != len(want) {
				t.Errorf("%s %#q: %d hits %v, want %d %v", strategy, tt.filter, *got.EstimatedTotalHits, got.ids(), len(want), want)
			}
			for _, hit := range got.Hits {
				if f, _ := hit["_formatted"].(map[string]any); !strings.Contains(fmt.Sprint(f["title"], f["body"]), "<em>") {
					t.Errorf("%s %#q: %s has no highlight: %v", strategy, tt.filter, hit["id"], f)
				}
			}
		}
	}
}
