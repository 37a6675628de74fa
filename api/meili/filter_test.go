package meili

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"tacheron/api/gate"
	"tacheron/index"
)

// TestMatchFilterSemantics holds matchFilter to Meilisearch's documented
// filter semantics (the filter expression reference,
// meilisearch.com/docs/learn/filtering_and_sorting/filter_expression_reference),
// on three documents written for it, not against itself: strings compare
// without regard to case; an array matches when one of its elements does;
// `!=` and NOT return the documents missing the attribute too; TO is `>=
// AND <=`; IN is one of the values; EXISTS holds for an empty array but not
// for a missing attribute; IS EMPTY holds for an empty array; NOT binds
// tighter than AND, AND tighter than OR; in the array form, the inner
// arrays are OR-ed and the outer elements AND-ed.
func TestMatchFilterSemantics(t *testing.T) {
	docs := map[string]*docAttrs{
		"a": {Source: "Le Monde", Kind: "press", Lang: "fr", Date: "2017-03-22", Concepts: []string{"uberisation", "digital-labor"}},
		"b": {Source: "Slate", Kind: "post", Lang: "en", Date: "2019-12-31", Concepts: []string{}},
		"c": {Kind: "video", Lang: "fr", Date: "2020-01-01", Concepts: []string{"digital-labor"}}, // no source
	}
	tests := []struct {
		filter string // a string expression, or a JSON array
		want   []string
	}{
		{"kind = press", []string{"a"}},
		{"kind = PRESS", []string{"a"}},
		{"source = 'Le Monde'", []string{"a"}},
		{`source = "le monde"`, []string{"a"}},
		{"kind != press", []string{"b", "c"}},
		{"source != Slate", []string{"a", "c"}},
		{"NOT source = Slate", []string{"a", "c"}},
		{"source EXISTS", []string{"a", "b"}},
		{"source NOT EXISTS", []string{"c"}},
		{"NOT source EXISTS", []string{"c"}},
		{"source IS NULL", nil},
		{"concepts = digital-labor", []string{"a", "c"}},
		{"concepts != digital-labor", []string{"b"}},
		{"concepts IN [uberisation, nothing]", []string{"a"}},
		{"concepts NOT IN [digital-labor]", []string{"b"}},
		{"kind IN [press, video]", []string{"a", "c"}},
		{"concepts EXISTS", []string{"a", "b", "c"}},
		{"concepts IS EMPTY", []string{"b"}},
		{"concepts IS NOT EMPTY", []string{"a", "c"}},
		{"year 2017 TO 2019", []string{"a", "b"}},
		{"year > 2019", []string{"c"}},
		{"year >= 2019", []string{"b", "c"}},
		{"year < 2019", []string{"a"}},
		{"year <= 2017", []string{"a"}},
		{"year = 2017", []string{"a"}},
		{"date >= 2019-12-31", []string{"b", "c"}},
		{"date 2017-03-22 TO 2019-12-31", []string{"a", "b"}},
		{"month = 2017-03", []string{"a"}},
		{"kind = press OR kind = video AND lang = en", []string{"a"}},
		{"(kind = press OR kind = video) AND lang = fr", []string{"a", "c"}},
		{"NOT kind = press AND lang = fr", []string{"c"}},
		{"NOT (kind = press OR lang = en)", []string{"c"}},
		{`[["kind = press", "kind = post"], "lang = en"]`, []string{"b"}},
		{`["lang = fr", "concepts = digital-labor"]`, []string{"a", "c"}},
		{`[["lang = en", "year > 2019"]]`, []string{"b", "c"}},
	}
	for _, tt := range tests {
		var n *filterNode
		var err error
		if tt.filter[0] == '[' {
			n, err = parseFilterJSON(json.RawMessage(tt.filter))
		} else {
			n, err = parseFilter(tt.filter)
		}
		if err == nil {
			err = checkFilter(n)
		}
		if err != nil {
			t.Errorf("%s: %v", tt.filter, err)
			continue
		}
		var got []string
		for _, name := range []string{"a", "b", "c"} {
			if matchFilter(n, docs[name]) {
				got = append(got, name)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("%s matches %v, want %v", tt.filter, got, tt.want)
		}
	}
}

// TestFacetMatches: a facet query matches the start of a word of a value
// or of one of its labels, case, accents and ligatures aside, as the
// index folds them (suggest finds "cœur" for "coeur"; so does facet
// search).
func TestFacetMatches(t *testing.T) {
	tests := []struct {
		query, value string
		labels       []string
		want         bool
	}{
		{"coeur", "Cœur de cible", nil, true},
		{"cœur", "coeur de cible", nil, true},
		{"soeur", "la sœur", nil, true},
		{"aegis", "Ægis", nil, true},
		{"strasse", "Straße", nil, true},
		{"ube", "Ubérisation", nil, true},
		{"UBÉ", "uberisation", nil, true},
		{"travail", "travail numérique", nil, true},
		{"numerique", "travail numérique", nil, true},
		{"ravail", "travail numérique", nil, false},
		{"digital", "digital-labor", []string{"Travail numérique"}, true},
		{"numer", "digital-labor", []string{"Travail numérique"}, true},
		{"labour", "digital-labor", []string{"Travail numérique"}, false},
		{"", "anything", nil, true},
	}
	for _, tt := range tests {
		if got := facetMatches(tt.query, tt.value, tt.labels); got != tt.want {
			t.Errorf("facetMatches(%q, %q, %q) = %v, want %v", tt.query, tt.value, tt.labels, got, tt.want)
		}
	}
}

// TestMeiliRendersIndexLimits: a limit the index enforces is reported in
// the Meilisearch dialect, under its parameters and codes — never under
// the native API's names (per_page, page, source…).
func TestMeiliRendersIndexLimits(t *testing.T) {
	h := newMeiliServer(t, gate.Options{})
	tests := []struct {
		body, code, mention string
	}{
		{`{"q": "` + strings.Repeat("mot ", index.MaxQueryTerms+1) + `"}`, "invalid_search_q", "`.q`"},
		// More conditions than the index evaluates document by document.
		{`{"filter": [["kind=press"` + strings.Repeat(`,"lang=en","source=Slate"`, index.MaxWhereNodes/2) + `]]}`, "invalid_search_filter", "`.filter`"},
	}
	for _, tt := range tests {
		r := meiliDo(t, h, "POST", "/meili/indexes/documents/search", tt.body)
		var e Error
		r.json(t, &e)
		if r.Status != 400 || e.Code != tt.code || !strings.Contains(e.Message, tt.mention) {
			t.Errorf("%.60s… = %d %s %q; want 400 %s naming %s", tt.body, r.Status, e.Code, e.Message, tt.code, tt.mention)
		}
		for _, native := range []string{"per_page", "page:", "source:", "q:"} {
			if strings.Contains(e.Message, native) {
				t.Errorf("%.60s…: %q speaks of the native API's %s", tt.body, e.Message, native)
			}
		}
	}
}

// TestQueryErrorRendering: every field the index refuses is rendered
// under a Meilisearch parameter.
func TestQueryErrorRendering(t *testing.T) {
	tests := []struct{ field, code string }{
		{index.FieldQuery, "invalid_search_q"},
		{index.FieldLimit, "invalid_search_limit"},
		{index.FieldOffset, "invalid_search_offset"},
		{index.FieldSort, "invalid_search_sort"},
		{index.FieldFacets, "invalid_search_facets"},
		{index.FieldFacetSize, "invalid_search_max_values_per_facet"},
		{index.FieldFrom, "invalid_search_filter"},
		{index.FieldSources, "invalid_search_filter"},
		{index.FieldLangs, "invalid_search_filter"},
		{index.FieldWhere, "invalid_search_filter"},
		{index.FieldDateInterval, "bad_request"},
	}
	for _, tt := range tests {
		e, internal := meiliErrorOf(fmt.Errorf("search: %w", &index.QueryError{Field: tt.field, Reason: "some reason"}))
		if internal || e.Code != tt.code || e.status != 400 || !strings.Contains(e.Message, "some reason") {
			t.Errorf("QueryError on %s = %d %s %q (internal %v), want 400 %s", tt.field, e.status, e.Code, e.Message, internal, tt.code)
		}
	}
}

// TestErrorsClassifiedAlike: the Meilisearch dialect answers each error
// of the Searcher with the status the native API gives it (both render
// gate.ClassOf), and logs the same ones.
func TestErrorsClassifiedAlike(t *testing.T) {
	for _, err := range []error{
		&index.QueryError{Field: index.FieldLimit, Reason: "must be between 1 and 100"},
		fmt.Errorf("document x: %w", index.ErrNotFound),
		gate.ErrBusy,
		index.ErrNoSnapshot,
		context.DeadlineExceeded,
		context.Canceled,
		errors.New("disk on fire"),
	} {
		p, pInternal := gate.Classify(err)
		e, eInternal := meiliErrorOf(err)
		if p.Status != e.status || pInternal != eInternal {
			t.Errorf("%v: native %d (logged %v), Meilisearch %d %s (logged %v)", err, p.Status, pInternal, e.status, e.Code, eInternal)
		}
	}
}
