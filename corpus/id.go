package corpus

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"tacheron/corpus/analysis"
)

// idWords is the number of title words in a derived document id.
const idWords = 4

// slug lower-cases text, folds its accents and keeps letters and digits,
// joining runs of them with single hyphens.
func slug(text string) string {
	folded := analysis.Fold(analysis.Lower(text))
	var b strings.Builder
	hyphen := false
	for _, r := range folded {
		if ('a' <= r && r <= 'z') || ('0' <= r && r <= '9') {
			if hyphen && b.Len() > 0 {
				b.WriteByte('-')
			}
			hyphen = false
			b.WriteRune(r)
			continue
		}
		hyphen = true
	}
	return b.String()
}

// deriveID makes a stable id from a date and the first words of a title,
// leaving out a leading bracketed tag: "2017-03-22-qui-entraine-les-ia".
func deriveID(date, title string) string {
	title = strings.TrimSpace(title)
	if strings.HasPrefix(title, "[") {
		if end := strings.Index(title, "]"); end > 0 {
			title = title[end+1:]
		}
	}
	var words []string
	for _, t := range analysis.Tokenize(title) {
		if t.Joined {
			continue
		}
		if w := slug(t.Text); w != "" {
			words = append(words, w)
		}
		if len(words) == idWords {
			break
		}
	}
	if len(words) == 0 {
		return date
	}
	return date + "-" + strings.Join(words, "-")
}

// ValidID reports whether id can name a document: an opaque string of
// printable characters (spaces inside, not at the ends), at most 512 bytes.
// Ids are escaped wherever they appear in a URL.
func ValidID(id string) bool {
	if id == "" || len(id) > maxIDBytes || !utf8.ValidString(id) {
		return false
	}
	if strings.TrimSpace(id) != id {
		return false
	}
	for _, r := range id {
		if !unicode.IsGraphic(r) || (unicode.IsSpace(r) && r != ' ') {
			return false
		}
	}
	return true
}
