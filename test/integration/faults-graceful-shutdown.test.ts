import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
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
import { startPrivateRedis, waitFor, type PrivateRedis } from './private-services';

/**
 * SIGTERM to a worker process in the middle of a job. With time to finish
 * (the real `pactwatch worker`, 30 s of grace), the job completes before the
 * process exits and the next worker only derives; with too little (a worker
 * given 0.5 s), the job is stopped and handed back to the queue, and the next
 * worker reads the document. Either
 * way the contract ends done once, with exactly the clauses one extraction of
 * the document gives and each obligation once.
 *
 * Runs on a private Redis (the real CLI uses the default key prefix) and a
 * throw-away database on DATABASE_URL; jest.config.js runs this file only with
 * DATABASE_URL and REDIS_URL set, as CI sets them.
 */
const { DATABASE_URL } = process.env;
const ROOT = path.join(__dirname, '..', '..');

interface Worker {
  child: ChildProcess;
  logs: { msg: string; contractId?: string; time: number; [field: string]: unknown }[];
  exited: Promise<number | null>;
}

/** Starts a worker process and resolves once it says it has started. */
function startWorker(args: string[], env: Record<string, string>): Promise<Worker> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, NODE_OPTIONS: '', PACTWATCH_LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const worker: Worker = { child, logs: [], exited: new Promise((r) => child.once('exit', (code) => r(code))) };
  let stderr = '';
  let partial = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      const lines = (partial + d.toString()).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.startsWith('{')) continue;
        const entry = JSON.parse(line) as Worker['logs'][number];
        worker.logs.push(entry);
        if (entry.msg === 'worker started') resolve(worker);
      }
    });
    void worker.exited.then((code) => reject(new Error(`worker exited with ${code} before it started: ${stderr}`)));
  });
}

const cli = [path.join(ROOT, 'bin', 'pactwatch.js'), 'worker'];
const child = [path.join(ROOT, 'bin', 'run-ts.js'), path.join(__dirname, 'faults-worker.child.ts')];
const key = (c: { type: string; start: number; end: number }) => `${c.type}@${c.start}-${c.end}`;

describe('SIGTERM to a worker in the middle of a job', () => {
  let redis: PrivateRedis;
  let db: ThrowAwayStore;
  let producer: JobQueue;
  let bytes: Buffer;
  let expected: string[];
  let expectedObligations: number;
  let env: Record<string, string>;
  const workers: Worker[] = [];

  beforeAll(async () => {
    if (!DATABASE_URL) throw new Error('this test needs DATABASE_URL');
    redis = await startPrivateRedis();
    const config = loadConfig({ DATABASE_URL, REDIS_URL: redis.url });
    db = await openThrowAwayStore(config);
    producer = createJobQueue(config, { store: db.store, logger: pino({ level: 'silent' }) });
    env = { DATABASE_URL: db.url ?? '', REDIS_URL: redis.url };
    // long enough that the SIGTERM lands while it is read
    bytes = await longPdf(120);
    const plain = loadConfig({});
    const clauses = extractClauses(await ingest(bytes, plain), loadRuleset(plain.rulesDir));
    expected = clauses.map(key).sort();
    expectedObligations = deriveObligations({ ourRole: 'customer', clauses }).length;
  }, 60_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null) w.child.kill('SIGKILL');
    await producer?.close();
    await db?.close();
    await redis?.close();
  });

  async function upload(counterparty: string): Promise<string> {
    const { contract } = await db.store.createContract(
      { counterparty, ourRole: 'customer', title: null, kind: null, fileName: 'long.pdf', mediaType: 'application/pdf', bytes, sha256: createHash('sha256').update(bytes).digest('hex') },
      'test',
    );
    expect(await producer.enqueueExtract(contract.id)).toBe(true);
    return contract.id;
  }

  const status = async (id: string) => (await db.store.getContract(id))?.status;
  const settled = (id: string) =>
    waitFor(`contract ${id} to settle`, async () => {
      const s = await status(id);
      return s === 'done' || s === 'failed' ? s : null;
    }, 60_000, 200);
  const ours = (w: Worker, id: string, msg: string) => w.logs.filter((l) => l.contractId === id && l.msg === msg);

  /** Done once: exactly the clauses of one extraction, each obligation once. */
  async function doneOnce(id: string) {
    expect(await status(id)).toBe('done');
    const clauses = await db.store.listClauses(id);
    expect(clauses.map(key).sort()).toEqual(expected);
    const obligations = (await db.store.searchObligations({ contractId: id }, { limit: 10_000, offset: 0 })).items;
    expect(expectedObligations).toBeGreaterThan(0);
    expect(obligations).toHaveLength(expectedObligations);
    return clauses;
  }

  it('`pactwatch worker` finishes the running job before it exits; the next worker only derives', async () => {
    const first = await startWorker(cli, env);
    workers.push(first);
    const id = await upload('Shutdown Vendor (finishes)');
    await waitFor('the worker to take the job', async () => (await status(id)) === 'processing', 30_000, 50);
    const signalledAt = Date.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    // the job was running when the signal came, and it finished before the process exited
    const [extracted] = ours(first, id, 'extracted');
    expect(extracted?.time).toBeGreaterThan(signalledAt);
    expect(first.logs.map((l) => l.msg)).toContain('worker stopped');
    const stored = (await db.store.listClauses(id)).map((c) => c.id).sort();
    expect(stored.length).toBe(expected.length);
    // its derive job waits for the next worker
    expect(await status(id)).toBe('processing');
    expect((await producer.counts()).derive.waiting).toBe(1);

    const second = await startWorker(cli, env);
    workers.push(second);
    // at its start it finds the contract unfinished, but with its derive pending: it does not queue it to be read again
    expect(second.logs.find((l) => l.msg === 'unfinished contracts queued again')).toMatchObject({ unfinished: 1, queued: 0, deriving: 1 });
    expect(await settled(id)).toBe('done');
    const clauses = await doneOnce(id);
    // not read again: the same clause rows, and the second worker only derived
    expect(clauses.map((c) => c.id).sort()).toEqual(stored);
    expect(ours(second, id, 'extracted')).toEqual([]);
    expect(ours(second, id, 'derived')).toHaveLength(1);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);

  it('a worker given too little time releases the job; another worker takes it over', async () => {
    const first = await startWorker(child, { ...env, PW_SHUTDOWN_GRACE_MS: '500' });
    workers.push(first);
    const id = await upload('Shutdown Vendor (hands over)');
    await waitFor('the first worker to take the job', async () => (await status(id)) === 'processing', 30_000, 50);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    // stopped in the middle of reading the document, and handed back rather than failed
    expect(first.logs.map((l) => l.msg)).toContain('jobs still running at shutdown; releasing them to other workers');
    expect(ours(first, id, 'job released at shutdown')).toHaveLength(1);
    expect(ours(first, id, 'extracted')).toEqual([]);
    expect(await status(id)).toBe('processing');

    const second = await startWorker(child, env);
    workers.push(second);

    expect(await settled(id)).toBe('done');
    await doneOnce(id);
    expect(ours(second, id, 'extracted')).toHaveLength(1);
    expect(ours(second, id, 'derived')).toHaveLength(1);

    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  }, 90_000);
});
