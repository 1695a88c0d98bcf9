// Corp users (owners): who holds the token permission; grant (optionally until a date) and revoke.
import { call, seg, ApiError } from './api.js';
import { h, fill, table, when, problem, notice } from './dom.js';
import { confirm } from './dialog.js';

export function usersPage(main, session) {
  const base = '/corps/' + seg(session.corp) + '/users';
  const said = h('div');
  const list = h('section', { 'aria-label': 'Corp users' });
  main.append(h('p', { class: 'hint' }, 'A user needs the token permission to create and use '
    + 'tokens while the corp restricts tokens to permitted users (Corp settings).'), said, list);
  load();

  async function load() {
    try {
      const users = (await call('GET', base)).data;
      fill(list, table('The corp\'s users', [
        ['User', u => u.email],
        ['Role', u => u.role === 'OWNER' ? 'owner' : 'user'],
        ['Token permission', u => u.allowed
          ? (u.until ? 'allowed until ' + when(u.until) : 'allowed')
          : (u.until ? 'ended ' + when(u.until) : 'not allowed')],
        ['Change', u => {
          // datetime-local is read as UTC, the way every time on this console is shown.
          const until = h('input', { type: 'datetime-local', 'aria-label': 'Grant ends (UTC)' });
          return h('div', { class: 'actions' },
            h('label', { class: 'inline' }, 'until (UTC, optional)', until),
            h('button', { type: 'button', onclick: () => change(u, true, until.value) },
              u.allowed ? 'Grant again' : 'Grant'),
            u.allowed ? h('button', { type: 'button', class: 'danger',
              onclick: () => change(u, false, '') }, 'Revoke') : null);
        }],
      ], users));
    } catch (e) {
      fill(list, problem(e));
    }
  }

  async function change(user, allowed, untilLocal) {
    const body = { allowed };
    if (allowed && untilLocal) body.until = new Date(untilLocal + 'Z').toISOString();
    const path = base + '/' + seg(user.email) + '/tokenPermission';
    try {
      try {
        await call('PUT', path, body);
      } catch (e) {
        // 409: the change could lock the corp out. Show the warnings, and go on only if confirmed.
        if (!(e instanceof ApiError) || e.status !== 409) throw e;
        const go = await confirm('This could lock the corp out', [e.message, ...e.details],
          'Change it anyway');
        if (!go) {
          fill(said, notice('Nothing was changed.'));
          return;
        }
        await call('PUT', path, { ...body, confirmLockout: true });
      }
      fill(said, notice((allowed ? 'Granted the token permission to ' : 'Revoked the token '
        + 'permission of ') + user.email + '.'));
    } catch (e) {
      fill(said, problem(e));
    }
    load();
  }
}
