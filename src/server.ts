/**
 * Start-up and shutdown of the service: the one place that wires storage,
 * jobs and the HTTP app together. `pactwatch serve` and the tests that need a
 * listening server use it; everything it wires is built by its own factory.
 */
import { type AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { ensureAdminToken } from './auth/tokens';
import { type Config } from './config';
import { openStore } from './db';
import { type Store } from './db/store';
import { createApp } from './http/app';
import { createJobQueue, recoverUnfinished, runWorker, type JobQueue } from './jobs';
import { loadPolicy } from './policies';
import { createReminderScheduler, type ReminderScheduler } from './reminders';
import { loadRuleset } from './rules/load-rules';

export interface RunningServer {
  url: string;
  port: number;
  store: Store;
  jobs: JobQueue;
  /** the admin token created on this start (empty database), else null */
  adminToken: string | null;
  close(): Promise<void>;
}

export function createLogger(config: Config): Logger {
  return pino({ level: config.logLevel, base: { service: 'pactwatch' } });
}

/**
 * Opens the database (running its migrations), starts the jobs (in this
 * process when there is no Redis) and listens. In embedded mode the API and
 * the jobs must share this one process: the embedded database has no lock of
 * its own, and the store refuses a second process on the same data folder.
 */
export async function startServer(config: Config, options: { logger?: Logger; host?: string } = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config);
  // Before anything opens: a broken policy file stops start-up with its fault, not the first job.
  const policy = loadPolicy(config.policyFile);
  const store = await openStore(config, { logger });
  let jobs: JobQueue | undefined;
  let reminders: ReminderScheduler | undefined;
  try {
    // the extraction threads load the rules themselves; loading them here makes a broken rule stop start-up
    loadRuleset(config.rulesDir);
    jobs = createJobQueue(config, { store, logger, policy });
    reminders = createReminderScheduler(config, { logger });
    const adminToken = await ensureAdminToken(store, config);
    const app = createApp({ store, jobs, config, logger, incidents: { reminders, policy: () => policy } });
    if (jobs.mode === 'in-process') await jobs.startWorkers();
    // uploads left queued by a crash or a queue outage are picked up again
    await recoverUnfinished(store, jobs, logger);
    // in-process reminder timers do not outlive the process: set them again for every open incident
    if (reminders.mode === 'in-process') await rescheduleReminders(store, reminders, logger);
    const server = app.listen(config.port, options.host ?? '0.0.0.0');
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    const port = (server.address() as AddressInfo).port;
    const openJobs = jobs;
    const openReminders = reminders;
    let closing: Promise<void> | null = null;
    return {
      url: `http://127.0.0.1:${port}`,
      port,
      store,
      jobs,
      adminToken,
      close: () => {
        closing ??= (async () => {
          await new Promise<void>((resolve) => {
            server.close(() => resolve());
            server.closeIdleConnections();
          });
          await openJobs.close();
          await openReminders.close();
          await store.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await jobs?.close().catch(() => undefined);
    await reminders?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}

/** Schedules the reminders of every incident not closed (after a restart of the process that holds the timers). */
async function rescheduleReminders(store: Store, reminders: ReminderScheduler, logger: Logger): Promise<void> {
  let count = 0;
  for (const status of ['suspected', 'confirmed', 'contained'] as const) {
    for (let offset = 0; ; offset += 100) {
      const page = await store.listIncidents({ status }, { limit: 100, offset });
      for (const incident of page.items) {
        await reminders.schedule(incident, await store.listDeadlines(incident.id));
        count++;
      }
      if (offset + 100 >= page.total) break;
    }
  }
  if (count > 0) logger.info({ incidents: count }, 'reminders scheduled again');
}

/** `pactwatch serve`: runs until SIGTERM or SIGINT, then finishes or releases running jobs and exits. */
export async function serve(config: Config): Promise<number> {
  const logger = createLogger(config);
  const running = await startServer(config, { logger });
  const mode = `${config.databaseUrl ? 'PostgreSQL' : `embedded database in ${config.dataDir}`}, ${config.redisUrl ? 'jobs on Redis (run `pactwatch worker` to process them)' : 'jobs in this process'}`;
  logger.info({ port: running.port }, `Pactwatch listening on ${running.url} (${mode})`);
  if (running.adminToken) {
    // printed once: only its hash is stored
    process.stdout.write(
      `\nAn admin token was created for this new database. It is shown only now:\n\n  ${running.adminToken}\n\n` +
        `Open ${running.url} and sign in with it, or send it as "Authorization: Bearer <token>".\n` +
        `Create more with: pactwatch token create --role analyst --name <who>\n\n`,
    );
  }
  await waitForSignal(logger);
  await running.close();
  logger.info('stopped');
  return 0;
}

/** `pactwatch worker`: processes jobs from Redis until SIGTERM. */
export async function worker(config: Config): Promise<number> {
  const logger = createLogger(config);
  if (!config.redisUrl) throw new Error('pactwatch worker needs REDIS_URL; without it the jobs run inside `pactwatch serve`');
  const policy = loadPolicy(config.policyFile);
  const store = await openStore(config, { logger });
  // delayed reminder jobs on Redis are sent by the worker processes
  const reminders = createReminderScheduler(config, { logger });
  try {
    await reminders.start();
    loadRuleset(config.rulesDir); // a broken rule stops the worker at start, not at its first job
    await runWorker(config, { store, logger, policy });
  } finally {
    await reminders.close();
    await store.close();
  }
  return 0;
}

function waitForSignal(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      logger.info({ signal }, 'shutting down');
      resolve();
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}
