package index

import (
	"fmt"
	"slices"
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

// A Query is a parsed user query: plain words, "exact phrases",
// -excluded words or phrases, alternatives joined by OR and groups in
// parentheses (see ParseQuery for the grammar).
type Query struct {
	Terms []Term
}

// A Term is one element of a query: a word, a phrase, or a group.
type Term struct {
	// Text is the word or the phrase, without its syntax; "" for a group.
	Text string
	// Phrase is set for a quoted phrase: its words must follow each other.
	Phrase bool
	// Exclude is set for a term written with a leading '-' (or NOT,
	// SAUF): documents that match it are left out.
	Exclude bool
	// Prefix is set for the word being typed (the last word when the query
	// does not end with a space) and for a word written with a trailing
	// '*': it also matches the words it starts.
	Prefix bool
	// Or is set for a term joined to the one before it by OR: a run of
	// terms joined so is satisfied by any of them.
	Or bool
	// Group, for a group in parentheses, holds its terms, read as a query
	// of their own; nil for a word or a phrase.
	Group []Term
}

// String writes the query back in its syntax: ParseQuery of it gives the
// same query.
func (q Query) String() string {
	var b strings.Builder
	writeTerms(&b, q.Terms)
	if n := len(q.Terms); n > 0 {
		if last := q.Terms[n-1]; last.Group == nil && !last.Prefix && !last.Phrase && !last.Exclude {
			// A finished last word: the space says it is not being typed.
			b.WriteByte(' ')
		}
	}
	return b.String()
}

// writeTerms writes terms in the query syntax.
func writeTerms(b *strings.Builder, terms []Term) {
	for i, t := range terms {
		if i > 0 {
			if t.Or {
				b.WriteString(" OR ")
			} else {
				b.WriteByte(' ')
			}
		}
		if t.Exclude {
			b.WriteByte('-')
		}
		switch {
		case t.Group != nil:
			b.WriteByte('(')
			writeTerms(b, t.Group)
			b.WriteByte(')')
		case t.Phrase:
			fmt.Fprintf(b, "%q", t.Text)
		default:
			b.WriteString(t.Text)
			if t.Prefix {
				b.WriteByte('*')
			}
		}
	}
}

// isQueryWordRune reports whether r can be part of a query word: letters,
// digits, marks, and the apostrophes and hyphens that words hold.
func isQueryWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) ||
		r == '\'' || r == '’' || r == '-' || r == '‐' || r == '‑' || r == '_' || r == '.' || r == '&' || r == '@' || r == '#'
}

// ParseQuery parses what a user typed. It never fails: syntax used wrongly
// (an unbalanced quote or parenthesis, a stray '-', '*', '~', ':', an
// operator with nothing to join) degrades to plain words or is ignored,
// and characters that are not part of words separate them.
//
// The grammar is that of press databases (Europresse, Factiva) and web
// search engines: words and "phrases" side by side must all match (AND,
// ET and & may be written between them); OR, | and OU (in capitals) join
// alternatives, any of which matches, and bind tighter than the implicit
// AND ("a b OR c" is a and (b or c)); parentheses group ("(uber OR
// deliveroo) grève"); a leading '-', NOT or SAUF excludes a word, a phrase
// or a group. Operators are words written in capitals only ("or", "ou"
// and "et" are words); a query of operators alone searches them as words.
// Groups nest up to maxQueryDepth; deeper parentheses are ignored. An
// exclusion inside an alternative or a group applies to the whole query.
func ParseQuery(s string) Query {
	return parseQuery(s, true)
}

// maxQueryDepth bounds the nesting of groups.
const maxQueryDepth = 4

// parseQuery is ParseQuery; with operators false, OR, AND, NOT and the
// parentheses are words and separators as any others (the Meilisearch
// dialect: Meilisearch has no boolean operators in a query).
func parseQuery(s string, operators bool) Query {
	s = strings.ToValidUTF8(s, " ")
	toks := lexQuery(s, operators)
	p := &queryParser{toks: toks}
	q := Query{Terms: p.seq(0)}
	if operators && len(q.Terms) == 0 && slices.ContainsFunc(toks, func(t queryToken) bool { return t.word != "" }) {
		// Operators alone ("OR", "ET"): they are the words searched.
		return parseQuery(s, false)
	}
	// The word being typed is a prefix, unless it is an acronym written in
	// capitals ("AI" is not the start of "ailleurs").
	trailingSpace := len(s) > 0 && strings.TrimRightFunc(s, unicode.IsSpace) != s
	if n := len(toks); n > 0 && toks[n-1].kind == tokenWord && !trailingSpace && !strings.HasSuffix(strings.TrimSpace(s), `"`) {
		if last := lastTerm(q.Terms); last != nil && !last.Phrase && !last.Exclude && !isAcronym(last.Text) {
			last.Prefix = true
		}
	}
	return q
}

// LiteralQuery rewrites a query so that it has no operators: ParseQuery
// reads what it returns as plain words, the operator words lower-cased
// ("uber OR deliveroo" is "uber or deliveroo") and the parentheses and
// bars as separators. It is the query of the Meilisearch dialect, where a
// query has no boolean operators (see api/meili).
func LiteralQuery(s string) string {
	s = strings.ToValidUTF8(s, " ")
	b := []byte(s)
	for _, t := range lexQuery(s, true) {
		switch {
		case t.word != "":
			copy(b[t.start:t.end], strings.ToLower(t.word))
		case t.kind != tokenWord && t.kind != tokenPhrase:
			b[t.start] = ' '
		}
	}
	return string(b)
}

// lastTerm returns the last word or phrase of terms, in the order written,
// or nil when it is in an excluded group or there is none.
func lastTerm(terms []Term) *Term {
	if len(terms) == 0 {
		return nil
	}
	t := &terms[len(terms)-1]
	if t.Group != nil {
		if t.Exclude {
			return nil
		}
		return lastTerm(t.Group)
	}
	return t
}

// Kinds of query tokens.
const (
	tokenWord = iota
	tokenPhrase
	tokenOpen
	tokenClose
	tokenOr
	tokenAnd
	tokenNot
)

// A queryToken is a word, a phrase or a piece of syntax of a query.
type queryToken struct {
	kind    int
	text    string
	exclude bool // written with a leading '-'
	prefix  bool // written with a trailing '*'
	// word is, for an operator written as a word, that word.
	word string
	// start and end are the bytes of an operator in the query.
	start, end int
}

// lexQuery splits a query into tokens; with operators false, it returns
// words and phrases only.
func lexQuery(s string, operators bool) []queryToken {
	var toks []queryToken
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
			// A leading minus excludes what follows, if a word, a phrase
			// or a group follows at once.
			i += size
			if i < len(s) {
				next, _ := utf8.DecodeRuneInString(s[i:])
				if next == '"' || (isQueryWordRune(next) && next != '-') || next == '(' && operators {
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
				toks = append(toks, queryToken{kind: tokenPhrase, text: phrase, exclude: exclude})
			}
			i += end + 2
			exclude = false
			atStart = true
			continue
		case operators && (r == '(' || r == ')' || r == '|'):
			kind := map[rune]int{'(': tokenOpen, ')': tokenClose, '|': tokenOr}[r]
			toks = append(toks, queryToken{kind: kind, exclude: exclude && r == '(', start: i, end: i + size})
			i += size
			atStart = true
			exclude = false
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
		raw := s[start:i]
		word := joinInitials(strings.Trim(raw, "-‐‑'’._&@"))
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
		if kind := operatorKind(raw); operators && kind != tokenWord && !exclude && !prefix {
			toks = append(toks, queryToken{kind: kind, word: raw, start: start, end: start + len(raw)})
		} else if word != "" {
			toks = append(toks, queryToken{kind: tokenWord, text: word, exclude: exclude, prefix: prefix})
		}
		exclude = false
		atStart = false
	}
	return toks
}

// operatorKind returns the kind of operator a word is (written in
// capitals), or tokenWord.
func operatorKind(word string) int {
	switch word {
	case "OR", "OU":
		return tokenOr
	case "AND", "ET", "&", "&&":
		return tokenAnd
	case "NOT", "SAUF":
		return tokenNot
	}
	return tokenWord
}

// A queryParser reads tokens into terms:
//
//	seq   = chain { [AND] chain }
//	chain = unary { OR unary }
//	unary = [NOT | '-'] ( word | phrase | '(' seq ')' )
type queryParser struct {
	toks []queryToken
	i    int
	// skipped counts the open parentheses beyond maxQueryDepth, ignored
	// with their closing ones.
	skipped int
}

// seq reads terms up to the end, or to the parenthesis closing a group at
// depth.
func (p *queryParser) seq(depth int) []Term {
	var out []Term
	or, not := false, false
	for p.i < len(p.toks) {
		tok := p.toks[p.i]
		p.i++
		var t Term
		switch tok.kind {
		case tokenOr:
			or = len(out) > 0
			continue
		case tokenAnd:
			or = false
			continue
		case tokenNot:
			not = true
			continue
		case tokenClose:
			if p.skipped > 0 {
				p.skipped--
				continue
			}
			if depth > 0 {
				return out
			}
			// A stray closing parenthesis separates.
			or, not = false, false
			continue
		case tokenOpen:
			if depth >= maxQueryDepth {
				p.skipped++
				continue
			}
			group := p.seq(depth + 1)
			switch len(group) {
			case 0:
				continue
			case 1:
				t = group[0]
				t.Or = false
			default:
				t = Term{Group: group}
			}
			t.Exclude = t.Exclude || tok.exclude
		case tokenPhrase:
			t = Term{Text: tok.text, Phrase: true, Exclude: tok.exclude}
		default:
			t = Term{Text: tok.text, Exclude: tok.exclude, Prefix: tok.prefix}
		}
		t.Exclude = t.Exclude || not
		// An exclusion is no alternative: it applies to the whole query.
		t.Or = or && !t.Exclude && !out[len(out)-1].Exclude
		or, not = false, false
		out = append(out, t)
	}
	return out
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
	if words := countWords(q.Terms); words > MaxQueryTerms {
		return &QueryError{Field: FieldQuery, Reason: fmt.Sprintf("the query has %d words; the limit is %d", words, MaxQueryTerms)}
	}
	return nil
}

// countWords counts the words of terms, those of groups included.
func countWords(terms []Term) int {
	n := 0
	for _, t := range terms {
		n += len(strings.Fields(t.Text)) + countWords(t.Group)
	}
	return n
}
