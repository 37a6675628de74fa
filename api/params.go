package api

import (
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"tacheron/index"
)

// Parameter limits.
const (
	defaultPerPage = 10
	// maxParams bounds the parameters of one request.
	maxParams = 256
	// maxShown bounds how much of a bad value a problem repeats.
	maxShown = 40
)

// parseQuery parses a raw query string strictly: malformed
// percent-encoding, a ';' separator, invalid UTF-8, NUL and other control
// characters in a name or a value are refused.
func parseQuery(raw string) (url.Values, *Problem) {
	v := url.Values{}
	n := 0
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		if n++; n > maxParams {
			return nil, invalidParam("", "at most %d parameters", maxParams)
		}
		rawKey, rawValue, _ := strings.Cut(part, "=")
		key, err := url.QueryUnescape(rawKey)
		if err != nil {
			return nil, invalidParam(shown(rawKey), "malformed percent-encoding in a parameter name")
		}
		if p := checkText(key, key); p != nil {
			return nil, p
		}
		if strings.Contains(rawKey, ";") || strings.Contains(rawValue, ";") {
			return nil, invalidParam(shown(key), "';' must be percent-encoded (%%3B); parameters are separated by '&'")
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, invalidParam(shown(key), "malformed percent-encoding in the value of %s", shown(key))
		}
		if p := checkText(key, value); p != nil {
			return nil, p
		}
		v[key] = append(v[key], value)
	}
	return v, nil
}

// checkText refuses a parameter name or value holding invalid UTF-8 or
// control characters.
func checkText(param, s string) *Problem {
	if !utf8.ValidString(s) {
		return invalidParam(shown(param), "%s is not valid UTF-8", shown(param))
	}
	for _, r := range s {
		if unicode.IsControl(r) {
			if r == 0 {
				return invalidParam(shown(param), "%s holds a NUL character", shown(param))
			}
			return invalidParam(shown(param), "%s holds a control character (U+%04X)", shown(param), r)
		}
	}
	return nil
}

// shown returns s cut short and made valid, to repeat it in a problem.
func shown(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return '\uFFFD'
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > maxShown {
		s = string([]rune(s)[:maxShown]) + "…"
	}
	return s
}

// first returns the first value of a parameter, and whether it was given.
func first(v url.Values, name string) (string, bool) {
	vs, ok := v[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// intParam reads an integer parameter between lo and hi, def when absent.
func intParam(v url.Values, name string, def, lo, hi int) (int, *Problem) {
	s, ok := first(v, name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, invalidParam(name, "%s must be between %d and %d", name, lo, hi)
		}
		return 0, invalidParam(name, "%s must be a whole number, not %q", name, shown(s))
	}
	if n < lo || n > hi {
		return 0, invalidParam(name, "%s must be between %d and %d, not %d", name, lo, hi, n)
	}
	return n, nil
}

// labelLang reads the label_lang parameter: fr (default) or en.
func labelLang(v url.Values) (string, *Problem) {
	s, ok := first(v, "label_lang")
	if !ok || s == "" {
		return "fr", nil
	}
	if s != "fr" && s != "en" {
		return "", invalidParam("label_lang", "label_lang must be fr or en, not %q", shown(s))
	}
	return s, nil
}

// dateParam reads a YYYY-MM-DD date parameter.
func dateParam(v url.Values, name string) (string, *Problem) {
	s, ok := first(v, name)
	if !ok || s == "" {
		return "", nil
	}
	if len(s) != len(time.DateOnly) {
		return "", invalidParam(name, "%s must be a date as YYYY-MM-DD, not %q", name, shown(s))
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", invalidParam(name, "%s must be a date as YYYY-MM-DD, not %q", name, shown(s))
	}
	return s, nil
}

// filterValues reads a repeatable filter; empty values are ignored.
func filterValues(v url.Values, name string) []string {
	var out []string
	for _, s := range v[name] {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// searchRequest reads the parameters of GET /api/v1/search.
func searchRequest(v url.Values) (index.Request, *Problem) {
	req := index.Request{Highlight: true}
	req.Query, _ = first(v, "q")
	if len(req.Query) > index.MaxQueryBytes {
		return req, invalidParam("q", "the query is %d bytes long; the limit is %d", len(req.Query), index.MaxQueryBytes)
	}
	req.Filters = index.Filters{
		Sources:  filterValues(v, "source"),
		Concepts: filterValues(v, "concept"),
		Kinds:    filterValues(v, "kind"),
		Langs:    filterValues(v, "lang"),
	}
	var p *Problem
	if req.Filters.From, p = dateParam(v, "from"); p != nil {
		return req, p
	}
	if req.Filters.To, p = dateParam(v, "to"); p != nil {
		return req, p
	}
	if req.Filters.From != "" && req.Filters.To != "" && req.Filters.From > req.Filters.To {
		return req, invalidParam("from", "from (%s) is after to (%s)", req.Filters.From, req.Filters.To)
	}
	if s, ok := first(v, "sort"); ok && s != "" {
		switch s {
		case index.SortRelevance, index.SortDateAsc, index.SortDateDesc:
			req.Sort = s
		default:
			return req, invalidParam("sort", "sort must be relevance, date or -date, not %q", shown(s))
		}
	}
	page, p := intParam(v, "page", 1, 1, index.MaxWindow)
	if p != nil {
		return req, p
	}
	perPage, p := intParam(v, "per_page", defaultPerPage, 1, index.MaxLimit)
	if p != nil {
		return req, p
	}
	if page*perPage > index.MaxWindow {
		return req, invalidParam("page", "results beyond the first %d are not served (page %d of %d): narrow the search", index.MaxWindow, page, perPage)
	}
	req.Offset, req.Limit = (page-1)*perPage, perPage
	req.Facets = []string{index.FacetSource, index.FacetConcept, index.FacetKind, index.FacetLang, index.FacetDate}
	if s, ok := first(v, "facets"); ok {
		req.Facets = []string{}
		for name := range strings.SplitSeq(s, ",") {
			name = strings.TrimSpace(name)
			if name == "" || slices.Contains(req.Facets, name) {
				continue
			}
			if !slices.Contains(index.FacetNames(), name) {
				return req, invalidParam("facets", "unknown facet %q (want some of %s)", shown(name), strings.Join(index.FacetNames(), ", "))
			}
			req.Facets = append(req.Facets, name)
		}
	}
	if req.FacetSize, p = intParam(v, "facet_size", index.DefaultFacetSize, 1, index.MaxFacetSize); p != nil {
		return req, p
	}
	if s, ok := first(v, "date_interval"); ok && s != "" {
		if s != "month" && s != "year" {
			return req, invalidParam("date_interval", "date_interval must be month or year, not %q", shown(s))
		}
		req.DateInterval = s
	}
	if req.FacetLang, p = labelLang(v); p != nil {
		return req, p
	}
	related, p := boolParam(v, "related", true)
	if p != nil {
		return req, p
	}
	req.ExcludeRelated = !related
	return req, nil
}
