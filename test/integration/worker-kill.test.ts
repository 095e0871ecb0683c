import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openThrowAwayStore, type ThrowAwayStore } from '../../src/db';
import { extractClauses } from '../../src/extract';
import { ingest } from '../../src/ingest';
import { createJobQueue, type JobQueue } from '../../src/jobs';
import { deriveObligations } from '../../src/obligations/derive';
import { loadRuleset } from '../../src/rules/load-rules';
import { longPdf } from '../helpers/long-pdf';
import { deleteKeysUnder } from '../helpers/redis-keys';

/**
 * A worker process killed (SIGKILL) in the middle of a job: another worker
 * takes the job over, and the contract ends done with its clauses stored once.
 * Needs PostgreSQL and Redis: jest.config.js leaves this file out unless
 * DATABASE_URL and REDIS_URL are set (CI sets both).
 */
const { DATABASE_URL, REDIS_URL } = process.env;
const ROOT = path.join(__dirname, '..', '..');

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'run-ts.js'), path.join(__dirname, 'worker.child.ts')], {
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve(child);
    });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code} before it was ready: ${err}`)));
  });
}

async function waitFor<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs: number): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('a worker killed in the middle of a job', () => {
  let db: ThrowAwayStore;
  let producer: JobQueue;
  const prefix = `pwkill-${randomBytes(4).toString('hex')}`;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    if (!DATABASE_URL || !REDIS_URL) throw new Error('this test needs DATABASE_URL and REDIS_URL');
    const config = loadConfig({ DATABASE_URL, REDIS_URL });
    db = await openThrowAwayStore(config);
    producer = createJobQueue(config, { store: db.store, logger: pino({ level: 'silent' }), prefix });
  }, 60_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await producer.close();
    await db.close();
    await deleteKeysUnder(REDIS_URL ?? '', prefix);
  });

  it('is taken over by another worker; the contract ends done with no duplicated clauses', async () => {
    const bytes = await longPdf(300);
    const { contract } = await db.store.createContract(
      { counterparty: 'Crash Test Vendor', ourRole: 'customer', title: null, kind: null, fileName: 'long.pdf', mediaType: 'application/pdf', bytes, sha256: createHash('sha256').update(bytes).digest('hex') },
      'test',
    );
    const env = { DATABASE_URL: db.url ?? '', REDIS_URL: REDIS_URL ?? '', PW_QUEUE_PREFIX: prefix };
    const first = await startWorker(env);
    children.push(first);
    expect(await producer.enqueueExtract(contract.id)).toBe(true);
    await waitFor('the first worker to take the job', async () => (await db.store.getContract(contract.id))?.status === 'processing', 30_000);
    first.kill('SIGKILL');
    await new Promise((r) => first.once('exit', r));
    expect((await db.store.getContract(contract.id))?.status).toBe('processing');

    const second = await startWorker(env);
    children.push(second);
    const done = await waitFor(
      'the contract to be done',
      async () => {
        const c = await db.store.getContract(contract.id);
        return c && (c.status === 'done' || c.status === 'failed') ? c : null;
      },
      90_000,
    );
    expect(done.status).toBe('done');

    // exactly the clauses one extraction of this file gives, each once
    const config = loadConfig({});
    const expected = extractClauses(await ingest(bytes, config), loadRuleset(config.rulesDir));
    const stored = await db.store.listClauses(contract.id);
    const key = (c: { type: string; start: number; end: number }) => `${c.type}@${c.start}-${c.end}`;
    expect(new Set(stored.map(key)).size).toBe(stored.length);
    expect(stored.map(key).sort()).toEqual(expected.map(key).sort());
    // and the obligations one derivation of them gives, each once
    const obligations = (await db.store.searchObligations({ contractId: contract.id }, { limit: 10_000, offset: 0 })).items;
    const derived = deriveObligations({ ourRole: 'customer', clauses: expected });
    expect(derived.length).toBeGreaterThan(0);
    expect(obligations).toHaveLength(derived.length);
    second.kill('SIGTERM');
  }, 180_000);
});
