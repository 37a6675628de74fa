// The timeline: one SVG bar per month (per year when the span is wide)
// from the date facet, and a span of bars to select as the from/to filter.
// The chart is a horizontal listbox: a click selects a bar, a shift-click
// or a drag extends the span; with the keyboard, arrows move, Enter
// selects, Shift+arrows extend and Escape clears.

import { s, replace } from './dom.js';

// maxMonths is the widest span drawn month by month.
const maxMonths = 36;
const height = 132;
const top = 18;
const chartHeight = 78;

export class Timeline {
  // root holds the elements below (by data-role); onSelect(from, to,
  // {replace}) sets the filter, two empty strings clear it.
  constructor(root, onSelect) {
    this.root = root;
    this.svg = root.querySelector('svg');
    this.range = root.querySelector('[data-role=range]');
    this.clear = root.querySelector('[data-role=clear]');
    this.fromInput = root.querySelector('[data-role=from]');
    this.toInput = root.querySelector('[data-role=to]');
    this.help = root.querySelector('.hint');
    this.onSelect = onSelect;
    this.bars = [];
    this.from = '';
    this.to = '';
    this.active = -1;
    this.anchor = -1;
    this.drag = null;
    this.width = 0;

    this.svg.addEventListener('pointerdown', e => this.pointerdown(e));
    this.svg.addEventListener('pointermove', e => this.pointermove(e));
    this.svg.addEventListener('pointerup', e => this.pointerup(e));
    this.svg.addEventListener('pointercancel', () => { this.drag = null; this.paint(); });
    this.svg.addEventListener('keydown', e => this.keydown(e));
    this.svg.addEventListener('blur', () => this.svg.classList.remove('pointer'));
    this.svg.addEventListener('focus', () => {
      if (this.active < 0 && this.bars.length) {
        const sel = this.selected();
        this.setActive(sel ? sel[0] : this.bars.length - 1);
      }
    });
    this.clear.addEventListener('click', () => this.onSelect('', ''));
    let timer;
    const dateChanged = () => {
      // Typing a date fires a change per valid date on the way (0002,
      // 0020, 0201, 2017…): wait until the typing pauses.
      clearTimeout(timer);
      timer = setTimeout(() => {
        let from = this.fromInput.value, to = this.toInput.value;
        if (from && to && from > to) [from, to] = [to, from];
        if (from !== this.from || to !== this.to) this.onSelect(from, to);
      }, 400);
    };
    this.fromInput.addEventListener('change', dateChanged);
    this.toInput.addEventListener('change', dateChanged);
    new ResizeObserver(() => {
      if (this.svg.clientWidth !== this.width) this.draw();
    }).observe(this.svg);
  }

  // update draws the date facet's counts and the from/to span; the axis
  // covers the months of domain ([first, last] YYYY-MM, or null) at least.
  // Without counts (null) it draws no bars, only the date fields: a view
  // that charts the dates itself.
  update(counts, from, to, i18n, domain) {
    this.i18n = i18n;
    this.from = from;
    this.to = to;
    this.drawBars(counts !== null);
    const activeKey = this.bars[this.active]?.key;
    this.bars = counts === null ? [] : bucket(counts, domain);
    for (const b of this.bars) {
      b.long = b.month ? i18n.month(b.key) : b.key;
      b.short = b.month ? i18n.shortMonth(b.key) : b.key;
    }
    this.active = this.bars.findIndex(b => b.key === activeKey);
    const sel = this.selected();
    if (!sel) this.anchor = -1;
    else if (this.anchor < 0 || this.anchor >= this.bars.length) this.anchor = sel[0];
    if (document.activeElement !== this.fromInput) this.fromInput.value = /^\d{4}-\d{2}-\d{2}$/.test(from) ? from : '';
    if (document.activeElement !== this.toInput) this.toInput.value = /^\d{4}-\d{2}-\d{2}$/.test(to) ? to : '';
    this.clear.hidden = !from && !to;
    this.range.textContent = this.rangeText();
    this.draw();
  }

  // drawBars shows the bars and their help, or hides them (not the dates).
  drawBars(on) {
    // An SVG element has no hidden property.
    this.svg.toggleAttribute('hidden', !on);
    this.help.toggleAttribute('hidden', !on);
  }

  rangeText() {
    const { from, to, i18n } = this;
    if (!from && !to) return i18n.t('allDates');
    const bars = this.bars;
    const a = bars.find(b => b.start === from), b = bars.find(b => b.end === to);
    if (a && b) return i18n.t('span', a.long, b.long);
    return i18n.t('dates', from && i18n.day(from), to && i18n.day(to));
  }

  // selected returns the first and last bars within the span, or null.
  selected() {
    if (!this.from && !this.to) return null;
    let first = -1, last = -1;
    this.bars.forEach((b, i) => {
      if ((!this.from || b.end >= this.from) && (!this.to || b.start <= this.to)) {
        if (first < 0) first = i;
        last = i;
      }
    });
    return first < 0 ? null : [first, last];
  }

  draw() {
    if (!this.i18n || this.svg.hasAttribute('hidden')) return; // nothing to draw
    const n = this.bars.length;
    const width = Math.max(this.svg.clientWidth, 200);
    this.width = this.svg.clientWidth;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.svg.setAttribute('height', height);
    // No result has a date: no axis to click on, only words that say so.
    const empty = !this.bars.some(b => b.count);
    this.root.classList.toggle('tl-none', empty);
    if (empty) {
      this.svg.removeAttribute('aria-activedescendant');
      this.svg.setAttribute('role', 'img');
      this.svg.setAttribute('aria-label', this.i18n.t('noDates'));
      this.svg.removeAttribute('tabindex');
      this.svg.removeAttribute('aria-multiselectable');
      this.svg.removeAttribute('aria-orientation');
      replace(this.svg, s('text', { x: width / 2, y: height / 2, class: 'tl-empty', 'text-anchor': 'middle', 'aria-hidden': 'true', text: this.i18n.t('noDates') }));
      return;
    }
    this.svg.setAttribute('role', 'listbox');
    this.svg.removeAttribute('aria-label');
    this.svg.setAttribute('tabindex', '0');
    this.svg.setAttribute('aria-multiselectable', 'true');
    this.svg.setAttribute('aria-orientation', 'horizontal');
    // Slots share the width, up to a comfortable size; the bars are
    // centred when they do not need it all.
    const slot = Math.min((width - 8) / n, 140);
    const x0 = (width - slot * n) / 2;
    const barWidth = Math.max(Math.min(slot * 0.7, 64), 2);
    const max = Math.max(...this.bars.map(b => b.count), 1);
    const every = Math.ceil(34 / slot);
    this.geometry = { x0, slot };
    const base = top + chartHeight;
    // The options hold only shapes, named by aria-label; the counts and
    // dates drawn beside them are apart and hidden from assistive
    // technology, so that no option's visible text differs from its name.
    const texts = [];
    const bars = this.bars.map((b, i) => {
      const h = b.count ? Math.max(2, Math.round(b.count / max * chartHeight)) : 0;
      const x = x0 + i * slot;
      const cx = x + slot / 2;
      const showLabel = i % every === 0;
      if (slot >= 20 && b.count) texts.push(s('text', { class: 'tl-count', x: cx, y: base - h - 5, 'text-anchor': 'middle', text: this.i18n.num(b.count) }));
      if (showLabel) texts.push(s('text', { class: 'tl-label', x: cx, y: base + 16, 'text-anchor': 'middle', text: b.short }));
      if (showLabel && b.year && (i === 0 || b.first)) texts.push(s('text', { class: 'tl-year', x: cx, y: base + 29, 'text-anchor': 'middle', text: b.year }));
      return s('g', {
        id: `tl-${b.key}`, role: 'option', 'aria-selected': 'false', class: 'tl-bar',
        'aria-label': this.i18n.t('barLabel', b.long, b.count), 'data-index': i,
      },
      s('rect', { class: 'tl-hit', x, y: 0, width: slot, height: base + 30 }),
      s('rect', { class: 'tl-fill', x: cx - barWidth / 2, y: base - h, width: barWidth, height: h, rx: Math.min(3, barWidth / 4) }));
    });
    replace(this.svg,
      s('line', { x1: x0, x2: x0 + slot * n, y1: base + 0.5, y2: base + 0.5, class: 'tl-axis', 'aria-hidden': 'true' }),
      bars,
      s('g', { class: 'tl-texts', 'aria-hidden': 'true' }, texts));
    this.paint();
  }

  // paint marks the selected bars: the span being dragged, or the filter.
  paint() {
    const span = this.drag ? [Math.min(this.drag.start, this.drag.end), Math.max(this.drag.start, this.drag.end)] : this.selected();
    this.svg.classList.toggle('has-span', !!span);
    for (const g of this.svg.querySelectorAll('.tl-bar')) {
      const i = Number(g.dataset.index);
      const on = !!span && i >= span[0] && i <= span[1];
      g.setAttribute('aria-selected', String(on));
      g.classList.toggle('active', i === this.active);
    }
    const active = this.bars[this.active];
    if (active) this.svg.setAttribute('aria-activedescendant', `tl-${active.key}`);
    else this.svg.removeAttribute('aria-activedescendant');
  }

  setActive(i) {
    this.active = Math.max(0, Math.min(i, this.bars.length - 1));
    this.paint();
  }

  // commit sets the filter to the bars first..last.
  commit(first, last, opts) {
    const a = Math.min(first, last), b = Math.max(first, last);
    this.onSelect(this.bars[a].start, this.bars[b].end, opts);
  }

  indexAt(e, clamp) {
    if (!this.geometry) return -1;
    const rect = this.svg.getBoundingClientRect();
    const scale = this.width ? Math.max(this.svg.clientWidth, 200) / rect.width : 1;
    const i = Math.floor(((e.clientX - rect.left) * scale - this.geometry.x0) / this.geometry.slot);
    if (clamp) return Math.max(0, Math.min(i, this.bars.length - 1));
    return i >= 0 && i < this.bars.length ? i : -1;
  }

  pointerdown(e) {
    if (e.button !== 0) return;
    const i = this.indexAt(e, false);
    if (i < 0) return;
    e.preventDefault();
    // The focus ring is for the keyboard; a pointer shows its own place.
    this.svg.classList.add('pointer');
    this.svg.focus({ preventScroll: true });
    this.svg.setPointerCapture(e.pointerId);
    const start = e.shiftKey && this.anchor >= 0 ? this.anchor : i;
    this.drag = { start, end: i, moved: false, shift: e.shiftKey };
    this.active = i;
    this.paint();
  }

  pointermove(e) {
    if (!this.drag) return;
    const i = this.indexAt(e, true);
    if (i !== this.drag.end) {
      this.drag.end = i;
      this.drag.moved = true;
      this.active = i;
      this.paint();
    }
  }

  pointerup() {
    const d = this.drag;
    if (!d) return;
    this.drag = null;
    const sel = this.selected();
    // A click on the one selected bar clears the span.
    if (!d.moved && !d.shift && sel && sel[0] === d.end && sel[1] === d.end) {
      this.onSelect('', '');
      return;
    }
    this.anchor = d.start;
    this.commit(d.start, d.end);
  }

  keydown(e) {
    const n = this.bars.length;
    if (!n) return;
    this.svg.classList.remove('pointer');
    let next = this.active < 0 ? n - 1 : this.active;
    switch (e.key) {
      case 'ArrowLeft': case 'ArrowDown': next--; break;
      case 'ArrowRight': case 'ArrowUp': next++; break;
      case 'Home': next = 0; break;
      case 'End': next = n - 1; break;
      case 'Enter': case ' ':
        e.preventDefault();
        this.anchor = next;
        this.commit(next, next);
        return;
      case 'Escape': case 'Delete': case 'Backspace':
        if (this.from || this.to) {
          e.preventDefault();
          e.stopPropagation();
          this.onSelect('', '');
        }
        return;
      default:
        return;
    }
    e.preventDefault();
    const from = this.active < 0 ? next : this.active;
    this.setActive(next);
    if (e.shiftKey) {
      // Extend the span from its anchor; a span under way replaces its
      // own history entry.
      const had = this.selected();
      if (this.anchor < 0) this.anchor = from;
      this.commit(this.anchor, this.active, { replace: !!had });
    }
  }
}

// bucket turns the date facet (YYYY-MM values) into consecutive bars over
// the domain at least, months with no document included, by month or by
// year.
function bucket(counts, domain) {
  const byMonth = new Map();
  for (const m of domain || []) byMonth.set(m, 0);
  for (const c of counts) {
    if (/^\d{4}-\d{2}$/.test(c.value)) byMonth.set(c.value, (byMonth.get(c.value) || 0) + c.count);
    else if (/^\d{4}$/.test(c.value)) byMonth.set(c.value + '-01', (byMonth.get(c.value + '-01') || 0) + c.count);
  }
  if (!byMonth.size) return [];
  const keys = [...byMonth.keys()].sort();
  const first = monthNumber(keys[0]), last = monthNumber(keys[keys.length - 1]);
  const bars = [];
  if (last - first < maxMonths) {
    for (let m = first; m <= last; m++) {
      const key = monthKey(m);
      const year = key.slice(0, 4);
      bars.push({
        key, month: true, count: byMonth.get(key) || 0, year, first: key.endsWith('-01'),
        start: key + '-01', end: key + '-' + String(daysIn(m)).padStart(2, '0'),
      });
    }
  } else {
    const years = new Map();
    for (const [k, n] of byMonth) years.set(k.slice(0, 4), (years.get(k.slice(0, 4)) || 0) + n);
    const y0 = Number(keys[0].slice(0, 4)), y1 = Number(keys[keys.length - 1].slice(0, 4));
    for (let y = y0; y <= y1; y++) {
      const key = String(y);
      bars.push({ key, month: false, count: years.get(key) || 0, year: '', start: key + '-01-01', end: key + '-12-31' });
    }
  }
  return bars;
}

function monthNumber(key) { return Number(key.slice(0, 4)) * 12 + Number(key.slice(5, 7)) - 1; }
function monthKey(m) { return `${Math.floor(m / 12)}-${String(m % 12 + 1).padStart(2, '0')}`; }
function daysIn(m) { return new Date(Date.UTC(Math.floor(m / 12), m % 12 + 1, 0)).getUTCDate(); }
