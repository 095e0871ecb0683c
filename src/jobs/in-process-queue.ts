/**
 * The runner for embedded mode (no Redis): a FIFO in this process with a
 * concurrency limit, running the same processors with the same retry policy as
 * the BullMQ workers. Nothing here is durable, and nothing needs to be: a
 * contract's status in the database is the record, and recoverUnfinished
 * queues every unfinished contract again at start-up.
 */
import { type Logger } from 'pino';
import { isUnrecoverable, type Processors } from './processors';
import {
  DEFAULT_RETRY,
  JOB_KINDS,
  JobTimings,
  jobId,
  retryDelayMs,
  type JobKind,
  type JobQueue,
  type QueueCounts,
  type RetryPolicy,
} from './queue';

interface Job {
  kind: JobKind;
  contractId: string;
  /** attempts made so far */
  attemptsMade: number;
}

export interface InProcessOptions {
  concurrency: number;
  retry?: RetryPolicy;
  logger: Logger;
  /** How long close() waits for running jobs. */
  shutdownGraceMs?: number;
}

export class InProcessJobQueue implements JobQueue {
  readonly mode = 'in-process' as const;
  private processors: Processors | null = null;
  private readonly retry: RetryPolicy;
  private readonly waiting: Job[] = [];
  private readonly delayed = new Map<string, NodeJS.Timeout>();
  private readonly active = new Map<string, Promise<void>>();
  private readonly finished: Record<JobKind, { completed: number; failed: number }> = {
    extract: { completed: 0, failed: 0 },
    derive: { completed: 0, failed: 0 },
  };
  private readonly timings = new JobTimings();
  private started = false;
  private closed = false;
  private idleWaiters: (() => void)[] = [];

  constructor(private readonly options: InProcessOptions) {
    this.retry = options.retry ?? DEFAULT_RETRY;
  }

  /** The processors need the queue (extract enqueues derive), so they are attached after construction. */
  attach(processors: Processors): void {
    this.processors = processors;
  }

  enqueueExtract(contractId: string): Promise<boolean> {
    return Promise.resolve(this.enqueue({ kind: 'extract', contractId, attemptsMade: 0 }));
  }

  enqueueDerive(contractId: string): Promise<boolean> {
    return Promise.resolve(this.enqueue({ kind: 'derive', contractId, attemptsMade: 0 }));
  }

  async derivePending(contractId: string): Promise<boolean> {
    const id = jobId('derive', contractId);
    return this.active.has(id) || this.delayed.has(id) || this.waiting.some((j) => j.kind === 'derive' && j.contractId === contractId);
  }

  async startWorkers(): Promise<void> {
    if (!this.processors) throw new Error('no processors attached');
    this.started = true;
    this.pump();
  }

  async counts(): Promise<Record<JobKind, QueueCounts>> {
    const out = {} as Record<JobKind, QueueCounts>;
    for (const kind of JOB_KINDS) {
      const prefix = `${kind}-`;
      const count = (keys: Iterable<string>) => [...keys].filter((k) => k.startsWith(prefix)).length;
      out[kind] = {
        waiting: this.waiting.filter((j) => j.kind === kind).length,
        delayed: count(this.delayed.keys()),
        active: count(this.active.keys()),
        ...this.finished[kind],
      };
    }
    return out;
  }

  durations() {
    return this.timings.snapshot();
  }

  async ping(): Promise<boolean> {
    return !this.closed;
  }

  /** Resolves when nothing is waiting, delayed or running (for tests and the CLI). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // Waiting and delayed jobs are dropped: their contracts are still queued or
    // processing in the database and are queued again at the next start.
    this.waiting.length = 0;
    for (const t of this.delayed.values()) clearTimeout(t);
    this.delayed.clear();
    const running = Promise.allSettled([...this.active.values()]);
    const grace = this.options.shutdownGraceMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const finishedInTime = await Promise.race([
      running.then(() => true),
      new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
    ]);
    clearTimeout(timer);
    if (!finishedInTime) this.options.logger.warn({ running: this.active.size }, 'jobs still running at shutdown; they run again at the next start');
    await this.processors?.close();
    this.notifyIdle();
  }

  private enqueue(job: Job): boolean {
    if (this.closed) return false;
    const id = jobId(job.kind, job.contractId);
    // The same id waiting, delayed or running already covers this request.
    if (this.active.has(id) || this.delayed.has(id) || this.waiting.some((j) => jobId(j.kind, j.contractId) === id)) return true;
    this.waiting.push(job);
    this.pump();
    return true;
  }

  private pump(): void {
    if (!this.started || this.closed) return;
    while (this.active.size < this.options.concurrency) {
      const at = this.waiting.findIndex((j) => !this.active.has(jobId(j.kind, j.contractId)));
      if (at < 0) break;
      const [job] = this.waiting.splice(at, 1);
      const id = jobId(job.kind, job.contractId);
      this.active.set(
        id,
        this.run(job).finally(() => {
          this.active.delete(id);
          this.pump();
          this.notifyIdle();
        }),
      );
    }
  }

  private async run(job: Job): Promise<void> {
    const attempt = job.attemptsMade + 1;
    const started = process.hrtime.bigint();
    try {
      await this.processors![job.kind](job.contractId, { attempt, maxAttempts: this.retry.attempts });
      this.finished[job.kind].completed++;
    } catch (err) {
      if (isUnrecoverable(err) || attempt >= this.retry.attempts || this.closed) {
        this.finished[job.kind].failed++;
        return;
      }
      const id = jobId(job.kind, job.contractId);
      const timer = setTimeout(() => {
        this.delayed.delete(id);
        this.waiting.push({ ...job, attemptsMade: attempt });
        this.pump();
      }, retryDelayMs(this.retry, attempt));
      this.delayed.set(id, timer);
    } finally {
      this.timings.observe(job.kind, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private isIdle(): boolean {
    return this.waiting.length === 0 && this.delayed.size === 0 && this.active.size === 0;
  }

  private notifyIdle(): void {
    if (!this.isIdle() && !this.closed) return;
    for (const resolve of this.idleWaiters.splice(0)) resolve();
  }
}
