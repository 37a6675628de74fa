package index

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// A Warning reports a filter value that matches no value of the index: the
// search answers as if the value were there, with no document, so that a
// saved search keeps working once a reindex brings the value.
type Warning struct {
	// Param is the filter: source, concept, …
	Param string
	// Value is the value as given.
	Value string
	// Closest are the existing values nearest to it, nearest first.
	Closest []string
}

// Message says what the warning means, in a sentence.
func (w Warning) Message() string {
	msg := fmt.Sprintf("%s %q matches no value of the index", w.Param, w.Value)
	if len(w.Closest) > 0 {
		msg += "; closest: " + strings.Join(w.Closest, ", ")
	}
	return msg
}

// maxClosest bounds the values a warning proposes.
const maxClosest = 3

// An openFilter is a filter over an open vocabulary: its values come from
// the documents, and a later reindex may bring new ones. Values are matched
// without regard to case, accents and punctuation; one that matches nothing
// is kept (it selects no document) and reported by a Warning.
type openFilter struct {
	param string // the facet and the API parameter
	field string // the keyword field of its values
	// values points at the filter's values in f.
	values func(f *Filters) *[]string
}

// openFilters lists the filters over open vocabularies.
func openFilters() []openFilter {
	return []openFilter{
		{FacetSource, fieldSource, func(f *Filters) *[]string { return &f.Sources }},
		{FacetConcept, fieldConcept, func(f *Filters) *[]string { return &f.Concepts }},
		{FacetAuthor, fieldAuthor, func(f *Filters) *[]string { return &f.Authors }},
		{FacetTag, fieldTag, func(f *Filters) *[]string { return &f.Tags }},
	}
}

// A closedFilter is a filter over a closed vocabulary: a value outside it
// is an error.
type closedFilter struct {
	param  string
	valid  []string
	values func(f *Filters) *[]string
}

// closedFilters lists the filters over closed vocabularies.
func closedFilters() []closedFilter {
	var kinds []string
	for _, k := range corpus.Kinds() {
		kinds = append(kinds, string(k))
	}
	return []closedFilter{
		{FacetKind, kinds, func(f *Filters) *[]string { return &f.Kinds }},
		{FacetLang, []string{string(text.French), string(text.English)}, func(f *Filters) *[]string { return &f.Langs }},
	}
}

// checkClosed puts the values of closed filters in their canonical case, or
// returns a *QueryError naming the filter and its valid values.
func (f *Filters) checkClosed() error {
	for _, c := range closedFilters() {
		vs := c.values(f)
		*vs = slices.Clone(*vs)
		for i, v := range *vs {
			j := slices.IndexFunc(c.valid, func(valid string) bool { return strings.EqualFold(valid, strings.TrimSpace(v)) })
			if j < 0 {
				return &QueryError{Field: c.param, Reason: fmt.Sprintf("unknown %s %q (want one of %s)", c.param, v, strings.Join(c.valid, ", "))}
			}
			(*vs)[i] = c.valid[j]
		}
	}
	return nil
}

// resolveFilters replaces the values of open filters by the index's values
// they name — the same without regard to case, accents and punctuation, or
// for concepts a label in either language — and reports those that name
// none.
func (s *Snapshot) resolveFilters(f *Filters) []Warning {
	var warnings []Warning
	for _, o := range openFilters() {
		vs := o.values(f)
		if len(*vs) == 0 {
			continue
		}
		names := s.filterNames(o)
		out := make([]string, 0, len(*vs))
		for _, v := range *vs {
			if _, ok := s.facets[o.field].index[v]; !ok {
				key := FilterKey(v)
				if i := slices.IndexFunc(names, func(n filterName) bool { return n.key == key }); i >= 0 {
					v = names[i].value
				} else {
					warnings = append(warnings, Warning{Param: o.param, Value: v, Closest: closest(key, names)})
				}
			}
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
		*vs = out
	}
	return warnings
}

// A filterName is a name of a filter value: the value itself, or a concept's
// label.
type filterName struct {
	key   string // FilterKey of the name
	value string
}

// filterNames returns the names of the values of an open filter, values
// first, then concept labels.
func (s *Snapshot) filterNames(o openFilter) []filterName {
	var names []filterName
	for _, v := range s.facets[o.field].values {
		names = append(names, filterName{FilterKey(v), v})
	}
	if o.field == fieldConcept && s.taxonomy != nil {
		for _, c := range s.taxonomy.Concepts {
			if _, ok := s.facets[o.field].index[c.ID]; !ok {
				continue
			}
			for _, lang := range []string{"fr", "en"} {
				if l := c.Labels[lang]; l != "" {
					names = append(names, filterName{FilterKey(l), c.ID})
				}
			}
		}
	}
	return names
}

// FilterKey is what open filter values (source, concept, author, tag) are
// compared by, with the index's values and concept labels: lower case, without
// accents, words separated by one space.
func FilterKey(v string) string {
	folded := text.Fold(text.Lower(v))
	return strings.Join(strings.FieldsFunc(folded, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
}

// closest returns the values whose names are near key by edit distance (at
// most a third of its length, or 2), a name that contains key counting as
// near; nearest first.
func closest(key string, names []filterName) []string {
	type scored struct {
		value string
		d     int
	}
	var all []scored
	for _, n := range names {
		d := editDistance(key, n.key)
		if key != "" && strings.Contains(n.key, key) {
			d = min(d, 1)
		}
		if i := slices.IndexFunc(all, func(x scored) bool { return x.value == n.value }); i >= 0 {
			all[i].d = min(all[i].d, d)
			continue
		}
		all = append(all, scored{n.value, d})
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		return cmp.Or(cmp.Compare(a.d, b.d), strings.Compare(a.value, b.value))
	})
	var out []string
	for _, x := range all[:min(len(all), maxClosest)] {
		if x.d <= max(2, utf8.RuneCountInString(key)/3) {
			out = append(out, x.value)
		}
	}
	return out
}

// editDistance is the Levenshtein distance between a and b, in runes.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
