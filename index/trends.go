package index

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"tacheron/corpus"
)

// Bounds of a trends request.
const (
	// MaxSeries bounds the series of one request.
	MaxSeries = 5
	// MaxPeriods bounds the points of a series.
	MaxPeriods = 1200
)

// Intervals of a trend.
const (
	IntervalMonth = "month"
	IntervalYear  = "year"
	IntervalAuto  = "auto"
)

// A TrendsRequest asks, for each series, how many documents match per
// period.
type TrendsRequest struct {
	// Series are searches: their Query, Filters (a date range among
	// them) and NoCollapse select the documents; the rest is ignored.
	Series []Request
	// Interval is IntervalMonth, IntervalYear or IntervalAuto (year when
	// the periods span more than six years, month otherwise; the default).
	Interval string
	// From and To bound the periods (YYYY-MM-DD, inclusive, either empty:
	// the corpus's first or last month).
	From, To string
}

// Trends are the counts of each series per period.
type Trends struct {
	Interval   string
	Series     []Series
	Generation uint64
}

// A Series is a search's count per period.
type Series struct {
	// Total counts the series' documents over the periods.
	Total  int
	Points []Point
}

// A Point is the count of a series in one period ("2017" or "2017-03"):
// the documents that match every word of the query and the filters, and
// their share of all the documents of that period (0 when it has none).
type Point struct {
	Period string
	Count  int
	Share  float64
}

// Trends counts, for each series, the matching documents per period; every
// period from the first to the last is present, empty ones as zeros.
func (s *Snapshot) Trends(ctx context.Context, req TrendsRequest) (*Trends, error) {
	if len(req.Series) == 0 || len(req.Series) > MaxSeries {
		return nil, &QueryError{Field: "series", Reason: fmt.Sprintf("between 1 and %d series", MaxSeries)}
	}
	for _, d := range []struct{ param, v string }{{"from", req.From}, {"to", req.To}} {
		if _, err := time.Parse(corpus.DateLayout, d.v); d.v != "" && err != nil {
			return nil, &QueryError{Field: d.param, Reason: fmt.Sprintf("%q is not a date (want YYYY-MM-DD)", d.v)}
		}
	}
	months := s.facets[fieldMonth].values // sorted, oldest first
	lo, hi := months[0], months[len(months)-1]
	if req.From != "" {
		lo = req.From[:7]
	}
	if req.To != "" {
		hi = req.To[:7]
	}
	if lo > hi {
		return nil, &QueryError{Field: "from", Reason: "from is after to"}
	}
	interval := req.Interval
	switch interval {
	case "", IntervalAuto:
		interval = IntervalMonth
		if periodsBetween(lo, hi, IntervalMonth) > 72 {
			interval = IntervalYear
		}
	case IntervalMonth, IntervalYear:
	default:
		return nil, &QueryError{Field: "date_interval", Reason: fmt.Sprintf("unknown interval %q (want month, year or auto)", interval)}
	}
	if n := periodsBetween(lo, hi, interval); n > MaxPeriods {
		return nil, &QueryError{Field: "date_interval", Reason: fmt.Sprintf("%d periods; at most %d (narrow from and to, or count by year)", n, MaxPeriods)}
	}
	periods := periodRange(lo, hi, interval)
	out := &Trends{Interval: interval, Generation: s.Generation(), Series: make([]Series, len(req.Series))}
	var span *roaring.Bitmap
	if req.From != "" || req.To != "" {
		span = s.dateRange(req.From, req.To)
	}
	// The series are independent searches: they run side by side, one
	// per processor at most.
	counts := make([]map[string]int, len(req.Series))
	errs := make([]error, len(req.Series))
	work := make(chan int, len(req.Series))
	for i := range req.Series {
		work <- i
	}
	close(work)
	var wg sync.WaitGroup
	for range min(len(req.Series), runtime.GOMAXPROCS(0)) {
		wg.Go(func() {
			for i := range work {
				sr := req.Series[i]
				sel, err := s.selectDocs(ctx, Request{Query: sr.Query, Filters: sr.Filters, ExcludeRelated: true, NoCollapse: sr.NoCollapse}, nil)
				if err != nil {
					errs[i] = err
					continue
				}
				counts[i] = s.periodCounts(sel.primary, span, interval)
			}
		})
	}
	wg.Wait()
	if err := firstError(errs); err != nil {
		return nil, err
	}
	// Shares are of all the documents of a period, counted as the series
	// counts (a group of reprints once, unless it says NoCollapse).
	var all [2]map[string]int
	for i, sr := range req.Series {
		k := 0
		if sr.NoCollapse {
			k = 1
		}
		if all[k] == nil {
			all[k] = s.periodCounts(s.all, span, interval)
			if !sr.NoCollapse {
				s.collapsePeriods(all[k], span, interval)
			}
		}
		series := Series{Points: make([]Point, len(periods))}
		for j, p := range periods {
			n := counts[i][p]
			series.Total += n
			series.Points[j] = Point{Period: p, Count: n}
			if d := all[k][p]; d > 0 {
				series.Points[j].Share = math.Round(float64(n)/float64(d)*1e6) / 1e6
			}
		}
		out.Series[i] = series
	}
	return out, ctx.Err()
}

// collapsePeriods makes counts (every document's, per period) count a
// group of reprints once in each period where it has members. A series
// counts a group once, in the period of the member that stands for it
// for its query (see collapseRanked), which may be any member: counted so,
// the period's total holds it whichever member that is, and a share
// never exceeds 1.
func (s *Snapshot) collapsePeriods(counts map[string]int, span *roaring.Bitmap, interval string) {
	if s.reprintDocs == nil || s.reprintDocs.IsEmpty() {
		return
	}
	groups := map[int32]*roaring.Bitmap{}
	it := s.reprintDocs.Iterator()
	for it.HasNext() {
		doc := it.Next()
		g, ok := s.reprintGroup[doc]
		if !ok {
			continue
		}
		if groups[g] == nil {
			groups[g] = roaring.New()
		}
		groups[g].Add(doc)
	}
	for _, members := range groups {
		for p, n := range s.periodCounts(members, span, interval) {
			if n > 1 {
				counts[p] -= n - 1
			}
		}
	}
}

// firstError returns the first error of errs that is not nil.
func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// periodCounts counts the documents of docs (within span, when not nil)
// per period.
func (s *Snapshot) periodCounts(docs, span *roaring.Bitmap, interval string) map[string]int {
	if span != nil {
		docs = roaring.And(docs, span)
	}
	var raw []int
	switch {
	case span == nil && docs == s.all:
		raw = s.totals[FacetDate]
	case docs.GetCardinality() <= uint64(max(sparseHits, s.maxDoc/8)):
		raw = s.countByColumns([]string{FacetDate}, docs, nil)[FacetDate]
	default:
		raw = s.countByBitmaps([]string{FacetDate}, docs, nil)[FacetDate]
	}
	out := map[string]int{}
	for _, c := range s.dateFacet(raw, interval) {
		out[c.Value] = c.Count
	}
	return out
}

// periodRange lists the periods from the month lo to the month hi
// (YYYY-MM), inclusive.
func periodRange(lo, hi, interval string) []string {
	var out []string
	if interval == IntervalYear {
		a, _ := time.Parse("2006", lo[:4])
		b, _ := time.Parse("2006", hi[:4])
		for t := a; !t.After(b); t = t.AddDate(1, 0, 0) {
			out = append(out, t.Format("2006"))
		}
		return out
	}
	a, _ := time.Parse("2006-01", lo)
	b, _ := time.Parse("2006-01", hi)
	for t := a; !t.After(b); t = t.AddDate(0, 1, 0) {
		out = append(out, t.Format("2006-01"))
	}
	return out
}

// periodsBetween counts the periods from the month lo to the month hi.
func periodsBetween(lo, hi, interval string) int {
	a, _ := time.Parse("2006-01", lo)
	b, _ := time.Parse("2006-01", hi)
	months := (b.Year()-a.Year())*12 + int(b.Month()-a.Month()) + 1
	if interval == IntervalYear {
		return b.Year() - a.Year() + 1
	}
	return months
}
