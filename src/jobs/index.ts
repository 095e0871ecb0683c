/**
 * Chooses the job runner: BullMQ on Redis when REDIS_URL is set, else the
 * in-process runner. Both run the same processors with the same retry policy.
 *
 * Start-up, in both modes: `const queue = createJobQueue(config, deps);
 * await recoverUnfinished(store, queue); await queue.startWorkers()` (the API
 * process in service mode skips startWorkers; `pactwatch worker` calls
 * runWorker). The API calls `queue.enqueueExtract(id)` after an upload and
 * after setting a contract back to `queued` for a reprocess.
 */
import { type Logger } from 'pino';
import { type Config } from '../config';
import { type Store } from '../db/store';
import { type Policy } from '../policies';
import { BullJobQueue } from './bullmq-queue';
import { type DocumentExtractor } from './extract-pool';
import { InProcessJobQueue } from './in-process-queue';
import { createProcessors } from './processors';
import { type JobQueue, type RetryPolicy } from './queue';
import { recoverUnfinished } from './recover';

export { type JobQueue, type QueueCounts, type JobDurations, type JobKind, QUEUE_NAMES, DEFAULT_RETRY } from './queue';
export { recoverUnfinished } from './recover';
export { PROCESSING_FAILED } from './processors';
export { BullJobQueue } from './bullmq-queue';
export { InProcessJobQueue } from './in-process-queue';

export interface JobDeps {
  store: Store;
  logger: Logger;
  /** Defaults to the policy in config.policyFile, loaded when the queue is created. */
  policy?: Policy;
  /** Defaults to a pool of extraction threads. */
  extractor?: DocumentExtractor;
  retry?: RetryPolicy;
  /** Redis key prefix (tests use one per run). */
  prefix?: string;
  shutdownGraceMs?: number;
  /** BullMQ worker tuning (tests shorten the lock so a killed worker's job is taken over quickly). */
  workerSettings?: { lockDuration?: number; stalledInterval?: number };
}

export function createJobQueue(config: Config, deps: JobDeps): JobQueue {
  const { store, logger } = deps;
  const common = { concurrency: config.workerConcurrency, logger, retry: deps.retry, shutdownGraceMs: deps.shutdownGraceMs };
  const queue: BullJobQueue | InProcessJobQueue = config.redisUrl
    ? new BullJobQueue({
        ...common,
        redisUrl: config.redisUrl,
        prefix: deps.prefix,
        workerSettings: deps.workerSettings,
        onReconnect: async () => {
          await recoverUnfinished(store, queue, logger);
        },
      })
    : new InProcessJobQueue(common);
  queue.attach(createProcessors({ store, config, logger, queue, extractor: deps.extractor, policy: deps.policy }));
  return queue;
}

/**
 * The body of `pactwatch worker`: runs the processors until SIGTERM or SIGINT,
 * then stops taking jobs and lets the running ones finish before resolving.
 */
export async function runWorker(config: Config, deps: JobDeps): Promise<void> {
  if (!config.redisUrl) throw new Error('pactwatch worker needs REDIS_URL; without it the jobs run inside `pactwatch serve`');
  const queue = createJobQueue(config, deps);
  await recoverUnfinished(deps.store, queue, deps.logger);
  await queue.startWorkers();
  deps.logger.info({ concurrency: config.workerConcurrency }, 'worker started');
  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      deps.logger.info({ signal }, 'worker stopping');
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  await queue.close();
  deps.logger.info('worker stopped');
}
