package main

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"tacheron/corpus/analysis"
)

// Rates of the text, per token unless said otherwise.
const (
	rateProperNoun  = 0.025
	rateNumber      = 0.01
	rateCompound    = 0.02 // of content words
	ratePossessive  = 0.02 // of English content words
	rateComma       = 0.06
	rateQuote       = 0.04 // of sentences
	rateTopicPara   = 0.7  // paragraphs of a document with topics that name one
	rateSecondTopic = 0.2  // of those, paragraphs that name two
	rateStrayTopic  = 0.08 // paragraphs of a document without topics that name a concept
	rateCollocation = 0.15 // of paragraphs
)

// A text writes the title and paragraphs of one document.
type text struct {
	g      *generator
	r      *rand.Rand
	st     *docStats
	curly  bool // the document writes ’ rather than '
	topics []*concept
}

// lexicon returns the lexicon of a language.
func (t *text) lexicon(lang analysis.Lang) *lexicon {
	if lang == analysis.English {
		return t.g.en
	}
	return t.g.fr
}

// apostrophe returns the document's apostrophe, sometimes the other one.
func (t *text) apostrophe() string {
	if t.curly != (t.r.Float64() < 0.05) {
		return "’"
	}
	return "'"
}

// token draws one word (or a proper noun of several).
func (t *text) token(lang analysis.Lang) string {
	r := t.r
	switch u := r.Float64(); {
	case u < rateProperNoun:
		if r.Float64() < 0.7 {
			return t.g.realNames[t.g.nameTable.draw(r)]
		}
		rank := t.g.names.draw(r)
		t.st.ranks["names"] = append(t.st.ranks["names"], uint32(rank))
		return t.g.names.word(rank)
	case u < rateProperNoun+rateNumber:
		return t.number(lang)
	}
	lex := t.lexicon(lang)
	rank := lex.draw(r)
	t.st.ranks[string(lang)] = append(t.st.ranks[string(lang)], uint32(rank))
	t.st.tokens[lang]++
	w := lex.word(rank)
	if lex.isFunction(rank) {
		return w
	}
	if r.Float64() < rateCompound {
		if r.Float64() < 0.5 {
			cs := t.g.compounds[lang]
			return strings.ReplaceAll(cs[r.IntN(len(cs))], "’", t.apostrophe())
		}
		return t.g.prefixes[r.IntN(len(t.g.prefixes))] + "-" + w
	}
	if lang == analysis.English && r.Float64() < ratePossessive {
		return w + t.apostrophe() + "s"
	}
	return w
}

// number draws a year, a percentage or an amount.
func (t *text) number(lang analysis.Lang) string {
	r := t.r
	switch u := r.IntN(100); {
	case u < 40:
		return strconv.Itoa(1990 + r.IntN(35))
	case u < 60:
		if lang == analysis.English {
			return strconv.Itoa(1+r.IntN(99)) + "%"
		}
		return strconv.Itoa(1+r.IntN(99)) + " %"
	case u < 75:
		a, b := strconv.Itoa(1+r.IntN(9)), strconv.Itoa(r.IntN(10))
		if lang == analysis.English {
			return a + "." + b + " million"
		}
		return a + "," + b + " millions"
	}
	return strconv.Itoa(1 + r.IntN(1000))
}

// variant draws a variant of a concept fitting the language.
func (t *text) variant(c *concept, lang analysis.Lang) string {
	vs := c.variants
	if lang == analysis.English {
		vs = c.english
	}
	return vs[t.r.IntN(len(vs))]
}

// extras draws the concept variants and collocations of a paragraph.
func (t *text) extras(lang analysis.Lang) []string {
	r := t.r
	var out []string
	switch {
	case len(t.topics) > 0 && r.Float64() < rateTopicPara:
		n := 1
		if r.Float64() < rateSecondTopic {
			n = 2
		}
		for range n {
			out = append(out, t.variant(t.topics[r.IntN(len(t.topics))], lang))
		}
	case len(t.topics) == 0 && r.Float64() < rateStrayTopic:
		out = append(out, t.variant(&t.g.concepts[r.IntN(len(t.g.concepts))], lang))
	}
	if r.Float64() < rateCollocation {
		cs := t.g.collocations[lang]
		out = append(out, strings.ReplaceAll(cs[r.IntN(len(cs))], "’", t.apostrophe()))
	}
	return out
}

// paragraph writes sentences until about target bytes.
func (t *text) paragraph(lang analysis.Lang, target int) string {
	r := t.r
	var sentences [][]string
	size := 0
	for size < target || len(sentences) == 0 {
		n := 6 + r.IntN(20)
		s := make([]string, 0, n+2)
		for range n {
			w := t.token(lang)
			if k := len(s); k > 0 && s[k-1] == w {
				continue
			}
			s = append(s, w)
			size += len(w) + 1
		}
		sentences = append(sentences, s)
	}
	for _, x := range t.extras(lang) {
		k := r.IntN(len(sentences))
		at := r.IntN(len(sentences[k]) + 1)
		sentences[k] = append(sentences[k][:at], append([]string{x}, sentences[k][at:]...)...)
	}
	var b strings.Builder
	for k, s := range sentences {
		if k > 0 {
			b.WriteByte(' ')
		}
		t.sentence(&b, s, lang, t.end(lang))
	}
	return b.String()
}

// end draws the punctuation that ends a sentence.
func (t *text) end(lang analysis.Lang) string {
	p := "."
	switch u := t.r.IntN(100); {
	case u < 8:
		p = "?"
	case u < 11:
		p = "!"
	case u < 15:
		p = "…"
	}
	if p != "." && p != "…" && lang == analysis.French {
		if t.r.IntN(5) == 0 {
			return "\u00a0" + p
		}
		return " " + p
	}
	return p
}

// title writes a title: a few words, often naming a topic.
func (t *text) title(lang analysis.Lang) string {
	r := t.r
	n := 4 + r.IntN(8)
	words := make([]string, 0, n+1)
	for range n {
		words = append(words, t.token(lang))
	}
	if len(t.topics) > 0 && r.Float64() < 0.4 {
		at := r.IntN(len(words) + 1)
		words = append(words[:at], append([]string{t.variant(t.topics[0], lang)}, words[at:]...)...)
	}
	var b strings.Builder
	end := ""
	switch u := r.IntN(100); {
	case u < 15:
		end = t.end(lang)
	case u < 30 && n > 5:
		// "Titre : sous-titre"
		sep := ": "
		if lang == analysis.French {
			sep = " : "
		}
		t.sentence(&b, words[:3], lang, "")
		b.WriteString(sep)
		words = words[3:]
	}
	t.sentence(&b, words, lang, end)
	return b.String()
}

// sentence writes words as a sentence: capitalised, French elisions,
// commas, sometimes a quotation, then end.
func (t *text) sentence(b *strings.Builder, words []string, lang analysis.Lang, end string) {
	r := t.r
	open, closeQuote := -1, -1
	if len(words) > 5 && r.Float64() < rateQuote {
		open = 1 + r.IntN(len(words)-4)
		closeQuote = open + 1 + r.IntN(3)
	}
	var s strings.Builder
	for k, w := range words {
		if k == open {
			if lang == analysis.French {
				s.WriteString("« ")
			} else {
				s.WriteString("“")
			}
		}
		if lang == analysis.French && k+1 < len(words) && k != closeQuote && k+1 != open {
			if e := elided(w); e != "" && startsWithVowel(words[k+1]) {
				s.WriteString(e)
				s.WriteString(t.apostrophe())
				continue
			}
		}
		s.WriteString(w)
		if k == closeQuote {
			if lang == analysis.French {
				s.WriteString(" »")
			} else {
				s.WriteString("”")
			}
		}
		if k+1 < len(words) {
			if r.Float64() < rateComma {
				s.WriteByte(',')
			}
			s.WriteByte(' ')
		}
	}
	s.WriteString(end)
	text := s.String()
	first, size := utf8.DecodeRuneInString(text)
	b.WriteRune(unicode.ToUpper(first))
	b.WriteString(text[size:])
}

// elided returns the elided form of a French word ("le" → "l"), or "".
func elided(w string) string {
	switch w {
	case "le", "la":
		return "l"
	case "de", "ne", "se", "ce", "je", "me", "te":
		return w[:1]
	case "que", "jusque", "lorsque", "puisque":
		return w[:len(w)-1]
	}
	return ""
}

// startsWithVowel reports whether a word starts with a vowel or an h.
func startsWithVowel(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	return strings.ContainsRune("aeiouyhéèêàâîôûAEIOUYHÉÈÊÀÂÎÔÛ", r)
}
