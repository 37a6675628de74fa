package api

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"tacheron/api/gate"
)

// TestRepeatedParameters: a parameter that takes one value, given twice,
// is a 400 naming it (the fuzzer found "to&to=0" answered 200 from the
// first value while the second was invalid); the filters and the trends'
// series repeat freely.
func TestRepeatedParameters(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, tc := range []struct {
		target string
		param  string // "" when the request is fine
	}{
		{"/api/v1/trends?to&to=0", "to"},
		{"/api/v1/trends?to=2017-03-31&to=2017-03-31", "to"},
		{"/api/v1/search?q=travail&q=plateformes", "q"},
		{"/api/v1/search?q=travail&page=1&page=2", "page"},
		{"/api/v1/kwic?q=travail&per_page=5&per_page=", "per_page"},
		{"/api/v1/cooccurrence?q=travail&min_count=1&min_count=2", "min_count"},
		{"/api/v1/suggest?q=tra&q=pla", "q"},
		{"/api/v1/concepts?label_lang=fr&label_lang=en", "label_lang"},
		{"/api/v1/trends?series=" + "q%3Da%26q%3Db", "series"},
		{"/api/v1/search?q=travail&source=a&source=b&concept=x&concept=y&lang=fr&lang=en", ""},
		{"/api/v1/trends?series=q%3Dtravail&series=q%3Dplateformes", ""},
		{"/api/v1/kwic?q=travail&kind=post&kind=press", ""},
		{"/api/v1/trends?q=travail&date_interval=year&date_interval=month", "date_interval"},
		{"/api/v1/kwic?q=travail&q=plateformes", "q"},
		{"/api/v1/trends?q=travail&source=Le+Monde&source=Mediapart&kind=press&kind=post", ""},
		{"/api/v1/trends?series=q%3Dtravail&series=q%3Dplateformes%26concept%3Dmicro-travail%26concept%3Dplateformes", ""},
		{"/api/v1/kwic?q=travail&lang=fr&lang=en", ""},
	} {
		r := get(t, s, tc.target)
		if tc.param == "" {
			if r.Status != http.StatusOK {
				t.Errorf("%s = %d, want 200\n%s", tc.target, r.Status, shortBody(r.Body))
			}
			continue
		}
		var p gate.Problem
		if r.Status != http.StatusBadRequest || json.Unmarshal(r.Body, &p) != nil {
			t.Errorf("%s = %d, want 400\n%s", tc.target, r.Status, shortBody(r.Body))
			continue
		}
		if p.Param != tc.param || !strings.Contains(p.Detail, tc.param) {
			t.Errorf("%s: problem names %q (%q), want %q", tc.target, p.Param, p.Detail, tc.param)
		}
	}
}

// TestLimitAlwaysChecked: limit caps a streamed export's rows; given with
// the JSON format, where it does not apply, it must still be a valid cap
// (the fuzzer found kwic?q=uber&limit=0 answered 200).
func TestLimitAlwaysChecked(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, target := range []string{
		"/api/v1/kwic?q=uber&limit=0",
		"/api/v1/search?q=uber&limit=0",
		"/api/v1/search?q=uber&format=atom&limit=-3",
		"/api/v1/kwic?q=uber&limit=x",
	} {
		if r := get(t, s, target); r.Status != http.StatusBadRequest {
			t.Errorf("%s = %d, want 400\n%s", target, r.Status, shortBody(r.Body))
		}
	}
	for _, target := range []string{"/api/v1/kwic?q=uber&limit=3", "/api/v1/search?q=uber&limit=2"} {
		if r := get(t, s, target); r.Status != http.StatusOK {
			t.Errorf("%s = %d, want 200\n%s", target, r.Status, shortBody(r.Body))
		}
	}
}
