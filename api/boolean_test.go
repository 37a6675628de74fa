package api

import (
	"net/url"
	"slices"
	"strings"
	"testing"
)

// TestBooleanQueries runs boolean queries over the real handler: the total
// of alternatives is that of the union of each alone, a group restricts
// it, NOT excludes, every alternative is highlighted, the source facet
// counts the union, and a query of operators alone is no bad request.
func TestBooleanQueries(t *testing.T) {
	s := newTestServer(t, Options{})
	hits := func(q string) (map[string]bool, SearchResponse) {
		t.Helper()
		res := search(t, s, "q="+url.QueryEscape(q)+"&related=false&collapse=false&per_page=100&facets=source")
		if len(res.Hits) != res.Total {
			t.Fatalf("q=%s: %d hits of %d: raise per_page", q, len(res.Hits), res.Total)
		}
		set := map[string]bool{}
		for _, h := range res.Hits {
			set[h.ID] = true
		}
		return set, res
	}
	uber, _ := hits("uber ")
	deliveroo, _ := hits("deliveroo ")
	travail, _ := hits("travail ")
	either, res := hits("uber OR deliveroo ")
	want := map[string]bool{}
	for id := range uber {
		want[id] = true
	}
	for id := range deliveroo {
		want[id] = true
	}
	if len(either) != len(want) || len(uber) == 0 || len(deliveroo) == 0 {
		t.Errorf("uber OR deliveroo: total %d, want %d (uber %d, deliveroo %d)", len(either), len(want), len(uber), len(deliveroo))
	}
	for id := range want {
		if !either[id] {
			t.Errorf("uber OR deliveroo: %s missing", id)
		}
	}
	if sum(res.Facets["source"]) != res.Total {
		t.Errorf("uber OR deliveroo: the source facet counts %d, total %d", sum(res.Facets["source"]), res.Total)
	}
	marked := strings.ToLower(strings.Join(slices.Concat(highlightsOf(res)...), " "))
	for _, w := range []string{"<mark>uber", "<mark>deliveroo"} {
		if !strings.Contains(marked, w) {
			t.Errorf("uber OR deliveroo: no highlight holds %s", w)
		}
	}
	grouped, _ := hits("(uber | deliveroo) travail ")
	n := 0
	for id := range want {
		if travail[id] {
			n++
		}
	}
	if len(grouped) != n {
		t.Errorf("(uber | deliveroo) travail: total %d, want %d", len(grouped), n)
	}
	without, _ := hits("travail NOT (uber OR deliveroo) ")
	minus, _ := hits("travail -uber -deliveroo ")
	if len(without) != len(minus) || len(without) >= len(travail) {
		t.Errorf("travail NOT (uber OR deliveroo): %d hits; travail -uber -deliveroo %d, travail %d", len(without), len(minus), len(travail))
	}
	for id := range without {
		if !minus[id] || !travail[id] {
			t.Errorf("travail NOT (uber OR deliveroo): %s", id)
		}
	}
	// The concordance of alternatives shows each, from the documents of
	// the union.
	var kw KWICResponse
	getOK(t, s, "/api/v1/kwic?q="+url.QueryEscape("uber OR deliveroo ")+"&per_page=500").json(t, &kw)
	keywords := map[string]bool{}
	for _, l := range kw.Lines {
		keywords[strings.ToLower(l.Keyword)] = true
		if !want[l.ID] {
			t.Errorf("kwic uber OR deliveroo: a line of %s, not a hit", l.ID)
		}
	}
	if !keywords["uber"] || !keywords["deliveroo"] || kw.Documents != len(want) {
		t.Errorf("kwic uber OR deliveroo: keywords %v in %d documents, want uber and deliveroo in %d", keywords, kw.Documents, len(want))
	}
	for _, q := range []string{"OR", "( | )", "NOT", "((((((a OR", "-(-(", ") OR ("} {
		if r := get(t, s, "/api/v1/search?q="+url.QueryEscape(q)); r.Status != 200 {
			t.Errorf("q=%s: %d", q, r.Status)
		}
	}
}

// highlightsOf returns the snippets of every hit of res.
func highlightsOf(res SearchResponse) [][]string {
	var out [][]string
	for _, h := range res.Hits {
		out = append(out, h.Highlights.Title, h.Highlights.Body)
	}
	return out
}
