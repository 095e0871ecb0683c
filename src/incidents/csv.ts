/** An incident's deadlines as CSV (see ../csv: RFC 4180, formula cells defused). */
import { csvText } from '../csv';
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
  return csvText(header, rows);
}
