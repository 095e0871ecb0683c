import { type Logger } from 'pino';
import { type Store } from '../db/store';
import { type JobQueue } from './queue';

/**
 * Queues the extract job of every contract the database lists as `queued` or
 * `processing`: after a restart (the in-process runner keeps nothing) and when
 * Redis comes back (uploads accepted while it was down). Contracts whose job
 * is still waiting or running are not run twice: their job ids are taken. A
 * contract already extracted whose derive job is waiting or running is left
 * to that job (every worker start recovers, and a worker stopped between the
 * two jobs would otherwise have the next one read the document again).
 * Returns how many were queued.
 */
export async function recoverUnfinished(store: Store, queue: Pick<JobQueue, 'enqueueExtract' | 'derivePending'>, logger?: Logger): Promise<number> {
  const ids = await store.listUnfinishedContractIds();
  let queued = 0;
  let deriving = 0;
  for (const id of ids) {
    // `queued` means a reprocess (or an upload) asks for a new extraction, whatever derive is pending
    if (queue.derivePending && (await store.getContract(id))?.status === 'processing' && (await queue.derivePending(id))) {
      deriving++;
      continue;
    }
    if (await queue.enqueueExtract(id)) queued++;
  }
  if (ids.length > 0) logger?.info({ unfinished: ids.length, queued, deriving }, 'unfinished contracts queued again');
  return queued;
}
