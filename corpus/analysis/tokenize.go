package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A Token is one word of a text.
type Token struct {
	// Text is the word as written (case and accents kept).
	Text string
	// Start and End are byte offsets of the word in the text.
	Start, End int
	// Position is the 1-based index of the word. Words separated by sentence
	// punctuation are BreakGap positions apart.
	Position int
	// Joined marks the single-word form of a hyphenated compound
	// ("micro-travail" → "microtravail"), emitted at the position of its
	// first part in addition to the parts themselves.
	Joined bool
}

// BreakGap is the difference of positions between two words separated by
// sentence punctuation: words of one phrase are less than BreakGap apart.
const BreakGap = 8

// maxCompoundParts bounds the parts of a hyphenated word that are joined.
const maxCompoundParts = 4

// isWordRune reports whether r belongs to a word.
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') || ('0' <= r && r <= '9')
	}
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)
}

// asciiWord reports whether the byte c is an ASCII letter or digit.
func asciiWord(c byte) bool {
	return ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9')
}

// isApostrophe reports whether r is one of the apostrophes used in elisions
// and possessives.
func isApostrophe(r rune) bool {
	return r == '\'' || r == '’' || r == 'ʼ' || r == '‘'
}

// IsHyphen reports whether r joins the parts of a compound word.
func IsHyphen(r rune) bool {
	return r == '-' || r == '‐' || r == '‑'
}

// isBreak reports whether r ends a phrase.
func isBreak(r rune) bool {
	switch r {
	case '\n', '.', '!', '?', ';', ':', '(', ')', '[', ']', '{', '}', '«', '»', '"', '“', '”', '—', '–', '…', '|', '•', '·':
		return true
	}
	return false
}

// Tokenize splits text into words. A word is a run of letters and digits
// that may hold apostrophes (l’uberisation, Amazon's) and hyphens
// (micro-travail). A hyphenated word yields its parts and, when it has at
// most four parts, its joined form (see JoinCompound).
func Tokenize(text string) []Token {
	return AppendTokens(make([]Token, 0, len(text)/6+1), text)
}

// AppendTokens appends the words of text (see Tokenize) to tokens.
func AppendTokens(tokens []Token, text string) []Token {
	pos := 0
	gap := false
	i := 0
	for i < len(text) {
		if c := text[i]; c < utf8.RuneSelf && !asciiWord(c) {
			if isBreak(rune(c)) {
				gap = true
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if !isWordRune(r) {
			if isBreak(r) {
				gap = true
			}
			i += size
			continue
		}
		// A word starts at i. Scan parts separated by single hyphens; an
		// apostrophe followed by a word rune stays inside the part.
		var partsBuf [maxCompoundParts + 1]span
		parts := partsBuf[:0]
		start := i
		for {
			j := i
			for j < len(text) {
				if asciiWord(text[j]) {
					j++
					continue
				}
				r, size := utf8.DecodeRuneInString(text[j:])
				if isWordRune(r) {
					j += size
					continue
				}
				if isApostrophe(r) && j+size < len(text) {
					if next, _ := utf8.DecodeRuneInString(text[j+size:]); isWordRune(next) {
						j += size
						continue
					}
				}
				break
			}
			parts = append(parts, span{start, j})
			i = j
			if i >= len(text) {
				break
			}
			r, size := utf8.DecodeRuneInString(text[i:])
			if !IsHyphen(r) || i+size >= len(text) {
				break
			}
			if next, _ := utf8.DecodeRuneInString(text[i+size:]); !isWordRune(next) {
				break
			}
			i += size
			start = i
		}
		pos++
		if gap && pos > 1 {
			pos += BreakGap - 1
		}
		gap = false
		first := pos
		for k, p := range parts {
			if k > 0 {
				pos++
			}
			tokens = append(tokens, Token{Text: text[p.start:p.end], Start: p.start, End: p.end, Position: pos})
		}
		if len(parts) > 1 && len(parts) <= maxCompoundParts {
			var wordsBuf [maxCompoundParts]string
			words := wordsBuf[:len(parts)]
			for k, p := range parts {
				words[k] = text[p.start:p.end]
			}
			tokens = append(tokens, Token{
				Text:     JoinCompound(words),
				Start:    parts[0].start,
				End:      parts[len(parts)-1].end,
				Position: first,
				Joined:   true,
			})
		}
	}
	return tokens
}

// span is a part of a word.
type span struct{ start, end int }

// JoinCompound joins the parts of a compound into one word. A plural s or x
// at the end of a part other than the last is dropped, so that
// "plates-formes" and "plateformes", or "micro-tâches" and "microtâches",
// give the same word.
func JoinCompound(parts []string) string {
	var b strings.Builder
	for k, p := range parts {
		if k < len(parts)-1 && len(p) > 3 {
			if last := p[len(p)-1]; last == 's' || last == 'x' {
				p = p[:len(p)-1]
			}
		}
		b.WriteString(p)
	}
	return b.String()
}
