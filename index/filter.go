package index

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"tacheron/corpus"
)

// Filters evaluated document by document. Filters select documents by
// sets of values, AND-ed across fields; a dialect whose filters say more
// (OR across fields, NOT, several date ranges: Meilisearch's) gives the
// rest as a Where. The search evaluates it once, on the documents it
// matched, from the columns the snapshot keeps (each document's source,
// kind, lang, concepts and day): a condition's Match is called once per
// distinct value of its field, and each document then costs a lookup per
// condition. Its result restricts hits, totals and every facet count.

// WhereOp is the operator of a node of a Where.
type WhereOp uint8

// Operators of a Where.
const (
	// WhereCond is a condition on one field: see Where.
	WhereCond WhereOp = iota
	// WhereAnd holds when every one of its kids holds.
	WhereAnd
	// WhereOr holds when one of its kids holds.
	WhereOr
	// WhereNot holds when its one kid does not.
	WhereNot
)

// MaxWhereNodes bounds the nodes of a Where.
const MaxWhereNodes = 4096

// A Where is a filter evaluated document by document (Request.Where): a
// tree of WhereAnd, WhereOr and WhereNot over conditions. A condition
// (WhereCond) on Field — FacetSource, FacetKind, FacetLang, FacetConcept
// or FacetDate, whose values are YYYY-MM-DD — holds for a document when
// Match accepts one of the document's values of Field, or, for a
// document that has none, when Absent is set.
type Where struct {
	Op     WhereOp
	Kids   []*Where
	Field  string
	Match  func(value string) bool
	Absent bool
}

// whereFields lists the fields a condition may name.
var whereFields = []string{FacetSource, FacetKind, FacetLang, FacetConcept, FacetDate}

// check reports a malformed Where as a *QueryError.
func (w *Where) check() error {
	nodes := 0
	var walk func(w *Where) error
	walk = func(w *Where) error {
		if nodes++; nodes > MaxWhereNodes {
			return &QueryError{Field: FieldWhere, Reason: fmt.Sprintf("the filter has more than %d conditions and operators", MaxWhereNodes)}
		}
		switch w.Op {
		case WhereCond:
			if !slices.Contains(whereFields, w.Field) {
				return &QueryError{Field: FieldWhere, Reason: fmt.Sprintf("a condition on %q: conditions apply to %v", w.Field, whereFields)}
			}
			if w.Match == nil || len(w.Kids) > 0 {
				return &QueryError{Field: FieldWhere, Reason: "a condition needs a Match and no kids"}
			}
			return nil
		case WhereAnd, WhereOr:
			if len(w.Kids) == 0 {
				return &QueryError{Field: FieldWhere, Reason: "AND and OR need kids"}
			}
		case WhereNot:
			if len(w.Kids) != 1 {
				return &QueryError{Field: FieldWhere, Reason: "NOT needs one kid"}
			}
		default:
			return &QueryError{Field: FieldWhere, Reason: fmt.Sprintf("unknown operator %d", w.Op)}
		}
		for _, k := range w.Kids {
			if k == nil {
				return &QueryError{Field: FieldWhere, Reason: "a nil node"}
			}
			if err := walk(k); err != nil {
				return err
			}
		}
		return nil
	}
	return walk(w)
}

// A compiledWhere is a Where resolved against a snapshot: each condition
// holds a table of the field's values it accepts.
type compiledWhere struct {
	op   WhereOp
	kids []*compiledWhere
	// column and accept: source, kind and lang (accept is indexed by the
	// column's value numbers; a value "" stands for none).
	column []uint16
	accept []bool
	// concept: accept is indexed by concept value numbers.
	concept bool
	absent  bool
	// date: dateMatch's answer for each day, found the first time a
	// document of that day is evaluated: in days (from firstDay: 0 not
	// known yet, 1 yes, 2 no), or in byDay when the days span too far.
	date      bool
	dateMatch func(string) bool
	firstDay  int32
	days      []int8
	byDay     map[int32]bool
}

// maxDayTable bounds the days a date condition keeps in a slice.
const maxDayTable = 1 << 20

// compileWhere resolves a checked Where against s.
func (s *Snapshot) compileWhere(w *Where) *compiledWhere {
	c := &compiledWhere{op: w.Op}
	if w.Op != WhereCond {
		for _, k := range w.Kids {
			c.kids = append(c.kids, s.compileWhere(k))
		}
		return c
	}
	c.absent = w.Absent
	switch w.Field {
	case FacetDate:
		c.date, c.dateMatch = true, w.Match
		if len(s.byDate) == 0 {
			return c
		}
		lo, hi := s.day[s.byDateAsc[0]], s.day[s.byDate[0]]
		if int64(hi)-int64(lo) < maxDayTable {
			c.firstDay, c.days = lo, make([]int8, int64(hi)-int64(lo)+1)
		} else {
			c.byDay = map[int32]bool{}
		}
		return c
	case FacetConcept:
		c.concept = true
	default:
		c.column = s.columns[keywordFieldOf(w.Field)]
	}
	f := s.facets[keywordFieldOf(w.Field)]
	if f == nil {
		return c
	}
	c.accept = make([]bool, len(f.values))
	for i, v := range f.values {
		if v == "" {
			c.accept[i] = c.absent
		} else {
			c.accept[i] = w.Match(v)
		}
	}
	return c
}

// match evaluates the filter on document doc of s.
func (c *compiledWhere) match(s *Snapshot, doc uint32) bool {
	switch c.op {
	case WhereAnd:
		for _, k := range c.kids {
			if !k.match(s, doc) {
				return false
			}
		}
		return true
	case WhereOr:
		for _, k := range c.kids {
			if k.match(s, doc) {
				return true
			}
		}
		return false
	case WhereNot:
		return !c.kids[0].match(s, doc)
	}
	switch {
	case c.date:
		return c.matchDay(s.day[doc])
	case c.concept:
		vals := s.conceptVals[s.conceptOff[doc]:s.conceptOff[doc+1]]
		if len(vals) == 0 {
			return c.absent
		}
		for _, v := range vals {
			if c.accept[v] {
				return true
			}
		}
		return false
	}
	if c.column == nil || int(doc) >= len(c.column) {
		return c.absent
	}
	return c.accept[c.column[doc]]
}

// matchDay evaluates a date condition on a day.
func (c *compiledWhere) matchDay(d int32) bool {
	if c.days != nil {
		i := int64(d) - int64(c.firstDay)
		if i < 0 || i >= int64(len(c.days)) {
			return c.dateMatch(dayString(d))
		}
		if c.days[i] == 0 {
			c.days[i] = 2
			if c.dateMatch(dayString(d)) {
				c.days[i] = 1
			}
		}
		return c.days[i] == 1
	}
	ok, known := c.byDay[d]
	if !known {
		ok = c.dateMatch(dayString(d))
		c.byDay[d] = ok
	}
	return ok
}

// dayString writes a day (days since 1970-01-01) as YYYY-MM-DD.
func dayString(d int32) string {
	return time.Unix(int64(d)*86400, 0).UTC().Format(corpus.DateLayout)
}

// whereKey is the key of a Where's documents among the filter bitmaps
// (filterBitmaps): no facet has it, so it restricts every facet's counts.
const whereKey = "where"

// applyWhere evaluates w on every document of candidates and adds those
// that pass to filters, under whereKey; it returns the intersection of
// every filter.
func (s *Snapshot) applyWhere(ctx context.Context, w *Where, candidates *roaring.Bitmap, filters map[string]*roaring.Bitmap) (*roaring.Bitmap, error) {
	c := s.compileWhere(w)
	var pass []uint32
	buf := make([]uint32, 256)
	it := candidates.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, doc := range buf[:n] {
			if c.match(s, doc) {
				pass = append(pass, doc)
			}
		}
		if err := ctx.Err(); err != nil {
			return nil, err
		}
	}
	b := roaring.New()
	b.AddMany(pass)
	filters[whereKey] = b
	return intersect(filters, ""), nil
}

// DateIntervalDay is the DateInterval that counts the date facet by day.
const DateIntervalDay = "day"

// dayFacet counts hits by day, those that pass every filter but the
// date's, oldest first.
func (s *Snapshot) dayFacet(hits *roaring.Bitmap, filters map[string]*roaring.Bitmap) []FacetCount {
	base := hits
	if others := intersect(filters, FacetDate); others != nil {
		base = roaring.And(hits, others)
	}
	counts := map[int32]int{}
	buf := make([]uint32, 256)
	it := base.ManyIterator()
	for n := it.NextMany(buf); n > 0; n = it.NextMany(buf) {
		for _, doc := range buf[:n] {
			counts[s.day[doc]]++
		}
	}
	days := make([]int32, 0, len(counts))
	for d := range counts {
		days = append(days, d)
	}
	slices.Sort(days)
	out := make([]FacetCount, len(days))
	for i, d := range days {
		v := dayString(d)
		out[i] = FacetCount{Value: v, Label: v, Count: counts[d]}
	}
	return out
}
