package corpus

import (
	"strings"

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

// validID reports whether id can name a document in a URL: letters, digits,
// '-', '_', '.', at most 200 bytes, not starting with a dot.
func validID(id string) bool {
	if id == "" || len(id) > 200 || id[0] == '.' {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') || ('0' <= c && c <= '9') || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}
