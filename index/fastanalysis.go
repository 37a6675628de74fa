package index

import (
	"github.com/blevesearch/bleve/v2/analysis"
	bleveindex "github.com/blevesearch/bleve_index_api"

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

// streamBuilder analyses one document, handing each token to emit.
type streamBuilder struct {
	a       *docAnalyzer
	emit    func(field string, term []byte, t *text.Token, typ analysis.TokenType)
	tokens  []text.Token
	lastPos int    // position of the previous plain word, for pairs
	last    []byte // its term
	// tag, when set, collects in tagTerms the terms of the title and of
	// each paragraph as the taxonomy matches them (corpus.Taxonomy.MatchTerms).
	tag      bool
	tagTerms [][]text.Term
	// plain, when set, emits the plain fields only: no stems, no pairs.
	plain bool
}

// streams analyses a document into the token stream of each field.
func (a *docAnalyzer) streams(d *corpus.Document) fieldStreams {
	out := fieldStreams{}
	var slab []analysis.Token
	b := &streamBuilder{a: a, emit: func(field string, term []byte, t *text.Token, typ analysis.TokenType) {
		if len(slab) == cap(slab) {
			slab = make([]analysis.Token, 0, 256)
		}
		slab = append(slab, analysis.Token{Term: term, Start: t.Start, End: t.End, Position: t.Position, Type: typ})
		out[field] = append(out[field], &slab[len(slab)-1])
	}}
	b.document(d)
	return out
}

// A termCounts holds the terms of one field of a document and how often
// each occurs: what bleve indexes of a field without term vectors.
type termCounts struct {
	name   string
	freqs  bleveindex.TokenFrequencies
	length int
}

// add counts n occurrences of term.
func (f *termCounts) add(term string, n int) {
	if n <= 0 {
		return
	}
	f.length += n
	tf := f.freqs[term]
	if tf == nil {
		tf = &bleveindex.TokenFreq{Term: []byte(term)}
		f.freqs[term] = tf
	}
	tf.SetFrequency(tf.Frequency() + n)
}

// counts analyses a document into the term frequencies of each field, in
// the order of textFieldIndex, leaving out empty fields. It makes the
// same terms as streams without keeping a token per word. With tag, it
// also returns the terms the taxonomy matches (corpus.Taxonomy.TagTerms)
// of the title, then of each paragraph, from the same words: a document
// is analysed once.
func (a *docAnalyzer) counts(d *corpus.Document, tag bool) ([]*termCounts, [][]text.Term) {
	var fields [numTextFields]*termCounts
	var slab []bleveindex.TokenFreq
	b := &streamBuilder{a: a, emit: func(field string, term []byte, _ *text.Token, _ analysis.TokenType) {
		i := textFieldIndex(field)
		f := fields[i]
		if f == nil {
			f = &termCounts{name: field, freqs: bleveindex.TokenFrequencies{}}
			fields[i] = f
		}
		f.length++
		tf := f.freqs[string(term)]
		if tf == nil {
			if len(slab) == cap(slab) {
				slab = make([]bleveindex.TokenFreq, 0, 256)
			}
			slab = append(slab, bleveindex.TokenFreq{Term: term})
			tf = &slab[len(slab)-1]
			f.freqs[string(term)] = tf
		}
		tf.SetFrequency(tf.Frequency() + 1)
	}, tag: tag}
	b.document(d)
	out := make([]*termCounts, 0, len(fields))
	for _, f := range fields {
		if f != nil {
			out = append(out, f)
		}
	}
	return out, b.tagTerms
}

// document analyses the title, paragraphs and source of d.
func (b *streamBuilder) document(d *corpus.Document) {
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
	b.tag = false // the source is not tagged
	b.segment(d.Source, fieldSourceText, "", "", false)
}

// segment analyses one text (a title, a paragraph, a source) into its plain
// field, its stem field (when not empty) and, with pairs, the pairs field. A
// segment ends a phrase: no pair spans two segments.
func (b *streamBuilder) segment(s, plainField, stemField string, lang text.Lang, pairs bool) {
	var tagTerms []text.Term
	if b.tag {
		defer func() { b.tagTerms = append(b.tagTerms, tagTerms) }()
	}
	if s == "" {
		return
	}
	if b.plain {
		stemField, pairs = "", false
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
			b.emit(plainField, plain, t, typ)
			if pairs && !t.Joined {
				if b.last != nil && t.Position > b.lastPos && t.Position-b.lastPos < text.BreakGap {
					pt := *t
					pt.Position = b.lastPos
					b.emit(fieldPairs, pairTerm(b.last, plain), &pt, analysis.Shingle)
				}
				b.last, b.lastPos = plain, t.Position
			}
		}
		stop := text.IsStopWord(stopLang, e)
		if stemField != "" && !stop {
			first, second := stemmer.Forms(e)
			b.emit(stemField, []byte(first), t, typ)
			if second != "" {
				b.emit(stemField, []byte(second), t, typ)
			}
			if b.tag {
				tagTerms = append(tagTerms, text.Term{Term: first, Start: t.Start, End: t.End, Position: t.Position, Joined: t.Joined})
			}
		} else if b.tag {
			// The taxonomy keeps stop words, stemmed as others.
			tagTerms = append(tagTerms, text.Term{Term: text.Fold(stemmer.Stem(e)), Start: t.Start, End: t.End, Position: t.Position, Joined: t.Joined})
		}
	}
}

// A countedField is a field analysed beforehand, given to bleve as its term
// frequencies: it is indexed only, without stored value, term vectors or
// doc values, as the mapping declares every tacheron field.
type countedField termCounts

func (f *countedField) Name() string                                          { return f.name }
func (f *countedField) ArrayPositions() []uint64                              { return nil }
func (f *countedField) Options() bleveindex.FieldIndexingOptions              { return bleveindex.IndexField }
func (f *countedField) Analyze()                                              {}
func (f *countedField) Value() []byte                                         { return nil }
func (f *countedField) NumPlainTextBytes() uint64                             { return 0 }
func (f *countedField) EncodedFieldType() byte                                { return 't' }
func (f *countedField) AnalyzedLength() int                                   { return f.length }
func (f *countedField) AnalyzedTokenFrequencies() bleveindex.TokenFrequencies { return f.freqs }

// Size estimates the memory the field holds, as bleve asks of a field.
func (f *countedField) Size() int {
	n := 64
	for term := range f.freqs {
		n += 2*len(term) + 120
	}
	return n
}
