// The search page: a search box with suggestions, results with facets and
// a timeline, and a reading view, all driven by the JSON API. The whole
// state lives in the URL's query string, so a link reproduces the page
// and Back and Forward walk through the searches.

import { h, setMarked, replace, keepFocus, plainClick } from './dom.js';
import { I18n, langs } from './i18n.js';
import { Combobox } from './combobox.js';
import { Timeline } from './timeline.js';
import { Analysis } from './analysis.js';

// fields are the facets, each a repeatable filter of the API.
const fields = ['source', 'concept', 'kind', 'lang', 'author', 'tag'];
const searchKeys = ['q', ...fields, 'from', 'to', 'sort'];
const perPage = 10;
const maxWindow = 10000;
const facetShown = 8;
const debounceMs = 150;
const storageKey = 'tacheron.ui';

const $ = id => document.getElementById(id);
const el = {
  main: $('main'), form: $('search'), q: $('q'), uiLang: $('ui-lang'),
  filtersToggle: $('filters-toggle'), filtersCount: $('filters-count'), facets: $('facets'),
  content: $('content'), results: $('results'), resultsTitle: $('results-title'), total: $('total'), took: $('took'),
  sort: $('sort'), active: $('active'), message: $('message'), hits: $('hits'), pager: $('pager'), reader: $('reader'),
  skip: $('skip'), toResults: $('to-results'), filtersDone: $('filters-done'),
};

let i18n = new I18n(initialLang());
let state = parseState(location.search);
let result = null; // the last search response
let searchKey = ''; // what the shown results answer
let searchCtl = null;
let extrasCtl = null;
let suggestCtl = null;
let docCtl = null;
let docKey = '';
let typingTimer = 0;
let focusResults = false;
let lastDoc = '';
const expanded = new Set();
let conceptLabels = new Map();
let conceptsLoaded = loadConcepts();
const corpusMonths = loadCorpusMonths();

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
  if (i18n.lang !== langs[0]) p.set('ui', i18n.lang);
  const qs = p.toString();
  return qs ? `/?${qs}` : '/';
}

function apiSearchParams(st) {
  const p = params(st, false);
  p.set('per_page', perPage);
  p.set('label_lang', i18n.lang);
  return p;
}

function hasFilters(st) {
  return fields.some(f => st[f].length) || !!st.from || !!st.to;
}

// navigate moves to the state patched, as a new history entry, or in
// place of the current one (replace, or typing over a typing entry).
function navigate(patch, { replace: inPlace = false, typing = false, syncInput = true } = {}) {
  const next = { ...state, ...patch };
  if (!('page' in patch) && searchKeys.some(k => k in patch)) next.page = 1;
  const url = pageURL(next);
  const entry = { typing, fromResults: !!next.doc && !state.doc };
  if (inPlace || (typing && history.state?.typing)) history.replaceState(entry, '', url);
  else if (url !== location.pathname + location.search) history.pushState(entry, '', url);
  state = next;
  update(syncInput);
}

// The interface's language is a preference, not a step of the history:
// Back keeps it, and the URL is brought in line.
window.addEventListener('popstate', () => {
  state = parseState(location.search);
  const url = pageURL(state);
  if (url !== location.pathname + location.search) history.replaceState(history.state, '', url);
  update(true);
});

// update brings the page to the state: the results, and the document
// when one is open.
function update(syncInput) {
  if (syncInput && el.q.value.trim() !== state.q) el.q.value = state.q;
  el.sort.value = state.sort || (state.q ? 'relevance' : '-date');
  el.sort.querySelector('[value=relevance]').disabled = !state.q;
  const key = apiSearchParams(state).toString();
  if (key !== searchKey) {
    searchKey = key;
    search(state);
  }
  analysis.show(state);
  if (state.doc) showDoc();
  else hideDoc();
  labelJumps();
}

// labelJumps points the skip link and the jump after the search box at
// what the view shows: the results, or the document being read.
function labelJumps() {
  const reading = !!state.doc;
  el.skip.href = el.toResults.href = reading ? '#reader' : '#results';
  el.skip.textContent = i18n.t(reading ? 'skipReader' : 'skip');
  el.toResults.textContent = i18n.t(reading ? 'toReader' : 'toResults');
}

// jump moves the focus from the search box (or the skip link) to what the
// view shows: the first result, the results' heading when there is none,
// or the document's title.
function jump(e) {
  e.preventDefault();
  const target = state.doc
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
  if (res.ok) return res.json();
  let problem = null;
  try {
    problem = await res.json();
  } catch { /* not a problem document */ }
  throw new APIError(res.status, problem);
}

function aborted(err) { return err?.name === 'AbortError'; }

async function loadConcepts() {
  const lang = i18n.lang;
  try {
    const list = await api(`/api/v1/concepts?label_lang=${lang}`);
    if (lang === i18n.lang) conceptLabels = new Map(list.map(c => [c.id, c.label]));
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

function conceptLabel(id) { return conceptLabels.get(id) || id; }

// ---- Search and results ----

async function search(st) {
  searchCtl?.abort();
  extrasCtl?.abort();
  const ctl = searchCtl = new AbortController();
  el.results.setAttribute('aria-busy', 'true');
  const slow = setTimeout(() => el.results.classList.add('loading'), 200);
  try {
    const [data, , months] = await Promise.all([api(`/api/v1/search?${apiSearchParams(st)}`, ctl.signal), conceptsLoaded, corpusMonths]);
    if (ctl !== searchCtl) return;
    result = data;
    renderResults(data, st, months);
  } catch (err) {
    if (ctl !== searchCtl || aborted(err)) return;
    searchKey = '';
    result = null;
    renderSearchError(err);
  } finally {
    clearTimeout(slow);
    if (ctl === searchCtl) {
      el.results.removeAttribute('aria-busy');
      el.results.classList.remove('loading');
    }
  }
}

function renderResults(data, st, months) {
  el.content.classList.remove('failed');
  for (const c of data.facets.concept || []) if (c.label) conceptLabels.set(c.value, c.label);
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
  timeline.update(data.facets.date || [], st.from, st.to, i18n, months);
  const n = fields.reduce((n, f) => n + st[f].length, 0) + (st.from || st.to ? 1 : 0);
  el.filtersCount.textContent = n ? i18n.num(n) : '';
  el.filtersDone.textContent = i18n.t('showResults', data.total, i18n.num(data.total));
  if (!state.doc) document.title = st.q ? `${st.q} — tacheron` : i18n.t('docTitle');
  if (focusResults) {
    focusResults = false;
    el.resultsTitle.focus({ preventScroll: true });
    el.results.scrollIntoView({ block: 'start' });
  }
}

function renderHit(hit, st) {
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
    case 'kind': return i18n.kind(value);
    case 'lang': return i18n.langName(value);
  }
  return value;
}

// activeFilters lists the filters of st, each with the patch that drops it.
function activeFilters(st) {
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
    h('span', { class: 'label', text: i18n.t('activeFilters') }),
    filters.map(f => h('button', {
      type: 'button', class: 'chip removable', 'data-key': f.key, 'aria-label': i18n.t('removeFilter', f.label),
      onclick: () => navigate(f.patch),
    }, f.label, h('span', { class: 'x', 'aria-hidden': 'true' }, '×'))),
    filters.length > 1 ? h('button', { type: 'button', class: 'link', 'data-key': 'clear-all', onclick: () => navigate(clearFilters()) }, i18n.t('clearAll')) : null,
  ] : []), el.resultsTitle);
}

function renderEmpty(st) {
  const ways = h('ul', { class: 'ways' });
  const way = (label, patch) => h('li', {}, h('button', { type: 'button', onclick: () => navigate(patch) }, label));
  for (const f of activeFilters(st)) ways.append(way(i18n.t('dropFilter', f.label), f.patch));
  const whole = way(i18n.t('wholeCorpus'), { q: '', ...clearFilters() });
  ways.append(whole);
  const box = h('div', { class: 'empty' },
    h('p', { class: 'empty-title', text: i18n.t('emptyTitle', st.q) }),
    h('p', { text: i18n.t('emptyHelp') }), ways);
  replace(el.hits, h('li', { class: 'empty-item' }, box));
  const ctl = extrasCtl = new AbortController();
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
    const p = new URLSearchParams({ q: t, limit: 6, label_lang: i18n.lang });
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
      focusResults = true;
      navigate({ page: p });
    },
  }, text);
  const items = [];
  if (cur > 1) items.push(link(cur - 1, `‹ ${i18n.t('prev')}`, { rel: 'prev', class: 'step' }));
  let gap = false;
  for (let p = 1; p <= pages; p++) {
    if (p === 1 || p === pages || Math.abs(p - cur) <= 2) {
      items.push(p === cur
        ? link(p, String(p), { 'aria-current': 'page', 'aria-label': i18n.t('pageN', p), class: 'current' })
        : link(p, String(p), { 'aria-label': i18n.t('pageN', p) }));
      gap = false;
    } else if (!gap) {
      items.push(h('span', { class: 'gap', 'aria-hidden': 'true' }, '…'));
      gap = true;
    }
  }
  if (cur < pages) items.push(link(cur + 1, `${i18n.t('next')} ›`, { rel: 'next', class: 'step' }));
  keepFocus(el.pager, () => replace(el.pager, items));
}

function renderFacets(facets, st) {
  // A corpus without authors or tags shows no empty facet for them.
  const shown = fields.filter(f => (f !== 'author' && f !== 'tag') || (facets[f] || []).length || st[f].length);
  keepFocus(el.facets, () => replace(el.facets, shown.map(f => renderFacet(f, facets[f] || [], st[f]))));
}

function renderFacet(field, values, selected) {
  const all = [...values];
  for (const v of selected) if (!all.some(x => x.value === v)) all.push({ value: v, count: 0 });
  const folded = all.length > facetShown + 2 && !expanded.has(field);
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
            onchange: e => navigate({ [field]: e.target.checked ? [...state[field], v.value] : state[field].filter(x => x !== v.value) }),
          }),
          h('span', { class: 'name', text: facetLabel(field, v.value, v.label) }),
          h('span', { class: 'count', text: i18n.num(v.count) })));
    })) : h('p', { class: 'none', text: i18n.t('noValues') }),
    all.length > facetShown + 2 ? h('button', {
      type: 'button', class: 'link more', 'data-key': `more:${field}`, 'aria-expanded': String(!folded),
      onclick: () => {
        if (folded) expanded.add(field);
        else expanded.delete(field);
        if (result) renderFacets(result.facets, state);
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
  renderActive(state);
  replace(el.message, errorBox(err, () => { searchKey = ''; update(false); }));
}

// errorBox says what went wrong in words, never with the raw response,
// and offers what can be done about it.
function errorBox(err, retry) {
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
  const key = `${state.doc}\n${state.q}\n${i18n.lang}`;
  el.main.classList.add('reading');
  el.reader.hidden = false;
  if (key === docKey) return;
  docKey = key;
  lastDoc = state.doc;
  docCtl?.abort();
  const ctl = docCtl = new AbortController();
  replace(el.reader, h('p', { class: 'pending', text: i18n.t('loading') }));
  try {
    const q = state.q ? `?${new URLSearchParams({ q: state.q })}` : '';
    const doc = await api(`/api/v1/documents/${encodeURIComponent(state.doc)}${q}`, ctl.signal);
    if (ctl !== docCtl) return;
    renderDoc(doc);
  } catch (err) {
    if (ctl !== docCtl || aborted(err)) return;
    docKey = '';
    replace(el.reader, h('p', {}, backLink()), errorBox(err, () => { docKey = ''; showDoc(); }));
  }
  window.scrollTo(0, 0);
  (el.reader.querySelector('h2') || el.reader).focus({ preventScroll: true });
}

function hideDoc() {
  if (!el.main.classList.contains('reading')) return;
  // The focus follows the reader back to the results, but stays where
  // it is elsewhere (in the search box, typing).
  const lost = el.reader.contains(document.activeElement) || document.activeElement === document.body;
  docCtl?.abort();
  docKey = '';
  el.main.classList.remove('reading');
  el.reader.hidden = true;
  replace(el.reader);
  const link = [...el.hits.querySelectorAll('[data-doc]')].find(a => a.dataset.doc === lastDoc);
  if (lost) (link || el.resultsTitle).focus();
  if (!state.doc) document.title = state.q ? `${state.q} — tacheron` : i18n.t('docTitle');
}

// back leaves the reading view: back in history when the results are the
// entry before, else to the results as a new entry.
function back() {
  if (history.state?.fromResults) history.back();
  else navigate({ doc: '' });
}

function backLink() {
  return h('a', {
    href: pageURL({ ...state, doc: '' }), class: 'back',
    onclick: e => {
      if (!plainClick(e)) return;
      e.preventDefault();
      back();
    },
  }, h('span', { 'aria-hidden': 'true' }, '← '), i18n.t('back'));
}

function docLink(ref) {
  return h('a', {
    href: pageURL({ ...state, doc: ref.id }),
    onclick: e => {
      if (!plainClick(e)) return;
      e.preventDefault();
      navigate({ doc: ref.id });
    },
  }, ref.title);
}

function renderDoc(doc) {
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
        return h('li', { class: state.concept.includes(c.id) ? 'chip on' : 'chip', title: c.words.length ? i18n.t('triggeredBy', c.words.join(', ')) : null }, name);
      })) : null,
      doc.tags && doc.tags.length ? h('ul', { class: 'chips tags', 'aria-label': i18n.t('tagsOf') }, doc.tags.map(t =>
        h('li', { class: state.tag.includes(t) ? 'chip on' : 'chip' }, t))) : null),
    // The tools follow the reader down the text (sticky), so they sit
    // beside the header, not in it.
    h('p', { class: 'tools' },
      state.q ? count : null,
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
    return { text, kind: i18n.s.suggestionKind[item.kind] || item.kind, count: item.kind === 'title' ? '' : i18n.num(item.count) };
  },
  onChoose: chooseSuggestion,
});

// chooseSuggestion acts on a suggestion: a concept or a source becomes a
// filter, a title opens its document, a term becomes the query.
function chooseSuggestion(item) {
  clearTimeout(typingTimer);
  typingTimer = 0;
  suggestCtl?.abort();
  const inPlace = !!history.state?.typing;
  if (item.kind === 'concept' && item.id) {
    el.q.value = '';
    navigate({ q: '', concept: [...new Set([...state.concept, item.id])], doc: '' }, { replace: inPlace });
  } else if (item.kind === 'title' && item.id) {
    navigate({ doc: item.id }, { replace: inPlace });
  } else if (item.kind === 'source' && item.id) {
    el.q.value = '';
    navigate({ q: '', source: [...new Set([...state.source, item.id])], doc: '' }, { replace: inPlace });
  } else {
    el.q.value = item.text;
    navigate({ q: item.text, doc: '' }, { replace: inPlace });
  }
}

async function suggest(q) {
  suggestCtl?.abort();
  if (!q.trim()) {
    combo.show([], () => '');
    return;
  }
  const ctl = suggestCtl = new AbortController();
  try {
    const p = new URLSearchParams({ q: q.trim(), limit: 8, label_lang: i18n.lang });
    const items = await api(`/api/v1/suggest?${p}`, ctl.signal);
    if (ctl !== suggestCtl || el.q.value !== q) return;
    combo.show(items, n => i18n.t('suggestionsCount', n));
  } catch (err) {
    if (!aborted(err)) combo.close(); // suggestions only help: no error
  }
}

el.q.addEventListener('input', () => {
  clearTimeout(typingTimer);
  typingTimer = setTimeout(() => {
    typingTimer = 0;
    const q = el.q.value;
    if (q.trim() !== state.q || state.doc) navigate({ q: q.trim(), doc: '' }, { typing: true, syncInput: false });
    suggest(q);
  }, debounceMs);
});

el.form.addEventListener('submit', e => {
  e.preventDefault();
  clearTimeout(typingTimer);
  typingTimer = 0;
  suggestCtl?.abort();
  combo.close();
  const q = el.q.value.trim();
  const inPlace = !!history.state?.typing;
  if (q !== state.q || state.doc) navigate({ q, doc: '' }, { replace: inPlace, syncInput: false });
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

el.uiLang.addEventListener('click', () => setLang(i18n.t('otherLangCode')));

document.addEventListener('keydown', e => {
  if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
  const typing = e.target.closest?.('input, select, textarea, [role=listbox]');
  if (e.key === 'Escape' && state.doc && !typing) {
    e.preventDefault();
    back();
  } else if (e.key === '/' && !typing) {
    e.preventDefault();
    el.q.focus();
    el.q.select();
  }
});

const analysis = new Analysis({
  navigate, pageURL, api, docURL: id => pageURL({ ...state, doc: id }),
});
analysis.setLang(i18n.lang);

const timeline = new Timeline($('timeline'), (from, to, opts = {}) => navigate({ from, to }, { replace: !!opts.replace }));

// setLang switches the interface's language; the URL says it when it is
// not the default, and the browser remembers it.
function setLang(lang) {
  i18n = new I18n(lang);
  analysis.setLang(lang);
  try {
    localStorage.setItem(storageKey, lang);
  } catch { /* not remembered */ }
  history.replaceState(history.state, '', pageURL(state));
  conceptsLoaded = loadConcepts();
  translatePage();
  docKey = '';
  update(true);
}

// translatePage sets the fixed words of the page in the interface's
// language.
function translatePage() {
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
history.replaceState({ typing: false, fromResults: !!history.state?.fromResults }, '', pageURL(state));
update(true);
