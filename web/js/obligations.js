// Obligations: search across every contract by counterparty, type, action,
// obligor and words; each result quotes its evidence and links into the review.
import { get } from './api.js';
import { clear, deadlineWords, downloadButton, errorBox, field, h, humanize, select } from './dom.js';
import { pager } from './contracts.js';
import { meta, typeLabel } from './meta.js';

const PAGE = 25;
const FILTERS = ['counterparty', 'type', 'action', 'obligor', 'trigger', 'q'];


function result(o) {
  return h(
    'li',
    { class: 'result card' },
    h(
      'div',
      { class: 'result-head' },
      h('strong', {}, o.summary),
      h('span', { class: 'meta-line' }, o.counterpartyName, ' · ', typeLabel(o.type)),
    ),
    h(
      'dl',
      { class: 'fields inline' },
      h('dt', {}, 'Action'),
      h('dd', {}, humanize(o.action)),
      h('dt', {}, 'Owed by'),
      h('dd', {}, o.obligor === 'us' ? 'Us' : o.obligor === 'both' ? 'Both parties' : o.counterpartyName),
      o.trigger !== 'none' ? [h('dt', {}, 'When'), h('dd', {}, humanize(o.trigger))] : null,
      o.deadline ? [h('dt', {}, 'Deadline'), h('dd', {}, deadlineWords(o.deadline))] : null,
    ),
    h('blockquote', { class: 'quote' }, o.quote),
    h('p', { class: 'source' }, h('a', { href: `#/contracts/${encodeURIComponent(o.contractId)}?clause=${encodeURIComponent(o.clauseId)}` }, `Open in the contract, page ${o.page}`)),
  );
}

export async function obligationsPage({ query }) {
  const current = Object.fromEntries(FILTERS.map((k) => [k, query.get(k) ?? '']));
  const offset = Number(query.get('offset') ?? 0) || 0;
  const m = meta.value ?? {};
  const counterparties = await get('/counterparties', { limit: 100 });

  const controls = {
    counterparty: h('input', { name: 'counterparty', value: current.counterparty, list: 'ob-counterparties', autocomplete: 'off' }),
    type: select('type', (m.clauseTypes ?? []).map((t) => [t.id, typeLabel(t.id)]), { value: current.type, empty: 'Any type' }),
    action: select('action', m.actions ?? [], { value: current.action, empty: 'Any action' }),
    obligor: select('obligor', [['us', 'Us'], ['counterparty', 'The counterparty'], ['both', 'Both']], { value: current.obligor, empty: 'Anyone' }),
    trigger: select('trigger', m.triggers ?? [], { value: current.trigger, empty: 'Any trigger' }),
    q: h('input', { name: 'q', type: 'search', value: current.q, placeholder: 'e.g. notify breach' }),
  };
  const message = h('div', { class: 'form-message' });
  const form = h(
    'form',
    { class: 'filters card', role: 'search', 'aria-label': 'Search obligations' },
    field('Counterparty', controls.counterparty),
    h('datalist', { id: 'ob-counterparties' }, counterparties.items.map((c) => h('option', { value: c.name }))),
    field('Clause type', controls.type),
    field('Action', controls.action),
    field('Owed by', controls.obligor),
    field('Trigger', controls.trigger),
    field('Words', controls.q),
    h('div', { class: 'buttons' }, h('button', { type: 'submit', class: 'primary' }, 'Search'), downloadButton('Export CSV', '/obligations.csv', 'obligations.csv', message, () => chosen())),
    message,
  );
  const chosen = () => Object.fromEntries(FILTERS.map((k) => [k, controls[k].value.trim()]).filter(([, v]) => v));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const params = new URLSearchParams(chosen());
    const next = `#/obligations?${params.toString()}`;
    if (location.hash === next) window.dispatchEvent(new HashChangeEvent('hashchange'));
    else location.hash = next;
  });

  const results = h('section', { class: 'results', 'aria-labelledby': 'results-h' });
  const filtersUsed = Object.values(current).some(Boolean);
  try {
    const page = await get('/obligations', { ...current, limit: PAGE, offset });
    clear(
      results,
      h('h2', { id: 'results-h' }, filtersUsed ? `${page.total} obligation${page.total === 1 ? '' : 's'} found` : `All obligations (${page.total})`),
      page.items.length ? h('ol', { class: 'result-list' }, page.items.map(result)) : h('p', { class: 'empty' }, 'Nothing matches. Try fewer filters or other words.'),
      pager(page, current, 'obligations'),
    );
  } catch (err) {
    clear(results, errorBox(err));
  }
  return { node: h('div', { class: 'page' }, h('h1', {}, 'Obligations'), form, results) };
}
