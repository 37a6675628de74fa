package index

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	text "tacheron/corpus/analysis"
)

func TestTrendsEqualDateFacet(t *testing.T) {
	s := bundled(t)
	series := []Request{
		{Query: "travail "},
		{Query: "plateformes "},
		{Filters: Filters{Concepts: []string{"micro-travail"}}},
		{Query: "Uber ", Filters: Filters{Kinds: []string{"mention"}}},
		{Query: "zzzzqqq "},
	}
	for _, interval := range []string{IntervalMonth, IntervalYear} {
		tr, err := s.Trends(context.Background(), TrendsRequest{Series: series, Interval: interval})
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Series) != len(series) {
			t.Fatalf("%d series, want %d", len(tr.Series), len(series))
		}
		all := search(t, Request{Facets: []string{FacetDate}, DateInterval: interval})
		for i, sr := range series {
			res := search(t, Request{Query: sr.Query, Filters: sr.Filters, Facets: []string{FacetDate}, DateInterval: interval})
			facet := map[string]int{}
			for _, c := range res.Facets[FacetDate] {
				facet[c.Value] = c.Count
			}
			if tr.Series[i].Total != res.Total {
				t.Errorf("%s series %d: total %d, search total %d", interval, i, tr.Series[i].Total, res.Total)
			}
			for j, p := range tr.Series[i].Points {
				if j > 0 && p.Period <= tr.Series[i].Points[j-1].Period {
					t.Errorf("%s series %d: period %s after %s", interval, i, p.Period, tr.Series[i].Points[j-1].Period)
				}
				if p.Count != facet[p.Period] {
					t.Errorf("%s series %d, %s: count %d, date facet %d", interval, i, p.Period, p.Count, facet[p.Period])
				}
				if d := facetCount(all.Facets[FacetDate], p.Period); d > 0 && p.Share != float64(int(float64(p.Count)/float64(d)*1e6+0.5))/1e6 {
					t.Errorf("%s series %d, %s: share %v of %d/%d", interval, i, p.Period, p.Share, p.Count, d)
				}
			}
		}
	}
	// Empty periods are present, as zeros.
	tr, err := s.Trends(context.Background(), TrendsRequest{Series: series[:1], Interval: IntervalMonth, From: "2016-01-01", To: "2017-12-31"})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tr.Series[0].Points); n != 24 || tr.Series[0].Points[0].Period != "2016-01" || tr.Series[0].Points[0].Count != 0 {
		t.Errorf("2016-2017: %d points from %+v; want 24 from 2016-01 at 0", n, tr.Series[0].Points[0])
	}
	for _, bad := range []TrendsRequest{{}, {Series: make([]Request, 6)}, {Series: series[:1], Interval: "week"}, {Series: series[:1], From: "2018-01-01", To: "2017-01-01"}} {
		var qe *QueryError
		if _, err := s.Trends(context.Background(), bad); !errors.As(err, &qe) {
			t.Errorf("Trends(%+v) = %v, want a QueryError", bad, err)
		}
	}
}

func TestCooccurrenceCountsEqualFacets(t *testing.T) {
	s := bundled(t)
	// The plain words of each title and body.
	plain := map[string]map[string]bool{}
	for _, r := range allRecords(t, s) {
		plain[r.id] = map[string]bool{}
		for _, t := range text.Tokenize(r.title + "\n" + r.body) {
			plain[r.id][text.Fold(text.StripPossessive(text.Elide(text.Lower(t.Text))))] = true
		}
	}
	for _, q := range []string{"travail ", "plateformes ", ""} {
		co, err := s.Cooccurrence(context.Background(), CooccurrenceRequest{Search: Request{Query: q}, MinCount: 1, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		res := search(t, Request{Query: q, Limit: 100, Facets: []string{FacetConcept}, FacetSize: 500, ExcludeRelated: true})
		if co.Total != res.Total {
			t.Errorf("%q: total %d, search %d", q, co.Total, res.Total)
		}
		for _, c := range co.Concepts {
			if want := facetCount(res.Facets[FacetConcept], c.Value); c.Count != want {
				t.Errorf("%q: concept %s count %d, facet %d", q, c.Value, c.Count, want)
			}
		}
		for i := 1; i < len(co.Concepts); i++ {
			if co.Concepts[i].Score > co.Concepts[i-1].Score {
				t.Errorf("%q: concepts not by score: %+v after %+v", q, co.Concepts[i], co.Concepts[i-1])
			}
		}
		// Terms, counted the slow way over the hits.
		ids := map[string]bool{}
		for _, h := range res.Hits {
			ids[h.ID] = true
		}
		if co.Sampled != len(ids) {
			t.Errorf("%q: sampled %d, want all %d", q, co.Sampled, len(ids))
		}
		for _, term := range co.Terms {
			want := 0
			for id := range ids {
				if plain[id][term.Value] {
					want++
				}
			}
			if term.Count != want {
				t.Errorf("%q: term %s count %d, want %d", q, term.Value, term.Count, want)
			}
		}
	}
}

func TestConcordanceKeywordsAtTheirPlace(t *testing.T) {
	s := bundled(t)
	for _, tt := range []struct {
		q    string
		sort string
	}{{"plateformes ", ""}, {"travail ", SortLeft}, {`"travail du clic"`, SortRight}, {"Uber ", SortSource}, {"microtravail ", SortDateAsc}} {
		kw, err := s.Concordance(context.Background(), ConcordanceRequest{Search: Request{Query: tt.q}, Sort: tt.sort, Limit: 500, Context: 5})
		if err != nil {
			t.Fatal(err)
		}
		if kw.Total == 0 || !kw.Complete || len(kw.Lines) != kw.Total {
			t.Fatalf("%q: total %d, complete %v, %d lines", tt.q, kw.Total, kw.Complete, len(kw.Lines))
		}
		docs := map[string]bool{}
		for _, l := range kw.Lines {
			docs[l.ID] = true
			d, err := s.Document(context.Background(), l.ID, "")
			if err != nil {
				t.Fatal(err)
			}
			field := d.Title
			if l.Field == "body" {
				field = d.Paragraphs[l.Paragraph].Text
			}
			if field[l.Start:l.End] != l.Keyword {
				t.Errorf("%q: %s %s %d [%d:%d] holds %q, line says %q", tt.q, l.ID, l.Field, l.Paragraph, l.Start, l.End, field[l.Start:l.End], l.Keyword)
			}
			if !strings.HasSuffix(strings.TrimSpace(field[:l.Start]), l.Left) || !strings.HasPrefix(strings.TrimSpace(field[l.End:]), l.Right) {
				t.Errorf("%q: context %q | %q is not around %q", tt.q, l.Left, l.Right, l.Keyword)
			}
			if n := len(strings.Fields(l.Left)); n > 5 {
				t.Errorf("%q: %d words left", tt.q, n)
			}
		}
		if len(docs) != kw.Documents {
			t.Errorf("%q: lines in %d documents, %d match", tt.q, len(docs), kw.Documents)
		}
		for i := 1; i < len(kw.Lines) && tt.sort == SortLeft; i++ {
			a, b := leftKey(kw.Lines[i-1].Left), leftKey(kw.Lines[i].Left)
			if a > b {
				t.Errorf("%q by left: %q before %q", tt.q, a, b)
			}
		}
	}
	// A phrase's lines are the whole phrase.
	kw, err := s.Concordance(context.Background(), ConcordanceRequest{Search: Request{Query: `"travail du clic"`}, Limit: 500})
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range kw.Lines {
		if got := text.Fold(strings.ToLower(l.Keyword)); !strings.HasPrefix(got, "travail") || !strings.HasSuffix(got, "clic") {
			t.Errorf("phrase line keyword %q", l.Keyword)
		}
	}
}

// leftKey is a left context's words, nearest first, folded.
func leftKey(s string) string {
	w := strings.Fields(s)
	slices.Reverse(w)
	return sortKey(strings.Join(w, " "))
}

func TestExportFollowsSearch(t *testing.T) {
	s := bundled(t)
	for _, req := range []Request{{Query: "travail "}, {Query: "plateformes ", Sort: SortDateAsc}, {}, {Query: "Deliveroo livreurs ", ExcludeRelated: true}} {
		page := req
		page.Limit = 100
		res := search(t, page)
		var got []Record
		var total, related int
		err := s.Export(context.Background(), req, 0, func(t, r int) error {
			total, related = t, r
			return nil
		}, func(r Record) error {
			got = append(got, r)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if total != res.Total || related != res.Related || len(got) != total+related || len(got) != len(res.Hits) {
			t.Fatalf("%+v: export %d+%d, %d records; search %d+%d, %d hits", req, total, related, len(got), res.Total, res.Related, len(res.Hits))
		}
		for i, h := range res.Hits {
			if got[i].ID != h.ID || got[i].Match != h.Match {
				t.Errorf("%+v: record %d is %s (%s), hit %s (%s)", req, i, got[i].ID, got[i].Match, h.ID, h.Match)
			}
		}
		n := 0
		none := func(int, int) error { return nil }
		if err := s.Export(context.Background(), req, 3, none, func(Record) error { n++; return nil }); err != nil || n != min(3, len(got)) {
			t.Errorf("%+v: limit 3 gave %d records (%v)", req, n, err)
		}
	}
}
