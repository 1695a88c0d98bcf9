// Building the page safely: every value becomes a text node, never HTML.

/**
 * Creates an element. attrs: "on<event>" keys add listeners, other keys are set as attributes
 * (false/null/undefined skip one). Children: nodes, or anything else as text.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (value === true) {
      el.setAttribute(key, '');
    } else if (value !== false && value != null) {
      el.setAttribute(key, String(value));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child == null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's content with these children. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** An instant from the API (ISO-8601 UTC, or null) for a person: "2026-05-01 14:03 UTC" or "—". */
export function when(instant) {
  if (!instant) return '—';
  return instant.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, ' UTC');
}

/** A labelled form control: the label wraps the control, so it is named for screen readers. */
export function field(text, control, hint) {
  return h('label', {}, text, control, hint ? h('span', { class: 'hint' }, hint) : null);
}

/**
 * A table whose rows turn into cards at phone width. columns: [[header, row => cell content]].
 */
export function table(caption, columns, rows) {
  return h('div', { class: 'table-wrap' },
    h('table', { class: 'cards' },
      h('caption', { class: 'hint' }, caption),
      h('thead', {}, h('tr', {}, columns.map(([head]) => h('th', { scope: 'col' }, head)))),
      h('tbody', {}, rows.map(row =>
        h('tr', {}, columns.map(([head, cell]) => h('td', { 'data-label': head }, cell(row))))))));
}

/** A token's status for a person: active, expired (and why), disabled by an owner's rule. */
export function statusCell(row) {
  const words = { ACTIVE: 'active', EXPIRED: 'expired', DISABLED: 'disabled by owner' };
  const why = { AGE: 'by age', INACTIVITY: 'unused too long', TOKEN: 'its own expiry' };
  const text = words[row.status] || row.status;
  return h('span', { class: 'status status-' + row.status },
    row.expiredBy && why[row.expiredBy] ? text + ' (' + why[row.expiredBy] + ')' : text);
}

/**
 * An error in words, where it belongs: the message, then each detail (a sentence, or an allow-list
 * problem {line, text, reason}) as a list item. role=alert so a screen reader announces it.
 */
export function problem(error) {
  const details = (error.details || []).map(d => typeof d === 'string' ? d
    : d && typeof d === 'object' && 'line' in d ? 'line ' + d.line + ': ' + d.text + ' — ' + d.reason
      : String(d));
  return h('div', { class: 'error', role: 'alert' },
    h('p', {}, error.message || 'Something went wrong.'),
    details.length ? h('ul', {}, details.map(d => h('li', {}, d))) : null);
}

/** A short success note, announced politely. */
export function notice(text) {
  return h('p', { class: 'notice', role: 'status' }, text);
}
