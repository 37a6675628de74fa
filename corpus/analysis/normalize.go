package analysis

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// elisions are the French articles and conjunctions that lose their vowel
// before a word: l’ d’ qu’ n’ s’ j’ c’ m’ t’ jusqu’ lorsqu’ puisqu’ quoiqu’.
var elisions = map[string]bool{
	"l": true, "d": true, "j": true, "m": true, "n": true, "s": true, "t": true, "c": true,
	"qu": true, "jusqu": true, "lorsqu": true, "puisqu": true, "quoiqu": true, "presqu": true,
}

// Elide removes a French elided article from the start of a lower-case word:
// "l’uberisation" → "uberisation", "qu'il" → "il". Both ' and ’ count.
func Elide(word string) string {
	for i, r := range word {
		if isApostrophe(r) {
			if elisions[word[:i]] {
				return word[i+utf8.RuneLen(r):]
			}
			return word
		}
		if i > 6 {
			return word
		}
	}
	return word
}

// StripPossessive removes an English possessive ending from a lower-case
// word: "amazon's" → "amazon", "workers’" stays "workers’" minus the mark.
func StripPossessive(word string) string {
	for _, suffix := range []string{"'s", "’s", "ʼs"} {
		if strings.HasSuffix(word, suffix) && len(word) > len(suffix) {
			return word[:len(word)-len(suffix)]
		}
	}
	if r, size := utf8.DecodeLastRuneInString(word); isApostrophe(r) && len(word) > size {
		return word[:len(word)-size]
	}
	return word
}

// Lower returns word in lower case.
func Lower(word string) string {
	for i := 0; i < len(word); i++ {
		c := word[i]
		if c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			return strings.ToLower(word)
		}
	}
	return word
}

// Fold removes accents and ligatures from a lower-case word: "ubérisation"
// → "uberisation", "cœur" → "coeur". Typographic apostrophes become '.
func Fold(word string) string {
	ascii := true
	for i := 0; i < len(word); i++ {
		if word[i] >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		return word
	}
	var b strings.Builder
	b.Grow(len(word))
	for _, r := range word {
		if r < utf8.RuneSelf {
			b.WriteByte(byte(r))
			continue
		}
		if f := foldLatin(r); f != "" {
			b.WriteString(f)
			continue
		}
		for _, d := range norm.NFD.String(string(r)) {
			if !unicode.Is(unicode.Mn, d) {
				b.WriteRune(d)
			}
		}
	}
	return b.String()
}

// foldLatin folds the accented letters of French and its neighbours without
// Unicode decomposition; it returns "" for other runes.
func foldLatin(r rune) string {
	switch r {
	case 'à', 'á', 'â', 'ã', 'ä', 'å', 'À', 'Á', 'Â', 'Ã', 'Ä', 'Å':
		if r >= 'à' {
			return "a"
		}
		return "A"
	case 'ç':
		return "c"
	case 'Ç':
		return "C"
	case 'è', 'é', 'ê', 'ë':
		return "e"
	case 'È', 'É', 'Ê', 'Ë':
		return "E"
	case 'ì', 'í', 'î', 'ï':
		return "i"
	case 'Ì', 'Í', 'Î', 'Ï':
		return "I"
	case 'ñ':
		return "n"
	case 'ò', 'ó', 'ô', 'õ', 'ö':
		return "o"
	case 'Ò', 'Ó', 'Ô', 'Õ', 'Ö':
		return "O"
	case 'ù', 'ú', 'û', 'ü':
		return "u"
	case 'Ù', 'Ú', 'Û', 'Ü':
		return "U"
	case 'ý', 'ÿ':
		return "y"
	case 'œ':
		return "oe"
	case 'Œ':
		return "OE"
	case 'æ':
		return "ae"
	case 'Æ':
		return "AE"
	case 'ß':
		return "ss"
	case '’', 'ʼ', '‘':
		return "'"
	}
	return ""
}

// AppendPlain appends to dst the plain form of word: lower case, elision and
// possessive removed, accents folded (Fold(StripPossessive(Elide(Lower(w))))
// without allocating for the common case).
func AppendPlain(dst []byte, word string) []byte {
	start := len(dst)
	for i := 0; i < len(word); {
		c := word[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(word[i:])
		i += size
		if f := foldLatin(r); f != "" {
			for k := 0; k < len(f); k++ {
				b := f[k]
				if 'A' <= b && b <= 'Z' {
					b += 'a' - 'A'
				}
				dst = append(dst, b)
			}
			continue
		}
		dst = append(dst, Fold(string(unicode.ToLower(r)))...)
	}
	w := dst[start:]
	// Elision: a short head before an apostrophe.
	for k := 0; k < len(w) && k <= 7; k++ {
		if w[k] == '\'' {
			if elisions[string(w[:k])] {
				n := copy(w, w[k+1:])
				dst = dst[:start+n]
				w = dst[start:]
			}
			break
		}
	}
	// Possessive.
	switch {
	case len(w) > 2 && w[len(w)-2] == '\'' && w[len(w)-1] == 's':
		dst = dst[:len(dst)-2]
	case len(w) > 1 && w[len(w)-1] == '\'':
		dst = dst[:len(dst)-1]
	}
	return dst
}

// AppendFolded appends text to dst in lower case with accents folded, rune by
// rune (apostrophes become '), and to offsets, for each byte appended, the
// offset in text of the rune it comes from. It is a cheap way to look for
// words in text.
func AppendFolded(dst []byte, offsets []int32, text string) ([]byte, []int32) {
	for i := 0; i < len(text); {
		c := text[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			dst = append(dst, c)
			offsets = append(offsets, int32(i))
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		if f := foldLatin(r); f != "" {
			for k := 0; k < len(f); k++ {
				b := f[k]
				if 'A' <= b && b <= 'Z' {
					b += 'a' - 'A'
				}
				dst = append(dst, b)
				offsets = append(offsets, int32(i))
			}
		} else {
			n := len(dst)
			dst = utf8.AppendRune(dst, unicode.ToLower(r))
			for range len(dst) - n {
				offsets = append(offsets, int32(i))
			}
		}
		i += size
	}
	return dst, offsets
}
