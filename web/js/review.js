// Contract review: the text with every clause highlighted by type and page
// numbers in the margin; beside it the clauses with their values, the policy
// scorecard and the obligations. Clicking an entry scrolls to its evidence.
import { ApiError, get, post, session } from './api.js';
import { announce, badge, clear, countBy, deadlineWords, downloadButton, errorBox, fieldList, h, humanize, when } from './dom.js';
import { failureReason, statusBadge } from './contracts.js';
import { typeClass, typeLabel } from './meta.js';

const OUTCOME = { met: ['Met', 'ok'], not_met: ['Not met', 'bad'], needs_review: ['Needs review', 'warn'], missing: ['Missing', 'bad'] };

/**
 * The text cut at every page and clause boundary; each piece inside a clause
 * becomes a <mark> coloured by the innermost clause's type. The first piece
 * of each clause carries an anchor to scroll to.
 */
export function renderText(text, pages, clauses) {
  const container = h('div', { class: 'doc', id: 'doc' });
  const spans = pages.length ? pages : [{ number: 1, start: 0, end: text.length }];
  const sorted = [...clauses].sort((a, b) => a.start - b.start || b.end - a.end);
  for (const page of spans) {
    const body = h('div', { class: 'page-text' });
    const inPage = sorted.filter((c) => c.start < page.end && c.end > page.start);
    const cuts = new Set([page.start, page.end]);
    for (const c of inPage) {
      cuts.add(Math.max(c.start, page.start));
      cuts.add(Math.min(c.end, page.end));
    }
    const points = [...cuts].sort((a, b) => a - b);
    for (let i = 0; i + 1 < points.length; i++) {
      const [a, b] = [points[i], points[i + 1]];
      for (const c of inPage) if (c.start === a) body.append(h('span', { class: 'anchor', id: `c-${c.id}`, tabindex: '-1' }));
      const covering = inPage.filter((c) => c.start <= a && c.end >= b);
      const piece = text.slice(a, b);
      if (covering.length === 0) {
        body.append(piece);
        continue;
      }
      const inner = covering.reduce((x, y) => (y.end - y.start < x.end - x.start ? y : x));
      body.append(
        h(
          'mark',
          {
            class: ['hl', typeClass(inner.type), covering.length > 1 && 'nested'],
            dataset: { clauses: covering.map((c) => c.id).join(' '), type: inner.type },
            title: [...new Set(covering.map((c) => typeLabel(c.type)))].join(' + '),
          },
          piece,
        ),
      );
    }
    container.append(h('section', { class: 'page-block', 'aria-label': `Page ${page.number}`, dataset: { page: String(page.number) } }, h('div', { class: 'page-no', 'aria-hidden': 'true' }, `p. ${page.number}`), body));
  }
  return container;
}

/** Scrolls to a clause's (or any span's) evidence and flashes it. */
function showEvidence(doc, clauseId) {
  for (const m of doc.querySelectorAll('mark.focus')) m.classList.remove('focus');
  const anchor = doc.querySelector(`#c-${CSS.escape(clauseId)}`);
  if (!anchor) return false;
  for (const m of doc.querySelectorAll('mark[data-clauses]')) if (m.dataset.clauses.split(' ').includes(clauseId)) m.classList.add('focus');
  anchor.scrollIntoView({ block: 'center', behavior: 'smooth' });
  anchor.focus({ preventScroll: true });
  return true;
}

function jumpButton(doc, clauseId, label) {
  return h('button', { type: 'button', class: 'jump', onclick: () => showEvidence(doc, clauseId), dataset: { clause: clauseId } }, label);
}


function scorecard(doc, findings) {
  if (findings.length === 0) return h('p', { class: 'empty' }, 'No findings yet (the policy check runs when obligations are derived).');
  return h(
    'ul',
    { class: 'scorecard' },
    findings.map((f) => {
      const [label, kind] = OUTCOME[f.outcome] ?? [f.outcome, null];
      return h(
        'li',
        { class: `finding outcome-${f.outcome}`, dataset: { item: f.itemId } },
        h('div', { class: 'finding-head' }, badge(label, kind), ' ', h('strong', {}, f.title)),
        h('p', {}, f.detail),
        f.clauseId && f.evidence ? jumpButton(doc, f.clauseId, `Show the clause (p. ${f.evidence.page})`) : null,
      );
    }),
  );
}

function clauseList(doc, clauses) {
  if (clauses.length === 0) return h('p', { class: 'empty' }, 'No clauses found.');
  const byType = new Map();
  for (const c of [...clauses].sort((a, b) => a.start - b.start)) {
    if (!byType.has(c.type)) byType.set(c.type, []);
    byType.get(c.type).push(c);
  }
  return h(
    'div',
    { class: 'clause-groups' },
    [...byType].map(([type, list]) =>
      h(
        'section',
        { class: 'clause-group' },
        h('h3', {}, h('span', { class: ['swatch', typeClass(type)], 'aria-hidden': 'true' }), typeLabel(type), h('span', { class: 'count' }, ` ${list.length}`)),
        h(
          'ol',
          {},
          list.map((c) =>
            h(
              'li',
              { class: 'clause-item', id: `item-${c.id}` },
              jumpButton(doc, c.id, `p. ${c.page}: ${c.text.length > 90 ? `${c.text.slice(0, 90)}…` : c.text}`),
              fieldList(c.fields),
            ),
          ),
        ),
      ),
    ),
  );
}

function obligationList(doc, obligations) {
  if (obligations.length === 0) return h('p', { class: 'empty' }, 'No obligations derived.');
  return h(
    'ul',
    { class: 'obligations compact' },
    obligations.map((o) =>
      h(
        'li',
        {},
        h('strong', {}, o.summary),
        h('div', { class: 'meta-line' }, `${humanize(o.obligor)} owes ${o.beneficiary === 'us' ? 'us' : humanize(o.beneficiary).toLowerCase()} · ${humanize(o.action)}`, o.trigger !== 'none' ? ` · when: ${humanize(o.trigger).toLowerCase()}` : '', o.deadline ? ` · ${deadlineWords(o.deadline)}` : ''),
        jumpButton(doc, o.clauseId, `Evidence, p. ${o.page}`),
      ),
    ),
  );
}

export async function reviewPage({ params, query }) {
  const id = params.id;
  const contract = await get(`/contracts/${encodeURIComponent(id)}`);
  let timer = null;
  const actions = h('div', { class: 'actions' });
  const status = h('div', { class: 'status-line' }, statusBadge(contract), contract.status === 'failed' ? h('span', { class: 'reason' }, ` ${failureReason(contract)}`) : null);
  const message = h('div', { class: 'form-message', 'aria-live': 'polite' });

  actions.append(downloadButton('Download original', `/contracts/${encodeURIComponent(id)}/file`, contract.fileName, message));
  if (session.can('contracts:reprocess')) {
    actions.append(
      h(
        'button',
        {
          type: 'button',
          onclick: async (e) => {
            e.target.disabled = true;
            try {
              await post(`/contracts/${encodeURIComponent(id)}/reprocess`);
              announce('Re-processing started');
              window.dispatchEvent(new HashChangeEvent('hashchange'));
            } catch (err) {
              clear(message, errorBox(err));
              e.target.disabled = false;
            }
          },
        },
        'Re-process',
      ),
    );
  }

  const header = h(
    'header',
    { class: 'review-head' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/contracts' }, 'Contracts'), ' / ', contract.counterpartyName),
    h('h1', {}, contract.title || contract.fileName),
    h('p', { class: 'meta-line' }, `${contract.counterpartyName} · we are the ${contract.ourRole}`, contract.kind ? ` · ${contract.kind}` : '', contract.pageCount ? ` · ${contract.pageCount} page${contract.pageCount === 1 ? '' : 's'}` : '', ` · uploaded ${when(contract.createdAt)}`),
    status,
    actions,
    message,
  );

  if (contract.status !== 'done') {
    const node = h('div', { class: 'page' }, header, contract.status === 'failed' ? null : h('p', { class: 'loading' }, 'Reading the document… this page refreshes when it is done.'));
    if (contract.status !== 'failed') {
      const poll = async () => {
        try {
          const c = await get(`/contracts/${encodeURIComponent(id)}`);
          if (c.status !== contract.status) return window.dispatchEvent(new HashChangeEvent('hashchange'));
        } catch {
          /* keep polling */
        }
        timer = setTimeout(poll, 1500);
      };
      timer = setTimeout(poll, 1500);
    }
    return { node, leave: () => clearTimeout(timer) };
  }

  let textBody;
  let findings;
  try {
    [textBody, findings] = await Promise.all([get(`/contracts/${encodeURIComponent(id)}/text`), get(`/contracts/${encodeURIComponent(id)}/findings`)]);
  } catch (err) {
    if (err instanceof ApiError && err.code === 'TEXT_NOT_READY') return { node: h('div', { class: 'page' }, header, errorBox(err)) };
    throw err;
  }
  const doc = renderText(textBody.text, textBody.pages, contract.clauses);
  const types = [...new Set(contract.clauses.map((c) => c.type))];
  const legend = h('ul', { class: 'legend', 'aria-label': 'Highlight colours' }, types.map((t) => h('li', {}, h('span', { class: ['swatch', typeClass(t)], 'aria-hidden': 'true' }), typeLabel(t))));
  doc.addEventListener('click', (e) => {
    const mark = e.target.closest('mark[data-clauses]');
    if (!mark) return;
    const item = document.getElementById(`item-${mark.dataset.clauses.split(' ').pop()}`);
    if (item) {
      for (const el of document.querySelectorAll('.clause-item.current')) el.classList.remove('current');
      item.classList.add('current');
      item.closest('details')?.setAttribute('open', '');
      item.scrollIntoView({ block: 'nearest' });
    }
  });

  const counts = countBy(findings.items, 'outcome');
  const side = h(
    'aside',
    { class: 'side', 'aria-label': 'Clauses, scorecard and obligations' },
    h(
      'details',
      { open: true, class: 'panel' },
      h('summary', {}, h('h2', {}, 'Policy scorecard'), h('span', { class: 'summary-counts' }, Object.entries(counts).map(([k, n]) => badge(`${n} ${OUTCOME[k]?.[0].toLowerCase() ?? k}`, OUTCOME[k]?.[1])))),
      scorecard(doc, findings.items),
    ),
    h('details', { open: true, class: 'panel' }, h('summary', {}, h('h2', {}, `Clauses (${contract.clauses.length})`)), clauseList(doc, contract.clauses)),
    h('details', { class: 'panel' }, h('summary', {}, h('h2', {}, `Obligations (${contract.obligations.length})`)), obligationList(doc, contract.obligations)),
  );

  const node = h('div', { class: 'page review' }, header, h('div', { class: 'review-grid' }, h('section', { class: 'doc-pane', 'aria-label': 'Document text' }, legend, doc), side));
  const target = query.get('clause');
  return {
    node,
    keepFocus: Boolean(target),
    ready: () => {
      if (target) showEvidence(doc, target);
    },
    leave: () => clearTimeout(timer),
  };
}
