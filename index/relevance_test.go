package index

import (
	"context"
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
	// first must be the first hit; top3 must each be in the first three
	// (any of anyTop3 is enough).
	first   string
	anyTop3 []string
	// firstOf: the first hit is one of these.
	firstOf []string
	// only: the hits are exactly these, in any order.
	only []string
}

// devQueries are ../shared/eval/dev-queries.md.
var devQueries = []relevanceCase{
	{query: "ubérisation", first: video},
	{query: "l'uberisation", anyTop3: []string{video}},
	{query: "micro-travail", anyTop3: []string{net01}},
	{query: "microtâches", anyTop3: []string{monde}},
	{query: "travail digital", anyTop3: []string{slate}},
	{query: "Mechanical Turk", anyTop3: []string{net01, gray}},
	{query: "Smyrnaios", first: smyrnaio},
	{query: "Google Books", anyTop3: []string{figaro}},
	{query: "Fair Crowd Work", first: monde},
	{query: "pénibilité", first: monde},
	{query: "Airbnb Uber", anyTop3: []string{marche, slate}},
	{query: "on-demand services", first: gray},
	{query: "automation", anyTop3: []string{marche}},
	{query: "plateformes", filters: Filters{Sources: []string{"Le Figaro"}}, only: []string{figaro}},
	{query: "Spare5", first: figaro},
	{query: "smyrn", anyTop3: []string{smyrnaio}},
	{query: "automatisaton", anyTop3: []string{video, marche, gray}},
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
	{query: "Slate", anyTop3: []string{slate}},
	{query: "Le Figaro", first: figaro},
	{query: "GAFAM", first: smyrnaio},
	{query: "oligopole", first: smyrnaio},
	{query: "Siddharth Suri", first: gray},
	{query: "drones", first: figaro},
	{query: "matchmakers", first: net01},
	{query: "Frey Osborne", first: marche},
	{query: "ludification", first: monde},
	{query: "salaire minimum", anyTop3: []string{slate}},
	{query: "fermes à clics", first: net01},
	{query: "Ugict-CGT", first: video},
	{query: "Alternatives Economiques", first: marche},
	// Typos.
	{query: "captha", first: figaro},
	{query: "Smyrnaois", first: smyrnaio},
	{query: "Zuckerburg", first: monde},
	{query: "ubérsation", first: video},
	{query: "syndicalsime", first: video},
	{query: "mecanical turk", anyTop3: []string{net01, gray, monde}},
	{query: "Deliverro", first: slate},
	// Prefixes, as typed.
	{query: "ubéri", first: video},
	{query: "captc", first: figaro},
	{query: "Zucker", first: monde},
	{query: "parasub", first: slate},
	{query: "micro-tr", anyTop3: []string{net01, slate}},
	{query: "Fair Crowd W", first: monde},
	// Elisions and accents.
	{query: "d'IBM", anyTop3: []string{figaro}},
	{query: "l’intelligence artificielle", anyTop3: []string{figaro, gray}},
	{query: "penibilite", first: monde},
	{query: "desinformation", anyTop3: []string{"Fake news"}},
	{query: "Telerama", anyTop3: []string{"Biennale", "révolution a commencé"}},
	{query: "societe numerique", first: "La société numérique en 2017"},
	{query: "Wikipedia", anyTop3: []string{"Wikipédia"}},
	// Compounds.
	{query: "microtravail", anyTop3: []string{monde, net01}},
	{query: "micro travail", anyTop3: []string{net01}},
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
	{query: "plates-formes", anyTop3: []string{marche, monde}},
	{query: "microtâcherons", anyTop3: []string{net01}},
	{query: "micro-tâcherons", anyTop3: []string{slate, net01}},
	// English.
	{query: "artificial intelligence", first: gray},
	{query: "crowdwork", first: gray},
	{query: "humans in the loop", first: gray},
	{query: "platform cooperativism", first: video},
	{query: "fake news", anyTop3: []string{"Fake news", "fake news"}},
	// Cross-lingual: one language finds the other.
	{query: "uberization", first: video},
	{query: "microwork", anyTop3: []string{net01, slate, monde, gray}},
	{query: "unions", anyTop3: []string{video, monde}},
	{query: "minimum wage", anyTop3: []string{slate}},
	{query: "content moderation", anyTop3: []string{monde, figaro, slate}},
	// Syntax used wrongly degrades to words.
	{query: `"Fair Crowd`, first: monde},
	{query: "captcha -", first: figaro},
	{query: "(GAFAM)", first: smyrnaio},
	{query: "title:captcha", first: figaro},
	{query: "captcha~", first: figaro},
	{query: "*captc*", first: figaro},
	// Phrases and exclusions.
	{query: `"digital labor" -uber`, anyTop3: []string{figaro}},
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
	if len(tc.anyTop3) > 0 {
		found := false
		for _, title := range titles[:min(3, len(titles))] {
			for _, want := range tc.anyTop3 {
				found = found || has(title, want)
			}
		}
		if !found {
			return "none of " + strings.Join(tc.anyTop3, " | ") + " in the top 3"
		}
	}
	if tc.only != nil {
		if len(titles) != len(tc.only) {
			return "wrong number of hits"
		}
		for i, want := range tc.only {
			if !has(titles[i], want) {
				return "unexpected hit " + titles[i]
			}
		}
	}
	return ""
}
