package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// JoinLines joins the lines of a paragraph, as a PDF's text gives them,
// with sep, making whole again a word that a line's end hyphenated
// ("micro-travail-" / "leurs": "micro-travailleurs"); a hyphen between a
// lower-case letter and a lower-case letter is taken for such a cut.
func JoinLines(lines []string, sep string) string {
	var b strings.Builder
	for _, l := range lines {
		s := b.String()
		switch {
		case b.Len() == 0:
		case strings.HasSuffix(s, "-") && len(s) > 1 && isLowerLast(s[:len(s)-1]) && isLowerFirst(l):
			b.Reset()
			b.WriteString(s[:len(s)-1])
		default:
			b.WriteString(sep)
		}
		b.WriteString(l)
	}
	return b.String()
}

func isLowerLast(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return unicode.IsLower(r)
}

func isLowerFirst(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}
