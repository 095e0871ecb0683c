import { Writable } from 'node:stream';
import pino from 'pino';
import { createToken } from '../../src/auth/tokens';
import { loadConfig, type Config } from '../../src/config';
import { type TokenRole } from '../../src/db/store';
import { createApp } from '../../src/http/app';
import { type JobDurations, type JobKind, type JobQueue, type QueueCounts } from '../../src/jobs/queue';
import { createMemoryStore, type MemoryStore } from '../helpers/memory-store';

/** A queue that records what it was asked to do; `up: false` behaves like Redis gone away. */
export interface FakeJobs extends JobQueue {
  extracts: string[];
  derives: string[];
  up: boolean;
}

export function fakeJobs(): FakeJobs {
  const zero = (): QueueCounts => ({ waiting: 0, delayed: 0, active: 0, completed: 0, failed: 0 });
  const jobs: FakeJobs = {
    mode: 'in-process',
    extracts: [],
    derives: [],
    up: true,
    async enqueueExtract(id) {
      if (!jobs.up) return false;
      jobs.extracts.push(id);
      return true;
    },
    async enqueueDerive(id) {
      if (!jobs.up) return false;
      jobs.derives.push(id);
      return true;
    },
    async startWorkers() {},
    async counts() {
      if (!jobs.up) throw new Error('connect ECONNREFUSED 127.0.0.1:6379');
      return { extract: { ...zero(), waiting: jobs.extracts.length }, derive: zero() };
    },
    durations(): Record<JobKind, JobDurations> {
      return { extract: { count: 2, sumSeconds: 1.5 }, derive: { count: 0, sumSeconds: 0 } };
    },
    async ping() {
      return jobs.up;
    },
    async close() {},
  };
  return jobs;
}

export const ROLES: TokenRole[] = ['admin', 'analyst', 'legal', 'responder'];

export interface Harness {
  app: ReturnType<typeof createApp>;
  store: MemoryStore;
  jobs: FakeJobs;
  config: Config;
  tokens: Record<TokenRole, string>;
  /** every line the app logged, raw */
  logs: string[];
}

export async function harness(overrides: Record<string, string> = {}): Promise<Harness> {
  const store = createMemoryStore();
  const jobs = fakeJobs();
  const config = loadConfig({ PACTWATCH_DEPLOYMENT: 'test', ...overrides });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logs.push(chunk.toString('utf8'));
      done();
    },
  });
  const logger = pino({ level: 'debug' }, sink);
  const tokens = {} as Record<TokenRole, string>;
  for (const role of ROLES) tokens[role] = await createToken(store, config, { name: `${role}-user`, role }, 'test');
  return { app: createApp({ store, jobs, config, logger }), store, jobs, config, tokens, logs };
}

export const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
