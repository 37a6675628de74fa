// The search box's suggestions: an editable combobox with a list
// (the ARIA 1.2 combobox pattern). The focus stays in the input; the
// active option is named by aria-activedescendant.

import { h, replace } from './dom.js';

export class Combobox {
  // input has role=combobox and aria-controls the listbox; status is a
  // polite live region. describe(item) returns the option's parts;
  // onChoose(item) is called when an option is chosen.
  constructor(input, listbox, status, { describe, onChoose }) {
    this.input = input;
    this.listbox = listbox;
    this.status = status;
    this.describe = describe;
    this.onChoose = onChoose;
    this.items = [];
    this.active = -1;
    input.addEventListener('keydown', e => this.keydown(e));
    input.addEventListener('blur', () => this.close());
    // A press on an option keeps the focus in the input.
    listbox.addEventListener('pointerdown', e => e.preventDefault());
    listbox.addEventListener('click', e => {
      const li = e.target.closest('[role=option]');
      if (li) this.choose(Number(li.dataset.index));
    });
  }

  get open() { return this.input.getAttribute('aria-expanded') === 'true'; }

  // show lists items under the input, none active; an empty list closes.
  show(items, announce) {
    this.items = items;
    this.active = -1;
    replace(this.listbox, items.map((item, i) => {
      const d = this.describe(item);
      return h('li', { id: `suggestion-${i}`, role: 'option', 'aria-selected': 'false', 'data-index': i, class: `option kind-${item.kind}` },
        h('span', { class: 'option-text', lang: d.lang }, ...d.text),
        h('span', { class: 'option-kind', text: d.kind }),
        d.count ? h('span', { class: 'option-count', text: d.count }) : null);
    }));
    if (items.length && document.activeElement === this.input) {
      this.setOpen(true);
      this.status.textContent = announce(items.length);
    } else {
      this.close();
    }
  }

  close() {
    this.setActive(-1);
    this.setOpen(false);
  }

  setOpen(open) {
    this.input.setAttribute('aria-expanded', String(open));
    this.listbox.hidden = !open;
    if (!open) this.status.textContent = '';
  }

  setActive(i) {
    const old = this.listbox.querySelector('[aria-selected=true]');
    if (old) old.setAttribute('aria-selected', 'false');
    this.active = i;
    const li = i >= 0 ? this.listbox.children[i] : null;
    if (!li) {
      this.input.removeAttribute('aria-activedescendant');
      return;
    }
    li.setAttribute('aria-selected', 'true');
    this.input.setAttribute('aria-activedescendant', li.id);
    li.scrollIntoView({ block: 'nearest' });
  }

  choose(i) {
    const item = this.items[i];
    this.close();
    if (item) this.onChoose(item);
  }

  keydown(e) {
    const n = this.items.length;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp': {
        if (!n) return;
        e.preventDefault();
        if (!this.open) {
          this.setOpen(true);
          if (e.altKey) return;
        }
        const step = e.key === 'ArrowDown' ? 1 : -1;
        // From no option, down goes to the first and up to the last.
        const next = this.active < 0 ? (step > 0 ? 0 : n - 1) : (this.active + step + n) % n;
        this.setActive(next);
        return;
      }
      case 'Enter':
        if (this.open && this.active >= 0) {
          e.preventDefault();
          this.choose(this.active);
        } else {
          this.close();
        }
        return;
      case 'Escape':
        if (this.open) {
          e.preventDefault();
          e.stopPropagation();
          this.close();
        }
        return;
      case 'Tab':
        this.close();
        return;
    }
  }
}
