package index

import (
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"

	text "tacheron/corpus/analysis"
)

// The analyzers of tacheron's fields. Every one starts with the words
// tokenizer and lower-cases before removing elisions.
const (
	// PlainAnalyzer keeps words whole (no stemming) and folds accents: the
	// exact forms, typo and prefix matching.
	PlainAnalyzer = "tacheron_plain"
	// FrenchAnalyzer stems with Snowball French and folds accents after.
	FrenchAnalyzer = "tacheron_fr"
	// EnglishAnalyzer strips possessives and stems with Snowball English.
	EnglishAnalyzer = "tacheron_en"
	// PairsAnalyzer emits each pair of adjacent words as one term, a hash
	// bucket of the pair (see pairTerm): phrases and adjacency.
	PairsAnalyzer = "tacheron_pairs"
)

// Names of the components registered with bleve.
const (
	wordsTokenizer   = "tacheron_words"
	lowerFilter      = "tacheron_lower"
	elisionFilter    = "tacheron_elision"
	possessiveFilter = "tacheron_possessive"
	stopFRFilter     = "tacheron_stop_fr"
	stopENFilter     = "tacheron_stop_en"
	stopAnyFilter    = "tacheron_stop_any"
	stemFRFilter     = "tacheron_stem_fr"
	stemENFilter     = "tacheron_stem_en"
	foldFilter       = "tacheron_fold"
	pairsFilter      = "tacheron_pairs"
)

// analyzerChains lists each analyzer's token filters, after the words
// tokenizer.
func analyzerChains() map[string][]string {
	return map[string][]string{
		PlainAnalyzer:   {lowerFilter, elisionFilter, possessiveFilter, stopAnyFilter, foldFilter},
		FrenchAnalyzer:  {lowerFilter, elisionFilter, possessiveFilter, stopFRFilter, stemFRFilter, foldFilter},
		EnglishAnalyzer: {lowerFilter, elisionFilter, possessiveFilter, stopENFilter, stemENFilter, foldFilter},
		PairsAnalyzer:   {lowerFilter, elisionFilter, possessiveFilter, stopAnyFilter, foldFilter, pairsFilter},
	}
}

// init registers tacheron's tokenizer and token filters with bleve's
// process-wide registry; the analyzers are defined in the mapping.
func init() {
	must := func(err error) {
		if err != nil {
			panic(fmt.Sprintf("index: register bleve component: %v", err))
		}
	}
	must(registry.RegisterTokenizer(wordsTokenizer, func(map[string]any, *registry.Cache) (analysis.Tokenizer, error) {
		return wordsTokenizerImpl{}, nil
	}))
	must(registry.RegisterTokenFilter(lowerFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		// Unicode lower case of whole words (bleve's to_lower mangles
		// letters whose lower case is longer, such as İ).
		return mapFilter(text.Lower), nil
	}))
	must(registry.RegisterTokenFilter(elisionFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return mapFilter(text.Elide), nil
	}))
	must(registry.RegisterTokenFilter(possessiveFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return mapFilter(text.StripPossessive), nil
	}))
	must(registry.RegisterTokenFilter(foldFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return mapFilter(text.Fold), nil
	}))
	for name, lang := range map[string]text.Lang{stopFRFilter: text.French, stopENFilter: text.English, stopAnyFilter: text.Any} {
		must(registry.RegisterTokenFilter(name, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return stopFilter{lang: lang}, nil
		}))
	}
	for name, lang := range map[string]text.Lang{stemFRFilter: text.French, stemENFilter: text.English} {
		must(registry.RegisterTokenFilter(name, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
			return stemFilter{text.NewStemmer(lang)}, nil
		}))
	}
	must(registry.RegisterTokenFilter(pairsFilter, func(map[string]any, *registry.Cache) (analysis.TokenFilter, error) {
		return pairsFilterImpl{}, nil
	}))
}

// wordsTokenizerImpl splits text with tacheron's word tokenizer: hyphenated
// compounds yield their parts and their joined form (typed Shingle).
type wordsTokenizerImpl struct{}

func (wordsTokenizerImpl) Tokenize(input []byte) analysis.TokenStream {
	tokens := text.Tokenize(string(input))
	stream := make(analysis.TokenStream, len(tokens))
	for i, t := range tokens {
		typ := analysis.AlphaNumeric
		if t.Joined {
			typ = analysis.Shingle
		}
		stream[i] = &analysis.Token{Term: []byte(t.Text), Start: t.Start, End: t.End, Position: t.Position, Type: typ}
	}
	return stream
}

// mapFilter applies a function to every term; an empty result drops the
// token.
type mapFilter func(string) string

func (f mapFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, t := range input {
		term := f(string(t.Term))
		if term == "" {
			continue
		}
		if term != string(t.Term) {
			t.Term = []byte(term)
		}
		out = append(out, t)
	}
	return out
}

// stemFilter replaces each word by its folded stem and, at the same
// position, the stem of the folded word when it differs (see
// text.Stemmer.Forms).
type stemFilter struct{ s *text.Stemmer }

func (f stemFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := make(analysis.TokenStream, 0, len(input))
	for _, t := range input {
		first, second := f.s.Forms(string(t.Term))
		t.Term = []byte(first)
		out = append(out, t)
		if second != "" {
			extra := *t
			extra.Term = []byte(second)
			out = append(out, &extra)
		}
	}
	return out
}

// stopFilter drops the stop words of a language (of both for text.Any).
type stopFilter struct{ lang text.Lang }

func (f stopFilter) Filter(input analysis.TokenStream) analysis.TokenStream {
	out := input[:0]
	for _, t := range input {
		if !text.IsStopWord(f.lang, string(t.Term)) {
			out = append(out, t)
		}
	}
	return out
}

// pairBuckets is the number of distinct pair terms. Pairs are hashed into
// buckets so that the dictionary stays small (a dictionary of every pair of
// words costs bleve dearly to build); a search checks that a document holds
// both words before it trusts their pair, so a collision can only mistake
// two words of one document for neighbours, about once in pairBuckets
// pairs.
const pairBuckets = 1 << 16

// pairTerm returns the term of the pair of words a, b.
func pairTerm(a, b []byte) []byte {
	h := uint32(2166136261)
	for _, c := range a {
		h = (h ^ uint32(c)) * 16777619
	}
	h = (h ^ 0xff) * 16777619
	for _, c := range b {
		h = (h ^ uint32(c)) * 16777619
	}
	return fmt.Appendf(nil, "~%04x", h%pairBuckets)
}

// pairsFilterImpl replaces the words of a stream by the pair terms of each
// two words of one phrase that follow each other (stop words between them
// do not separate them). Joined compounds are left out.
type pairsFilterImpl struct{}

func (pairsFilterImpl) Filter(input analysis.TokenStream) analysis.TokenStream {
	var out analysis.TokenStream
	var prev *analysis.Token
	for _, t := range input {
		if t.Type == analysis.Shingle {
			continue
		}
		if prev != nil && t.Position > prev.Position && t.Position-prev.Position < text.BreakGap {
			out = append(out, &analysis.Token{
				Term:     pairTerm(prev.Term, t.Term),
				Start:    prev.Start,
				End:      t.End,
				Position: prev.Position,
				Type:     analysis.Shingle,
			})
		}
		prev = t
	}
	return out
}
