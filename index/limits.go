package index

import "fmt"

// The limits of a request, checked here and only here: each API reads its
// own parameters into a Request, and renders a *QueryError of these checks
// under its own parameter names and in its own words (Field names the
// Request's field, Bounds the values it may take).

// Limits on a request.
const (
	// MaxWindow bounds offset+limit: deeper pages are refused.
	MaxWindow = 10000
	// MaxLimit bounds the hits of one page.
	MaxLimit = 100
	// DefaultLimit is the number of hits of a page when Limit is 0.
	DefaultLimit = 10
	// MaxFacetSize bounds the values of one facet.
	MaxFacetSize = 500
	// DefaultFacetSize is the number of values of a facet by default.
	DefaultFacetSize = 100
	// MaxFilterValues bounds the values of one filter.
	MaxFilterValues = 100
)

// Bounds are the values a number of a request may take, Min to Max
// inclusive.
type Bounds struct{ Min, Max int }

// outOfBounds returns the error of a number of field beyond b.
func outOfBounds(field string, b Bounds, why string) *QueryError {
	return &QueryError{Field: field, Reason: why, Bounds: &b}
}

// LimitBounds returns the bounds of Limit.
func LimitBounds() Bounds { return Bounds{1, MaxLimit} }

// OffsetBounds returns the bounds of Offset for pages of limit hits:
// offset+limit stays within MaxWindow.
func OffsetBounds(limit int) Bounds { return Bounds{0, max(0, MaxWindow-limit)} }

// checkWindow checks Limit (after its default) and Offset.
func (r *Request) checkWindow() error {
	if b := LimitBounds(); r.Limit < b.Min || r.Limit > b.Max {
		return outOfBounds(FieldLimit, b, fmt.Sprintf("must be between %d and %d, not %d", b.Min, b.Max, r.Limit))
	}
	b := OffsetBounds(r.Limit)
	if r.Offset < b.Min {
		return outOfBounds(FieldOffset, b, fmt.Sprintf("must be %d or more, not %d", b.Min, r.Offset))
	}
	if r.Offset > b.Max {
		return outOfBounds(FieldOffset, b, fmt.Sprintf("results beyond the first %d are not served (this page ends at %d); narrow the search", MaxWindow, r.Offset+r.Limit))
	}
	return nil
}

// checkFacetSize checks FacetSize and fills in its default; AllFacetValues
// lifts it.
func (r *Request) checkFacetSize() error {
	if r.FacetSize == 0 {
		r.FacetSize = DefaultFacetSize
	}
	if err := CheckFacetSize(r.FacetSize); err != nil {
		return err
	}
	if r.AllFacetValues {
		r.FacetSize = int(^uint(0) >> 1)
	}
	return nil
}

// checkFilterSizes checks the number of values of each filter, and the
// Where.
func (r *Request) checkFilterSizes() error {
	for _, f := range []struct {
		field string
		v     []string
	}{{FieldSources, r.Filters.Sources}, {FieldConcepts, r.Filters.Concepts}, {FieldKinds, r.Filters.Kinds}, {FieldLangs, r.Filters.Langs}, {FieldAuthors, r.Filters.Authors}, {FieldTags, r.Filters.Tags}} {
		if len(f.v) > MaxFilterValues {
			return &QueryError{Field: f.field, Reason: fmt.Sprintf("at most %d values, not %d", MaxFilterValues, len(f.v))}
		}
	}
	if r.Where != nil {
		return r.Where.check()
	}
	return nil
}

// CheckWindow checks a page of limit hits from offset as Search does,
// for an API that reads pages in its own terms (the default of a Limit of
// 0 aside: here 0 is refused).
func CheckWindow(offset, limit int) error {
	r := Request{Offset: offset, Limit: limit}
	return r.checkWindow()
}

// CheckFacetSize checks a number of values per facet as Search does (the
// default of a FacetSize of 0 aside: here 0 is refused).
func CheckFacetSize(n int) error {
	if b := (Bounds{1, MaxFacetSize}); n < b.Min || n > b.Max {
		return outOfBounds(FieldFacetSize, b, fmt.Sprintf("must be between %d and %d, not %d", b.Min, b.Max, n))
	}
	return nil
}
