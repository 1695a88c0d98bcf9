// My tokens: list, add (shown once), rotate, set a token's own allow list, delete.
import { call, seg } from './api.js';
import { h, fill, field, table, when, statusCell, problem, notice } from './dom.js';
import { confirm, showOnce } from './dialog.js';

export function myTokensPage(main) {
  const status = h('div');
  const list = h('section', { 'aria-label': 'Your tokens' });
  const name = h('input', { name: 'name', required: true, maxlength: '100', id: 'new-token-name' });
  const days = h('input', { name: 'expiresInDays', type: 'number', min: '1', max: '3650',
    id: 'new-token-days' });
  const addErrors = h('div');
  const add = h('form', { class: 'stack', onsubmit: create, 'aria-label': 'Add token' },
    h('h2', {}, 'Add token'),
    h('div', { class: 'row' }, field('Name', name),
      field('Expires in days (optional)', days, 'The corp\'s expiry window still applies.')),
    addErrors,
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Add token')));
  main.append(status, list, add);
  load();

  async function load() {
    try {
      const rows = (await call('GET', '/me/tokens')).data;
      fill(list, rows.length === 0 ? h('p', {}, 'You have no tokens.') : table('Your tokens', [
        ['Name', r => r.name],
        ['Created', r => when(r.created)],
        ['Expires', r => when(r.expires)],
        ['Last used', r => when(r.lastUsed)],
        ['Used from', r => r.ips.length ? r.ips.join(', ') : '—'],
        ['Status', statusCell],
        ['Rotated', r => r.rotated ? when(r.rotated) + (r.previousValidUntil
          ? ' (old secret works until ' + when(r.previousValidUntil) + ')' : '') : '—'],
        ['Own allow list', r => r.allowedIps ? r.allowedIps.split('\n').join(', ') : 'none'],
        ['Actions', r => h('div', { class: 'actions' },
          h('button', { type: 'button', onclick: () => rotate(r) }, 'Rotate'),
          h('button', { type: 'button', onclick: () => editIps(r) }, 'Allowed IPs'),
          h('button', { type: 'button', class: 'danger', onclick: () => remove(r) }, 'Delete'))],
      ], rows));
    } catch (e) {
      fill(list, problem(e));
    }
  }

  async function create(event) {
    event.preventDefault();
    fill(addErrors);
    const body = { name: name.value.trim() };
    if (days.value !== '') body.expiresInDays = Number(days.value);
    let issued;
    try {
      issued = await call('POST', '/me/tokens', body);
    } catch (e) {
      fill(addErrors, problem(e));
      return;
    }
    name.value = '';
    days.value = '';
    const { token: secret, expires } = issued;
    issued = null; // the response, and so the secret, is held only by the dialog from here
    await showOnce('Token "' + body.name + '" added', secret,
      ['Expires: ' + (expires ? when(expires) : 'never') + '.']);
    fill(status, notice('Token "' + body.name + '" added.'));
    load();
  }

  async function rotate(row) {
    const grace = h('input', { type: 'number', min: '0', max: '10080', value: '60', id: 'grace' });
    const go = await confirm('Rotate "' + row.name + '"?', [
      'The token gets a new secret, shown once. Clients using the old secret must switch.',
      h('label', {}, 'Old secret keeps working for (minutes, 0–10080)', grace)], 'Rotate', false);
    if (!go) return;
    try {
      const rotated = await call('POST', '/me/tokens/' + seg(row.id) + '/rotate',
        { graceMinutes: Number(grace.value || 0) });
      const until = rotated.previousValidUntil;
      await showOnce('Token "' + row.name + '" rotated', rotated.token, [until
        ? 'The old secret works until ' + when(until) + '.' : 'The old secret stopped working.']);
      fill(status, notice('Token "' + row.name + '" rotated.'));
    } catch (e) {
      fill(status, problem(e));
    }
    load();
  }

  async function editIps(row) {
    const text = h('textarea', { id: 'token-ips', rows: '5' });
    text.value = row.allowedIps || '';
    const go = await confirm('Allowed IPs of "' + row.name + '"', [
      'One address or CIDR range per line. The token then works from these only (and never from '
        + 'outside the corp\'s list). Leave empty for no list of its own.',
      h('label', {}, 'Allowed IPs', text)], 'Save', false);
    if (!go) return;
    try {
      const saved = await call('PUT', '/me/tokens/' + seg(row.id) + '/allowedIps',
        { allowedIps: text.value });
      fill(status, notice('Allowed IPs of "' + row.name + '" saved.'),
        saved.warnings.map(w => h('p', { class: 'warning' }, w)));
    } catch (e) {
      fill(status, problem(e));
    }
    load();
  }

  async function remove(row) {
    const go = await confirm('Delete "' + row.name + '"?',
      'Clients using this token stop working at once. This cannot be undone.', 'Delete');
    if (!go) return;
    try {
      await call('DELETE', '/me/tokens/' + seg(row.id));
      fill(status, notice('Token "' + row.name + '" deleted.'));
    } catch (e) {
      fill(status, problem(e));
    }
    load();
  }
}
