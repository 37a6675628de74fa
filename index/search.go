package index

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"tacheron/corpus"
	text "tacheron/corpus/analysis"
)

// Sort orders of results.
const (
	SortRelevance = "relevance"
	SortDateAsc   = "date"
	SortDateDesc  = "-date"
)

// Facet names.
const (
	FacetSource  = "source"
	FacetConcept = "concept"
	FacetKind    = "kind"
	FacetLang    = "lang"
	FacetDate    = "date"
	FacetAuthor  = "author"
	FacetTag     = "tag"
)

// FacetNames returns the facets a request may ask for.
func FacetNames() []string {
	return []string{FacetSource, FacetConcept, FacetKind, FacetLang, FacetDate, FacetAuthor, FacetTag}
}

// multiValued reports whether a facet's documents may have several values
// (counted from bitmaps, never from columns).
func multiValued(name string) bool { return name == FacetAuthor || name == FacetTag }

// Filters restrict a search. Values of one field are OR-ed; fields are
// AND-ed. From and To are inclusive YYYY-MM-DD dates; either may be empty.
// Kinds and Langs are closed vocabularies (corpus.Kinds, fr and en; any
// other value is a *QueryError); the values of the other fields match
// without regard to case and accents, concepts by id or by label in either
// language, and a value that matches nothing is reported in
// Result.Warnings (see openFilters).
type Filters struct {
	Sources  []string
	Concepts []string
	Kinds    []string
	Langs    []string
	// Authors and Tags match without regard to case or accents.
	Authors  []string
	Tags     []string
	From, To string
}

// A Request is a search.
type Request struct {
	Query   string
	Filters Filters
	// Sort is SortRelevance, SortDateAsc or SortDateDesc; empty means
	// relevance when there is a query, newest first otherwise.
	Sort   string
	Offset int
	Limit  int
	// Facets lists the facets to count (FacetNames).
	Facets []string
	// FacetSize bounds the values of each facet (DefaultFacetSize when 0).
	FacetSize int
	// DateInterval is "month" (default) or "year".
	DateInterval string
	// Highlight asks for highlighted snippets.
	Highlight bool
	// Where, when not nil, is a filter evaluated document by document
	// (see filter.go): it restricts hits, totals and every facet's counts,
	// its own fields' included.
	Where *Where
	// AllFacetValues lists every value of the facets that counts, for a
	// caller that chooses among them itself (FacetSize is then ignored).
	AllFacetValues bool
	// FacetLang is the language of concept labels ("fr" by default).
	FacetLang string
	// ExcludeRelated leaves out the related documents (see primary.go):
	// only those that match every word are hits.
	ExcludeRelated bool
	// FacetsOverRelated counts the related documents in the facets too (as
	// Meilisearch's matchingStrategy last does).
	FacetsOverRelated bool
	// NoCollapse keeps every member of a group of reprints; by default a
	// group counts once, in hits, totals and facets.
	NoCollapse bool
	// Generation, when not 0, is the generation of the snapshot that must
	// answer (as the first page of a result list gave it), for a Live
	// that keeps it open; a Snapshot ignores it.
	Generation uint64
}

// A Result is a page of hits with facet counts.
type Result struct {
	// Total counts the documents that match every word; Related those
	// that match only partly, which follow them (see primary.go).
	Total   int
	Related int
	Hits    []Hit
	Facets  map[string][]FacetCount
	Took    time.Duration
	// Words are the query words, as understood.
	Words []string
	// Generation is that of the snapshot that answered.
	Generation uint64
	// Warnings report filter values that match no value of the index.
	Warnings []Warning
}

// A Hit is one document of a result.
type Hit struct {
	ID     string
	Title  string
	Source string
	Kind   string
	Date   string
	// Published is the time of publication (RFC 3339, in the source's
	// zone) when the source gave one.
	Published string
	Lang      string
	Concepts  []string
	// Authors and Tags are as the source gave them.
	Authors []string
	Tags    []string
	// Score is the document's BM25 score for the query. It orders hits
	// only within a Tier: a relevance ranking orders hits by Tier, larger
	// first, then by Score (see the ranking in doc.go).
	Score float64
	// Tier packs the ranking's tiers (query words matched, matched
	// directly, as written or by concept, without a typo, side by side):
	// a number that only compares; 0 when the order is by date.
	Tier int64
	// Highlights holds, for "title" and "body", the text with the query's
	// matches wrapped in <mark>, HTML-escaped.
	Highlights map[string][]string
	// Match is MatchAll or MatchRelated: the set the hit belongs to.
	Match string
	// Reprints are the other documents of the hit's group of reprints
	// ("also in …").
	Reprints []DocumentRef
}

// A FacetCount is one value of a facet and the number of documents with it.
type FacetCount struct {
	Value string
	Label string
	Count int
}

// normalize checks a request and fills in defaults.
func (r *Request) normalize() error {
	if r.Limit == 0 {
		r.Limit = DefaultLimit
	}
	if err := r.checkWindow(); err != nil {
		return err
	}
	switch r.Sort {
	case "":
		r.Sort = SortRelevance
		if strings.TrimSpace(r.Query) == "" {
			r.Sort = SortDateDesc
		}
	case SortRelevance, SortDateAsc, SortDateDesc:
	default:
		return &QueryError{Field: FieldSort, Reason: fmt.Sprintf("unknown sort %q (want relevance, date or -date)", r.Sort)}
	}
	for _, f := range r.Facets {
		if !slices.Contains(FacetNames(), f) {
			return &QueryError{Field: FieldFacets, Reason: fmt.Sprintf("unknown facet %q (want %s)", f, strings.Join(FacetNames(), ", "))}
		}
	}
	if err := r.checkFacetSize(); err != nil {
		return err
	}
	switch r.DateInterval {
	case "":
		r.DateInterval = "month"
	case "month", "year", DateIntervalDay:
	default:
		return &QueryError{Field: FieldDateInterval, Reason: fmt.Sprintf("unknown interval %q (want month, year or day)", r.DateInterval)}
	}
	for _, d := range []struct{ param, v string }{{FieldFrom, r.Filters.From}, {FieldTo, r.Filters.To}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(corpus.DateLayout, d.v); err != nil {
			return &QueryError{Field: d.param, Reason: fmt.Sprintf("%q is not a date (want YYYY-MM-DD)", d.v)}
		}
	}
	if r.Filters.From != "" && r.Filters.To != "" && r.Filters.From > r.Filters.To {
		return &QueryError{Field: FieldFrom, Reason: "the start of the date range is after its end"}
	}
	if err := r.Filters.checkClosed(); err != nil {
		return err
	}
	if err := r.checkFilterSizes(); err != nil {
		return err
	}
	return nil
}

// Search runs a request. It returns a *QueryError for a request it
// refuses, and ctx's error when the deadline passes first.
func (s *Snapshot) Search(ctx context.Context, req Request) (*Result, error) {
	start := time.Now()
	if err := req.normalize(); err != nil {
		return nil, err
	}
	q := ParseQuery(req.Query)
	if err := checkQuery(req.Query, q); err != nil {
		return nil, err
	}
	p, err := s.cachedPlan(ctx, req.Query, q)
	if err != nil {
		return nil, err
	}

	warnings := s.resolveFilters(&req.Filters)
	filters := s.filterBitmaps(req.Filters)
	var filter *roaring.Bitmap
	if len(filters) > 0 {
		filter = intersect(filters, "")
	}

	acc := s.getAccumulator()
	defer s.putAccumulator(acc)

	var hits *roaring.Bitmap
	var held map[uint32]*roaring.Bitmap
	if p.positive() {
		if err := s.execute(ctx, p, acc); err != nil {
			return nil, err
		}
		excluded, err := s.exclusions(ctx, p)
		if err != nil {
			return nil, err
		}
		hits, held, err = s.matchHits(ctx, p, acc, excluded)
		if err != nil {
			return nil, err
		}
	} else if len(q.Terms) > 0 && len(p.exclude)+len(p.excludeAll) == 0 {
		// Only stop words or signs: nothing to find.
		hits = roaring.New()
	} else {
		excluded, err := s.exclusions(ctx, p)
		if err != nil {
			return nil, err
		}
		hits = s.all.Clone()
		if excluded != nil {
			hits.AndNot(excluded)
		}
		if req.Sort == SortRelevance {
			req.Sort = SortDateDesc
		}
	}
	primary, err := s.primary(ctx, p, hits, held)
	if err != nil {
		return nil, err
	}
	if req.Where != nil {
		if filter, err = s.applyWhere(ctx, req.Where, hits, filters); err != nil {
			return nil, err
		}
	}
	if req.ExcludeRelated {
		hits = primary
	}
	matched, matchedPrimary := hits, primary
	if filter != nil {
		matched, matchedPrimary = roaring.And(hits, filter), roaring.And(primary, filter)
	}
	if !req.NoCollapse {
		// A group of reprints counts once, in hits, totals and facets; it
		// is represented by a member that matches every word when one
		// does, the best-ranked for the query among those.
		var rank func(uint32) uint64
		if p.positive() {
			rank = func(doc uint32) uint64 { return acc.rankKey(doc, p.content) }
		}
		matchedPrimary = s.collapseRanked(matchedPrimary, nil, rank)
		matched = s.collapseRanked(matched, matchedPrimary, rank)
		primary = s.collapseRanked(primary, nil, rank)
		hits = s.collapseRanked(hits, primary, rank)
	}
	total := int(matchedPrimary.GetCardinality())
	res := &Result{Total: total, Related: int(matched.GetCardinality()) - total, Words: p.words, Generation: s.Generation(), Warnings: warnings}
	// The deadline is checked between the steps, and within loading hits.
	page := s.rank(req, p, acc, matched, matchedPrimary)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	counted := primary
	if req.FacetsOverRelated {
		counted = hits
	}
	res.Facets = s.countFacets(req, counted, filters)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res.Hits, err = s.loadHits(ctx, page, p, req.Highlight)
	if err != nil {
		return nil, err
	}
	res.Took = time.Since(start)
	return res, nil
}

// filterBitmaps returns, per facet name, the documents that its filter
// allows; a field without a filter is absent.
func (s *Snapshot) filterBitmaps(f Filters) map[string]*roaring.Bitmap {
	out := map[string]*roaring.Bitmap{}
	union := func(name, field string, values []string) {
		if len(values) == 0 {
			return
		}
		b := roaring.New()
		for _, v := range values {
			if vb := s.facets[field].bitmap(v); vb != nil {
				b.Or(vb)
			}
		}
		out[name] = b
	}
	union(FacetSource, fieldSource, f.Sources)
	union(FacetConcept, fieldConcept, f.Concepts)
	union(FacetKind, fieldKind, f.Kinds)
	union(FacetLang, fieldLang, f.Langs)
	s.foldedUnion(out, FacetAuthor, fieldAuthor, f.Authors)
	s.foldedUnion(out, FacetTag, fieldTag, f.Tags)
	if f.From != "" || f.To != "" {
		out[FacetDate] = s.dateRange(f.From, f.To)
	}
	return out
}

// dateRange returns the documents dated from..to (inclusive, either empty):
// whole months from their bitmaps, the days of partial months one by one.
func (s *Snapshot) dateRange(from, to string) *roaring.Bitmap {
	lo, hi := int32(math.MinInt32), int32(math.MaxInt32)
	if t, err := time.Parse(corpus.DateLayout, from); err == nil {
		lo = int32(t.Unix() / 86400)
	}
	if t, err := time.Parse(corpus.DateLayout, to); err == nil {
		hi = int32(t.Unix() / 86400)
	}
	months := s.facets[fieldMonth]
	var whole []*roaring.Bitmap
	partial := roaring.New()
	for i, m := range months.values {
		t, err := time.Parse("2006-01", m)
		if err != nil {
			continue
		}
		first := int32(t.Unix() / 86400)
		last := int32(t.AddDate(0, 1, -1).Unix() / 86400)
		switch {
		case last < lo || first > hi:
		case first >= lo && last <= hi:
			whole = append(whole, months.bitmaps[i])
		default:
			months.bitmaps[i].Iterate(func(doc uint32) bool {
				if d := s.day[doc]; d >= lo && d <= hi {
					partial.Add(doc)
				}
				return true
			})
		}
	}
	return roaring.FastOr(append(whole, partial)...)
}

// intersect returns the intersection of the filters other than skip (all
// documents' bitmap is not included: nil means no filter applies).
func intersect(filters map[string]*roaring.Bitmap, skip string) *roaring.Bitmap {
	var out *roaring.Bitmap
	for name, b := range filters {
		if name == skip {
			continue
		}
		if out == nil {
			out = b.Clone()
			continue
		}
		out.And(b)
	}
	return out
}

// execute reads every leaf of the plan into the accumulator; pairs last, as
// they count only where their words matched.
func (s *Snapshot) execute(ctx context.Context, p *plan, acc *accumulator) error {
	n := float64(s.stats.Documents)
	leaves := slices.Clone(p.leaves)
	slices.SortStableFunc(leaves, func(a, b leaf) int {
		return cmpBool(a.needWords|a.needReq != 0, b.needWords|b.needReq != 0)
	})
	for _, l := range leaves {
		pl, err := s.decode(ctx, l.field, l.term)
		if err != nil {
			return err
		}
		df := float64(len(pl.docs))
		if df == 0 {
			continue
		}
		weight := float32(l.weight * math.Log(1+(n-df+0.5)/(df+0.5)))
		needs := l.needWords|l.needReq != 0
		for i, doc := range pl.docs {
			if needs && !acc.has(doc, l.needWords, l.needReq) {
				continue
			}
			acc.add(doc, weight*pl.tf[i], l.words, l.class, l.req, l.near, l.title)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// exclusions returns the documents the plan excludes, or nil.
func (s *Snapshot) exclusions(ctx context.Context, p *plan) (*roaring.Bitmap, error) {
	if len(p.exclude) == 0 && len(p.excludeAll) == 0 {
		return nil, nil
	}
	out := roaring.New()
	for _, l := range p.exclude {
		b, err := s.postings(ctx, l.field, l.term)
		if err != nil {
			return nil, err
		}
		out.Or(b)
	}
	for _, group := range p.excludeAll {
		var all *roaring.Bitmap
		for _, alternatives := range group {
			any := roaring.New()
			for _, l := range alternatives {
				b, err := s.postings(ctx, l.field, l.term)
				if err != nil {
					return nil, err
				}
				any.Or(b)
			}
			if all == nil {
				all = any
			} else {
				all.And(any)
			}
		}
		if all != nil {
			out.Or(all)
		}
	}
	return out, ctx.Err()
}

// ranked is a document of a page with what ranked it.
type ranked struct {
	doc     uint32
	score   float32
	tier    uint32
	day     int32
	related bool
}

// A keyed document: larger keys rank first, then smaller stable keys
// (Snapshot.pos: newer, then smaller ids).
type keyed struct {
	key    uint64
	stable uint32
	doc    uint32
}

func (a keyed) better(b keyed) bool {
	return a.key > b.key || a.key == b.key && a.stable < b.stable
}

// topK keeps the best k documents offered: a heap whose root is the worst
// kept.
type topK struct {
	items []keyed
	k     int
}

func (h *topK) offer(x keyed) {
	if len(h.items) < h.k {
		h.items = append(h.items, x)
		// Sift up.
		i := len(h.items) - 1
		for i > 0 {
			parent := (i - 1) / 2
			if !h.items[parent].better(h.items[i]) {
				break
			}
			h.items[parent], h.items[i] = h.items[i], h.items[parent]
			i = parent
		}
		return
	}
	if !x.better(h.items[0]) {
		return
	}
	h.items[0] = x
	// Sift down.
	i, n := 0, len(h.items)
	for {
		worst, l, r := i, 2*i+1, 2*i+2
		if l < n && h.items[worst].better(h.items[l]) {
			worst = l
		}
		if r < n && h.items[worst].better(h.items[r]) {
			worst = r
		}
		if worst == i {
			return
		}
		h.items[i], h.items[worst] = h.items[worst], h.items[i]
		i = worst
	}
}

// sorted returns the documents kept, best first.
func (h *topK) sorted() []keyed {
	out := slices.Clone(h.items)
	slices.SortFunc(out, func(a, b keyed) int {
		if a.better(b) {
			return -1
		}
		if b.better(a) {
			return 1
		}
		return 0
	})
	return out
}

// dateKey packs a day for a date sort: newest first, or oldest first.
func dateKey(day int32, newest bool) uint64 {
	k := uint64(uint32(day) ^ 1<<31) // order-preserving
	if !newest {
		k = math.MaxUint32 - k
	}
	return k
}

// rank returns the page of matched documents, in order: those of the
// primary set first, then the related ones.
func (s *Snapshot) rank(req Request, p *plan, acc *accumulator, matched, primary *roaring.Bitmap) []ranked {
	if !p.positive() {
		// No scores: walk the documents by date.
		var page []ranked
		skip := req.Offset
		visit := func(doc uint32) bool {
			if !matched.Contains(doc) {
				return true
			}
			if skip > 0 {
				skip--
				return true
			}
			page = append(page, ranked{doc: doc, day: s.day[doc]})
			return len(page) < req.Limit
		}
		if req.Sort == SortDateAsc {
			for i := 0; i < len(s.byDateAsc) && visit(s.byDateAsc[i]); i++ {
			}
		} else {
			for i := 0; i < len(s.byDate) && visit(s.byDate[i]); i++ {
			}
		}
		return page
	}
	dense, first := matched.ToDense(), primary.ToDense()
	h := &topK{k: req.Offset + req.Limit}
	var related *topK
	if !primary.Equals(matched) {
		related = &topK{k: req.Offset + req.Limit}
	}
	for _, doc := range acc.touched {
		w := int(doc / 64)
		if w >= len(dense) || dense[w]&(1<<(doc%64)) == 0 {
			continue
		}
		into := h
		if related != nil && (w >= len(first) || first[w]&(1<<(doc%64)) == 0) {
			into = related
		}
		var key uint64
		switch req.Sort {
		case SortDateDesc:
			key = dateKey(s.day[doc], true)
		case SortDateAsc:
			key = dateKey(s.day[doc], false)
		default:
			key = acc.relevanceKey(doc, p.content)
		}
		into.offer(keyed{key: key, stable: s.pos[doc], doc: doc})
	}
	best := h.sorted()
	primaries := len(best)
	if related != nil && len(best) < h.k {
		best = append(best, related.sorted()[:min(h.k-len(best), len(related.items))]...)
	}
	if req.Offset >= len(best) {
		return nil
	}
	out := make([]ranked, 0, len(best)-req.Offset)
	for i, k := range best[req.Offset:] {
		r := ranked{doc: k.doc, score: acc.score(k.doc), day: s.day[k.doc], related: req.Offset+i >= primaries}
		if req.Sort == SortRelevance {
			// The ranking key holds the tiers above the score.
			r.tier = uint32(k.key >> 32)
		}
		out = append(out, r)
	}
	return out
}

// countFacets counts, for each requested facet, the hits that pass every
// filter but the facet's own (disjunctive facets).
func (s *Snapshot) countFacets(req Request, hits *roaring.Bitmap, filters map[string]*roaring.Bitmap) map[string][]FacetCount {
	var raw map[string][]int
	n := hits.GetCardinality()
	switch {
	case len(filters) == 0 && n == s.all.GetCardinality():
		// Everything, unfiltered: counted once when the snapshot opened.
		raw = s.totals
	case n <= uint64(max(sparseHits, s.maxDoc/8)):
		raw = s.countByColumns(req.Facets, hits, filters)
	default:
		raw = s.countByBitmaps(req.Facets, hits, filters)
	}
	out := map[string][]FacetCount{}
	for _, name := range req.Facets {
		if name == FacetDate && req.DateInterval == DateIntervalDay {
			out[name] = s.dayFacet(hits, filters)
		} else if name == FacetDate {
			out[name] = s.dateFacet(raw[name], req.DateInterval)
		} else {
			out[name] = s.valueFacet(name, raw[name], req)
		}
	}
	return out
}

// sparseHits is the number of hits under which facets are counted document
// by document rather than by intersecting bitmaps.
const sparseHits = 4096

// facetKeyword returns the keyword field whose values a facet counts.
func facetKeyword(name string) string {
	if name == FacetDate {
		return fieldMonth
	}
	return keywordFieldOf(name)
}

// countByBitmaps counts each facet value by intersecting its bitmap with the
// hits that pass the other facets' filters: cheap when hits are many.
func (s *Snapshot) countByBitmaps(names []string, hits *roaring.Bitmap, filters map[string]*roaring.Bitmap) map[string][]int {
	out := map[string][]int{}
	for _, name := range names {
		base := hits
		if others := intersect(filters, name); others != nil {
			base = roaring.And(hits, others)
		}
		f := s.facets[facetKeyword(name)]
		counts := make([]int, len(f.values))
		if !base.IsEmpty() {
			for i, b := range f.bitmaps {
				counts[i] = int(base.AndCardinality(b))
			}
		}
		out[name] = counts
	}
	return out
}

// countByColumns counts facet values document by document from the
// snapshot's columns: cheap when hits are few.
func (s *Snapshot) countByColumns(names []string, hits *roaring.Bitmap, filters map[string]*roaring.Bitmap) map[string][]int {
	if multi := slices.DeleteFunc(slices.Clone(names), func(n string) bool { return !multiValued(n) }); len(multi) > 0 {
		// Authors and tags have no column: counted from their bitmaps.
		out := s.countByColumns(slices.DeleteFunc(slices.Clone(names), multiValued), hits, filters)
		maps.Copy(out, s.countByBitmaps(multi, hits, filters))
		return out
	}
	type counted struct {
		bit     uint8    // this facet's filter bit, 0 without a filter
		column  []uint16 // nil for concepts
		concept bool
		counts  []int
	}
	var all uint8 // every filter bit
	bits := map[string]uint8{}
	type filter struct {
		bit uint8
		b   *roaring.Bitmap
	}
	var fs []filter
	for name, b := range filters {
		bit := uint8(1) << len(fs)
		bits[name] = bit
		all |= bit
		fs = append(fs, filter{bit, b})
	}
	cs := make([]counted, len(names))
	for i, name := range names {
		field := facetKeyword(name)
		cs[i] = counted{bit: bits[name], column: s.columns[field], concept: name == FacetConcept,
			counts: make([]int, len(s.facets[field].values))}
	}
	buf := make([]uint32, 256)
	it := hits.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, doc := range buf[:n] {
			pass := all
			if len(fs) > 0 {
				pass = 0
				for _, f := range fs {
					if f.b.Contains(doc) {
						pass |= f.bit
					}
				}
			}
			for i := range cs {
				c := &cs[i]
				if pass|c.bit != all {
					continue
				}
				if c.concept {
					for _, v := range s.conceptVals[s.conceptOff[doc]:s.conceptOff[doc+1]] {
						c.counts[v]++
					}
					continue
				}
				c.counts[c.column[doc]]++
			}
		}
	}
	out := map[string][]int{}
	for i, name := range names {
		out[name] = cs[i].counts
	}
	return out
}

// keywordFieldOf returns the keyword field of a facet.
func keywordFieldOf(name string) string {
	switch name {
	case FacetSource:
		return fieldSource
	case FacetConcept:
		return fieldConcept
	case FacetKind:
		return fieldKind
	case FacetLang:
		return fieldLang
	case FacetAuthor:
		return fieldAuthor
	case FacetTag:
		return fieldTag
	}
	return ""
}

// selected returns the filter values of a facet.
func (f Filters) selected(name string) []string {
	switch name {
	case FacetSource:
		return f.Sources
	case FacetConcept:
		return f.Concepts
	case FacetKind:
		return f.Kinds
	case FacetLang:
		return f.Langs
	case FacetAuthor:
		return f.Authors
	case FacetTag:
		return f.Tags
	}
	return nil
}

// foldedUnion sets out[name] to the documents with a value of field that
// matches one of values without regard to case or accents ("antonio
// casilli" finds "Antonio Casilli").
func (s *Snapshot) foldedUnion(out map[string]*roaring.Bitmap, name, field string, values []string) {
	if len(values) == 0 {
		return
	}
	want := map[string]bool{}
	for _, v := range values {
		want[foldValue(v)] = true
	}
	b := roaring.New()
	f := s.facets[field]
	if f != nil {
		for i, v := range f.values {
			if want[foldValue(v)] {
				b.Or(f.bitmaps[i])
			}
		}
	}
	out[name] = b
}

// foldValue folds a keyword for matching: lower case, no accents, single
// spaces.
func foldValue(v string) string {
	return strings.Join(strings.Fields(text.Fold(text.Lower(v))), " ")
}

// valueFacet lists the values of a keyword facet with their counts, most
// frequent first; selected values are kept even when they count nothing.
func (s *Snapshot) valueFacet(name string, raw []int, req Request) []FacetCount {
	f := s.facets[keywordFieldOf(name)]
	selected := req.Filters.selected(name)
	var counts []FacetCount
	for i, v := range f.values {
		n := raw[i]
		if n == 0 && !slices.Contains(selected, v) {
			continue
		}
		counts = append(counts, FacetCount{Value: v, Label: s.label(name, v, req.FacetLang), Count: n})
	}
	for _, v := range selected {
		if multiValued(name) && slices.ContainsFunc(f.values, func(w string) bool { return foldValue(w) == foldValue(v) }) {
			continue // matched, folded
		}
		if _, known := f.index[v]; !known && !slices.ContainsFunc(counts, func(c FacetCount) bool { return c.Value == v }) {
			counts = append(counts, FacetCount{Value: v, Label: s.label(name, v, req.FacetLang)})
		}
	}
	slices.SortStableFunc(counts, func(a, b FacetCount) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		return strings.Compare(a.Value, b.Value)
	})
	if len(counts) > req.FacetSize {
		counts = counts[:req.FacetSize]
	}
	return counts
}

// label returns the label of a facet value (concepts have labels).
func (s *Snapshot) label(name, value, lang string) string {
	if name == FacetConcept {
		if c, ok := s.taxonomy.Concept(value); ok {
			if lang == "" {
				lang = "fr"
			}
			return c.Label(lang)
		}
	}
	return value
}

// dateFacet lists the month counts by month or year, oldest first.
func (s *Snapshot) dateFacet(raw []int, interval string) []FacetCount {
	months := s.facets[fieldMonth]
	var counts []FacetCount
	for i, m := range months.values {
		n := raw[i]
		if n == 0 {
			continue
		}
		key := m
		if interval == "year" {
			key = m[:4]
		}
		if len(counts) > 0 && counts[len(counts)-1].Value == key {
			counts[len(counts)-1].Count += n
			continue
		}
		counts = append(counts, FacetCount{Value: key, Label: key, Count: n})
	}
	return counts
}

// loadHits reads the page's documents.
func (s *Snapshot) loadHits(ctx context.Context, page []ranked, p *plan, highlight bool) ([]Hit, error) {
	hits := make([]Hit, 0, len(page))
	var h *highlighter
	if highlight && len(page) > 0 {
		h = s.planHighlighter(p)
		s.getScratch(h)
		defer s.putScratch(h)
	}
	for _, r := range page {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		rec, err := s.docs.get(r.doc)
		if err != nil {
			return nil, err
		}
		hit := Hit{
			ID: rec.id, Title: rec.title, Source: rec.source, Kind: rec.kind,
			Date: rec.date, Lang: rec.lang, Concepts: slices.Clone(rec.concepts),
			Score: math.Round(float64(r.score)*1000) / 1000,
			Tier:  int64(r.tier),
			Match: MatchAll,
		}
		if r.related {
			hit.Match = MatchRelated
		}
		f := hitExtra(rec.extra)
		hit.Authors, hit.Tags, hit.Published = f.authors, f.tags, f.published
		if h != nil {
			hit.Highlights = s.highlight(h, p, rec)
		}
		hit.Reprints = s.reprintRefs(ctx, rec.id)
		hits = append(hits, hit)
	}
	return hits, nil
}
