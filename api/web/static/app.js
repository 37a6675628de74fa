// The search page: a search box with suggestions, results with facets and
// a timeline, and a reading view, all driven by the JSON API. The whole
// state lives in the URL's query string, so a link reproduces the page
// and Back and Forward walk through the searches.

import { h, setMarked, replace, keepFocus, plainClick } from './dom.js';
import { I18n, langs } from './i18n.js';
import { Combobox } from './combobox.js';
import { Timeline } from './timeline.js';
import { Analysis, viewOf } from './analysis.js';

// fields are the facets, each a repeatable filter of the API.
const fields = ['source', 'concept', 'kind', 'lang', 'author', 'tag'];
const searchKeys = ['q', ...fields, 'from', 'to', 'sort'];
const perPage = 10;
const maxWindow = 10000;
const facetShown = 8;
const debounceMs = 150;
const storageKey = 'tacheron.ui';
// viewFacets are the facets each view draws, the only ones its searches
// ask for: the panels, and the timeline's bars but in the trends view (its
// chart is by period). The reading view asks for the view's beneath it.
const viewFacets = {
  '': [...fields, 'date'],
  kwic: [...fields, 'date'],
  trends: fields,
};

const $ = id => document.getElementById(id);
const el = {
  main: $('main'), form: $('search'), q: $('q'), uiLang: $('ui-lang'),
  filtersToggle: $('filters-toggle'), filtersCount: $('filters-count'), facets: $('facets'),
  content: $('content'), results: $('results'), resultsTitle: $('results-title'), total: $('total'), took: $('took'),
  sort: $('sort'), active: $('active'), message: $('message'), hits: $('hits'), pager: $('pager'), reader: $('reader'),
  skip: $('skip'), toResults: $('to-results'), filtersDone: $('filters-done'),
};

// page is all that changes: the words, the URL's state (st), the results
// shown (result, for searchKey), the document shown (docKey; lastDoc gets
// the focus back), requests in flight (ctl), and the corpus's concepts and
// months, fetched again after a reindex.
const page = {
  i18n: new I18n(initialLang()),
  st: parseState(location.search),
  result: null,
  searchKey: '',
  docKey: '',
  lastDoc: '',
  ctl: {},
  typingTimer: 0,
  focusResults: false,
  expanded: new Set(),
  corpus: { generation: '', labels: new Map() },
};

// restart aborts the request of a kind in flight, for a new one.
function restart(kind) {
  page.ctl[kind]?.abort();
  page.ctl[kind] = new AbortController();
  return page.ctl[kind];
}

// current reports whether ctl is the latest of its kind.
function current(kind, ctl) { return page.ctl[kind] === ctl; }

// loadCorpus fetches the concepts' labels and the corpus's months.
function loadCorpus() {
  page.corpus.labelsLoaded = loadConcepts();
  page.corpus.months = loadCorpusMonths();
}

// noteGeneration compares an answer's X-Index-Generation with the last
// seen: after a reindex, the concepts and months are fetched again.
function noteGeneration(generation) {
  if (!generation || generation === page.corpus.generation) return;
  const known = page.corpus.generation !== '';
  page.corpus.generation = generation;
  if (known) loadCorpus();
}

loadCorpus();

// ---- State and URL ----

function emptyState() {
  return { q: '', source: [], concept: [], kind: [], lang: [], author: [], tag: [], from: '', to: '', sort: '', page: 1, doc: '', view: '', series: [], kwicSort: '' };
}

function parseState(search) {
  const p = new URLSearchParams(search);
  const st = emptyState();
  st.q = (p.get('q') || '').trim();
  for (const f of fields) st[f] = [...new Set(p.getAll(f).filter(Boolean))];
  st.from = p.get('from') || '';
  st.to = p.get('to') || '';
  st.sort = p.get('sort') || '';
  const page = Number(p.get('page'));
  st.page = Number.isInteger(page) && page > 0 ? page : 1;
  st.doc = p.get('doc') || '';
  st.view = p.get('view') || '';
  st.series = p.getAll('series').filter(Boolean).slice(0, 5);
  st.kwicSort = p.get('kwic_sort') || '';
  return st;
}

function initialLang() {
  const fromURL = new URLSearchParams(location.search).get('ui');
  if (langs.includes(fromURL)) return fromURL;
  try {
    const stored = localStorage.getItem(storageKey);
    if (langs.includes(stored)) return stored;
  } catch { /* no storage: the default */ }
  return langs[0];
}

// params returns the search parameters of st, in a stable order.
function params(st, withDoc) {
  const p = new URLSearchParams();
  if (st.q) p.set('q', st.q);
  for (const f of fields) for (const v of st[f]) p.append(f, v);
  if (st.from) p.set('from', st.from);
  if (st.to) p.set('to', st.to);
  if (st.sort) p.set('sort', st.sort);
  if (st.page > 1) p.set('page', st.page);
  if (withDoc && st.doc) p.set('doc', st.doc);
  return p;
}

function pageURL(st) {
  const p = params(st, true);
  if (st.view) p.set('view', st.view);
  for (const sr of st.series || []) p.append('series', sr);
  if (st.kwicSort) p.set('kwic_sort', st.kwicSort);
  if (page.i18n.lang !== langs[0]) p.set('ui', page.i18n.lang);
  const qs = p.toString();
  return qs ? `/?${qs}` : '/';
}

// apiSearchParams are the parameters of the page's search.
function apiSearchParams(st) {
  const p = params(st, false);
  p.set('per_page', perPage);
  p.set('label_lang', page.i18n.lang);
  p.set('facets', viewFacets[viewOf(st)].join(','));
  return p;
}

// drawsDates reports whether the view of st draws the timeline's bars.
function drawsDates(st) {
  return viewFacets[viewOf(st)].includes('date');
}

function hasFilters(st) {
  return fields.some(f => st[f].length) || !!st.from || !!st.to;
}

// navigate moves to the state patched, as a new history entry, or in
// place of the current one (replace, or typing over a typing entry).
function navigate(patch, { replace: inPlace = false, typing = false, syncInput = true } = {}) {
  const next = { ...page.st, ...patch };
  if (!('page' in patch) && searchKeys.some(k => k in patch)) next.page = 1;
  const url = pageURL(next);
  const entry = { typing, fromResults: !!next.doc && !page.st.doc };
  if (inPlace || (typing && history.state?.typing)) history.replaceState(entry, '', url);
  else if (url !== location.pathname + location.search) history.pushState(entry, '', url);
  page.st = next;
  update(syncInput);
}

// The interface's language is a preference, not a step of the history:
// Back keeps it, and the URL is brought in line.
window.addEventListener('popstate', () => {
  page.st = parseState(location.search);
  const url = pageURL(page.st);
  if (url !== location.pathname + location.search) history.replaceState(history.state, '', url);
  update(true);
});

// update brings the page to the state: the results, and the document
// when one is open.
function update(syncInput) {
  if (syncInput && el.q.value.trim() !== page.st.q) el.q.value = page.st.q;
  el.sort.value = page.st.sort || (page.st.q ? 'relevance' : '-date');
  el.sort.querySelector('[value=relevance]').disabled = !page.st.q;
  const key = apiSearchParams(page.st).toString();
  if (key !== page.searchKey) {
    page.searchKey = key;
    search(page.st);
  }
  analysis.show(page.st);
  timeline.drawBars(drawsDates(page.st));
  if (page.st.doc) showDoc();
  else hideDoc();
  labelJumps();
}

// labelJumps points the skip link and the jump after the search box at
// what the view shows: the results, or the document being read.
function labelJumps() {
  const reading = !!page.st.doc;
  el.skip.href = el.toResults.href = reading ? '#reader' : '#results';
  el.skip.textContent = page.i18n.t(reading ? 'skipReader' : 'skip');
  el.toResults.textContent = page.i18n.t(reading ? 'toReader' : 'toResults');
}

// jump moves the focus from the search box (or the skip link) to what the
// view shows: the first result, the results' heading when there is none,
// or the document's title.
function jump(e) {
  e.preventDefault();
  const target = page.st.doc
    ? el.reader.querySelector('h2') || el.reader
    : el.hits.querySelector('a[data-doc]') || el.resultsTitle;
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: 'center' });
}

// ---- API ----

class APIError extends Error {
  constructor(status, problem) {
    super(problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

async function api(url, signal) {
  let res;
  try {
    res = await fetch(url, { signal, headers: { Accept: 'application/json' } });
  } catch (err) {
    if (err.name === 'AbortError') throw err;
    throw new APIError(0, null);
  }
  if (res.ok) {
    noteGeneration(res.headers.get('X-Index-Generation'));
    return res.json();
  }
  let problem = null;
  try {
    problem = await res.json();
  } catch { /* not a problem document */ }
  throw new APIError(res.status, problem);
}

function aborted(err) { return err?.name === 'AbortError'; }

// loadConcepts fetches the concepts' labels in the interface's language.
async function loadConcepts() {
  const lang = page.i18n.lang;
  try {
    const list = await api(`/api/v1/concepts?label_lang=${lang}`);
    if (lang === page.i18n.lang) page.corpus.labels = new Map(list.map(c => [c.id, c.label]));
  } catch { /* chips fall back to the ids */ }
}

// loadCorpusMonths returns the first and last months of the whole corpus:
// the timeline's axis stays put while the filters change.
async function loadCorpusMonths() {
  try {
    const r = await api('/api/v1/search?per_page=1&facets=date');
    const months = r.facets.date.map(d => d.value).filter(m => /^\d{4}-\d{2}$/.test(m));
    return months.length ? [months[0], months[months.length - 1]] : null;
  } catch {
    return null; // the axis follows the results
  }
}

function conceptLabel(id) { return page.corpus.labels.get(id) || id; }

// ---- Search and results ----

async function search(st) {
  page.ctl.extras?.abort();
  const ctl = restart('search');
  el.results.setAttribute('aria-busy', 'true');
  const slow = setTimeout(() => el.results.classList.add('loading'), 200);
  try {
    const data = await api(`/api/v1/search?${apiSearchParams(st)}`, ctl.signal);
    // After a reindex, the new concepts and months first.
    const [, months] = await Promise.all([page.corpus.labelsLoaded, page.corpus.months]);
    if (!current('search', ctl)) return;
    page.result = data;
    renderResults(data, st, months);
  } catch (err) {
    if (!current('search', ctl) || aborted(err)) return;
    page.searchKey = '';
    page.result = null;
    renderSearchError(err);
  } finally {
    clearTimeout(slow);
    if (current('search', ctl)) {
      el.results.removeAttribute('aria-busy');
      el.results.classList.remove('loading');
    }
  }
}

function renderResults(data, st, months) {
  const { i18n } = page;
  el.content.classList.remove('failed');
  for (const c of data.facets.concept || []) if (c.label) page.corpus.labels.set(c.value, c.label);
  el.total.textContent = i18n.t('total', data.total, st.q);
  el.took.textContent = i18n.t('took', i18n.ms(data.took_ms));
  replace(el.message);
  renderActive(st);
  if (!data.total) {
    renderEmpty(st);
  } else if (!data.hits.length) {
    replace(el.hits);
    replace(el.message, h('div', { class: 'notice' }, h('p', { text: i18n.t('noPage') }),
      h('button', { type: 'button', onclick: () => navigate({ page: 1 }) }, i18n.t('firstPage'))));
  } else {
    replace(el.hits, data.hits.map(hit => renderHit(hit, st)));
  }
  analysis.results(st, data, n => i18n.num(n));
  renderPager(data, st);
  renderFacets(data.facets, st);
  timeline.update(drawsDates(st) ? data.facets.date || [] : null, st.from, st.to, i18n, months);
  const n = fields.reduce((n, f) => n + st[f].length, 0) + (st.from || st.to ? 1 : 0);
  el.filtersCount.textContent = n ? i18n.num(n) : '';
  el.filtersDone.textContent = i18n.t('showResults', data.total, i18n.num(data.total));
  if (!page.st.doc) document.title = st.q ? `${st.q} — tacheron` : i18n.t('docTitle');
  if (page.focusResults) {
    page.focusResults = false;
    el.resultsTitle.focus({ preventScroll: true });
    el.results.scrollIntoView({ block: 'start' });
  }
}

function renderHit(hit, st) {
  const { i18n } = page;
  const titleHTML = hit.highlights.title[0];
  const link = h('a', { href: pageURL({ ...st, doc: hit.id }), class: 'hit-link', 'data-doc': hit.id, 'data-key': `doc:${hit.id}` });
  if (titleHTML) setMarked(link, titleHTML);
  else link.textContent = hit.title;
  link.addEventListener('click', e => {
    if (!plainClick(e)) return;
    e.preventDefault();
    navigate({ doc: hit.id });
  });
  // Each snippet in its paragraph's language: an English passage of a
  // French document is read as English.
  const snippets = hit.highlights.body.map((text, i) => ({ text, lang: hit.highlights.body_lang?.[i] || hit.lang }))
    .filter(sn => sn.text !== titleHTML).slice(0, 3);
  const shownConcepts = 6;
  return h('li', { class: 'hit' },
    h('p', { class: 'meta' },
      h('span', { class: `kind kind-${hit.kind}`, text: i18n.kind(hit.kind) }),
      h('span', { class: 'source', text: hit.source }),
      hit.authors && hit.authors.length ? h('span', { class: 'authors', text: hit.authors.join(', ') }) : null,
      h('time', { datetime: hit.date, text: i18n.day(hit.date) }),
      h('span', { class: 'doc-lang', text: i18n.langName(hit.lang) })),
    h('h3', { lang: hit.lang }, link),
    snippets.map(sn => setMarked(h('p', { class: 'snippet', lang: sn.lang }), sn.text)),
    hit.also_in && hit.also_in.length ? h('p', { class: 'also-in' }, i18n.t('alsoIn'), ' ',
      hit.also_in.flatMap((r, i) => [i ? ', ' : '', docLink(r), ` (${r.source})`])) : null,
    hit.concepts.length ? h('ul', { class: 'chips', 'aria-label': i18n.t('conceptsOf') },
      hit.concepts.slice(0, shownConcepts).map(c => h('li', { class: st.concept.includes(c) ? 'chip on' : 'chip', text: conceptLabel(c) })),
      hit.concepts.length > shownConcepts ? h('li', { class: 'chip more', text: i18n.t('moreConcepts', hit.concepts.length - shownConcepts) }) : null) : null,
    hit.tags && hit.tags.length ? h('ul', { class: 'chips tags', 'aria-label': i18n.t('tagsOf') },
      hit.tags.slice(0, shownConcepts).map(t => h('li', { class: st.tag.includes(t) ? 'chip on' : 'chip', text: t }))) : null);
}

function facetLabel(field, value, label) {
  switch (field) {
    case 'concept': return label || conceptLabel(value);
    case 'kind': return page.i18n.kind(value);
    case 'lang': return page.i18n.langName(value);
  }
  return value;
}

// activeFilters lists the filters of st, each with the patch that drops it.
function activeFilters(st) {
  const { i18n } = page;
  const out = [];
  for (const f of fields) {
    for (const v of st[f]) {
      out.push({ key: `${f}:${v}`, label: i18n.t('label', i18n.s.filterName[f], facetLabel(f, v)), patch: { [f]: st[f].filter(x => x !== v) } });
    }
  }
  if (st.from || st.to) {
    out.push({ key: 'dates', label: i18n.t('dates', st.from && i18n.day(st.from), st.to && i18n.day(st.to)), patch: { from: '', to: '' } });
  }
  return out;
}

function clearFilters() {
  const patch = { from: '', to: '' };
  for (const f of fields) patch[f] = [];
  return patch;
}

function renderActive(st) {
  const filters = activeFilters(st);
  el.active.hidden = !filters.length;
  keepFocus(el.active, () => replace(el.active, filters.length ? [
    h('span', { class: 'label', text: page.i18n.t('activeFilters') }),
    filters.map(f => h('button', {
      type: 'button', class: 'chip removable', 'data-key': f.key, 'aria-label': page.i18n.t('removeFilter', f.label),
      onclick: () => navigate(f.patch),
    }, f.label, h('span', { class: 'x', 'aria-hidden': 'true' }, '×'))),
    filters.length > 1 ? h('button', { type: 'button', class: 'link', 'data-key': 'clear-all', onclick: () => navigate(clearFilters()) }, page.i18n.t('clearAll')) : null,
  ] : []), el.resultsTitle);
}

function renderEmpty(st) {
  const { i18n } = page;
  const ways = h('ul', { class: 'ways' });
  const way = (label, patch) => h('li', {}, h('button', { type: 'button', onclick: () => navigate(patch) }, label));
  for (const f of activeFilters(st)) ways.append(way(i18n.t('dropFilter', f.label), f.patch));
  const whole = way(i18n.t('wholeCorpus'), { q: '', ...clearFilters() });
  ways.append(whole);
  const box = h('div', { class: 'empty' },
    h('p', { class: 'empty-title', text: i18n.t('emptyTitle', st.q) }),
    h('p', { text: i18n.t('emptyHelp') }), ways);
  replace(el.hits, h('li', { class: 'empty-item' }, box));
  const ctl = restart('extras');
  // Ways that need a question to the API: the same query without any
  // filter, and suggestions for the words.
  if (st.q && hasFilters(st)) {
    const p = new URLSearchParams({ q: st.q, per_page: 1, facets: '' });
    api(`/api/v1/search?${p}`, ctl.signal).then(r => {
      if (r.total > 0) ways.prepend(h('li', {}, h('button', { type: 'button', class: 'primary', onclick: () => navigate(clearFilters()) }, i18n.t('withoutFilters', r.total))));
    }, () => {});
  }
  if (st.q) {
    alternatives(st.q, ctl.signal).then(items => {
      if (!items.length) return;
      const li = h('li', { class: 'try' }, h('span', { text: i18n.t('trySuggestion') }));
      for (const it of items) {
        li.append(h('button', { type: 'button', class: 'chip', onclick: () => chooseSuggestion(it) }, it.text));
      }
      whole.before(li);
    }, () => {});
  }
}

// alternatives asks for suggestions for a query that found nothing,
// from shorter and shorter beginnings of it.
async function alternatives(q, signal) {
  const low = q.toLowerCase();
  const tries = [...new Set([q, q.slice(0, Math.max(3, Math.ceil(q.length * 0.6))), q.slice(0, 3)])].filter(t => t.length >= 2);
  for (const t of tries) {
    const p = new URLSearchParams({ q: t, limit: 6, label_lang: page.i18n.lang });
    const items = (await api(`/api/v1/suggest?${p}`, signal)).filter(it => it.kind !== 'title' && it.text.toLowerCase() !== low);
    if (items.length) return items.slice(0, 4);
  }
  return [];
}

function renderPager(data, st) {
  const pages = Math.ceil(Math.min(data.total, maxWindow) / perPage);
  if (pages <= 1 || !data.hits.length) {
    replace(el.pager);
    return;
  }
  const cur = st.page;
  const link = (p, text, attrs = {}) => h('a', {
    href: pageURL({ ...st, page: p }), 'data-key': `page:${text}`, ...attrs,
    onclick: e => {
      if (!plainClick(e)) return;
      e.preventDefault();
      page.focusResults = true;
      navigate({ page: p });
    },
  }, text);
  const items = [];
  if (cur > 1) items.push(link(cur - 1, `‹ ${page.i18n.t('prev')}`, { rel: 'prev', class: 'step' }));
  let gap = false;
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - cur) <= 2) {
      items.push(p === cur
        ? link(p, String(p), { 'aria-current': 'page', 'aria-label': page.i18n.t('pageN', p), class: 'current' })
        : link(p, String(p), { 'aria-label': page.i18n.t('pageN', p) }));
      gap = false;
    } else if (!gap) {
      items.push(h('span', { class: 'gap', 'aria-hidden': 'true' }, '…'));
      gap = true;
    }
  }
  if (cur < pages) items.push(link(cur + 1, `${page.i18n.t('next')} ›`, { rel: 'next', class: 'step' }));
  keepFocus(el.pager, () => replace(el.pager, items));
}

function renderFacets(facets, st) {
  // A corpus without authors or tags shows no empty facet for them.
  const shown = fields.filter(f => (f !== 'author' && f !== 'tag') || (facets[f] || []).length || st[f].length);
  keepFocus(el.facets, () => replace(el.facets, shown.map(f => renderFacet(f, facets[f] || [], st[f]))));
}

function renderFacet(field, values, selected) {
  const { i18n } = page;
  const all = [...values];
  for (const v of selected) if (!all.some(x => x.value === v)) all.push({ value: v, count: 0 });
  const folded = all.length > facetShown + 2 && !page.expanded.has(field);
  const shown = folded ? all.filter((v, i) => i < facetShown || selected.includes(v.value)) : all;
  const titleID = `facet-${field}`;
  return h('section', { class: 'facet', 'aria-labelledby': titleID },
    h('div', { class: 'facet-head' },
      h('h3', { id: titleID, text: i18n.s.facet[field] }),
      selected.length ? h('button', { type: 'button', class: 'link', 'data-key': `clear:${field}`, onclick: () => navigate({ [field]: [] }) }, i18n.t('clearField')) : null),
    all.length ? h('ul', { class: 'values', 'aria-labelledby': titleID }, shown.map(v => {
      const on = selected.includes(v.value);
      return h('li', {},
        h('label', { class: v.count || on ? 'value' : 'value zero' },
          h('input', {
            type: 'checkbox', checked: on, 'data-key': `${field}:${v.value}`,
            onchange: e => navigate({ [field]: e.target.checked ? [...page.st[field], v.value] : page.st[field].filter(x => x !== v.value) }),
          }),
          h('span', { class: 'name', text: facetLabel(field, v.value, v.label) }),
          h('span', { class: 'count', text: i18n.num(v.count) })));
    })) : h('p', { class: 'none', text: i18n.t('noValues') }),
    all.length > facetShown + 2 ? h('button', {
      type: 'button', class: 'link more', 'data-key': `more:${field}`, 'aria-expanded': String(!folded),
      onclick: () => {
        if (folded) page.expanded.add(field);
        else page.expanded.delete(field);
        if (page.result) renderFacets(page.result.facets, page.st);
      },
    }, folded ? i18n.t('showMore', all.length - shown.length) : i18n.t('showLess')) : null);
}

// ---- Errors ----

function renderSearchError(err) {
  el.content.classList.add('failed');
  replace(el.hits);
  replace(el.pager);
  el.total.textContent = '';
  el.took.textContent = '';
  renderActive(page.st);
  replace(el.message, errorBox(err, () => { page.searchKey = ''; update(false); }));
}

// errorBox says what went wrong in words, never with the raw response,
// and offers what can be done about it.
function errorBox(err, retry) {
  const { i18n } = page;
  const p = err.problem || {};
  const status = err.status ?? 0;
  const param = i18n.s.param[p.param] || `« ${p.param} »`;
  let text;
  if (status === 0) text = i18n.t('errNetwork');
  else if (status === 400 && p.param) text = i18n.t('errParam', param);
  else if (status === 404) text = i18n.t('errNotFound');
  else if (status === 503) text = i18n.t('errUnavailable');
  else if ([413, 414, 431].includes(status)) text = i18n.t('errTooLarge');
  else text = i18n.t('errOther', status);
  const actions = h('p', { class: 'actions' });
  const fix = status === 400 ? dropParam(p.param) : null;
  if (fix) actions.append(h('button', { type: 'button', class: 'primary', onclick: () => navigate(fix) }, i18n.t('removeParam', param)));
  if (status !== 400 && status !== 404) actions.append(h('button', { type: 'button', class: 'primary', onclick: retry }, i18n.t('retry')));
  actions.append(h('button', { type: 'button', onclick: () => navigate({ ...emptyState() }) }, i18n.t('reset')));
  return h('div', { class: 'error' },
    h('p', { class: 'error-title', text: i18n.t('errTitle') }),
    h('p', { text }),
    actions,
    p.detail ? h('details', {}, h('summary', { text: i18n.t('errDetails') }), h('p', { class: 'detail', text: p.detail })) : null);
}

// dropParam returns the patch that removes a refused parameter.
function dropParam(param) {
  if (fields.includes(param)) return { [param]: [] };
  if (['q', 'from', 'to', 'sort'].includes(param)) return { [param]: '' };
  if (param === 'page') return { page: 1 };
  return null;
}

// ---- Reading view ----

async function showDoc() {
  const key = `${page.st.doc}\n${page.st.q}\n${page.i18n.lang}`;
  el.main.classList.add('reading');
  el.reader.hidden = false;
  if (key === page.docKey) return;
  page.docKey = key;
  page.lastDoc = page.st.doc;
  const ctl = restart('doc');
  replace(el.reader, h('p', { class: 'pending', text: page.i18n.t('loading') }));
  try {
    const q = page.st.q ? `?${new URLSearchParams({ q: page.st.q })}` : '';
    const doc = await api(`/api/v1/documents/${encodeURIComponent(page.st.doc)}${q}`, ctl.signal);
    if (!current('doc', ctl)) return;
    renderDoc(doc);
  } catch (err) {
    if (!current('doc', ctl) || aborted(err)) return;
    page.docKey = '';
    replace(el.reader, h('p', {}, backLink()), errorBox(err, () => { page.docKey = ''; showDoc(); }));
  }
  window.scrollTo(0, 0);
  (el.reader.querySelector('h2') || el.reader).focus({ preventScroll: true });
}

function hideDoc() {
  if (!el.main.classList.contains('reading')) return;
  // The focus follows the reader back to the results, but stays where
  // it is elsewhere (in the search box, typing).
  const lost = el.reader.contains(document.activeElement) || document.activeElement === document.body;
  page.ctl.doc?.abort();
  page.docKey = '';
  el.main.classList.remove('reading');
  el.reader.hidden = true;
  replace(el.reader);
  const link = [...el.hits.querySelectorAll('[data-doc]')].find(a => a.dataset.doc === page.lastDoc);
  if (lost) (link || el.resultsTitle).focus();
  if (!page.st.doc) document.title = page.st.q ? `${page.st.q} — tacheron` : page.i18n.t('docTitle');
}

// back leaves the reading view: back in history when the results are the
// entry before, else to the results as a new entry.
function back() {
  if (history.state?.fromResults) history.back();
  else navigate({ doc: '' });
}

function backLink() {
  return h('a', {
    href: pageURL({ ...page.st, doc: '' }), class: 'back',
    onclick: e => {
      if (!plainClick(e)) return;
      e.preventDefault();
      back();
    },
  }, h('span', { 'aria-hidden': 'true' }, '← '), page.i18n.t('back'));
}

function docLink(ref) {
  return h('a', {
    href: pageURL({ ...page.st, doc: ref.id }),
    onclick: e => {
      if (!plainClick(e)) return;
      e.preventDefault();
      navigate({ doc: ref.id });
    },
  }, ref.title);
}

function renderDoc(doc) {
  const { i18n } = page;
  const title = h('h2', { id: 'reader-title', tabindex: '-1', lang: doc.title_lang || doc.lang });
  if (doc.title_html) setMarked(title, doc.title_html);
  else title.textContent = doc.title;
  const body = h('div', { class: 'body' }, doc.paragraphs.map(p => {
    const para = h('p', { lang: p.lang || doc.lang });
    if (p.html) setMarked(para, p.html);
    else para.textContent = p.text;
    return para;
  }));
  const marks = [...title.querySelectorAll('mark'), ...body.querySelectorAll('mark')];
  const count = h('span', { class: 'matches', 'aria-live': 'polite', text: i18n.t('readerMatches', marks.length) });
  let at = -1;
  // nextMatch shows the next marked passage; the focus stays on the
  // button, so that Enter goes on to the one after.
  const nextMatch = () => {
    marks[at]?.classList.remove('current');
    at = (at + 1) % marks.length;
    const m = marks[at];
    m.classList.add('current');
    m.scrollIntoView({ block: 'center' });
    count.textContent = i18n.t('matchAt', at + 1, marks.length);
  };
  const label = doc.lang ? i18n.langName(doc.lang) : '';
  const mentions = doc.mentions.length ? h('section', { class: 'related mentions' },
    h('h3', { text: i18n.t('mentions', doc.mentions.length) }),
    h('ol', { class: 'refs' }, doc.mentions.map(m => h('li', {}, docLink(m), h('span', { class: 'ref-meta', text: `${m.source} · ${i18n.day(m.date)}` }))))) : null;
  document.title = `${doc.title} — tacheron`;
  replace(el.reader,
    h('p', { class: 'reader-nav' }, backLink()),
    h('header', { class: 'reader-head' },
      h('p', { class: 'meta' },
        h('span', { class: `kind kind-${doc.kind}`, text: i18n.kind(doc.kind) }),
        h('span', { class: 'source', text: doc.source }),
        h('time', { datetime: doc.date, text: i18n.day(doc.date) }),
        label ? h('span', { class: 'doc-lang', text: label }) : null),
      title,
      doc.authors && doc.authors.length ? h('p', { class: 'authors', text: i18n.t('label', i18n.t('byAuthors'), doc.authors.join(', ')) }) : null,
      doc.section ? h('p', { class: 'section', text: i18n.t('label', i18n.t('section'), doc.section) }) : null,
      doc.date_from && doc.date_to ? h('p', { class: 'period', text: i18n.t('period', i18n.day(doc.date_from), i18n.day(doc.date_to)) }) : null,
      doc.concepts.length ? h('ul', { class: 'chips', 'aria-label': i18n.t('conceptsOf') }, doc.concepts.map(c => {
        const name = c.labels[i18n.lang] || c.labels.fr || c.id;
        return h('li', { class: page.st.concept.includes(c.id) ? 'chip on' : 'chip', title: c.words.length ? i18n.t('triggeredBy', c.words.join(', ')) : null }, name);
      })) : null,
      doc.tags && doc.tags.length ? h('ul', { class: 'chips tags', 'aria-label': i18n.t('tagsOf') }, doc.tags.map(t =>
        h('li', { class: page.st.tag.includes(t) ? 'chip on' : 'chip' }, t))) : null),
    // The tools follow the reader down the text (sticky), so they sit
    // beside the header, not in it.
    h('p', { class: 'tools' },
      page.st.q ? count : null,
      marks.length ? h('button', { type: 'button', class: 'small', onclick: nextMatch }, i18n.t('nextMatch'), h('span', { 'aria-hidden': 'true' }, ' ↓')) : null,
      doc.url ? h('a', { href: doc.url, class: 'external', rel: 'noopener noreferrer', target: '_blank' }, i18n.t('original'), h('span', { 'aria-hidden': 'true' }, ' ↗')) : null),
    // A press review's mentions come first: they are its text, as links.
    mentions,
    doc.paragraphs.length ? body : h('p', { class: 'note', text: i18n.t('mentionOnly') }),
    doc.parent ? h('section', { class: 'related' },
      h('h3', { text: i18n.t('parent') }),
      h('p', {}, docLink(doc.parent), ' ', h('span', { class: 'ref-meta', text: `${doc.parent.source} · ${i18n.day(doc.parent.date)}` }))) : null,
    doc.reprints && doc.reprints.length ? h('section', { class: 'related reprints' },
      h('h3', { text: i18n.t('reprints', doc.reprints.length) }),
      h('ol', { class: 'refs' }, doc.reprints.map(r => h('li', {}, docLink(r), h('span', { class: 'ref-meta', text: `${r.source} · ${i18n.day(r.date)}` }))))) : null,
    doc.origin ? h('p', { class: 'origin' }, i18n.t('label', i18n.t('origin'), ''), h('code', { text: doc.origin })) : null);
}

// ---- Search box and suggestions ----

const combo = new Combobox(el.q, $('suggestions'), $('suggest-status'), {
  describe(item) {
    const typed = el.q.value.trim();
    const text = item.text.toLowerCase().startsWith(typed.toLowerCase()) && typed
      ? [h('b', {}, item.text.slice(0, typed.length)), item.text.slice(typed.length)]
      : [item.text];
    return { text, kind: page.i18n.s.suggestionKind[item.kind] || item.kind, count: item.kind === 'title' ? '' : page.i18n.num(item.count) };
  },
  onChoose: chooseSuggestion,
});

// chooseSuggestion acts on a suggestion: a concept or a source becomes a
// filter, a title opens its document, a term becomes the query.
function chooseSuggestion(item) {
  clearTimeout(page.typingTimer);
  page.typingTimer = 0;
  page.ctl.suggest?.abort();
  const inPlace = !!history.state?.typing;
  const f = item.kind;
  if ((f === 'concept' || f === 'source') && item.id) {
    el.q.value = '';
    navigate({ q: '', [f]: [...new Set([...page.st[f], item.id])], doc: '' }, { replace: inPlace });
  } else if (f === 'title' && item.id) {
    navigate({ doc: item.id }, { replace: inPlace });
  } else {
    el.q.value = item.text;
    navigate({ q: item.text, doc: '' }, { replace: inPlace });
  }
}

async function suggest(q) {
  page.ctl.suggest?.abort();
  if (!q.trim()) {
    combo.show([], () => '');
    return;
  }
  const ctl = restart('suggest');
  try {
    const p = new URLSearchParams({ q: q.trim(), limit: 8, label_lang: page.i18n.lang });
    const items = await api(`/api/v1/suggest?${p}`, ctl.signal);
    if (!current('suggest', ctl) || el.q.value !== q) return;
    combo.show(items, n => page.i18n.t('suggestionsCount', n));
  } catch (err) {
    if (!aborted(err)) combo.close(); // suggestions only help: no error
  }
}

el.q.addEventListener('input', () => {
  clearTimeout(page.typingTimer);
  page.typingTimer = setTimeout(() => {
    page.typingTimer = 0;
    const q = el.q.value;
    if (q.trim() !== page.st.q || page.st.doc) navigate({ q: q.trim(), doc: '' }, { typing: true, syncInput: false });
    suggest(q);
  }, debounceMs);
});

el.form.addEventListener('submit', e => {
  e.preventDefault();
  clearTimeout(page.typingTimer);
  page.typingTimer = 0;
  page.ctl.suggest?.abort();
  combo.close();
  const q = el.q.value.trim();
  const inPlace = !!history.state?.typing;
  if (q !== page.st.q || page.st.doc) navigate({ q, doc: '' }, { replace: inPlace, syncInput: false });
  else if (inPlace) history.replaceState({ typing: false }, '', location.href);
});

// ---- Controls ----

el.sort.addEventListener('change', () => navigate({ sort: el.sort.value }));

// showFilters opens or closes the filters' panel of narrow screens.
function showFilters(open) {
  el.filtersToggle.setAttribute('aria-expanded', String(open));
  el.main.classList.toggle('show-filters', open);
}

el.filtersToggle.addEventListener('click', () => showFilters(el.filtersToggle.getAttribute('aria-expanded') !== 'true'));

// The panel's last button closes it and shows the results it chose.
el.filtersDone.addEventListener('click', () => {
  showFilters(false);
  el.resultsTitle.focus({ preventScroll: true });
  el.results.scrollIntoView({ block: 'start' });
});

el.skip.addEventListener('click', jump);
el.toResults.addEventListener('click', jump);

el.uiLang.addEventListener('click', () => setLang(page.i18n.t('otherLangCode')));

document.addEventListener('keydown', e => {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const typing = e.target.closest?.('input, select, textarea, [role=listbox]');
  if (e.key === 'Escape' && page.st.doc && !typing) {
    e.preventDefault();
    back();
  } else if (e.key === '/' && !typing) {
    e.preventDefault();
    el.q.focus();
    el.q.select();
  }
});

const analysis = new Analysis({
  navigate, pageURL, api, docURL: id => pageURL({ ...page.st, doc: id }),
});
analysis.setLang(page.i18n.lang);

const timeline = new Timeline($('timeline'), (from, to, opts = {}) => navigate({ from, to }, { replace: !!opts.replace }));

// setLang switches the interface's language; the URL says it when it is
// not the default, and the browser remembers it.
function setLang(lang) {
  page.i18n = new I18n(lang);
  analysis.setLang(lang);
  try {
    localStorage.setItem(storageKey, lang);
  } catch { /* not remembered */ }
  history.replaceState(history.state, '', pageURL(page.st));
  page.corpus.labelsLoaded = loadConcepts();
  translatePage();
  page.docKey = '';
  update(true);
}

// translatePage sets the fixed words of the page in the interface's
// language.
function translatePage() {
  const { i18n } = page;
  const lookup = key => {
    const v = key.split('.').reduce((o, k) => o?.[k], i18n.s);
    return typeof v === 'function' ? v() : v;
  };
  document.documentElement.lang = i18n.lang;
  document.querySelector('meta[name=description]').content = i18n.t('description');
  for (const e of document.querySelectorAll('[data-i18n]')) e.textContent = lookup(e.dataset.i18n);
  for (const e of document.querySelectorAll('[data-i18n-placeholder]')) e.placeholder = lookup(e.dataset.i18nPlaceholder);
  for (const e of document.querySelectorAll('[data-i18n-label]')) e.setAttribute('aria-label', lookup(e.dataset.i18nLabel));
  el.uiLang.textContent = i18n.t('otherLang');
  el.uiLang.lang = i18n.t('otherLangCode');
  el.uiLang.setAttribute('aria-label', i18n.t('otherLangLabel'));
  document.title = i18n.t('docTitle');
}

translatePage();
history.replaceState({ typing: false, fromResults: !!history.state?.fromResults }, '', pageURL(page.st));
update(true);
