package api

import (
	"fmt"
	"strings"
	"testing"

	"tacheron/index"
)

// TestPagesRefusedByTheIndex checks that pages are refused by the index's
// limits (index.CheckWindow), said in the native API's words: under page
// or per_page, with the bounds that follow from the index's, never under
// the index's own offset and limit.
func TestPagesRefusedByTheIndex(t *testing.T) {
	s := newTestServer(t, Options{})
	lastPage := func(perPage int) int { return (index.MaxWindow-perPage)/perPage + 1 }
	for _, tt := range []struct {
		query  string
		param  string
		detail string // "" when the page is served
	}{
		{"page=1&per_page=1", "", ""},
		{fmt.Sprintf("page=%d&per_page=%d", lastPage(index.MaxLimit), index.MaxLimit), "", ""},
		{fmt.Sprintf("page=%d&per_page=%d", lastPage(7), 7), "", ""},
		{fmt.Sprintf("page=%d&per_page=%d", lastPage(index.MaxLimit)+1, index.MaxLimit), "page",
			fmt.Sprintf("page must be between 1 and %d with per_page=%d, not %d", lastPage(index.MaxLimit), index.MaxLimit, lastPage(index.MaxLimit)+1)},
		{fmt.Sprintf("page=%d&per_page=7", lastPage(7)+1), "page",
			fmt.Sprintf("page must be between 1 and %d with per_page=7", lastPage(7))},
		{"page=0", "page", "page must be 1 or more, not 0"},
		{"page=-5&per_page=20", "page", "page must be 1 or more, not -5"},
		{"page=99999999999999999999", "page", "out of range"},
		{"page=4294967296&per_page=100", "page", fmt.Sprintf("page must be between 1 and %d", lastPage(index.MaxLimit))},
		{"per_page=0", "per_page", fmt.Sprintf("per_page must be between 1 and %d, not 0", index.MaxLimit)},
		{fmt.Sprintf("per_page=%d", index.MaxLimit+1), "per_page", fmt.Sprintf("per_page must be between 1 and %d, not %d", index.MaxLimit, index.MaxLimit+1)},
		{"per_page=-3", "per_page", "per_page must be between 1 and"},
	} {
		r := get(t, s, "/api/v1/search?"+tt.query)
		if tt.detail == "" {
			if r.Status != 200 {
				t.Errorf("%s = %d, want 200\n%s", tt.query, r.Status, shortBody(r.Body))
			}
			continue
		}
		if r.Status != 400 {
			t.Errorf("%s = %d, want 400", tt.query, r.Status)
			continue
		}
		p := r.problem(t)
		if p.Param != tt.param || !strings.Contains(p.Detail, tt.detail) {
			t.Errorf("%s: %s %q, want %s %q", tt.query, p.Param, p.Detail, tt.param, tt.detail)
		}
		for _, own := range []string{"offset", "limit"} {
			if strings.Contains(p.Detail, own) {
				t.Errorf("%s: %q speaks of the index's %s", tt.query, p.Detail, own)
			}
		}
	}
}

// TestFacetSizeRefusedByTheIndex checks that facet_size is refused by the
// index's limit (index.CheckFacetSize), under facet_size.
func TestFacetSizeRefusedByTheIndex(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, n := range []int{0, -1, index.MaxFacetSize + 1} {
		r := get(t, s, fmt.Sprintf("/api/v1/search?facet_size=%d", n))
		if r.Status != 400 {
			t.Errorf("facet_size=%d: %d, want 400", n, r.Status)
			continue
		}
		p := r.problem(t)
		want := fmt.Sprintf("must be between 1 and %d, not %d", index.MaxFacetSize, n)
		if p.Param != "facet_size" || !strings.Contains(p.Detail, want) {
			t.Errorf("facet_size=%d: %s %q, want facet_size %q", n, p.Param, p.Detail, want)
		}
	}
	if r := get(t, s, fmt.Sprintf("/api/v1/search?facet_size=%d", index.MaxFacetSize)); r.Status != 200 {
		t.Errorf("facet_size=%d: %d, want 200", index.MaxFacetSize, r.Status)
	}
}
