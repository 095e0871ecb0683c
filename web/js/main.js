// The workspace: a hash router over four pages, shown once a token is signed in.
import { get, session } from './api.js';
import { clear, errorBox, h } from './dom.js';
import { contractsPage } from './contracts.js';
import { reviewPage } from './review.js';
import { obligationsPage } from './obligations.js';
import { incidentsPage, declarePage, incidentPage } from './incidents.js';
import { signInPage } from './signin.js';
import { loadMeta } from './meta.js';

const main = document.getElementById('main');
/** Whatever the current page must stop when the user leaves it (timers, polling). */
let leave = () => {};

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/contracts';
  const [path, qs = ''] = raw.split('?');
  return { parts: path.split('/').filter(Boolean), query: new URLSearchParams(qs) };
}

const ROUTES = [
  [['contracts'], contractsPage],
  [['contracts', ':id'], reviewPage],
  [['obligations'], obligationsPage],
  [['incidents'], incidentsPage],
  [['incidents', 'new'], declarePage],
  [['incidents', ':id'], incidentPage],
];

function match(parts) {
  for (const [pattern, page] of ROUTES) {
    if (pattern.length !== parts.length) continue;
    const params = {};
    if (pattern.every((p, i) => (p.startsWith(':') ? ((params[p.slice(1)] = decodeURIComponent(parts[i])), true) : p === parts[i]))) return { page, params };
  }
  return null;
}

function showWho() {
  const who = document.getElementById('who');
  if (!session.me) return clear(who);
  clear(
    who,
    h('span', {}, session.me.name, ' · ', h('span', { class: 'role' }, session.me.role)),
    h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'),
  );
}

function signOut() {
  session.clear();
  showWho();
  route();
}

async function ensureSignedIn() {
  if (session.me) return true;
  if (!session.token) return false;
  try {
    session.me = await get('/me');
    await loadMeta();
    return true;
  } catch {
    session.clear();
    return false;
  }
}

async function route() {
  leave();
  leave = () => {};
  const { parts, query } = parseHash();
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === parts[0]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!(await ensureSignedIn())) {
    showWho();
    clear(main, signInPage(() => route()));
    main.querySelector('input')?.focus();
    return;
  }
  showWho();
  const found = match(parts);
  if (!found) {
    clear(main, h('h1', {}, 'Not found'), h('p', {}, 'There is no page here. ', h('a', { href: '#/contracts' }, 'Go to the contracts')));
    return;
  }
  clear(main, h('p', { class: 'loading' }, 'Loading…'));
  try {
    const view = await found.page({ params: found.params, query });
    clear(main, view.node);
    leave = view.leave ?? (() => {});
    view.ready?.();
    if (!view.keepFocus) main.focus({ preventScroll: true });
  } catch (err) {
    clear(main, errorBox(err));
  }
}

window.addEventListener('hashchange', route);
window.addEventListener('pactwatch:signed-out', () => {
  if (session.token) signOut();
});
route();
