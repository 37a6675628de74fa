package meili

import (
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"tacheron/api/gate"
	"time"
	"unicode"
	"unicode/utf8"
)

// Meilisearch filter expressions: parsing, and evaluation on a document.
//
// The grammar is Meilisearch's:
//
//	expression = and ("OR" and)*
//	and        = not ("AND" not)*
//	not        = "NOT" not | primary
//	primary    = "(" expression ")" | condition
//	condition  = value ("=" | "!=" | ">" | ">=" | "<" | "<=") value
//	           | value ["NOT"] "IN" "[" [value ("," value)* [","]] "]"
//	           | value value "TO" value
//	           | value ["NOT"] "EXISTS"
//	           | value "IS" ["NOT"] ("NULL" | "EMPTY")
//	           | value ["NOT"] ("CONTAINS" | "STARTS" "WITH") value
//	value      = word | 'single quoted' | "double quoted"
//	word       = (letter | digit | "_" | "-" | ".")+, not a keyword
//
// Keywords are upper case. Quoted values take backslash escapes. A
// filter may also be given as JSON arrays: the elements of the outer array
// are AND-ed, those of an inner array OR-ed, each a string expression.

// Limits on a filter.
const (
	// maxFilterDepth bounds the nesting of a filter, as Meilisearch does:
	// parentheses and NOTs, each one level.
	maxFilterDepth = 200
	// maxFilterBytes bounds the text of a filter.
	maxFilterBytes = 16 << 10
)

// Filterable attributes: year ("2017", a number) and month ("2017-03")
// are derived from date.
const (
	attrSource   = "source"
	attrKind     = "kind"
	attrLang     = "lang"
	attrConcepts = "concepts"
	attrDate     = "date"
	attrYear     = "year"
	attrMonth    = "month"
)

// filterableAttributes lists the attributes a filter may name, sorted.
var filterableAttributes = []string{attrConcepts, attrDate, attrKind, attrLang, attrMonth, attrSource, attrYear}

// Filter operators, as conditions hold them; the negated forms (!=,
// NOT IN, NOT EXISTS, IS NOT …) are a NOT around the positive one.
const (
	opEq       = "="
	opGt       = ">"
	opGte      = ">="
	opLt       = "<"
	opLte      = "<="
	opTo       = "TO"
	opIn       = "IN"
	opExists   = "EXISTS"
	opNull     = "IS NULL"
	opEmpty    = "IS EMPTY"
	opContains = "CONTAINS"
	opStarts   = "STARTS WITH"
)

// A filterKind is the kind of a node of a filter.
type filterKind uint8

const (
	filterAnd filterKind = iota
	filterOr
	filterNot
	filterCond
)

// A filterNode is a node of a parsed filter.
type filterNode struct {
	kind filterKind
	kids []*filterNode // And, Or: two or more; Not: one
	cond *condition    // Cond
}

// A condition is a filter's leaf: an attribute, an operator and its
// values (one for comparisons, two for TO, any number for IN).
type condition struct {
	attr   string
	op     string
	values []string
	// pos is the offset of the condition in its expression, for errors.
	pos int
}

func (n *filterNode) String() string {
	switch n.kind {
	case filterAnd, filterOr:
		sep := " AND "
		if n.kind == filterOr {
			sep = " OR "
		}
		parts := make([]string, len(n.kids))
		for i, k := range n.kids {
			parts[i] = k.String()
		}
		return "(" + strings.Join(parts, sep) + ")"
	case filterNot:
		return "NOT " + n.kids[0].String()
	}
	c := n.cond
	q := make([]string, len(c.values))
	for i, v := range c.values {
		q[i] = quoteValue(v)
	}
	switch c.op {
	case opTo:
		return fmt.Sprintf("%s %s TO %s", quoteValue(c.attr), q[0], q[1])
	case opIn:
		return fmt.Sprintf("%s IN [%s]", quoteValue(c.attr), strings.Join(q, ", "))
	case opExists, opNull, opEmpty:
		return quoteValue(c.attr) + " " + c.op
	}
	return fmt.Sprintf("%s %s %s", quoteValue(c.attr), c.op, q[0])
}

// quoteValue writes a value between double quotes, as a filter reads it
// back.
func quoteValue(v string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(v) + `"`
}

// A FilterError is a filter that cannot be parsed or evaluated; Meilisearch
// answers it with invalid_search_filter.
type FilterError struct {
	Msg string
}

func (e *FilterError) Error() string { return e.Msg }

func filterErrorf(format string, args ...any) *FilterError {
	return &FilterError{Msg: fmt.Sprintf(format, args...)}
}

// parseFilterJSON parses the filter parameter of a search: null, a string,
// or an array of strings and arrays of strings. It returns nil for no
// filter.
func parseFilterJSON(raw json.RawMessage) (*filterNode, error) {
	if len(raw) == 0 {
		return nil, nil
	}
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, filterErrorf("Invalid syntax for the filter parameter: %v.", err)
	}
	return filterFromValue(v, 0)
}

// filterFromValue turns a decoded filter parameter into a filter.
func filterFromValue(v any, depth int) (*filterNode, error) {
	switch v := v.(type) {
	case nil:
		if depth == 0 {
			return nil, nil
		}
	case string:
		return parseFilter(v)
	case []any:
		if depth >= 2 {
			break
		}
		var kids []*filterNode
		for _, e := range v {
			if depth == 1 {
				if _, ok := e.(string); !ok {
					return nil, filterErrorf("Invalid syntax for the filter parameter: `expected String, found: %s`.", jsonKind(e))
				}
			}
			k, err := filterFromValue(e, depth+1)
			if err != nil {
				return nil, err
			}
			if k != nil {
				kids = append(kids, k)
			}
		}
		kind := filterAnd
		if depth == 1 {
			kind = filterOr
		}
		switch len(kids) {
		case 0:
			return nil, nil
		case 1:
			return kids[0], nil
		}
		return &filterNode{kind: kind, kids: kids}, nil
	}
	return nil, filterErrorf("Invalid syntax for the filter parameter: `expected String, Array, found: %s`.", jsonKind(v))
}

// jsonKind names the JSON type of a decoded value, for errors.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	}
	return "an object"
}

// parseFilter parses a filter expression; an expression of nothing but
// spaces is no filter (nil).
func parseFilter(s string) (*filterNode, error) {
	if len(s) > maxFilterBytes {
		return nil, filterErrorf("The filter is %d bytes long; the limit is %d.", len(s), maxFilterBytes)
	}
	if !utf8.ValidString(s) {
		return nil, filterErrorf("The filter is not valid UTF-8.")
	}
	if strings.TrimSpace(s) == "" {
		return nil, nil
	}
	toks, err := lexFilter(s)
	if err != nil {
		return nil, err
	}
	p := &filterParser{src: s, toks: toks}
	n, err := p.expression(0)
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tokEOF {
		return nil, p.errorAt(t, "Found unexpected characters at the end of the filter: `%s`. You probably forgot an `OR` or an `AND` rule.", s[t.pos:])
	}
	return n, nil
}

// Tokens of a filter expression.
type tokenKind uint8

const (
	tokEOF    tokenKind = iota
	tokWord             // an unquoted word (keywords included)
	tokString           // a quoted value
	tokOp               // = != < <= > >=
	tokLParen
	tokRParen
	tokLBracket
	tokRBracket
	tokComma
)

type token struct {
	kind tokenKind
	text string // the word, the unquoted value, the operator
	pos  int    // byte offset in the expression
}

// keyword reports whether t is the unquoted keyword kw.
func (t token) keyword(kw string) bool { return t.kind == tokWord && t.text == kw }

// isFilterKeyword reports whether w is reserved: it cannot be an unquoted
// value.
func isFilterKeyword(w string) bool {
	switch w {
	case "AND", "OR", "IN", "NOT", "TO", "EXISTS", "IS", "NULL", "EMPTY", "CONTAINS", "STARTS", "WITH":
		return true
	}
	return false
}

// isWordRune reports whether r may be part of an unquoted word.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r) || r == '_' || r == '-' || r == '.'
}

// lexFilter splits an expression into tokens.
func lexFilter(s string) ([]token, error) {
	var toks []token
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += size
		case r == '(' || r == ')' || r == '[' || r == ']' || r == ',':
			kind := map[rune]tokenKind{'(': tokLParen, ')': tokRParen, '[': tokLBracket, ']': tokRBracket, ',': tokComma}[r]
			toks = append(toks, token{kind: kind, text: string(r), pos: i})
			i++
		case r == '=' || r == '<' || r == '>' || r == '!':
			op := string(r)
			if i+1 < len(s) && s[i+1] == '=' && r != '=' {
				op += "="
			}
			if op == "!" {
				return nil, filterErrorf("Found unexpected character `!` at 1:%d: write `!=`, or `NOT` before a condition.", i+1)
			}
			toks = append(toks, token{kind: tokOp, text: op, pos: i})
			i += len(op)
		case r == '\'' || r == '"':
			v, n, err := unquote(s[i:], byte(r))
			if err != nil {
				return nil, filterErrorf("Expression `%s` is missing the following closing delimiter: `%c` (at 1:%d).", gate.Shown(s[i:]), r, i+1)
			}
			toks = append(toks, token{kind: tokString, text: v, pos: i})
			i += n
		case isWordRune(r):
			start := i
			for i < len(s) {
				r, size := utf8.DecodeRuneInString(s[i:])
				if !isWordRune(r) {
					break
				}
				i += size
			}
			w := s[start:i]
			if strings.HasPrefix(w, "_geo") {
				return nil, filterErrorf("Attribute `_geo` is not filterable: the index holds no geographic data (at 1:%d). Available filterable attributes are: `%s`.",
					start+1, strings.Join(filterableAttributes, ", "))
			}
			toks = append(toks, token{kind: tokWord, text: w, pos: start})
		default:
			return nil, filterErrorf("Found unexpected character `%c` at 1:%d; quote values that hold it.", r, i+1)
		}
	}
	return append(toks, token{kind: tokEOF, pos: len(s)}), nil
}

// unquote reads a quoted value at the start of s: its text with the
// backslash escapes resolved, and the bytes it takes with its quotes.
func unquote(s string, quote byte) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch c := s[i]; c {
		case quote:
			return b.String(), i + 1, nil
		case '\\':
			if i+1 >= len(s) {
				return "", 0, fmt.Errorf("unterminated")
			}
			i++
			switch e := s[i]; e {
			case 'n':
				b.WriteByte('\n')
			case 't':
				b.WriteByte('\t')
			case 'r':
				b.WriteByte('\r')
			default:
				b.WriteByte(e)
			}
		default:
			b.WriteByte(c)
		}
	}
	return "", 0, fmt.Errorf("unterminated")
}

// filterParser parses the tokens of an expression.
type filterParser struct {
	src  string
	toks []token
	i    int
}

func (p *filterParser) peek() token { return p.toks[p.i] }

func (p *filterParser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *filterParser) next() token {
	t := p.toks[p.i]
	if t.kind != tokEOF {
		p.i++
	}
	return t
}

// errorAt returns a FilterError at token t, with Meilisearch's position
// suffix (line 1, column from 1) and the text from there.
func (p *filterParser) errorAt(t token, format string, args ...any) *FilterError {
	msg := fmt.Sprintf(format, args...)
	return &FilterError{Msg: fmt.Sprintf("%s\n1:%d %s", msg, t.pos+1, gate.Shown(p.src[t.pos:]))}
}

func (p *filterParser) expression(depth int) (*filterNode, error) {
	if depth > maxFilterDepth {
		return nil, p.errorAt(p.peek(), "The filter exceeded the maximum depth limit (%d). Try rewriting the filter so that it contains fewer nested conditions.", maxFilterDepth)
	}
	first, err := p.and(depth)
	if err != nil {
		return nil, err
	}
	kids := []*filterNode{first}
	for p.peek().keyword("OR") {
		p.next()
		k, err := p.and(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &filterNode{kind: filterOr, kids: kids}, nil
}

func (p *filterParser) and(depth int) (*filterNode, error) {
	first, err := p.not(depth)
	if err != nil {
		return nil, err
	}
	kids := []*filterNode{first}
	for p.peek().keyword("AND") {
		p.next()
		k, err := p.not(depth)
		if err != nil {
			return nil, err
		}
		kids = append(kids, k)
	}
	if len(kids) == 1 {
		return first, nil
	}
	return &filterNode{kind: filterAnd, kids: kids}, nil
}

func (p *filterParser) not(depth int) (*filterNode, error) {
	if depth > maxFilterDepth {
		return nil, p.errorAt(p.peek(), "The filter exceeded the maximum depth limit (%d). Try rewriting the filter so that it contains fewer nested conditions.", maxFilterDepth)
	}
	if p.peek().keyword("NOT") {
		p.next()
		k, err := p.not(depth + 1)
		if err != nil {
			return nil, err
		}
		return negate(k), nil
	}
	return p.primary(depth)
}

// negate returns NOT n, removing a double negation.
func negate(n *filterNode) *filterNode {
	if n.kind == filterNot {
		return n.kids[0]
	}
	return &filterNode{kind: filterNot, kids: []*filterNode{n}}
}

func (p *filterParser) primary(depth int) (*filterNode, error) {
	t := p.peek()
	if t.kind == tokLParen {
		p.next()
		n, err := p.expression(depth + 1)
		if err != nil {
			return nil, err
		}
		if p.peek().kind != tokRParen {
			return nil, p.errorAt(t, "Expression `%s` is missing the following closing delimiter: `)`.", gate.Shown(p.src[t.pos:]))
		}
		p.next()
		return n, nil
	}
	return p.condition()
}

// expectedOperation is Meilisearch's message for a condition without
// a known operator.
const expectedOperation = "Was expecting an operation `=`, `!=`, `>=`, `>`, `<=`, `<`, `IN`, `NOT IN`, `TO`, `EXISTS`, `NOT EXISTS`, `IS NULL`, `IS NOT NULL`, `IS EMPTY`, `IS NOT EMPTY`, `CONTAINS`, `NOT CONTAINS`, `STARTS WITH`, `NOT STARTS WITH`, `_geoRadius`, or `_geoBoundingBox`"

// value reads a value: a quoted string, or a word that is not a keyword.
func (p *filterParser) value(what string) (string, error) {
	t := p.peek()
	switch {
	case t.kind == tokString:
	case t.kind == tokWord && !isFilterKeyword(t.text):
	case t.kind == tokWord:
		return "", p.errorAt(t, "Was expecting %s but instead got `%s`, which is a reserved keyword. To use `%s` as a value, wrap it in quotes.", what, t.text, t.text)
	case t.kind == tokEOF:
		return "", p.errorAt(t, "Was expecting %s but the filter ended.", what)
	default:
		return "", p.errorAt(t, "Was expecting %s but instead got `%s`.", what, t.text)
	}
	p.next()
	return t.text, nil
}

func (p *filterParser) condition() (*filterNode, error) {
	start := p.peek()
	if start.kind == tokWord && !isFilterKeyword(start.text) || start.kind == tokString {
		// An attribute.
	} else {
		return nil, p.errorAt(start, "%s at `%s`.", expectedOperation, gate.Shown(p.src[start.pos:]))
	}
	attr, _ := p.value("an attribute")
	cond := func(op string, values ...string) *filterNode {
		return &filterNode{kind: filterCond, cond: &condition{attr: attr, op: op, values: values, pos: start.pos}}
	}
	t := p.peek()
	switch {
	case t.kind == tokOp:
		p.next()
		v, err := p.value("a value")
		if err != nil {
			return nil, err
		}
		if t.text == "!=" {
			return negate(cond(opEq, v)), nil
		}
		return cond(t.text, v), nil
	case t.keyword("IN"):
		p.next()
		vs, err := p.list()
		if err != nil {
			return nil, err
		}
		return cond(opIn, vs...), nil
	case t.keyword("EXISTS"):
		p.next()
		return cond(opExists), nil
	case t.keyword("IS"):
		p.next()
		neg := false
		if p.peek().keyword("NOT") {
			p.next()
			neg = true
		}
		var n *filterNode
		switch w := p.peek(); {
		case w.keyword("NULL"):
			n = cond(opNull)
		case w.keyword("EMPTY"):
			n = cond(opEmpty)
		default:
			return nil, p.errorAt(w, "Was expecting `NULL` or `EMPTY` after `IS`.")
		}
		p.next()
		if neg {
			return negate(n), nil
		}
		return n, nil
	case t.keyword("CONTAINS"):
		p.next()
		v, err := p.value("a value")
		if err != nil {
			return nil, err
		}
		return cond(opContains, v), nil
	case t.keyword("STARTS") && p.peekAt(1).keyword("WITH"):
		p.next()
		p.next()
		v, err := p.value("a value")
		if err != nil {
			return nil, err
		}
		return cond(opStarts, v), nil
	case t.keyword("NOT"):
		p.next()
		var n *filterNode
		switch w := p.peek(); {
		case w.keyword("IN"):
			p.next()
			vs, err := p.list()
			if err != nil {
				return nil, err
			}
			n = cond(opIn, vs...)
		case w.keyword("EXISTS"):
			p.next()
			n = cond(opExists)
		case w.keyword("CONTAINS"):
			p.next()
			v, err := p.value("a value")
			if err != nil {
				return nil, err
			}
			n = cond(opContains, v)
		case w.keyword("STARTS") && p.peekAt(1).keyword("WITH"):
			p.next()
			p.next()
			v, err := p.value("a value")
			if err != nil {
				return nil, err
			}
			n = cond(opStarts, v)
		default:
			return nil, p.errorAt(start, "%s at `%s`.", expectedOperation, gate.Shown(p.src[start.pos:]))
		}
		return negate(n), nil
	case t.kind == tokString || t.kind == tokWord && !isFilterKeyword(t.text):
		// attr from TO to
		from, _ := p.value("a value")
		if !p.peek().keyword("TO") {
			return nil, p.errorAt(start, "%s at `%s`.", expectedOperation, gate.Shown(p.src[start.pos:]))
		}
		p.next()
		to, err := p.value("a value")
		if err != nil {
			return nil, err
		}
		return cond(opTo, from, to), nil
	}
	return nil, p.errorAt(start, "%s at `%s`.", expectedOperation, gate.Shown(p.src[start.pos:]))
}

// list reads the bracketed values of IN.
func (p *filterParser) list() ([]string, error) {
	open := p.peek()
	if open.kind != tokLBracket {
		return nil, p.errorAt(open, "Expected `[` after `IN` keyword.")
	}
	p.next()
	var vs []string
	for {
		if p.peek().kind == tokRBracket {
			p.next()
			return vs, nil
		}
		v, err := p.value("a value")
		if err != nil {
			if p.peek().kind == tokEOF {
				return nil, p.errorAt(open, "Expected matching `]` after the list of field names given to `IN[`")
			}
			return nil, err
		}
		vs = append(vs, v)
		switch t := p.peek(); t.kind {
		case tokComma:
			p.next()
		case tokRBracket:
		case tokEOF:
			return nil, p.errorAt(open, "Expected matching `]` after the list of field names given to `IN[`")
		default:
			return nil, p.errorAt(t, "Expected only comma-separated field names inside `IN[..]` but instead found `%s`.", gate.Shown(p.src[t.pos:]))
		}
	}
}

// checkFilter checks that every condition of a filter names a filterable
// attribute and that its operator and values suit it.
func checkFilter(n *filterNode) error {
	if n == nil {
		return nil
	}
	if n.kind != filterCond {
		for _, k := range n.kids {
			if err := checkFilter(k); err != nil {
				return err
			}
		}
		return nil
	}
	c := n.cond
	if !slices.Contains(filterableAttributes, c.attr) {
		return filterErrorf("Attribute `%s` is not filterable. Available filterable attributes are: `%s`.\n1:%d %s",
			gate.Shown(c.attr), strings.Join(filterableAttributes, ", "), c.pos+1, gate.Shown(n.String()))
	}
	switch c.op {
	case opGt, opGte, opLt, opLte, opTo:
		for _, v := range c.values {
			if why := checkOrdered(c.attr, v); why != "" {
				return filterErrorf("%s\n1:%d %s", why, c.pos+1, gate.Shown(n.String()))
			}
		}
	case opContains, opStarts:
		if c.attr == attrYear {
			return filterErrorf("`%s` applies to strings; `year` is a number: compare it with `=`, `>`, `>=`, `<`, `<=` or `TO`.\n1:%d %s", c.op, c.pos+1, gate.Shown(n.String()))
		}
	}
	return nil
}

// checkOrdered checks a value compared with <, <=, >, >= or TO: a number
// for year, a date for date, a month for month. It returns why the value
// does not fit, or "".
func checkOrdered(attr, v string) string {
	switch attr {
	case attrYear:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
			return fmt.Sprintf("`year` is compared with numbers, not `%s`.", gate.Shown(v))
		}
		return ""
	case attrDate:
		if _, err := time.Parse(time.DateOnly, v); err != nil || len(v) != len(time.DateOnly) {
			return fmt.Sprintf("`date` is compared with dates written YYYY-MM-DD, not `%s`; compare `year` or `month` (YYYY-MM) for coarser ranges.", gate.Shown(v))
		}
		return ""
	case attrMonth:
		if _, err := time.Parse("2006-01", v); err != nil || len(v) != len("2006-01") {
			return fmt.Sprintf("`month` is compared with months written YYYY-MM, not `%s`.", gate.Shown(v))
		}
		return ""
	}
	return fmt.Sprintf("`%s` is a string: the comparison operators `>`, `>=`, `<`, `<=` and `TO` apply to `date`, `month` and `year`.", attr)
}

// A docAttrs holds the filterable attributes of a document.
type docAttrs struct {
	Source, Kind, Lang, Date string
	Concepts                 []string
}

// strings returns the values of a string attribute of d (none when
// absent), and whether the attribute is a string one.
func (d *docAttrs) strings(attr string) []string {
	one := func(s string) []string {
		if s == "" {
			return nil
		}
		return []string{s}
	}
	switch attr {
	case attrSource:
		return one(d.Source)
	case attrKind:
		return one(d.Kind)
	case attrLang:
		return one(d.Lang)
	case attrDate:
		return one(d.Date)
	case attrMonth:
		if len(d.Date) >= 7 {
			return []string{d.Date[:7]}
		}
		return nil
	case attrYear:
		if len(d.Date) >= 4 {
			return []string{d.Date[:4]}
		}
		return nil
	case attrConcepts:
		return d.Concepts
	}
	return nil
}

// matchFilter reports whether a document satisfies a checked filter
// (nil matches everything).
func matchFilter(n *filterNode, d *docAttrs) bool {
	if n == nil {
		return true
	}
	switch n.kind {
	case filterAnd:
		for _, k := range n.kids {
			if !matchFilter(k, d) {
				return false
			}
		}
		return true
	case filterOr:
		for _, k := range n.kids {
			if matchFilter(k, d) {
				return true
			}
		}
		return false
	case filterNot:
		return !matchFilter(n.kids[0], d)
	}
	return matchCondition(n.cond, d)
}

// matchCondition evaluates a condition on a document: strings compare
// without regard to case, year as a number, date and month in their
// order; a missing attribute satisfies no condition but NOT ones.
func matchCondition(c *condition, d *docAttrs) bool {
	match, absent := valueTest(c)
	values := d.strings(c.attr)
	if len(values) == 0 {
		return absent
	}
	for _, v := range values {
		if match(v) {
			return true
		}
	}
	return false
}

// valueTest returns how a condition tests a document: it holds when match
// accepts one of the document's values of its attribute or, for a
// document without any, when absent is set. EXISTS holds for every
// document that has the attribute, and for every one on concepts (a list,
// maybe empty); IS NULL for none (no attribute is null); IS EMPTY for a
// document without concepts.
func valueTest(c *condition) (match func(string) bool, absent bool) {
	switch c.op {
	case opExists:
		return func(string) bool { return true }, c.attr == attrConcepts
	case opNull:
		return func(string) bool { return false }, false
	case opEmpty:
		return func(string) bool { return false }, c.attr == attrConcepts
	}
	return func(v string) bool { return matchValue(c, v) }, false
}

// matchValue evaluates a condition on one value of its attribute.
func matchValue(c *condition, v string) bool {
	switch c.op {
	case opEq, opIn:
		for _, want := range c.values {
			if equalValues(c.attr, v, want) {
				return true
			}
		}
		return false
	case opContains:
		return strings.Contains(strings.ToLower(v), strings.ToLower(c.values[0]))
	case opStarts:
		return strings.HasPrefix(strings.ToLower(v), strings.ToLower(c.values[0]))
	}
	switch c.op {
	case opGt:
		return compareOrdered(c.attr, v, c.values[0]) > 0
	case opGte:
		return compareOrdered(c.attr, v, c.values[0]) >= 0
	case opLt:
		return compareOrdered(c.attr, v, c.values[0]) < 0
	case opLte:
		return compareOrdered(c.attr, v, c.values[0]) <= 0
	case opTo:
		return compareOrdered(c.attr, v, c.values[0]) >= 0 && compareOrdered(c.attr, v, c.values[1]) <= 0
	}
	return false
}

// compareOrdered compares a document's value with a checked bound:
// numbers for year; dates (YYYY-MM-DD) and months (YYYY-MM) compare as
// strings, which orders them in time.
func compareOrdered(attr, have, bound string) int {
	if attr == attrYear {
		h, _ := strconv.ParseFloat(have, 64)
		b, _ := strconv.ParseFloat(strings.TrimSpace(bound), 64)
		switch {
		case h < b:
			return -1
		case h > b:
			return 1
		}
		return 0
	}
	return strings.Compare(have, bound)
}

// equalValues compares a document's value with a filter's: numbers for
// year, strings without regard to case otherwise.
func equalValues(attr, have, want string) bool {
	if attr == attrYear {
		h, err1 := strconv.ParseFloat(have, 64)
		w, err2 := strconv.ParseFloat(strings.TrimSpace(want), 64)
		return err1 == nil && err2 == nil && h == w
	}
	return strings.EqualFold(have, want)
}
