// Corp settings (owners): expiry window, inactivity, restriction, the IP allow list and a staged
// list. A change is previewed first (what it would expire, disable, block or bring back), then
// saved; a change that could lock the corp out is saved only once confirmed.
import { call, seg, ApiError } from './api.js';
import { h, fill, field, table, when, problem, notice } from './dom.js';
import { confirm } from './dialog.js';

const PRESETS = ['30', '60', '90', '180', '365'];

export function settingsPage(main, session) {
  const base = '/corps/' + seg(session.corp) + '/tokenSettings';
  const expiry = h('select', { id: 'expiry' }, h('option', { value: 'none' }, 'no expiry'),
    PRESETS.map(d => h('option', { value: d }, d + ' days')),
    h('option', { value: 'custom' }, 'custom'));
  const custom = h('input', { type: 'number', min: '1', max: '3650', id: 'expiry-custom' });
  const customField = field('Custom window (days, 1–3650)', custom);
  const inactive = h('input', { type: 'number', min: '7', max: '365', id: 'inactive-days' });
  const restricted = h('input', { type: 'checkbox', id: 'restricted' });
  const ips = h('textarea', { id: 'allowed-ips', rows: '6', spellcheck: 'false' });
  const ipsMarks = h('div', { id: 'allowed-ips-lines' });
  const staged = h('textarea', { id: 'staged-ips', rows: '4', spellcheck: 'false' });
  const stagedMarks = h('div', { id: 'staged-ips-lines' });
  const stagedInfo = h('p', { class: 'hint' });
  const previewButton = h('button', { type: 'submit', class: 'primary' }, 'Preview');
  const saveButton = h('button', { type: 'button', id: 'save', disabled: true, onclick: save },
    'Save');
  const enforceButton = h('button', { type: 'button', id: 'enforce', onclick: enforce },
    'Enforce the staged list');
  const said = h('div');
  const previewBox = h('section', { 'aria-label': 'Preview', id: 'preview' });

  const form = h('form', { class: 'stack', onsubmit: preview, 'aria-label': 'Token settings' },
    h('div', { class: 'row' }, field('Expiry window', expiry,
      'Tokens expire this long after creation, whatever their own expiry.'), customField),
    field('Expire tokens unused for (days, 7–365; empty for never)', inactive),
    h('label', { class: 'inline' }, restricted, 'Only users with the token permission may '
      + 'create and use tokens'),
    h('p', { class: 'warning' }, 'When restricted, tokens of users without the permission are '
      + 'disabled, and owners need the permission too (grant it on Corp users) or they lose '
      + 'their own access.'),
    field('IP allow list (one address or CIDR range per line; empty for any address)', ips),
    ipsMarks,
    field('Staged list (report-only: counts what it would block, enforces nothing; empty for '
      + 'none)', staged),
    stagedMarks, stagedInfo,
    said,
    h('div', { class: 'actions' }, previewButton, saveButton, enforceButton));
  main.append(form, previewBox);
  // Any edit invalidates the preview: Save only sends what was previewed.
  form.addEventListener('input', () => { saveButton.disabled = true; });
  expiry.addEventListener('change', () => { customField.hidden = expiry.value !== 'custom'; });
  load();

  async function load() {
    try {
      show(await call('GET', base));
    } catch (e) {
      fill(said, problem(e));
    }
  }

  function show(s) {
    const days = s.expiryDays == null ? 'none' : String(s.expiryDays);
    expiry.value = PRESETS.includes(days) || days === 'none' ? days : 'custom';
    custom.value = expiry.value === 'custom' ? days : '';
    customField.hidden = expiry.value !== 'custom';
    inactive.value = s.inactiveDays == null ? '' : String(s.inactiveDays);
    restricted.checked = s.restricted;
    ips.value = s.allowedIps;
    staged.value = s.stagedAllowedIps || '';
    stagedInfo.textContent = s.stagedSince ? 'Staged since ' + when(s.stagedSince)
      + '. Corp tokens shows what it would block.' : 'No list is staged.';
    enforceButton.disabled = !s.stagedSince;
    fill(ipsMarks);
    fill(stagedMarks);
  }

  /** The settings as the form holds them, or null after saying what is wrong. */
  function body() {
    let expiryDays = null;
    if (expiry.value === 'custom') {
      expiryDays = Number(custom.value);
      if (!Number.isInteger(expiryDays) || expiryDays < 1 || expiryDays > 3650) {
        fill(said, problem({ message: 'The custom expiry window must be a whole number of days '
          + 'from 1 to 3650.' }));
        custom.focus();
        return null;
      }
    } else if (expiry.value !== 'none') {
      expiryDays = Number(expiry.value);
    }
    return {
      expiryDays, restricted: restricted.checked, allowedIps: ips.value,
      inactiveDays: inactive.value === '' ? null : Number(inactive.value),
      stagedAllowedIps: staged.value,
    };
  }

  /**
   * After a 400 for an allow list: every line as sent, the refused ones marked with the reason
   * beside them. The API's details do not say which list they are about, so a problem is shown
   * against the list whose line holds that text.
   */
  function markLines(error) {
    fill(ipsMarks);
    fill(stagedMarks);
    const problems = error.details.filter(d => d && typeof d === 'object' && 'line' in d);
    if (problems.length === 0) return false;
    for (const [textarea, marks, label] of [[ips, ipsMarks, 'IP allow list'],
      [staged, stagedMarks, 'Staged list']]) {
      const lines = textarea.value.split('\n');
      const mine = problems.filter(p => (lines[p.line - 1] || '').trim() === p.text.trim());
      textarea.setAttribute('aria-invalid', mine.length ? 'true' : 'false');
      if (mine.length === 0) continue;
      fill(marks, h('p', { class: 'error' }, label + ': ' + mine.length + ' line(s) refused.'),
        h('ol', { class: 'lines', 'aria-label': label + ' lines' }, lines.map((line, i) => {
          const refused = mine.find(p => p.line === i + 1);
          return h('li', { class: refused ? 'refused' : false }, line,
            refused ? h('span', { class: 'reason' }, '← ' + refused.reason) : null);
        })));
    }
    return true;
  }

  async function preview(event) {
    event.preventDefault();
    const settings = body();
    if (!settings) return;
    fill(said);
    fill(previewBox);
    try {
      const p = await call('POST', base + '/preview', settings);
      fill(ipsMarks);
      fill(stagedMarks);
      const part = (title, rows) => [h('h2', {}, title + ' (' + rows.length + ')'),
        rows.length ? table(title, [['Name', r => r.name], ['Creator', r => r.creator],
          ['Expires', r => when(r.expires)]], rows) : h('p', { class: 'hint' }, 'none')];
      fill(previewBox, h('h2', {}, 'What saving would change'),
        p.warnings.map(w => h('p', { class: 'warning', role: 'alert' }, w)),
        part('Would expire', p.wouldExpire), part('Would be disabled', p.wouldBeDisabled),
        part('Would be blocked by the allow list', p.wouldBeBlocked),
        part('Would come back', p.wouldComeBack));
      saveButton.disabled = false;
      saveButton.focus();
    } catch (e) {
      fill(said, markLines(e) ? problem({ message: e.message }) : problem(e));
    }
  }

  async function save() {
    const settings = body();
    if (!settings) return;
    try {
      let saved;
      try {
        saved = await call('PUT', base, settings);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 409) throw e;
        if (!(await confirm('This could lock the corp out', [e.message, ...e.details],
          'Save anyway'))) {
          fill(said, notice('Nothing was saved.'));
          return;
        }
        saved = await call('PUT', base, { ...settings, confirmLockout: true });
      }
      show(saved);
      fill(previewBox);
      saveButton.disabled = true;
      fill(said, notice('Settings saved.'));
    } catch (e) {
      fill(said, markLines(e) ? problem({ message: e.message }) : problem(e));
    }
  }

  async function enforce() {
    const go = await confirm('Enforce the staged list?', 'The staged list replaces the IP allow '
      + 'list now: requests from outside it are refused.', 'Enforce', false);
    if (!go) return;
    try {
      let saved;
      try {
        saved = await call('POST', base + '/enforceStaged', {});
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 409 || e.details.length === 0) throw e;
        if (!(await confirm('This could lock the corp out', [e.message, ...e.details],
          'Enforce anyway'))) return;
        saved = await call('POST', base + '/enforceStaged', { confirmLockout: true });
      }
      show(saved);
      fill(said, notice('The staged list is now the allow list.'));
    } catch (e) {
      fill(said, problem(e));
    }
  }
}
