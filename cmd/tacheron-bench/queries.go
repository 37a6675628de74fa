package main

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"strconv"
	"strings"
	"unicode/utf8"

	"tacheron/corpus/analysis"
)

// The query classes of the load, in the order they run and are reported.
const (
	classRare     = "rare"
	classCommon   = "common"
	classTwo      = "two-words"
	classPhrase   = "phrase"
	classPrefix   = "prefix"
	classTypo     = "typo"
	classEnglish  = "english"
	classFiltered = "filtered"
	classEmpty    = "empty+facets"
	classHealthz  = "healthz" // the HTTP floor, not a search
)

// classNames describes each class for the report.
func classNames() map[string]string {
	return map[string]string{
		classRare:     "rare word",
		classCommon:   "common word",
		classTwo:      "two words",
		classPhrase:   "phrase",
		classPrefix:   "prefix as you type",
		classTypo:     "typo",
		classEnglish:  "English",
		classFiltered: "filtered (source/concept/date)",
		classEmpty:    "empty query, facets only",
		classHealthz:  "HTTP floor: /healthz",
	}
}

// Words per document of each language in generated text (measured on the
// generator's output), used to tell which ranks are rare in a corpus.
const (
	frenchTokensPerDoc  = 175
	englishTokensPerDoc = 40
)

// queriesPerClass is the number of distinct queries of a class.
const queriesPerClass = 40

// searchFacets are the facets every search asks for.
const searchFacets = "source,concept,kind,lang,date"

// A query is one search of the mix. Q is what a tacheron user types; Stock
// is what a user of stock bleve would type in a query string for the same
// intent (a trailing * for a prefix, ~ for a typo).
type query struct {
	Q        string
	Stock    string
	Sources  []string
	Concepts []string
	From, To string
	Page     int
}

// path returns the API request of the query, facets and highlights
// included (the API highlights by default).
func (q query) path() string {
	v := url.Values{}
	v.Set("q", q.Q)
	for _, s := range q.Sources {
		v.Add("source", s)
	}
	for _, c := range q.Concepts {
		v.Add("concept", c)
	}
	if q.From != "" {
		v.Set("from", q.From)
	}
	if q.To != "" {
		v.Set("to", q.To)
	}
	if q.Page > 1 {
		v.Set("page", strconv.Itoa(q.Page))
	}
	v.Set("facets", searchFacets)
	return "/api/v1/search?" + v.Encode()
}

// describe writes the query's parameters for a report, unescaped and
// without the facets every query has: q=travail&source=Le Monde.
func (q query) describe() string {
	parts := []string{"q=" + q.Q}
	for _, s := range q.Sources {
		parts = append(parts, "source="+s)
	}
	for _, c := range q.Concepts {
		parts = append(parts, "concept="+c)
	}
	if q.From != "" {
		parts = append(parts, "from="+q.From)
	}
	if q.To != "" {
		parts = append(parts, "to="+q.To)
	}
	if q.Page > 1 {
		parts = append(parts, "page="+strconv.Itoa(q.Page))
	}
	return strings.Join(parts, "&")
}

// A queryClass is a named list of queries.
type queryClass struct {
	Name    string
	Queries []query
}

// queryMix returns the query classes for the corpus of seed and docs,
// drawn deterministically from the generator's vocabulary: the same seed
// and docs give the same queries.
func queryMix(g *generator, docs int) []queryClass {
	rng := func(k uint64) *rand.Rand { return rand.New(rand.NewPCG(g.seed^saltQueries, k)) }
	frContent := lowerWords(g.fr.contentWords())
	enContent := lowerWords(g.en.contentWords())
	common := frContent[:40]

	classes := []queryClass{
		{classRare, make([]query, queriesPerClass)},
		{classCommon, make([]query, queriesPerClass)},
		{classTwo, make([]query, queriesPerClass)},
		{classPhrase, make([]query, queriesPerClass)},
		{classPrefix, make([]query, queriesPerClass)},
		{classTypo, make([]query, queriesPerClass)},
		{classEnglish, make([]query, queriesPerClass)},
		{classFiltered, make([]query, queriesPerClass)},
		{classEmpty, make([]query, queriesPerClass)},
	}
	// Rare: pseudo-words expected 3 to 30 times in the corpus.
	tokens := float64(docs) * frenchTokensPerDoc
	lo, hi := g.fr.rankWithCount(tokens, 30), g.fr.rankWithCount(tokens, 3)
	r := rng(1)
	for i := range queriesPerClass {
		w := g.fr.word(lo + r.IntN(max(hi-lo, 1)))
		classes[0].Queries[i] = plain(w)
	}
	for i := range queriesPerClass {
		classes[1].Queries[i] = plain(common[i%len(common)])
	}
	r = rng(2)
	for i := range queriesPerClass {
		classes[2].Queries[i] = plain(common[r.IntN(len(common))] + " " + frContent[40+r.IntN(len(frContent)-40)])
	}
	phrases := g.phrases()
	r = rng(3)
	for i := range queriesPerClass {
		p := `"` + phrases[r.IntN(len(phrases))] + `"`
		classes[3].Queries[i] = query{Q: p, Stock: p}
	}
	r = rng(4)
	for i := range queriesPerClass {
		classes[4].Queries[i] = g.prefixQuery(r, frContent)
	}
	r = rng(5)
	long := longWords(frContent, 5)
	for i := range queriesPerClass {
		w := long[r.IntN(len(long))]
		t := typo(r, w)
		fuzz := "~1"
		if utf8.RuneCountInString(w) >= 9 {
			fuzz = "~2"
		}
		classes[5].Queries[i] = query{Q: t, Stock: t + fuzz}
	}
	r = rng(6)
	for i := range queriesPerClass {
		q := enContent[r.IntN(len(enContent))]
		if r.IntN(2) == 0 {
			q += " " + enContent[r.IntN(len(enContent))]
		}
		classes[6].Queries[i] = plain(q)
	}
	r = rng(7)
	for i := range queriesPerClass {
		classes[7].Queries[i] = g.filtered(r, i, common)
	}
	for i := range queriesPerClass {
		classes[8].Queries[i] = query{Page: 1 + i%5}
	}
	return classes
}

// plain is a query of plain words, the same for tacheron and stock bleve.
func plain(q string) query { return query{Q: q, Stock: q} }

// lowerWords keeps the words without a capital.
func lowerWords(words []string) []string {
	var out []string
	for _, w := range words {
		if strings.ToLower(w) == w {
			out = append(out, w)
		}
	}
	return out
}

// longWords keeps the words of at least n letters.
func longWords(words []string, n int) []string {
	var out []string
	for _, w := range words {
		if utf8.RuneCountInString(w) >= n && !strings.Contains(w, "-") {
			out = append(out, w)
		}
	}
	return out
}

// phrases returns the expressions of several words the generator writes:
// collocations and concept variants.
func (g *generator) phrases() []string {
	var out []string
	for _, lang := range []analysis.Lang{analysis.French, analysis.English} {
		out = append(out, g.collocations[lang]...)
	}
	for _, c := range g.concepts {
		for _, v := range c.variants {
			if strings.Contains(v, " ") {
				out = append(out, v)
			}
		}
	}
	return out
}

// prefixQuery draws what a user has typed so far: a word cut short, a
// compound or concept cut after its hyphen, or a word then a cut word.
func (g *generator) prefixQuery(r *rand.Rand, content []string) query {
	cut := func(w string, min int) string {
		runes := []rune(w)
		if len(runes) <= min+1 {
			return w
		}
		return string(runes[:min+r.IntN(len(runes)-min-1)])
	}
	var q string
	switch r.IntN(4) {
	case 0, 1:
		long := longWords(content, 6)
		q = cut(long[r.IntN(len(long))], 3)
	case 2:
		var words []string
		for _, lang := range []analysis.Lang{analysis.French, analysis.English} {
			for _, c := range g.compounds[lang] {
				if !strings.ContainsAny(c, "’'") {
					words = append(words, strings.ToLower(c))
				}
			}
		}
		for _, c := range g.concepts {
			for _, v := range c.variants {
				if strings.Contains(v, "-") || utf8.RuneCountInString(v) >= 8 && !strings.Contains(v, " ") {
					words = append(words, strings.ToLower(v))
				}
			}
		}
		w := words[r.IntN(len(words))]
		if i := strings.IndexByte(w, '-'); i > 0 && i+2 < len(w) {
			q = w[:i+2] + cut(w[i+2:], 0)
		} else {
			q = cut(w, 4)
		}
	default:
		q = content[r.IntN(40)] + " " + cut(content[40+r.IntN(len(content)-40)], 3)
	}
	return query{Q: q, Stock: q + "*"}
}

// typo makes one edit in w, never to its first letter: a substitution, a
// deletion, an insertion or two letters swapped.
func typo(r *rand.Rand, w string) string {
	runes := []rune(w)
	i := 1 + r.IntN(len(runes)-1)
	letter := rune('a' + r.IntN(26))
	var out []rune
	switch r.IntN(4) {
	case 0:
		for letter == runes[i] {
			letter = rune('a' + r.IntN(26))
		}
		out = append(append(append(out, runes[:i]...), letter), runes[i+1:]...)
	case 1:
		out = append(append(out, runes[:i]...), runes[i+1:]...)
	case 2:
		out = append(append(append(out, runes[:i]...), letter), runes[i:]...)
	default:
		if i == len(runes)-1 {
			i--
		}
		if i < 1 || runes[i] == runes[i+1] {
			return typo(r, w)
		}
		out = append(out, runes...)
		out[i], out[i+1] = out[i+1], out[i]
	}
	return string(out)
}

// filtered draws a common word restricted by a source, a concept, a date
// range, or all three (in turn).
func (g *generator) filtered(r *rand.Rand, i int, common []string) query {
	q := plain(common[r.IntN(len(common))])
	year := firstYear + r.IntN(lastYear-firstYear+1)
	source := g.sources[r.IntN(10)].name
	concept := g.concepts[r.IntN(8)].id
	switch i % 4 {
	case 0:
		q.Sources = []string{source}
	case 1:
		q.Concepts = []string{concept}
	case 2:
		q.From, q.To = fmt.Sprintf("%d-01-01", year), fmt.Sprintf("%d-12-31", year)
	default:
		q.Sources = []string{source}
		q.Concepts = []string{concept}
		q.From, q.To = fmt.Sprintf("%d-01-01", year-1), fmt.Sprintf("%d-12-31", year)
	}
	return q
}
