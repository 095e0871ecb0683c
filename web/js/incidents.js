// Incidents: declare one, then work its deadline board (live countdowns,
// sources, mark done), the communication plan and the drafts.
import { get, patch, post, session } from './api.js';
import { announce, badge, checkboxes, checkedValues, clear, countBy, countdown, downloadButton, errorBox, field, h, humanize, inZone, select, when } from './dom.js';
import { meta } from './meta.js';
import { browserZone, nowInZone, wallClockToUtc, zones } from './zoned.js';

const CLOCKS = [
  ['occurredAt', 'Occurred', 'When the incident began, if known.'],
  ['detectedAt', 'Detected', 'When it was first noticed.'],
  ['awareAt', 'We became aware', 'Most notice clocks (GDPR, contracts) start here.'],
  ['confirmedAt', 'Confirmed', 'Clocks tied to confirmation start here.'],
  ['determinedAt', 'Materiality determined', 'Starts the SEC 8-K clock.'],
];
const sentence = (s) => s.charAt(0).toUpperCase() + s.slice(1);
const STATUS = { open: ['Open', null], done: ['Done', 'ok'], not_applicable: ['Not applicable', 'muted'], missed: ['Missed', 'bad'] };

function needsPermission() {
  return h('div', { class: 'page' }, h('h1', {}, 'Incidents'), h('p', { class: 'note' }, `Your role (${session.me.role}) has no access to incidents: responders, legal and admins do.`));
}

export async function incidentsPage() {
  if (!session.can('incidents:read')) return { node: needsPermission() };
  const list = await get('/incidents', { limit: 100 });
  const rows = list.items.map((i) =>
    h(
      'tr',
      {},
      h('td', {}, h('a', { href: `#/incidents/${i.id}` }, i.title)),
      h('td', {}, badge(i.status, i.status === 'closed' ? 'muted' : i.status === 'confirmed' ? 'bad' : 'warn')),
      h('td', {}, i.origin === 'vendor' ? `Vendor: ${i.counterpartyNames.join(', ') || '—'}` : 'Our systems'),
      h('td', {}, inZone(i.awareAt ?? i.detectedAt, i.timeZone)),
      h('td', {}, when(i.createdAt)),
    ),
  );
  return {
    node: h(
      'div',
      { class: 'page' },
      h('div', { class: 'title-row' }, h('h1', {}, 'Incidents'), session.can('incidents:manage') ? h('a', { class: 'button primary', href: '#/incidents/new' }, 'Declare an incident') : null),
      list.items.length
        ? h('div', { class: 'table-wrap' }, h('table', {}, h('caption', { class: 'visually-hidden' }, 'Incidents'), h('thead', {}, h('tr', {}, ['Incident', 'Status', 'Where', 'Aware', 'Declared'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows)))
        : h('p', { class: 'empty' }, 'No incidents declared.'),
    ),
  };
}

export async function declarePage() {
  if (!session.can('incidents:manage')) return { node: needsPermission() };
  const m = meta.value ?? {};
  const counterparties = await get('/counterparties', { limit: 100 });
  const zone = browserZone();
  const zoneSelect = select('timeZone', zones().map((z) => [z, z]), { value: zones().includes(zone) ? zone : 'UTC' });
  const clocks = Object.fromEntries(CLOCKS.map(([k]) => [k, h('input', { type: 'datetime-local', name: k })]));
  clocks.awareAt.value = nowInZone(zoneSelect.value);
  const title = h('input', { name: 'title', required: true, maxlength: 300 });
  const description = h('textarea', { name: 'description', rows: 3, maxlength: 20000 });
  const origin = select('origin', [['vendor', 'A vendor reported it (their systems)'], ['ours', 'Our own systems']]);
  const status = select('status', m.incidentStatuses ?? ['suspected', 'confirmed', 'contained', 'closed'], { value: 'suspected' });
  const severity = select('severity', m.severities ?? ['low', 'medium', 'high', 'critical'], { empty: 'Not set' });
  const ourRole = select('ourDataRole', [['controller', 'Controller'], ['processor', 'Processor']], { empty: 'Not set' });
  const affected = h('input', { type: 'number', name: 'affectedCount', min: 0, step: 1 });
  const message = h('div', { class: 'form-message' });
  const allBox = h('input', { type: 'checkbox', name: 'allCounterparties', value: 'all' });

  const form = h(
    'form',
    { class: 'declare card', novalidate: true },
    h('h2', {}, 'What happened'),
    field('Title', title),
    field('Description (optional)', description),
    h('div', { class: 'row' }, field('Where', origin), field('Status', status), field('Severity', severity), field('Our role toward the data', ourRole, 'Controller or processor, for GDPR-style duties.')),
    h('h2', {}, 'Clock times'),
    h('div', { class: 'row' }, field('Time zone', zoneSelect, 'Times below are in this zone; day counts use it too.'), CLOCKS.map(([k, label, hint]) => field(label, clocks[k], hint))),
    h('h2', {}, 'Scope'),
    h(
      'fieldset',
      { class: 'checks' },
      h('legend', {}, 'Counterparties affected'),
      h('label', { class: 'check' }, allBox, ' All counterparties'),
      counterparties.items.map((c) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'counterparties', value: c.id }), ' ', c.name)),
    ),
    checkboxes('Data involved', 'dataCategories', (m.dataCategories ?? []).map((c) => [c.id, sentence(c.label)])),
    checkboxes('Jurisdictions of the people affected', 'jurisdictions', (m.jurisdictions ?? []).map((j) => [j, j])),
    checkboxes('Sectors we are in', 'sectors', m.sectors ?? []),
    field('People affected (optional)', affected),
    message,
    h('button', { type: 'submit', class: 'primary' }, 'Declare and compute deadlines'),
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(message);
    const tz = zoneSelect.value;
    const body = {
      title: title.value.trim(),
      description: description.value.trim() || null,
      origin: origin.value,
      status: status.value,
      severity: severity.value || null,
      ourDataRole: ourRole.value || null,
      timeZone: tz,
      dataCategories: checkedValues(form, 'dataCategories'),
      jurisdictions: checkedValues(form, 'jurisdictions'),
      sectors: checkedValues(form, 'sectors'),
      counterparties: allBox.checked ? 'all' : checkedValues(form, 'counterparties'),
      affectedCount: affected.value === '' ? null : Number(affected.value),
    };
    for (const [k] of CLOCKS) body[k] = wallClockToUtc(clocks[k].value, tz);
    if (!body.title) {
      clear(message, errorBox({ title: 'Title needed', message: 'Give the incident a title.' }));
      title.focus();
      return;
    }
    try {
      const incident = await post('/incidents', body);
      announce(`Incident declared: ${incident.deadlines.length} deadlines`);
      location.hash = `#/incidents/${incident.id}`;
    } catch (err) {
      clear(message, errorBox(err));
    }
  });
  return { node: h('div', { class: 'page' }, h('p', { class: 'crumbs' }, h('a', { href: '#/incidents' }, 'Incidents'), ' / new'), h('h1', {}, 'Declare an incident'), form), ready: () => title.focus(), keepFocus: true };
}

function sourceOf(d) {
  const s = d.source;
  if (s.kind === 'clause') {
    return h(
      'div',
      { class: 'source' },
      h('span', { class: 'source-kind' }, `Contract with ${s.counterpartyName}, page ${s.page}`),
      h('blockquote', { class: 'quote' }, s.quote),
      h('a', { href: `#/contracts/${encodeURIComponent(s.contractId)}?clause=${encodeURIComponent(s.clauseId)}` }, 'Open the clause'),
    );
  }
  return h(
    'div',
    { class: 'source' },
    h('span', { class: 'source-kind' }, 'Regulation: '),
    s.url ? h('a', { href: s.url, rel: 'noopener noreferrer', target: '_blank' }, s.citation) : s.citation,
    s.lastChecked ? h('small', {}, ` (checked ${s.lastChecked})`) : null,
  );
}

function dueCell(d) {
  if (!d.dueAt) {
    return h(
      'div',
      { class: 'due none' },
      h('strong', {}, d.qualifier ? humanize(d.qualifier) : 'No fixed time'),
      d.policyTargetAt ? h('div', {}, 'Our target: ', inZone(d.policyTargetAt, d.timeZone), h('div', { class: 'countdown', dataset: { due: d.policyTargetAt } })) : null,
    );
  }
  return h('div', { class: 'due' }, h('time', { datetime: d.dueAt }, inZone(d.dueAt, d.timeZone)), h('div', { class: 'countdown', dataset: { due: d.dueAt } }));
}

function updateCountdowns(root) {
  const now = Date.now();
  for (const el of root.querySelectorAll('.countdown[data-due]')) {
    const row = el.closest('.deadline');
    const ms = new Date(el.dataset.due).getTime() - now;
    const settled = row && (row.dataset.status === 'done' || row.dataset.status === 'not_applicable');
    if (settled) {
      el.textContent = '';
      continue;
    }
    el.textContent = ms >= 0 ? `in ${countdown(ms)}` : `overdue by ${countdown(ms)}`;
    el.classList.toggle('overdue', ms < 0);
    if (row && ms < 0 && el.closest('.due:not(.none)')) row.classList.add('overdue');
  }
}

function markForm(d, onChanged) {
  const box = h('div', { class: 'mark' });
  if (!session.can('incidents:manage')) return box;
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 5000 });
  const reason = h('textarea', { name: 'reason', rows: 2, maxlength: 5000 });
  const message = h('div', { class: 'form-message' });
  const send = async (body, done) => {
    try {
      await patch(`/deadlines/${encodeURIComponent(d.id)}`, body);
      announce(done);
      onChanged();
    } catch (err) {
      clear(message, errorBox(err));
    }
  };
  if (d.status === 'done' || d.status === 'not_applicable') {
    box.append(h('button', { type: 'button', onclick: () => send({ status: 'open' }, 'Deadline re-opened') }, 'Re-open'));
    return box;
  }
  const doneForm = h('form', { class: 'inline-form' }, field('Note (what was sent, to whom)', note), h('button', { type: 'submit', class: 'primary' }, 'Mark done'));
  doneForm.addEventListener('submit', (e) => {
    e.preventDefault();
    send(note.value.trim() ? { status: 'done', note: note.value.trim() } : { status: 'done' }, 'Deadline marked done');
  });
  const naForm = h('form', { class: 'inline-form' }, field('Reason it does not apply', reason), h('button', { type: 'submit' }, 'Not applicable'));
  naForm.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!reason.value.trim()) {
      clear(message, errorBox({ title: 'Reason needed', message: 'Say why this deadline does not apply.' }));
      reason.focus();
      return;
    }
    send({ status: 'not_applicable', reason: reason.value.trim() }, 'Deadline marked not applicable');
  });
  box.append(h('details', {}, h('summary', {}, 'Settle this deadline'), doneForm, naForm), message);
  return box;
}

function deadlineRow(d, onChanged) {
  const [label, kind] = STATUS[d.status] ?? [d.status, null];
  return h(
    'li',
    { class: ['deadline', `status-${d.status}`, d.status === 'missed' && 'overdue'], dataset: { status: d.status, id: d.id } },
    dueCell(d),
    h(
      'div',
      { class: 'what' },
      h('div', { class: 'deadline-head' }, badge(label, kind), d.source.kind === 'regulation' ? badge('regulatory', 'info') : badge('contractual', 'info'), ' ', h('strong', {}, d.title)),
      h(
        'dl',
        { class: 'fields inline' },
        h('dt', {}, 'From'),
        h('dd', {}, d.notifier === 'us' ? 'Us' : d.notifier),
        h('dt', {}, 'To'),
        h('dd', {}, d.recipient === 'us' ? 'Us' : d.recipient),
        d.method?.length ? [h('dt', {}, 'Method'), h('dd', {}, d.method.join('; '))] : null,
        d.clock ? [h('dt', {}, 'Clock'), h('dd', {}, `${humanize(d.clock.name)} ${inZone(d.clock.at, d.timeZone)}`)] : null,
      ),
      d.content?.length ? h('details', { class: 'content' }, h('summary', {}, `Required content (${d.content.length})`), h('ul', {}, d.content.map((c) => h('li', {}, humanize(c))))) : null,
      sourceOf(d),
      d.status === 'done' ? h('p', { class: 'done-note' }, `Done ${when(d.doneAt)} by ${d.doneBy ?? '—'}`, d.note ? `: ${d.note}` : '') : null,
      d.status === 'not_applicable' ? h('p', { class: 'done-note' }, `Not applicable: ${d.notApplicableReason}`) : null,
      markForm(d, onChanged),
    ),
  );
}

function planTable(plan) {
  if (!plan.items.length) return h('p', { class: 'empty' }, 'Nobody to notify.');
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, 'Communication plan'),
      h('thead', {}, h('tr', {}, ['Recipient', 'From', 'First due', 'Method', 'Deadlines'].map((t) => h('th', { scope: 'col' }, t)))),
      h(
        'tbody',
        {},
        plan.items.map((p) =>
          h('tr', {}, h('td', {}, p.recipient === 'us' ? 'Us' : p.recipient), h('td', {}, p.notifier === 'us' ? 'Us' : p.notifier), h('td', {}, p.earliestDueAt ? when(p.earliestDueAt) : 'no fixed time'), h('td', {}, (p.method ?? []).join('; ') || '—'), h('td', {}, `${p.deadlines.length} (${p.status})`)),
        ),
      ),
    ),
  );
}

function draftList(drafts) {
  if (!drafts.items.length) return h('p', { class: 'empty' }, 'No notices for us to send.');
  return drafts.items.map((d, i) => {
    const area = h('textarea', { rows: 14, class: 'draft-body', id: `draft-${i}` }, d.body);
    return h(
      'details',
      { class: 'draft' },
      h('summary', {}, `To ${d.recipient}: ${d.subject}`),
      h('label', { for: area.id }, 'Draft (edit, then copy into your mail or the authority portal; Pactwatch sends nothing)'),
      area,
      h('button', { type: 'button', onclick: () => navigator.clipboard?.writeText(area.value).then(() => announce('Draft copied')) }, 'Copy'),
    );
  });
}

export async function incidentPage({ params }) {
  if (!session.can('incidents:read')) return { node: needsPermission() };
  const id = encodeURIComponent(params.id);
  const [incident, deadlines, plan, drafts] = await Promise.all([get(`/incidents/${id}`), get(`/incidents/${id}/deadlines`), get(`/incidents/${id}/plan`), get(`/incidents/${id}/drafts`)]);
  const message = h('div', { class: 'form-message' });
  const board = h('ol', { class: 'board', 'aria-label': 'Deadlines, soonest first' });
  const summary = h('p', { class: 'board-summary' });

  function fill(items) {
    const counts = countBy(items, 'status');
    summary.textContent = `${items.length} deadlines: ${Object.entries(counts)
      .map(([k, n]) => `${n} ${(STATUS[k]?.[0] ?? k).toLowerCase()}`)
      .join(', ')}`;
    clear(board, items.map((d) => deadlineRow(d, reload)));
    updateCountdowns(board);
  }
  async function reload() {
    try {
      fill((await get(`/incidents/${id}/deadlines`)).items);
    } catch (err) {
      clear(message, errorBox(err));
    }
  }
  fill(deadlines.items);
  const ticker = setInterval(() => updateCountdowns(board), 1000);

  const facts = h(
    'dl',
    { class: 'fields inline facts' },
    h('dt', {}, 'Where'),
    h('dd', {}, incident.origin === 'vendor' ? `Vendor: ${incident.counterpartyNames.join(', ') || '—'}` : 'Our systems'),
    h('dt', {}, 'Status'),
    h('dd', {}, humanize(incident.status)),
    CLOCKS.filter(([k]) => incident[k]).map(([k, label]) => [h('dt', {}, label), h('dd', {}, inZone(incident[k], incident.timeZone))]),
    incident.dataCategories.length ? [h('dt', {}, 'Data'), h('dd', {}, incident.dataCategories.map(humanize).join(', '))] : null,
    incident.jurisdictions.length ? [h('dt', {}, 'Jurisdictions'), h('dd', {}, incident.jurisdictions.join(', '))] : null,
  );

  const node = h(
    'div',
    { class: 'page incident' },
    h('p', { class: 'crumbs' }, h('a', { href: '#/incidents' }, 'Incidents'), ' / ', incident.title),
    h('h1', {}, incident.title),
    facts,
    h('div', { class: 'actions' }, downloadButton('Download ICS', `/incidents/${id}/deadlines.ics`, 'deadlines.ics', message), downloadButton('Download CSV', `/incidents/${id}/deadlines.csv`, 'deadlines.csv', message), downloadButton('Download printable report', `/incidents/${id}/report`, 'report.html', message)),
    message,
    h('section', { 'aria-labelledby': 'board-h' }, h('h2', { id: 'board-h' }, 'Deadline board'), summary, board),
    h('section', { 'aria-labelledby': 'plan-h' }, h('h2', { id: 'plan-h' }, 'Communication plan'), planTable(plan)),
    h('section', { 'aria-labelledby': 'drafts-h' }, h('h2', { id: 'drafts-h' }, 'Notification drafts'), draftList(drafts)),
  );
  return { node, leave: () => clearInterval(ticker) };
}
