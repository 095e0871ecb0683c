/**
 * `pactwatch worker` as worker() in src/server.ts runs it (runWorker: recover,
 * take jobs, stop on SIGTERM), with what a test needs set from its
 * environment: PW_QUEUE_PREFIX, PW_SHUTDOWN_GRACE_MS (how long running jobs
 * may finish after SIGTERM) and a short job lock (PW_LOCK_MS) so a job left
 * behind is taken over in seconds. Logs go to stdout as JSON lines; the exit
 * code is 0 once the worker has stopped and closed the database.
 */
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openStore } from '../../src/db';
import { runWorker } from '../../src/jobs';

async function main(): Promise<void> {
  const env = process.env;
  const config = loadConfig({ DATABASE_URL: env.DATABASE_URL, REDIS_URL: env.REDIS_URL, PACTWATCH_WORKER_CONCURRENCY: '1' });
  const logger = pino({ level: 'info', base: { pid: process.pid } });
  const store = await openStore(config);
  const lockDuration = Number(env.PW_LOCK_MS ?? 2000);
  try {
    await runWorker(config, {
      store,
      logger,
      prefix: env.PW_QUEUE_PREFIX,
      shutdownGraceMs: Number(env.PW_SHUTDOWN_GRACE_MS ?? 30_000),
      workerSettings: { lockDuration, stalledInterval: Math.max(500, lockDuration / 2) },
    });
  } finally {
    await store.close();
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
