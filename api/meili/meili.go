package meili

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"tacheron/api/gate"
	"tacheron/corpus/analysis"
	"tacheron/index"
)

// Defaults of the Meilisearch-compatible API.
const (
	DefaultPrefix = "/meili"
	DefaultIndex  = "documents"
	// meiliVersion is the Meilisearch version whose API is served.
	meiliVersion = "1.16.0"
)

var meiliUIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,400}$`)

// checkMeili checks the prefix and index uid of the Meilisearch API.
func checkMeili(prefix, uid string) error {
	if prefix == "" {
		return nil
	}
	if !strings.HasPrefix(prefix, "/") || strings.HasSuffix(prefix, "/") || strings.Contains(prefix, "//") ||
		strings.ContainsAny(prefix, ":*?#% ") {
		return fmt.Errorf("api: Meilisearch prefix %q is not a path like /meili", prefix)
	}
	for _, taken := range []string{"/api", "/static", "/healthz", "/readyz", "/metrics", "/openapi.json"} {
		if prefix == taken || strings.HasPrefix(prefix, taken+"/") {
			return fmt.Errorf("api: Meilisearch prefix %q would hide %s", prefix, taken)
		}
	}
	if !meiliUIDPattern.MatchString(uid) {
		return fmt.Errorf("api: Meilisearch index uid %q is not letters, digits, - and _", uid)
	}
	return nil
}

// OwnsPath reports whether s serves a path; a nil Server serves none.
func (s *Server) OwnsPath(path string) bool {
	return s != nil && (path == s.prefix || strings.HasPrefix(path, s.prefix+"/"))
}

// ServeHTTP serves a request of the Meilisearch API.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.engine.ServeHTTP(w, r)
}

// meiliHeaders sets the headers of every response of the Meilisearch
// API, and answers CORS preflights: the configured origin may call it
// with the headers the clients send.
func (s *Server) meiliHeaders(c *gin.Context) {
	cors := gate.CORS{
		Methods:    "GET, POST",
		Headers:    "Accept, Accept-Language, Authorization, Content-Type, X-Meilisearch-Client",
		AllOptions: true, // a preflight, allowed or not: no body
	}
	if !s.CommonHeaders(c, cors) {
		c.Next()
	}
}

// meiliRecover answers a panic with a Meilisearch internal error.
func (s *Server) meiliRecover(c *gin.Context) {
	s.RecoverWith(c, func() { s.meiliFail(c, errors.New("panic")) })
}

// meiliLimits refuses oversized requests (gate.Front.Oversized): a body
// over the limit with Meilisearch's payload_too_large; a long target or
// large header fields, for which Meilisearch has no error of its own,
// with tacheron's problem.
func (s *Server) meiliLimits(c *gin.Context) {
	p := s.Oversized(c.Writer, c.Request)
	switch {
	case p == nil:
		c.Next()
	case p.Status == http.StatusRequestEntityTooLarge:
		s.writeMeiliError(c, payloadTooLarge(s.Opts.MaxBodyBytes))
	default:
		s.WriteProblem(c, p)
	}
}

// payloadTooLarge is Meilisearch's error of a body over limit bytes.
func payloadTooLarge(limit int64) *Error {
	return meiliErr(http.StatusRequestEntityTooLarge, codePayloadTooLarge,
		"The provided payload reached the size limit. The maximum accepted payload size is %d bytes.", limit)
}

// meiliIndex checks the index uid of a request's path.
func (s *Server) meiliIndex(c *gin.Context) {
	if uid := c.Param("uid"); uid != s.uid {
		s.writeMeiliError(c, meiliErr(http.StatusNotFound, codeIndexNotFound, "Index `%s` not found.", gate.Shown(uid)))
		return
	}
	c.Next()
}

// meiliNoRoute answers a path the API does not serve: a write anywhere is
// refused as such.
func (s *Server) meiliNoRoute(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead:
		s.writeMeiliError(c, meiliErr(http.StatusNotFound, codeNotFound,
			"Not found: tacheron's Meilisearch-compatible API serves searches, multi-search, facet search, documents, settings, stats, health and version of the index `%s`.", s.uid))
	default:
		s.writeMeiliError(c, readOnly(c.Request.Method, c.Request.URL.Path))
	}
}

// meiliNoMethod answers a method that a path does not serve: writes are
// refused as such; gin has set the Allow header.
func (s *Server) meiliNoMethod(c *gin.Context) {
	switch c.Request.Method {
	case http.MethodGet, http.MethodHead:
		s.writeMeiliError(c, meiliErr(http.StatusMethodNotAllowed, codeBadRequest, "%s is not allowed here; see the Allow header.", c.Request.Method))
	default:
		s.writeMeiliError(c, readOnly(c.Request.Method, c.Request.URL.Path))
	}
}

// readBody reads a JSON request body; Meilisearch wants it typed so.
func (s *Server) readBody(c *gin.Context) ([]byte, *Error) {
	ct := c.GetHeader("Content-Type")
	if mt, _, _ := strings.Cut(ct, ";"); strings.TrimSpace(strings.ToLower(mt)) != "application/json" {
		if ct == "" {
			return nil, meiliErr(http.StatusUnsupportedMediaType, "missing_content_type",
				"A Content-Type header is missing. Accepted values for the Content-Type header are: `application/json`")
		}
		return nil, meiliErr(http.StatusUnsupportedMediaType, codeInvalidContent,
			"The Content-Type `%s` is invalid. Accepted values for the Content-Type header are: `application/json`", gate.Shown(ct))
	}
	body, err := io.ReadAll(c.Request.Body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			// A chunked body is found too large only while it is read.
			return nil, payloadTooLarge(mbe.Limit)
		}
		return nil, meiliErr(http.StatusBadRequest, codeMalformedPayload, "The payload could not be read.")
	}
	return body, nil
}

// MeiliSearchResponse is the body of a Meilisearch search.
type MeiliSearchResponse struct {
	IndexUID           string                    `json:"indexUid,omitempty"`
	Hits               []map[string]any          `json:"hits"`
	Query              string                    `json:"query"`
	ProcessingTimeMs   int64                     `json:"processingTimeMs"`
	Limit              *int                      `json:"limit,omitempty"`
	Offset             *int                      `json:"offset,omitempty"`
	EstimatedTotalHits *int                      `json:"estimatedTotalHits,omitempty"`
	HitsPerPage        *int                      `json:"hitsPerPage,omitempty"`
	Page               *int                      `json:"page,omitempty"`
	TotalPages         *int                      `json:"totalPages,omitempty"`
	TotalHits          *int                      `json:"totalHits,omitempty"`
	FacetDistribution  map[string]map[string]int `json:"facetDistribution,omitzero"`
	FacetStats         map[string]FacetStat      `json:"facetStats,omitzero"`
}

// A FacetStat is the range of a numeric facet's values.
type FacetStat struct {
	Min float64 `json:"min"`
	Max float64 `json:"max"`
}

// meiliSearch runs a search and shapes its response.
func (s *Server) meiliSearch(c *gin.Context, q *meiliQuery, start time.Time) (*MeiliSearchResponse, error) {
	ctx := c.Request.Context()
	res, err := s.run(ctx, q, needsHighlights(q))
	if err != nil {
		return nil, err
	}
	hits, err := s.meiliHits(ctx, q, res.hits)
	if err != nil {
		return nil, err
	}
	total := min(res.total, meiliMaxTotalHits)
	out := &MeiliSearchResponse{Hits: hits, Query: q.Q}
	if q.Finite {
		pages := 0
		if q.HitsPerPage > 0 {
			pages = (total + q.HitsPerPage - 1) / q.HitsPerPage
		}
		out.HitsPerPage, out.Page, out.TotalPages, out.TotalHits = &q.HitsPerPage, &q.Page, &pages, &total
	} else {
		out.Limit, out.Offset, out.EstimatedTotalHits = &q.Limit, &q.Offset, &total
	}
	if q.Facets != nil {
		out.FacetDistribution = map[string]map[string]int{}
		out.FacetStats = map[string]FacetStat{}
		for _, f := range q.Facets {
			out.FacetDistribution[f] = topValues(res.facets[f], meiliMaxValuesPerFacet)
			if f == attrYear {
				if st, ok := numericStat(res.facets[f]); ok {
					out.FacetStats[f] = st
				}
			}
		}
	}
	c.Set(gate.KeyHits, res.total)
	gate.SetGeneration(c, res.generation)
	out.ProcessingTimeMs = time.Since(start).Milliseconds()
	return out, nil
}

// topValues keeps the n values that count the most (ties: by value).
func topValues(dist map[string]int, n int) map[string]int {
	if len(dist) <= n {
		if dist == nil {
			return map[string]int{}
		}
		return dist
	}
	keys := make([]string, 0, len(dist))
	for k := range dist {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if c := cmp.Compare(dist[b], dist[a]); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	out := map[string]int{}
	for _, k := range keys[:n] {
		out[k] = dist[k]
	}
	return out
}

// numericStat returns the range of numeric facet values that count.
func numericStat(dist map[string]int) (FacetStat, bool) {
	st := FacetStat{Min: math.Inf(1), Max: math.Inf(-1)}
	for k, n := range dist {
		f, err := strconv.ParseFloat(k, 64)
		if err != nil || n == 0 {
			continue
		}
		st.Min, st.Max = math.Min(st.Min, f), math.Max(st.Max, f)
	}
	return st, !math.IsInf(st.Min, 0)
}

// meiliSearchPost answers POST /indexes/{uid}/search.
func (s *Server) meiliSearchPost(c *gin.Context) {
	start := time.Now()
	body, e := s.readBody(c)
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	fields, e := decodeObject(body, "search")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	q, e := searchQuery(fields, "")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	s.answerSearch(c, q, start)
}

// meiliSearchGet answers GET /indexes/{uid}/search.
func (s *Server) meiliSearchGet(c *gin.Context) {
	start := time.Now()
	v, p := gate.ParseQuery(c.Request.URL.RawQuery)
	if p != nil {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeBadRequest, "%s", p.Detail))
		return
	}
	q, e := searchQueryFromURL(v)
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	s.answerSearch(c, q, start)
}

func (s *Server) answerSearch(c *gin.Context, q *meiliQuery, start time.Time) {
	out, err := s.meiliSearch(c, q, start)
	if err != nil {
		s.meiliFail(c, err)
		return
	}
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// MultiSearchResponse is the body of POST /multi-search.
type MultiSearchResponse struct {
	Results []*MeiliSearchResponse `json:"results"`
}

// meiliMultiSearch answers POST /multi-search: each query is answered as
// a search of its own; federation (merging their hits) is refused.
func (s *Server) meiliMultiSearch(c *gin.Context) {
	start := time.Now()
	body, e := s.readBody(c)
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	fields, e := decodeObject(body, "multi-search")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	for name := range fields {
		if name != "queries" && name != "federation" {
			s.writeMeiliError(c, unknownField(name, []string{"queries", "federation"}, ""))
			return
		}
	}
	if raw, ok := fields["federation"]; ok && string(raw) != "null" {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeInvalidFederation,
			"Federated search is not supported: tacheron's relevance is an order, not a score that could merge the hits of several queries. Send the queries without `federation`."))
		return
	}
	var queries []map[string]jsonRaw
	if err := unmarshalRaw(fields["queries"], &queries); err != nil || fields["queries"] == nil {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, "invalid_multi_search_queries",
			"Invalid value at `.queries`: expected an array of search queries."))
		return
	}
	if len(queries) > maxMultiSearchQueries {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, "invalid_multi_search_queries",
			"Invalid value at `.queries`: at most %d queries.", maxMultiSearchQueries))
		return
	}
	out := &MultiSearchResponse{Results: make([]*MeiliSearchResponse, len(queries))}
	total := 0
	for i, qf := range queries {
		path := fmt.Sprintf(".queries[%d]", i)
		q, e := searchQuery(qf, path, "indexUid", "federationOptions")
		if e == nil {
			e = s.multiSearchIndex(qf, path)
		}
		if e != nil {
			e.Message = "Inside `" + path + "`: " + e.Message
			s.writeMeiliError(c, e)
			return
		}
		res, err := s.meiliSearch(c, q, start)
		if err != nil {
			me, internal := meiliErrorOf(err)
			if internal {
				s.meiliFail(c, err)
				return
			}
			me.Message = "Inside `" + path + "`: " + me.Message
			s.writeMeiliError(c, me)
			return
		}
		res.IndexUID = s.uid
		out.Results[i] = res
		if n, ok := c.Get(gate.KeyHits); ok {
			total += n.(int)
		}
	}
	c.Set(gate.KeyHits, total)
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// multiSearchIndex checks the indexUid of a query of a multi-search.
func (s *Server) multiSearchIndex(fields map[string]jsonRaw, path string) *Error {
	var uid string
	if err := unmarshalRaw(fields["indexUid"], &uid); err != nil || uid == "" {
		return meiliErr(http.StatusBadRequest, "missing_index_uid", "Missing field `indexUid`.")
	}
	if uid != s.uid {
		return meiliErr(http.StatusNotFound, codeIndexNotFound, "Index `%s` not found.", gate.Shown(uid))
	}
	if raw, ok := fields["federationOptions"]; ok && string(raw) != "null" {
		return meiliErr(http.StatusBadRequest, "invalid_multi_search_federation_options",
			"Using `federationOptions` is not allowed in a non-federated search.")
	}
	return nil
}

// FacetSearchResponse is the body of POST /indexes/{uid}/facet-search.
type FacetSearchResponse struct {
	FacetHits        []FacetHit `json:"facetHits"`
	FacetQuery       *string    `json:"facetQuery"`
	ProcessingTimeMs int64      `json:"processingTimeMs"`
}

// A FacetHit is a value of a facet and its count.
type FacetHit struct {
	Value string `json:"value"`
	Count int    `json:"count"`
}

// meiliFacetSearch answers POST /indexes/{uid}/facet-search: the values
// of a facet among the documents that q and filter select, those whose
// words start with facetQuery (case and accents aside; concepts match by
// their labels too), most frequent first.
func (s *Server) meiliFacetSearch(c *gin.Context) {
	start := time.Now()
	body, e := s.readBody(c)
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	fields, e := decodeObject(body, "facet search")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	r := &fieldReader{fields: fields, prefix: "invalid_facet_search_"}
	name, e := r.str("facetName", "")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	if name == "" {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeMissingFacetName, "Missing field `facetName`"))
		return
	}
	if !slices.Contains(filterableAttributes, name) {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeInvalidFacetName,
			"Attribute `%s` is not facet-searchable. Available facet-searchable attributes are: `%s`.", gate.Shown(name), strings.Join(filterableAttributes, ", ")))
		return
	}
	var facetQuery *string
	if raw, ok := r.raw("facetQuery"); ok {
		var fq string
		if err := unmarshalRaw(raw, &fq); err != nil {
			s.writeMeiliError(c, r.typeError("facetQuery", "a string", raw))
			return
		}
		facetQuery = &fq
	}
	if _, e := r.boolean("exhaustiveFacetCount"); e != nil {
		s.writeMeiliError(c, e)
		return
	}
	rest := map[string]jsonRaw{}
	for k, v := range fields {
		if k != "facetName" && k != "facetQuery" && k != "exhaustiveFacetCount" {
			rest[k] = v
		}
	}
	// The search's own parameters (instant-meilisearch sends them all);
	// those that shape hits do not matter here.
	q, e := searchQuery(rest, "", "facetName", "facetQuery", "exhaustiveFacetCount")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	q.Facets = []string{name}
	q.Finite, q.Offset, q.Limit = false, 0, 0
	q.AllFacetValues = true
	ctx := c.Request.Context()
	res, err := s.run(ctx, q, false)
	if err != nil {
		s.meiliFail(c, err)
		return
	}
	labels := map[string][]string{}
	if name == attrConcepts && facetQuery != nil && *facetQuery != "" {
		if cs, _, err := s.Searcher.Concepts(ctx); err == nil {
			for _, cc := range cs {
				for _, l := range cc.Labels {
					labels[cc.ID] = append(labels[cc.ID], l)
				}
			}
		}
	}
	hits := []FacetHit{}
	for v, n := range res.facets[name] {
		if n == 0 {
			continue
		}
		if facetQuery != nil && !facetMatches(*facetQuery, v, labels[v]) {
			continue
		}
		hits = append(hits, FacetHit{Value: v, Count: n})
	}
	slices.SortFunc(hits, func(a, b FacetHit) int {
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	if len(hits) > meiliMaxValuesPerFacet {
		hits = hits[:meiliMaxValuesPerFacet]
	}
	c.Set(gate.KeyHits, len(hits))
	gate.SetGeneration(c, res.generation)
	s.WriteJSON(c, http.StatusOK, "application/json", &FacetSearchResponse{
		FacetHits: hits, FacetQuery: facetQuery, ProcessingTimeMs: time.Since(start).Milliseconds(),
	})
}

// facetMatches reports whether a facet value (or one of its labels) has a
// word that starts with the query, or starts with it as a whole, case and
// accents aside.
func facetMatches(query, value string, labels []string) bool {
	q := fold(strings.TrimSpace(query))
	if q == "" {
		return true
	}
	for _, s := range append([]string{value}, labels...) {
		f := fold(s)
		inWord := false
		for i, r := range f {
			w := isWordRune(r)
			if (i == 0 || w && !inWord) && strings.HasPrefix(f[i:], q) {
				return true
			}
			inWord = w
		}
	}
	return false
}

// fold lowercases s and folds its accents and ligatures ("Cœur" → "coeur")
// as the index does.
func fold(s string) string { return analysis.Fold(analysis.Lower(s)) }

// meiliHealth answers GET /health.
func (s *Server) meiliHealth(c *gin.Context) {
	s.WriteJSON(c, http.StatusOK, "application/json", map[string]string{"status": "available"})
}

// meiliVersion answers GET /version: the Meilisearch version whose API
// is served.
func (s *Server) meiliVersionInfo(c *gin.Context) {
	s.WriteJSON(c, http.StatusOK, "application/json", map[string]string{
		"commitSha": "tacheron", "commitDate": "unknown", "pkgVersion": meiliVersion,
	})
}

// MeiliIndex describes the index.
type MeiliIndex struct {
	UID        string `json:"uid"`
	CreatedAt  string `json:"createdAt"`
	UpdatedAt  string `json:"updatedAt"`
	PrimaryKey string `json:"primaryKey"`
}

// indexInfo describes the index served; its times are when this server
// first served its current generation.
func (s *Server) indexInfo(c *gin.Context) (*MeiliIndex, *vocabulary, bool) {
	v, err := s.vocabulary(c.Request.Context(), 0)
	if err != nil {
		s.meiliFail(c, err)
		return nil, nil, false
	}
	t := v.seen.Format(time.RFC3339Nano)
	return &MeiliIndex{UID: s.uid, CreatedAt: t, UpdatedAt: t, PrimaryKey: "id"}, v, true
}

// meiliGetIndex answers GET /indexes/{uid}.
func (s *Server) meiliGetIndex(c *gin.Context) {
	if ix, _, ok := s.indexInfo(c); ok {
		s.WriteJSON(c, http.StatusOK, "application/json", ix)
	}
}

// meiliListIndexes answers GET /indexes.
func (s *Server) meiliListIndexes(c *gin.Context) {
	v, p := gate.ParseQuery(c.Request.URL.RawQuery)
	if p != nil {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeBadRequest, "%s", p.Detail))
		return
	}
	offset, e := naturalParam(v, "offset", 0, "invalid_index_offset")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	limit, e := naturalParam(v, "limit", 20, "invalid_index_limit")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	ix, _, ok := s.indexInfo(c)
	if !ok {
		return
	}
	results := []*MeiliIndex{}
	if offset == 0 && limit > 0 {
		results = append(results, ix)
	}
	s.WriteJSON(c, http.StatusOK, "application/json", map[string]any{"results": results, "offset": offset, "limit": limit, "total": 1})
}

// naturalParam reads a whole number ≥ 0 from a query string.
func naturalParam(v map[string][]string, name string, def int, code string) (int, *Error) {
	s, ok := v[name]
	if !ok || len(s) == 0 {
		return def, nil
	}
	n, err := strconv.Atoi(s[0])
	if err != nil || n < 0 {
		return 0, meiliErr(http.StatusBadRequest, code, "Invalid value in parameter `%s`: could not parse `%s` as a positive integer", name, gate.Shown(s[0]))
	}
	return n, nil
}

// MeiliStats are the stats of the index.
type MeiliStats struct {
	NumberOfDocuments int            `json:"numberOfDocuments"`
	IsIndexing        bool           `json:"isIndexing"`
	FieldDistribution map[string]int `json:"fieldDistribution"`
}

func (s *Server) indexStats(v *vocabulary) *MeiliStats {
	fd := map[string]int{}
	for _, a := range documentAttributes {
		fd[a] = v.documents
	}
	return &MeiliStats{NumberOfDocuments: v.documents, FieldDistribution: fd}
}

// meiliIndexStats answers GET /indexes/{uid}/stats.
func (s *Server) meiliIndexStats(c *gin.Context) {
	if _, v, ok := s.indexInfo(c); ok {
		s.WriteJSON(c, http.StatusOK, "application/json", s.indexStats(v))
	}
}

// meiliStats answers GET /stats.
func (s *Server) meiliStats(c *gin.Context) {
	ix, v, ok := s.indexInfo(c)
	if !ok {
		return
	}
	s.WriteJSON(c, http.StatusOK, "application/json", map[string]any{
		"databaseSize": 0, "lastUpdate": ix.UpdatedAt, "indexes": map[string]any{s.uid: s.indexStats(v)},
	})
}

// meiliSettingsValues are the index's settings as Meilisearch names them.
func meiliSettingsValues() map[string]any {
	return map[string]any{
		"displayedAttributes":  []string{"*"},
		"searchableAttributes": searchableAttributes,
		"filterableAttributes": filterableAttributes,
		"sortableAttributes":   sortableAttributes,
		"rankingRules":         []string{"sort", "words", "typo", "proximity", "attribute", "exactness"},
		"stopWords":            []string{},
		"nonSeparatorTokens":   []string{},
		"separatorTokens":      []string{},
		"dictionary":           []string{},
		"synonyms":             map[string][]string{},
		"distinctAttribute":    nil,
		"proximityPrecision":   "byWord",
		"typoTolerance": map[string]any{
			"enabled":             true,
			"minWordSizeForTypos": map[string]int{"oneTypo": 5, "twoTypos": 9},
			"disableOnWords":      []string{},
			"disableOnAttributes": []string{},
		},
		"faceting":            map[string]any{"maxValuesPerFacet": meiliMaxValuesPerFacet, "sortFacetValuesBy": map[string]string{"*": "count"}},
		"pagination":          map[string]int{"maxTotalHits": meiliMaxTotalHits},
		"searchCutoffMs":      nil,
		"localizedAttributes": []map[string][]string{{"attributePatterns": {"*"}, "locales": {"fra", "eng"}}},
		"facetSearch":         true,
		"prefixSearch":        "indexingTime",
		"embedders":           map[string]any{},
	}
}

// meiliSettings answers GET /indexes/{uid}/settings.
func (s *Server) meiliSettings(c *gin.Context) {
	s.WriteJSON(c, http.StatusOK, "application/json", meiliSettingsValues())
}

// meiliSetting answers GET /indexes/{uid}/settings/{name}, the name in
// kebab case (filterable-attributes).
func (s *Server) meiliSetting(c *gin.Context) {
	name := c.Param("setting")
	parts := strings.Split(name, "-")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	v, ok := meiliSettingsValues()[strings.Join(parts, "")]
	if !ok {
		s.meiliNoRoute(c)
		return
	}
	s.WriteJSON(c, http.StatusOK, "application/json", v)
}

// meiliDocument answers GET /indexes/{uid}/documents/{id}: the whole
// document, with its body and url (fields restricts the attributes).
func (s *Server) meiliDocument(c *gin.Context) {
	v, p := gate.ParseQuery(c.Request.URL.RawQuery)
	if p != nil {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeBadRequest, "%s", p.Detail))
		return
	}
	id := strings.TrimPrefix(c.Param("id"), "/") // the route's catch-all keeps the slash
	if p := gate.CheckText("id", id); p != nil {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, "invalid_document_id", "%s", p.Detail))
		return
	}
	fields := documentAttributes
	if f, ok := v["fields"]; ok && len(f) > 0 {
		fields = fieldList(f[0], documentAttributes)
	}
	d, err := s.Searcher.Document(c.Request.Context(), id, "")
	if errors.Is(err, index.ErrNotFound) {
		s.writeMeiliError(c, meiliErr(http.StatusNotFound, codeDocumentNotFound, "Document `%s` not found.", gate.Shown(id)))
		return
	}
	if err != nil {
		s.meiliFail(c, err)
		return
	}
	h := index.Hit{ID: d.ID, Title: d.Title, Source: d.Source, Kind: d.Kind, Date: d.Date, Lang: d.Lang}
	for _, dc := range d.Concepts {
		h.Concepts = append(h.Concepts, dc.ID)
	}
	out := map[string]any{}
	for _, a := range fields {
		out[a], _ = hitValue(&h, a, func() (*index.Document, error) { return d, nil })
	}
	gate.SetGeneration(c, d.Generation)
	s.WriteJSON(c, http.StatusOK, "application/json", out)
}

// fieldList reads a comma list of attributes; "*" stands for all.
func fieldList(s string, all []string) []string {
	out := []string{}
	for f := range strings.SplitSeq(s, ",") {
		f = strings.TrimSpace(f)
		if f == "*" {
			return all
		}
		if slices.Contains(all, f) && !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	return out
}

// MeiliDocuments is a page of documents.
type MeiliDocuments struct {
	Results []map[string]any `json:"results"`
	Offset  int              `json:"offset"`
	Limit   int              `json:"limit"`
	Total   int              `json:"total"`
}

// meiliDocumentsGet answers GET /indexes/{uid}/documents: documents,
// newest first, optionally filtered.
func (s *Server) meiliDocumentsGet(c *gin.Context) {
	v, p := gate.ParseQuery(c.Request.URL.RawQuery)
	if p != nil {
		s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeBadRequest, "%s", p.Detail))
		return
	}
	fields := map[string]jsonRaw{}
	for name, vals := range v {
		switch name {
		case "offset", "limit":
			n, err := strconv.Atoi(vals[0])
			if err != nil || n < 0 {
				s.writeMeiliError(c, meiliErr(http.StatusBadRequest, "invalid_document_"+name, "Invalid value in parameter `%s`: could not parse `%s` as a positive integer", name, gate.Shown(vals[0])))
				return
			}
			fields[name] = jsonRaw(strconv.Itoa(n))
		case "fields":
			fields[name] = marshalRaw(fieldList(vals[0], documentAttributes))
		case "filter":
			fields[name] = marshalRaw(vals[0])
		case "retrieveVectors":
		default:
			s.writeMeiliError(c, meiliErr(http.StatusBadRequest, codeBadRequest, "Unknown parameter `%s`: expected one of `offset`, `limit`, `fields`, `filter`, `retrieveVectors`", gate.Shown(name)))
			return
		}
	}
	s.answerDocuments(c, fields)
}

// meiliDocumentsFetch answers POST /indexes/{uid}/documents/fetch.
func (s *Server) meiliDocumentsFetch(c *gin.Context) {
	body, e := s.readBody(c)
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	fields, e := decodeObject(body, "documents fetch")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	s.answerDocuments(c, fields)
}

// answerDocuments answers a page of documents from offset, limit, fields
// and filter.
func (s *Server) answerDocuments(c *gin.Context, fields map[string]jsonRaw) {
	known := []string{"offset", "limit", "fields", "filter", "retrieveVectors"}
	for name := range fields {
		if !slices.Contains(known, name) {
			s.writeMeiliError(c, unknownField(name, known, ""))
			return
		}
	}
	r := &fieldReader{fields: fields, prefix: "invalid_document_"}
	offset, _, e := r.natural("offset", 0)
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	limit, _, e := r.natural("limit", 20)
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	attrs, ok, e := r.strs("fields")
	if e != nil {
		s.writeMeiliError(c, e)
		return
	}
	q := &meiliQuery{Offset: offset, Limit: limit, Retrieve: defaultAttributes}
	if ok {
		q.Retrieve = retrievedAttributes(attrs)
	}
	if raw, ok := r.raw("filter"); ok {
		f, err := parseFilterJSON(raw)
		if err == nil {
			err = checkFilter(f)
		}
		if err != nil {
			s.writeMeiliError(c, meiliErr(http.StatusBadRequest, "invalid_document_filter", "%s", err.Error()))
			return
		}
		q.Filter = f
	}
	ctx := c.Request.Context()
	res, err := s.run(ctx, q, false)
	if err != nil {
		s.meiliFail(c, err)
		return
	}
	hits, err := s.meiliHits(ctx, q, res.hits)
	if err != nil {
		s.meiliFail(c, err)
		return
	}
	gate.SetGeneration(c, res.generation)
	s.WriteJSON(c, http.StatusOK, "application/json", &MeiliDocuments{Results: hits, Offset: offset, Limit: limit, Total: res.total})
}
