/**
 * The runner for service mode: BullMQ queues on Redis. The API process only
 * enqueues; `pactwatch worker` processes (any number) call startWorkers() and
 * run the processors. Job ids are deterministic, so two workers never run the
 * same contract's job at once and a re-enqueue of a waiting, delayed or active
 * job is a no-op. Finished jobs are removed at once (the outcome is recorded on
 * the contract), which is what lets a reprocess of a `done` or `failed`
 * contract enqueue the same id again; counts of completed and failed jobs come
 * from BullMQ's metrics instead of the kept jobs.
 */
import { MetricsTime, Queue, WaitingError, Worker, type Job } from 'bullmq';
import IORedis from 'ioredis';
import { type Logger } from 'pino';
import { type Processors } from './processors';
import {
  DEFAULT_RETRY,
  JOB_KINDS,
  JobTimings,
  QUEUE_NAMES,
  jobId,
  withTimeout,
  type JobKind,
  type JobPayload,
  type JobQueue,
  type QueueCounts,
  type RetryPolicy,
} from './queue';

export interface BullOptions {
  redisUrl: string;
  concurrency: number;
  logger: Logger;
  retry?: RetryPolicy;
  /** Namespaces the Redis keys (tests use one per run). */
  prefix?: string;
  /** How long close() lets running jobs finish before releasing them. */
  shutdownGraceMs?: number;
  /** Called when Redis is back after an outage (the factory queues unfinished contracts again). */
  onReconnect?: () => Promise<void>;
  /** Worker tuning, for tests of stalled jobs. */
  workerSettings?: { lockDuration?: number; stalledInterval?: number };
}

const ENQUEUE_TIMEOUT_MS = 3000;
const PING_TIMEOUT_MS = 1000;

export class BullJobQueue implements JobQueue {
  readonly mode = 'redis' as const;
  private readonly connection: IORedis;
  private readonly queues: Record<JobKind, Queue<JobPayload>>;
  private readonly retry: RetryPolicy;
  private readonly timings = new JobTimings();
  private processors: Processors | null = null;
  private workers: Worker<JobPayload>[] = [];
  private workerConnections: IORedis[] = [];
  private wasDown = false;
  private closed = false;
  /** Past the shutdown grace period: jobs still running are handed back to the queue. */
  private releasing = false;
  private queuesClosed = false;

  constructor(private readonly options: BullOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
    // Without the offline queue, commands fail at once while Redis is down
    // instead of piling up: an upload must not hang on the queue.
    this.connection = new IORedis(options.redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectionName: `pactwatch-queue-${process.pid}`,
    });
    this.connection.on('error', (err) => this.markDown(err));
    this.connection.on('close', () => this.markDown(new Error('connection closed')));
    this.connection.on('ready', () => this.markUp());
    const make = (kind: JobKind) => {
      const q = new Queue<JobPayload>(QUEUE_NAMES[kind], {
        connection: this.connection,
        prefix: options.prefix,
        defaultJobOptions: {
          attempts: this.retry.attempts,
          backoff: { type: 'exponential', delay: this.retry.backoffMs },
          removeOnComplete: true,
          removeOnFail: true,
        },
      });
      q.on('error', (err) => this.markDown(err));
      return q;
    };
    this.queues = { extract: make('extract'), derive: make('derive') };
  }

  attach(processors: Processors): void {
    this.processors = processors;
  }

  enqueueExtract(contractId: string): Promise<boolean> {
    return this.enqueue('extract', contractId);
  }

  enqueueDerive(contractId: string): Promise<boolean> {
    return this.enqueue('derive', contractId);
  }

  async derivePending(contractId: string): Promise<boolean> {
    if (this.queuesClosed || !(await this.ready())) return false;
    const state = await withTimeout(
      this.queues.derive.getJobState(jobId('derive', contractId)).catch(() => 'unknown'),
      ENQUEUE_TIMEOUT_MS,
      'unknown',
    );
    return ['waiting', 'prioritized', 'delayed', 'active', 'waiting-children'].includes(state);
  }

  /** Starts one BullMQ worker per queue in this process. */
  async startWorkers(): Promise<void> {
    if (this.workers.length > 0) return;
    this.workers = JOB_KINDS.map((kind) => this.createWorker(kind));
    await Promise.all(this.workers.map((w) => w.waitUntilReady()));
  }

  async counts(): Promise<Record<JobKind, QueueCounts>> {
    const out = {} as Record<JobKind, QueueCounts>;
    for (const kind of JOB_KINDS) {
      const q = this.queues[kind];
      const [c, completed, failed] = await Promise.all([
        q.getJobCounts('waiting', 'prioritized', 'delayed', 'active'),
        q.getMetrics('completed', 0, 0),
        q.getMetrics('failed', 0, 0),
      ]);
      out[kind] = {
        waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
        delayed: c.delayed ?? 0,
        active: c.active ?? 0,
        completed: completed.meta.count,
        failed: failed.meta.count,
      };
    }
    return out;
  }

  durations() {
    return this.timings.snapshot();
  }

  async ping(): Promise<boolean> {
    if (this.connection.status !== 'ready') return false;
    return withTimeout(
      this.connection.ping().then((r) => r === 'PONG', () => false),
      PING_TIMEOUT_MS,
      false,
    );
  }

  /**
   * Stops taking jobs and waits for the running ones. Past the grace period the
   * running jobs are released: their work is stopped (the extraction threads
   * end) and each job goes back to waiting, its attempt not counted, for
   * another worker to take at once.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const graceful = Promise.all(this.workers.map((w) => w.close()));
    const finishedInTime = await withTimeout(graceful.then(() => true), this.options.shutdownGraceMs ?? 30_000, false);
    if (!finishedInTime) {
      this.options.logger.warn('jobs still running at shutdown; releasing them to other workers');
      this.releasing = true;
      // BullMQ's close(true) would not help here: a close already under way waits for the running jobs
      // whatever it is asked. Ending the work makes each job return (see createWorker), and the close ends.
      await this.processors?.close();
      await graceful;
    }
    await this.processors?.close();
    // Only now: a job that finished during the shutdown still queues its next step.
    this.queuesClosed = true;
    await Promise.all(JOB_KINDS.map((k) => this.queues[k].close()));
    for (const c of [...this.workerConnections, this.connection]) c.disconnect();
  }

  private async enqueue(kind: JobKind, contractId: string): Promise<boolean> {
    if (this.queuesClosed || !(await this.ready())) {
      this.options.logger.warn({ contractId, job: kind }, 'queue unreachable; job not queued now');
      return false;
    }
    const added = this.queues[kind]
      .add(kind, { contractId }, { jobId: jobId(kind, contractId) })
      .then(
        () => true,
        (err: unknown) => {
          this.options.logger.warn({ contractId, job: kind, err }, 'could not queue job');
          return false;
        },
      );
    return withTimeout(added, ENQUEUE_TIMEOUT_MS, false);
  }

  /**
   * true once connected. Only the first connection is waited for (a queue used
   * right after start-up); during an outage the answer is an immediate false,
   * so an upload is never held up by the queue.
   */
  private ready(): Promise<boolean> {
    if (this.connection.status === 'ready') return Promise.resolve(true);
    if (this.wasDown || this.closed || !['wait', 'connecting', 'connect'].includes(this.connection.status)) return Promise.resolve(false);
    const waited = new Promise<boolean>((resolve) => {
      const done = (ok: boolean) => {
        this.connection.off('ready', onReady);
        this.connection.off('error', onError);
        resolve(ok);
      };
      const onReady = () => done(true);
      const onError = () => done(false);
      this.connection.once('ready', onReady);
      this.connection.once('error', onError);
    });
    return withTimeout(waited, ENQUEUE_TIMEOUT_MS, false);
  }

  private createWorker(kind: JobKind): Worker<JobPayload> {
    const processors = this.processors;
    if (!processors) throw new Error('no processors attached');
    // Workers block on Redis and must retry their commands forever.
    const connection = new IORedis(this.options.redisUrl, { maxRetriesPerRequest: null, connectionName: `pactwatch-worker-${process.pid}` });
    connection.on('error', () => undefined);
    this.workerConnections.push(connection);
    const worker = new Worker<JobPayload>(
      QUEUE_NAMES[kind],
      async (job: Job<JobPayload>, token?: string) => {
        const started = process.hrtime.bigint();
        try {
          await processors[kind](job.data.contractId, { attempt: job.attemptsMade + 1, maxAttempts: job.opts.attempts ?? 1 });
        } catch (err) {
          if (this.releasing && token) {
            // stopped by the shutdown, not failed: back to waiting for another worker, the attempt not counted
            await job.moveToWait(token);
            this.options.logger.info({ contractId: job.data.contractId, job: kind }, 'job released at shutdown');
            throw new WaitingError();
          }
          throw err;
        } finally {
          this.timings.observe(kind, Number(process.hrtime.bigint() - started) / 1e9);
        }
      },
      {
        connection,
        prefix: this.options.prefix,
        concurrency: this.options.concurrency,
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
        ...this.options.workerSettings,
      },
    );
    worker.on('error', (err) => this.options.logger.error({ err, queue: QUEUE_NAMES[kind] }, 'worker error'));
    return worker;
  }

  private markDown(err: Error): void {
    if (!this.wasDown && !this.closed) this.options.logger.error({ err }, 'Redis unreachable');
    this.wasDown = true;
  }

  private markUp(): void {
    if (!this.wasDown || this.closed) return;
    this.wasDown = false;
    this.options.logger.info('Redis reachable again');
    this.options.onReconnect?.().catch((err: unknown) => this.options.logger.error({ err }, 'could not queue unfinished contracts'));
  }
}
