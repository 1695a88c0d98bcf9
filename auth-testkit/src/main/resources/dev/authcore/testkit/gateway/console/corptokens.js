// Corp tokens (owners): every token of the corp, filtered and paged, with rotate and delete.
import { call, seg } from './api.js';
import { h, fill, field, table, when, statusCell, problem, notice } from './dom.js';
import { confirm, showOnce } from './dialog.js';

export function corpTokensPage(main, session) {
  const base = '/corps/' + seg(session.corp) + '/tokens';
  const status = h('select', { name: 'status', id: 'filter-status' },
    h('option', { value: '' }, 'any'), h('option', { value: 'ACTIVE' }, 'active'),
    h('option', { value: 'EXPIRED' }, 'expired'), h('option', { value: 'DISABLED' }, 'disabled'));
  const creator = h('input', { name: 'creator', type: 'search', id: 'filter-creator' });
  const name = h('input', { name: 'name', type: 'search', id: 'filter-name' });
  const size = h('select', { name: 'limit', id: 'filter-limit' },
    ['10', '20', '50', '100'].map(n => h('option', { value: n }, n)));
  const filters = h('form', { class: 'row', 'aria-label': 'Filters', onsubmit: event => {
    event.preventDefault();
    cursors = [null];
    load();
  } }, field('Status', status), field('Creator (email)', creator), field('Name', name),
  field('Per page', size), h('button', { type: 'submit' }, 'Filter'));
  const said = h('div');
  const list = h('section', { 'aria-label': 'Corp tokens' });
  const pager = h('div', { class: 'actions' });
  main.append(filters, said, list, pager);
  // cursors[i] opens page i; the API's "next" cursor of page i is pushed as cursors[i + 1].
  let cursors = [null];
  load();

  async function load() {
    const page = cursors.length - 1;
    const query = new URLSearchParams({ limit: size.value });
    if (status.value) query.set('status', status.value);
    if (creator.value.trim()) query.set('creator', creator.value.trim());
    if (name.value.trim()) query.set('name', name.value.trim());
    if (cursors[page]) query.set('cursor', cursors[page]);
    try {
      const answer = await call('GET', base + '?' + query);
      const rows = answer.data;
      fill(list, rows.length === 0 ? h('p', {}, 'No tokens match.') : table(
        'Page ' + (page + 1) + ' of the corp\'s tokens', [
          ['Name', r => r.name],
          ['Creator', r => r.creator],
          ['Status', statusCell],
          ['Created', r => when(r.created)],
          ['Expires', r => when(r.expires)],
          ['Last used', r => when(r.lastUsed)],
          ['IPs used', r => r.ips.length ? r.ips.join(', ') : '—'],
          ['Own allow list', r => r.allowedIps ? r.allowedIps.split('\n').join(', ') : 'none'],
          ['Staged list would block', r => r.wouldBeBlocked
            ? r.wouldBeBlocked.count + ' request(s)' + (r.wouldBeBlocked.ips.length
              ? ' from ' + r.wouldBeBlocked.ips.join(', ') : '') : '—'],
          ['Actions', r => h('div', { class: 'actions' },
            h('button', { type: 'button', onclick: () => rotate(r) }, 'Rotate'),
            h('button', { type: 'button', class: 'danger', onclick: () => remove(r) }, 'Delete'))],
        ], rows));
      fill(pager,
        page > 0 ? h('button', { type: 'button', onclick: () => { cursors.pop(); load(); } },
          'Previous page') : null,
        answer.next ? h('button', { type: 'button', id: 'next-page', onclick: () => {
          cursors.push(answer.next);
          load();
        } }, 'Next page') : null);
    } catch (e) {
      fill(list, problem(e));
      fill(pager);
    }
  }

  async function rotate(row) {
    const grace = h('input', { type: 'number', min: '0', max: '10080', value: '60' });
    const go = await confirm('Rotate "' + row.name + '" of ' + row.creator + '?', [
      'The token gets a new secret, shown to you once; its owner must be given it.',
      h('label', {}, 'Old secret keeps working for (minutes, 0–10080)', grace)], 'Rotate', false);
    if (!go) return;
    try {
      const rotated = await call('POST', base + '/' + seg(row.id) + '/rotate',
        { graceMinutes: Number(grace.value || 0) });
      await showOnce('Token "' + row.name + '" rotated', rotated.token, [rotated.previousValidUntil
        ? 'The old secret works until ' + when(rotated.previousValidUntil) + '.'
        : 'The old secret stopped working.']);
      fill(said, notice('Token "' + row.name + '" rotated.'));
    } catch (e) {
      fill(said, problem(e));
    }
    load();
  }

  async function remove(row) {
    const go = await confirm('Delete "' + row.name + '" of ' + row.creator + '?',
      'Clients using this token stop working at once. This cannot be undone.', 'Delete');
    if (!go) return;
    try {
      await call('DELETE', base + '/' + seg(row.id));
      fill(said, notice('Token "' + row.name + '" deleted.'));
    } catch (e) {
      fill(said, problem(e));
    }
    load();
  }
}
