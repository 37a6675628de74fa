package index

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
)

// smallIndex builds an index of documents (JSON Lines records) with the
// bundled taxonomy.
func smallIndex(t *testing.T, docs []map[string]any) *Snapshot {
	t.Helper()
	var b strings.Builder
	for _, d := range docs {
		line, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	c, err := corpus.Open(fstest.MapFS{"docs.jsonl": {Data: []byte(b.String())}}, "test corpus")
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
	t.Cleanup(func() { s.Close() })
	return s
}

// others returns n documents about something else.
func others(n int) []map[string]any {
	var out []map[string]any
	for i := range n {
		out = append(out, map[string]any{"id": fmt.Sprintf("other-%d", i), "title": "Une revue de presse", "date": "2017-02-01", "lang": "fr",
			"body": "La presse parle des élections, du climat et du sport. Les journaux et les radios en parlent."})
	}
	return out
}

// para is a paragraph of a record.
func para(text, lang string) map[string]any { return map[string]any{"text": text, "lang": lang} }

// TestConceptVariantAsWritten: a query word that is itself one of a
// concept's variants (an English plural of "crowdworker") ranks the
// documents holding that word, as written or by stem, in an English
// paragraph of a French document too, above documents that treat the
// concept through its other words only (issue 13, item 4).
func TestConceptVariantAsWritten(t *testing.T) {
	filler := strings.Repeat("Les plateformes organisent le travail des internautes et des travailleurs précaires. ", 4)
	s := smallIndex(t, append([]map[string]any{
		{"id": "turc", "title": "Le micro-travail et le turc mécanique", "date": "2017-03-01", "lang": "fr",
			"paragraphs": []any{para("Le micro-travail, les microtâches et le turc mécanique d'Amazon : le micro-travail paie mal. "+filler, "fr"),
				para("Le micro-travail se répand : microtâches, micro-tâcherons, crowdsourcing et micro-travail encore.", "fr")}},
		{"id": "fermes", "title": "Fermes à clics et microtâches", "date": "2017-03-02", "lang": "fr",
			"paragraphs": []any{para("Dans les fermes à clics, les microtâcherons font des microtâches pour le micro-travail. "+filler, "fr")}},
		{"id": "crowd", "title": "Un séminaire sur l'automatisation", "date": "2017-03-03", "lang": "fr",
			"paragraphs": []any{para("Le séminaire portera sur l'automatisation et ses effets sur l'emploi. "+filler, "fr"),
				para("Crowdworkers on these platforms earn less than the minimum wage, and the crowdworker has no union.", "en")}},
		{"id": "stem", "title": "Un entretien sur les plateformes", "date": "2017-03-04", "lang": "fr",
			"paragraphs": []any{para("Un entretien sur les plateformes et leurs usagers. "+filler, "fr"),
				para("Chaque crowdworker note des tâches.", "fr")}},
	}, others(8)...))
	// Not by chance of scores: the word matches directly.
	p, err := s.planQuery(context.Background(), ParseQuery("crowdworkers "))
	if err != nil {
		t.Fatal(err)
	}
	acc := s.getAccumulator()
	if err := s.execute(context.Background(), p, acc); err != nil {
		t.Fatal(err)
	}
	for _, doc := range acc.touched {
		rec, err := s.docs.get(doc)
		if err != nil {
			t.Fatal(err)
		}
		if direct := acc.cells[doc].direct != 0; direct != (rec.id == "crowd" || rec.id == "stem") {
			t.Errorf("%s: matched directly: %v", rec.id, direct)
		}
	}
	s.putAccumulator(acc)
	for _, q := range []string{"crowdworkers ", "crowdworkers", "Crowdworkers "} {
		res, err := s.Search(context.Background(), Request{Query: q})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(ids) < 4 || !(ids[0] == "crowd" && ids[1] == "stem" || ids[0] == "stem" && ids[1] == "crowd") {
			t.Errorf("%q: hits %q, want crowd and stem first, then the documents of the concept", q, ids)
		}
	}
}

// TestConceptPhraseOtherLanguage: a query naming a concept in one language
// finds first the document that has the concept's name as a phrase in the
// other language, above documents that have only the concept's single
// words or the query's words apart (issue 13, item 6).
func TestConceptPhraseOtherLanguage(t *testing.T) {
	filler := strings.Repeat("Les plateformes organisent le travail des internautes et des travailleurs précaires. ", 4)
	s := smallIndex(t, []map[string]any{
		{"id": "ia", "title": "Qui entraîne les IA ?", "date": "2017-03-01", "lang": "fr",
			"paragraphs": []any{para("Les IA apprennent des internautes ; les IA des plateformes, encore les IA. "+filler, "fr")}},
		{"id": "apart", "title": "L'intelligence des foules", "date": "2017-03-02", "lang": "fr",
			"paragraphs": []any{para("L'intelligence collective des foules, l'intelligence partagée ; des paradis artificiels, un langage artificiel. "+filler, "fr"),
				para("Crowd intelligence is not an artificial thing.", "en")}},
		{"id": "fr-phrase", "title": "Un séminaire", "date": "2017-03-03", "lang": "fr",
			"paragraphs": []any{para("Le séminaire portera sur l'intelligence artificielle et l'emploi. "+filler, "fr")}},
		{"id": "en-phrase", "title": "Un entretien", "date": "2017-03-04", "lang": "fr",
			"paragraphs": []any{para("Un entretien sur l'emploi. "+filler, "fr"),
				para("This talk is about artificial intelligence and jobs.", "en")}},
	})
	for _, tc := range []struct{ query, want string }{
		{"artificial intelligence ", "fr-phrase"},
		{"intelligence artificielle ", "en-phrase"},
	} {
		// The documents share their filler: they would be one group of
		// reprints.
		res, err := s.Search(context.Background(), Request{Query: tc.query, NoCollapse: true})
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		if len(ids) < 3 || ids[0] != tc.want && ids[1] != tc.want {
			t.Errorf("%q: hits %q, want %s in the first two", tc.query, ids, tc.want)
		}
		if i := slices.Index(ids, tc.want); i < 0 || slices.Index(ids, "ia") < i || slices.Index(ids, "apart") < i {
			t.Errorf("%q: hits %q, want %s above ia and apart", tc.query, ids, tc.want)
		}
	}
}
