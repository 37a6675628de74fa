// The journalist's tools: the related count, export, the Atom feed, what
// comes with the search, and the views Tendances (an SVG chart, a table, a
// summary) and Contextes (keywords aligned); view and series are in the URL.

import { h, s, replace } from './dom.js';

const words = {
  fr: {
    related: n => `${n} lié${n > 1 ? 's' : ''}`,
    views: 'Vues',
    view: { '': 'Résultats', trends: 'Tendances', kwic: 'Contextes' },
    exportMenu: 'Exporter',
    exportAs: { csv: 'Tableur (CSV)', jsonl: 'JSON Lines', ris: 'Zotero, EndNote (RIS)', bibtex: 'BibTeX' },
    subscribe: "S'abonner",
    subscribeTitle: 'Flux Atom des nouveaux documents de cette recherche',
    feedTitle: q => q ? `tacheron : ${q}` : 'tacheron',
    cooc: 'Souvent avec',
    coocTerms: 'Mots fréquents',
    refineConcept: label => `Affiner avec le concept ${label}`,
    addWord: w => `Ajouter « ${w} » à la recherche`,
    addSeries: 'Ajouter cette recherche aux tendances',
    removeSeries: label => `Retirer la série ${label}`,
    trendsTitle: 'Tendances',
    trendsEmpty: 'Aucune série : cherchez des mots ou choisissez un concept, puis ajoutez la recherche.',
    table: 'Tableau des valeurs',
    period: 'Période',
    summary: (label, total, peak, n) => `${label} : ${total} document${total > 1 ? 's' : ''}` + (peak ? `, le plus en ${peak} (${n})` : ''),
    kwicTitle: 'Contextes',
    kwicEmpty: 'Tapez des mots pour voir leurs contextes.',
    kwicCount: (n, d, complete) => `${n}${complete ? '' : '+'} occurrence${n > 1 ? 's' : ''} dans ${d} document${d > 1 ? 's' : ''}`,
    kwicSort: 'Trier par',
    kwicSorts: { '-date': 'plus récents', date: 'plus anciens', left: 'mot à gauche', right: 'mot à droite', source: 'source' },
    left: 'Avant', keyword: 'Mot', right: 'Après', doc: 'Document',
    failed: 'Impossible de charger cette vue.',
  },
  en: {
    related: n => `${n} related`,
    views: 'Views',
    view: { '': 'Results', trends: 'Trends', kwic: 'Contexts' },
    exportMenu: 'Export',
    exportAs: { csv: 'Spreadsheet (CSV)', jsonl: 'JSON Lines', ris: 'Zotero, EndNote (RIS)', bibtex: 'BibTeX' },
    subscribe: 'Subscribe',
    subscribeTitle: 'Atom feed of the new documents of this search',
    feedTitle: q => q ? `tacheron: ${q}` : 'tacheron',
    cooc: 'Often with',
    coocTerms: 'Frequent words',
    refineConcept: label => `Refine with the concept ${label}`,
    addWord: w => `Add “${w}” to the search`,
    addSeries: 'Add this search to the trends',
    removeSeries: label => `Remove the series ${label}`,
    trendsTitle: 'Trends',
    trendsEmpty: 'No series: search for words or pick a concept, then add the search.',
    table: 'Table of values',
    period: 'Period',
    summary: (label, total, peak, n) => `${label}: ${total} document${total > 1 ? 's' : ''}` + (peak ? `, most in ${peak} (${n})` : ''),
    kwicTitle: 'Contexts',
    kwicEmpty: 'Type words to see their contexts.',
    kwicCount: (n, d, complete) => `${n}${complete ? '' : '+'} occurrence${n > 1 ? 's' : ''} in ${d} document${d > 1 ? 's' : ''}`,
    kwicSort: 'Sort by',
    kwicSorts: { '-date': 'newest', date: 'oldest', left: 'word on the left', right: 'word on the right', source: 'source' },
    left: 'Before', keyword: 'Word', right: 'After', doc: 'Document',
    failed: 'This view could not be loaded.',
  },
};

const views = ['', 'trends', 'kwic'];

// viewOf returns the view of a state: '' (the results), trends or kwic.
export function viewOf(st) {
  return views.includes(st.view) ? st.view : '';
}
const colors = ['#1f5a8c', '#c2410c', '#2f7d4f', '#7a3e9d', '#8a6d00'];
const maxSeries = 5;

// searchParams are the search parameters of a state (no page, no view),
// every filter of the facet panels among them.
function searchParams(st) {
  const p = new URLSearchParams();
  if (st.q) p.set('q', st.q);
  for (const f of ['source', 'concept', 'kind', 'lang', 'author', 'tag']) for (const v of st[f]) p.append(f, v);
  if (st.from) p.set('from', st.from);
  if (st.to) p.set('to', st.to);
  return p;
}

export class Analysis {
  // opts: navigate(patch), pageURL(state), api(url, signal), docURL(id).
  constructor(opts) {
    this.opts = opts;
    this.lang = 'fr';
    this.w = words.fr;
    this.tabs = document.getElementById('views');
    this.tools = document.getElementById('tools');
    this.cooc = document.getElementById('cooc');
    this.panel = document.getElementById('analysis');
    this.feed = document.getElementById('feed');
    this.total = document.getElementById('total');
    this.key = '';
    this.coocKey = '';
    this.ctl = null;
    this.coocCtl = null;
  }

  // setLang switches the module's words.
  setLang(lang) {
    this.lang = lang;
    this.w = words[lang] || words.fr;
    this.key = '';
    this.coocKey = '';
  }

  // results is called with each search response shown.
  results(st, data, num) {
    if (data.related_total) this.total.append(h('span', { class: 'related', text: ` · ${this.w.related(num(data.related_total))}` }));
    this.renderTools(st);
    this.loadCooc(st);
  }

  // show brings the tabs and the view to the state.
  show(st) {
    const view = viewOf(st);
    this.renderTabs(st, view);
    document.getElementById('results').hidden = view !== '';
    this.panel.hidden = view === '';
    const key = `${this.lang}|${view}|${searchParams(st)}|${st.series.join('|')}|${st.kwicSort || ''}`;
    if (key === this.key) return;
    this.key = key;
    this.ctl?.abort();
    if (view === 'trends') this.loadTrends(st);
    else if (view === 'kwic') this.loadKWIC(st);
    else replace(this.panel);
  }

  renderTabs(st, view) {
    const buttons = views.map(v => h('a', {
      role: 'tab', id: `tab-${v || 'results'}`, href: this.opts.pageURL({ ...st, view: v }), 'aria-selected': String(v === view),
      tabindex: v === view ? '0' : '-1', class: v === view ? 'tab on' : 'tab', text: this.w.view[v],
      onclick: e => { if (!e.metaKey && !e.ctrlKey && !e.shiftKey && e.button === 0) { e.preventDefault(); this.opts.navigate({ view: v }); } },
      onkeydown: e => {
        const i = views.indexOf(view);
        const next = e.key === 'ArrowRight' ? (i + 1) % views.length : e.key === 'ArrowLeft' ? (i + views.length - 1) % views.length : -1;
        if (next < 0) return;
        e.preventDefault();
        this.opts.navigate({ view: views[next] }, { replace: true });
        document.getElementById(`tab-${views[next] || 'results'}`)?.focus();
      },
    }));
    replace(this.tabs, buttons);
    this.tabs.setAttribute('aria-label', this.w.views);
  }

  // renderTools draws the export menu and the feed link of a search.
  renderTools(st) {
    const p = searchParams(st);
    if (st.sort) p.set('sort', st.sort);
    const link = format => { const q = new URLSearchParams(p); q.set('format', format); return `/api/v1/search?${q}`; };
    const feed = new URLSearchParams(searchParams(st));
    feed.set('format', 'atom');
    this.feed.href = `/api/v1/search?${feed}`;
    this.feed.title = this.w.feedTitle(st.q);
    replace(this.tools,
      h('details', { class: 'menu export' },
        h('summary', { text: this.w.exportMenu }),
        h('ul', {}, ['csv', 'ris', 'bibtex', 'jsonl'].map(f => h('li', {}, h('a', { href: link(f), download: '', text: this.w.exportAs[f] }))))),
      h('a', { class: 'subscribe', href: this.feed.href, type: 'application/atom+xml', title: this.w.subscribeTitle, text: this.w.subscribe }));
  }

  async loadCooc(st) {
    const p = searchParams(st);
    p.set('label_lang', this.lang);
    p.set('limit', '6');
    p.set('min_count', '2');
    const key = p.toString();
    if (key === this.coocKey) return;
    this.coocKey = key;
    this.coocCtl?.abort();
    const ctl = this.coocCtl = new AbortController();
    if (!st.q && !st.concept.length) {
      replace(this.cooc);
      this.cooc.hidden = true;
      return;
    }
    try {
      const data = await this.opts.api(`/api/v1/cooccurrence?${p}`, ctl.signal);
      if (ctl !== this.coocCtl) return;
      this.renderCooc(st, data);
    } catch (err) {
      if (err?.name !== 'AbortError') { replace(this.cooc); this.cooc.hidden = true; }
    }
  }

  renderCooc(st, data) {
    const w = this.w;
    const concepts = data.concepts.map(c => h('li', {}, h('button', {
      type: 'button', class: 'link', 'aria-label': w.refineConcept(c.label), 'data-concept': c.value,
      onclick: () => this.opts.navigate({ concept: [...st.concept, c.value] }),
    }, `${c.label} (${c.count})`)));
    const terms = data.terms.map(t => h('li', {}, h('button', {
      type: 'button', class: 'link', 'aria-label': w.addWord(t.label), 'data-term': t.value,
      onclick: () => this.opts.navigate({ q: `${st.q} ${t.label}`.trim() }),
    }, `${t.label} (${t.count})`)));
    this.cooc.hidden = !concepts.length && !terms.length;
    const sep = this.lang === 'fr' ? ' :' : ':';
    replace(this.cooc,
      concepts.length ? h('p', {}, h('span', { class: 'cooc-head', text: `${w.cooc}${sep} ` }), h('ul', { class: 'inline' }, concepts)) : null,
      terms.length ? h('p', {}, h('span', { class: 'cooc-head', text: `${w.coocTerms}${sep} ` }), h('ul', { class: 'inline' }, terms)) : null);
  }

  // series returns the searches of the trends view: the state's series,
  // or the current search.
  series(st) {
    const list = st.series.length ? st.series : [searchParams(st).toString()];
    return list.filter(Boolean).slice(0, maxSeries);
  }

  async loadTrends(st) {
    const w = this.w;
    const list = this.series(st);
    const ctl = this.ctl = new AbortController();
    const current = searchParams(st).toString();
    const add = h('button', {
      type: 'button', id: 'add-series', disabled: !current || st.series.includes(current) || st.series.length >= maxSeries,
      onclick: () => this.opts.navigate({ series: [...(st.series.length ? st.series : []), current].filter((v, i, a) => v && a.indexOf(v) === i) }),
    }, w.addSeries);
    if (!list.length) {
      replace(this.panel, h('h2', { text: w.trendsTitle }), add, h('p', { class: 'notice', text: w.trendsEmpty }));
      return;
    }
    const p = new URLSearchParams();
    for (const sr of list) p.append('series', sr);
    p.set('label_lang', this.lang);
    try {
      const data = await this.opts.api(`/api/v1/trends?${p}`, ctl.signal);
      if (ctl !== this.ctl) return;
      this.renderTrends(st, list, data, add);
    } catch (err) {
      if (err?.name !== 'AbortError' && ctl === this.ctl) replace(this.panel, h('p', { class: 'notice', role: 'alert', text: w.failed }));
    }
  }

  renderTrends(st, list, data, add) {
    const w = this.w;
    const width = 720, height = 220, left = 44, right = 32, top = 12, bottom = 28;
    const points = data.series[0]?.points || [];
    const n = points.length;
    const max = Math.max(1, ...data.series.flatMap(sr => sr.points.map(p => p.count)));
    const x = i => left + (n <= 1 ? (width - left - right) / 2 : i * (width - left - right) / (n - 1));
    const y = v => top + (height - top - bottom) * (1 - v / max);
    const ticks = [0, Math.round(max / 2), max];
    const every = Math.max(1, Math.ceil(n / 8));
    const chart = s('svg', { class: 'trends-chart', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-labelledby': 'trends-summary' },
      ticks.map(t => s('g', { class: 'tick' }, s('line', { x1: left, x2: width - right, y1: y(t), y2: y(t) }), s('text', { x: left - 6, y: y(t) + 4, 'text-anchor': 'end', text: String(t) }))),
      points.map((p, i) => i % every === 0 ? s('text', { class: 'period', x: x(i), y: height - 8, 'text-anchor': 'middle', text: p.period }) : null),
      data.series.map((sr, k) => s('g', { class: 'series', 'data-series': k },
        s('polyline', { fill: 'none', stroke: colors[k], 'stroke-width': 2, points: sr.points.map((p, i) => `${x(i)},${y(p.count)}`).join(' ') }),
        sr.points.map((p, i) => s('circle', { cx: x(i), cy: y(p.count), r: 3, fill: colors[k] }, s('title', { text: `${sr.label}, ${p.period} : ${p.count}` }))))));
    const summary = data.series.map(sr => {
      const peak = sr.points.reduce((a, b) => (b.count > a.count ? b : a), { count: 0 });
      return w.summary(sr.label, sr.total, peak.count ? peak.period : '', peak.count);
    }).join(' ; ');
    const legend = h('ul', { class: 'legend' }, data.series.map((sr, k) => h('li', {},
      h('span', { class: `swatch c${k}` }), ` ${sr.label} (${sr.total}) `,
      st.series.length ? h('button', { type: 'button', class: 'link', 'aria-label': w.removeSeries(sr.label), text: '×',
        onclick: () => this.opts.navigate({ series: st.series.filter(x => x !== list[k]) }) }) : null)));
    const table = h('details', { class: 'trends-table' }, h('summary', { text: w.table }),
      h('table', {},
        h('thead', {}, h('tr', {}, h('th', { scope: 'col', text: w.period }), data.series.map(sr => h('th', { scope: 'col', text: sr.label })))),
        h('tbody', {}, points.map((p, i) => h('tr', {}, h('th', { scope: 'row', text: p.period }),
          data.series.map(sr => h('td', { text: `${sr.points[i].count} (${(100 * sr.points[i].share).toFixed(1)} %)` })))))));
    const csv = new URLSearchParams();
    for (const sr of list) csv.append('series', sr);
    csv.set('format', 'csv');
    replace(this.panel, h('h2', { text: w.trendsTitle }), h('div', { class: 'trends-tools' }, add,
      h('a', { href: `/api/v1/trends?${csv}`, download: '', text: `${w.exportMenu} (CSV)` })),
    legend, chart, h('p', { id: 'trends-summary', class: 'summary', text: summary }), table);
  }

  async loadKWIC(st) {
    const w = this.w;
    const ctl = this.ctl = new AbortController();
    if (!st.q) {
      replace(this.panel, h('h2', { text: w.kwicTitle }), h('p', { class: 'notice', text: w.kwicEmpty }));
      return;
    }
    const p = searchParams(st);
    const sort = st.kwicSort || '-date';
    p.set('sort', sort);
    p.set('per_page', '100');
    p.set('context', '8');
    try {
      const data = await this.opts.api(`/api/v1/kwic?${p}`, ctl.signal);
      if (ctl !== this.ctl) return;
      const select = h('select', { id: 'kwic-sort', onchange: e => this.opts.navigate({ kwicSort: e.target.value }, { replace: true }) },
        Object.entries(w.kwicSorts).map(([v, label]) => h('option', { value: v, selected: v === sort, text: label })));
      const csv = new URLSearchParams(p);
      csv.delete('per_page');
      csv.set('format', 'csv');
      replace(this.panel, h('h2', { text: w.kwicTitle }),
        h('div', { class: 'kwic-tools' }, h('p', { id: 'kwic-count', text: w.kwicCount(data.total, data.documents, data.complete) }),
          h('label', {}, `${w.kwicSort} `, select), h('a', { href: `/api/v1/kwic?${csv}`, download: '', text: `${w.exportMenu} (CSV)` })),
        h('table', { class: 'kwic' },
          h('thead', {}, h('tr', {}, [w.left, w.keyword, w.right, w.doc].map(t => h('th', { scope: 'col', text: t })))),
          h('tbody', {}, data.lines.map(l => h('tr', {},
            h('td', { class: 'left', text: l.left }), h('td', { class: 'kw' }, h('mark', { text: l.keyword })), h('td', { class: 'right', text: l.right }),
            h('td', { class: 'where' }, h('a', { href: this.opts.docURL(l.id), text: `${l.source} · ${l.date}` })))))));
    } catch (err) {
      if (err?.name !== 'AbortError' && ctl === this.ctl) replace(this.panel, h('p', { class: 'notice', role: 'alert', text: w.failed }));
    }
  }
}
