package index

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Posts of the bundled archive, by a piece of their title.
const (
	video    = "Digital labor : le syndicalisme qui vient"
	marche   = "Marché du travail : entre automation"
	gray     = "Mary L. Gray"
	figaro   = "Qui entraîne les IA et les drones"
	net01    = "Le micro-travail : des corvées"
	slate    = "Inscrire dans le Code du travail le digital labor"
	review   = "Ailleur dans les médias"
	monde    = "Digital labor, privilège et invisibilisation"
	smyrnaio = "Nikos Smyrnaios"
)

// relevanceCase is a query and the documents that must come first.
type relevanceCase struct {
	query   string
	filters Filters
	// first must be the first hit; every one of top3 must be in the first
	// three.
	first string
	top3  []string
	// top3Any: one of these in the first three is enough, for queries that
	// several documents answer equally well (the ranking among them is in
	// testdata/ranking/bundled.txt).
	top3Any []string
	// firstOf: the first hit is one of these.
	firstOf []string
	// only: the hits are exactly these, in any order.
	only []string
}

// devQueries are ../shared/eval/dev-queries.md.
var devQueries = []relevanceCase{
	{query: "ubérisation", first: video},
	{query: "l'uberisation", top3: []string{video}},
	{query: "micro-travail", top3: []string{net01}},
	{query: "microtâches", top3: []string{monde}},
	{query: "travail digital", top3: []string{slate}},
	{query: "Mechanical Turk", top3: []string{net01, gray}},
	{query: "Smyrnaios", first: smyrnaio},
	{query: "Google Books", top3: []string{figaro}},
	{query: "Fair Crowd Work", first: monde},
	{query: "pénibilité", first: monde},
	{query: "Airbnb Uber", top3: []string{marche, slate}},
	{query: "on-demand services", first: gray},
	{query: "automation", top3: []string{marche}},
	{query: "plateformes", filters: Filters{Sources: []string{"Le Figaro"}}, only: []string{figaro}},
	{query: "Spare5", first: figaro},
	{query: "smyrn", top3: []string{smyrnaio}},
	{query: "automatisaton", top3Any: []string{video, marche, gray}},
}

// moreQueries are our own: exact words, typos, prefixes, elisions,
// accents, compounds, English and cross-lingual queries.
var moreQueries = []relevanceCase{
	// Exact words and names.
	{query: "captcha", first: figaro},
	{query: "Deliveroo", first: slate},
	{query: "LegalZoom", first: gray},
	{query: "IGmetall", first: monde},
	{query: "Zuckerberg", first: monde},
	{query: "Boston Dynamics", first: figaro},
	{query: "domestic system", first: marche},
	{query: "lumpen proletariat", first: marche},
	{query: "El Khomri", first: slate},
	{query: "parasubordination", first: slate},
	{query: "Sleeping Giants", first: "Sleeping Giants"},
	{query: "Heetch", first: "Heetch"},
	{query: "Cnet", first: "Turc mécanique"},
	{query: "Slate", top3: []string{slate}},
	{query: "Le Figaro", first: figaro},
	{query: "GAFAM", first: smyrnaio},
	{query: "oligopole", first: smyrnaio},
	{query: "Siddharth Suri", first: gray},
	{query: "drones", first: figaro},
	{query: "matchmakers", first: net01},
	{query: "Frey Osborne", first: marche},
	{query: "ludification", first: monde},
	{query: "salaire minimum", top3: []string{slate}},
	{query: "fermes à clics", first: net01},
	{query: "Ugict-CGT", first: video},
	{query: "Alternatives Economiques", first: marche},
	// Typos.
	{query: "captha", first: figaro},
	{query: "Smyrnaois", first: smyrnaio},
	{query: "Zuckerburg", first: monde},
	{query: "ubérsation", first: video},
	{query: "syndicalsime", first: video},
	{query: "mecanical turk", top3: []string{net01, gray, monde}},
	{query: "Deliverro", first: slate},
	// Prefixes, as typed.
	{query: "ubéri", first: video},
	{query: "captc", first: figaro},
	{query: "Zucker", first: monde},
	{query: "parasub", first: slate},
	{query: "micro-tr", top3: []string{net01, slate}},
	{query: "Fair Crowd W", first: monde},
	// Elisions and accents.
	{query: "d'IBM", top3: []string{figaro}},
	{query: "l’intelligence artificielle", top3: []string{figaro, gray}},
	{query: "penibilite", first: monde},
	{query: "desinformation", top3: []string{"Fake news"}},
	{query: "Telerama", top3: []string{"Biennale", "révolution a commencé"}},
	{query: "societe numerique", first: "La société numérique en 2017"},
	{query: "Wikipedia", top3: []string{"Wikipédia"}},
	// Compounds.
	{query: "microtravail", top3Any: []string{monde, net01}},
	{query: "micro travail", top3: []string{net01}},
	// Proximity: the words side by side rank above the words apart, even
	// in a title.
	{query: "travail du clic", first: monde},
	{query: "code du travail", first: slate},
	// An acronym in capitals is not the start of a longer word, and a
	// concept named in full ranks above completions of the word.
	{query: "AI", firstOf: []string{figaro, gray}},
	{query: "ai", firstOf: []string{figaro, gray}},
	{query: "ia", firstOf: []string{figaro, gray}},
	// A word naming a kind of document finds that kind, in either language.
	{query: "seminar", firstOf: []string{gray, smyrnaio}},
	{query: "seminar gray", first: gray},
	{query: "interview", first: monde},
	{query: "plates-formes", top3: []string{marche, monde}},
	{query: "microtâcherons", top3: []string{net01}},
	{query: "micro-tâcherons", top3: []string{slate, net01}},
	// English.
	{query: "artificial intelligence", first: gray},
	{query: "crowdwork", first: gray},
	{query: "humans in the loop", first: gray},
	{query: "platform cooperativism", first: video},
	{query: "fake news", top3: []string{"Fake news", "fake news"}},
	// Cross-lingual: one language finds the other.
	{query: "uberization", first: video},
	{query: "microwork", top3Any: []string{net01, slate, monde, gray}},
	{query: "unions", top3: []string{video, monde}},
	{query: "minimum wage", top3: []string{slate}},
	{query: "content moderation", top3: []string{monde, figaro, slate}},
	// Syntax used wrongly degrades to words.
	{query: `"Fair Crowd`, first: monde},
	{query: "captcha -", first: figaro},
	{query: "(GAFAM)", first: smyrnaio},
	{query: "title:captcha", first: figaro},
	{query: "captcha~", first: figaro},
	{query: "*captc*", first: figaro},
	// Phrases and exclusions.
	{query: `"digital labor" -uber`, top3: []string{figaro}},
	{query: `"Mechanical Turk" -amazon`, only: []string{}},
}

func TestRelevance(t *testing.T) {
	s := bundled(t)
	cases := append(append([]relevanceCase{}, devQueries...), moreQueries...)
	passed := 0
	for _, tc := range cases {
		res, err := s.Search(context.Background(), Request{Query: tc.query, Filters: tc.filters, Limit: 10})
		if err != nil {
			t.Errorf("%q: %v", tc.query, err)
			continue
		}
		var titles []string
		for _, h := range res.Hits {
			titles = append(titles, h.Title)
		}
		if msg := tc.check(titles); msg != "" {
			top := titles[:min(3, len(titles))]
			t.Errorf("%q: %s; top: %q", tc.query, msg, top)
			continue
		}
		passed++
	}
	t.Logf("%d/%d relevance cases pass", passed, len(cases))
}

// check returns what is wrong with a ranking, or "".
func (tc relevanceCase) check(titles []string) string {
	has := func(title, piece string) bool { return strings.Contains(title, piece) }
	if tc.first != "" && (len(titles) == 0 || !has(titles[0], tc.first)) {
		return "first hit is not " + tc.first
	}
	if len(tc.firstOf) > 0 && (len(titles) == 0 || !slices.ContainsFunc(tc.firstOf, func(w string) bool { return has(titles[0], w) })) {
		return "first hit is none of " + strings.Join(tc.firstOf, " | ")
	}
	top := titles[:min(3, len(titles))]
	inTop := func(want string) bool { return slices.ContainsFunc(top, func(t string) bool { return has(t, want) }) }
	for _, want := range tc.top3 {
		if !inTop(want) {
			return want + " is not in the top 3"
		}
	}
	if len(tc.top3Any) > 0 && !slices.ContainsFunc(tc.top3Any, inTop) {
		return "none of " + strings.Join(tc.top3Any, " | ") + " in the top 3"
	}
	if tc.only != nil {
		// Each expected title is one hit, each hit one expected title.
		if len(titles) != len(tc.only) {
			return fmt.Sprintf("%d hits, want %d", len(titles), len(tc.only))
		}
		left := slices.Clone(titles)
		for _, want := range tc.only {
			i := slices.IndexFunc(left, func(t string) bool { return has(t, want) })
			if i < 0 {
				return "no hit for " + want
			}
			left = slices.Delete(left, i, i+1)
		}
	}
	return ""
}

// TestRelevanceCheck checks the checks: they must reject what they say
// they reject.
func TestRelevanceCheck(t *testing.T) {
	titles := []string{"A one", "B two", "C three", "D four"}
	tests := []struct {
		tc   relevanceCase
		fail bool
	}{
		{relevanceCase{first: "A"}, false},
		{relevanceCase{first: "B"}, true},
		{relevanceCase{top3: []string{"C", "A"}}, false},
		{relevanceCase{top3: []string{"A", "D"}}, true}, // every one, not any
		{relevanceCase{top3Any: []string{"D", "B"}}, false},
		{relevanceCase{top3Any: []string{"D", "E"}}, true},
		{relevanceCase{firstOf: []string{"B", "A"}}, false},
		{relevanceCase{firstOf: []string{"B", "C"}}, true},
		{relevanceCase{only: []string{"D", "B", "C", "A"}}, false}, // any order
		{relevanceCase{only: []string{"A", "B", "C"}}, true},
		{relevanceCase{only: []string{"A", "A", "C", "D"}}, true}, // one hit per title
	}
	for i, tc := range tests {
		if msg := tc.tc.check(titles); (msg != "") != tc.fail {
			t.Errorf("case %d: check says %q, want failure %v", i, msg, tc.fail)
		}
	}
}
