package meili

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"tacheron/api/gate"
	"tacheron/index"

	"github.com/gin-gonic/gin"
)

// Running Meilisearch searches on tacheron's index: one index search per
// request (a page of more than index.MaxLimit hits takes one more for each
// further stretch). A filter that fits tacheron's filters runs as them;
// facet counts, which tacheron counts disjunctively (each field without its
// own filter), are made conjunctive as Meilisearch counts them by keeping
// only the filtered values. What does not fit — a filter that tacheron's
// filters cannot express, concepts counted under a concepts filter — is
// given to the index as well, as a Where (index/filter.go) that it
// evaluates document by document on its columns during that one search,
// and that restricts every count. Dates are counted by day, so that date,
// month and year counts under any date range are exact.

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
	// facets holds, for each facet asked, the values that count (every
	// one for a query's AllFacetValues, the index.MaxFacetSize most
	// frequent otherwise).
	facets     map[string]map[string]int
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
		out := &meiliResult{facets: map[string]map[string]int{}, generation: v.generation}
		for _, f := range q.Facets {
			out.facets[f] = map[string]int{}
		}
		return out, nil
	}
	req := index.Request{
		Query:        index.LiteralQuery(q.Q),
		Filters:      plan.filters,
		Sort:         q.Sort,
		Offset:       offset,
		Limit:        max(1, min(limit, index.MaxLimit)),
		Facets:       tacheronFacets(q.Facets),
		FacetSize:    index.MaxFacetSize,
		DateInterval: index.DateIntervalDay,
		Highlight:    highlight && limit > 0,
		// matchingStrategy all: only the documents with every word;
		// last and frequency: the related ones after them.
		ExcludeRelated:    q.MatchingStrategy == "all",
		FacetsOverRelated: true,
		AllFacetValues:    q.AllFacetValues,
	}
	// The filters' own fields are counted without them (disjunctive
	// facets); what they select is counted with them by conjunctive.
	counted := plan.filters
	if !plan.exact || !derivable(q.Facets, plan.filters, v) {
		// The whole filter, evaluated on the documents: it restricts
		// every count, so the counts are conjunctive as they come.
		req.Where = whereOf(q.Filter)
		counted = index.Filters{}
	}
	if offset+req.Limit > index.MaxWindow {
		req.Offset = index.MaxWindow - req.Limit
	}
	res, err := s.Searcher.Search(ctx, req)
	if err != nil {
		return nil, err
	}
	if res.Generation != v.generation {
		return nil, errGenerationChanged
	}
	out := &meiliResult{total: res.Total + res.Related, facets: conjunctive(q.Facets, res.Facets, counted), generation: res.Generation}
	if limit == 0 {
		return out, nil
	}
	out.hits = res.Hits[min(len(res.Hits), offset-req.Offset):]
	for len(out.hits) < limit && offset+len(out.hits) < out.total {
		req.Offset = offset + len(out.hits)
		req.Limit = min(limit-len(out.hits), index.MaxLimit)
		req.Facets = nil
		more, err := s.Searcher.Search(ctx, req)
		if err != nil {
			return nil, err
		}
		if more.Generation != v.generation {
			return nil, errGenerationChanged
		}
		if len(more.Hits) == 0 {
			break
		}
		out.hits = append(out.hits, more.Hits...)
	}
	if len(out.hits) > limit {
		out.hits = out.hits[:limit]
	}
	return out, nil
}

// derivable reports whether the conjunctive counts of facets under the
// filters f can be derived from tacheron's disjunctive ones: not those of
// concepts under a concepts filter, nor those of a filtered field with so
// many values that its selected ones may not be among those counted.
func derivable(facets []string, f index.Filters, v *vocabulary) bool {
	for _, name := range facets {
		selected := map[string][]string{attrSource: f.Sources, attrKind: f.Kinds, attrLang: f.Langs, attrConcepts: f.Concepts}[name]
		if len(selected) > 0 && (name == attrConcepts || len(v.values[name]) >= index.MaxFacetSize) {
			return false
		}
	}
	return true
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
		case attrYear, attrMonth, attrDate:
			add(index.FacetDate)
		}
	}
	return out
}

// conjunctive turns tacheron's facet counts into Meilisearch's: the counts
// of documents that pass every filter. f holds the filters the counts were
// made without, each for its own field (tacheron's disjunctive facets): for
// single-valued fields the counts of its filtered values are the right
// ones and the other values count nothing; dates are counted by day, and
// the days outside the range count nothing. f holds no concepts: counts
// of concepts under a concepts filter cannot be derived so, and come
// conjunctive from a Where (see derivable).
func conjunctive(facets []string, raw map[string][]index.FacetCount, f index.Filters) map[string]map[string]int {
	out := map[string]map[string]int{}
	for _, name := range facets {
		dist := map[string]int{}
		switch name {
		case attrSource, attrKind, attrLang, attrConcepts:
			field := map[string]string{attrSource: index.FacetSource, attrKind: index.FacetKind, attrLang: index.FacetLang, attrConcepts: index.FacetConcept}[name]
			selected := map[string][]string{attrSource: f.Sources, attrKind: f.Kinds, attrLang: f.Langs}[name]
			for _, c := range raw[field] {
				if c.Count > 0 && (len(selected) == 0 || slices.Contains(selected, c.Value)) {
					dist[c.Value] = c.Count
				}
			}
		case attrYear, attrMonth, attrDate:
			for _, c := range raw[index.FacetDate] {
				if c.Count == 0 || f.From != "" && c.Value < f.From || f.To != "" && c.Value > f.To {
					continue
				}
				key := c.Value
				switch name {
				case attrYear:
					key = c.Value[:4]
				case attrMonth:
					key = c.Value[:7]
				}
				dist[key] += c.Count
			}
		}
		out[name] = dist
	}
	return out
}

// whereOf returns the index's document-by-document form of a checked
// filter; its conditions test values as matchFilter does.
func whereOf(n *filterNode) *index.Where {
	switch n.kind {
	case filterAnd, filterOr:
		w := &index.Where{Op: index.WhereAnd}
		if n.kind == filterOr {
			w.Op = index.WhereOr
		}
		for _, k := range n.kids {
			w.Kids = append(w.Kids, whereOf(k))
		}
		return w
	case filterNot:
		return &index.Where{Op: index.WhereNot, Kids: []*index.Where{whereOf(n.kids[0])}}
	}
	c := n.cond
	match, absent := valueTest(c)
	w := &index.Where{Op: index.WhereCond, Match: match, Absent: absent}
	switch c.attr {
	case attrSource:
		w.Field = index.FacetSource
	case attrKind:
		w.Field = index.FacetKind
	case attrLang:
		w.Field = index.FacetLang
	case attrConcepts:
		w.Field = index.FacetConcept
	default:
		// date, and year and month, which are parts of it.
		w.Field = index.FacetDate
		if c.attr != attrDate {
			w.Match = func(date string) bool {
				values := (&docAttrs{Date: date}).strings(c.attr)
				return len(values) > 0 && match(values[0])
			}
		}
	}
	return w
}
