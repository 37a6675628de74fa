package main

import (
	"math"
	"slices"
	"strings"
	"testing"
)

func TestParseKnownItems(t *testing.T) {
	tests := []struct {
		name, in string
		want     []knownItem
		err      string
	}{
		{name: "classes", in: "# comment\n\nkeyword\tfuseau horaire\tman-a.1, man-b.8\nprefix\ttzsel\tman-a.1\n",
			want: []knownItem{{class: "keyword", query: "fuseau horaire ", want: []string{"man-a.1", "man-b.8"}, line: 3},
				{class: "prefix", query: "tzsel", want: []string{"man-a.1"}, line: 4}}},
		{name: "two fields", in: "keyword\tfuseau\n", err: "q.tsv:1: want class, query and ids"},
		{name: "no id", in: "keyword\tfuseau\t , \n", err: "q.tsv:1: no expected id"},
		{name: "no query", in: "\n\nkeyword\t \tman-a.1\n", err: "q.tsv:3: empty query"},
		{name: "empty", in: "# nothing\n", err: "q.tsv: no query"},
	}
	for _, tc := range tests {
		got, err := parseKnownItems(strings.NewReader(tc.in), "q.tsv")
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%s: error %v, want %q", tc.name, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		if !slices.EqualFunc(got, tc.want, func(a, b knownItem) bool {
			return a.class == b.class && a.query == b.query && a.line == b.line && slices.Equal(a.want, b.want)
		}) {
			t.Errorf("%s: got %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestKnownItemScore(t *testing.T) {
	var s knownItemScore
	for _, hits := range [][]string{
		{"a", "b"},      // rank 1
		{"x", "y", "b"}, // rank 3
		{"x", "y"},      // missed
		{"x", "y", "z", "x", "y", "z", "x", "y", "z", "b"}, // rank 10
	} {
		s.add(knownItemRank(hits, []string{"b", "a"}))
	}
	if s.queries != 4 || s.at1 != 1 || s.at10 != 3 {
		t.Errorf("queries %d, success@1 %d, success@10 %d; want 4, 1, 3", s.queries, s.at1, s.at10)
	}
	if want := (1 + 1.0/3 + 0.1) / 4; math.Abs(s.mrr()-want) > 1e-9 {
		t.Errorf("MRR %v, want %v", s.mrr(), want)
	}
}
