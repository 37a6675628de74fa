package meili

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"tacheron/api/gate"
	"tacheron/index"

	"github.com/gin-gonic/gin"
)

// Running Meilisearch searches on tacheron's index. A filter that fits
// tacheron's filters runs as one search (a page of more than 100 hits as
// several); facet counts, which tacheron counts disjunctively (each field
// without its own filter), are made conjunctive as Meilisearch counts them
// by keeping only the filtered values. What does not fit — a filter that
// tacheron cannot express, facet counts that cannot be derived (concepts
// filtered on concepts, months under a date range that cuts months, date)
// — is evaluated over the hits of the nearest search tacheron can run,
// read in pages: at most maxScan of them, or the search is refused.

// maxScan bounds the documents a search evaluates one by one.
const maxScan = index.MaxWindow

// errGenerationChanged reports that the index changed during a search.
var errGenerationChanged = errors.New("the index was swapped during the search")

// A Server serves the Meilisearch-compatible API: an http.Handler for
// the paths under its prefix, with an engine of its own so that its errors,
// unknown routes and writes included, are in Meilisearch's shape.
type Server struct {
	*gate.Front
	engine *gin.Engine
	prefix string
	uid    string
	mu     sync.Mutex
	vocab  *vocabulary
}

// A meiliResult is what a search found, before it is shaped.
type meiliResult struct {
	total int
	hits  []index.Hit
	// facets holds, for each facet asked, every value with a count.
	facets map[string]map[string]int
	// complete says whether facets holds every value (not only the
	// index's most frequent ones).
	complete   bool
	generation uint64
}

// vocabulary returns the vocabulary of the index being served.
func (s *Server) vocabulary(ctx context.Context, stale uint64) (*vocabulary, error) {
	m := s
	st := s.Searcher.Status()
	if !st.Ready {
		return nil, index.ErrNoSnapshot
	}
	m.mu.Lock()
	v := m.vocab
	m.mu.Unlock()
	if v != nil && v.generation == st.Generation && v.generation != stale {
		return v, nil
	}
	var err error
	for range 3 {
		if v, err = s.loadVocabulary(ctx); err == nil {
			break
		}
		if !errors.Is(err, errGenerationChanged) {
			return nil, err
		}
	}
	if err != nil {
		return nil, err
	}
	m.mu.Lock()
	if m.vocab != nil && m.vocab.generation == v.generation {
		v = m.vocab
	} else {
		m.vocab = v
	}
	m.mu.Unlock()
	return v, nil
}

// loadVocabulary reads the values of the index's fields.
func (s *Server) loadVocabulary(ctx context.Context) (*vocabulary, error) {
	res, err := s.Searcher.Search(ctx, index.Request{
		Limit:        1,
		Facets:       []string{index.FacetKind, index.FacetLang, index.FacetDate},
		FacetSize:    index.MaxFacetSize,
		DateInterval: "month",
	})
	if err != nil {
		return nil, err
	}
	sources, gen1, err := s.Searcher.Sources(ctx)
	if err != nil {
		return nil, err
	}
	concepts, gen2, err := s.Searcher.Concepts(ctx)
	if err != nil {
		return nil, err
	}
	if gen1 != res.Generation || gen2 != res.Generation {
		return nil, errGenerationChanged
	}
	v := &vocabulary{
		generation: res.Generation,
		seen:       time.Now().UTC(),
		documents:  res.Total,
		values:     map[string][]string{},
		complete:   map[string]bool{},
	}
	single := func(field string, counts []index.FacetCount, listed bool) {
		sum := 0
		for _, c := range counts {
			if c.Value != "" {
				v.values[field] = append(v.values[field], c.Value)
			}
			sum += c.Count
		}
		slices.Sort(v.values[field])
		v.complete[field] = listed && sum == res.Total && !slices.ContainsFunc(counts, func(c index.FacetCount) bool { return c.Value == "" })
	}
	single(attrSource, sources, true)
	single(attrKind, res.Facets[index.FacetKind], len(res.Facets[index.FacetKind]) < index.MaxFacetSize)
	single(attrLang, res.Facets[index.FacetLang], len(res.Facets[index.FacetLang]) < index.MaxFacetSize)
	dated := 0
	for _, c := range res.Facets[index.FacetDate] {
		dated += c.Count
	}
	v.complete[attrDate] = dated == res.Total
	for _, c := range concepts {
		v.values[attrConcepts] = append(v.values[attrConcepts], c.ID)
	}
	slices.Sort(v.values[attrConcepts])
	return v, nil
}

// run runs a search; highlight asks for the hits' highlights.
func (s *Server) run(ctx context.Context, q *meiliQuery, highlight bool) (*meiliResult, error) {
	var stale uint64
	for range 3 {
		v, err := s.vocabulary(ctx, stale)
		if err != nil {
			return nil, err
		}
		res, err := s.runWith(ctx, q, v, highlight)
		if errors.Is(err, errGenerationChanged) {
			stale = v.generation
			continue
		}
		return res, err
	}
	return nil, fmt.Errorf("meili search: %w", errGenerationChanged)
}

// runWith runs a search with the vocabulary of the index it expects.
func (s *Server) runWith(ctx context.Context, q *meiliQuery, v *vocabulary, highlight bool) (*meiliResult, error) {
	plan := planFilter(q.Filter, v)
	offset, limit := q.window()
	if plan.empty {
		out := &meiliResult{facets: map[string]map[string]int{}, complete: true, generation: v.generation}
		for _, f := range q.Facets {
			out.facets[f] = map[string]int{}
		}
		return out, nil
	}
	if plan.exact {
		res, ok, err := s.runExact(ctx, q, plan, v, offset, limit, highlight)
		if err != nil || ok {
			return res, err
		}
	}
	return s.runScan(ctx, q, plan, v, offset, limit, highlight)
}

// tacheronFacets returns the index facets that Meilisearch facets need.
func tacheronFacets(facets []string) []string {
	var out []string
	add := func(f string) {
		if !slices.Contains(out, f) {
			out = append(out, f)
		}
	}
	for _, f := range facets {
		switch f {
		case attrSource:
			add(index.FacetSource)
		case attrKind:
			add(index.FacetKind)
		case attrLang:
			add(index.FacetLang)
		case attrConcepts:
			add(index.FacetConcept)
		case attrYear, attrMonth:
			add(index.FacetDate)
		}
	}
	return out
}

// runExact runs a search whose filter tacheron's filters express exactly;
// ok is false when its facet counts cannot be derived from tacheron's.
func (s *Server) runExact(ctx context.Context, q *meiliQuery, plan filterPlan, v *vocabulary, offset, limit int, highlight bool) (*meiliResult, bool, error) {
	req := index.Request{
		Query:        q.Q,
		Filters:      plan.filters,
		Sort:         q.Sort,
		Offset:       offset,
		Limit:        max(1, min(limit, index.MaxLimit)),
		Facets:       tacheronFacets(q.Facets),
		FacetSize:    index.MaxFacetSize,
		DateInterval: "month",
		Highlight:    highlight && limit > 0,
		// matchingStrategy all: only the documents with every word;
		// last and frequency: the related ones after them.
		ExcludeRelated:    q.MatchingStrategy == "all",
		FacetsOverRelated: true,
	}
	if offset+req.Limit > index.MaxWindow {
		req.Offset = index.MaxWindow - req.Limit
	}
	res, err := s.Searcher.Search(ctx, req)
	if err != nil {
		return nil, false, err
	}
	if res.Generation != v.generation {
		return nil, false, errGenerationChanged
	}
	facets, complete, ok := conjunctive(q.Facets, res.Facets, plan.filters)
	if !ok {
		return nil, false, nil
	}
	out := &meiliResult{total: res.Total + res.Related, facets: facets, complete: complete, generation: res.Generation}
	if limit == 0 {
		return out, true, nil
	}
	out.hits = res.Hits[min(len(res.Hits), offset-req.Offset):]
	for len(out.hits) < limit && offset+len(out.hits) < out.total {
		req.Offset = offset + len(out.hits)
		req.Limit = min(limit-len(out.hits), index.MaxLimit)
		req.Facets = nil
		more, err := s.Searcher.Search(ctx, req)
		if err != nil {
			return nil, false, err
		}
		if more.Generation != v.generation {
			return nil, false, errGenerationChanged
		}
		if len(more.Hits) == 0 {
			break
		}
		out.hits = append(out.hits, more.Hits...)
	}
	if len(out.hits) > limit {
		out.hits = out.hits[:limit]
	}
	return out, true, nil
}

// conjunctive turns tacheron's facet counts into Meilisearch's: the counts
// of documents that pass every filter. A field's own filter is left out of
// its counts by tacheron; for single-valued fields the counts of its
// filtered values are the right ones, and the other values count nothing.
// ok is false when the counts cannot be derived this way.
func conjunctive(facets []string, raw map[string][]index.FacetCount, f index.Filters) (map[string]map[string]int, bool, bool) {
	out := map[string]map[string]int{}
	complete := true
	for _, name := range facets {
		dist := map[string]int{}
		switch name {
		case attrSource, attrKind, attrLang:
			field := map[string]string{attrSource: index.FacetSource, attrKind: index.FacetKind, attrLang: index.FacetLang}[name]
			counts := raw[field]
			truncated := len(counts) >= index.MaxFacetSize
			selected := map[string][]string{attrSource: f.Sources, attrKind: f.Kinds, attrLang: f.Langs}[name]
			for _, c := range counts {
				if c.Count > 0 && (len(selected) == 0 || slices.Contains(selected, c.Value)) {
					dist[c.Value] = c.Count
				}
			}
			if len(selected) > 0 {
				for _, sv := range selected {
					if !slices.ContainsFunc(counts, func(c index.FacetCount) bool { return c.Value == sv }) && truncated {
						return nil, false, false
					}
				}
			} else if truncated {
				complete = false
			}
		case attrConcepts:
			if len(f.Concepts) > 0 {
				return nil, false, false
			}
			counts := raw[index.FacetConcept]
			for _, c := range counts {
				if c.Count > 0 {
					dist[c.Value] = c.Count
				}
			}
			if len(counts) >= index.MaxFacetSize {
				complete = false
			}
		case attrYear, attrMonth:
			if !monthAligned(f.From, f.To) {
				return nil, false, false
			}
			for _, c := range raw[index.FacetDate] {
				first := c.Value + "-01"
				if c.Count == 0 || f.From != "" && first < f.From || f.To != "" && first > f.To {
					continue
				}
				key := c.Value
				if name == attrYear {
					key = c.Value[:4]
				}
				dist[key] += c.Count
			}
		default:
			// date: tacheron counts months, not days.
			return nil, false, false
		}
		out[name] = dist
	}
	return out, complete, true
}

// monthAligned reports whether a date range holds whole months only.
func monthAligned(from, to string) bool {
	if from != "" && !strings.HasSuffix(from, "-01") {
		return false
	}
	if to != "" {
		t, err := time.Parse(time.DateOnly, to)
		if err != nil || t.AddDate(0, 0, 1).Day() != 1 {
			return false
		}
	}
	return true
}

// runScan runs a search by evaluating its filter on the hits of a wider
// one, and counts its facets from them.
func (s *Server) runScan(ctx context.Context, q *meiliQuery, plan filterPlan, v *vocabulary, offset, limit int, highlight bool) (*meiliResult, error) {
	req := index.Request{Query: q.Q, Filters: plan.filters, Sort: q.Sort, Limit: index.MaxLimit, ExcludeRelated: q.MatchingStrategy == "all"}
	type match struct {
		hit index.Hit
		pos int
	}
	var matches []match
	total := -1
	for pos := 0; total < 0 || pos < total; pos += index.MaxLimit {
		req.Offset = pos
		res, err := s.Searcher.Search(ctx, req)
		if err != nil {
			return nil, err
		}
		if res.Generation != v.generation {
			return nil, errGenerationChanged
		}
		if total < 0 {
			total = res.Total + res.Related
			if total > maxScan {
				return nil, scanRefused(q, plan, total)
			}
		}
		for i, h := range res.Hits {
			if matchFilter(q.Filter, attrsOf(&h)) {
				matches = append(matches, match{h, pos + i})
			}
		}
		if len(res.Hits) == 0 {
			break
		}
	}
	out := &meiliResult{total: len(matches), facets: map[string]map[string]int{}, complete: true, generation: v.generation}
	for _, f := range q.Facets {
		dist := map[string]int{}
		for _, m := range matches {
			for _, val := range attrsOf(&m.hit).strings(f) {
				dist[val]++
			}
		}
		out.facets[f] = dist
	}
	if offset >= len(matches) || limit == 0 {
		return out, nil
	}
	page := matches[offset:min(len(matches), offset+limit)]
	for _, m := range page {
		out.hits = append(out.hits, m.hit)
	}
	if !highlight || strings.TrimSpace(q.Q) == "" {
		return out, nil
	}
	// Highlights: read again, with them, the stretch of the wider search
	// that holds the page.
	marked := map[string]index.Hit{}
	first, last := page[0].pos, page[len(page)-1].pos
	req.Highlight = true
	for pos := first; pos <= last; pos += index.MaxLimit {
		req.Offset, req.Limit = pos, min(index.MaxLimit, last-pos+1)
		res, err := s.Searcher.Search(ctx, req)
		if err != nil {
			return nil, err
		}
		if res.Generation != v.generation {
			return nil, errGenerationChanged
		}
		for _, h := range res.Hits {
			marked[h.ID] = h
		}
	}
	for i, h := range out.hits {
		if m, ok := marked[h.ID]; ok {
			out.hits[i] = m
		}
	}
	return out, nil
}

// scanRefused is the error of a search too wide to evaluate one document
// at a time.
func scanRefused(q *meiliQuery, plan filterPlan, total int) *Error {
	if !plan.exact {
		return meiliErr(http.StatusBadRequest, codeInvalidFilter,
			"tacheron's index cannot run this filter as it is (it combines attributes with OR or NOT in a way its filters do not express), so it evaluates it document by document over the documents that a simpler filter selects: at most %d, and this search has %d. Narrow the search with a query, or with conditions joined by AND on source, kind, lang, concepts or date.",
			maxScan, total)
	}
	return meiliErr(http.StatusBadRequest, codeInvalidFacets,
		"tacheron counts these facets (concepts under a concepts filter, date, or year and month under a date range that cuts months) document by document, over at most %d documents, and this search has %d. Narrow the search, or ask for other facets.",
		maxScan, total)
}

// attrsOf returns the filterable attributes of a hit.
func attrsOf(h *index.Hit) *docAttrs {
	return &docAttrs{Source: h.Source, Kind: h.Kind, Lang: h.Lang, Date: h.Date, Concepts: h.Concepts}
}
