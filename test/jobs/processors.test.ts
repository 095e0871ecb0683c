import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultPolicyFile, loadPolicy } from '../../src/policies';
import { createJobQueue, InProcessJobQueue, PROCESSING_FAILED, recoverUnfinished } from '../../src/jobs';
import { textPdf } from '../helpers/bad-files';
import {
  counting,
  createExtractPool,
  createMemoryStore,
  fixtureBytes,
  obligationsOf,
  silentLogger,
  testConfig,
  upload,
  type MemoryStore,
} from './job-helpers';

const config = testConfig();
const fastRetry = { attempts: 3, backoffMs: 20 };
// one pool for the file: each thread loads the rules once, which takes a second or two
const pool = createExtractPool(config);
afterAll(() => pool.close());

/** An in-process queue over a memory store, with the real processors and extraction threads. */
function setup(store: MemoryStore = createMemoryStore()) {
  const extractor = counting(pool);
  const queue = createJobQueue(config, { store, logger: silentLogger, extractor, retry: fastRetry, shutdownGraceMs: 5000 }) as InProcessJobQueue;
  return { store, extractor, queue };
}

describe('extract and derive, in-process', () => {
  let env: ReturnType<typeof setup>;
  beforeEach(() => {
    env = setup();
  });
  afterEach(async () => {
    await env.queue.close();
  });

  it.each(['saas-dpa-lumen.txt', 'saas-dpa-lumen.pdf'])('turns %s into a done contract with clauses and obligations', async (file) => {
    const { store, queue } = env;
    const id = await upload(store, fixtureBytes(file), file);
    await queue.startWorkers();
    expect(await queue.enqueueExtract(id)).toBe(true);
    await queue.whenIdle();

    const contract = await store.getContract(id);
    expect(contract).toMatchObject({ status: 'done', errorCode: null });
    const clauses = await store.listClauses(id);
    expect(clauses.map((c) => c.type)).toContain('breach_notification');
    const text = (await store.getContractText(id))!.text;
    for (const c of clauses) expect(text.slice(c.start, c.end)).toBe(c.text);
    const obligations = await obligationsOf(store, id);
    expect(obligations.length).toBeGreaterThan(0);
    const clauseIds = new Set(clauses.map((c) => c.id));
    for (const o of obligations) expect(clauseIds.has(o.clauseId)).toBe(true);
    expect(obligations.map((o) => o.action)).toContain('notify_incident');

    // the scorecard against the default policy: one finding per item, the notice met by the 48-hour clause
    const findings = await store.listFindings(id);
    expect(findings.map((f) => f.itemId)).toEqual([
      'incident-notice-72h',
      'liability-cap-12-months',
      'carve-out-data-breach-confidentiality',
      'subprocessors-flow-down-and-notice',
      'data-exit-30-days-certified',
      'cyber-insurance-5m',
      'audit-rights',
    ]);
    const notice = findings.find((f) => f.itemId === 'incident-notice-72h')!;
    expect(notice).toMatchObject({ outcome: 'met', value: { duration: 48, unit: 'hours', trigger: 'awareness' } });
    expect(clauseIds.has(notice.clauseId!)).toBe(true);
    expect(notice.evidence?.quote).toMatch(/within 48 hours after becoming aware/);
    expect(findings.find((f) => f.itemId === 'cyber-insurance-5m')).toMatchObject({ outcome: 'missing', clauseId: null, evidence: null });
  });

  it.each([
    ['a truncated PDF', Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer'), 'PDF_CORRUPT'],
    ['an empty file', Buffer.alloc(0), 'EMPTY_FILE'],
  ])('fails %s at once with its code and no retry', async (_label, bytes, code) => {
    const { store, queue, extractor } = env;
    const id = await upload(store, bytes, 'broken.pdf');
    await queue.startWorkers();
    await queue.enqueueExtract(id);
    await queue.whenIdle();

    expect(await store.getContract(id)).toMatchObject({ status: 'failed', errorCode: code });
    expect(extractor.calls).toBe(1);
    expect((await queue.counts()).extract).toMatchObject({ failed: 1, completed: 0 });
    expect(await obligationsOf(store, id)).toEqual([]);
  });

  it('gives the same clauses and obligations when a contract is processed twice', async () => {
    const { store, queue } = env;
    const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
    await queue.startWorkers();
    await queue.enqueueExtract(id);
    await queue.whenIdle();
    const firstClauses = await store.listClauses(id);
    const firstObligations = await obligationsOf(store, id);

    // a reprocess: the API sets the contract back to queued and enqueues the same job id
    await store.setStatus(id, 'queued');
    await queue.enqueueExtract(id);
    await queue.whenIdle();

    expect(await store.getContract(id)).toMatchObject({ status: 'done' });
    const strip = <T extends { id: string }>(xs: T[]) => xs.map(({ id: _id, ...rest }) => rest);
    expect(strip(await store.listClauses(id))).toEqual(strip(firstClauses));
    const again = await obligationsOf(store, id);
    expect(again).toHaveLength(firstObligations.length);
    expect(again.map((o) => o.summary).sort()).toEqual(firstObligations.map((o) => o.summary).sort());
  });

  it('checks against the policy it is given instead of the configured file', async () => {
    const store = createMemoryStore();
    const policy = loadPolicy(defaultPolicyFile(config.rulesDir));
    const onlyNotice = { ...policy, items: policy.items!.filter((i) => i.id === 'incident-notice-72h') };
    const queue = createJobQueue(config, { store, logger: silentLogger, extractor: counting(pool), retry: fastRetry, policy: onlyNotice }) as InProcessJobQueue;
    try {
      const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
      await queue.startWorkers();
      await queue.enqueueExtract(id);
      await queue.whenIdle();
      expect((await store.listFindings(id)).map((f) => [f.itemId, f.outcome])).toEqual([['incident-notice-72h', 'met']]);
    } finally {
      await queue.close();
    }
  });

  it('refuses to start on a broken policy file, naming the file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactwatch-policy-'));
    const file = path.join(dir, 'ours.yaml');
    fs.writeFileSync(file, 'deadline_targets:\n  urgent: { amount: 4, unit: hours }\n');
    try {
      expect(() => createJobQueue(testConfig({ PACTWATCH_POLICY_FILE: file }), { store: createMemoryStore(), logger: silentLogger, extractor: counting(pool) })).toThrow(
        expect.objectContaining({ name: 'PolicyError', message: expect.stringContaining(`${file}: deadline_targets`) }),
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs a job once when it is enqueued again while it waits', async () => {
    const { store, queue, extractor } = env;
    const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
    await queue.enqueueExtract(id);
    await queue.enqueueExtract(id);
    await recoverUnfinished(store, queue);
    await queue.startWorkers();
    await queue.whenIdle();
    expect(extractor.calls).toBe(1);
    expect((await queue.counts()).extract.completed).toBe(1);
  });

  it('retries a transient fault and ends done', async () => {
    const { store, queue, extractor } = env;
    const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
    const save = store.saveExtraction.bind(store);
    let failures = 1;
    store.saveExtraction = async (...args) => {
      if (failures-- > 0) throw new Error('connection reset');
      return save(...args);
    };
    await queue.startWorkers();
    await queue.enqueueExtract(id);
    await queue.whenIdle();
    expect(await store.getContract(id)).toMatchObject({ status: 'done' });
    expect(extractor.calls).toBe(2);
    expect((await queue.counts()).extract).toMatchObject({ completed: 1, failed: 0 });
  });

  it('marks the contract PROCESSING_FAILED after the last attempt of a lasting fault', async () => {
    const { store, queue, extractor } = env;
    const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
    store.saveExtraction = async () => {
      throw new Error('database is read-only');
    };
    await queue.startWorkers();
    await queue.enqueueExtract(id);
    await queue.whenIdle();
    const contract = await store.getContract(id);
    expect(contract).toMatchObject({ status: 'failed', errorCode: PROCESSING_FAILED });
    expect(contract!.errorDetail).toMatch(/3 attempt.*read-only/);
    expect(extractor.calls).toBe(fastRetry.attempts);
  });

  it('picks up unfinished contracts at start-up', async () => {
    const { store, queue } = env;
    const queuedId = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
    const interruptedId = await upload(store, await textPdf(), 'one-page.pdf');
    await store.setStatus(interruptedId, 'processing');
    const doneId = await upload(store, fixtureBytes('saas-dpa-lumen.pdf'), 'lumen.pdf');
    await store.setStatus(doneId, 'done');

    expect(await recoverUnfinished(store, queue)).toBe(2);
    await queue.startWorkers();
    await queue.whenIdle();
    expect((await store.getContract(queuedId))!.status).toBe('done');
    expect((await store.getContract(interruptedId))!.status).toBe('done');
    expect(await store.listClauses(doneId)).toEqual([]);
  });

  it('does nothing for a contract deleted before its job ran', async () => {
    const { store, queue, extractor } = env;
    const id = await upload(store, fixtureBytes('saas-dpa-lumen.txt'), 'lumen.txt');
    await queue.enqueueExtract(id);
    await store.deleteContract(id, 'test');
    await queue.startWorkers();
    await queue.whenIdle();
    expect(extractor.calls).toBe(0);
    expect((await queue.counts()).extract.completed).toBe(1);
  });
});

describe('the in-process runner', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  function runner(concurrency: number, extract: (id: string) => Promise<void>) {
    const queue = new InProcessJobQueue({ concurrency, retry: fastRetry, logger: silentLogger });
    queue.attach({ extract, derive: async () => undefined, close: async () => undefined });
    return queue;
  }

  it('runs jobs in order, never more at once than its concurrency', async () => {
    let running = 0;
    let most = 0;
    const started: string[] = [];
    const queue = runner(2, async (id) => {
      started.push(id);
      most = Math.max(most, ++running);
      await sleep(15);
      running--;
    });
    for (const id of ['a', 'b', 'c', 'd', 'e', 'f']) await queue.enqueueExtract(id);
    await queue.startWorkers();
    await queue.whenIdle();
    expect(started).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    expect(most).toBe(2);
    expect((await queue.counts()).extract).toMatchObject({ completed: 6, waiting: 0, active: 0 });
  });

  it('retries with growing delays, and not after an unrecoverable error', async () => {
    const calls: Record<string, number[]> = { flaky: [], broken: [], doomed: [] };
    const queue = runner(2, async (id) => {
      calls[id].push(Date.now());
      if (id === 'flaky' && calls[id].length < 3) throw new Error('timeout');
      if (id === 'doomed') throw new Error('still down');
      if (id === 'broken') {
        const err = new Error('bad file');
        err.name = 'UnrecoverableError';
        throw err;
      }
    });
    await queue.startWorkers();
    for (const id of Object.keys(calls)) await queue.enqueueExtract(id);
    await queue.whenIdle();
    expect(calls.flaky).toHaveLength(3);
    expect(calls.broken).toHaveLength(1);
    expect(calls.doomed).toHaveLength(3);
    const [t1, t2, t3] = calls.flaky;
    expect(t2 - t1).toBeGreaterThanOrEqual(fastRetry.backoffMs - 2);
    expect(t3 - t2).toBeGreaterThanOrEqual(2 * fastRetry.backoffMs - 2);
    expect((await queue.counts()).extract).toMatchObject({ completed: 1, failed: 2 });
  });

  it('lets a running job finish on close and takes no new ones', async () => {
    const finished: string[] = [];
    const queue = runner(1, async (id) => {
      await sleep(30);
      finished.push(id);
    });
    await queue.enqueueExtract('running');
    await queue.enqueueExtract('waiting');
    await queue.startWorkers();
    await sleep(5);
    await queue.close();
    expect(finished).toEqual(['running']);
    expect(await queue.enqueueExtract('late')).toBe(false);
  });
});
