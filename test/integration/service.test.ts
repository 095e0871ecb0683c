import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { type ClauseBody, serviceModes, startService, type Service } from './service-harness';

/**
 * What an analyst and a lawyer do, end to end, on real storage and queues:
 * upload a contract, wait for it to be read, look at its clauses and the
 * evidence behind them, search the obligations of a counterparty.
 */
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'contracts');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));

interface ObligationBody {
  action: string;
  obligor: string;
  clauseId: string;
  page: number;
  quote: string;
  counterpartyName: string;
}

describe.each(serviceModes())('%s', (_mode, env) => {
  let svc: Service;
  let analyst: string;
  let legal: string;
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
  const upload = (file: Buffer, name: string, counterparty: string, role = 'customer') =>
    request(svc.app).post('/api/v1/contracts').set(auth(analyst)).field('counterparty', counterparty).field('role', role).attach('file', file, name);

  beforeAll(async () => {
    svc = await startService(env);
    analyst = await svc.token('analyst');
    legal = await svc.token('legal');
  }, 60_000);
  afterAll(() => svc.close());

  it('reads an uploaded PDF into clauses whose evidence is the stored text, and derives obligations', async () => {
    const res = await upload(fixture('saas-dpa-lumen.pdf'), 'lumen.pdf', 'Lumen Analytics Ltd');
    expect(res.status).toBe(202);
    const contract = await svc.settled(res.body.id, analyst);
    expect(contract.status).toBe('done');
    const clauses = contract.clauses as ClauseBody[];
    expect(clauses.map((c) => c.type)).toEqual(expect.arrayContaining(['breach_notification', 'subprocessor_flowdown', 'data_exit']));

    const { body: stored } = await request(svc.app).get(`/api/v1/contracts/${res.body.id}/text`).set(auth(legal)).expect(200);
    for (const c of clauses) {
      expect(stored.text.slice(c.start, c.end)).toBe(c.text);
      const page = stored.pages.find((p: { number: number }) => p.number === c.page);
      expect(c.start >= page.start && c.start < page.end).toBe(true);
    }

    // the processor's 48-hour breach notice is the counterparty's duty to us, traced to its clause
    const obligations = contract.obligations as ObligationBody[];
    const notice = obligations.find((o) => o.action === 'notify_incident');
    expect(notice).toMatchObject({ obligor: 'counterparty', counterpartyName: 'Lumen Analytics Ltd' });
    expect(notice?.quote).toMatch(/48 hours/);
    expect(clauses.map((c) => c.id)).toContain(notice?.clauseId);

    // the scorecard: "within 48 hours after becoming aware" meets a policy of 72 hours at most, with its quote
    const { body: scorecard } = await request(svc.app).get(`/api/v1/contracts/${res.body.id}/findings`).set(auth(legal)).expect(200);
    expect(scorecard).toMatchObject({ contractId: res.body.id, status: 'done' });
    const noticeFinding = (scorecard.items as { itemId: string; outcome: string; clauseId: string | null; evidence: { page: number; quote: string } | null }[]).find(
      (f) => f.itemId === 'incident-notice-72h',
    );
    expect(noticeFinding).toMatchObject({ outcome: 'met', value: { duration: 48, unit: 'hours', trigger: 'awareness' } });
    expect(clauses.map((c) => c.id)).toContain(noticeFinding?.clauseId);
    expect(noticeFinding?.evidence?.quote).toMatch(/within 48 hours after becoming aware/);
    expect(noticeFinding?.evidence?.page).toBe(clauses.find((c) => c.id === noticeFinding?.clauseId)?.page);
  }, 90_000);

  it('gives the same clauses for the TXT, PDF and DOCX of one contract', async () => {
    const ids = await Promise.all(
      ['txt', 'pdf', 'docx'].map(async (ext) => (await upload(fixture(`msa-short-form-tidewater.${ext}`), `tidewater.${ext}`, `Tidewater ${ext}`)).body.id as string),
    );
    const settled = await Promise.all(ids.map((id) => svc.settled(id, analyst)));
    const shape = (c: { clauses: unknown[] }) => (c.clauses as ClauseBody[]).map((x) => `${x.type}:${x.text.replace(/\s+/g, ' ').slice(0, 60)}`).sort();
    expect(settled.map((s) => s.status)).toEqual(['done', 'done', 'done']);
    expect(shape(settled[1])).toEqual(shape(settled[0]));
    expect(shape(settled[2])).toEqual(shape(settled[0]));
  }, 120_000);

  it('finds obligations by counterparty and by words in their clause, with evidence', async () => {
    const res = await upload(fixture('mssa-northwind-harbor.txt'), 'northwind.txt', 'Northwind Security, Inc.');
    expect((await svc.settled(res.body.id, analyst)).status).toBe('done');

    const byName = await request(svc.app).get('/api/v1/obligations').query({ counterparty: 'northwind', limit: 100 }).set(auth(legal)).expect(200);
    expect(byName.body.total).toBeGreaterThan(0);
    expect((byName.body.items as ObligationBody[]).every((o) => o.counterpartyName === 'Northwind Security, Inc.')).toBe(true);

    const byWords = await request(svc.app).get('/api/v1/obligations').query({ counterparty: 'northwind', q: 'insurance' }).set(auth(legal)).expect(200);
    expect(byWords.body.total).toBeGreaterThan(0);
    for (const o of byWords.body.items as ObligationBody[]) {
      expect(o.quote.toLowerCase()).toMatch(/insur/);
      expect(o.page).toBeGreaterThanOrEqual(1);
    }
    const nothing = await request(svc.app).get('/api/v1/obligations').query({ q: "'; drop table clause; --" }).set(auth(legal)).expect(200);
    expect(nothing.body.total).toBe(0);
  }, 90_000);

  it('recognizes the same file uploaded twice for one counterparty and does not process it again', async () => {
    const bytes = fixture('plain-terms-brightdesk.txt');
    const first = await upload(bytes, 'brightdesk.txt', 'BrightDesk');
    const second = await upload(bytes, 'copy of brightdesk.txt', 'Brightdesk');
    expect(second.status).toBe(202);
    expect(second.body).toMatchObject({ id: first.body.id, duplicate: true });
    await svc.settled(first.body.id, analyst);
    const list = await request(svc.app).get('/api/v1/contracts').query({ counterparty: 'brightdesk' }).set(auth(legal)).expect(200);
    expect(list.body.total).toBe(1);
  }, 60_000);

  it('fails an unreadable document at once with its code, and keeps serving', async () => {
    const pdf = fixture('saas-dpa-lumen.pdf');
    const res = await upload(pdf.subarray(0, Math.floor(pdf.length / 3)), 'truncated.pdf', 'Broken Vendor');
    const contract = await svc.settled(res.body.id, analyst);
    expect(contract).toMatchObject({ status: 'failed', errorCode: 'PDF_CORRUPT' });
    await request(svc.app).get('/healthz').expect(200);
  }, 60_000);

  it('re-processing replaces clauses and obligations, never doubles them', async () => {
    const res = await upload(fixture('infosec-addendum-cobalt.txt'), 'cobalt.txt', 'Cobalt');
    const before = await svc.settled(res.body.id, analyst);
    const again = await request(svc.app).post(`/api/v1/contracts/${res.body.id}/reprocess`).set(auth(analyst)).expect(202);
    expect(again.body.status).toBe('queued');
    const after = await svc.settled(res.body.id, analyst);
    expect(after.status).toBe('done');
    // stored anew: none of the earlier clause rows survive, and there are as many as before
    const ids = (c: { clauses: unknown[] }) => (c.clauses as ClauseBody[]).map((x) => x.id);
    expect(ids(after).filter((id) => ids(before).includes(id))).toEqual([]);
    expect(after.clauses.length).toBe(before.clauses.length);
    expect(after.obligations.length).toBe(before.obligations.length);
  }, 90_000);
});
