/**
 * Wording and time formats shared by the exports, so a deadline reads the
 * same in the calendar, the spreadsheet, the report and the drafts.
 */
import { DateTime } from 'luxon';
import { type ClockName, type DataCategory, type DeadlineSource, type DeadlineStatus, type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';

/** The incident's zone when luxon knows it; an unknown zone must not break an export, so UTC stands in. */
export function zoneOf(incident: Pick<IncidentRecord, 'timeZone'>): string {
  const zone = incident.timeZone?.trim();
  if (zone && DateTime.fromMillis(0, { zone }).isValid) return zone;
  return 'UTC';
}

/** 2026-03-05T09:00:00Z */
export function utcIso(d: Date): string {
  return DateTime.fromJSDate(d, { zone: 'utc' }).toISO({ suppressMilliseconds: true })!.replace(/\+00:00$/, 'Z');
}

/** 2026-03-05T10:00:00+01:00 */
export function localIso(d: Date, zone: string): string {
  return DateTime.fromJSDate(d, { zone }).toISO({ suppressMilliseconds: true })!;
}

/** Thu 5 Mar 2026, 10:00 CET (UTC+1) */
export function localHuman(d: Date, zone: string): string {
  const t = DateTime.fromJSDate(d, { zone }).setLocale('en-GB');
  return `${t.toFormat('ccc d LLL yyyy, HH:mm')} ${t.toFormat('ZZZZ')} (${t.offset === 0 ? 'UTC' : `UTC${t.toFormat('ZZ')}`})`;
}

/** 2026-03-05 09:00 UTC */
export function utcHuman(d: Date): string {
  return `${DateTime.fromJSDate(d, { zone: 'utc' }).toFormat('yyyy-LL-dd HH:mm')} UTC`;
}

/** Both, for people who read one and file the other: "Thu 5 Mar 2026, 10:00 CET (UTC+1); 2026-03-05 09:00 UTC". */
export function bothTimes(d: Date, zone: string): string {
  return zone === 'UTC' ? utcHuman(d) : `${localHuman(d, zone)}; ${utcHuman(d)}`;
}

export const CLOCK_LABELS: Record<ClockName, string> = {
  occurredAt: 'occurred',
  detectedAt: 'detected',
  awareAt: 'became aware',
  confirmedAt: 'confirmed as a breach',
  determinedAt: 'materiality or notifiability determined',
  extortionPaymentAt: 'extortion payment made',
};

export const CLOCK_ORDER: ClockName[] = ['occurredAt', 'detectedAt', 'awareAt', 'confirmedAt', 'determinedAt', 'extortionPaymentAt'];

export const DATA_CATEGORY_LABELS: Record<DataCategory, string> = {
  personal_data: 'personal data',
  special_categories: 'special categories of personal data',
  health_data: 'health data (PHI)',
  cardholder_data: 'cardholder data',
  credentials: 'credentials',
  customer_content: 'customer content',
  none: 'no personal or customer data',
};

export function dataCategoriesText(categories: readonly DataCategory[]): string {
  if (categories.length === 0) return 'not yet known';
  return categories.map((c) => DATA_CATEGORY_LABELS[c] ?? c).join(', ');
}

/** "GDPR Art. 33(1)" or "contract with Acme Hosting, p. 4" */
export function sourceText(source: DeadlineSource): string {
  if (source.kind === 'regulation') return source.citation;
  return `contract with ${source.counterpartyName}, p. ${source.page}`;
}

export function sourceQuote(source: DeadlineSource): string {
  return source.kind === 'clause' ? source.quote : '';
}

const STATUS_LABELS: Record<DeadlineStatus, string> = { open: 'open', done: 'done', missed: 'missed', not_applicable: 'not applicable' };

export function statusLabel(status: DeadlineStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/**
 * The status as of `at`: an open deadline whose due time has passed is
 * missed, even when the stored status has not caught up yet.
 */
export function statusAt(d: Pick<TrackedDeadline, 'status' | 'dueAt'>, at: Date | null): DeadlineStatus {
  if (at && d.status === 'open' && d.dueAt && d.dueAt.getTime() < at.getTime()) return 'missed';
  return d.status;
}

/** Soonest first: by due time, else policy target; deadlines with neither go last. Ties keep a stable order by title. */
export function soonestFirst<T extends Pick<TrackedDeadline, 'dueAt' | 'policyTargetAt' | 'title' | 'id'>>(deadlines: readonly T[]): T[] {
  const at = (d: T) => (d.dueAt ?? d.policyTargetAt)?.getTime() ?? Number.POSITIVE_INFINITY;
  return [...deadlines].sort((a, b) => at(a) - at(b) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

/** "3 h 20 min", "2 days 4 h", used for "done 3 h before the due time". */
export function durationText(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const parts: string[] = [];
  if (days) parts.push(`${days} day${days === 1 ? '' : 's'}`);
  if (hours) parts.push(`${hours} h`);
  if (mins && !days) parts.push(`${mins} min`);
  return parts.length ? parts.join(' ') : 'less than a minute';
}

/** For a done deadline: whether it was done in time, as the evidence a report is for. */
export function timelinessText(d: Pick<TrackedDeadline, 'status' | 'doneAt' | 'dueAt'>): string | null {
  if (d.status !== 'done' || !d.doneAt || !d.dueAt) return null;
  const diff = d.dueAt.getTime() - d.doneAt.getTime();
  return diff >= 0 ? `on time (${durationText(diff)} before the due time)` : `late (${durationText(diff)} after the due time)`;
}

export const TARGET_NOTE = "target, not the contract's deadline";

/** The policy target is the organisation's own, never the source's: the wording says so wherever it is shown. */
export function targetNote(d: Pick<TrackedDeadline, 'source'>): string {
  return d.source.kind === 'clause' ? TARGET_NOTE : 'target, not the regulation\'s deadline';
}
