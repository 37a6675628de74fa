package index

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on what a query may ask; beyond them Search returns a *QueryError.
const (
	// MaxQueryBytes bounds the length of a query.
	MaxQueryBytes = 512
	// MaxQueryTerms bounds the words, phrases and exclusions of a query.
	MaxQueryTerms = 32
)

// A Query is a parsed user query: plain words, "exact phrases" and
// -excluded words or phrases.
type Query struct {
	Terms []Term
}

// A Term is one element of a query.
type Term struct {
	// Text is the word or the phrase, without its syntax.
	Text string
	// Phrase is set for a quoted phrase: its words must follow each other.
	Phrase bool
	// Exclude is set for a term written with a leading '-'.
	Exclude bool
	// Prefix is set for the word being typed (the last word when the query
	// does not end with a space) and for a word written with a trailing
	// '*': it also matches the words it starts.
	Prefix bool
}

// String writes the query back in its syntax.
func (q Query) String() string {
	var b strings.Builder
	for i, t := range q.Terms {
		if i > 0 {
			b.WriteByte(' ')
		}
		if t.Exclude {
			b.WriteByte('-')
		}
		if t.Phrase {
			fmt.Fprintf(&b, "%q", t.Text)
		} else {
			b.WriteString(t.Text)
		}
		if t.Prefix && !t.Phrase {
			b.WriteByte('*')
		}
	}
	if n := len(q.Terms); n > 0 && !q.Terms[n-1].Prefix && !q.Terms[n-1].Phrase && !q.Terms[n-1].Exclude {
		// A finished last word: the space says it is not being typed.
		b.WriteByte(' ')
	}
	return b.String()
}

// isQueryWordRune reports whether r can be part of a query word: letters,
// digits, marks, and the apostrophes and hyphens that words hold.
func isQueryWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		r == '\'' || r == '’' || r == '-' || r == '‐' || r == '‑' || r == '_' || r == '.' || r == '&' || r == '@' || r == '#'
}

// ParseQuery parses what a user typed. It never fails: syntax used wrongly
// (an unbalanced quote, a stray '-', '*', '~', ':' or parentheses) degrades
// to plain words, and characters that are not part of words separate them.
func ParseQuery(s string) Query {
	s = strings.ToValidUTF8(s, " ")
	var q Query
	trailingSpace := len(s) > 0 && strings.TrimRightFunc(s, unicode.IsSpace) != s
	i := 0
	exclude := false
	atStart := true // at the start of a term (after space or at the beginning)
	for i < len(s) {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
			exclude = false
			atStart = true
			continue
		case r == '-' && atStart:
			// A leading minus excludes what follows, if a word or phrase
			// follows at once.
			i += size
			if i < len(s) {
				next, _ := utf8.DecodeRuneInString(s[i:])
				if next == '"' || (isQueryWordRune(next) && next != '-') {
					exclude = true
					continue
				}
			}
			continue
		case r == '"':
			end := strings.IndexByte(s[i+1:], '"')
			if end < 0 {
				// Unbalanced: the quote is ignored.
				i += size
				atStart = true
				continue
			}
			phrase := strings.Join(strings.FieldsFunc(s[i+1:i+1+end], func(r rune) bool {
				return !isQueryWordRune(r)
			}), " ")
			if phrase != "" {
				q.Terms = append(q.Terms, Term{Text: phrase, Phrase: true, Exclude: exclude})
			}
			i += end + 2
			exclude = false
			atStart = true
			continue
		case !isQueryWordRune(r) || r == '-':
			// Syntax or punctuation: separates words.
			i += size
			atStart = true
			exclude = false
			continue
		}
		// A word: runs of word runes; '*' right after it marks a prefix.
		start := i
		for i < len(s) {
			r, size := utf8.DecodeRuneInString(s[i:])
			if !isQueryWordRune(r) {
				break
			}
			i += size
		}
		word := joinInitials(strings.Trim(s[start:i], "-‐‑'’._&@"))
		if i < len(s) && s[i] == ':' && isFieldName(word) {
			// "title:captcha": the field syntax of other engines; search
			// the value.
			continue
		}
		prefix := false
		if i < len(s) && s[i] == '*' {
			prefix = true
			i++
		}
		if word != "" {
			q.Terms = append(q.Terms, Term{Text: word, Exclude: exclude, Prefix: prefix})
		}
		exclude = false
		atStart = false
	}
	// The word being typed is a prefix, unless it is an acronym written in
	// capitals ("AI" is not the start of "ailleurs").
	if !trailingSpace && len(q.Terms) > 0 {
		last := &q.Terms[len(q.Terms)-1]
		if !last.Phrase && !last.Exclude && !strings.HasSuffix(strings.TrimSpace(s), `"`) && !isAcronym(last.Text) {
			last.Prefix = true
		}
	}
	return q
}

// joinInitials writes an acronym spelt with dots as one word ("A.I" → "AI",
// "l'U.E" → "l'UE"): the tokenizer would otherwise read its letters as
// words of one letter.
func joinInitials(word string) string {
	head := ""
	if i := strings.IndexFunc(word, func(r rune) bool { return r == '\'' || r == '’' }); i >= 0 {
		_, size := utf8.DecodeRuneInString(word[i:])
		head, word = word[:i+size], word[i+size:]
	}
	parts := strings.Split(word, ".")
	if len(parts) < 2 {
		return head + word
	}
	for _, p := range parts {
		r, size := utf8.DecodeRuneInString(p)
		if size == 0 || size != len(p) || !unicode.IsLetter(r) {
			return head + word
		}
	}
	return head + strings.Join(parts, "")
}

// isAcronym reports whether word is two to four capital letters.
func isAcronym(word string) bool {
	n := 0
	for _, r := range word {
		if !unicode.IsUpper(r) {
			return false
		}
		n++
	}
	return n >= 2 && n <= 4
}

// isFieldName reports whether word names a field in other engines' syntax.
func isFieldName(word string) bool {
	switch strings.ToLower(word) {
	case "title", "titre", "body", "text", "texte", "content", "source", "author", "auteur", "concept", "kind", "lang", "all", "date":
		return true
	}
	return false
}

// A QueryError reports a request that tacheron refuses. Field names what
// is refused in index's own words (one of the Field constants); each API
// dialect renders it under its own parameter names. Reason says why, in
// words that name no parameter.
type QueryError struct {
	Field  string
	Reason string
	// Bounds, for a number beyond its limits (see limits.go), are the
	// values Field may take; nil otherwise.
	Bounds *Bounds
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("%s: %s", e.Field, e.Reason)
}

// The fields a QueryError names: those of a Request (FieldFrom to
// FieldLangs are its Filters), and the number of suggestions Suggest is
// asked for.
const (
	FieldQuery        = "query"
	FieldLimit        = "limit"
	FieldOffset       = "offset"
	FieldSort         = "sort"
	FieldFacets       = "facets"
	FieldFacetSize    = "facet_size"
	FieldDateInterval = "date_interval"
	FieldFrom         = "from"
	FieldTo           = "to"
	FieldSources      = "sources"
	FieldConcepts     = "concepts"
	FieldKinds        = "kinds"
	FieldLangs        = "langs"
	FieldAuthors      = "authors"
	FieldTags         = "tags"
	FieldSuggestions  = "suggestions"
	FieldWhere        = "where"
)

// Check reports, as a *QueryError, what Search would refuse of r, without
// searching: an API checks a request before it waits for a place.
func (r Request) Check() error {
	if err := CheckQuery(r.Query); err != nil {
		return err
	}
	return r.normalize()
}

// CheckQuery reports, as a *QueryError, a query beyond the limits
// (MaxQueryBytes, MaxQueryTerms), without searching.
func CheckQuery(raw string) error {
	return checkQuery(raw, ParseQuery(raw))
}

// checkQuery enforces the query limits.
func checkQuery(raw string, q Query) error {
	if len(raw) > MaxQueryBytes {
		return &QueryError{Field: FieldQuery, Reason: fmt.Sprintf("the query is %d bytes long; the limit is %d", len(raw), MaxQueryBytes)}
	}
	words := 0
	for _, t := range q.Terms {
		words += len(strings.Fields(t.Text))
	}
	if words > MaxQueryTerms {
		return &QueryError{Field: FieldQuery, Reason: fmt.Sprintf("the query has %d words; the limit is %d", words, MaxQueryTerms)}
	}
	return nil
}
