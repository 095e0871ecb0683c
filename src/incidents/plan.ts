/**
 * The communication plan (who must be told what, by when, how) and the
 * notification drafts a person edits and sends. Nothing here sends anything.
 */
import { type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';
import { bothTimes, CLOCK_LABELS, CLOCK_ORDER, dataCategoriesText, soonestFirst, sourceText, zoneOf } from './format';

export interface PlanRow {
  recipient: string;
  recipientKind: 'customer' | 'vendor' | 'authority' | 'other';
  /** who notifies: 'us' or the counterparty's name */
  notifier: string;
  deadlines: { id: string; title: string; dueAt: Date | null; qualifier: string | null; status: TrackedDeadline['status'] }[];
  earliestDueAt: Date | null;
  method: string[];
  content: string[];
  /** done when every deadline of the row is done or not applicable */
  status: 'open' | 'done' | 'missed' | 'not_applicable';
}

export interface NotificationDraft {
  recipient: string;
  subject: string;
  /** plain text for a person to edit; never sent automatically */
  body: string;
  deadlineIds: string[];
}

/** Regulations also name people and the press as recipients; those are not authorities. */
const NOT_AN_AUTHORITY = /data subject|individual|person|people|consumer|resident|patient|customer|media|press|client/i;

function recipientKind(d: TrackedDeadline): PlanRow['recipientKind'] {
  if (d.source.kind === 'regulation') return NOT_AN_AUTHORITY.test(d.recipient) ? 'other' : 'authority';
  // A counterparty's duty to us comes from a contract where it is our vendor;
  // our duty to a counterparty, from one where we serve it as its provider.
  return d.owedBy === 'counterparty' ? 'vendor' : 'customer';
}

function union(lists: string[][]): string[] {
  const seen = new Map<string, string>();
  for (const item of lists.flat()) {
    const k = item.trim().toLowerCase();
    if (k && !seen.has(k)) seen.set(k, item.trim());
  }
  return [...seen.values()];
}

function rowStatus(statuses: TrackedDeadline['status'][]): PlanRow['status'] {
  if (statuses.includes('missed')) return 'missed';
  if (statuses.every((s) => s === 'not_applicable')) return 'not_applicable';
  if (statuses.every((s) => s === 'done' || s === 'not_applicable')) return 'done';
  return 'open';
}

/**
 * One row per recipient. Rows are keyed by notifier too, so that if two
 * parties owe notices to the same recipient, neither's status hides the
 * other's. The earliest due time is that of the deadlines still to do, so a row shows
 * what comes next; once all are done it is the earliest of them all.
 */
export function communicationPlan(_incident: IncidentRecord, deadlines: TrackedDeadline[]): PlanRow[] {
  const groups = new Map<string, TrackedDeadline[]>();
  for (const d of soonestFirst(deadlines)) {
    const key = `${d.notifier}\u0000${d.recipient}`;
    const list = groups.get(key);
    if (list) list.push(d);
    else groups.set(key, [d]);
  }
  const rows: { row: PlanRow; sortAt: number }[] = [];
  for (const list of groups.values()) {
    const first = list[0];
    const pending = list.filter((d) => d.status === 'open' || d.status === 'missed');
    const relevant = pending.length ? pending : list;
    const withDue = relevant.filter((d) => d.dueAt);
    // A row whose only time is a policy target still sorts by it, among the others.
    const firstTime = relevant.find((d) => d.dueAt ?? d.policyTargetAt);
    const row: PlanRow = {
      recipient: first.recipient,
      recipientKind: recipientKind(first),
      notifier: first.notifier,
      deadlines: list.map((d) => ({ id: d.id, title: d.title, dueAt: d.dueAt, qualifier: d.qualifier, status: d.status })),
      earliestDueAt: withDue.length ? withDue[0].dueAt : null,
      method: union(list.map((d) => d.method)),
      content: union(list.map((d) => d.content)),
      status: rowStatus(list.map((d) => d.status)),
    };
    rows.push({ row, sortAt: (firstTime?.dueAt ?? firstTime?.policyTargetAt)?.getTime() ?? Number.POSITIVE_INFINITY });
  }
  return rows
    .sort((a, b) => a.sortAt - b.sortAt || a.row.recipient.localeCompare(b.row.recipient) || a.row.notifier.localeCompare(b.row.notifier))
    .map((r) => r.row);
}

export const MEASURES_PLACEHOLDER = '[describe the measures taken]';
export const CONTACT_PLACEHOLDER = '[name, role, e-mail and telephone of the contact person]';

/** Required-content items the standard sections of a draft already answer. */
const COVERED: { section: string; pattern: RegExp }[] = [
  { section: 'what happened', pattern: /nature|what happened|description|describ|circumstance|incident details/i },
  { section: 'when', pattern: /\bdate|\btime|when\b|timeline|chronolog/i },
  { section: 'data', pattern: /categor|type of data|types of data|data (involved|affected|concerned)|personal data|records/i },
  { section: 'people', pattern: /number|approximate|how many|volume/i },
  { section: 'measures', pattern: /measure|mitigat|remed|step|action|contain/i },
  { section: 'contact', pattern: /contact|dpo|data protection officer|point of contact/i },
];

/**
 * A plain-text draft for each recipient we must notify, filled from the
 * incident's facts; what the facts cannot say is left as a bracketed
 * placeholder to edit. Duties the counterparty owes us get no draft.
 */
export function notificationDrafts(incident: IncidentRecord, deadlines: TrackedDeadline[], opts: { contact: string | null }): NotificationDraft[] {
  const zone = zoneOf(incident);
  const ours = deadlines.filter((d) => d.owedBy === 'us' && d.status !== 'not_applicable');
  return communicationPlan(incident, ours).map((row) => {
    const rowDeadlines = soonestFirst(ours.filter((d) => row.deadlines.some((x) => x.id === d.id)));
    const isUpdate = rowDeadlines.every((d) => d.recurrence && d.recurrence.occurrence > 1);
    const subject = `${isUpdate ? 'Update on' : 'Notification of'} a security incident: ${incident.title}`;
    return { recipient: row.recipient, subject, body: draftBody(incident, row, rowDeadlines, zone, opts.contact, subject), deadlineIds: rowDeadlines.map((d) => d.id) };
  });
}

function draftBody(incident: IncidentRecord, row: PlanRow, deadlines: TrackedDeadline[], zone: string, contact: string | null, subject: string): string {
  const lines: string[] = [];
  lines.push('DRAFT: review and edit before sending. Pactwatch never sends this notice.');
  lines.push('');
  lines.push('This notice satisfies:');
  for (const d of deadlines) {
    const when = d.dueAt ? `due ${bothTimes(d.dueAt, zone)}` : `${d.qualifier ?? 'no due time stated'}${d.policyTargetAt ? `; our policy target ${bothTimes(d.policyTargetAt, zone)}` : ''}`;
    lines.push(`- ${d.title} (${when}; source: ${sourceText(d.source)})`);
  }
  lines.push(`Send by: ${row.method.length ? row.method.join('; ') : '[the method is not stated by the source; choose one]'}`);
  lines.push('');
  lines.push(`To: ${row.recipient}`);
  lines.push(`Subject: ${subject}`);
  lines.push('');
  lines.push(`Dear ${row.recipient},`);
  lines.push('');
  lines.push('We are writing to inform you of a security incident, as our obligations to you require.');
  lines.push('');
  lines.push('What happened');
  lines.push(incident.description?.trim() ? `${incident.title}. ${incident.description.trim()}` : `${incident.title}. [describe what happened]`);
  lines.push('');
  lines.push('When');
  const clocks = CLOCK_ORDER.filter((c) => incident[c]);
  if (clocks.length === 0) lines.push('[when the incident occurred and was detected]');
  for (const c of clocks) lines.push(`- ${capitalize(CLOCK_LABELS[c])}: ${bothTimes(incident[c]!, zone)}`);
  lines.push('');
  lines.push('Data involved');
  lines.push(incident.dataCategories.length ? capitalize(dataCategoriesText(incident.dataCategories)) + '.' : '[the categories of data involved]');
  lines.push('');
  lines.push('People affected');
  lines.push(
    `${incident.affectedCount === null ? '[approximate number of people affected]' : `Approximately ${incident.affectedCount.toLocaleString('en-US')} people.`}` +
      (incident.jurisdictions.length ? ` Jurisdictions: ${incident.jurisdictions.join(', ')}.` : ''),
  );
  lines.push('');
  lines.push('Measures taken');
  lines.push(MEASURES_PLACEHOLDER);
  const extra = row.content.filter((c) => !COVERED.some((x) => x.pattern.test(c)));
  if (extra.length) {
    lines.push('');
    lines.push('Also required in this notice');
    for (const c of extra) lines.push(`- ${capitalize(c)}: [describe: ${c}]`);
  }
  lines.push('');
  lines.push('Contact');
  lines.push(contact?.trim() ? contact.trim() : CONTACT_PLACEHOLDER);
  lines.push('');
  lines.push('We will keep you informed as we learn more.');
  lines.push('');
  lines.push('[signature]');
  return lines.join('\n') + '\n';
}

function capitalize(s: string): string {
  return s ? s[0].toUpperCase() + s.slice(1) : s;
}
