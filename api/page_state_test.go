package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"

	"tacheron/corpus"
	"tacheron/index/store"
)

// The page's state in a real browser: what it asks the API for, and what
// it knows of the corpus after a reindex under an open tab.

// A requestRecorder is the test server's handler, and the API requests it
// was sent, in order.
type requestRecorder struct {
	next http.Handler
	mu   sync.Mutex
	urls []*url.URL
}

func (r *requestRecorder) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	if strings.HasPrefix(req.URL.Path, "/api/") {
		r.mu.Lock()
		r.urls = append(r.urls, req.URL)
		r.mu.Unlock()
	}
	r.next.ServeHTTP(w, req)
}

// since returns the requests to path after the first n requests.
func (r *requestRecorder) since(n int, path string) []*url.URL {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []*url.URL
	for _, u := range r.urls[n:] {
		if u.Path == path {
			out = append(out, u)
		}
	}
	return out
}

func (r *requestRecorder) len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.urls)
}

// pageSearches returns the searches of the results the page shows (those
// in the interface's language; the corpus's months and the empty page's
// counts are asked apart) after the first n requests.
func (r *requestRecorder) pageSearches(n int) []url.Values {
	var out []url.Values
	for _, u := range r.since(n, "/api/v1/search") {
		if q := u.Query(); q.Has("label_lang") {
			out = append(out, q)
		}
	}
	return out
}

// TestBrowserFacetsOfTheView checks that each search of the page asks for
// the facets its view draws, and draws what it asked for: the facet
// panels everywhere, the timeline's bars in the results and contexts
// views, not in the trends view, whose chart is by period.
func TestBrowserFacetsOfTheView(t *testing.T) {
	browser := startBrowser(t)
	rec := &requestRecorder{next: newTestServer(t, Options{})}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	b := newTab(t, browser, srv.URL, screenshotDir(t))
	panels := "source,concept,kind,lang,author,tag"
	var last url.Values // the last search of the page
	for _, tt := range []struct {
		name   string
		target string // a page to open, or
		click  string // a tab to click on the page open
		view   string
		facets string
	}{
		{name: "results", target: "/?q=travail", facets: panels + ",date"},
		{name: "to trends", click: "#tab-trends", view: "trends", facets: panels},
		{name: "to contexts", click: "#tab-kwic", view: "kwic", facets: panels + ",date"},
		{name: "to results", click: "#tab-results", facets: panels + ",date"},
		{name: "trends", target: "/?q=plateformes&kind=press&view=trends", view: "trends", facets: panels},
		{name: "contexts", target: "/?q=plateformes&view=kwic", view: "kwic", facets: panels + ",date"},
		{name: "empty query", target: "/", facets: panels + ",date"},
	} {
		n := rec.len()
		if tt.target != "" {
			b.open(tt.target)
		} else {
			b.click(tt.click)
			b.wait("the view "+tt.view, fmt.Sprintf(`(param('view') || '') === %q`, tt.view))
			b.ready()
		}
		b.wait("the view drawn", `$('#facets h3') && ($('#timeline svg').hasAttribute('hidden') || !!$('#timeline .tl-bar'))`)
		// A view that draws what the one before drew needs no new
		// search: its results are the same.
		searches := rec.pageSearches(n)
		if len(searches) == 0 && (tt.target != "" || tt.facets != last.Get("facets")) {
			b.fail("%s: the page sent no search", tt.name)
		}
		for _, q := range searches {
			if !q.Has("facets") {
				b.fail("%s: a search asks for every facet by default: %s", tt.name, q.Encode())
			}
			last = q
		}
		got := last.Get("facets")
		if got != tt.facets {
			b.fail("%s: the page asked for facets %q, want %q", tt.name, got, tt.facets)
		}
		asked := strings.Split(got, ",")
		// What is drawn was asked for, and what was asked for is drawn.
		for _, f := range eval[[]string](b, `$$('#facets h3').map(h => h.id.replace('facet-', ''))`) {
			if !slices.Contains(asked, f) {
				b.fail("%s: the panel %s is drawn but its facet was not asked for (%s)", tt.name, f, got)
			}
		}
		bars := eval[bool](b, `shown($('#timeline svg')) && $$('#timeline .tl-bar').length > 0`)
		if bars != slices.Contains(asked, "date") {
			b.fail("%s: timeline bars drawn %v, date facet asked for %v", tt.name, bars, slices.Contains(asked, "date"))
		}
		if !eval[bool](b, `shown($('#timeline [data-role=from]')) && shown($('#timeline [data-role=to]'))`) {
			b.fail("%s: the date fields are not shown", tt.name)
		}
		if tt.view == "trends" {
			b.shot("desktop-trends-dates")
		}
	}
	b.checkConsole(nil)
}

// stateCorpus is a small corpus whose one concept is labelled label and
// whose documents are dated dates; the document of marchDate holds
// "marchword".
func stateCorpus(t *testing.T, label string, dates ...string) *corpus.Corpus {
	t.Helper()
	taxonomy, err := json.Marshal([]map[string]any{{
		"id":       "alpha",
		"labels":   map[string]string{"fr": label, "en": label + " (en)"},
		"variants": []string{"alphaword"},
	}})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for i, d := range dates {
		body := "Un billet sur le travail et alphaword, numéro " + fmt.Sprint(i) + "."
		if d == marchDate {
			body += " Il parle aussi de marchword."
		}
		line, err := json.Marshal(corpus.Record{ID: fmt.Sprintf("doc-%d", i), Title: "Billet " + d, Source: "Blog", Date: d, Lang: "fr", Body: body})
		if err != nil {
			t.Fatal(err)
		}
		lines = append(lines, string(line))
	}
	c, err := corpus.Open(fstest.MapFS{
		corpus.TaxonomyFile: {Data: taxonomy},
		"docs.jsonl":        {Data: []byte(strings.Join(lines, "\n") + "\n")},
	}, "state "+label)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

const marchDate = "2017-03-05"

// TestBrowserReindexUnderOpenPage swaps the snapshot under a served page:
// the reindex renames the concept and adds a month to the corpus. The
// page's next search comes from the new generation, and the page then
// shows the new month on the timeline's axis (of a search whose results
// are all in March) and the new label, without a reload, having fetched
// the concepts again once; the searches after it fetch nothing again.
func TestBrowserReindexUnderOpenPage(t *testing.T) {
	browser := startBrowser(t)
	st := store.Open(t.TempDir())
	live := store.NewLive(st)
	t.Cleanup(func() { live.Close() })
	publish := func(c *corpus.Corpus) {
		t.Helper()
		if _, err := st.Publish(context.Background(), c, store.PublishOptions{}); err != nil {
			t.Fatal(err)
		}
		if _, err := live.Reload(); err != nil {
			t.Fatal(err)
		}
	}
	publish(stateCorpus(t, "Ancien libellé", "2017-01-10", marchDate))
	rec := &requestRecorder{next: newTestServer(t, Options{Searcher: live})}
	srv := httptest.NewServer(rec)
	t.Cleanup(srv.Close)
	b := newTab(t, browser, srv.URL, screenshotDir(t))

	bars := func() []string { return eval[[]string](b, `$$('#timeline .tl-bar').map(g => g.id.slice(3))`) }
	chip := func() string { return eval[string](b, `$$('#active .chip').map(c => c.textContent).join('|')`) }
	search := func(q string) {
		b.t.Helper()
		b.click("#q")
		b.exec(`$('#q').value = ''`)
		b.keys(q)
		b.wait("the search for "+q, fmt.Sprintf(`param('q') === %q && idle()`, q))
	}

	b.open("/?q=marchword&concept=alpha")
	if got := bars(); !slices.Equal(got, []string{"2017-01", "2017-02", "2017-03"}) {
		b.fail("before the reindex the timeline has %v", got)
	}
	search("zzzqqq")
	if got := chip(); !strings.Contains(got, "Ancien libellé") {
		b.fail("before the reindex the concept filter reads %q", got)
	}
	n := rec.len()

	publish(stateCorpus(t, "Nouveau libellé", "2017-01-10", marchDate, "2017-06-20"))
	search("zzzyyy")
	if got := chip(); !strings.Contains(got, "Nouveau libellé") {
		b.fail("after the reindex the concept filter reads %q, want the new label", got)
	}
	search("marchword")
	if got := bars(); !slices.Equal(got, []string{"2017-01", "2017-02", "2017-03", "2017-04", "2017-05", "2017-06"}) {
		b.fail("after the reindex the timeline has %v, want January to June", got)
	}
	b.shot("desktop-reindexed")
	// The label above also comes in the concept facet of the answer, which
	// names the filter's value: the list of concepts is checked by its
	// request.
	if got := len(rec.since(n, "/api/v1/concepts")); got != 1 {
		b.fail("after the reindex the concepts were fetched %d times, want once", got)
	}

	// The same generation again: nothing is fetched again.
	n = rec.len()
	search("travail")
	if got := len(rec.since(n, "/api/v1/concepts")); got != 0 {
		b.fail("a search of the same generation fetched the concepts %d times", got)
	}
	if got := len(rec.since(n, "/api/v1/search")) - len(rec.pageSearches(n)); got != 0 {
		b.fail("a search of the same generation fetched the months %d times", got)
	}
	b.checkConsole(nil)
}
