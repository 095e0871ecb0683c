import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { SAMPLE_SENTENCE, singleLineText } from '../helpers/bad-files';
import { serviceModes, startService, type Service } from '../integration/service-harness';

/**
 * A 5 MB text file that is one single line: uploaded to the running service,
 * it is read (its clauses found at their exact place), the service keeps
 * answering while it is stored and read, and the contract stored before it
 * is untouched.
 */
const MiB = 1024 * 1024;
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'contracts');
const FILLER = 'The parties have read this Agreement and the Schedules that form part of it, and agree to its terms. ';
/** about 40 kB of prose, then one breach-notice clause: 128 of them in 5 MB, and no line break anywhere */
const CHUNK = `${FILLER.repeat(400)}${SAMPLE_SENTENCE} `;

describe.each(serviceModes())('%s', (_mode, env) => {
  let svc: Service;
  let analyst: string;
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const upload = (file: Buffer, name: string, counterparty: string) =>
    request(svc.app).post('/api/v1/contracts').set(auth(analyst)).field('counterparty', counterparty).field('role', 'customer').attach('file', file, name);

  beforeAll(async () => {
    svc = await startService({ ...env, PACTWATCH_MAX_FILE_BYTES: String(8 * MiB) });
    analyst = await svc.token('analyst');
  }, 60_000);
  afterAll(() => svc.close());

  it('reads the line, answers meanwhile, and keeps what was stored before', async () => {
    const first = await upload(readFileSync(path.join(FIXTURES, 'saas-dpa-lumen.txt')), 'lumen.txt', 'Lumen Analytics Ltd');
    const before = await svc.settled(first.body.id, analyst);
    expect(before.status).toBe('done');

    const line = singleLineText(5 * MiB, CHUNK);
    expect(line.includes('\n')).toBe(false);
    const started = Date.now();
    const uploading = upload(line, 'one-line.txt', 'One Line Ltd');
    let finished = false;
    const probes = (async () => {
      const health: number[] = [];
      while (!finished) {
        const t0 = Date.now();
        const res = await request(svc.app).get('/healthz');
        health.push(res.status === 200 ? Date.now() - t0 : Infinity);
        await new Promise((r) => setTimeout(r, 100));
      }
      return health;
    })();
    const reading = (async () => {
      const res = await uploading;
      expect(res.status).toBe(202);
      return { id: res.body.id as string, settled: await svc.settled(res.body.id, analyst, 120_000) };
    })();
    const { id, settled } = await reading.finally(() => (finished = true));
    const health = await probes;
    expect(settled.status).toBe('done');
    // every clause of the line is found, at its place in the stored text
    const clauses = settled.clauses as { type: string; start: number; end: number; text: string }[];
    expect(clauses.filter((c) => c.type === 'breach_notification')).toHaveLength(line.toString().split(SAMPLE_SENTENCE).length - 1);
    const { body: stored } = await request(svc.app).get(`/api/v1/contracts/${id}/text`).set(auth(analyst)).expect(200);
    expect(stored.text.length).toBe(5 * MiB);
    for (const c of clauses) expect(stored.text.slice(c.start, c.end)).toBe(c.text);
    // within a generous limit, and the process answered throughout (the embedded database blocks the
    // process while it stores a large file: about 0.7 s per MB, measured; PostgreSQL does not)
    expect(Date.now() - started).toBeLessThan(150_000);
    expect(health.length).toBeGreaterThan(0);
    expect(Math.max(...health)).toBeLessThan(30_000);

    const again = await request(svc.app).get(`/api/v1/contracts/${first.body.id}`).set(auth(analyst)).expect(200);
    expect(again.body.status).toBe('done');
    expect(again.body.clauses.map((c: { id: string }) => c.id)).toEqual((before.clauses as { id: string }[]).map((c) => c.id));
  }, 240_000);
});
