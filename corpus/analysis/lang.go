package analysis

// A Lang is a language tacheron analyses: French or English.
type Lang string

// The languages of the corpus.
const (
	French  Lang = "fr"
	English Lang = "en"
	// Any means a word of either language (used for stop words and the
	// unstemmed fields).
	Any Lang = ""
)

// markersFR and markersEN are frequent function words that are rare in the
// other language; they decide a paragraph's language.
var markersFR = map[string]bool{
	"le": true, "la": true, "les": true, "des": true, "du": true, "de": true, "un": true, "une": true,
	"est": true, "et": true, "à": true, "pour": true, "dans": true, "que": true, "qui": true,
	"sur": true, "pas": true, "au": true, "aux": true, "ce": true, "cette": true, "nous": true,
	"vous": true, "il": true, "elle": true, "sont": true, "avec": true, "par": true, "mais": true,
	"ou": true, "leur": true, "se": true, "ne": true, "en": true, "d": true, "l": true, "qu": true,
}

var markersEN = map[string]bool{
	"the": true, "of": true, "and": true, "is": true, "to": true, "in": true, "that": true,
	"for": true, "it": true, "with": true, "as": true, "by": true, "are": true, "this": true,
	"be": true, "from": true, "has": true, "have": true, "an": true, "or": true, "which": true,
	"their": true, "they": true, "we": true, "was": true, "will": true, "at": true, "its": true,
	"what": true, "behind": true, "on": true, "how": true, "why": true, "who": true,
}

// DetectLanguage guesses the language of text from its function words. It
// returns fallback when the text holds too few of them to tell.
func DetectLanguage(text string, fallback Lang) Lang {
	fr, en := 0, 0
	accents := 0
	for _, t := range Tokenize(text) {
		if t.Joined {
			continue
		}
		w := Lower(t.Text)
		for _, r := range w {
			switch r {
			case 'é', 'è', 'ê', 'à', 'ç', 'ù', 'û', 'ô', 'î', 'œ':
				accents++
			}
		}
		if i := indexApostrophe(w); i > 0 {
			head := w[:i]
			if elisions[head] {
				fr++
				continue
			}
			if tail := StripPossessive(w); tail != w {
				en++
				continue
			}
		}
		if markersFR[w] {
			fr++
		}
		if markersEN[w] {
			en++
		}
	}
	fr += accents / 2
	switch {
	case fr+en < 2:
		return fallback
	case fr > en:
		return French
	case en > fr:
		return English
	}
	return fallback
}

func indexApostrophe(w string) int {
	for i, r := range w {
		if isApostrophe(r) {
			return i
		}
	}
	return -1
}
