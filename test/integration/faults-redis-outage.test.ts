import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import request from 'supertest';
import { createToken } from '../../src/auth/tokens';
import { loadConfig } from '../../src/config';
import { openThrowAwayStore, type ThrowAwayStore } from '../../src/db';
import { extractClauses } from '../../src/extract';
import { createApp } from '../../src/http/app';
import { ingest } from '../../src/ingest';
import { createJobQueue, type JobQueue } from '../../src/jobs';
import { createExtractPool, type DocumentExtractor } from '../../src/jobs/extract-pool';
import { deriveObligations } from '../../src/obligations/derive';
import { loadRuleset } from '../../src/rules/load-rules';
import { startPrivateRedis, waitFor, type PrivateRedis } from './private-services';

/**
 * Redis killed (SIGKILL, no persistence: it comes back empty) while analysts
 * upload through the API. Every upload is still accepted (202) and stored with
 * its bytes; the service says it is not ready while the queue is down; when
 * Redis is back on the same port, the uploads left queued are queued again and
 * every contract ends done once, with exactly the clauses and obligations its
 * document gives, none twice.
 *
 * The Redis here is the test's own (a private redis-server on a free port);
 * the database is a throw-away one on DATABASE_URL. jest.config.js runs this
 * file only with DATABASE_URL and REDIS_URL set (CI sets both and installs redis-server).
 */
const { DATABASE_URL } = process.env;
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'contracts');
// three uploads before the outage, three while Redis is killed, three while it is down
const DOCUMENTS = [
  'saas-dpa-lumen.txt',
  'baa-meridian-health.pdf',
  'canadian-saas.docx',
  'dpa-article-style.txt',
  'enterprise-dpa-kestrel.pdf',
  'infosec-addendum-cobalt.docx',
  'ir-retainer-sentinel.txt',
  'uk-outsourcing.pdf',
  'msa-short-form-tidewater.docx',
].map((name) => ({ name, bytes: readFileSync(path.join(FIXTURES, name)), counterparty: `Outage Vendor ${name.split('.')[0]}` }));

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const clauseKey = (c: { type: string; start: number; end: number }) => `${c.type}@${c.start}-${c.end}`;

describe('Redis killed while uploads are made', () => {
  let redis: PrivateRedis;
  let db: ThrowAwayStore;
  let api: JobQueue;
  let worker: JobQueue;
  let app: ReturnType<typeof createApp>;
  let token: string;
  const pool = createExtractPool(loadConfig({}), { size: 2 });
  /** documents handed to the extraction threads, by sha256 */
  const extractions = new Map<string, number>();
  const counting: DocumentExtractor = {
    extract(bytes) {
      extractions.set(sha(bytes), (extractions.get(sha(bytes)) ?? 0) + 1);
      return pool.extract(bytes);
    },
    close: async () => undefined,
  };
  const prefix = `pwredisfault-${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    if (!DATABASE_URL) throw new Error('this test needs DATABASE_URL');
    redis = await startPrivateRedis();
    const config = loadConfig({ DATABASE_URL, REDIS_URL: redis.url, PACTWATCH_DEPLOYMENT: 'integration', PACTWATCH_WORKER_CONCURRENCY: '2' });
    const logger = pino({ level: 'silent' });
    db = await openThrowAwayStore(config, { logger });
    // the API process only queues; a worker process runs the jobs (both as `serve` and `worker` hold them)
    api = createJobQueue(config, { store: db.store, logger, prefix });
    worker = createJobQueue(config, { store: db.store, logger, prefix, extractor: counting, shutdownGraceMs: 5_000 });
    await worker.startWorkers();
    app = createApp({ store: db.store, jobs: api, config, logger });
    token = await createToken(db.store, config, { name: 'analyst-outage', role: 'analyst' }, 'test');
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await worker?.close();
    await pool.close();
    await db?.close();
    await redis?.close();
  });

  const auth = () => ({ Authorization: `Bearer ${token}` });
  const upload = (d: (typeof DOCUMENTS)[number]) =>
    request(app).post('/api/v1/contracts').set(auth()).field('counterparty', d.counterparty).field('role', 'customer').attach('file', d.bytes, d.name);

  it('accepts and stores every upload, and processes each once when Redis is back', async () => {
    const ids: string[] = [];
    const accepted = async (res: request.Response) => {
      expect(res.status).toBe(202);
      expect(res.body).toMatchObject({ status: 'queued', duplicate: false });
      ids.push(res.body.id as string);
    };

    for (const d of DOCUMENTS.slice(0, 3)) await accepted(await upload(d));
    expect((await request(app).get('/readyz')).status).toBe(200);

    // killed while these three are on their way in
    const inFlight = DOCUMENTS.slice(3, 6).map((d) => upload(d).then((r) => r));
    await redis.kill();
    for (const res of await Promise.all(inFlight)) await accepted(res);

    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(503);
    expect(ready.body.checks).toEqual({ database: 'up', queue: 'down' });

    // uploaded while Redis is down: answered at once (no waiting on the queue), stored, left queued
    for (const d of DOCUMENTS.slice(6)) {
      const started = Date.now();
      const res = await upload(d);
      await accepted(res);
      expect(Date.now() - started).toBeLessThan(15_000);
    }
    for (const [i, id] of ids.entries()) {
      const file = await request(app).get(`/api/v1/contracts/${id}/file`).set(auth()).buffer(true).parse((res, cb) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => cb(null, Buffer.concat(chunks)));
      });
      expect(file.status).toBe(200);
      expect(sha(file.body as Buffer)).toBe(sha(DOCUMENTS[i].bytes));
    }
    for (const id of ids.slice(6)) {
      const { body } = await request(app).get(`/api/v1/contracts/${id}`).set(auth()).expect(200);
      expect(body.status).toBe('queued');
    }
    // let the workers see the outage for a while
    await new Promise((r) => setTimeout(r, 1500));

    await redis.start();

    const settled = await Promise.all(
      ids.map((id) =>
        waitFor(
          `contract ${id} to settle after Redis came back`,
          async () => {
            const { body } = await request(app).get(`/api/v1/contracts/${id}`).set(auth()).expect(200);
            return body.status === 'done' || body.status === 'failed' ? (body as { status: string; errorCode: string | null }) : null;
          },
          60_000,
          250,
        ),
      ),
    );
    expect(settled.map((c) => [c.status, c.errorCode])).toEqual(ids.map(() => ['done', null]));
    expect((await request(app).get('/readyz')).status).toBe(200);

    const config = loadConfig({});
    const rules = loadRuleset(config.rulesDir);
    for (const [i, id] of ids.entries()) {
      const d = DOCUMENTS[i];
      const expected = extractClauses(await ingest(d.bytes, config), rules);
      const clauses = await db.store.listClauses(id);
      // exactly the clauses one extraction of the file gives, each once
      expect({ name: d.name, clauses: clauses.map(clauseKey).sort() }).toEqual({ name: d.name, clauses: expected.map(clauseKey).sort() });
      // and the obligations derived from them, each once
      const obligations = (await db.store.searchObligations({ contractId: id }, { limit: 10_000, offset: 0 })).items;
      const expectedObligations = deriveObligations({ ourRole: 'customer', clauses: expected }).map((o) => {
        const c = expected[o.clauseIndex];
        return `${clauseKey(c)}:${o.action}/${o.trigger}/${o.obligor}`;
      });
      expect({ name: d.name, obligations: obligations.map((o) => `${o.type}@${o.start}-${o.end}:${o.action}/${o.trigger}/${o.obligor}`).sort() }).toEqual({
        name: d.name,
        obligations: expectedObligations.sort(),
      });
      expect(new Set(obligations.map((o) => o.id)).size).toBe(obligations.length);
    }
    // The uploads made while Redis was down were read once, though the API and the worker both queued them
    // again when it came back. (A job running when Redis died may run once more: its lock and its record
    // went with Redis. That second run replaces the first's results, as the checks above show.)
    const afterKill = DOCUMENTS.slice(6);
    expect(afterKill.map((d) => [d.name, extractions.get(sha(d.bytes))])).toEqual(afterKill.map((d) => [d.name, 1]));
    for (const d of DOCUMENTS) expect(extractions.get(sha(d.bytes))).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
