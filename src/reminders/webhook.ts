/**
 * The reminder webhook: what is sent, how it is signed, and one delivery
 * attempt. The signature is an HMAC-SHA256 of the raw body; the body carries
 * its own `sentAt` (also in the timestamp header), so the signature covers the
 * time too and a receiver can refuse replays of old deliveries.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { type DeadlineSource, type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';

export const SIGNATURE_HEADER = 'X-Pactwatch-Signature';
export const TIMESTAMP_HEADER = 'X-Pactwatch-Timestamp';
export const DELIVERY_HEADER = 'X-Pactwatch-Delivery';

/** What a reminder job holds; `sentAt` is added at each delivery attempt. */
export interface ReminderData {
  event: 'deadline.reminder';
  /** stable per deadline and lead time: receivers can de-duplicate on it */
  reminderId: string;
  /** when the reminder was due to go out */
  remindAt: string;
  leadTime: { minutes: number; label: string };
  /** what the lead time counts back from: the due time, or the organisation's policy target where the source gives no number */
  anchor: 'due' | 'policy_target';
  incident: { id: string; title: string; timeZone: string };
  deadline: {
    id: string;
    key: string;
    title: string;
    dueAt: string | null;
    qualifier: string | null;
    policyTargetAt: string | null;
    notifier: string;
    recipient: string;
    method: string[];
    content: string[];
    status: TrackedDeadline['status'];
    owedBy: TrackedDeadline['owedBy'];
    clock: { name: string; at: string };
    /** the evidence for the deadline: the clause with page and quote, or the regulation with its citation */
    source: DeadlineSource;
  };
}

export interface ReminderPayload extends ReminderData {
  sentAt: string;
}

export function leadTimeLabel(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440}d`;
  if (minutes % 60 === 0) return `${minutes / 60}h`;
  return `${minutes}m`;
}

export function reminderData(incident: IncidentRecord, d: TrackedDeadline, leadMinutes: number, anchor: ReminderData['anchor'], remindAt: Date): ReminderData {
  return {
    event: 'deadline.reminder',
    reminderId: reminderId(d.id, leadMinutes),
    remindAt: remindAt.toISOString(),
    leadTime: { minutes: leadMinutes, label: leadTimeLabel(leadMinutes) },
    anchor,
    incident: { id: incident.id, title: incident.title, timeZone: incident.timeZone },
    deadline: {
      id: d.id,
      key: d.key,
      title: d.title,
      dueAt: d.dueAt?.toISOString() ?? null,
      qualifier: d.qualifier,
      policyTargetAt: d.policyTargetAt?.toISOString() ?? null,
      notifier: d.notifier,
      recipient: d.recipient,
      method: d.method,
      content: d.content,
      status: d.status,
      owedBy: d.owedBy,
      clock: { name: d.clock.name, at: d.clock.at.toISOString() },
      source: d.source,
    },
  };
}

/** Also the job id under BullMQ, which forbids ':' in custom ids. */
export function reminderId(deadlineId: string, leadMinutes: number): string {
  return `reminder-${deadlineId}-${leadMinutes}m`;
}

export function sign(secret: string, rawBody: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody, 'utf8').digest('hex')}`;
}

/** For receivers (and tests): constant-time check of a signature header against the raw body. */
export function verifySignature(secret: string, rawBody: string | Buffer, header: string | undefined): boolean {
  if (!header) return false;
  const expected = Buffer.from(sign(secret, Buffer.isBuffer(rawBody) ? rawBody.toString('utf8') : rawBody));
  const given = Buffer.from(header);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A delivery failure; `permanent` ones (most 4xx answers) are not retried. */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export type FetchLike = (url: string, init: { method: string; headers: Record<string, string>; body: string; signal?: AbortSignal }) => Promise<{ ok: boolean; status: number }>;

export interface WebhookTarget {
  url: string;
  secret: string;
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** One attempt. Resolves on a 2xx answer; rejects with a DeliveryError otherwise. */
export async function deliver(target: WebhookTarget, data: ReminderData, now: Date): Promise<void> {
  const payload: ReminderPayload = { ...data, sentAt: now.toISOString() };
  const body = JSON.stringify(payload);
  const doFetch = target.fetch ?? (fetch as unknown as FetchLike);
  let status: number;
  try {
    const res = await doFetch(target.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Pactwatch-Reminders',
        [SIGNATURE_HEADER]: sign(target.secret, body),
        [TIMESTAMP_HEADER]: String(Math.floor(now.getTime() / 1000)),
        [DELIVERY_HEADER]: data.reminderId,
      },
      body,
      signal: AbortSignal.timeout(target.timeoutMs ?? 10_000),
    });
    if (res.ok) return;
    status = res.status;
  } catch (err) {
    throw new DeliveryError(`webhook unreachable: ${(err as Error).message}`, false);
  }
  // A receiver that rejects the request as such will reject it again; timeouts and throttling pass.
  const permanent = status >= 400 && status < 500 && status !== 408 && status !== 429;
  throw new DeliveryError(`webhook answered ${status}`, permanent);
}
