/**
 * Reminders in embedded mode: timers in this process. Nothing is durable: a
 * restart loses the timers, so start-up schedules every open incident again
 * (the same as after any change; past reminders are not re-sent).
 */
import { type Logger } from 'pino';
import { type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';
import { planReminders, type PlannedReminder } from './plan';
import { type PendingReminder, type ReminderRetry, type ReminderScheduler } from './types';
import { deliver, DeliveryError, type WebhookTarget } from './webhook';

/** setTimeout fires at once for delays of 2^31 ms (about 24.8 days) or more: longer waits are taken in steps. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

interface Pending {
  reminder: PlannedReminder;
  timer: NodeJS.Timeout | null;
  attemptsMade: number;
}

export interface InProcessReminderOptions {
  target: WebhookTarget;
  leadTimesMinutes: readonly number[];
  logger: Logger;
  now: () => Date;
  retry: ReminderRetry;
}

export class InProcessReminders implements ReminderScheduler {
  readonly mode = 'in-process' as const;
  private readonly byIncident = new Map<string, Map<string, Pending>>();
  private closed = false;

  constructor(private readonly options: InProcessReminderOptions) {}

  async schedule(incident: IncidentRecord, deadlines: TrackedDeadline[]): Promise<void> {
    if (this.closed) return;
    this.clear(incident.id);
    const planned = planReminders(incident, deadlines, this.options.leadTimesMinutes, this.options.now());
    if (planned.length === 0) return;
    const pending = new Map<string, Pending>();
    this.byIncident.set(incident.id, pending);
    for (const reminder of planned) {
      const p: Pending = { reminder, timer: null, attemptsMade: 0 };
      pending.set(reminder.id, p);
      this.wait(p, reminder.at.getTime() - this.options.now().getTime());
    }
  }

  async cancel(incidentId: string): Promise<void> {
    this.clear(incidentId);
  }

  /** The timers run from schedule() on; there is no separate worker to start. */
  async start(): Promise<void> {}

  async pending(incidentId: string): Promise<PendingReminder[]> {
    return [...(this.byIncident.get(incidentId)?.values() ?? [])].map(({ reminder: r }) => ({
      id: r.id,
      deadlineId: r.deadlineId,
      at: r.at,
      leadMinutes: r.data.leadTime.minutes,
    }));
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const id of [...this.byIncident.keys()]) this.clear(id);
  }

  private clear(incidentId: string): void {
    const pending = this.byIncident.get(incidentId);
    if (!pending) return;
    for (const p of pending.values()) if (p.timer) clearTimeout(p.timer);
    this.byIncident.delete(incidentId);
  }

  /** Counts the remaining wait down in steps, so the clock is read once and a long wait still ends on time. */
  private wait(p: Pending, ms: number): void {
    const step = Math.min(Math.max(ms, 0), MAX_TIMER_MS);
    p.timer = setTimeout(() => {
      p.timer = null;
      if (ms > MAX_TIMER_MS) this.wait(p, ms - MAX_TIMER_MS);
      else void this.fire(p);
    }, step);
    // A pending reminder must not keep the process alive on shutdown.
    p.timer.unref();
  }

  private async fire(p: Pending): Promise<void> {
    const { logger, retry, target, now } = this.options;
    const r = p.reminder;
    p.attemptsMade++;
    try {
      await deliver(target, r.data, now());
      logger.info({ reminderId: r.id, incidentId: r.incidentId, deadlineId: r.deadlineId }, 'deadline reminder sent');
      this.forget(p);
    } catch (err) {
      const permanent = err instanceof DeliveryError && err.permanent;
      if (permanent || p.attemptsMade >= retry.attempts || this.closed || !this.isCurrent(p)) {
        logger.error({ err, reminderId: r.id, incidentId: r.incidentId, attempts: p.attemptsMade }, 'deadline reminder not delivered');
        this.forget(p);
        return;
      }
      logger.warn({ err, reminderId: r.id, attempt: p.attemptsMade }, 'deadline reminder failed; retrying');
      this.wait(p, retry.backoffMs * 2 ** (p.attemptsMade - 1));
    }
  }

  /** false once the reminder was cancelled or replaced while its delivery ran */
  private isCurrent(p: Pending): boolean {
    return this.byIncident.get(p.reminder.incidentId)?.get(p.reminder.id) === p;
  }

  private forget(p: Pending): void {
    const pending = this.byIncident.get(p.reminder.incidentId);
    if (pending?.get(p.reminder.id) !== p) return;
    pending.delete(p.reminder.id);
    if (pending.size === 0) this.byIncident.delete(p.reminder.incidentId);
  }
}
