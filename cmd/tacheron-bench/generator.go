package main

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"tacheron/corpus"
	"tacheron/corpus/analysis"
)

// generatorVersion changes whenever the output of a seed changes, so that a
// cached corpus of an older generator is made again.
const generatorVersion = 1

// The time span of the corpus: 15 years.
const (
	firstYear = 2010
	lastYear  = 2024
)

// Shape of the vocabulary. The Zipf kernel holds the real words and the
// frequent pseudo-words; the tail exponent sets the vocabulary growth
// (Heaps' law with β ≈ 1/tailExponent).
const (
	zipfKernel   = 3000
	tailExponent = 1.9
	nameKernel   = 200
)

// Salts of the random streams, so that each stream of a seed is its own.
const (
	saltHeader  = 0x4845414445520001
	saltBody    = 0x424f445900000002
	saltFrench  = 0x4652000000000003
	saltEnglish = 0x454e000000000004
	saltNames   = 0x4e414d4500000005
	saltQueries = 0x5155455259000006
)

// A source is an outlet of the corpus.
type source struct {
	name   string
	lang   analysis.Lang
	kind   string // blog, press or broadcast
	domain string
}

// A concept is a taxonomy entry as the generator uses it.
type concept struct {
	id       string
	variants []string // variants for French text
	english  []string // variants for English text
}

// A generator makes the documents of one seed. Document i depends only on
// the seed and i, so a corpus of N documents is the prefix of a larger one
// and documents can be made in parallel.
type generator struct {
	seed          uint64
	fr, en, names *lexicon
	realNames     []string
	nameTable     table
	sources       []source
	sourceTable   table
	concepts      []concept
	conceptTable  table
	compounds     map[analysis.Lang][]string
	collocations  map[analysis.Lang][]string
	prefixes      []string
}

// newGenerator prepares the generator of a seed, with the concepts of the
// bundled taxonomy.
func newGenerator(seed uint64) (*generator, error) {
	c, err := corpus.Bundled()
	if err != nil {
		return nil, fmt.Errorf("bundled taxonomy: %w", err)
	}
	z := newZipf(zipfKernel, tailExponent)
	g := &generator{
		seed:      seed,
		fr:        newLexicon(seed, saltFrench, frenchFunctionWords, frenchContentWords, frenchSyllables, frenchEndings, z),
		en:        newLexicon(seed, saltEnglish, englishFunctionWords, englishContentWords, englishSyllables, englishEndings, z),
		names:     newLexicon(seed, saltNames, "", "", frenchSyllables, nameEndings, newZipf(nameKernel, tailExponent)),
		realNames: strings.Split(strings.ReplaceAll(properNouns, "\n", ""), "|"),
		compounds: map[analysis.Lang][]string{
			analysis.French:  strings.Fields(frenchCompounds),
			analysis.English: strings.Fields(englishCompounds),
		},
		collocations: map[analysis.Lang][]string{
			analysis.French:  strings.Split(strings.ReplaceAll(frenchCollocations, "\n", ""), "|"),
			analysis.English: strings.Split(strings.ReplaceAll(englishCollocations, "\n", ""), "|"),
		},
		prefixes: strings.Fields(compoundPrefixes),
	}
	g.names.capital = true
	g.nameTable = newTable(len(g.realNames), 1)
	for _, line := range strings.Split(sources, "\n") {
		f := strings.Split(line, "|")
		g.sources = append(g.sources, source{name: f[0], lang: analysis.Lang(f[1]), kind: f[2], domain: domainOf(f[0])})
	}
	for _, tc := range c.Taxonomy().Concepts {
		k := concept{id: tc.ID}
		for _, v := range tc.Variants {
			k.variants = append(k.variants, v)
			if looksEnglish(v) {
				k.english = append(k.english, v)
			}
		}
		k.variants = append(k.variants, tc.VariantsByLang[analysis.French]...)
		k.english = append(k.english, tc.VariantsByLang[analysis.English]...)
		if len(k.english) == 0 {
			k.english = k.variants
		}
		g.concepts = append(g.concepts, k)
	}
	g.sourceTable = newTable(len(g.sources), 1)
	g.conceptTable = newTable(len(g.concepts), 1)
	return g, nil
}

// looksEnglish reports whether a concept variant can stand in English text:
// no French letters and no French word.
func looksEnglish(v string) bool {
	if strings.ContainsAny(v, "éèêàâçôûîœ") {
		return false
	}
	for _, w := range strings.Fields(strings.ToLower(v)) {
		switch w {
		case "de", "du", "des", "la", "le", "travail", "travailleurs", "intelligence", "intelligences",
			"artificielle", "artificielles", "apprentissage", "automatique", "machine", "capitalisme",
			"internet", "objets", "contenus", "fermes", "turc", "droit", "code", "lien", "salaire",
			"contrat", "loi", "dialogue", "protection", "vie", "courtiers", "infox", "canular", "plateforme",
			"plateformisation", "plateformiser", "automatiser", "uberiser", "syndicat", "syndical",
			"syndicalisme", "syndiquer", "syndicaliste", "requalification", "requalifier", "salariat",
			"subordination", "ludification", "ludifier", "automatisation", "algorithme", "algorithmique",
			"microtravail", "microtravailleur", "microtâcheron", "cybertâcheron", "filtreur", "liker",
			"likant", "dataïfication", "surveillance":
			return false
		}
	}
	return true
}

// domainOf makes a web domain from a source name.
func domainOf(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(analysis.Fold(name)) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	return b.String() + ".example"
}

// A header is what is drawn first for a document: cheap to recompute, so a
// mention can find the press review before it.
type header struct {
	id     string
	source *source
	kind   corpus.Kind
	date   time.Time
}

// header returns the header of document i.
func (g *generator) header(i int) header {
	r := rand.New(rand.NewPCG(g.seed^saltHeader, uint64(i)))
	src := &g.sources[g.sourceTable.draw(r)]
	h := header{source: src, kind: drawKind(r, src.kind), date: drawDate(r)}
	h.id = fmt.Sprintf("%s-%07d", h.date.Format(corpus.DateLayout), i)
	return h
}

// drawKind draws a document kind fitting its source.
func drawKind(r *rand.Rand, sourceKind string) corpus.Kind {
	type choice struct {
		kind   corpus.Kind
		weight int
	}
	var choices []choice
	switch sourceKind {
	case "blog":
		choices = []choice{{corpus.Post, 55}, {corpus.PressReview, 8}, {corpus.Mention, 20}, {corpus.Seminar, 10}, {corpus.Video, 7}}
	case "broadcast":
		choices = []choice{{corpus.Video, 45}, {corpus.Interview, 45}, {corpus.Press, 10}}
	default:
		choices = []choice{{corpus.Press, 75}, {corpus.Interview, 18}, {corpus.Video, 7}}
	}
	n := r.IntN(100)
	for _, c := range choices {
		if n < c.weight {
			return c.kind
		}
		n -= c.weight
	}
	return choices[0].kind
}

// drawDate draws a day of the corpus span; later years hold more documents
// (the density grows linearly to 2.5 times the first year's).
func drawDate(r *rand.Rand) time.Time {
	const a = 1.5
	u := r.Float64()
	// Inverse of F(t) = (t + a t²/2) / (1 + a/2) on [0, 1].
	t := (-1 + math.Sqrt(1+2*a*u*(1+a/2))) / a
	start := time.Date(firstYear, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(lastYear+1, 1, 1, 0, 0, 0, 0, time.UTC)
	days := int(end.Sub(start).Hours() / 24)
	return start.AddDate(0, 0, min(int(t*float64(days)), days-1))
}

// docStats counts what one document holds.
type docStats struct {
	textBytes  int
	paragraphs int
	english    int // English paragraphs
	tokens     map[analysis.Lang]int
	ranks      map[string][]uint32 // lexicon name → ranks drawn
}

// document makes document i.
func (g *generator) document(i int) (corpus.Record, docStats) {
	h := g.header(i)
	r := rand.New(rand.NewPCG(g.seed^saltBody, uint64(i)))
	st := docStats{tokens: make(map[analysis.Lang]int), ranks: make(map[string][]uint32)}
	t := &text{g: g, r: r, st: &st, curly: r.Float64() < 0.55}

	// Languages: most documents follow their source; some mix in the
	// other language.
	major, minor := h.source.lang, analysis.English
	if major == analysis.English {
		minor = analysis.French
	}
	mixed := false
	switch u := r.Float64(); {
	case u < 0.07:
		major, minor = minor, major
	case u < 0.27:
		mixed = true
	}
	// Topics: the concepts the document is about.
	var topics []*concept
	if r.Float64() < 0.75 {
		for range 1 + r.IntN(3) {
			topics = append(topics, &g.concepts[g.conceptTable.draw(r)])
		}
	}
	t.topics = topics

	rec := corpus.Record{ID: h.id, Source: h.source.name, Kind: h.kind, Date: h.date.Format(corpus.DateLayout)}
	rec.Title = t.title(major)
	rec.URL = fmt.Sprintf("https://%s/%s/%s", h.source.domain, h.date.Format("2006/01"), h.id)
	if h.kind == corpus.Mention {
		for j := i - 1; j >= 0 && j >= i-40; j-- {
			if p := g.header(j); p.kind == corpus.PressReview {
				rec.Parent = p.id
				break
			}
		}
	}
	target := 1000 + r.IntN(1000)
	if h.kind == corpus.Mention {
		target = 250 + r.IntN(450)
	}
	var paras []corpus.RecordSection
	size := 0
	for size < target {
		lang := major
		if mixed && r.Float64() < 0.4 {
			lang = minor
		}
		p := t.paragraph(lang, min(150+r.IntN(400), target-size))
		paras = append(paras, corpus.RecordSection{Text: p, Lang: lang})
		size += len(p) + 2
		st.paragraphs++
		if lang == analysis.English {
			st.english++
		}
	}
	st.textBytes = len(rec.Title) + size - 2

	// Both shapes of the schema: a body (language detected by the
	// indexer) or paragraphs, with their language when mixed.
	if r.Float64() < 0.5 {
		rec.Lang = major
	}
	if mixed || r.Float64() < 0.3 {
		for k := range paras {
			if !mixed || r.Float64() < 0.2 {
				paras[k].Lang = ""
			}
		}
		rec.Paragraphs = paras
	} else {
		texts := make([]string, len(paras))
		for k, p := range paras {
			texts[k] = p.Text
		}
		rec.Body = strings.Join(texts, "\n\n")
	}
	return rec, st
}
