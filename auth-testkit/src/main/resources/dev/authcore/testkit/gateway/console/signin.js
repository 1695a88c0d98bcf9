// Sign in: an email and a token, checked by calling the API with them.
import { call, saveSession, seg, ApiError } from './api.js';
import { h, fill, field, problem } from './dom.js';

export function signInPage(main, message, done) {
  const email = h('input', { type: 'email', name: 'email', required: true, autocomplete: 'username',
    id: 'signin-email' });
  const token = h('input', { type: 'password', name: 'token', required: true,
    autocomplete: 'off', spellcheck: 'false', id: 'signin-token' });
  const errors = h('div');
  const form = h('form', { class: 'stack', onsubmit: submit },
    field('Email', email),
    field('Token', token, 'Your personal API token (the gateway printed a bootstrap token at start).'),
    errors,
    h('div', {}, h('button', { type: 'submit', class: 'primary' }, 'Sign in')));
  fill(main, h('h1', {}, 'Sign in'),
    message ? h('p', { class: 'warning', role: 'status' }, message) : null, form);
  email.focus();

  async function submit(event) {
    event.preventDefault(); // the form never submits: the token must not end up in a URL
    const credentials = { email: email.value.trim(), token: token.value.trim() };
    fill(errors);
    try {
      // Called with the credentials given (not yet a session), so a 401 is answered here.
      const corps = await call('GET', '/corps', undefined, credentials);
      const corp = corps.data[0].name;
      let owner = true;
      try {
        await call('GET', '/corps/' + seg(corp) + '/tokenSettings', undefined, credentials);
      } catch (e) {
        if (!(e instanceof ApiError) || e.status !== 403) throw e;
        owner = false;
      }
      token.value = '';
      saveSession({ ...credentials, corp, owner });
      done();
    } catch (e) {
      token.value = '';
      fill(errors, problem(e.status === 401
        ? { message: 'That email and token were not accepted. Check both and try again.' } : e));
      token.focus();
    }
  }
}
