package meili

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"tacheron/index"
)

// Planning a Meilisearch filter: tacheron's index filters a field by a set
// of values (OR) and fields together (AND), dates by one range. A filter
// is put in conjunctive normal form over literals of one field each; the
// clauses that fit tacheron's shape become index.Filters, and the plan says
// whether they select exactly the filter's documents. When they do not
// (NOT on concepts, OR across fields, several ranges of dates, …) they
// select a superset, and the index evaluates the filter document by
// document over it during the search (see search.go).

// maxClauses bounds the clauses of a filter's normal form: beyond, the
// part being expanded is evaluated document by document.
const maxClauses = 256

// maxFilterSet is the index's bound on the values of one field's filter.
const maxFilterSet = 100

// A vocabulary lists the values of the index's fields, to resolve filters
// into sets of values.
type vocabulary struct {
	generation uint64
	// seen is when this generation was first seen (index timestamps).
	seen      time.Time
	documents int
	// values lists every value of source, kind, lang and concepts.
	values map[string][]string
	// complete says, for source, kind, lang and date, that every document
	// has exactly one of the values listed (a date, for date): then a
	// condition's complement is the complement of its set.
	complete map[string]bool
}

// A day is a date as days since 1970-01-01.
type day = int64

// Unbounded ends of day ranges.
const (
	minDay day = math.MinInt64 / 4
	maxDay day = math.MaxInt64 / 4
)

// A span is an inclusive range of days; spans are kept sorted, disjoint
// and not adjacent.
type span struct{ lo, hi day }

func dayOf(t time.Time) day {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

func dayString(d day) string {
	return time.Unix(d*86400, 0).UTC().Format(time.DateOnly)
}

// unionSpans returns the union of two span lists.
func unionSpans(a, b []span) []span {
	all := append(slices.Clone(a), b...)
	slices.SortFunc(all, func(x, y span) int {
		switch {
		case x.lo < y.lo:
			return -1
		case x.lo > y.lo:
			return 1
		}
		return 0
	})
	var out []span
	for _, s := range all {
		if s.lo > s.hi {
			continue
		}
		if n := len(out); n > 0 && s.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, s.hi)
			continue
		}
		out = append(out, s)
	}
	return out
}

// intersectSpans returns the intersection of two span lists.
func intersectSpans(a, b []span) []span {
	var out []span
	for _, x := range a {
		for _, y := range b {
			if lo, hi := max(x.lo, y.lo), min(x.hi, y.hi); lo <= hi {
				out = append(out, span{lo, hi})
			}
		}
	}
	return unionSpans(out, nil)
}

// complementSpans returns the days outside a span list.
func complementSpans(a []span) []span {
	var out []span
	next := minDay
	for _, s := range a {
		if s.lo > next {
			out = append(out, span{next, s.lo - 1})
		}
		next = s.hi + 1
	}
	if next <= maxDay {
		out = append(out, span{next, maxDay})
	}
	return out
}

func fullSpans(a []span) bool { return len(a) == 1 && a[0].lo <= minDay && a[0].hi >= maxDay }

// A literal is a condition on one field: for source, kind and lang, the
// document's value is in set; for concepts, the document has one of set
// (none of set when neg); for date, the date is in days. An opaque literal
// (field "") is evaluated document by document.
type literal struct {
	field string
	neg   bool
	set   []string
	days  []span
}

// A clause is a disjunction of literals; a normal form is a conjunction
// of clauses. No clause is true; one empty clause is false.
type clause []literal

var (
	cnfTrue  = []clause{}
	cnfFalse = []clause{{}}
	// cnfOpaque stands for what is evaluated document by document.
	cnfOpaque = []clause{{{}}}
)

// fieldOf returns the field an attribute filters: year and month filter
// date.
func fieldOf(attr string) string {
	switch attr {
	case attrYear, attrMonth:
		return attrDate
	}
	return attr
}

// A filterPlan is how a search runs a filter.
type filterPlan struct {
	// filters select the filter's documents, or a superset of them.
	filters index.Filters
	// exact says that filters select exactly the filter's documents.
	exact bool
	// empty says that the filter selects no document.
	empty bool
}

// planFilter plans a checked filter (nil: no filter).
func planFilter(n *filterNode, v *vocabulary) filterPlan {
	if n == nil {
		return filterPlan{exact: true}
	}
	cnf := v.normalForm(n, true)
	return v.assemble(cnf)
}

// normalForm returns the conjunctive normal form of n (of NOT n when not
// positive).
func (v *vocabulary) normalForm(n *filterNode, positive bool) []clause {
	switch n.kind {
	case filterNot:
		return v.normalForm(n.kids[0], !positive)
	case filterCond:
		return v.condition(n.cond, positive)
	}
	and := n.kind == filterAnd == positive
	if and {
		var out []clause
		for _, k := range n.kids {
			c := v.normalForm(k, positive)
			if isFalse(c) {
				return cnfFalse
			}
			out = append(out, c...)
			if len(out) > maxClauses {
				return cnfOpaque
			}
		}
		return out
	}
	out := cnfFalse
	for _, k := range n.kids {
		c := v.normalForm(k, positive)
		if len(c) == 0 {
			return cnfTrue
		}
		if len(out)*len(c) > maxClauses {
			return cnfOpaque
		}
		var next []clause
		for _, a := range out {
			for _, b := range c {
				if m, ok := v.simplify(append(slices.Clone(a), b...)); ok {
					next = append(next, m)
				}
			}
		}
		if len(next) == 0 {
			return cnfTrue
		}
		out = next
	}
	return out
}

func isFalse(c []clause) bool { return len(c) == 1 && len(c[0]) == 0 }

// condition returns the normal form of a condition (of its negation when
// not positive).
func (v *vocabulary) condition(c *condition, positive bool) []clause {
	l, constant, ok := v.literal(c)
	if !ok {
		return cnfOpaque
	}
	if l == nil {
		if constant == positive {
			return cnfTrue
		}
		return cnfFalse
	}
	if !positive {
		switch l.field {
		case attrConcepts:
			l.neg = !l.neg
		case attrDate:
			l.days = complementSpans(l.days)
		default:
			var rest []string
			for _, x := range v.values[l.field] {
				if !slices.Contains(l.set, x) {
					rest = append(rest, x)
				}
			}
			l.set = rest
		}
	}
	m, ok := v.simplify(clause{*l})
	if !ok {
		return cnfTrue
	}
	if len(m) == 0 {
		return cnfFalse
	}
	return []clause{m}
}

// literal resolves a condition: a literal, or (nil) a constant; ok is false
// when the condition is evaluated document by document.
func (v *vocabulary) literal(c *condition) (l *literal, constant bool, ok bool) {
	field := fieldOf(c.attr)
	if field != attrConcepts && !v.complete[field] {
		return nil, false, false
	}
	switch c.op {
	case opExists:
		return nil, true, true
	case opNull:
		return nil, false, true
	case opEmpty:
		if field == attrConcepts {
			return &literal{field: field, neg: true, set: slices.Clone(v.values[field])}, false, true
		}
		return nil, false, true
	}
	if field == attrDate {
		if c.op == opContains || c.op == opStarts {
			return nil, false, false
		}
		return &literal{field: field, days: dateSpans(c)}, false, true
	}
	var set []string
	for _, x := range v.values[field] {
		if matchValue(c, x) {
			set = append(set, x)
		}
	}
	return &literal{field: field, set: set}, false, true
}

// dateSpans returns the days a condition on date, year or month selects.
func dateSpans(c *condition) []span {
	switch c.op {
	case opEq, opIn:
		var out []span
		for _, x := range c.values {
			if s, ok := valueSpan(c.attr, x); ok {
				out = unionSpans(out, []span{s})
			}
		}
		return out
	case opTo:
		lo, _ := lowerBound(c.attr, c.values[0], true)
		hi, _ := upperBound(c.attr, c.values[1], true)
		return unionSpans([]span{{lo, hi}}, nil)
	case opGt, opGte:
		lo, _ := lowerBound(c.attr, c.values[0], c.op == opGte)
		return unionSpans([]span{{lo, maxDay}}, nil)
	case opLt, opLte:
		hi, _ := upperBound(c.attr, c.values[0], c.op == opLte)
		return unionSpans([]span{{minDay, hi}}, nil)
	}
	return nil
}

// valueSpan returns the days that equal a value of date, year or month.
func valueSpan(attr, v string) (span, bool) {
	switch attr {
	case attrDate:
		if t, err := time.Parse(time.DateOnly, v); err == nil && len(v) == len(time.DateOnly) {
			return span{dayOf(t), dayOf(t)}, true
		}
	case attrMonth:
		if t, err := time.Parse("2006-01", v); err == nil && len(v) == len("2006-01") {
			return span{dayOf(t), dayOf(t.AddDate(0, 1, -1))}, true
		}
	case attrYear:
		f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err == nil && f == math.Trunc(f) && math.Abs(f) < 1e6 {
			y := int(f)
			return span{yearStart(y), yearStart(y+1) - 1}, true
		}
	}
	return span{}, false
}

func yearStart(y int) day { return dayOf(time.Date(y, time.January, 1, 0, 0, 0, 0, time.UTC)) }

// clampYear bounds a year given as a number to where days are defined.
func clampYear(f float64) int { return int(math.Max(-1e6, math.Min(1e6, f))) }

// lowerBound returns the first day of a checked bound (after it when not
// inclusive).
func lowerBound(attr, v string, inclusive bool) (day, bool) {
	switch attr {
	case attrYear:
		f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
		y := math.Ceil(f)
		if !inclusive && y == f {
			y++
		}
		return yearStart(clampYear(y)), true
	case attrMonth, attrDate:
		s, _ := valueSpan(attr, v)
		if inclusive {
			return s.lo, true
		}
		return s.hi + 1, true
	}
	return minDay, false
}

// upperBound returns the last day of a checked bound (before it when not
// inclusive).
func upperBound(attr, v string, inclusive bool) (day, bool) {
	switch attr {
	case attrYear:
		f, _ := strconv.ParseFloat(strings.TrimSpace(v), 64)
		y := math.Floor(f)
		if !inclusive && y == f {
			y--
		}
		return yearStart(clampYear(y)+1) - 1, true
	case attrMonth, attrDate:
		s, _ := valueSpan(attr, v)
		if inclusive {
			return s.hi, true
		}
		return s.lo - 1, true
	}
	return maxDay, false
}

// simplify merges the literals of a clause field by field and drops the
// false ones; ok is false when the clause is always true.
func (v *vocabulary) simplify(c clause) (clause, bool) {
	var out clause
	var opaque bool
	sets := map[string][]string{}
	var pos []string
	var negs [][]string
	var days []span
	var hasDays bool
	for _, l := range c {
		switch {
		case l.field == "":
			opaque = true
		case l.field == attrConcepts && l.neg:
			negs = append(negs, l.set)
		case l.field == attrConcepts:
			pos = unionStrings(pos, l.set)
		case l.field == attrDate:
			days = unionSpans(days, l.days)
			hasDays = true
		default:
			sets[l.field] = unionStrings(sets[l.field], l.set)
		}
	}
	if opaque {
		out = append(out, literal{})
	}
	for _, f := range []string{attrSource, attrKind, attrLang} {
		s, ok := sets[f]
		if !ok || len(s) == 0 {
			continue
		}
		if len(s) == len(v.values[f]) {
			return nil, false
		}
		out = append(out, literal{field: f, set: s})
	}
	if hasDays && len(days) > 0 {
		if fullSpans(days) {
			return nil, false
		}
		out = append(out, literal{field: attrDate, days: days})
	}
	for _, n := range negs {
		if len(n) == 0 || subset(n, pos) {
			// None of nothing is true; so is "one of P or none of N" when
			// N is part of P.
			return nil, false
		}
		out = append(out, literal{field: attrConcepts, neg: true, set: n})
	}
	if len(pos) > 0 {
		out = append(out, literal{field: attrConcepts, set: pos})
	}
	return out, true
}

// assemble turns a normal form into index filters.
func (v *vocabulary) assemble(cnf []clause) filterPlan {
	p := filterPlan{exact: true}
	if isFalse(cnf) {
		p.empty = true
		return p
	}
	sets := map[string][]string{}
	days := []span{{minDay, maxDay}}
	var concepts [][]string
	for _, c := range cnf {
		if len(c) == 0 {
			p.empty = true
			return p
		}
		if len(c) > 1 {
			// Across fields: evaluated document by document.
			p.exact = false
			continue
		}
		l := c[0]
		switch {
		case l.field == "" || l.neg:
			p.exact = false
		case l.field == attrDate:
			if len(l.days) > 1 {
				// Several ranges: the filters take the range that covers
				// them.
				p.exact = false
				days = intersectSpans(days, []span{{l.days[0].lo, l.days[len(l.days)-1].hi}})
			} else {
				days = intersectSpans(days, l.days)
			}
		case l.field == attrConcepts:
			concepts = append(concepts, l.set)
		default:
			if s, ok := sets[l.field]; ok {
				sets[l.field] = intersectStrings(s, l.set)
			} else {
				sets[l.field] = l.set
			}
		}
	}
	if len(days) == 0 {
		p.empty = true
		return p
	}
	if d := days[0]; d.lo > minDay || d.hi < maxDay {
		if d.lo > minDay {
			p.filters.From = dayString(d.lo)
		}
		if d.hi < maxDay {
			p.filters.To = dayString(d.hi)
		}
		if d.hi < yearStart(1) || d.lo > yearStart(10000)-1 {
			p.empty = true
			return p
		}
		if d.lo < yearStart(1) {
			p.filters.From = ""
		}
		if d.hi >= yearStart(10000) {
			p.filters.To = ""
		}
	}
	for _, f := range []string{attrSource, attrKind, attrLang} {
		s, ok := sets[f]
		if !ok {
			continue
		}
		if len(s) == 0 {
			p.empty = true
			return p
		}
		if len(s) > maxFilterSet {
			p.exact = false
			continue
		}
		switch f {
		case attrSource:
			p.filters.Sources = s
		case attrKind:
			p.filters.Kinds = s
		case attrLang:
			p.filters.Langs = s
		}
	}
	// Concepts: one set (a clause) fits the filters; a clause that holds
	// another is implied by it.
	slices.SortStableFunc(concepts, func(a, b []string) int { return len(a) - len(b) })
	var kept [][]string
	for _, s := range concepts {
		if len(s) == 0 {
			p.empty = true
			return p
		}
		if !slices.ContainsFunc(kept, func(k []string) bool { return subset(k, s) }) {
			kept = append(kept, s)
		}
	}
	for i, s := range kept {
		if i > 0 || len(s) > maxFilterSet {
			p.exact = false
			continue
		}
		p.filters.Concepts = s
	}
	return p
}

// subset reports whether every element of a is in b.
func subset(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}

func unionStrings(a, b []string) []string {
	out := slices.Clone(a)
	for _, x := range b {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	slices.Sort(out)
	return out
}

func intersectStrings(a, b []string) []string {
	out := []string{}
	for _, x := range a {
		if slices.Contains(b, x) {
			out = append(out, x)
		}
	}
	return out
}
