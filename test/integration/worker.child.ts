/**
 * A `pactwatch worker` for the crash test, with a short job lock so that a
 * job whose worker was killed is taken over within seconds instead of the
 * default 30: run by worker-kill.test.ts with DATABASE_URL, REDIS_URL and
 * PW_QUEUE_PREFIX in its environment.
 */
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openStore } from '../../src/db';
import { createJobQueue } from '../../src/jobs';

async function main(): Promise<void> {
  const config = loadConfig({ DATABASE_URL: process.env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL, PACTWATCH_WORKER_CONCURRENCY: '1' });
  const logger = pino({ level: 'silent' });
  const store = await openStore(config, { logger });
  const queue = createJobQueue(config, { store, logger, prefix: process.env.PW_QUEUE_PREFIX, workerSettings: { lockDuration: 2000, stalledInterval: 1000 } });
  await queue.startWorkers();
  process.stdout.write('ready\n');
  process.on('SIGTERM', () => {
    void queue.close().then(() => store.close()).then(() => process.exit(0));
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
