import { randomBytes } from 'node:crypto';
import pino from 'pino';
import request from 'supertest';
import { createToken } from '../../src/auth/tokens';
import { loadConfig, type Config } from '../../src/config';
import { openThrowAwayStore } from '../../src/db';
import { type TokenRole } from '../../src/db/store';
import { createApp } from '../../src/http/app';
import { createJobQueue, type JobQueue } from '../../src/jobs';
import { type TypeormStore } from '../../src/db/typeorm-store';
import { deleteKeysUnder } from '../helpers/redis-keys';

/**
 * The whole service as it runs, on real storage and real queues: the embedded
 * database with in-process jobs always, and PostgreSQL with BullMQ on Redis
 * when DATABASE_URL and REDIS_URL are set (as CI sets them). Each service gets
 * its own throw-away database and its own Redis key prefix.
 */
export function serviceModes(): [string, Record<string, string>][] {
  const modes: [string, Record<string, string>][] = [['embedded database, in-process jobs', {}]];
  const { DATABASE_URL, REDIS_URL } = process.env;
  if (DATABASE_URL && REDIS_URL) modes.push(['PostgreSQL and BullMQ on Redis', { DATABASE_URL, REDIS_URL }]);
  return modes;
}

/** A clause as the API answers it. */
export interface ClauseBody {
  id: string;
  type: string;
  start: number;
  end: number;
  page: number;
  text: string;
}

export interface Service {
  app: ReturnType<typeof createApp>;
  store: TypeormStore;
  jobs: JobQueue;
  config: Config;
  token(role: TokenRole): Promise<string>;
  /** Polls the contract until it is done or failed. */
  settled(id: string, token: string, timeoutMs?: number): Promise<{ status: string; errorCode: string | null; clauses: unknown[]; obligations: unknown[] }>;
  close(): Promise<void>;
}

export async function startService(env: Record<string, string>, extra: { prefix?: string } = {}): Promise<Service> {
  const config = loadConfig({ PACTWATCH_DEPLOYMENT: 'integration', PACTWATCH_LOG_LEVEL: 'silent', ...env });
  const logger = pino({ level: 'silent' });
  const db = await openThrowAwayStore(config, { logger });
  const prefix = extra.prefix ?? `pwtest-${randomBytes(4).toString('hex')}`;
  const jobs = createJobQueue(config, { store: db.store, logger, prefix });
  await jobs.startWorkers();
  const app = createApp({ store: db.store, jobs, config, logger });
  return {
    app,
    store: db.store,
    jobs,
    config,
    token: (role) => createToken(db.store, config, { name: `${role}-it`, role }, 'test'),
    async settled(id, token, timeoutMs = 60_000) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        const res = await request(app).get(`/api/v1/contracts/${id}`).set('Authorization', `Bearer ${token}`);
        if (res.status !== 200) throw new Error(`GET contract answered ${res.status}: ${res.text}`);
        if (res.body.status === 'done' || res.body.status === 'failed') return res.body;
        if (Date.now() > until) throw new Error(`contract ${id} still ${res.body.status} after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 150));
      }
    },
    async close() {
      await jobs.close();
      await db.close();
      if (config.redisUrl) await deleteKeysUnder(config.redisUrl, prefix);
    },
  };
}
