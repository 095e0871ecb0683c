import { ApiError, get, session } from './api.js';
import { clear, errorBox, field, h } from './dom.js';
import { loadMeta } from './meta.js';

/** Sign in with an API token; it is kept for this tab only. */
export function signInPage(done) {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, spellcheck: 'false' });
  const message = h('div', { class: 'form-message' });
  const form = h(
    'form',
    { class: 'signin card', novalidate: true },
    h('h1', {}, 'Sign in to Pactwatch'),
    h('p', {}, 'Paste an API token. A new installation prints an admin token the first time it starts (', h('code', {}, 'npm start'), '); more are made with ', h('code', {}, 'pactwatch token create --role analyst'), '.'),
    field('API token', input, 'Kept in this browser tab only; closing the tab signs you out.'),
    message,
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
  );
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const token = input.value.trim();
    if (!token) {
      clear(message, errorBox(new ApiError(400, { title: 'No token', detail: 'Paste the token first.' })));
      input.focus();
      return;
    }
    session.set(token);
    try {
      session.me = await get('/me');
      await loadMeta();
      done();
    } catch (err) {
      session.clear();
      clear(message, errorBox(err.status === 401 ? new ApiError(401, { title: 'Not signed in', detail: 'That token is not valid (unknown, revoked or expired).' }) : err));
      input.select();
    }
  });
  return form;
}
