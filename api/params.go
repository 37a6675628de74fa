package api

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"tacheron/api/gate"
	"time"

	"tacheron/index"
)

// Parameter limits.
const (
	defaultPerPage = 10
)

// first returns the first value of a parameter, and whether it was given.
func first(v url.Values, name string) (string, bool) {
	vs, ok := v[name]
	if !ok || len(vs) == 0 {
		return "", false
	}
	return vs[0], true
}

// intParam reads an integer parameter between lo and hi, def when absent.
func intParam(v url.Values, name string, def, lo, hi int) (int, *gate.Problem) {
	s, ok := first(v, name)
	if !ok {
		return def, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, gate.InvalidParam(name, "%s must be between %d and %d", name, lo, hi)
		}
		return 0, gate.InvalidParam(name, "%s must be a whole number, not %q", name, gate.Shown(s))
	}
	if n < lo || n > hi {
		return 0, gate.InvalidParam(name, "%s must be between %d and %d, not %d", name, lo, hi, n)
	}
	return n, nil
}

// labelLang reads the label_lang parameter: fr (default) or en.
func labelLang(v url.Values) (string, *gate.Problem) {
	s, ok := first(v, "label_lang")
	if !ok || s == "" {
		return "fr", nil
	}
	if s != "fr" && s != "en" {
		return "", gate.InvalidParam("label_lang", "label_lang must be fr or en, not %q", gate.Shown(s))
	}
	return s, nil
}

// dateParam reads a YYYY-MM-DD date parameter.
func dateParam(v url.Values, name string) (string, *gate.Problem) {
	s, ok := first(v, name)
	if !ok || s == "" {
		return "", nil
	}
	if len(s) != len(time.DateOnly) {
		return "", gate.InvalidParam(name, "%s must be a date as YYYY-MM-DD, not %q", name, gate.Shown(s))
	}
	if _, err := time.Parse(time.DateOnly, s); err != nil {
		return "", gate.InvalidParam(name, "%s must be a date as YYYY-MM-DD, not %q", name, gate.Shown(s))
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

// wholeParam reads an integer parameter, def when absent; its range is
// not checked here.
func wholeParam(v url.Values, name string, def int) (int, *gate.Problem) {
	s, ok := first(v, name)
	if !ok {
		return def, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return 0, gate.InvalidParam(name, "%s %s is out of range", name, gate.Shown(s))
		}
		return 0, gate.InvalidParam(name, "%s must be a whole number, not %q", name, gate.Shown(s))
	}
	// Far beyond any limit, but small enough that products do not overflow.
	return int(max(-1<<31, min(n, 1<<31))), nil
}

// windowParams reads page and per_page into the index's offset and limit.
// The index checks them (index.CheckWindow); its refusal is said here in
// terms of pages.
func windowParams(v url.Values) (offset, limit int, p *gate.Problem) {
	page, p := wholeParam(v, "page", 1)
	if p != nil {
		return 0, 0, p
	}
	perPage, p := wholeParam(v, "per_page", defaultPerPage)
	if p != nil {
		return 0, 0, p
	}
	offset, limit = (page-1)*perPage, perPage
	var qe *index.QueryError
	if err := index.CheckWindow(offset, limit); errors.As(err, &qe) {
		return 0, 0, pageProblem(qe, page, perPage)
	}
	return offset, limit, nil
}

// pageProblem renders the index's refusal of a page under page and
// per_page.
func pageProblem(qe *index.QueryError, page, perPage int) *gate.Problem {
	b := qe.Bounds
	switch {
	case qe.Field == index.FieldLimit && b != nil:
		return gate.InvalidParam("per_page", "per_page must be between %d and %d, not %d", b.Min, b.Max, perPage)
	case qe.Field == index.FieldOffset && b != nil && page < 1:
		return gate.InvalidParam("page", "page must be 1 or more, not %d", page)
	case qe.Field == index.FieldOffset && b != nil:
		last := b.Max/perPage + 1
		return gate.InvalidParam("page", "page must be between 1 and %d with per_page=%d, not %d: results beyond the first %d are not served; narrow the search",
			last, perPage, page, index.MaxWindow)
	}
	p, _ := gate.Classify(qe)
	return p
}

// GenerationHeader names the generation of the index snapshot that
// answered a request and, in a request, the one that must answer it.
const GenerationHeader = "X-Index-Generation"

// generationParam reads the generation parameter: the generation of the
// snapshot that must answer (as the first page of a result list gave it),
// or 0 for the current one.
func generationParam(v url.Values) (uint64, *gate.Problem) {
	s, ok := first(v, "generation")
	if !ok || s == "" {
		return 0, nil
	}
	gen, err := strconv.ParseUint(s, 10, 64)
	if err != nil || gen == 0 {
		return 0, gate.InvalidParam("generation", "generation must be a positive integer (the generation of an earlier page), not %q", gate.Shown(s))
	}
	return gen, nil
}

// searchRequest reads the parameters of GET /api/v1/search; a
// generation may also come in the X-Index-Generation header (see search).
func searchRequest(v url.Values) (index.Request, *gate.Problem) {
	req := index.Request{Highlight: true}
	req.Query, _ = first(v, "q")
	if len(req.Query) > index.MaxQueryBytes {
		return req, gate.InvalidParam("q", "the query is %d bytes long; the limit is %d", len(req.Query), index.MaxQueryBytes)
	}
	req.Filters = index.Filters{
		Sources:  filterValues(v, "source"),
		Concepts: filterValues(v, "concept"),
		Kinds:    filterValues(v, "kind"),
		Langs:    filterValues(v, "lang"),
		Authors:  filterValues(v, "author"),
		Tags:     filterValues(v, "tag"),
	}
	var p *gate.Problem
	if req.Filters.From, p = dateParam(v, "from"); p != nil {
		return req, p
	}
	if req.Filters.To, p = dateParam(v, "to"); p != nil {
		return req, p
	}
	if req.Filters.From != "" && req.Filters.To != "" && req.Filters.From > req.Filters.To {
		return req, gate.InvalidParam("from", "from (%s) is after to (%s)", req.Filters.From, req.Filters.To)
	}
	if s, ok := first(v, "sort"); ok && s != "" {
		switch s {
		case index.SortRelevance, index.SortDateAsc, index.SortDateDesc:
			req.Sort = s
		default:
			return req, gate.InvalidParam("sort", "sort must be relevance, date or -date, not %q", gate.Shown(s))
		}
	}
	if req.Offset, req.Limit, p = windowParams(v); p != nil {
		return req, p
	}
	if req.Generation, p = generationParam(v); p != nil {
		return req, p
	}
	req.Facets = []string{index.FacetSource, index.FacetConcept, index.FacetKind, index.FacetLang, index.FacetDate, index.FacetAuthor, index.FacetTag}
	if s, ok := first(v, "facets"); ok {
		req.Facets = []string{}
		for name := range strings.SplitSeq(s, ",") {
			name = strings.TrimSpace(name)
			if name == "" || slices.Contains(req.Facets, name) {
				continue
			}
			if !slices.Contains(index.FacetNames(), name) {
				return req, gate.InvalidParam("facets", "unknown facet %q (want some of %s)", gate.Shown(name), strings.Join(index.FacetNames(), ", "))
			}
			req.Facets = append(req.Facets, name)
		}
	}
	if req.FacetSize, p = wholeParam(v, "facet_size", index.DefaultFacetSize); p != nil {
		return req, p
	}
	if err := index.CheckFacetSize(req.FacetSize); err != nil {
		// Said as the native API says every refusal of the index.
		p, _ := gate.Classify(err)
		return req, p
	}
	if s, ok := first(v, "date_interval"); ok && s != "" {
		if s != "month" && s != "year" {
			return req, gate.InvalidParam("date_interval", "date_interval must be month or year, not %q", gate.Shown(s))
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
	if s, ok := first(v, "collapse"); ok && s != "" {
		switch s {
		case "true":
		case "false":
			req.NoCollapse = true
		default:
			return req, gate.InvalidParam("collapse", "collapse must be true or false, not %q", gate.Shown(s))
		}
	}
	return req, nil
}
