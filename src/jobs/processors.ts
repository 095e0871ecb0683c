/**
 * The two jobs, the same in both runners. Each is idempotent: it rereads what
 * it needs from the store, and the store replaces a contract's clauses and
 * obligations rather than adding to them, so a retry or a reprocess gives the
 * same result as a single run.
 *
 * Failure policy: an AppError from ingest means the document itself is
 * unreadable; retrying cannot help, so the contract fails at once with that
 * code and the job is marked unrecoverable. Anything else (database, thread,
 * queue) is taken as transient and rethrown for the runner to retry with
 * backoff; the last attempt marks the contract failed with PROCESSING_FAILED.
 */
import { UnrecoverableError } from 'bullmq';
import { type Logger } from 'pino';
import { type Config } from '../config';
import { type Store } from '../db/store';
import { isAppError } from '../errors';
import { deriveObligations } from '../obligations/derive';
import { type ObligationDraft } from '../obligations/types';
import { checkContract, loadPolicy, type Policy } from '../policies';
import { createExtractPool, type DocumentExtractor } from './extract-pool';
import { type JobKind, type JobQueue } from './queue';

export const PROCESSING_FAILED = 'PROCESSING_FAILED';
/** PROCESSING_FAILED in one line, for people (the ingest codes have theirs in INGEST_CODE_MEANINGS). */
export const PROCESSING_FAILED_MEANING = 'Processing failed on our side after every retry; reprocess the contract, and tell an admin if it fails again.';

export interface ProcessorDeps {
  store: Store;
  config: Config;
  logger: Logger;
  queue: Pick<JobQueue, 'enqueueDerive'>;
  /** Defaults to a pool of extraction threads, created on the first extract. */
  extractor?: DocumentExtractor;
  /** The policy contracts are checked against; loaded from config.policyFile when absent. */
  policy?: Policy;
}

/** Which attempt this is, so the last one can record the failure. */
export interface Attempt {
  /** 1 for the first run */
  attempt: number;
  maxAttempts: number;
}

export interface Processors {
  extract(contractId: string, attempt: Attempt): Promise<void>;
  derive(contractId: string, attempt: Attempt): Promise<void>;
  /** Ends the extraction threads. */
  close(): Promise<void>;
}

/** A derivation whose clauses an extraction replaced while it ran. */
class StaleClausesError extends Error {
  constructor(contractId: string) {
    super(`the clauses of contract ${contractId} were replaced while its obligations were derived; deriving again`);
    this.name = 'StaleClausesError';
  }
}

export function isUnrecoverable(err: unknown): boolean {
  return err instanceof UnrecoverableError || (err instanceof Error && err.name === 'UnrecoverableError');
}

export function createProcessors(deps: ProcessorDeps): Processors {
  const { store, logger } = deps;
  let extractor = deps.extractor ?? null;
  const ownsExtractor = !deps.extractor;
  /** Set by close(): a job that fails from then on was stopped by the shutdown, not by a fault. */
  let closing = false;
  // Loaded here, not on the first derive, so a broken policy file stops start-up rather than every job.
  const policy = deps.policy ?? loadPolicy(deps.config.policyFile);

  const onError = async (kind: JobKind, contractId: string, attempt: Attempt, err: unknown): Promise<never> => {
    if (isAppError(err)) {
      logger.info({ contractId, job: kind, code: err.code }, 'document refused');
      await store.setStatus(contractId, 'failed', { code: err.code, detail: err.detail });
      throw new UnrecoverableError(`${err.code}: ${err.detail}`);
    }
    if (closing) {
      // the runner releases it (or the next start recovers it): not the contract's failure, even on its last attempt
      logger.info({ contractId, job: kind, err }, 'job stopped by shutdown');
      throw err;
    }
    const last = attempt.attempt >= attempt.maxAttempts;
    logger.warn({ contractId, job: kind, attempt: attempt.attempt, of: attempt.maxAttempts, err }, last ? 'job failed' : 'job failed, will retry');
    if (last) {
      const detail = `Processing failed after ${attempt.maxAttempts} attempt(s): ${err instanceof Error ? err.message : String(err)}`;
      await store.setStatus(contractId, 'failed', { code: PROCESSING_FAILED, detail });
    }
    throw err;
  };

  return {
    async extract(contractId, attempt) {
      try {
        // An extract job is queued for a `queued` contract (upload, reprocess, recovery). One that finds it
        // done or failed is stale: another run of the same contract (say one still going when Redis was lost,
        // while the recovery queued it again) has finished it since. Reading it again would change nothing.
        const current = await store.getContract(contractId);
        if (current && (current.status === 'done' || current.status === 'failed')) {
          logger.info({ contractId, status: current.status }, 'extract skipped: the contract was finished by another run');
          return;
        }
        const file = await store.getContractFile(contractId);
        // deleted after it was queued: nothing left to do
        if (!file) return;
        await store.setStatus(contractId, 'processing');
        extractor ??= createExtractPool(deps.config, { logger });
        const { text, pages, clauses } = await extractor.extract(file.bytes);
        await store.saveExtraction(contractId, text, pages, clauses);
        logger.info({ contractId, pages: pages.length, clauses: clauses.length }, 'extracted');
      } catch (err) {
        return onError('extract', contractId, attempt, err);
      }
      // Outside the try: the extraction is stored. If the queue is down the
      // contract stays `processing` and recoverUnfinished runs it again.
      if (!(await deps.queue.enqueueDerive(contractId))) {
        logger.warn({ contractId }, 'derive not queued; the contract is picked up again when the queue is back');
      }
    },

    async derive(contractId, attempt) {
      try {
        const contract = await store.getContract(contractId);
        if (!contract) return;
        const clauses = await store.listClauses(contractId);
        const drafts: ObligationDraft[] = deriveObligations({ ourRole: contract.ourRole, clauses });
        const obligations = drafts.map((d) => {
          const clause = clauses[d.clauseIndex];
          if (!clause) throw new Error(`obligation refers to clause ${d.clauseIndex} of ${clauses.length}`);
          return { ...d, clauseId: clause.id };
        });
        await store.saveObligations(contractId, obligations);
        const findings = checkContract(policy, clauses).map(({ clauseIndex, ...f }) => {
          if (clauseIndex === null) return { ...f, clauseId: null };
          const clause = clauses[clauseIndex];
          if (!clause) throw new Error(`finding refers to clause ${clauseIndex} of ${clauses.length}`);
          return { ...f, clauseId: clause.id };
        });
        await store.saveFindings(contractId, findings);
        // Done only if no extraction replaced the clauses while this ran (a second run of the same
        // contract, after a lost worker or queue); else derive again from the new ones.
        if (!(await store.markDone(contractId, clauses.map((c) => c.id)))) throw new StaleClausesError(contractId);
        logger.info({ contractId, obligations: obligations.length, findings: findings.length }, 'derived');
      } catch (err) {
        // The clauses were replaced under this derivation: not the document's fault, so retried like any transient fault.
        const stale = isAppError(err) && err.code === 'CLAUSE_NOT_IN_CONTRACT' ? new StaleClausesError(contractId) : err;
        return onError('derive', contractId, attempt, stale);
      }
    },

    async close() {
      closing = true;
      if (ownsExtractor && extractor) await extractor.close();
    },
  };
}
