package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/mmcdole/gofeed"

	"tacheron/api/apitest"
	"tacheron/api/export"
	"tacheron/index"
)

// registerTextDecoders lets the OpenAPI validation read the text formats
// of exports and feeds (as strings).
var registerTextDecoders sync.Once

func textFormats(t testing.TB) {
	t.Helper()
	registerTextDecoders.Do(func() {
		for _, ct := range []string{"text/csv", "application/jsonl", "application/x-research-info-systems", "application/x-bibtex", "application/atom+xml"} {
			openapi3filter.RegisterBodyDecoder(ct, openapi3filter.PlainBodyDecoder)
		}
	})
}

func getOK(t *testing.T, h http.Handler, target string) *response {
	t.Helper()
	r := get(t, h, target)
	if r.Status != http.StatusOK {
		t.Fatalf("GET %s = %d, want 200\n%s", target, r.Status, shortBody(r.Body))
	}
	return r
}

func TestTrendsEqualTheDateFacet(t *testing.T) {
	s := newTestServer(t, Options{})
	series := []string{"q=travail+", "concept=micro-travail", "q=plateformes+&kind=post&label=Billets", "q=Uber+"}
	v := url.Values{"series": series, "date_interval": {"month"}}
	var tr TrendsResponse
	getOK(t, s, "/api/v1/trends?"+v.Encode()).json(t, &tr)
	if tr.DateInterval != "month" || len(tr.Series) != len(series) {
		t.Fatalf("date_interval %q, %d series", tr.DateInterval, len(tr.Series))
	}
	if tr.Series[2].Label != "Billets" || tr.Series[1].Label != "micro-travail" || tr.Series[1].Filters.Concept[0] != "micro-travail" {
		t.Errorf("labels %q, %q", tr.Series[1].Label, tr.Series[2].Label)
	}
	for i, q := range series {
		res := search(t, s, q+"&facets=date&date_interval=month")
		facet := counts(res.Facets["date"])
		if tr.Series[i].Total != res.Total {
			t.Errorf("series %q: total %d, search total %d", q, tr.Series[i].Total, res.Total)
		}
		sum := 0
		for _, p := range tr.Series[i].Points {
			sum += p.Count
			if p.Count != facet[p.Period] {
				t.Errorf("series %q, %s: %d, date facet %d", q, p.Period, p.Count, facet[p.Period])
			}
		}
		if sum != res.Total {
			t.Errorf("series %q: points sum to %d, total %d", q, sum, res.Total)
		}
	}
	// One series from the search's own parameters; years; CSV.
	var one TrendsResponse
	getOK(t, s, "/api/v1/trends?q=travail+&date_interval=year").json(t, &one)
	if len(one.Series) != 1 || one.DateInterval != "year" || one.Series[0].Total != tr.Series[0].Total {
		t.Errorf("one series by year: %+v", one)
	}
	r := getOK(t, s, "/api/v1/trends?format=csv&"+v.Encode())
	rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	points := 0
	for _, sr := range tr.Series {
		points += len(sr.Points)
	}
	if len(rows) != points+1 || !strings.Contains(r.Header.Get("Content-Disposition"), ".csv") {
		t.Errorf("CSV: %d rows for %d points; Content-Disposition %q", len(rows), points, r.Header.Get("Content-Disposition"))
	}
	for _, bad := range []string{"series=q%3Da&series=b&series=c&series=d&series=e&series=f", "date_interval=week", "series=page%3D0", "format=xml"} {
		if r := get(t, s, "/api/v1/trends?"+bad); r.Status != http.StatusBadRequest {
			t.Errorf("trends?%s = %d, want 400", bad, r.Status)
		}
	}
}

func TestCooccurrenceCountsAreFacetCounts(t *testing.T) {
	s := newTestServer(t, Options{})
	for _, q := range []string{"q=travail+", "q=plateformes+&lang=fr", "concept=uberisation"} {
		var co CooccurrenceResponse
		getOK(t, s, "/api/v1/cooccurrence?min_count=1&limit=100&"+q).json(t, &co)
		// The concepts of the hits, counted one by one (the concept facet
		// would not apply a concept filter: it is disjunctive).
		res := search(t, s, q+"&related=false&per_page=100")
		if co.Total != res.Total || len(res.Hits) != res.Total {
			t.Errorf("%s: total %d, search %d", q, co.Total, res.Total)
		}
		facet := map[string]int{}
		for _, h := range res.Hits {
			for _, c := range h.Concepts {
				facet[c]++
			}
		}
		for _, c := range co.Concepts {
			if c.Count != facet[c.Value] || c.Label == "" {
				t.Errorf("%s: concept %s (%q) %d, facet %d", q, c.Value, c.Label, c.Count, facet[c.Value])
			}
		}
		if strings.Contains(q, "concept=") {
			for _, c := range co.Concepts {
				if c.Value == "uberisation" {
					t.Errorf("%s: the filtered concept is listed", q)
				}
			}
		}
		if len(co.Terms) == 0 {
			t.Errorf("%s: no terms", q)
		}
	}
	if r := get(t, s, "/api/v1/cooccurrence?q=a&min_count=0"); r.Status != http.StatusBadRequest {
		t.Errorf("min_count=0: %d, want 400", r.Status)
	}
}

func TestKWICKeywordsAreInTheText(t *testing.T) {
	textFormats(t)
	s := newTestServer(t, Options{})
	docs := map[string]Document{}
	for _, q := range []string{"q=plateformes+", "q=travail+&sort=left&per_page=20&page=2", "q=%22travail+du+clic%22&sort=right", "q=Uber+&sort=source&context=3"} {
		var kw KWICResponse
		getOK(t, s, "/api/v1/kwic?"+q).json(t, &kw)
		if kw.Total == 0 || len(kw.Lines) == 0 {
			t.Fatalf("%s: total %d, %d lines", q, kw.Total, len(kw.Lines))
		}
		// The date sort (the default) reads as far as its page and one
		// line more; the others every line.
		dateSort := !strings.Contains(q, "sort=")
		if !dateSort && !kw.Complete || dateSort && kw.Total != len(kw.Lines)+1 {
			t.Errorf("%s: total %d, %d lines, complete %v", q, kw.Total, len(kw.Lines), kw.Complete)
		}
		for _, l := range kw.Lines {
			d, ok := docs[l.ID]
			if !ok {
				getOK(t, s, "/api/v1/documents/"+url.PathEscape(l.ID)).json(t, &d)
				docs[l.ID] = d
			}
			text := d.Title
			if l.Field == "body" {
				text = d.Paragraphs[l.Paragraph].Text
			}
			if l.End > len(text) || text[l.Start:l.End] != l.Keyword {
				t.Errorf("%s: %s %s %d [%d:%d] is not %q", q, l.ID, l.Field, l.Paragraph, l.Start, l.End, l.Keyword)
			}
		}
	}
	// Streamed: every line, as the pages give them.
	var all KWICResponse
	getOK(t, s, "/api/v1/kwic?q=plateformes+&per_page=500").json(t, &all)
	r := getOK(t, s, "/api/v1/kwic?q=plateformes+&format=jsonl")
	lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
	if len(lines) != all.Total {
		t.Fatalf("jsonl: %d lines, total %d", len(lines), all.Total)
	}
	for i, line := range lines {
		var l KWICLine
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			t.Fatal(err)
		}
		if l != all.Lines[i] {
			t.Errorf("jsonl line %d: %+v, page says %+v", i, l, all.Lines[i])
		}
	}
	r = getOK(t, s, "/api/v1/kwic?q=plateformes+&format=csv&limit=2")
	if rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll(); err != nil || len(rows) != 3 {
		t.Errorf("csv limit=2: %d rows (%v), want a header and 2", len(rows), err)
	}
	for _, bad := range []string{"q=", "q=a&sort=up", "q=a&context=0", "q=a&per_page=501"} {
		if r := get(t, s, "/api/v1/kwic?"+bad); r.Status != http.StatusBadRequest {
			t.Errorf("kwic?%s = %d, want 400", bad, r.Status)
		}
	}
}

func TestExportFormats(t *testing.T) {
	textFormats(t)
	s := newTestServer(t, Options{MaxExportRows: 8})
	q := "q=travail+plateformes+"
	page := search(t, s, q+"&per_page=100")
	if page.Total+page.RelatedTotal <= 8 || page.Total >= 8 {
		t.Fatalf("%d documents, %d related: the cap of 8 rows does not cut into the related ones", page.Total, page.RelatedTotal)
	}
	want := page.Hits[:8]
	r := getOK(t, s, "/api/v1/search?format=csv&"+q)
	rows, err := csv.NewReader(bytes.NewReader(r.Body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != len(want)+1 || rows[0][0] != "id" {
		t.Fatalf("csv: %d rows, want a header and %d", len(rows), len(want))
	}
	for i, h := range want {
		if rows[i+1][0] != h.ID || rows[i+1][9] != h.Match {
			t.Errorf("csv row %d: %s (%s), search %s (%s)", i, rows[i+1][0], rows[i+1][9], h.ID, h.Match)
		}
	}
	if cd := r.Header.Get("Content-Disposition"); cd != `attachment; filename="tacheron-search-travail-plateformes.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if r.Header.Get("X-Total-Count") != strconv.Itoa(page.Total) || r.Header.Get("X-Related-Count") != strconv.Itoa(page.RelatedTotal) {
		t.Errorf("X-Total-Count %s, X-Related-Count %s; want %d, %d", r.Header.Get("X-Total-Count"), r.Header.Get("X-Related-Count"), page.Total, page.RelatedTotal)
	}
	r = getOK(t, s, "/api/v1/search?format=jsonl&related=false&limit=5&"+q)
	lines := strings.Split(strings.TrimSpace(string(r.Body)), "\n")
	if len(lines) != min(5, page.Total) {
		t.Errorf("jsonl: %d lines, want %d", len(lines), min(5, page.Total))
	}
	for i, line := range lines {
		var rec export.Record
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec.ID != page.Hits[i].ID || rec.Match != "all" || rec.Title == "" {
			t.Errorf("jsonl line %d: %+v (%v)", i, rec, err)
		}
	}
	r = getOK(t, s, "/api/v1/search?format=ris&"+q)
	if n := strings.Count(string(r.Body), "\r\nER  - "); n != len(want) || !strings.HasPrefix(string(r.Body), "TY  - ") {
		t.Errorf("ris: %d records, want %d", n, len(want))
	}
	for _, h := range want {
		if !strings.Contains(string(r.Body), "ID  - "+h.ID+"\r\n") || !strings.Contains(string(r.Body), "TI  - "+strings.Join(strings.Fields(h.Title), " ")+"\r\n") {
			t.Errorf("ris: no record for %s", h.ID)
		}
	}
	r = getOK(t, s, "/api/v1/search?format=bibtex&"+q)
	if n := strings.Count(string(r.Body), "\n@") + 1; n != len(want) || !strings.HasSuffix(r.Header.Get("Content-Disposition"), `.bib"`) {
		t.Errorf("bibtex: %d entries, want %d; %s", n, len(want), r.Header.Get("Content-Disposition"))
	}
	if strings.Count(string(r.Body), "{") != strings.Count(string(r.Body), "}") {
		t.Errorf("bibtex: unbalanced braces")
	}
	for _, bad := range []string{"format=pdf", "format=csv&limit=9", "format=csv&limit=0"} {
		if r := get(t, s, "/api/v1/search?"+bad); r.Status != http.StatusBadRequest {
			t.Errorf("search?%s = %d, want 400", bad, r.Status)
		}
	}
}

// A heldExports searcher holds its exports until release is closed.
type heldExports struct {
	Searcher
	started, release chan struct{}
}

func (h heldExports) Export(ctx context.Context, req index.Request, limit int, start func(uint64, int, int) error, fn func(index.Record) error) error {
	h.started <- struct{}{}
	select {
	case <-h.release:
	case <-ctx.Done():
		return ctx.Err()
	}
	return h.Searcher.Export(ctx, req, limit, start, fn)
}

func TestExportHasItsOwnPlaceAndDeadline(t *testing.T) {
	held := heldExports{Searcher: testLive, started: make(chan struct{}, 1), release: make(chan struct{})}
	// A request deadline shorter than the export takes.
	s := newTestServer(t, Options{Searcher: held, Timeout: 200 * time.Millisecond})
	done := make(chan *response)
	go func() { done <- get(t, s, "/api/v1/search?format=csv&q=travail+") }()
	<-held.started
	if r := get(t, s, "/api/v1/search?format=jsonl&q=travail+"); r.Status != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Errorf("a second export: %d, Retry-After %q; want 503 with Retry-After", r.Status, r.Header.Get("Retry-After"))
	}
	time.Sleep(400 * time.Millisecond) // past the request deadline: the export goes on
	close(held.release)
	r := <-done
	if r.Status != http.StatusOK || !bytes.HasPrefix(r.Body, []byte("id,title")) {
		t.Errorf("held export: %d %s", r.Status, shortBody(r.Body))
	}
}

func TestAtomFeed(t *testing.T) {
	textFormats(t)
	s := newTestServer(t, Options{})
	r := getOK(t, s, "/api/v1/search?q=plateformes+&lang=fr&format=atom&page=3")
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/atom+xml") {
		t.Errorf("Content-Type %q", ct)
	}
	feed, err := gofeed.NewParser().ParseString(string(r.Body))
	if err != nil {
		t.Fatalf("gofeed: %v\n%s", err, shortBody(r.Body))
	}
	if feed.FeedType != "atom" || feed.Updated == "" || !strings.HasPrefix(feed.Link, "http://example.com/?") {
		t.Errorf("feed: type %q, updated %q, link %q", feed.FeedType, feed.Updated, feed.Link)
	}
	res := search(t, s, "q=plateformes+&lang=fr&sort=-date&related=false&per_page=50")
	if len(feed.Items) != len(res.Hits) || len(feed.Items) == 0 {
		t.Fatalf("%d entries, search has %d documents", len(feed.Items), len(res.Hits))
	}
	for i, it := range feed.Items {
		h := res.Hits[i]
		if it.GUID != "urn:tacheron:document:"+h.ID || it.Title != h.Title || !strings.HasPrefix(it.Updated, h.Date) {
			t.Errorf("entry %d: %s %q %s; search %s %q %s", i, it.GUID, it.Title, it.Updated, h.ID, h.Title, h.Date)
		}
		if u, err := url.Parse(it.Link); err != nil || u.Query().Get("doc") != h.ID {
			t.Errorf("entry %d: link %q does not open %s", i, it.Link, h.ID)
		}
		if i > 0 && it.UpdatedParsed.After(*feed.Items[i-1].UpdatedParsed) {
			t.Errorf("entry %d is newer than entry %d", i, i-1)
		}
		if it.Description == "" || len(it.Authors) == 0 {
			t.Errorf("entry %d: no summary or author", i)
		}
		// The document's authors, or its source.
		want := h.Authors
		if len(want) == 0 {
			want = []string{h.Source}
		}
		var got []string
		for _, a := range it.Authors {
			got = append(got, a.Name)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("entry %d: authors %q, want %q", i, got, want)
		}
	}
	// The feed's id is the search's, whatever the parameters' order, and
	// the same from another build of the same corpus.
	live, err := apitest.Bundled(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	other := newTestServer(t, Options{Searcher: live})
	again, err := gofeed.NewParser().ParseString(string(getOK(t, other, "/api/v1/search?format=atom&lang=fr&q=plateformes+").Body))
	if err != nil {
		t.Fatal(err)
	}
	if again.FeedLink != feed.FeedLink && again.Title != feed.Title {
		t.Errorf("titles %q, %q", again.Title, feed.Title)
	}
	if len(again.Items) != len(feed.Items) {
		t.Fatalf("rebuilt: %d entries, %d before", len(again.Items), len(feed.Items))
	}
	// Documents of one day may come in another order.
	ids := map[string]string{}
	for _, it := range feed.Items {
		ids[it.GUID] = it.Updated
	}
	for _, it := range again.Items {
		if ids[it.GUID] != it.Updated {
			t.Errorf("entry %s (%s) after a rebuild: before, %q", it.GUID, it.Updated, ids[it.GUID])
		}
	}
	if idOf(t, getOK(t, other, "/api/v1/search?format=atom&lang=fr&q=plateformes+").Body) != idOf(t, r.Body) {
		t.Errorf("the feed's id changes with the order of parameters or a rebuild")
	}
}

// idOf returns the feed id of an Atom document.
func idOf(t *testing.T, body []byte) string {
	t.Helper()
	s := string(body)
	i, j := strings.Index(s, "<id>"), strings.Index(s, "</id>")
	if i < 0 || j < i {
		t.Fatalf("no id in %s", shortBody(body))
	}
	return s[i+4 : j]
}
