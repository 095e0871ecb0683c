/**
 * Reminders in service mode: delayed BullMQ jobs on the `pactwatch-reminders`
 * queue, one per deadline and lead time. The job id is the reminder id, so a
 * re-schedule replaces a reminder rather than doubling it. Each incident's job
 * ids are kept in a Redis set beside the queue, so cancelling an incident
 * removes its jobs without scanning every delayed job.
 */
import { Queue, UnrecoverableError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { type Logger } from 'pino';
import { type IncidentRecord, type TrackedDeadline } from '../obligations/incident-types';
import { planReminders } from './plan';
import { type PendingReminder, type ReminderRetry, type ReminderScheduler } from './types';
import { deliver, DeliveryError, type ReminderData, type WebhookTarget } from './webhook';

export const REMINDER_QUEUE = 'pactwatch-reminders';

/** The per-incident index outlives its last reminder by this much, then expires on its own. */
const INDEX_GRACE_MS = 7 * 24 * 3600_000;

export interface BullReminderOptions {
  redisUrl: string;
  /** Redis key prefix (BullMQ's default is 'bull'; tests use one per run). */
  prefix?: string;
  target: WebhookTarget;
  leadTimesMinutes: readonly number[];
  logger: Logger;
  now: () => Date;
  retry: ReminderRetry;
  concurrency: number;
}

export class BullReminders implements ReminderScheduler {
  readonly mode = 'redis' as const;
  private readonly connection: IORedis;
  private readonly queue: Queue<ReminderData>;
  private worker: Worker<ReminderData> | null = null;
  private workerConnection: IORedis | null = null;
  /** schedule and cancel of one incident run one after the other in this process */
  private readonly chains = new Map<string, Promise<void>>();
  private closed = false;

  constructor(private readonly options: BullReminderOptions) {
    this.connection = new IORedis(options.redisUrl, { maxRetriesPerRequest: 1, connectionName: `pactwatch-reminders-${process.pid}` });
    this.connection.on('error', (err) => options.logger.debug({ err }, 'reminder queue connection error'));
    this.queue = new Queue<ReminderData>(REMINDER_QUEUE, {
      connection: this.connection,
      prefix: options.prefix,
      defaultJobOptions: {
        attempts: options.retry.attempts,
        backoff: { type: 'exponential', delay: options.retry.backoffMs },
        removeOnComplete: true,
        removeOnFail: true,
      },
    });
    this.queue.on('error', (err) => options.logger.debug({ err }, 'reminder queue error'));
  }

  schedule(incident: IncidentRecord, deadlines: TrackedDeadline[]): Promise<void> {
    return this.serially(incident.id, async () => {
      const planned = planReminders(incident, deadlines, this.options.leadTimesMinutes, this.options.now());
      await this.removeAll(incident.id);
      const nowMs = this.options.now().getTime();
      for (const r of planned) {
        await this.queue.add('reminder', r.data, { jobId: r.id, delay: Math.max(0, r.at.getTime() - nowMs) });
      }
      if (planned.length) {
        const last = Math.max(...planned.map((r) => r.at.getTime()));
        await this.connection
          .multi()
          .sadd(this.indexKey(incident.id), ...planned.map((r) => r.id))
          .pexpire(this.indexKey(incident.id), Math.max(1, last - nowMs) + INDEX_GRACE_MS)
          .exec();
      }
    });
  }

  cancel(incidentId: string): Promise<void> {
    return this.serially(incidentId, () => this.removeAll(incidentId));
  }

  async start(): Promise<void> {
    if (this.worker || this.closed) return;
    const { logger, target, now } = this.options;
    // Workers block on Redis and must retry their commands forever.
    this.workerConnection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null, connectionName: `pactwatch-reminders-worker-${process.pid}` });
    this.workerConnection.on('error', () => undefined);
    this.worker = new Worker<ReminderData>(
      REMINDER_QUEUE,
      async (job: Job<ReminderData>) => {
        try {
          await deliver(target, job.data, now());
          logger.info({ reminderId: job.id, incidentId: job.data.incident.id, deadlineId: job.data.deadline.id }, 'deadline reminder sent');
        } catch (err) {
          const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          const permanent = err instanceof DeliveryError && err.permanent;
          if (permanent || last) logger.error({ err, reminderId: job.id, attempts: job.attemptsMade + 1 }, 'deadline reminder not delivered');
          else logger.warn({ err, reminderId: job.id, attempt: job.attemptsMade + 1 }, 'deadline reminder failed; retrying');
          throw permanent ? new UnrecoverableError((err as Error).message) : err;
        }
      },
      { connection: this.workerConnection, prefix: this.options.prefix, concurrency: this.options.concurrency },
    );
    this.worker.on('error', (err) => logger.error({ err, queue: REMINDER_QUEUE }, 'reminder worker error'));
    await this.worker.waitUntilReady();
  }

  async pending(incidentId: string): Promise<PendingReminder[]> {
    const ids = await this.connection.smembers(this.indexKey(incidentId));
    const jobs = await Promise.all(ids.map((id) => this.queue.getJob(id)));
    const out: PendingReminder[] = [];
    for (const job of jobs) {
      if (!job || job.data.incident.id !== incidentId) continue;
      out.push({ id: job.id!, deadlineId: job.data.deadline.id, at: new Date(job.data.remindAt), leadMinutes: job.data.leadTime.minutes });
    }
    return out.sort((a, b) => a.at.getTime() - b.at.getTime() || a.id.localeCompare(b.id));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.chains.values()]);
    if (this.worker) await this.worker.close();
    await this.queue.close();
    this.workerConnection?.disconnect();
    this.connection.disconnect();
  }

  /** Beside the queue's own keys, so whatever removes the queue's keys removes it too. */
  private indexKey(incidentId: string): string {
    return `${this.options.prefix ?? 'bull'}:${REMINDER_QUEUE}:by-incident:${incidentId}`;
  }

  private async removeAll(incidentId: string): Promise<void> {
    const key = this.indexKey(incidentId);
    const ids = await this.connection.smembers(key);
    for (const id of ids) {
      const job = await this.queue.getJob(id);
      // A reminder being sent right now is locked; it goes out, and its id is freed when it finishes.
      await job?.remove().catch((err: unknown) => this.options.logger.debug({ err, reminderId: id }, 'reminder not removed (running)'));
    }
    await this.connection.del(key);
  }

  /**
   * Runs one incident's schedule and cancel calls one after another in this
   * process. A failure (Redis unreachable) is logged, not thrown: the change
   * that asked for reminders has been made and must not fail because of them;
   * the next change, or start-up, schedules them again.
   */
  private serially(incidentId: string, work: () => Promise<void>): Promise<void> {
    const previous = this.chains.get(incidentId) ?? Promise.resolve();
    const next = previous.then(work).catch((err: unknown) => this.options.logger.error({ err, incidentId }, 'could not schedule deadline reminders'));
    this.chains.set(incidentId, next);
    void next.then(() => {
      if (this.chains.get(incidentId) === next) this.chains.delete(incidentId);
    });
    return next;
  }
}
