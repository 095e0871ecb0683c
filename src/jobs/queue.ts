/**
 * What the API, the CLI and /metrics need from the background jobs, whichever
 * way they run: BullMQ on Redis (any number of `pactwatch worker` processes)
 * or in-process (embedded mode, no Redis).
 *
 * A contract goes through two jobs: extract (ingest + extract + store the
 * clauses), then derive (obligations). Job ids are deterministic
 * (`extract-<contractId>`, `derive-<contractId>`), so enqueueing a contract
 * that already has a job waiting, delayed for a retry or running is a no-op:
 * that job does the work. Finished jobs are not kept, so a later reprocess of
 * a `done` or `failed` contract enqueues the same id again and it runs.
 */

export const QUEUE_NAMES = { extract: 'pactwatch-extract', derive: 'pactwatch-derive' } as const;

export type JobKind = keyof typeof QUEUE_NAMES;
export const JOB_KINDS: readonly JobKind[] = ['extract', 'derive'];

export interface JobPayload {
  contractId: string;
}

export function jobId(kind: JobKind, contractId: string): string {
  return `${kind}-${contractId}`;
}

/** Attempts in all (first run included) and the first retry delay; each later retry waits twice as long. */
export interface RetryPolicy {
  attempts: number;
  backoffMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 3, backoffMs: 2000 };

export function retryDelayMs(policy: RetryPolicy, failedAttempt: number): number {
  return policy.backoffMs * 2 ** (failedAttempt - 1);
}

export interface QueueCounts {
  waiting: number;
  /** waiting for a retry */
  delayed: number;
  active: number;
  /** since the queue was created (Redis) or the process started (in-process) */
  completed: number;
  /** jobs that gave up: unreadable documents and the last attempt of transient faults */
  failed: number;
}

export interface JobDurations {
  /** jobs finished (either way) in this process */
  count: number;
  sumSeconds: number;
}

export interface JobQueue {
  readonly mode: 'redis' | 'in-process';
  /**
   * Queue the contract's extract job. Never throws: false means the queue is
   * unreachable; the contract stays `queued` in the database and
   * recoverUnfinished picks it up when the queue is back.
   */
  enqueueExtract(contractId: string): Promise<boolean>;
  enqueueDerive(contractId: string): Promise<boolean>;
  /**
   * true when the contract's derive job is waiting, delayed for a retry or running: its extraction is
   * stored and that job finishes it. false when unknown (the queue unreachable).
   */
  derivePending?(contractId: string): Promise<boolean>;
  /** Start consuming jobs in this process (the in-process runner, or BullMQ workers for `pactwatch worker`). */
  startWorkers(): Promise<void>;
  /** Rejects when the queue is unreachable. */
  counts(): Promise<Record<JobKind, QueueCounts>>;
  /** Durations of the jobs this process ran. */
  durations(): Record<JobKind, JobDurations>;
  /** true when the queue answers */
  ping(): Promise<boolean>;
  /** Stop taking jobs; let running ones finish (or, past the grace period, release them to another worker). */
  close(): Promise<void>;
}

/** Tally of job durations for /metrics. */
export class JobTimings {
  private readonly totals: Record<JobKind, JobDurations> = {
    extract: { count: 0, sumSeconds: 0 },
    derive: { count: 0, sumSeconds: 0 },
  };

  observe(kind: JobKind, seconds: number): void {
    this.totals[kind].count++;
    this.totals[kind].sumSeconds += seconds;
  }

  snapshot(): Record<JobKind, JobDurations> {
    return { extract: { ...this.totals.extract }, derive: { ...this.totals.derive } };
  }
}

/** Resolves with the promise's value, or with `fallback` if it takes longer than `ms`. */
export function withTimeout<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
