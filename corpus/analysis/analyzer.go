package analysis

// An Analyzer turns the words of a text into index terms: lower case,
// elision and possessive removed, stop words dropped, Snowball stem (when it
// has a stemmer), accents folded last.
type Analyzer struct {
	lang     Lang
	stemmer  *Stemmer
	keepStop bool
}

// NewAnalyzer returns the analyzer of lang. With stem false it keeps words
// whole (and drops the stop words of both languages when lang is Any). With
// keepStop true it keeps stop words, as matching a phrase needs them.
func NewAnalyzer(lang Lang, stem, keepStop bool) *Analyzer {
	a := &Analyzer{lang: lang, keepStop: keepStop}
	if stem && lang != Any {
		a.stemmer = NewStemmer(lang)
	}
	return a
}

// Lang returns the analyzer's language.
func (a *Analyzer) Lang() Lang { return a.lang }

// Term analyses one word as written; ok is false for a stop word.
func (a *Analyzer) Term(word string) (term string, ok bool) {
	w := StripPossessive(Elide(Lower(word)))
	if w == "" || (!a.keepStop && IsStopWord(a.lang, w)) {
		return "", false
	}
	if a.stemmer != nil {
		w = a.stemmer.Stem(w)
	}
	return Fold(w), true
}

// A Term is an analysed word of a text with its place in the text.
type Term struct {
	Term       string
	Start, End int
	Position   int
	Joined     bool
}

// Terms analyses text into its terms, in order.
func (a *Analyzer) Terms(text string) []Term {
	tokens := Tokenize(text)
	terms := make([]Term, 0, len(tokens))
	for _, t := range tokens {
		if term, ok := a.Term(t.Text); ok {
			terms = append(terms, Term{Term: term, Start: t.Start, End: t.End, Position: t.Position, Joined: t.Joined})
		}
	}
	return terms
}
