// The console's shell: which page shows (from the URL's #fragment), the navigation, sign-out.
import { session, forget, onUnauthorized } from './api.js';
import { h, fill } from './dom.js';
import { signInPage } from './signin.js';
import { myTokensPage } from './mytokens.js';
import { corpTokensPage } from './corptokens.js';
import { settingsPage } from './settings.js';
import { usersPage } from './users.js';

const PAGES = [
  { hash: '#/tokens', title: 'My tokens', render: myTokensPage, owner: false },
  { hash: '#/corp-tokens', title: 'Corp tokens', render: corpTokensPage, owner: true },
  { hash: '#/settings', title: 'Corp settings', render: settingsPage, owner: true },
  { hash: '#/users', title: 'Corp users', render: usersPage, owner: true },
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const who = document.getElementById('who');
const signOutButton = document.getElementById('signout');

/** Shows the page the URL names, or sign-in when no one is signed in. */
function show(message) {
  const current = session();
  if (!current) {
    nav.hidden = true;
    signOutButton.hidden = true;
    who.textContent = '';
    document.title = 'Sign in · auth-core console';
    signInPage(main, message, () => {
      if (location.hash !== '#/tokens') location.hash = '#/tokens';
      else show();
    });
    return;
  }
  const pages = PAGES.filter(page => current.owner || !page.owner);
  const page = pages.find(p => p.hash === location.hash) || pages[0];
  fill(nav, pages.map(p => h('a', { href: p.hash, 'aria-current': p === page ? 'page' : false },
    p.title)));
  nav.hidden = false;
  signOutButton.hidden = false;
  who.textContent = current.email + ' · ' + current.corp + (current.owner ? ' (owner)' : '');
  document.title = page.title + ' · auth-core console';
  fill(main, h('h1', {}, page.title));
  page.render(main, current);
  main.focus();
}

signOutButton.addEventListener('click', () => {
  forget();
  history.replaceState(null, '', location.pathname); // no page left in the fragment
  show('You are signed out.');
});

// A 401 on any call: the token was deleted, expired or refused. Back to sign-in, saying why.
onUnauthorized(() => show('Your session ended: the gateway no longer accepts that token. Sign in again.'));

window.addEventListener('hashchange', () => show());
show();
