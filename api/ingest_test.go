package api

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
)

// authorsServer serves a corpus whose documents have authors, tags and
// opaque ids (a guid URL, a name with "+"); the first has a time of
// publication, late in the evening west of UTC (already the next day in
// UTC), and no date.
func authorsServer(t *testing.T) *Server {
	t.Helper()
	data := `{"id":"http://example.org/?p=1","title":"Le micro-travail","published":"2020-01-02T23:30:00-05:00","authors":["Antonio A. Casilli","Paola Tubaro"],"tags":["Micro-travail","IA"],"section":"Idées","body":"Les travailleurs du clic."}
{"id":"man-mklost+found.8","title":"Les plateformes","date":"2020-02-03","authors":["Paola Tubaro"],"tags":["plateformes"],"body":"Le travail des plateformes."}
{"id":"news·20170322·UK·20170322×c0049","title":"Sans auteur","date":"2020-03-04","body":"Le travail sans auteur."}
`
	c, err := corpus.Open(fstest.MapFS{"a.jsonl": {Data: []byte(data)}}, "t")
	if err != nil {
		t.Fatal(err)
	}
	live := publishLive(t, c)
	return newTestServer(t, Options{Searcher: live})
}

func TestAuthorTagFilters(t *testing.T) {
	s := authorsServer(t)
	tests := []struct {
		query   string
		ids     string
		authors string
	}{
		{"", "news·20170322·UK·20170322×c0049 man-mklost+found.8 http://example.org/?p=1", "Paola Tubaro:2 Antonio A. Casilli:1"},
		{"author=paola+tubaro", "man-mklost+found.8 http://example.org/?p=1", "Paola Tubaro:2 Antonio A. Casilli:1"},
		{"author=Antonio+A.+Casilli&tag=ia", "http://example.org/?p=1", "Antonio A. Casilli:1 Paola Tubaro:1"},
		{"tag=plateformes&tag=IA", "man-mklost+found.8 http://example.org/?p=1", "Paola Tubaro:2 Antonio A. Casilli:1"},
	}
	for _, tt := range tests {
		r := get(t, s, "/api/v1/search?"+tt.query)
		if r.Status != http.StatusOK {
			t.Fatalf("%s: %d %s", tt.query, r.Status, r.Body)
		}
		var res SearchResponse
		r.json(t, &res)
		var ids, authors []string
		for _, h := range res.Hits {
			ids = append(ids, h.ID)
		}
		for _, f := range res.Facets["author"] {
			authors = append(authors, f.Value+":"+string(rune('0'+f.Count)))
		}
		if got := strings.Join(ids, " "); got != tt.ids {
			t.Errorf("%s: hits %q, want %q", tt.query, got, tt.ids)
		}
		if got := strings.Join(authors, " "); got != tt.authors {
			t.Errorf("%s: author facet %q, want %q", tt.query, got, tt.authors)
		}
	}
	r := get(t, s, "/api/v1/search?q=micro-travail")
	var res SearchResponse
	r.json(t, &res)
	if len(res.Hits) == 0 || strings.Join(res.Hits[0].Authors, "|") != "Antonio A. Casilli|Paola Tubaro" || strings.Join(res.Hits[0].Tags, "|") != "Micro-travail|IA" {
		t.Errorf("hits = %+v", res.Hits)
	}
	many := url.Values{}
	for i := range 101 {
		many.Add("tag", strings.Repeat("x", i+1))
	}
	if r := get(t, s, "/api/v1/search?"+many.Encode()); r.Status != http.StatusBadRequest {
		t.Errorf("101 tags: %d, want 400", r.Status)
	}
}

func TestOpaqueIDs(t *testing.T) {
	s := authorsServer(t)
	for _, id := range []string{"http://example.org/?p=1", "man-mklost+found.8", "news·20170322·UK·20170322×c0049"} {
		for _, path := range []string{"/api/v1/documents/" + url.PathEscape(id), "/api/v1/documents/" + url.QueryEscape(id)} {
			r := get(t, s, path)
			var d Document
			if r.Status == http.StatusOK {
				r.json(t, &d)
			}
			if r.Status != http.StatusOK || d.ID != id {
				t.Errorf("GET %s: %d, id %q; want 200 and %q", path, r.Status, d.ID, id)
			}
		}
	}
	r := get(t, s, "/api/v1/documents/"+url.PathEscape("http://example.org/?p=1"))
	var d Document
	r.json(t, &d)
	if strings.Join(d.Authors, "|") != "Antonio A. Casilli|Paola Tubaro" || strings.Join(d.Tags, "|") != "Micro-travail|IA" || d.Section != "Idées" {
		t.Errorf("document = %+v", d)
	}
	if r := get(t, s, "/api/v1/documents/"+url.PathEscape("http://example.org/?p=2")); r.Status != http.StatusNotFound {
		t.Errorf("unknown id: %d, want 404", r.Status)
	}
}

// TestPublished checks that a document's time of publication is shown as
// the source gave it (RFC 3339, in its zone) by the document, the hits and
// the exports, that its day in that zone is the date that facets and
// filters count, and that a document without one shows none.
func TestPublished(t *testing.T) {
	s := authorsServer(t)
	const id, published = "http://example.org/?p=1", "2020-01-02T23:30:00-05:00"
	var d Document
	get(t, s, "/api/v1/documents/"+url.PathEscape(id)).json(t, &d)
	if d.Published != published || d.Date != "2020-01-02" {
		t.Errorf("document: published %q, date %q; want %q, 2020-01-02", d.Published, d.Date, published)
	}
	var other Document
	get(t, s, "/api/v1/documents/man-mklost+found.8").json(t, &other)
	if other.Published != "" {
		t.Errorf("document without a time: published %q", other.Published)
	}
	for _, q := range []string{"from=2020-01-02&to=2020-01-02", "q=micro-travail&from=2020-01-01&to=2020-01-02"} {
		var res SearchResponse
		get(t, s, "/api/v1/search?facets=date&date_interval=month&"+q).json(t, &res)
		if len(res.Hits) != 1 || res.Hits[0].ID != id || res.Hits[0].Published != published {
			t.Errorf("%s: hits %+v, want %s published %s", q, res.Hits, id, published)
		}
	}
	var res SearchResponse
	get(t, s, "/api/v1/search?from=2020-01-03&to=2020-01-03").json(t, &res)
	if res.Total != 0 {
		t.Errorf("from=to=2020-01-03 (the UTC day): %d hits, want 0", res.Total)
	}
	for _, tt := range []struct{ format, want string }{
		{"jsonl", `"date":"2020-01-02","published":"2020-01-02T23:30:00-05:00"`},
		{"csv", ",2020-01-02T23:30:00-05:00\n"},
	} {
		r := get(t, s, "/api/v1/search?q=micro-travail&format="+tt.format)
		if r.Status != http.StatusOK || !strings.Contains(string(r.Body), tt.want) {
			t.Errorf("format=%s: %d, %q not in\n%s", tt.format, r.Status, tt.want, r.Body)
		}
	}
	r := get(t, s, "/api/v1/search?q=micro-travail&format=atom")
	if !strings.Contains(string(r.Body), "<published>2020-01-03T04:30:00Z</published>") {
		t.Errorf("format=atom: the entry's time is not its time of publication in UTC:\n%s", r.Body)
	}
}
