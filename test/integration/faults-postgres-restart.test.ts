import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { Client } from 'pg';
import pino from 'pino';
import { loadConfig } from '../../src/config';
import { openStore, type TypeormStore } from '../../src/db';
import { createJobQueue, type JobQueue } from '../../src/jobs';
import { deleteKeysUnder } from '../helpers/redis-keys';
import { startPrivatePostgres, waitFor, type PrivatePostgres } from './private-services';

/**
 * PostgreSQL restarted (`pg_ctl restart -m fast`, a real restart of a private
 * cluster) while a job is half-way through writing a contract's clauses
 * (extract) or obligations (derive): the open transaction is rolled back, no
 * part of it is visible, the job is retried by the worker, and the contract
 * ends done with exactly what the same document gives without a fault.
 *
 * To stop the job at the right moment, the test database gets a trigger that
 * holds an insert, after half the rows of one contract are written, for as
 * long as a "gate" row says so. The gate is a committed row, so it holds
 * through the restart and the retry is held at the same point too.
 *
 * Needs the PostgreSQL server programs (initdb, pg_ctl) and Redis at REDIS_URL;
 * jest.config.js runs this file only with DATABASE_URL and REDIS_URL set, as CI sets them.
 */
const { REDIS_URL } = process.env;
const DOCUMENT = readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'contracts', 'saas-dpa-lumen.pdf'));

const GATE_SQL = `
  CREATE TABLE fault_gate (tbl text NOT NULL, contract_id uuid NOT NULL, closed boolean NOT NULL, threshold int NOT NULL,
                           PRIMARY KEY (tbl, contract_id));
  CREATE FUNCTION fault_hold() RETURNS trigger LANGUAGE plpgsql AS $$
  DECLARE
    gate fault_gate%ROWTYPE;
    written int;
  BEGIN
    SELECT * INTO gate FROM fault_gate WHERE tbl = TG_TABLE_NAME AND contract_id = NEW.contract_id;
    IF NOT FOUND OR NOT gate.closed THEN RETURN NEW; END IF;
    -- rows this transaction has inserted so far for the contract (earlier rows of this statement included)
    EXECUTE format('SELECT count(*) FROM %I WHERE contract_id = $1', TG_TABLE_NAME) INTO written USING NEW.contract_id;
    IF written < gate.threshold THEN RETURN NEW; END IF;
    LOOP
      PERFORM pg_sleep(0.05);
      SELECT * INTO gate FROM fault_gate WHERE tbl = TG_TABLE_NAME AND contract_id = NEW.contract_id;
      EXIT WHEN NOT gate.closed;
    END LOOP;
    RETURN NEW;
  END $$;
  CREATE TRIGGER fault_hold BEFORE INSERT ON clause FOR EACH ROW EXECUTE FUNCTION fault_hold();
  CREATE TRIGGER fault_hold BEFORE INSERT ON obligation FOR EACH ROW EXECUTE FUNCTION fault_hold();
`;

interface LogLine {
  msg: string;
  contractId?: string;
  job?: string;
  attempt?: number;
}

describe('PostgreSQL restarted in the middle of a job', () => {
  let pg: PrivatePostgres;
  let store: TypeormStore;
  let queue: JobQueue;
  const prefix = `pwpgfault-${randomBytes(4).toString('hex')}`;
  const logs: LogLine[] = [];

  /** A fresh connection for each look: the restart ends every session. */
  async function sql<T = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<T[]> {
    const c = new Client({ connectionString: pg.url });
    c.on('error', () => undefined);
    await c.connect();
    try {
      return (await c.query(text, params)).rows as T[];
    } finally {
      await c.end();
    }
  }

  async function upload(counterparty: string): Promise<string> {
    const { contract } = await store.createContract(
      {
        counterparty,
        ourRole: 'customer',
        title: null,
        kind: null,
        fileName: 'lumen.pdf',
        mediaType: 'application/pdf',
        bytes: DOCUMENT,
        sha256: createHash('sha256').update(DOCUMENT).digest('hex'),
      },
      'test',
    );
    return contract.id;
  }

  async function settled(id: string) {
    return waitFor(
      `contract ${id} to settle`,
      async () => {
        const c = await store.getContract(id).catch(() => null);
        return c && (c.status === 'done' || c.status === 'failed') ? c : null;
      },
      45_000,
    );
  }

  /** The backends of the test database held by the trigger, with when they started. */
  const held = () =>
    sql<{ pid: number; backend_start: Date; query: string }>(
      `SELECT pid, backend_start, query FROM pg_stat_activity WHERE datname = current_database() AND wait_event = 'PgSleep'`,
    );

  /** What a user sees of a contract's results, without ids and times. */
  async function results(id: string) {
    const clauses = (await store.listClauses(id)).map(({ type, ruleId, start, end, page, text, fields }) => ({ type, ruleId, start, end, page, text, fields }));
    const obligations = (await store.searchObligations({ contractId: id }, { limit: 10_000, offset: 0 })).items
      .map(({ clauseIndex, type, obligor, beneficiary, action, trigger, deadline, summary, details }) => ({ clauseIndex, type, obligor, beneficiary, action, trigger, deadline, summary, details }))
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const findings = (await store.listFindings(id)).map(({ itemId, outcome, value }) => ({ itemId, outcome, value }));
    return { clauses, obligations, findings };
  }

  let reference: Awaited<ReturnType<typeof results>>;

  beforeAll(async () => {
    if (!REDIS_URL) throw new Error('this test needs REDIS_URL');
    pg = await startPrivatePostgres();
    const config = loadConfig({ DATABASE_URL: pg.url, REDIS_URL, PACTWATCH_WORKER_CONCURRENCY: '1' });
    const sink = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split('\n')) if (line.trim()) logs.push(JSON.parse(line) as LogLine);
        done();
      },
    });
    const logger = pino({ level: 'info' }, sink);
    store = await openStore(config, { logger });
    await sql(GATE_SQL);
    // the retry policy a deployment has (3 attempts, 2 s then 4 s apart)
    queue = createJobQueue(config, { store, logger, prefix, shutdownGraceMs: 5_000 });
    await queue.startWorkers();

    // the same document, processed without a fault
    const id = await upload('Reference Vendor');
    await queue.enqueueExtract(id);
    expect(await settled(id)).toMatchObject({ status: 'done' });
    reference = await results(id);
    expect(reference.clauses.length).toBeGreaterThanOrEqual(4);
    expect(reference.obligations.length).toBeGreaterThanOrEqual(2);
  }, 90_000);

  afterAll(async () => {
    await queue?.close();
    await store?.close();
    await pg?.close();
    if (REDIS_URL) await deleteKeysUnder(REDIS_URL, prefix);
  });

  it.each([
    ['extract', 'clause'],
    ['derive', 'obligation'],
  ] as const)('%s, writing %s rows: the job is retried and completes, and no half-written rows are ever committed', async (job, table) => {
    const id = await upload(`Faulted Vendor (${job})`);
    const rows = table === 'clause' ? reference.clauses.length : reference.obligations.length;
    const threshold = Math.floor(rows / 2);
    await sql(`INSERT INTO fault_gate (tbl, contract_id, closed, threshold) VALUES ($1, $2, true, $3)`, [table, id, threshold]);
    const failuresBefore = logs.filter((l) => l.contractId === id).length;
    expect(failuresBefore).toBe(0);

    await queue.enqueueExtract(id);
    // the job has written half its rows in an open transaction and is held there
    const [first] = await waitFor('the job to be held half-way through its insert', async () => {
      const h = await held();
      return h.length > 0 ? h : null;
    }, 30_000);
    expect(first.query).toContain(`INSERT INTO "${table}"`);

    const restartedAt = new Date();
    await pg.restart();

    // nothing of the interrupted transaction is there
    const count = async (t: string) => Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ${t} WHERE contract_id = $1`, [id]))[0].n);
    const [contract] = await sql<{ status: string; text: string | null }>(`SELECT status, text FROM contract WHERE id = $1`, [id]);
    expect(contract.status).toBe('processing');
    if (table === 'clause') {
      expect(await count('clause')).toBe(0);
      // the text is written in the same transaction as the clauses
      expect(contract.text).toBeNull();
    } else {
      expect(await count('clause')).toBe(reference.clauses.length);
      expect(await count('obligation')).toBe(0);
      expect(await count('finding')).toBe(0);
    }

    // the worker retries the job on the restarted server; it is held at the same point again
    const retried = await waitFor('the retry to reach the same insert', async () => {
      const h = (await held()).filter((b) => b.backend_start.getTime() >= restartedAt.getTime() - 1000);
      return h.length > 0 ? h : null;
    }, 30_000);
    expect(retried[0].query).toContain(`INSERT INTO "${table}"`);
    expect(await count(table)).toBe(0);

    await sql(`UPDATE fault_gate SET closed = false WHERE contract_id = $1`, [id]);
    expect(await settled(id)).toMatchObject({ status: 'done', errorCode: null });
    expect(await results(id)).toEqual(reference);
    expect(await count('clause')).toBe(reference.clauses.length);
    expect(await count('obligation')).toBe(reference.obligations.length);

    // one failed attempt, logged as transient and retried; no final failure
    const ours = logs.filter((l) => l.contractId === id);
    expect(ours.filter((l) => l.msg === 'job failed, will retry').map((l) => [l.job, l.attempt])).toEqual([[job, 1]]);
    expect(ours.filter((l) => l.msg === 'job failed')).toEqual([]);
  }, 90_000);
});
