// Small DOM helpers. Elements are built from data with textContent, never
// from HTML strings, except the API's marked text, which setMarked checks
// first.

const svgNS = 'http://www.w3.org/2000/svg';

// h builds an HTML element: attributes (class, text, on* listeners, the
// rest as attributes; null and false are left out) and children.
export function h(tag, attrs, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// s builds an SVG element as h does.
export function s(tag, attrs, ...children) {
  return build(document.createElementNS(svgNS, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k === 'class') el.setAttribute('class', v);
    else if (k === 'text') el.textContent = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c != null && c !== false) el.append(c);
  }
  return el;
}

// setMarked fills el with text the API escaped, in which matches are
// wrapped in <mark>. It is parsed as HTML only when it holds nothing but
// text and <mark> tags; anything else is shown as plain text.
export function setMarked(el, html) {
  if (!/[<>]/.test(html.replace(/<\/?mark>/g, ''))) {
    el.innerHTML = html;
    return el;
  }
  el.textContent = unescapeText(html.replace(/<[^>]*>/g, ''));
  return el;
}

const entities = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeText(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] !== '#') return entities[e.toLowerCase()] ?? m;
    const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return n > 0 && n <= 0x10ffff ? String.fromCodePoint(n) : m;
  });
}

// replace empties el and appends children.
export function replace(el, ...children) {
  el.replaceChildren(...children.flat(Infinity).filter(c => c != null && c !== false));
}

// keepFocus runs render, which rebuilds part of the page, and gives the
// focus back to the rebuilt element with the same data-key, so that the
// keyboard does not lose its place; to fallback when that is gone.
export function keepFocus(container, render, fallback) {
  const active = document.activeElement;
  const inside = !!active && container.contains(active);
  const key = inside ? active.dataset.key : undefined;
  render();
  if (!inside) return;
  const again = key === undefined ? null : [...container.querySelectorAll('[data-key]')].find(e => e.dataset.key === key);
  if (again) again.focus();
  else if (fallback && !container.contains(document.activeElement)) fallback.focus();
}

// plainClick reports whether a click is a plain one, that a link may
// handle in place (no modifier key, main button).
export function plainClick(e) {
  return e.button === 0 && !e.metaKey && !e.ctrlKey && !e.shiftKey && !e.altKey;
}
