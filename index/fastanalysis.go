package index

import (
	"github.com/blevesearch/bleve/v2/analysis"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// A docAnalyzer analyses a document for every text field in one pass: each
// word is tokenized and normalised once, then given to the fields that want
// it. It produces the same terms as the registered analyzers (analyzers.go)
// would field by field — TestDocAnalyzerMatchesBleve checks it — at a
// fraction of the cost. It is safe for concurrent use.
type docAnalyzer struct {
	fr, en *text.Stemmer
}

func newDocAnalyzer() *docAnalyzer {
	return &docAnalyzer{fr: text.NewStemmer(text.French), en: text.NewStemmer(text.English)}
}

// fieldStreams holds the token streams of a document's text fields.
type fieldStreams map[string]analysis.TokenStream

// streamBuilder accumulates the streams of one document.
type streamBuilder struct {
	a       *docAnalyzer
	out     fieldStreams
	tokens  []text.Token
	slab    []analysis.Token
	lastPos int    // position of the previous plain word, for pairs
	last    []byte // its term
}

// streams analyses a document.
func (a *docAnalyzer) streams(d *corpus.Document) fieldStreams {
	b := &streamBuilder{a: a, out: fieldStreams{}}
	titleStem := fieldTitleFR
	if d.TitleLang == text.English {
		titleStem = fieldTitleEN
	}
	b.segment(d.Title, fieldTitlePlain, titleStem, d.TitleLang, true)
	for _, p := range d.Paragraphs {
		stem := fieldBodyFR
		if p.Lang == text.English {
			stem = fieldBodyEN
		}
		b.segment(p.Text, fieldBodyPlain, stem, p.Lang, true)
	}
	b.segment(d.Source, fieldSourceText, "", "", false)
	return b.out
}

// token appends a token to a field's stream.
func (b *streamBuilder) token(field string, term []byte, t *text.Token, typ analysis.TokenType) {
	if len(b.slab) == cap(b.slab) {
		b.slab = make([]analysis.Token, 0, 256)
	}
	b.slab = append(b.slab, analysis.Token{Term: term, Start: t.Start, End: t.End, Position: t.Position, Type: typ})
	b.out[field] = append(b.out[field], &b.slab[len(b.slab)-1])
}

// segment analyses one text (a title, a paragraph, a source) into its plain
// field, its stem field (when not empty) and, with pairs, the pairs field. A
// segment ends a phrase: no pair spans two segments.
func (b *streamBuilder) segment(s, plainField, stemField string, lang text.Lang, pairs bool) {
	if s == "" {
		return
	}
	stemmer, stopLang := b.a.fr, text.French
	if lang == text.English {
		stemmer, stopLang = b.a.en, text.English
	}
	b.last = nil
	b.tokens = text.AppendTokens(b.tokens[:0], s)
	for i := range b.tokens {
		t := &b.tokens[i]
		typ := analysis.AlphaNumeric
		if t.Joined {
			typ = analysis.Shingle
		}
		e := text.StripPossessive(text.Elide(text.Lower(t.Text)))
		if e == "" {
			continue
		}
		if !text.IsStopWord(text.Any, e) {
			plain := []byte(text.Fold(e))
			b.token(plainField, plain, t, typ)
			if pairs && !t.Joined {
				if b.last != nil && t.Position > b.lastPos && t.Position-b.lastPos < text.BreakGap {
					pt := *t
					pt.Position = b.lastPos
					b.token(fieldPairs, pairTerm(b.last, plain), &pt, analysis.Shingle)
				}
				b.last, b.lastPos = plain, t.Position
			}
		}
		if stemField != "" && !text.IsStopWord(stopLang, e) {
			first, second := stemmer.Forms(e)
			b.token(stemField, []byte(first), t, typ)
			if second != "" {
				b.token(stemField, []byte(second), t, typ)
			}
		}
	}
}

// staticAnalyzer hands bleve a stream analysed beforehand.
type staticAnalyzer analysis.TokenStream

func (s staticAnalyzer) Analyze([]byte) analysis.TokenStream { return analysis.TokenStream(s) }
