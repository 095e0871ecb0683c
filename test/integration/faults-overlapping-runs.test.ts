import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openThrowAwayStore, type ThrowAwayStore } from '../../src/db';
import { type Store } from '../../src/db/store';
import { createExtractPool, type DocumentExtractor } from '../../src/jobs/extract-pool';
import { createProcessors, isUnrecoverable, type Processors } from '../../src/jobs/processors';

/**
 * Two runs of one contract's jobs at once: what a fault leaves behind. When a
 * worker or Redis is lost, the job that was running cannot be stopped, and the
 * contract is queued again (stalled job, or recovery when Redis is back); the
 * two runs then overlap. Each case here sets up one overlap on purpose, on the
 * real store (embedded always; PostgreSQL too with DATABASE_URL) and the real
 * processors, and checks that the contract never ends done without the
 * obligations of its current clauses, nor failed as if its document were bad.
 */
const FILE = readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'contracts', 'saas-dpa-lumen.txt'));
const first = { attempt: 1, maxAttempts: 3 };

function modes(): [string, Record<string, string>][] {
  const out: [string, Record<string, string>][] = [['embedded database', {}]];
  if (process.env.DATABASE_URL) out.push(['PostgreSQL', { DATABASE_URL: process.env.DATABASE_URL }]);
  return out;
}

/** A promise to hold a step at, and the function that lets it go on. */
function gate(): { wait: Promise<void>; open: () => void } {
  let open: () => void = () => undefined;
  const wait = new Promise<void>((r) => (open = r));
  return { wait, open };
}

describe.each(modes())('overlapping runs of one contract (%s)', (_mode, env) => {
  const config = loadConfig({ PACTWATCH_LOG_LEVEL: 'silent', ...env });
  const logger = pino({ level: 'silent' });
  let db: ThrowAwayStore;
  const pool = createExtractPool(config, { size: 1 });
  let reads = 0;
  const extractor: DocumentExtractor = {
    extract: (bytes) => {
      reads++;
      return pool.extract(bytes);
    },
    close: async () => undefined,
  };
  const derives: string[] = [];

  /** The real processors over `store` (a view of the real one that can hold a step). */
  const processorsOver = (store: Store): Processors =>
    createProcessors({ store, config, logger, extractor, queue: { enqueueDerive: async (id) => (derives.push(id), true) } });

  /** The store with one method held at a gate after (or before) it runs. */
  function holding<K extends 'listClauses' | 'saveFindings'>(name: K, at: { wait: Promise<void> }, reached: () => void): Store {
    const real = db.store;
    const view = Object.create(real) as Store;
    const method = real[name].bind(real) as (...args: unknown[]) => Promise<unknown>;
    (view as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
      const out = await method(...args);
      reached();
      await at.wait;
      return out;
    };
    return view;
  }

  let counter = 0;
  async function upload(): Promise<string> {
    const bytes = Buffer.concat([FILE, Buffer.from(`\n${++counter}\n`)]);
    const { contract } = await db.store.createContract(
      { counterparty: `Overlap Vendor ${counter}`, ourRole: 'customer', title: null, kind: null, fileName: 'lumen.txt', mediaType: 'text/plain', bytes, sha256: createHash('sha256').update(bytes).digest('hex') },
      'test',
    );
    return contract.id;
  }

  /** The contract's obligations all belong to its current clauses, and are as many as one derivation gives. */
  async function consistent(id: string, obligationCount: number) {
    const clauseIds = new Set((await db.store.listClauses(id)).map((c) => c.id));
    const obligations = (await db.store.searchObligations({ contractId: id }, { limit: 10_000, offset: 0 })).items;
    expect(obligations).toHaveLength(obligationCount);
    for (const o of obligations) expect(clauseIds.has(o.clauseId)).toBe(true);
    for (const f of await db.store.listFindings(id)) if (f.clauseId) expect(clauseIds.has(f.clauseId)).toBe(true);
  }

  let expectedObligations = 0;

  beforeAll(async () => {
    db = await openThrowAwayStore(config, { logger });
    // one run with no overlap, for the number of obligations this document gives
    const plain = processorsOver(db.store);
    const id = await upload();
    await plain.extract(id, first);
    await plain.derive(id, first);
    expect(await db.store.getContract(id)).toMatchObject({ status: 'done' });
    expectedObligations = (await db.store.searchObligations({ contractId: id }, { limit: 10_000, offset: 0 })).total;
    expect(expectedObligations).toBeGreaterThan(3);
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await pool.close();
  });

  /**
   * A contract extracted, then derived by a run held after `step`, while a second run
   * extracts it again; returns what the held derivation threw once let go.
   */
  async function deriveOverlappedAt(step: 'listClauses' | 'saveFindings'): Promise<{ id: string; plain: Processors; err: unknown }> {
    const id = await upload();
    const plain = processorsOver(db.store);
    await plain.extract(id, first);
    const held = gate();
    const reached = gate();
    const derive = processorsOver(holding(step, held, reached.open)).derive(id, first);
    await reached.wait;
    await plain.extract(id, first);
    held.open();
    return { id, plain, err: await derive.then(() => null, (e: unknown) => e) };
  }

  it('a derivation whose clauses are replaced before it saves: retried, not failed as a bad document', async () => {
    // the second run extracts again while the first derivation holds the old clauses
    const { id, plain, err } = await deriveOverlappedAt('listClauses');
    expect(err).toBeInstanceOf(Error);
    expect(isUnrecoverable(err)).toBe(false);
    expect(await db.store.getContract(id)).toMatchObject({ status: 'processing', errorCode: null });

    // its retry derives from the new clauses
    await plain.derive(id, { attempt: 2, maxAttempts: 3 });
    expect(await db.store.getContract(id)).toMatchObject({ status: 'done', errorCode: null });
    await consistent(id, expectedObligations);
  }, 60_000);

  it('a derivation that saved its results just before the clauses were replaced: the contract is not left done without obligations', async () => {
    // obligations and findings of the old clauses are stored; then the other run replaces the clauses
    const { id, plain, err } = await deriveOverlappedAt('saveFindings');
    expect(err).toBeInstanceOf(Error);
    expect(isUnrecoverable(err)).toBe(false);
    expect(await db.store.getContract(id)).toMatchObject({ status: 'processing' });

    await plain.derive(id, { attempt: 2, maxAttempts: 3 });
    expect(await db.store.getContract(id)).toMatchObject({ status: 'done' });
    await consistent(id, expectedObligations);
  }, 60_000);

  it('an extraction landing after the contract is done takes it back to processing until derived again', async () => {
    const id = await upload();
    const plain = processorsOver(db.store);
    await plain.extract(id, first);
    await plain.derive(id, first);
    const { text, pages } = (await db.store.getContractText(id))!;
    const clauses = await db.store.listClauses(id);

    // a late run's extraction: the obligations go with the old clauses, so the contract is not done
    await db.store.saveExtraction(id, text, pages, clauses);
    expect(await db.store.getContract(id)).toMatchObject({ status: 'processing' });
    await consistent(id, 0);
    await plain.derive(id, first);
    expect(await db.store.getContract(id)).toMatchObject({ status: 'done' });
    await consistent(id, expectedObligations);
  }, 60_000);

  it('a stale extract job for a contract already done reads nothing and changes nothing', async () => {
    const id = await upload();
    const plain = processorsOver(db.store);
    await plain.extract(id, first);
    await plain.derive(id, first);
    const before = (await db.store.listClauses(id)).map((c) => c.id);
    const readsBefore = reads;
    derives.length = 0;

    await plain.extract(id, first);
    expect(reads).toBe(readsBefore);
    expect(derives).toEqual([]);
    expect((await db.store.listClauses(id)).map((c) => c.id)).toEqual(before);
    expect(await db.store.getContract(id)).toMatchObject({ status: 'done' });

    // a reprocess sets the contract back to queued first: then it is read again
    await db.store.setStatus(id, 'queued');
    await plain.extract(id, first);
    expect(reads).toBe(readsBefore + 1);
  }, 60_000);
});
