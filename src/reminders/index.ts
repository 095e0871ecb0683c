/**
 * Reminders before each deadline falls due: a signed webhook POST at the
 * configured lead times, through delayed BullMQ jobs (in-process timers in
 * embedded mode).
 *
 * Wiring: the API process creates one scheduler and calls `schedule(incident,
 * deadlines)` after every change to an incident or its deadlines (and
 * `cancel(id)` when one is closed or deleted). With Redis, the process that
 * runs the workers calls `start()` to send them; in embedded mode the timers
 * live in the serve process, so start-up schedules every open incident again.
 */
import { type Logger } from 'pino';
import { type Config } from '../config';
import { BullReminders } from './bullmq';
import { InProcessReminders } from './in-process';
import { DEFAULT_REMINDER_RETRY, type ReminderRetry, type ReminderScheduler } from './types';
import { type FetchLike } from './webhook';

export { type ReminderScheduler, type PendingReminder, type ReminderRetry, DEFAULT_REMINDER_RETRY } from './types';
export { REMINDER_QUEUE } from './bullmq';
export { MAX_TIMER_MS } from './in-process';
export { planReminders, type PlannedReminder } from './plan';
export {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  DELIVERY_HEADER,
  sign,
  verifySignature,
  type ReminderData,
  type ReminderPayload,
  type FetchLike,
} from './webhook';

export interface ReminderDeps {
  logger: Logger;
  /** Redis key prefix (tests use one per run). */
  prefix?: string;
  /** The clock; tests pin it. */
  now?: () => Date;
  retry?: ReminderRetry;
  /** The HTTP client (tests stub it); the global fetch by default. */
  fetch?: FetchLike;
  /** How long one delivery may take (default 10 s). */
  timeoutMs?: number;
}

export function createReminderScheduler(config: Config, deps: ReminderDeps): ReminderScheduler {
  const { logger } = deps;
  if (!config.webhookUrl || !config.webhookSecret) return disabledScheduler(logger);
  const common = {
    target: { url: config.webhookUrl, secret: config.webhookSecret, fetch: deps.fetch, timeoutMs: deps.timeoutMs },
    leadTimesMinutes: config.reminderLeadTimesMinutes,
    logger,
    now: deps.now ?? (() => new Date()),
    retry: deps.retry ?? DEFAULT_REMINDER_RETRY,
  };
  if (config.redisUrl) return new BullReminders({ ...common, redisUrl: config.redisUrl, prefix: deps.prefix, concurrency: config.workerConcurrency });
  return new InProcessReminders(common);
}

function disabledScheduler(logger: Logger): ReminderScheduler {
  let told = false;
  return {
    mode: 'disabled',
    async schedule() {
      if (told) return;
      told = true;
      logger.info('no PACTWATCH_WEBHOOK_URL configured: deadline reminders are not sent');
    },
    async cancel() {},
    async start() {},
    async pending() {
      return [];
    },
    async close() {},
  };
}
