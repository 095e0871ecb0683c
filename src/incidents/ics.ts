/**
 * An incident's deadlines as an iCalendar feed. Times are written in UTC:
 * every calendar program converts UTC to the reader's zone, while a TZID
 * would need a VTIMEZONE definition that some programs ignore. The incident's
 * own zone appears in each description.
 */
import ical, { ICalAlarmType, ICalEventStatus } from 'ical-generator';
import { type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';
import { bothTimes, CLOCK_LABELS, soonestFirst, sourceQuote, sourceText, statusLabel, targetNote, zoneOf } from './format';

/** Long enough to show as a block in a day view; the due time is the start. */
const EVENT_MINUTES = 15;

export interface IcsOptions {
  alarmsMinutesBefore: number[];
  /** The service's public URL; when given, each event links to the incident. */
  baseUrl?: string;
}

export function renderIcs(incident: IncidentRecord, deadlines: TrackedDeadline[], opts: IcsOptions): string {
  const zone = zoneOf(incident);
  const cal = ical({
    name: `Incident deadlines: ${incident.title}`,
    prodId: { company: 'Pactwatch', product: 'Incident deadlines', language: 'EN' },
  });
  const incidentUrl = opts.baseUrl ? `${opts.baseUrl.replace(/\/+$/, '')}/api/v1/incidents/${encodeURIComponent(incident.id)}` : null;
  const alarms = [...new Set(opts.alarmsMinutesBefore.filter((m) => Number.isFinite(m) && m > 0))].sort((a, b) => b - a);

  for (const d of soonestFirst(deadlines)) {
    // A deadline without a number gets no invented date; the policy target is
    // shown instead, labelled as such. With neither there is nothing to put in
    // a calendar (the CSV and the report still list it).
    const at = d.dueAt ?? d.policyTargetAt;
    if (!at) continue;
    const isTarget = !d.dueAt;
    const prefix = isTarget ? `${targetNote(d)[0].toUpperCase()}${targetNote(d).slice(1)}: ` : '';
    const event = cal.createEvent({
      id: `${d.id}@pactwatch`,
      start: at,
      end: new Date(at.getTime() + EVENT_MINUTES * 60_000),
      // The feed is re-generated on every request; DTSTAMP must not change with it.
      stamp: d.doneAt && d.doneAt > incident.updatedAt ? d.doneAt : incident.updatedAt,
      summary: `${prefix}${d.title} (${d.notifier} to ${d.recipient})`,
      description: describe(incident, d, zone),
      status: d.status === 'not_applicable' ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      url: incidentUrl,
    });
    if (d.status !== 'open') continue;
    for (const minutes of alarms) {
      event.createAlarm({
        type: ICalAlarmType.display,
        trigger: minutes * 60,
        description: `${isTarget ? 'Target' : 'Due'} in ${minutes >= 60 && minutes % 60 === 0 ? `${minutes / 60} h` : `${minutes} min`}: ${d.title} (to ${d.recipient})`,
      });
    }
  }
  return cal.toString();
}

function describe(incident: IncidentRecord, d: TrackedDeadline, zone: string): string {
  const lines: string[] = [`Incident: ${incident.title}`];
  if (d.dueAt) lines.push(`Due: ${bothTimes(d.dueAt, zone)}`);
  else lines.push(`No fixed due time: ${d.qualifier ?? 'none stated'}`);
  if (d.policyTargetAt) lines.push(`Policy target (${targetNote(d)}): ${bothTimes(d.policyTargetAt, zone)}`);
  if (d.dueAt && d.qualifier) lines.push(`Qualifier: ${d.qualifier}`);
  lines.push(`Clock: ${CLOCK_LABELS[d.clock.name] ?? d.clock.name} at ${bothTimes(d.clock.at, zone)}`);
  lines.push(`Who notifies whom: ${d.notifier} -> ${d.recipient}`);
  if (d.recurrence) lines.push(`Recurring: every ${d.recurrence.everyHours} h (occurrence ${d.recurrence.occurrence})`);
  lines.push(`Method: ${d.method.length ? d.method.join('; ') : 'not stated by the source'}`);
  lines.push(`Content: ${d.content.length ? d.content.join('; ') : 'not stated by the source'}`);
  lines.push(`Status: ${statusLabel(d.status)}${statusDetail(d, zone)}`);
  lines.push(`Source: ${sourceText(d.source)}`);
  const quote = sourceQuote(d.source);
  if (quote) lines.push(`Quote: "${quote}"`);
  if (d.source.kind === 'regulation' && d.source.url) lines.push(`Text: ${d.source.url}`);
  return lines.join('\n');
}

function statusDetail(d: TrackedDeadline, zone: string): string {
  const parts: string[] = [];
  if (d.status === 'done') {
    if (d.doneAt) parts.push(`at ${bothTimes(d.doneAt, zone)}`);
    if (d.doneBy) parts.push(`by ${d.doneBy}`);
  }
  if (d.status === 'not_applicable' && d.notApplicableReason) parts.push(`reason: ${d.notApplicableReason}`);
  if (d.note) parts.push(`note: ${d.note}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}
