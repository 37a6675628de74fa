package index

import (
	text "tacheron/corpus/analysis"
)

// isFunctionWord reports whether a query word (as typed) is a function
// word: an article, a preposition, a pronoun, an auxiliary, a question word
// or an elided form ("d'", "l'", "qu'"), in French or English. Function words
// help phrases and proximity but do not count as matched words in the
// ranking: "comment changer le propriétaire d'un fichier" is ranked by
// changer, propriétaire and fichier.
func isFunctionWord(raw string) bool {
	w := text.Lower(raw)
	if e := text.Elide(w); e != "" {
		w = e
	}
	w = text.StripPossessive(w)
	if w == "" || text.IsStopWord(text.Any, w) {
		return true
	}
	switch text.Fold(w) {
	case
		// Questions and the light verbs and adverbs that frame them.
		"comment", "pourquoi", "quand", "combien", "quel", "quelle", "quels", "quelles",
		"lequel", "laquelle", "lesquels", "lesquelles", "quoi", "depuis", "peut", "peux",
		"puis", "faut", "dois", "doit", "veux", "veut", "voudrais", "faire", "fait",
		"ca", "cela", "ceci", "celui", "chaque", "quelque", "quelques", "autre", "autres",
		"son", "sa", "ses", "leur", "leurs", "votre", "vos", "mon", "ma", "mes",
		// English.
		"how", "what", "which", "why", "when", "where", "who", "can", "do", "does",
		"get", "want", "need", "should", "would", "could", "will", "way", "my", "your":
		return true
	}
	return false
}
