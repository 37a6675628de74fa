package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

// TestOpenFilterValues: sources and concepts match without regard to case
// and accents, concepts by label in either language; a value that matches
// nothing answers no hit and a warning with the closest values.
func TestOpenFilterValues(t *testing.T) {
	tests := []struct {
		name    string
		filters Filters
		want    Filters // the filter the values name
		warn    string  // the param of the expected warning, "" for none
		closest string  // a value among the warning's closest
	}{
		{"source case", Filters{Sources: []string{"le monde"}}, Filters{Sources: []string{"Le Monde"}}, "", ""},
		{"source accents and punctuation", Filters{Sources: []string{"ALTERNATIVES ÉCONOMIQUES"}}, Filters{Sources: []string{"Alternatives Economiques"}}, "", ""},
		{"concept French label", Filters{Concepts: []string{"Ubérisation"}}, Filters{Concepts: []string{"uberisation"}}, "", ""},
		{"concept English label", Filters{Concepts: []string{"artificial intelligence"}}, Filters{Concepts: []string{"intelligence-artificielle"}}, "", ""},
		{"concept id without accent", Filters{Concepts: []string{"MICRO TRAVAIL"}}, Filters{Concepts: []string{"micro-travail"}}, "", ""},
		{"unknown source", Filters{Sources: []string{"Le Mond"}}, Filters{}, "source", "Le Monde"},
		{"unknown concept", Filters{Concepts: []string{"uberisatoin"}}, Filters{}, "concept", "uberisation"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := search(t, Request{Filters: tt.filters, Limit: 100})
			if tt.warn != "" {
				if got.Total != 0 {
					t.Errorf("%d hits, want 0", got.Total)
				}
				if len(got.Warnings) != 1 || got.Warnings[0].Param != tt.warn || !slices.Contains(got.Warnings[0].Closest, tt.closest) {
					t.Errorf("warnings = %+v, want one on %s proposing %q", got.Warnings, tt.warn, tt.closest)
				} else if msg := got.Warnings[0].Message(); !strings.Contains(msg, tt.closest) {
					t.Errorf("message %q does not name %q", msg, tt.closest)
				}
				return
			}
			want := search(t, Request{Filters: tt.want, Limit: 100})
			if want.Total == 0 {
				t.Fatalf("the canonical filter %+v finds nothing", tt.want)
			}
			if got.Total != want.Total || len(got.Warnings) != 0 {
				t.Errorf("%+v: %d hits, warnings %+v; %+v: %d hits", tt.filters, got.Total, got.Warnings, tt.want, want.Total)
			}
		})
	}
}

// TestClosedFilterValues: kind and lang values outside their vocabulary are
// errors naming the parameter and the valid values; case does not matter.
func TestClosedFilterValues(t *testing.T) {
	s := bundled(t)
	for _, tt := range []struct {
		filters Filters
		param   string
		valid   string
	}{
		{Filters{Kinds: []string{"article"}}, "kind", "press-review"},
		{Filters{Langs: []string{"de"}}, "lang", "fr, en"},
	} {
		_, err := s.Search(context.Background(), Request{Filters: tt.filters})
		var qe *QueryError
		if !errors.As(err, &qe) || qe.Field != tt.param || !strings.Contains(qe.Reason, tt.valid) {
			t.Errorf("Search(%+v) = %v, want a QueryError on %s listing %s", tt.filters, err, tt.param, tt.valid)
		}
	}
	upper := search(t, Request{Filters: Filters{Kinds: []string{"PRESS"}, Langs: []string{"FR"}}})
	lower := search(t, Request{Filters: Filters{Kinds: []string{"press"}, Langs: []string{"fr"}}})
	if upper.Total == 0 || upper.Total != lower.Total {
		t.Errorf("PRESS/FR: %d hits, press/fr: %d", upper.Total, lower.Total)
	}
}
