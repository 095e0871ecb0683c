/**
 * An incident's deadlines as CSV (RFC 4180: CRLF line ends, every field
 * quoted when it holds a comma, quote or line break). Cells a spreadsheet
 * would run as a formula are defused, since titles and quotes come from
 * uploaded documents.
 */
import { type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';
import { localIso, soonestFirst, sourceQuote, sourceText, utcIso, zoneOf } from './format';

export function renderCsv(incident: IncidentRecord, deadlines: TrackedDeadline[]): string {
  const zone = zoneOf(incident);
  const header = [
    'Due (UTC)',
    `Due (local, ${zone})`,
    'Qualifier',
    'Policy target (UTC)',
    'Title',
    'Notifier',
    'Recipient',
    'Method',
    'Content',
    'Status',
    'Done at (UTC)',
    'Done by',
    'Note',
    'Source',
    'Quote',
  ];
  const rows = soonestFirst(deadlines).map((d) => [
    d.dueAt ? utcIso(d.dueAt) : '',
    d.dueAt ? localIso(d.dueAt, zone) : '',
    d.qualifier ?? '',
    d.policyTargetAt ? utcIso(d.policyTargetAt) : '',
    d.title,
    d.notifier,
    d.recipient,
    d.method.join('; '),
    d.content.join('; '),
    d.status,
    d.doneAt ? utcIso(d.doneAt) : '',
    d.doneBy ?? '',
    [d.note, d.notApplicableReason ? `not applicable: ${d.notApplicableReason}` : null, d.evidenceFileName ? `evidence: ${d.evidenceFileName}` : null]
      .filter(Boolean)
      .join('; '),
    sourceText(d.source),
    sourceQuote(d.source),
  ]);
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** Leading characters that make a spreadsheet treat a cell as a formula (tab and CR too, per OWASP). */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
