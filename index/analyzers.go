package index

import (
	"bytes"
	"fmt"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
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
	// PairsAnalyzer emits adjacent word pairs as single terms ("mechanical
	// turk" → "mechanicalturk"): phrases and compounds written in two words.
	PairsAnalyzer = "tacheron_pairs"
)

// Names of the components registered with bleve.
const (
	wordsTokenizer   = "tacheron_words"
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
		PlainAnalyzer:   {lowercase.Name, elisionFilter, possessiveFilter, stopAnyFilter, foldFilter},
		FrenchAnalyzer:  {lowercase.Name, elisionFilter, possessiveFilter, stopFRFilter, stemFRFilter, foldFilter},
		EnglishAnalyzer: {lowercase.Name, elisionFilter, possessiveFilter, stopENFilter, stemENFilter, foldFilter},
		PairsAnalyzer:   {lowercase.Name, elisionFilter, possessiveFilter, stopAnyFilter, foldFilter, pairsFilter},
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

// pairsFilterImpl replaces the words of a stream by the concatenation of
// each two words of one phrase that follow each other (stop words between
// them do not separate them). Joined compounds are left out.
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
				Term:     bytes.Join([][]byte{prev.Term, t.Term}, nil),
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
