package api

import (
	"net/http"
	"net/url"
	"testing"
)

// TestAnalysisRefusesRepeatedParams checks that the analysis routes refuse
// a parameter that takes one value given twice (fuzz: trends?to&to=0 was
// answered 200 from the first, empty, value), and still take repeated
// filters and series.
func TestAnalysisRefusesRepeatedParams(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, tc := range []struct {
		target string
		status int
	}{
		{"/api/v1/trends?to&to=0", http.StatusBadRequest},
		{"/api/v1/trends?q=travail&date_interval=year&date_interval=month", http.StatusBadRequest},
		{"/api/v1/trends?" + url.Values{"series": {"q=travail&q=plateformes"}}.Encode(), http.StatusBadRequest},
		{"/api/v1/kwic?q=travail&q=plateformes", http.StatusBadRequest},
		{"/api/v1/cooccurrence?q=travail&limit=1&limit=2", http.StatusBadRequest},
		{"/api/v1/trends?q=travail&source=Le+Monde&source=Mediapart&kind=press&kind=post", http.StatusOK},
		{"/api/v1/trends?" + url.Values{"series": {"q=travail", "q=plateformes&concept=micro-travail&concept=plateformes"}}.Encode(), http.StatusOK},
		{"/api/v1/kwic?q=travail&lang=fr&lang=en", http.StatusOK},
	} {
		if r := get(t, s, tc.target); r.Status != tc.status {
			t.Errorf("GET %s = %d, want %d\n%s", tc.target, r.Status, tc.status, shortBody(r.Body))
		}
	}
}
