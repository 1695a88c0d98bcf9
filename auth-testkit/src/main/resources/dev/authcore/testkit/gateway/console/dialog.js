// Modal dialogs: a confirmation, and the one place a new token's secret is shown.
import { h } from './dom.js';

/**
 * Opens a modal <dialog> holding `children` and `buttons` ([label, value, className]); resolves to
 * the value of the button pressed. Focus moves into the dialog and Tab cycles inside it until it is
 * dismissed; then the dialog is removed from the document and focus returns where it was.
 * Escape counts as the button whose value is `escapeValue` (none: Escape does nothing).
 */
function modal(title, children, buttons, escapeValue) {
  const before = document.activeElement;
  return new Promise(resolve => {
    const titleId = 'dialog-title-' + Math.random().toString(36).slice(2);
    const dialog = h('dialog', { 'aria-labelledby': titleId },
      h('h2', { id: titleId }, title),
      children,
      h('div', { class: 'actions' }, buttons.map(([label, value, cls]) =>
        h('button', { type: 'button', class: cls || false, onclick: () => close(value) }, label))));
    function close(value) {
      dialog.close();
      dialog.remove(); // gone from the DOM, with anything it showed
      if (before && before.isConnected) before.focus();
      resolve(value);
    }
    dialog.addEventListener('cancel', event => {
      event.preventDefault(); // Escape: only as the caller allows
      if (escapeValue !== undefined) close(escapeValue);
    });
    dialog.addEventListener('keydown', event => {
      if (event.key !== 'Tab') return;
      const focusable = [...dialog.querySelectorAll('button, input, textarea, select, [tabindex]')]
        .filter(el => !el.disabled && el.tabIndex >= 0);
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    });
    document.body.append(dialog);
    dialog.showModal();
    const focusFirst = dialog.querySelector('[autofocus]') || dialog.querySelector('button');
    focusFirst.focus();
  });
}

/** Asks before something that cannot be undone; resolves to true to go ahead. */
export function confirm(title, lines, goLabel, danger = true) {
  return modal(title, [lines].flat().map(line => h('p', {}, line)),
    [['Cancel', false], [goLabel, true, danger ? 'danger' : 'primary']], false);
}

/**
 * Shows a new token's secret once, with a copy button. Only "I have stored it" closes it (Escape
 * does not), and closing removes the secret from the page.
 */
export function showOnce(title, secret, notes = []) {
  let holder = h('code', { class: 'secret', tabindex: '0', id: 'new-token' }, secret);
  const said = h('p', { class: 'hint', role: 'status' });
  const copy = h('button', { type: 'button', autofocus: true, onclick: async () => {
    try {
      await navigator.clipboard.writeText(holder.textContent);
      said.textContent = 'Copied.';
    } catch {
      window.getSelection().selectAllChildren(holder);
      said.textContent = 'Copying is not allowed here: the token is selected, copy it yourself.';
    }
  } }, 'Copy');
  const children = [
    h('p', {}, 'This is the only time the token is shown. Store it now, in a secret store or a '
      + 'password manager; the gateway keeps only its hash.'),
    holder, h('div', { class: 'actions' }, copy), said,
    notes.map(note => h('p', {}, note)),
  ];
  return modal(title, children, [['I have stored it', true, 'primary']]).then(() => {
    holder.textContent = '';
    holder = null; // the page keeps no reference to the secret
  });
}
