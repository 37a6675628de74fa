package api

import (
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"tacheron/corpus"
	"tacheron/corpus/formats"
)

// TestBrowserAuthorsAndTags: on an index of a mixed folder — a WordPress
// export, a press database's export, a feed, a Markdown note and a
// spreadsheet — the page shows the authors and tags facets, a hit's
// authors, and filters by an author.
func TestBrowserAuthorsAndTags(t *testing.T) {
	browser := startBrowser(t)
	dir := t.TempDir()
	for from, to := range map[string]string{
		"../corpus/wordpress/testdata/wxr12.xml":           "blog/export.xml",
		"../corpus/press/testdata/europresse-article.html": "presse/europresse.htm",
		"../corpus/feed/testdata/rss2.xml":                 "feeds/diplab.xml",
		"../corpus/markdown/testdata/hugo-yaml.md":         "notes/livre.md",
		"../corpus/csv/testdata/articles-fr.csv":           "tableur.csv",
	} {
		data, err := os.ReadFile(from)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(to)), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, to), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c, err := corpus.OpenDir(dir, corpus.WithFormats(formats.All()...))
	if err != nil {
		t.Fatal(err)
	}
	live := publishLive(t, c)
	srv := httptest.NewServer(newTestServer(t, Options{Searcher: live}))
	t.Cleanup(srv.Close)
	b := newTab(t, browser, srv.URL, screenshotDir(t))

	b.open("/")
	b.wait("the authors and tags facets", `shown($('#facet-author')) && shown($('#facet-tag'))
		&& $$('#facets input[data-key^="author:"]').length >= 3 && $$('#facets input[data-key^="tag:"]').length >= 2`)
	authors := eval[[]string](b, `$$('#facets input[data-key^="author:"]').map(i => i.dataset.key.slice(7))`)
	for _, want := range []string{"Antonio A. Casilli", "Gabriel Simeon"} {
		if !strings.Contains(strings.Join(authors, "|"), want) {
			b.fail("the authors facet lists %q, want %s among them", authors, want)
		}
	}
	b.shot("desktop-authors")
	b.click(`#facets input[data-key="author:Gabriel Simeon"]`)
	b.wait("the author's documents", `param('author') === 'Gabriel Simeon' && idle()`)
	want := b.apiSearch("author=Gabriel+Simeon")
	if want.Total == 0 {
		b.fail("no document by Gabriel Simeon")
	}
	b.checkResults("author=Gabriel+Simeon")
	if got := eval[string](b, `$('#hits .hit .authors').textContent`); !strings.Contains(got, "Gabriel Simeon") {
		b.fail("the hit shows authors %q", got)
	}
	// The exports, the feed and the trends' series keep the filter: the
	// CSV export holds the author's documents only.
	links := eval[[]string](b, `[...$$('#tools details a').map(a => a.href), $('#tools a.subscribe').href]`)
	for _, l := range links {
		if u, err := url.Parse(l); err != nil || u.Query().Get("author") != "Gabriel Simeon" {
			b.fail("the link %s drops the author", l)
		}
	}
	csv := evalAwait[string](b, `fetch($('#tools details a').href).then(r => r.text())`)
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); len(lines) != want.Total+want.RelatedTotal+1 {
		b.fail("the CSV export has %d lines, want %d", len(lines), want.Total+want.RelatedTotal+1)
	}
	b.click("#tab-trends")
	b.wait("the trends", `!!$('#analysis .trends-chart')`)
	series := eval[string](b, `new URL($('#analysis .trends-tools a').href).searchParams.get('series')`)
	if q, err := url.ParseQuery(series); err != nil || q.Get("author") != "Gabriel Simeon" {
		b.fail("the trends' series %q drops the author", series)
	}
	b.checkConsole(nil)
}
