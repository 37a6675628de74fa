package analysis

import (
	"sync"

	"github.com/kljensen/snowball/english"
	"github.com/kljensen/snowball/french"
)

// stemCacheLimit bounds the words a Stemmer remembers.
const stemCacheLimit = 1 << 18

// A Stemmer reduces lower-case words to their Snowball stem in one language.
// It remembers recent words, as text repeats them; it is safe for concurrent
// use.
type Stemmer struct {
	lang  Lang
	mu    sync.RWMutex
	cache map[string]string
}

// NewStemmer returns a Snowball stemmer for lang (French or English).
func NewStemmer(lang Lang) *Stemmer {
	return &Stemmer{lang: lang, cache: make(map[string]string)}
}

// Stem returns the stem of a lower-case word (accents are kept; fold after).
func (s *Stemmer) Stem(word string) string {
	s.mu.RLock()
	stem, ok := s.cache[word]
	s.mu.RUnlock()
	if ok {
		return stem
	}
	switch s.lang {
	case English:
		stem = english.Stem(word, true)
	default:
		stem = french.Stem(word, true)
	}
	s.mu.Lock()
	if len(s.cache) >= stemCacheLimit {
		clear(s.cache)
	}
	s.cache[word] = stem
	s.mu.Unlock()
	return stem
}

// Forms returns the folded stems of a lower-case word: the stem of the word
// as written, folded, and, when it differs, the stem of the folded word, so
// that a word typed without its accents ("penibilite") meets the word
// written with them ("pénibilité").
func (s *Stemmer) Forms(word string) (first, second string) {
	first = Fold(s.Stem(word))
	if folded := Fold(word); folded != word {
		if second = s.Stem(folded); second != first {
			return first, second
		}
	}
	return first, ""
}
