// Contracts: upload (drag-and-drop or picker, several at once, progress per
// file) and the list with status, kind and policy findings.
import { get, session, uploadContract } from './api.js';
import { announce, badge, clear, errorBox, field, h, select, when } from './dom.js';
import { errorText } from './meta.js';

const KINDS = ['Master services agreement', 'SaaS subscription agreement', 'Data processing agreement', 'Business associate agreement', 'Security addendum', 'Hosting agreement', 'Statement of work', 'Consulting agreement', 'Non-disclosure agreement'];
const PAGE = 50;
const ACTIVE = new Set(['queued', 'processing']);

export function statusBadge(contract) {
  const kind = { done: 'ok', failed: 'bad', queued: 'wait', processing: 'wait' }[contract.status];
  return badge(contract.status, kind);
}

/** Why a document failed, in words: "Scanned PDF: needs OCR". */
export function failureReason(contract) {
  if (contract.status !== 'failed') return null;
  return errorText(contract.errorCode) ?? contract.errorDetail ?? contract.errorCode ?? 'Processing failed';
}

function findingsCell(c) {
  const f = c.findings;
  if (!f || c.status !== 'done') return '—';
  const problems = (f.not_met ?? 0) + (f.missing ?? 0) + (f.needs_review ?? 0);
  if (problems === 0) return badge(`${f.met ?? 0} met`, 'ok');
  return h(
    'span',
    { class: 'findings-counts' },
    f.not_met ? badge(`${f.not_met} not met`, 'bad') : null,
    f.missing ? badge(`${f.missing} missing`, 'bad') : null,
    f.needs_review ? badge(`${f.needs_review} to review`, 'warn') : null,
  );
}

function uploadForm(counterparties, onUploaded) {
  const fileInput = h('input', { type: 'file', name: 'file', multiple: true, accept: '.pdf,.docx,.txt,application/pdf,application/vnd.openxmlformats-officedocument.wordprocessingml.document,text/plain', class: 'visually-hidden-file' });
  const chosen = h('p', { class: 'chosen', 'aria-live': 'polite' }, 'No files chosen.');
  let files = [];
  const setFiles = (list) => {
    files = [...list];
    chosen.textContent = files.length ? `${files.length} file${files.length > 1 ? 's' : ''}: ${files.map((f) => f.name).join(', ')}` : 'No files chosen.';
  };
  fileInput.addEventListener('change', () => setFiles(fileInput.files));

  const drop = h(
    'div',
    { class: 'dropzone' },
    h('p', {}, h('strong', {}, 'Drop contracts here'), ' (PDF, DOCX or TXT, several at once), or'),
    h('label', { class: 'button', for: 'upload-files' }, 'Choose files…'),
    fileInput,
    chosen,
  );
  fileInput.id = 'upload-files';
  for (const ev of ['dragenter', 'dragover']) {
    drop.addEventListener(ev, (e) => {
      e.preventDefault();
      drop.classList.add('over');
    });
  }
  for (const ev of ['dragleave', 'drop']) drop.addEventListener(ev, () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    if (e.dataTransfer?.files?.length) setFiles(e.dataTransfer.files);
  });

  const cpInput = h('input', { name: 'counterparty', list: 'counterparty-names', required: true, autocomplete: 'off', maxlength: 200 });
  const names = h('datalist', { id: 'counterparty-names' }, counterparties.map((c) => h('option', { value: c.name })));
  const roleSelect = select('role', [['customer', 'We are the customer (they provide the service)'], ['provider', 'We are the provider (they are our customer)']]);
  const kindInput = h('input', { name: 'kind', list: 'contract-kinds', autocomplete: 'off', maxlength: 64 });
  const kinds = h('datalist', { id: 'contract-kinds' }, KINDS.map((k) => h('option', { value: k })));
  const progress = h('ul', { class: 'upload-progress', 'aria-label': 'Uploads' });
  const message = h('div', { class: 'form-message' });

  const form = h(
    'form',
    { class: 'card upload', novalidate: true },
    h('h2', {}, 'Upload contracts'),
    drop,
    h(
      'div',
      { class: 'row' },
      field('Counterparty', cpInput, 'Choose one you have or type a new name.'),
      names,
      field('Our role', roleSelect),
      field('Kind (optional)', kindInput, 'e.g. Data processing agreement'),
      kinds,
    ),
    message,
    h('button', { type: 'submit', class: 'primary' }, 'Upload'),
    progress,
  );

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    clear(message);
    if (!files.length) {
      clear(message, errorBox({ title: 'No files', message: 'Choose or drop at least one file.' }));
      return;
    }
    if (!cpInput.value.trim()) {
      clear(message, errorBox({ title: 'Counterparty needed', message: 'Name the other party to these contracts.' }));
      cpInput.focus();
      return;
    }
    const fields = { counterparty: cpInput.value.trim(), role: roleSelect.value, kind: kindInput.value.trim() };
    const batch = files;
    setFiles([]);
    fileInput.value = '';
    await Promise.all(
      batch.map(async (file) => {
        const bar = h('progress', { max: 100, value: 0, 'aria-label': `Upload of ${file.name}` });
        const state = h('span', { class: 'state' }, 'uploading…');
        const item = h('li', {}, h('span', { class: 'name' }, file.name), bar, state);
        progress.append(item);
        try {
          const res = await uploadContract(file, fields, (fraction) => {
            bar.value = Math.round(fraction * 100);
          });
          bar.value = 100;
          clear(state, res.duplicate ? 'already uploaded: ' : 'uploaded, processing: ', h('a', { href: `#/contracts/${res.id}` }, 'open'));
          item.dataset.contractId = res.id;
          announce(`${file.name} uploaded`);
        } catch (err) {
          item.classList.add('failed');
          clear(state, errorBox(err));
          announce(`${file.name} was not uploaded: ${err.message}`);
        }
      }),
    );
    onUploaded();
  });
  return form;
}

export async function contractsPage({ query }) {
  const filters = { counterparty: query.get('counterparty') ?? '', status: query.get('status') ?? '', offset: Number(query.get('offset') ?? 0) || 0 };
  const counterparties = await get('/counterparties', { limit: 100 });
  const listBox = h('div', { class: 'list' });
  let timer = null;

  async function refresh() {
    clearTimeout(timer);
    let page;
    try {
      page = await get('/contracts', { counterparty: filters.counterparty, status: filters.status, limit: PAGE, offset: filters.offset });
    } catch (err) {
      clear(listBox, errorBox(err));
      return;
    }
    clear(listBox, contractTable(page));
    // keep statuses live while anything on this page is still being read
    if (page.items.some((c) => ACTIVE.has(c.status))) timer = setTimeout(refresh, 1500);
  }

  function contractTable(page) {
    if (page.items.length === 0) return h('p', { class: 'empty' }, filters.counterparty || filters.status ? 'No contracts match.' : 'No contracts yet: upload one above.');
    const rows = page.items.map((c) =>
      h(
        'tr',
        { dataset: { status: c.status } },
        h('td', {}, h('a', { href: `#/contracts/${c.id}` }, c.title || c.fileName)),
        h('td', {}, c.counterpartyName),
        h('td', {}, c.kind || '—'),
        h('td', {}, statusBadge(c), c.status === 'failed' ? h('div', { class: 'reason' }, failureReason(c)) : null),
        h('td', { class: 'num' }, c.status === 'done' ? String(c.clauseCount ?? '—') : '—'),
        h('td', {}, findingsCell(c)),
        h('td', {}, when(c.createdAt)),
      ),
    );
    const nav = pager(page, filters, 'contracts');
    return [
      h('div', { class: 'table-wrap' }, h('table', {}, h('caption', { class: 'visually-hidden' }, 'Contracts'), h('thead', {}, h('tr', {}, ['Contract', 'Counterparty', 'Kind', 'Status', 'Clauses', 'Policy findings', 'Uploaded'].map((t) => h('th', { scope: 'col' }, t)))), h('tbody', {}, rows))),
      nav,
    ];
  }

  const cpFilter = h('input', { name: 'counterparty', value: filters.counterparty, list: 'counterparty-names-filter' });
  const statusFilter = select('status', ['queued', 'processing', 'done', 'failed'], { value: filters.status, empty: 'Any status' });
  const filterForm = h(
    'form',
    { class: 'filters', role: 'search' },
    field('Counterparty', cpFilter),
    h('datalist', { id: 'counterparty-names-filter' }, counterparties.items.map((c) => h('option', { value: c.name }))),
    field('Status', statusFilter),
    h('button', { type: 'submit' }, 'Filter'),
  );
  filterForm.addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = `#/contracts?${new URLSearchParams({ counterparty: cpFilter.value.trim(), status: statusFilter.value }).toString()}`;
  });

  const node = h(
    'div',
    { class: 'page' },
    h('h1', {}, 'Contracts'),
    session.can('contracts:upload') ? uploadForm(counterparties.items, refresh) : h('p', { class: 'note' }, 'Your role (', session.me.role, ') reads contracts; analysts upload them.'),
    h('section', { 'aria-labelledby': 'contract-list-h' }, h('h2', { id: 'contract-list-h' }, 'All contracts'), filterForm, listBox),
  );
  await refresh();
  return { node, leave: () => clearTimeout(timer) };
}

/** Previous/next links that keep the current filters. */
export function pager(page, filters, base) {
  if (page.total <= page.limit) return h('p', { class: 'count' }, `${page.total} in all`);
  const link = (offset, label) => {
    const params = new URLSearchParams(Object.entries({ ...filters, offset: String(offset) }).filter(([, v]) => v !== '' && v !== undefined));
    return h('a', { href: `#/${base}?${params.toString()}` }, label);
  };
  const from = page.offset + 1;
  const to = Math.min(page.offset + page.items.length, page.total);
  return h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages' },
    page.offset > 0 ? link(Math.max(0, page.offset - page.limit), '← Previous') : null,
    h('span', {}, `${from}–${to} of ${page.total}`),
    to < page.total ? link(page.offset + page.limit, 'Next →') : null,
  );
}
