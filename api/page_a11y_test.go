package api

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// What a newcomer to the page tripped on: the jump from the search box to
// the results, the filters' panel on a phone, the reading view's tools,
// the timeline's names and contrast, an empty result, the page's
// landmarks, layout shifts, and what axe-core finds.

// axeScript returns axe-core's script from api/webtest (npm ci there).
// Without it the test fails when TACHERON_REQUIRE_BROWSER=1 (as in CI) and
// skips loudly otherwise.
func axeScript(b *tab) string {
	b.t.Helper()
	data, err := os.ReadFile(filepath.Join("webtest", "node_modules", "axe-core", "axe.min.js"))
	if err != nil {
		msg := fmt.Sprintf("axe-core is not installed (cd api/webtest && npm ci): %v", err)
		if os.Getenv("TACHERON_REQUIRE_BROWSER") == "1" {
			b.t.Fatal(msg)
		}
		fmt.Fprintln(os.Stderr, "*** ACCESSIBILITY CHECKS SKIPPED: "+msg+" ***")
		b.t.Skip(msg)
	}
	return string(data)
}

// axeViolations runs axe-core on the page and returns its serious and
// critical violations, one line each.
func (b *tab) axeViolations(script string) []string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[chromedp.Void](script)); err != nil {
		b.fail("load axe-core: %v", err)
	}
	found, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`axe.run(document, {resultTypes: ['violations']}).then(r =>
		r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
			.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("axe.run: %v", err)
	}
	return found
}

func testAccessibility(b *tab) {
	script := axeScript(b)
	press := b.apiSearch("q=travail&kind=press")
	for _, vp := range []struct {
		name string
		view chromedp.Action[chromedp.Void]
	}{
		{"desktop", chromedp.EmulateViewport(1280, 800)},
		{"phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2))},
	} {
		b.do(vp.view)
		for _, target := range []string{
			"/",
			"/?q=travail",
			"/?q=travail&from=2017-03-01&to=2017-03-31",
			"/?q=microzzz",
			"/?q=microwork&ui=en",
			"/?q=travail&doc=" + url.QueryEscape(press.Hits[0].ID),
		} {
			b.open(target)
			for _, v := range b.axeViolations(script) {
				b.t.Errorf("%s %s: %s", vp.name, target, v)
			}
		}
	}
	b.do(chromedp.EmulateViewport(1280, 800))

	// One heading of the first level; a description for search engines
	// and link previews, in the interface's language.
	b.open("/?ui=en")
	if got := eval[[]string](b, `[String($$('h1').length), $('meta[name=description]').content]`); got[0] != "1" || !strings.Contains(got[1], "digital labor") || !strings.Contains(got[1], "search") {
		b.fail("h1 count and description: %q", got)
	}

	// An English passage of a French document is marked as English.
	b.open("/?q=workers")
	if !eval[bool](b, `$$('#hits .hit').some(li => li.querySelector('h3[lang=fr]') && li.querySelector('.snippet[lang=en]'))`) {
		b.fail("no English snippet of a French document is marked lang=en")
	}
}

func testJumps(b *tab) {
	// From the search box, one Tab reaches the jump to the results, even
	// with the suggestions open; Enter lands on the first result.
	b.open("/")
	b.tabTo("#q", false)
	b.keys("travail")
	b.wait("results and suggestions", `param('q') === 'travail' && idle() && $('#q').getAttribute('aria-expanded') === 'true'`)
	b.keys(kb.Tab)
	if !eval[bool](b, `document.activeElement === $('#to-results') && shown($('#to-results'))`) {
		b.fail("one Tab from the box does not reach a visible jump to the results")
	}
	first := b.hitIDs()[0]
	b.keys(kb.Enter)
	b.wait("the first result focused", fmt.Sprintf(`document.activeElement.dataset.doc === %q`, first))

	// The skip link goes to what the view shows: the document when one is
	// read, never the hidden results.
	b.keys(kb.Enter)
	b.wait("the reading view", `shown($('#reader h2')) && document.activeElement === $('#reader h2')`)
	if got := eval[[]string](b, `[$('#skip').getAttribute('href'), $('#to-results').getAttribute('href')]`); got[0] != "#reader" || got[1] != "#reader" {
		b.fail("in the reading view the jumps point at %q", got)
	}
	b.tabTo("#q", true)
	b.keys(kb.Tab)
	if !eval[bool](b, `document.activeElement === $('#to-results') && $('#to-results').textContent.includes('document')`) {
		b.fail("the jump after the box does not go to the document")
	}
	b.keys(kb.Enter)
	b.wait("the document's title focused", `document.activeElement === $('#reader h2')`)

	// The reading view's counter and next-passage button stay in view as
	// the passages are walked through.
	b.open("/?q=travail&doc=" + url.QueryEscape(first))
	n := eval[int](b, `$$('#reader mark').length`)
	if n < 3 {
		b.fail("only %d marks to walk through", n)
	}
	b.tabTo("#reader .tools button", false)
	for i := 1; i <= n; i++ {
		b.keys(kb.Enter)
		b.wait(fmt.Sprintf("passage %d", i), fmt.Sprintf(`$('#reader .matches').textContent.startsWith('Passage %d ')`, i))
		if !eval[bool](b, `(r => r.top >= 0 && r.bottom <= innerHeight)($('#reader .tools').getBoundingClientRect())`) {
			b.fail("at passage %d the tools are out of view", i)
		}
	}
}

func testMobileFilters(b *tab) {
	b.do(chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2)))
	b.open("/?q=travail")
	b.click("#filters-toggle")
	b.wait("the filters", `shown($('#facets input')) && shown($('#filters-done'))`)
	if !strings.Contains(eval[string](b, `$('.facet-note').textContent`), "ignorent") {
		b.fail("the panel does not say that a list's counts ignore its own ticks")
	}
	b.click(`#facets input[data-key="kind:press"]`)
	b.wait("the kind press", `param('kind') === 'press' && idle()`)
	want := b.apiSearch("q=travail&kind=press")
	if got := eval[string](b, `$('#filters-done').textContent`); !strings.Contains(got, fmt.Sprint(want.Total)) {
		b.fail("the panel's button reads %q, want the %d results", got, want.Total)
	}
	b.shot("phone-filters-done")
	b.click("#filters-done")
	b.wait("the results in view", `!shown($('#facets')) && $('#filters-toggle').getAttribute('aria-expanded') === 'false'
		&& document.activeElement === $('#results-title') && (r => r.top >= -1 && r.top < innerHeight / 2)($('#results').getBoundingClientRect())`)

	// Small screens: the English dates fit, the placeholder is whole, a
	// quotation mark keeps to its word, the time keeps to one line.
	b.open("/?q=travail&ui=en")
	fits := eval[[]bool](b, `[
		$$('.dates input').every(i => i.getBoundingClientRect().width >= 130 && i.getBoundingClientRect().right <= innerWidth),
		(i => { const c = document.createElement('canvas').getContext('2d'); const s = getComputedStyle(i);
			c.font = s.font; return c.measureText(i.placeholder).width <= i.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight); })($('#q')),
		$('#took').getClientRects().length === 1]`)
	for i, what := range []string{"the date inputs fit", "the placeholder fits", "the time is on one line"} {
		if !fits[i] {
			b.fail("at 375 px: not %s", what)
		}
	}
	b.open("/?q=travail")
	if total := eval[string](b, `$('#total').textContent`); !strings.Contains(total, "«\u00a0travail\u00a0»") {
		b.fail("the total %q separates the quotation marks from the word", total)
	}
	b.do(chromedp.EmulateViewport(1280, 800))
}

func testTimelineA11y(b *tab) {
	// Bars outside a chosen period keep a contrast of 3:1 against the
	// chart's background.
	b.open("/?q=travail&from=2017-03-01&to=2017-03-31")
	ratio := eval[float64](b, `(() => {
		const lum = c => { const [r, g, bl] = c.match(/\d+/g).slice(0, 3).map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
			return 0.2126 * r + 0.7152 * g + 0.0722 * bl; };
		const off = $$('#timeline .tl-bar[aria-selected=false] .tl-fill').find(r => r.getAttribute('height') > 0);
		if (!off) return 0;
		const bg = getComputedStyle($('#timeline')).backgroundColor;
		const a = lum(getComputedStyle(off).fill), c = lum(bg);
		return (Math.max(a, c) + 0.05) / (Math.min(a, c) + 0.05);
	})()`)
	if ratio < 3 {
		b.fail("bars outside the period have a contrast of %.2f:1", ratio)
	}
	// An option's name holds no text the bar does not show: the counts
	// and months are drawn apart, hidden from assistive technology.
	if eval[bool](b, `$$('#timeline .tl-bar').some(g => g.querySelector('text'))`) {
		b.fail("a bar option holds visible text")
	}

	// An empty result draws no axis to click, and no help to click it.
	b.open("/?q=microzzz")
	if got := eval[[]string](b, `[String($$('#timeline .tl-bar').length), $('#timeline svg').getAttribute('role'), String(shown($('#timeline-help')))]`); got[0] != "0" || got[1] != "img" || got[2] != "false" {
		b.fail("the empty timeline: %q bars, role %q, help shown %q", got[0], got[1], got[2])
	}
}

func testLayoutShift(b *tab) {
	// Results arriving shift nothing that was in view: the footer starts
	// below the fold.
	b.open("/?q=travail")
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	type shift struct {
		Sum     float64  `json:"sum"`
		Sources []string `json:"sources"`
	}
	cls, err := chromedp.Run(ctx, chromedp.Evaluate[shift](`new Promise(done => {
		let sum = 0; const sources = [];
		new PerformanceObserver(list => {
			for (const e of list.getEntries()) {
				if (e.hadRecentInput) continue;
				sum += e.value;
				for (const s of e.sources || []) sources.push((s.node?.id || s.node?.className || s.node?.nodeName || '?') + ' ' + e.value.toFixed(3));
			}
		}).observe({type: 'layout-shift', buffered: true});
		setTimeout(() => done({sum, sources}), 300);
	})`, chromedp.EvalAwaitPromise))
	if err != nil {
		b.fail("measure the layout shift: %v", err)
	}
	if cls.Sum > 0.05 {
		b.fail("cumulative layout shift %.3f while results arrive: %q", cls.Sum, cls.Sources)
	}
}
