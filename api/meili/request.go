package meili

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"tacheron/api/gate"

	"tacheron/index"
)

// Reading the parameters of Meilisearch searches, from a JSON body or a
// query string, as Meilisearch does: unknown fields and values of the
// wrong type are refused with the parameter's own error code.

// Defaults and limits of a Meilisearch search.
const (
	meiliDefaultLimit  = 20
	meiliDefaultCrop   = 10
	meiliDefaultMarker = "…"
	meiliDefaultPre    = "<em>"
	meiliDefaultPost   = "</em>"
	// meiliMaxTotalHits is the pagination.maxTotalHits setting: the window
	// of hits a search can page through, Meilisearch's default (a wider one
	// lets a single request read thousands of documents).
	meiliMaxTotalHits = 1000
	// meiliMaxValuesPerFacet is the faceting.maxValuesPerFacet setting.
	meiliMaxValuesPerFacet = 100
	// maxCropLength bounds cropLength.
	maxCropLength = 1000
	// maxMultiSearchQueries bounds the queries of a multi-search.
	maxMultiSearchQueries = 32
)

// A meiliQuery is a Meilisearch search, read and checked.
type meiliQuery struct {
	IndexUID string
	Q        string
	Offset   int
	Limit    int
	// Finite is set when page or hitsPerPage was given: the response then
	// counts pages.
	Finite      bool
	Page        int
	HitsPerPage int
	Filter      *filterNode
	// Facets lists the facets asked for; nil when none was.
	Facets []string
	// Sort is tacheron's sort ("" for relevance).
	Sort string
	// Retrieve lists the attributes of hits; nil for the default ones.
	Retrieve         []string
	Highlight        []string
	Crop             map[string]int
	CropLength       int
	CropMarker       string
	PreTag, PostTag  string
	ShowRankingScore bool
	MatchingStrategy string
	// AllFacetValues asks for every value of the facets, not only the
	// most frequent (facet search chooses among them).
	AllFacetValues bool
}

// Parameters of a search, and the error code prefix of each.
var searchParams = []string{
	"q", "offset", "limit", "page", "hitsPerPage", "attributesToRetrieve", "attributesToCrop", "cropLength",
	"cropMarker", "attributesToHighlight", "highlightPreTag", "highlightPostTag", "showMatchesPosition", "filter",
	"sort", "distinct", "facets", "matchingStrategy", "attributesToSearchOn", "rankingScoreThreshold", "locales",
	"hybrid", "vector", "retrieveVectors", "media", "personalize", "useNetwork", "showRankingScore",
	"showRankingScoreDetails", "showPerformanceDetails",
}

// searchableAttributes are the attributes a query searches.
var searchableAttributes = []string{"title", "body"}

// sortableAttributes are the attributes results can be sorted by.
var sortableAttributes = []string{attrDate}

// documentAttributes are the attributes of a document, in order;
// body and url are retrieved only when asked by name.
var documentAttributes = []string{"id", "title", "source", "kind", "date", "lang", "concepts", "year", "month", "url", "body"}

// defaultAttributes are those of hits by default.
var defaultAttributes = []string{"id", "title", "source", "kind", "date", "lang", "concepts", "year", "month"}

// jsonRaw is a JSON value not decoded yet.
type jsonRaw = json.RawMessage

// unmarshalRaw decodes a JSON value; a missing one is an error.
func unmarshalRaw(raw jsonRaw, v any) error {
	if raw == nil {
		return errors.New("missing value")
	}
	return json.Unmarshal(raw, v)
}

// marshalRaw encodes v as a JSON value.
func marshalRaw(v any) jsonRaw {
	b, _ := json.Marshal(v)
	return b
}

// decodeObject decodes a JSON object into its fields, keeping their raw
// values; what is not an object is a malformed payload.
func decodeObject(body []byte, what string) (map[string]json.RawMessage, *Error) {
	if len(bytes.TrimSpace(body)) == 0 {
		return nil, meiliErr(http.StatusBadRequest, codeMissingPayload, "A %s payload is missing.", what)
	}
	var m map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&m); err != nil || m == nil {
		msg := "expected a JSON object"
		if err != nil {
			msg = err.Error()
		}
		return nil, meiliErr(http.StatusBadRequest, codeMalformedPayload,
			"The %s payload provided is malformed: `%s`.", what, msg)
	}
	if dec.More() {
		return nil, meiliErr(http.StatusBadRequest, codeMalformedPayload,
			"The %s payload provided is malformed: `trailing characters after the JSON object`.", what)
	}
	return m, nil
}

// unknownField is Meilisearch's error for a field it does not know.
func unknownField(name string, known []string, path string) *Error {
	return meiliErr(http.StatusBadRequest, codeBadRequest, "Unknown field `%s`%s: expected one of %s", gate.Shown(name), path, quoteList(known))
}

func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = "`" + n + "`"
	}
	return strings.Join(q, ", ")
}

// A fieldReader reads the fields of a JSON object, each into its type,
// with Meilisearch's messages for wrong ones.
type fieldReader struct {
	fields map[string]json.RawMessage
	// prefix of the codes of invalid values: invalid_search_, …
	prefix string
	// path is where the object is, for messages: "" or ".queries[1]".
	path string
}

func (r *fieldReader) raw(name string) (json.RawMessage, bool) {
	v, ok := r.fields[name]
	if !ok || string(v) == "null" {
		return nil, false
	}
	return v, true
}

func (r *fieldReader) typeError(name, want string, v json.RawMessage) *Error {
	var x any
	json.Unmarshal(v, &x)
	return badParam(r.prefix, name, "Invalid value type at `%s.%s`: expected %s, but found %s: `%s`", r.path, name, want, jsonKind(x), gate.Shown(string(v)))
}

func (r *fieldReader) str(name, def string) (string, *Error) {
	v, ok := r.raw(name)
	if !ok {
		return def, nil
	}
	var s string
	if err := json.Unmarshal(v, &s); err != nil {
		return "", r.typeError(name, "a string", v)
	}
	return s, nil
}

func (r *fieldReader) natural(name string, def int) (int, bool, *Error) {
	v, ok := r.raw(name)
	if !ok {
		return def, false, nil
	}
	var f float64
	if err := json.Unmarshal(v, &f); err != nil || f < 0 || f != math.Trunc(f) {
		return 0, false, r.typeError(name, "a positive integer", v)
	}
	if f > math.MaxInt32 {
		f = math.MaxInt32
	}
	return int(f), true, nil
}

func (r *fieldReader) boolean(name string) (bool, *Error) {
	v, ok := r.raw(name)
	if !ok {
		return false, nil
	}
	var b bool
	if err := json.Unmarshal(v, &b); err != nil {
		return false, r.typeError(name, "a boolean", v)
	}
	return b, nil
}

func (r *fieldReader) strs(name string) ([]string, bool, *Error) {
	v, ok := r.raw(name)
	if !ok {
		return nil, false, nil
	}
	var ss []string
	if err := json.Unmarshal(v, &ss); err != nil {
		return nil, false, r.typeError(name, "an array of strings", v)
	}
	return ss, true, nil
}

// searchQuery reads a search from the fields of a JSON object; extra lists
// the fields besides the search's that the object may hold (indexUid, …).
func searchQuery(fields map[string]json.RawMessage, path string, extra ...string) (*meiliQuery, *Error) {
	known := append(slices.Clone(searchParams), extra...)
	for name := range fields {
		if !slices.Contains(known, name) {
			return nil, unknownField(name, known, path)
		}
	}
	r := &fieldReader{fields: fields, prefix: "invalid_search_", path: path}
	q := &meiliQuery{}
	var e *Error
	if q.Q, e = r.str("q", ""); e != nil {
		return nil, e
	}
	if len(q.Q) > index.MaxQueryBytes {
		return nil, badParam(r.prefix, "q", "The query at `%s.q` is %d bytes long; the limit is %d.", path, len(q.Q), index.MaxQueryBytes)
	}
	if q.Offset, _, e = r.natural("offset", 0); e != nil {
		return nil, e
	}
	if q.Limit, _, e = r.natural("limit", meiliDefaultLimit); e != nil {
		return nil, e
	}
	var hasPage, hasHPP bool
	if q.Page, hasPage, e = r.natural("page", 1); e != nil {
		return nil, e
	}
	if q.HitsPerPage, hasHPP, e = r.natural("hitsPerPage", meiliDefaultLimit); e != nil {
		return nil, e
	}
	q.Finite = hasPage || hasHPP
	if raw, ok := r.raw("filter"); ok {
		f, err := parseFilterJSON(raw)
		if err == nil {
			err = checkFilter(f)
		}
		if err != nil {
			return nil, meiliErr(http.StatusBadRequest, codeInvalidFilter, "%s", err.Error())
		}
		q.Filter = f
	}
	if q.Facets, e = facetsParam(r); e != nil {
		return nil, e
	}
	if q.Sort, e = sortParam(r); e != nil {
		return nil, e
	}
	if e = formatParams(r, q); e != nil {
		return nil, e
	}
	if e = unsupportedParams(r, q); e != nil {
		return nil, e
	}
	return q, nil
}

// facetsParam reads facets: filterable attributes, "*" for all.
func facetsParam(r *fieldReader) ([]string, *Error) {
	names, ok, e := r.strs("facets")
	if e != nil || !ok {
		return nil, e
	}
	out := []string{}
	for _, n := range names {
		if n == "*" {
			// Every filterable attribute but date, whose counts by day
			// tacheron does not keep: they are counted one document at a
			// time, for the searches that name it.
			return slices.DeleteFunc(slices.Clone(filterableAttributes), func(a string) bool { return a == attrDate }), nil
		}
		if !slices.Contains(filterableAttributes, n) {
			return nil, badParam(r.prefix, "facets", "Invalid facet distribution: %s `%s` is not filterable. The available filterable attributes are %s.",
				"attribute", gate.Shown(n), quoteList(filterableAttributes))
		}
		if !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out, nil
}

// sortParam reads sort: date:asc or date:desc.
func sortParam(r *fieldReader) (string, *Error) {
	rules, ok, e := r.strs("sort")
	if e != nil || !ok || len(rules) == 0 {
		return "", e
	}
	if len(rules) > 1 {
		return "", badParam(r.prefix, "sort", "Invalid value at `%s.sort`: tacheron sorts by one rule, `date:asc` or `date:desc`; got %d rules.", r.path, len(rules))
	}
	attr, order, found := strings.Cut(rules[0], ":")
	if !found || order != "asc" && order != "desc" {
		return "", badParam(r.prefix, "sort", "Invalid value at `%s.sort[0]`: `%s` is not a sort rule: write `attribute:asc` or `attribute:desc`.", r.path, gate.Shown(rules[0]))
	}
	if attr != attrDate {
		return "", badParam(r.prefix, "sort", "Attribute `%s` is not sortable. Available sortable attributes are: `%s`.", gate.Shown(attr), strings.Join(sortableAttributes, ", "))
	}
	if order == "asc" {
		return index.SortDateAsc, nil
	}
	return index.SortDateDesc, nil
}

// formatParams reads what shapes hits: retrieval, highlight and crop.
func formatParams(r *fieldReader, q *meiliQuery) *Error {
	var e *Error
	var ok bool
	if q.Retrieve, ok, e = r.strs("attributesToRetrieve"); e != nil {
		return e
	} else if ok {
		q.Retrieve = retrievedAttributes(q.Retrieve)
	}
	if q.Highlight, _, e = r.strs("attributesToHighlight"); e != nil {
		return e
	}
	crop, _, e := r.strs("attributesToCrop")
	if e != nil {
		return e
	}
	if q.CropLength, _, e = r.natural("cropLength", meiliDefaultCrop); e != nil {
		return e
	}
	if q.CropLength > maxCropLength {
		return badParam(r.prefix, "cropLength", "Invalid value at `%s.cropLength`: at most %d.", r.path, maxCropLength)
	}
	q.Crop = map[string]int{}
	for _, a := range crop {
		name, length := a, q.CropLength
		if n, l, found := strings.Cut(a, ":"); found {
			v, err := strconv.Atoi(l)
			if err != nil || v < 0 || v > maxCropLength {
				return badParam(r.prefix, "attributesToCrop", "Invalid value at `%s.attributesToCrop`: `%s` is not `attribute` or `attribute:length`.", r.path, gate.Shown(a))
			}
			name, length = n, v
		}
		q.Crop[name] = length
	}
	if q.CropMarker, e = r.str("cropMarker", meiliDefaultMarker); e != nil {
		return e
	}
	if q.PreTag, e = r.str("highlightPreTag", meiliDefaultPre); e != nil {
		return e
	}
	if q.PostTag, e = r.str("highlightPostTag", meiliDefaultPost); e != nil {
		return e
	}
	for _, tag := range []struct{ name, v string }{{"cropMarker", q.CropMarker}, {"highlightPreTag", q.PreTag}, {"highlightPostTag", q.PostTag}} {
		if len(tag.v) > 256 {
			return badParam(r.prefix, tag.name, "Invalid value at `%s.%s`: at most 256 bytes.", r.path, tag.name)
		}
	}
	if q.ShowRankingScore, e = r.boolean("showRankingScore"); e != nil {
		return e
	}
	return nil
}

// retrievedAttributes resolves attributesToRetrieve: "*" stands for the
// default attributes; unknown ones are ignored, as Meilisearch ignores
// attributes it does not display.
func retrievedAttributes(names []string) []string {
	out := []string{}
	for _, n := range names {
		if n == "*" {
			for _, d := range defaultAttributes {
				if !slices.Contains(out, d) {
					out = append(out, d)
				}
			}
			continue
		}
		if slices.Contains(documentAttributes, n) && !slices.Contains(out, n) {
			out = append(out, n)
		}
	}
	return out
}

// unsupportedParams reads the parameters tacheron accepts without using
// them, and refuses those it cannot honour rather than ignore them.
func unsupportedParams(r *fieldReader, q *meiliQuery) *Error {
	var e *Error
	if q.MatchingStrategy, e = r.str("matchingStrategy", "last"); e != nil {
		return e
	}
	switch q.MatchingStrategy {
	case "last", "all", "frequency":
		// All three run tacheron's strategy: documents with every word
		// first, then those missing some.
	default:
		return badParam(r.prefix, "matchingStrategy", "Unknown value `%s` at `%s.matchingStrategy`: expected one of `last`, `all`, `frequency`", gate.Shown(q.MatchingStrategy), r.path)
	}
	if on, ok, e := r.strs("attributesToSearchOn"); e != nil {
		return e
	} else if ok && !slices.Contains(on, "*") {
		for _, a := range on {
			if !slices.Contains(searchableAttributes, a) {
				return badParam(r.prefix, "attributesToSearchOn", "Attribute `%s` is not searchable. Available searchable attributes are: `%s`.", gate.Shown(a), strings.Join(searchableAttributes, ", "))
			}
		}
		for _, a := range searchableAttributes {
			if !slices.Contains(on, a) {
				return badParam(r.prefix, "attributesToSearchOn", "Invalid value at `%s.attributesToSearchOn`: tacheron searches `title` and `body` together and cannot leave out `%s`.", r.path, a)
			}
		}
	}
	if _, _, e := r.strs("locales"); e != nil {
		return e
	}
	for _, name := range []string{"retrieveVectors", "showPerformanceDetails"} {
		if _, e := r.boolean(name); e != nil {
			return e
		}
	}
	refuse := func(name, why string) *Error {
		return badParam(r.prefix, name, "Invalid value at `%s.%s`: %s", r.path, name, why)
	}
	for _, name := range []string{"showMatchesPosition", "showRankingScoreDetails", "useNetwork"} {
		on, e := r.boolean(name)
		if e != nil {
			return e
		}
		if on {
			return refuse(name, "tacheron does not provide it; leave it false.")
		}
	}
	for _, name := range []string{"distinct", "rankingScoreThreshold", "hybrid", "vector", "media", "personalize"} {
		if _, ok := r.raw(name); ok {
			return refuse(name, "tacheron does not support it (no distinct attribute, no ranking score threshold, no embedders); leave it out or null.")
		}
	}
	return nil
}

// searchQueryFromURL reads a GET search from its query string: lists are
// comma separated, as Meilisearch's GET route takes them.
func searchQueryFromURL(v url.Values) (*meiliQuery, *Error) {
	fields := map[string]json.RawMessage{}
	lists := []string{"attributesToRetrieve", "attributesToCrop", "attributesToHighlight", "sort", "facets", "attributesToSearchOn", "locales"}
	numbers := []string{"offset", "limit", "page", "hitsPerPage", "cropLength", "rankingScoreThreshold"}
	bools := []string{"showMatchesPosition", "showRankingScore", "showRankingScoreDetails", "showPerformanceDetails", "retrieveVectors", "useNetwork"}
	for name, values := range v {
		s := values[0]
		var raw any = s
		switch {
		case slices.Contains(lists, name):
			parts := []string{}
			for p := range strings.SplitSeq(s, ",") {
				if p = strings.TrimSpace(p); p != "" {
					parts = append(parts, p)
				}
			}
			raw = parts
		case slices.Contains(numbers, name):
			f, err := strconv.ParseFloat(s, 64)
			if err != nil {
				return nil, badParam("invalid_search_", name, "Invalid value in parameter `%s`: could not parse `%s` as a positive integer", name, gate.Shown(s))
			}
			raw = f
		case slices.Contains(bools, name):
			b, err := strconv.ParseBool(s)
			if err != nil {
				return nil, badParam("invalid_search_", name, "Invalid value in parameter `%s`: could not parse `%s` as a boolean, expected either `true` or `false`", name, gate.Shown(s))
			}
			raw = b
		}
		b, _ := json.Marshal(raw)
		fields[name] = b
	}
	q, e := searchQuery(fields, "")
	if e != nil && e.Code == codeBadRequest {
		e.Message = strings.Replace(e.Message, "Unknown field", "Unknown parameter", 1)
	}
	return q, e
}

// window returns the offset and number of hits a search asks for, within
// the maxTotalHits window.
func (q *meiliQuery) window() (offset, limit int) {
	offset, limit = q.Offset, q.Limit
	if q.Finite {
		limit = q.HitsPerPage
		offset = 0
		if q.Page > 0 {
			offset = min((q.Page-1)*q.HitsPerPage, meiliMaxTotalHits)
		} else {
			limit = 0
		}
	}
	offset = min(offset, meiliMaxTotalHits)
	limit = max(0, min(limit, meiliMaxTotalHits-offset))
	return offset, limit
}

func (q *meiliQuery) String() string { return fmt.Sprintf("%+v", *q) }
