import { type Logger } from 'pino';
import { type Store } from '../db/store';
import { type JobQueue } from './queue';

/**
 * Queues the extract job of every contract the database lists as `queued` or
 * `processing`: after a restart (the in-process runner keeps nothing) and when
 * Redis comes back (uploads accepted while it was down). Contracts whose job
 * is still waiting or running are not run twice: their job ids are taken.
 * Returns how many were queued.
 */
export async function recoverUnfinished(store: Store, queue: Pick<JobQueue, 'enqueueExtract'>, logger?: Logger): Promise<number> {
  const ids = await store.listUnfinishedContractIds();
  let queued = 0;
  for (const id of ids) {
    if (await queue.enqueueExtract(id)) queued++;
  }
  if (ids.length > 0) logger?.info({ unfinished: ids.length, queued }, 'unfinished contracts queued again');
  return queued;
}
