package api

import (
	"context"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// evalAwait evaluates an expression whose value is a promise, and waits
// for it.
func evalAwait[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js(expr), chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("eval %s: %v", expr, err)
	}
	return v
}

// TestBrowserAnalysis drives the journalist's tools of the page: the
// related count, export and feed, co-occurrence, trends and contexts.
func TestBrowserAnalysis(t *testing.T) {
	browser := startBrowser(t)
	srv := httptest.NewServer(newTestServer(t, Options{}))
	t.Cleanup(srv.Close)
	shots := screenshotDir(t)
	for _, tt := range []struct {
		name string
		run  func(*tab)
	}{
		{"CountsExportFeed", testCountsExportFeed},
		{"Cooccurrence", testCooccurrence},
		{"Trends", testTrends},
		{"Contexts", testContexts},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newTab(t, browser, srv.URL, shots)
			tt.run(b)
			b.checkConsole(nil)
		})
	}
}

func testCountsExportFeed(b *tab) {
	b.open("/?q=" + url.QueryEscape("Deliveroo livreurs "))
	res := b.apiSearch("q=" + url.QueryEscape("Deliveroo livreurs "))
	total := eval[string](b, `$('#total').textContent`)
	if !strings.Contains(total, "liés") && !strings.Contains(total, "lié") || res.RelatedTotal == 0 {
		b.fail("count text %q, related_total %d", total, res.RelatedTotal)
	}
	feed := eval[string](b, `$('link[rel=alternate][type="application/atom+xml"]').href`)
	sub := eval[string](b, `$('#tools a.subscribe').href`)
	if feed != sub || !strings.Contains(feed, "format=atom") || !strings.Contains(feed, "q=Deliveroo") {
		b.fail("feed link %q, subscribe %q", feed, sub)
	}
	// The export menu opens from the keyboard and its links download.
	b.tabTo("#tools summary", false)
	b.keys(kb.Enter)
	b.wait("the export menu", `$('#tools details').open && shown($('#tools details a'))`)
	b.shot("desktop-export")
	formats := eval[[]string](b, `$$('#tools details a').map(a => new URL(a.href).searchParams.get('format'))`)
	if strings.Join(formats, ",") != "csv,ris,bibtex,jsonl" {
		b.fail("export formats %v", formats)
	}
	csv := evalAwait[string](b, `fetch($('#tools details a').href).then(r => r.text())`)
	if lines := strings.Split(strings.TrimSpace(csv), "\n"); !strings.HasPrefix(csv, "id,title") || len(lines) != res.Total+res.RelatedTotal+1 {
		b.fail("CSV export: %d lines, want %d\n%s", len(lines), res.Total+res.RelatedTotal+1, csv)
	}
	atom := evalAwait[string](b, `fetch($('#tools a.subscribe').href).then(r => r.text())`)
	if !strings.Contains(atom, "<feed xmlns=\"http://www.w3.org/2005/Atom\"") {
		b.fail("the feed is not Atom: %.200s", atom)
	}
}

func testCooccurrence(b *tab) {
	b.open("/?q=plateformes+")
	b.wait("co-occurring concepts", `shown($('#cooc button[data-concept]'))`)
	concept := eval[string](b, `$('#cooc button[data-concept]').dataset.concept`)
	b.shot("desktop-cooccurrence")
	b.click("#cooc button[data-concept]")
	b.wait("the concept filter", `new URLSearchParams(location.search).getAll('concept').length === 1`)
	b.ready()
	if got := eval[string](b, `param('concept')`); got != concept {
		b.fail("clicked %s, filter %s", concept, got)
	}
}

func testTrends(b *tab) {
	b.open("/?q=plateformes+&view=trends")
	b.wait("the trends chart", `!!$('#analysis svg.trends-chart polyline')`)
	var tr TrendsResponse
	b.apiGet("/api/v1/trends?series="+url.QueryEscape("q=plateformes "), &tr)
	rows := eval[int](b, `$$('#analysis .trends-table tbody tr').length`)
	circles := eval[int](b, `$$('#analysis svg circle').length`)
	if rows != len(tr.Series[0].Points) || circles != rows {
		b.fail("%d table rows, %d points drawn; API %d points", rows, circles, len(tr.Series[0].Points))
	}
	if summary := eval[string](b, `$('#trends-summary').textContent`); !strings.Contains(summary, "plateformes") {
		b.fail("summary %q", summary)
	}
	if eval[bool](b, `shown($('#results'))`) {
		b.fail("the results are shown in the trends view")
	}
	// Add the search as a series, then a second one from the search box.
	b.click("#add-series")
	b.wait("a series in the URL", `new URLSearchParams(location.search).getAll('series').length === 1`)
	b.click("#q")
	b.exec(`$('#q').value = ''`)
	b.keys("ubérisation ")
	b.keys(kb.Enter)
	b.wait("the second search", `param('q') === 'ubérisation'`)
	b.wait("its button", `!!$('#add-series') && !$('#add-series').disabled`)
	b.click("#add-series")
	b.wait("two series drawn", `new URLSearchParams(location.search).getAll('series').length === 2 && $$('#analysis svg polyline').length === 2`)
	b.shot("desktop-trends")
	if v := b.axeViolations(axeScript(b)); len(v) > 0 {
		b.fail("axe-core on the trends view: %v", v)
	}
	// Keyboard: the tabs move with the arrows.
	b.tabTo("#tab-trends", false)
	b.keys(kb.ArrowRight)
	b.wait("the contexts view", `param('view') === 'kwic' && document.activeElement.id === 'tab-kwic'`)
	// English.
	b.open("/?q=plateformes+&view=trends&ui=en")
	b.wait("the English tab", `$('#tab-trends')?.textContent === 'Trends' && !!$('#analysis svg')`)
}

func testContexts(b *tab) {
	b.open("/?q=plateformes+&view=kwic")
	b.wait("the concordance", `$$('#analysis table.kwic tbody tr').length > 0`)
	var kw KWICResponse
	b.apiGet("/api/v1/kwic?q="+url.QueryEscape("plateformes ")+"&per_page=100", &kw)
	keywords := eval[[]string](b, `$$('#analysis table.kwic td.kw').map(td => td.textContent)`)
	if len(keywords) != len(kw.Lines) {
		b.fail("%d lines shown, API %d", len(keywords), len(kw.Lines))
	}
	for i, k := range keywords {
		if k != kw.Lines[i].Keyword {
			b.fail("line %d: %q, API %q", i, k, kw.Lines[i].Keyword)
		}
	}
	b.shot("desktop-contexts")
	if v := b.axeViolations(axeScript(b)); len(v) > 0 {
		b.fail("axe-core on the contexts view: %v", v)
	}
	// Sort by the word on the left, from the keyboard.
	b.tabTo("#kwic-sort", false)
	b.exec(`(s => { s.value = 'left'; s.dispatchEvent(new Event('change')); })($('#kwic-sort'))`)
	b.wait("sorted by the left word", `param('kwic_sort') === 'left' && $('#kwic-sort')?.value === 'left'`)
	b.open("/?q=plateformes+&view=kwic&ui=en")
	b.wait("English", `$('#tab-kwic')?.textContent === 'Contexts' && $$('#analysis table.kwic tbody tr').length > 0`)
}
