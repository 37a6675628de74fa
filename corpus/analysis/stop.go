package analysis

import (
	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// extraStopFR completes Snowball's French list with frequent function words
// that carry no meaning for search.
var extraStopFR = map[string]bool{
	"les": true, "cette": true, "cet": true, "ceux": true, "celle": true, "celles": true,
	"ils": true, "elles": true, "leurs": true, "dont": true, "où": true, "ni": true,
	"sans": true, "sous": true, "chez": true, "vers": true, "entre": true, "comme": true,
	"plus": true, "aussi": true, "très": true, "tout": true, "tous": true, "toute": true,
	"toutes": true, "si": true, "donc": true, "car": true, "ainsi": true, "alors": true,
	"qu": true, "ça": true, "ceci": true, "cela": true, "lorsque": true, "puis": true,
}

// extraStopEN completes Snowball's English list.
var extraStopEN = map[string]bool{
	"also": true, "would": true, "could": true, "may": true, "might": true, "must": true,
	"shall": true, "us": true, "via": true, "yet": true,
}

// IsStopWord reports whether the lower-case word is a stop word of lang
// (LangFrench or LangEnglish; any other value means either language).
func IsStopWord(lang Lang, word string) bool {
	switch lang {
	case French:
		return french.IsStopWord(word) || extraStopFR[word]
	case English:
		return english.IsStopWord(word) || extraStopEN[word]
	}
	return IsStopWord(French, word) || IsStopWord(English, word)
}
