package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// The search page in a real browser: headless Chromium, driven with
// chromedp, against the real handler and an index of the bundled corpus.
// The tests wait on conditions of the page, never for a fixed time, and
// save screenshots under artifacts/screenshots.

// chromiumPath returns the browser to drive: $CHROME_PATH, or the first of
// chromium, chromium-browser and google-chrome on $PATH; "" when none.
func chromiumPath() string {
	if p := os.Getenv("CHROME_PATH"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// startBrowser starts a headless Chromium for t with a fresh profile.
// Without a Chromium it skips t loudly, or fails it when
// TACHERON_REQUIRE_BROWSER=1 (as in CI).
func startBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := chromiumPath()
	if exe == "" {
		const msg = "no Chromium found (chromium, chromium-browser or google-chrome on PATH, or CHROME_PATH)"
		if os.Getenv("TACHERON_REQUIRE_BROWSER") == "1" {
			t.Fatal(msg + ", and TACHERON_REQUIRE_BROWSER=1")
		}
		t.Log(msg)
		fmt.Fprintln(os.Stderr, "*** BROWSER TESTS SKIPPED: no Chromium found ***")
		t.Skip(msg)
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("lang", "fr-FR"),
		chromedp.Env("LANGUAGE=fr_FR:fr", "LANG=fr_FR.UTF-8"),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 800),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() {
		cctx, ccancel := context.WithTimeout(ctx, 10*time.Second)
		defer ccancel()
		chromedp.Cancel(cctx)
		cancel()
		cancelAlloc()
	})
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", exe, err)
	}
	return ctx
}

// screenshotDir returns artifacts/screenshots at the module's root.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the working directory")
		}
		dir = parent
	}
	out := filepath.Join(dir, "artifacts", "screenshots")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestBrowser(t *testing.T) {
	browser := startBrowser(t)
	srv := httptest.NewServer(newTestServer(t, Options{}))
	t.Cleanup(srv.Close)
	shots := screenshotDir(t)
	start := time.Now()
	defer func() { t.Logf("browser tests took %v", time.Since(start).Round(time.Millisecond)) }()

	for _, tt := range []struct {
		name string
		// allow lists console errors the test expects: the browser logs
		// the API's error statuses.
		allow []string
		run   func(*tab)
	}{
		{"Suggestions", nil, testSuggestions},
		{"Facets", nil, testFacets},
		{"Timeline", nil, testTimeline},
		{"ReadingAndBack", nil, testReading},
		{"SharedURL", nil, testSharedURL},
		{"KeyboardOnly", nil, testKeyboard},
		{"EmptyAndErrors", []string{"status of 400", "status of 404"}, testEmptyAndErrors},
		{"Screenshots", nil, testScreenshots},
		{"Accessibility", []string{"status of 404"}, testAccessibility},
		{"Jumps", nil, testJumps},
		{"MobileFilters", nil, testMobileFilters},
		{"TimelineA11y", nil, testTimelineA11y},
		{"LayoutShift", nil, testLayoutShift},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := newTab(t, browser, srv.URL, shots)
			tt.run(b)
			b.checkConsole(tt.allow)
		})
	}
}

// A tab is a browser tab in a browser context of its own (no cookies or
// storage shared with the other tests), open on the test server.
type tab struct {
	t       *testing.T
	ctx     context.Context
	browser context.Context
	base    string
	shots   string

	mu      sync.Mutex
	console []chromedp.ConsoleMessage
}

func newTab(t *testing.T, browser context.Context, base, shots string) *tab {
	t.Helper()
	ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// The first run opens the tab, which lives as long as ctx.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 800)); err != nil {
		t.Fatal(err)
	}
	b := &tab{t: t, ctx: ctx, browser: browser, base: base, shots: shots}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			b.mu.Lock()
			b.console = append(b.console, m)
			b.mu.Unlock()
		}
	}()
	return b
}

// checkConsole fails the test for any error the page logged (a CSP
// violation is one), but those allowed.
func (b *tab) checkConsole(allow []string) {
	b.t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, m := range b.console {
		if m.Type != chromedp.ConsoleError && !m.IsException() {
			continue
		}
		if slices.ContainsFunc(allow, func(s string) bool { return strings.Contains(m.Text, s) }) {
			continue
		}
		b.t.Errorf("console: %s (%s:%d)", m, m.URL, m.Line)
	}
}

// do runs actions on the tab, each step bounded in time.
func (b *tab) do(actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.fail("%v", err)
	}
}

// helpersJS are short names for the expressions of the tests.
const helpersJS = `const $ = s => document.querySelector(s), $$ = s => [...document.querySelectorAll(s)],
	param = n => new URLSearchParams(location.search).get(n),
	idle = () => !$('#results').hasAttribute('aria-busy') && $('#total').textContent !== '',
	shown = e => !!e && e.getClientRects().length > 0;`

func js(expr string) string {
	return "(() => { " + helpersJS + " return (" + expr + "); })()"
}

// eval evaluates a JavaScript expression (with the helpers) in the tab.
func eval[T any](b *tab, expr string) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js(expr)))
	if err != nil {
		b.fail("eval %s: %v", expr, err)
	}
	return v
}

// wait waits until the expression is true in the page.
func (b *tab) wait(what, expr string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 15*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](js(expr),
		chromedp.WithPollingInterval(20*time.Millisecond), chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		b.fail("waiting for %s (%s): %v", what, expr, err)
	}
}

// fail ends the test with what the page shows, and a screenshot.
func (b *tab) fail(format string, args ...any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](js(`JSON.stringify({url: location.href,
		total: $('#total')?.textContent, message: $('#message')?.textContent, reader: $('#reader')?.textContent.slice(0, 200),
		focus: document.activeElement?.outerHTML.slice(0, 200)})`)))
	name := "FAIL-" + strings.NewReplacer("/", "-", " ", "-").Replace(b.t.Name()) + ".png"
	if png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot()); err == nil {
		os.WriteFile(filepath.Join(b.shots, name), png, 0o644)
	}
	b.t.Fatalf(format+"\npage: %s\nscreenshot: %s", append(args, state, name)...)
}

// open loads a page of the site and waits until it has answered.
func (b *tab) open(target string) {
	b.t.Helper()
	b.do(chromedp.Navigate(b.base + target))
	b.ready()
}

// ready waits until the page shows the answer to its state: results, a
// document, or an error.
func (b *tab) ready() {
	b.t.Helper()
	b.wait("the page to answer", `$('#message .error') || (param('doc')
		? !!$('#reader h2, #reader .error') && !$('#reader .pending')
		: idle())`)
}

// keys types keys into the focused element.
func (b *tab) keys(keys string, opts ...chromedp.KeyOption) {
	b.t.Helper()
	b.do(chromedp.KeyEvent(keys, opts...))
}

// tabTo presses Tab (Shift+Tab when backwards) until the focused element
// matches sel.
func (b *tab) tabTo(sel string, backwards bool) {
	b.t.Helper()
	var opts []chromedp.KeyOption
	if backwards {
		opts = append(opts, chromedp.KeyModifiers(chromedp.ModifierShift))
	}
	for range 80 {
		if eval[bool](b, fmt.Sprintf(`!!document.activeElement && document.activeElement.matches(%q)`, sel)) {
			return
		}
		b.keys(kb.Tab, opts...)
	}
	b.fail("Tab never reached %s", sel)
}

// point returns the centre of the first element matching sel, scrolled
// into view, in the viewport's coordinates.
func (b *tab) point(sel string) (x, y float64) {
	b.t.Helper()
	// The first box: a link that wraps has no text at the centre of its
	// bounding rectangle.
	p := eval[[]float64](b, fmt.Sprintf(`(e => { e.scrollIntoView({block: 'center'}); const r = e.getClientRects()[0];
		return [r.left + r.width / 2, r.top + r.height / 2]; })($(%q))`, sel))
	return p[0], p[1]
}

// click clicks the first element matching sel with the mouse.
func (b *tab) click(sel string, mods ...chromedp.Modifier) {
	b.t.Helper()
	x, y := b.point(sel)
	b.do(chromedp.MouseClickXY(x, y, chromedp.ButtonModifiers(mods...)))
}

// history goes delta entries back (-1) or forward (+1), as the browser's
// buttons do, without waiting for a load: the page handles it in place.
func (b *tab) history(delta int) {
	b.t.Helper()
	b.do(chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		h, err := cdp.Call(ctx, t, page.GetNavigationHistory, cdp.Empty{})
		if err != nil {
			return err
		}
		i := int(h.CurrentIndex) + delta
		if i < 0 || i >= len(h.Entries) {
			return errors.New("no such history entry")
		}
		_, err = cdp.Call(ctx, t, page.NavigateToHistoryEntry, page.NavigateToHistoryEntryParams{EntryID: h.Entries[i].ID})
		return err
	}))
}

// shot saves a screenshot of the viewport.
func (b *tab) shot(name string) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		b.fail("screenshot %s: %v", name, err)
	}
	if err := os.WriteFile(filepath.Join(b.shots, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// apiSearch asks the API what the page should show.
func (b *tab) apiSearch(query string) SearchResponse {
	b.t.Helper()
	var out SearchResponse
	b.apiGet("/api/v1/search?"+query, &out)
	return out
}

func (b *tab) apiGet(target string, v any) {
	b.t.Helper()
	res, err := http.Get(b.base + target)
	if err != nil {
		b.t.Fatal(err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		b.t.Fatalf("GET %s: %d", target, res.StatusCode)
	}
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		b.t.Fatalf("GET %s: %v", target, err)
	}
}

// hitIDs returns the documents listed, in order.
func (b *tab) hitIDs() []string {
	return eval[[]string](b, `$$('#hits [data-doc]').map(a => a.dataset.doc)`)
}

// checkResults checks that the page lists what the API answers to query.
func (b *tab) checkResults(query string) SearchResponse {
	b.t.Helper()
	want := b.apiSearch(query + "&per_page=10")
	if got := b.hitIDs(); !slices.Equal(got, ids(want.Hits)) {
		b.fail("for %s the page lists %v, want %v", query, got, ids(want.Hits))
	}
	total := eval[string](b, `$('#total').textContent`)
	if !strings.Contains(total, fmt.Sprint(want.Total)) {
		b.fail("for %s the page says %q, want a total of %d", query, total, want.Total)
	}
	return want
}

func testSuggestions(b *tab) {
	b.open("/")
	b.click("#q")
	b.keys("micro")
	b.wait("suggestions", `$('#q').getAttribute('aria-expanded') === 'true' && shown($('#suggestions'))
		&& $$('#suggestions [role=option]').length >= 2`)
	first := eval[string](b, `$('#suggestions [role=option]').textContent`)
	if !strings.Contains(first, "micro-travail") {
		b.fail("first suggestion %q, want the concept micro-travail", first)
	}
	b.shot("desktop-suggestions")

	// Arrows move the active option; the focus stays in the box.
	b.keys(kb.ArrowDown)
	b.wait("the first option active", `$('#q').getAttribute('aria-activedescendant') === 'suggestion-0'
		&& $('#suggestion-0').getAttribute('aria-selected') === 'true' && document.activeElement === $('#q')`)
	b.keys(kb.ArrowDown)
	b.wait("the second option active", `$('#q').getAttribute('aria-activedescendant') === 'suggestion-1'
		&& $('#suggestion-0').getAttribute('aria-selected') === 'false'`)
	b.keys(kb.ArrowUp)
	b.wait("the first option active again", `$('#q').getAttribute('aria-activedescendant') === 'suggestion-0'`)

	// Enter chooses it: a concept becomes a filter.
	b.keys(kb.Enter)
	b.wait("the concept filter", `param('concept') === 'micro-travail' && !param('q') && $('#suggestions').hidden
		&& $('#q').getAttribute('aria-expanded') === 'false' && idle()`)
	b.checkResults("concept=micro-travail")
	if !eval[bool](b, `$$('#active .chip').some(c => c.textContent.includes('micro-travail'))`) {
		b.fail("no active filter chip for micro-travail")
	}

	// Escape closes the list and keeps the text.
	b.keys("uber")
	b.wait("suggestions for uber", `$('#q').getAttribute('aria-expanded') === 'true' && $$('#suggestions [role=option]').length > 0`)
	b.keys(kb.Escape)
	b.wait("the list closed", `$('#q').getAttribute('aria-expanded') === 'false' && $('#suggestions').hidden && $('#q').value === 'uber'`)
	b.wait("the search for uber", `param('q') === 'uber' && idle()`)
	b.checkResults("q=uber&concept=micro-travail")
}

// facetCounts returns the count shown for each facet value.
func facetCounts(b *tab) map[string]string {
	return eval[map[string]string](b, `Object.fromEntries($$('#facets input').map(i => [i.dataset.key, i.closest('label').querySelector('.count').textContent]))`)
}

func testFacets(b *tab) {
	// A long facet shows its first values, and the rest on demand.
	b.open("/")
	sources := len(b.apiSearch("").Facets["source"])
	shown := eval[int](b, `$$('#facets input[data-key^="source:"]').length`)
	if shown >= sources {
		b.fail("all %d sources shown at first", sources)
	}
	b.click(`#facets [data-key="more:source"]`)
	b.wait("every source", fmt.Sprintf(`$$('#facets input[data-key^="source:"]').length === %d
		&& $('#facets [data-key="more:source"]').getAttribute('aria-expanded') === 'true'`, sources))

	b.open("/?q=travail")
	b.checkResults("q=travail")
	before := facetCounts(b)
	all := b.apiSearch("q=travail")
	if len(all.Facets["source"]) < 3 {
		b.fail("too few sources for the test: %v", all.Facets["source"])
	}
	// Tick the second source, then the third: values of a field are OR-ed.
	first, second := all.Facets["source"][1].Value, all.Facets["source"][2].Value
	b.click(fmt.Sprintf(`#facets input[data-key=%q]`, "source:"+first))
	b.wait("one source ticked", fmt.Sprintf(`param('source') === %q && idle() && $('#facets input[data-key=%q]').checked`, first, "source:"+first))
	one := b.checkResults("q=travail&source=" + url.QueryEscape(first))
	if !eval[bool](b, fmt.Sprintf(`$$('#hits .source').every(s => s.textContent === %q)`, first)) {
		b.fail("a hit is not from %s", first)
	}
	after := facetCounts(b)
	// Counts are disjunctive: the sources keep theirs, the other fields
	// count within the source.
	for _, v := range all.Facets["source"] {
		if key := "source:" + v.Value; after[key] != before[key] {
			b.fail("the count of %s changed from %s to %s", key, before[key], after[key])
		}
	}
	kinds := func(counts map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range counts {
			if strings.HasPrefix(k, "kind:") {
				out[k] = v
			}
		}
		return out
	}
	want := map[string]string{}
	for _, v := range one.Facets["kind"] {
		want["kind:"+v.Value] = fmt.Sprint(v.Count)
	}
	if got := kinds(after); !maps.Equal(got, want) {
		b.fail("the kinds show %v, want %v", got, want)
	}
	if maps.Equal(kinds(before), kinds(after)) {
		b.fail("no kind count changed: %v", kinds(after))
	}
	b.shot("desktop-facet")

	b.click(fmt.Sprintf(`#facets input[data-key=%q]`, "source:"+second))
	b.wait("two sources ticked", `new URLSearchParams(location.search).getAll('source').length === 2 && idle()`)
	two := b.checkResults("q=travail&source=" + url.QueryEscape(first) + "&source=" + url.QueryEscape(second))
	if two.Total <= one.Total {
		b.fail("two sources give %d documents, one gives %d", two.Total, one.Total)
	}

	// A chip of the active filters drops its filter.
	b.click(fmt.Sprintf(`#active [data-key=%q]`, "source:"+first))
	b.wait("the first source dropped", fmt.Sprintf(`param('source') === %q && idle()`, second))
	b.checkResults("q=travail&source=" + url.QueryEscape(second))
}

// monthSpan returns the first and last days of a YYYY-MM month.
func monthSpan(month string) (string, string) {
	t, err := time.Parse("2006-01", month)
	if err != nil {
		panic(err)
	}
	return t.Format(time.DateOnly), t.AddDate(0, 1, -1).Format(time.DateOnly)
}

func testTimeline(b *tab) {
	b.open("/")
	months := eval[[]string](b, `$$('#timeline .tl-bar').map(g => g.id.slice(3))`)
	if len(months) < 3 {
		b.fail("the timeline has %d bars, want 3 or more", len(months))
	}
	bar := func(m string) string { return fmt.Sprintf("#tl-%s .tl-hit", m) }
	span := func(from, to string) {
		b.t.Helper()
		b.wait("the span "+from+" "+to, fmt.Sprintf(`param('from') === %q && param('to') === %q && idle()`, from, to))
		b.checkResults("from=" + from + "&to=" + to)
		selected := eval[[]string](b, `$$('#timeline [aria-selected=true]').map(g => g.id.slice(3))`)
		var want []string
		for _, m := range months {
			if a, z := monthSpan(m); a >= from && z <= to {
				want = append(want, m)
			}
		}
		if !slices.Equal(selected, want) {
			b.fail("selected bars %v, want %v", selected, want)
		}
	}

	// A click selects a month, a shift-click extends to another.
	from, to := monthSpan(months[1])
	b.click(bar(months[1]))
	span(from, to)
	_, to = monthSpan(months[2])
	b.click(bar(months[2]), chromedp.ModifierShift)
	span(from, to)
	b.shot("desktop-timeline")

	// A drag selects the months it crosses.
	last := months[len(months)-1]
	x0, y := b.point(bar(last))
	x1, _ := b.point(bar(months[0]))
	b.do(
		chromedp.MouseEvent(chromedp.MousePressed, x0, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, (x0+x1)/2, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseMoved, x1, y, chromedp.ButtonLeft),
		chromedp.MouseEvent(chromedp.MouseReleased, x1, y, chromedp.ButtonLeft),
	)
	from, _ = monthSpan(months[0])
	_, to = monthSpan(last)
	span(from, to)

	// The range is in words, and a button clears it.
	if got := eval[string](b, `$('#timeline [data-role=range]').textContent`); !strings.Contains(got, "–") {
		b.fail("the range reads %q", got)
	}
	b.click("#timeline [data-role=clear]")
	b.wait("no dates", `!param('from') && !param('to') && idle() && $$('#timeline [aria-selected=true]').length === 0`)
	b.checkResults("")

	// The date fields set days.
	b.do(chromedp.SetValue(chromedp.CSS("#timeline [data-role=from]"), "2017-03-05"))
	b.exec(`$('#timeline [data-role=from]').dispatchEvent(new Event('change'))`)
	b.wait("a start day", `param('from') === '2017-03-05' && !param('to') && idle()`)
	b.checkResults("from=2017-03-05")
	if got := eval[string](b, `$('#timeline [data-role=range]').textContent`); !strings.Contains(got, "5 mars 2017") {
		b.fail("the range reads %q", got)
	}
}

func testReading(b *tab) {
	b.open("/?q=captcha")
	b.checkResults("q=captcha")
	id := b.hitIDs()[0]
	b.click("#hits [data-doc]")
	b.wait("the reading view", `shown($('#reader h2')) && !shown($('#results')) && $$('#reader .body mark').length > 0`)
	if got := eval[string](b, `param('doc') + ' ' + param('q')`); got != id+" captcha" {
		b.fail("URL has doc and q %q, want %q", got, id+" captcha")
	}
	marks := eval[[]string](b, `$$('#reader mark').map(m => m.textContent.toLowerCase())`)
	if !slices.Contains(marks, "captcha") {
		b.fail("marks %q lack captcha", marks)
	}
	if !eval[bool](b, `document.activeElement === $('#reader h2')`) {
		b.fail("the focus is not on the document's title")
	}
	b.shot("desktop-reader")

	// Back returns to the results, the focus on the link followed;
	// Forward returns to the document.
	b.history(-1)
	b.wait("the results again", `!param('doc') && !shown($('#reader')) && shown($('#hits [data-doc]')) && idle()`)
	if got := eval[string](b, `document.activeElement.dataset.doc || ''`); got != id {
		b.fail("after Back the focus is on %q, want the link to %s", got, id)
	}
	b.history(+1)
	b.wait("the document again", `param('doc') && shown($('#reader h2')) && $$('#reader .body mark').length > 0`)

	// A press review lists the mentions it cites; a mention links back
	// to its press review.
	reviews := b.apiSearch("kind=press-review")
	if reviews.Total == 0 {
		b.fail("the corpus has no press review")
	}
	review := reviews.Hits[0].ID
	var doc Document
	b.apiGet("/api/v1/documents/"+url.PathEscape(review), &doc)
	b.open("/?doc=" + url.QueryEscape(review))
	b.wait("the mentions", fmt.Sprintf(`$$('#reader .refs li').length === %d`, len(doc.Mentions)))
	b.click("#reader .refs a")
	b.wait("the mention", fmt.Sprintf(`param('doc') === %q && shown($('#reader h2')) && $$('#reader .related a').length === 1`, doc.Mentions[0].ID))
	if got := eval[string](b, `$('#reader .related a').textContent`); got != doc.Title {
		b.fail("the mention's parent link reads %q, want %q", got, doc.Title)
	}
	b.shot("desktop-mention")
	b.click("#reader .related a")
	b.wait("the press review", fmt.Sprintf(`param('doc') === %q && shown($('#reader h2'))`, review))
}

// A fingerprint is what a page shows, to compare two loads of one URL.
type fingerprint struct {
	Search  string   `json:"search"`
	Lang    string   `json:"lang"`
	Query   string   `json:"query"`
	Total   string   `json:"total"`
	Hits    []string `json:"hits"`
	Checked []string `json:"checked"`
	Bars    []string `json:"bars"`
	Sort    string   `json:"sort"`
	Page    string   `json:"page"`
	Reader  string   `json:"reader"`
	Facets  string   `json:"facets"`
}

func (b *tab) fingerprint() fingerprint {
	b.t.Helper()
	b.ready()
	return eval[fingerprint](b, `({
		search: location.search, lang: document.documentElement.lang, query: $('#q').value,
		total: $('#total').textContent, hits: $$('#hits [data-doc]').map(a => a.dataset.doc),
		checked: $$('#facets input:checked').map(i => i.dataset.key),
		bars: $$('#timeline [aria-selected=true]').map(g => g.id), sort: $('#sort').value,
		page: $('#pager [aria-current]')?.textContent || '', reader: $('#reader h2')?.textContent || '',
		facets: $$('#facets h3').map(h => h.textContent).join('|'),
	})`)
}

func (b *tab) sameFingerprint(what string, want fingerprint) {
	b.t.Helper()
	if got := b.fingerprint(); !equalJSON(got, want) {
		b.fail("%s shows\n%+v\nwant\n%+v", what, got, want)
	}
}

func equalJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func testSharedURL(b *tab) {
	// A state reached through the page: a filter, a sort, the English
	// interface, page 2.
	b.open("/")
	b.click(`#facets input[data-key="kind:mention"]`)
	b.wait("the mentions", `param('kind') === 'mention' && idle()`)
	b.do(chromedp.SetValue(chromedp.CSS("#sort"), "date"))
	b.exec(`$('#sort').dispatchEvent(new Event('change'))`)
	b.wait("oldest first", `param('sort') === 'date' && idle()`)
	b.click("#ui-lang")
	b.wait("the English interface", `document.documentElement.lang === 'en' && param('ui') === 'en' && idle()
		&& $('#facet-kind').textContent === 'Document types'`)
	b.click(`#pager a[rel=next]`)
	b.wait("page 2", `param('page') === '2' && idle()`)
	b.checkResults("kind=mention&sort=date&page=2")
	want := b.fingerprint()
	link := eval[string](b, `location.href`)

	// A reload shows the same page.
	b.do(chromedp.Reload())
	b.sameFingerprint("the reloaded page", want)

	// So does the link, opened by someone else.
	other := newTab(b.t, b.browser, b.base, b.shots)
	other.do(chromedp.Navigate(link))
	other.sameFingerprint("the shared link", want)
	other.checkConsole(nil)

	// Back walks through the states: page 1 (still in English), then
	// French… as the user had them.
	b.history(-1)
	b.wait("page 1", `!param('page') && param('kind') === 'mention' && param('sort') === 'date' && idle()`)

	// A link with every parameter, a document open.
	hit := b.apiSearch("q=travail&source=EHESS&source=Slate&from=2017-03-01&to=2017-04-30&sort=-date")
	if len(hit.Hits) == 0 {
		b.fail("no hit for the shared link")
	}
	full := "/?q=travail&source=EHESS&source=Slate&from=2017-03-01&to=2017-04-30&sort=-date&doc=" + url.QueryEscape(hit.Hits[0].ID)
	b.open(full)
	want = b.fingerprint()
	if want.Reader == "" || len(want.Checked) != 2 || len(want.Bars) != 2 {
		b.fail("the full link shows %+v", want)
	}
	b.do(chromedp.Reload())
	b.sameFingerprint("the full link reloaded", want)
}

// exec runs a statement in the page.
func (b *tab) exec(expr string) {
	b.t.Helper()
	eval[chromedp.Void](b, expr)
}

func testKeyboard(b *tab) {
	b.open("/")
	// To the search box, type, choose the term among the suggestions.
	b.tabTo("#q", false)
	b.keys("travail")
	b.wait("suggestions", `$('#q').getAttribute('aria-expanded') === 'true' && $$('#suggestions [role=option]').length > 1`)
	for i := 0; ; i++ {
		if i == 8 {
			b.fail("no term suggestion for travail")
		}
		b.keys(kb.ArrowDown)
		if eval[bool](b, `(o => !!o && o.classList.contains('kind-term') && o.querySelector('.option-text').textContent === 'travail')($('#' + $('#q').getAttribute('aria-activedescendant')))`) {
			break
		}
	}
	b.keys(kb.Enter)
	b.wait("the search for travail", `param('q') === 'travail' && $('#suggestions').hidden && idle()`)
	b.checkResults("q=travail")

	// The timeline: Home, Enter selects the first month, Shift+Right
	// extends the span, Escape clears it.
	b.tabTo("#timeline svg", false)
	months := eval[[]string](b, `$$('#timeline .tl-bar').map(g => g.id.slice(3))`)
	if len(months) < 2 {
		b.fail("the timeline has %d bars", len(months))
	}
	b.keys(kb.Home)
	b.keys(kb.Enter)
	from, to := monthSpan(months[0])
	b.wait("the first month", fmt.Sprintf(`param('from') === %q && param('to') === %q && idle()`, from, to))
	b.keys(kb.ArrowRight, chromedp.KeyModifiers(chromedp.ModifierShift))
	_, to = monthSpan(months[1])
	b.wait("two months", fmt.Sprintf(`param('from') === %q && param('to') === %q && idle() && $$('#timeline [aria-selected=true]').length === 2`, from, to))
	b.checkResults("q=travail&from=" + from + "&to=" + to)
	b.keys(kb.Escape)
	b.wait("no dates", `!param('from') && !param('to') && idle()`)

	// Back to a facet; Space ticks it and the focus stays on it.
	b.tabTo(`#facets input[data-key="kind:press"]`, true)
	b.keys(" ")
	b.wait("the kind press", `param('kind') === 'press' && idle()`)
	if !eval[bool](b, `document.activeElement.dataset.key === 'kind:press' && document.activeElement.checked`) {
		b.fail("the focus left the ticked checkbox")
	}
	b.checkResults("q=travail&kind=press")
	b.shot("desktop-keyboard")

	// Into a document with Enter, to its next marked passage, and out
	// with Escape.
	b.tabTo("#hits a[data-doc]", false)
	id := eval[string](b, `document.activeElement.dataset.doc`)
	b.keys(kb.Enter)
	b.wait("the reading view", `shown($('#reader h2')) && document.activeElement === $('#reader h2') && $$('#reader mark').length > 0`)
	b.tabTo("#reader .tools button", false)
	b.keys(kb.Enter)
	b.wait("the first marked passage", `$$('#reader mark')[0].matches('.current') && $('#reader .matches').textContent.startsWith('Passage 1 ')`)
	b.keys(kb.Enter)
	b.wait("the second marked passage", `$$('#reader mark')[1].matches('.current') && $$('#reader mark.current').length === 1
		&& document.activeElement === $('#reader .tools button')`)
	b.shot("desktop-keyboard-reader")
	b.keys(kb.Escape)
	b.wait("the results", fmt.Sprintf(`!param('doc') && !shown($('#reader')) && document.activeElement.dataset.doc === %q`, id))
}

func testEmptyAndErrors(b *tab) {
	// Nothing matches: the page says so and offers ways out, among them
	// suggestions for the beginning of the words.
	b.open("/?q=microzzz&kind=press")
	b.wait("the ways out", `shown($('.empty')) && $$('.ways button').length >= 2 && !!$('.ways .try')`)
	text := eval[string](b, `$('.empty').textContent`)
	for _, want := range []string{"microzzz", "Type", "micro"} {
		if !strings.Contains(text, want) {
			b.fail("the empty page %q lacks %q", text, want)
		}
	}
	b.shot("desktop-empty")
	b.click(".ways .try button")
	b.wait("results from a suggestion", `param('q') !== 'microzzz' && idle() && $$('#hits [data-doc]').length > 0`)

	// An invalid parameter: said in words, with a way to drop it.
	b.open("/?q=travail&from=2017-13-45")
	b.wait("the error", `shown($('#message .error'))`)
	msg := eval[string](b, `$('#message').innerText`)
	if !strings.Contains(msg, "la date de début") || strings.Contains(msg, "{") || strings.Contains(msg, "urn:") {
		b.fail("the error reads %q", msg)
	}
	b.shot("desktop-error")
	b.click("#message .error button.primary")
	b.wait("the search without from", `!param('from') && param('q') === 'travail' && idle()`)
	b.checkResults("q=travail")

	// A document that is not there.
	b.open("/?doc=no-such-document")
	b.wait("the error", `shown($('#reader .error'))`)
	if msg := eval[string](b, `$('#reader').innerText`); !strings.Contains(msg, "n’est pas (ou plus) dans l’index") {
		b.fail("the missing document reads %q", msg)
	}
}

func testScreenshots(b *tab) {
	reviews := b.apiSearch("kind=press-review")
	press := b.apiSearch("q=travail&kind=press")
	for _, vp := range []struct {
		name string
		view chromedp.Action[chromedp.Void]
	}{
		{"desktop", chromedp.EmulateViewport(1280, 800)},
		{"phone", chromedp.EmulateViewport(375, 812, chromedp.EmulateMobile, chromedp.EmulateScale(2))},
	} {
		b.do(vp.view)
		for _, p := range []struct{ name, target, click string }{
			{"home", "/", ""},
			{"results", "/?q=travail&source=EHESS&source=Slate&source=T%C3%A9l%C3%A9rama", ""},
			{"filters", "/?q=plateformes&kind=press", "#filters-toggle"},
			{"reader", "/?q=travail&doc=" + url.QueryEscape(press.Hits[0].ID), ""},
			{"press-review", "/?doc=" + url.QueryEscape(reviews.Hits[0].ID), ""},
			{"english", "/?q=microwork&ui=en", ""},
		} {
			if p.click != "" && vp.name == "desktop" {
				continue
			}
			b.open(p.target)
			if p.click != "" {
				b.click(p.click)
				b.wait("the filters", `shown($('#facets input'))`)
				b.exec(`window.scrollTo(0, 0)`)
			}
			b.shot(vp.name + "-" + p.name)
		}
		// No part of the page is wider than the screen.
		b.open("/?q=travail")
		if w := eval[[]int](b, `[document.documentElement.scrollWidth, window.innerWidth]`); w[0] > w[1] {
			b.fail("at %s the page is %d px wide in a %d px window", vp.name, w[0], w[1])
		}
	}
}
