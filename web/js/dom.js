// Building the pages. Text from documents and requests only ever becomes a
// text node or an attribute value (never parsed as HTML).
import { download } from './api.js';

/**
 * `h('a', {href: '#/x', class: 'k'}, 'text', child)`. Keys starting with `on`
 * are listeners; `dataset` and `aria` take objects; `false`/`null` skip.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === false || value === null || value === undefined) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/** Polite announcements for screen readers (upload finished, deadline marked done). */
export function announce(message) {
  const region = document.getElementById('announcer');
  if (!region) return;
  region.textContent = '';
  setTimeout(() => {
    region.textContent = message;
  }, 50);
}

export function errorBox(err) {
  return h('div', { class: 'error', role: 'alert' }, h('strong', {}, err.title || 'Something went wrong'), ' ', err.message, err.code ? h('code', { class: 'code' }, err.code) : null);
}

/** Abbreviations that stay in capitals when an id is made readable. */
const ACRONYMS = new Set(['hipaa', 'ny', 'dfs', 'sec', 'eu', 'uk', 'us', 'sla', 'phi', 'dpa', 'gdpr', 'nis2', 'dora', 'rca', 'ip']);

export function humanize(id) {
  if (!id) return '';
  const words = String(id)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .split(' ')
    .map((w) => (ACRONYMS.has(w) ? w.toUpperCase() : w))
    .join(' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const UNIT = { seconds: 'second', minutes: 'minute', hours: 'hour', days: 'day', business_days: 'business day', weeks: 'week', months: 'month', years: 'year' };

export function duration(d) {
  if (!d || typeof d !== 'object') return '';
  const amount = d.amount ?? d.duration;
  if (amount === undefined || amount === null) return d.qualifier ?? '';
  const unit = UNIT[d.unit] ?? d.unit ?? '';
  return `${amount.toLocaleString('en')} ${unit}${amount === 1 ? '' : 's'}`;
}

/** An obligation's deadline in words: "within 48 hours · without undue delay · recurring". */
export function deadlineWords(d) {
  if (!d) return '';
  const n = duration(d);
  return [n && `within ${n}`, d.qualifier, d.recurring && 'recurring'].filter(Boolean).join(' · ');
}

/** How many of `items` have each value of `key`: `{done: 2, open: 5}`. */
export function countBy(items, key) {
  const counts = {};
  for (const item of items) counts[item[key]] = (counts[item[key]] ?? 0) + 1;
  return counts;
}

/** A button that downloads an API file; a refusal is shown in `message`. */
export function downloadButton(label, path, fallbackName, message, query = () => ({})) {
  return h(
    'button',
    {
      type: 'button',
      onclick: async () => {
        try {
          await download(path, query(), fallbackName);
        } catch (err) {
          clear(message, errorBox(err));
        }
      },
    },
    label,
  );
}

export function money(amount, currency) {
  const n = Number(amount);
  if (!Number.isFinite(n)) return String(amount);
  return `${currency ? `${currency} ` : ''}${n.toLocaleString('en')}`;
}

/** A normalized clause value in words: durations, money, lists, nested objects. */
export function formatValue(value) {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return value.toLocaleString('en');
  if (typeof value === 'string') return humanizeValue(value);
  if (Array.isArray(value)) return value.map(formatValue).join(', ') || '—';
  if ('unit' in value && ('amount' in value || 'duration' in value)) {
    const base = duration(value);
    return value.trigger ? `${base} of ${humanize(value.trigger).toLowerCase()}` : base;
  }
  if ('amount' in value && 'currency' in value) return money(value.amount, value.currency);
  if ('name' in value && 'role' in value) return value.role ? `${value.name ?? '(not named)'} (${value.role})` : String(value.name);
  return Object.entries(value)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => `${humanize(k).toLowerCase()}: ${formatValue(v)}`)
    .join('; ');
}

function humanizeValue(s) {
  return /^[a-z0-9]+(_[a-z0-9]+)+$/.test(s) ? humanize(s).toLowerCase() : s;
}

/** Field list for a clause or finding value. */
export function fieldList(fields) {
  let shown = fields ?? {};
  // a clause's own period ("duration": 48, "unit": "hours") reads as one value
  if (typeof shown.duration === 'number' && typeof shown.unit === 'string') {
    const { duration: amount, unit, ...rest } = shown;
    shown = { period: { amount, unit }, ...rest };
  }
  const entries = Object.entries(shown).filter(([, v]) => v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0));
  if (entries.length === 0) return null;
  return h('dl', { class: 'fields' }, entries.map(([k, v]) => [h('dt', {}, humanize(k)), h('dd', {}, formatValue(v))]));
}

const dateFmt = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' });

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

/** A time in a named zone, with the zone's abbreviation: "Wed 26 Nov 2026, 02:30 CET". */
export function inZone(iso, timeZone) {
  if (!iso) return '—';
  try {
    return new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
    }).format(new Date(iso));
  } catch {
    return when(iso);
  }
}

/** "2 d 4 h 10 m" for the time left (or overdue), down to seconds in the last hour. */
export function countdown(ms) {
  const abs = Math.abs(ms);
  const s = Math.floor(abs / 1000);
  const d = Math.floor(s / 86400);
  const hr = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const parts = d > 0 ? [`${d} d`, `${hr} h`, `${m} m`] : hr > 0 ? [`${hr} h`, `${m} m`] : [`${m} m`, `${sec} s`];
  return parts.join(' ');
}

export function badge(text, kind) {
  return h('span', { class: ['badge', kind && `badge-${kind}`] }, text);
}

/** Labelled form control: `<label for>` plus the control, with an optional hint. */
export function field(label, control, hint) {
  const id = control.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  const hintEl = hint ? h('small', { class: 'hint', id: `${id}-hint` }, hint) : null;
  if (hintEl) control.setAttribute('aria-describedby', hintEl.id);
  return h('div', { class: 'field' }, h('label', { for: id }, label), control, hintEl);
}

export function select(name, options, { value = '', empty } = {}) {
  const el = h('select', { name });
  if (empty !== undefined) el.append(h('option', { value: '' }, empty));
  for (const opt of options) {
    const [v, label] = Array.isArray(opt) ? opt : [opt, humanize(opt)];
    el.append(h('option', { value: v, selected: v === value }, label));
  }
  return el;
}

/** A group of checkboxes in a fieldset with a legend. */
export function checkboxes(legend, name, options, checked = []) {
  return h(
    'fieldset',
    { class: 'checks' },
    h('legend', {}, legend),
    options.map((opt) => {
      const [v, label] = Array.isArray(opt) ? opt : [opt, humanize(opt)];
      return h('label', { class: 'check' }, h('input', { type: 'checkbox', name, value: v, checked: checked.includes(v) }), ' ', label);
    }),
  );
}

export function checkedValues(form, name) {
  return [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
}
