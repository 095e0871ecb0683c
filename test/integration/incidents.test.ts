import { readFileSync } from 'node:fs';
import path from 'node:path';
import ICAL from 'ical.js';
import request from 'supertest';
import { serviceModes, startService, type Service } from './service-harness';

/**
 * What a responder does, end to end, on contracts Pactwatch has read itself:
 * a vendor reports a breach of personal data; we hold that vendor's DPA (its
 * 48-hour duty to us) and serve a customer whose agreement gives it 24 hours'
 * notice from us. Declaring the incident must list the vendor's duty, ours to
 * the customer, and the GDPR's 72 hours to the authority, each with its source.
 */
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'contracts');

interface DeadlineBody {
  id: string;
  key: string;
  title: string;
  dueAt: string | null;
  qualifier: string | null;
  owedBy: string;
  recipient: string;
  status: string;
  clock: { name: string; at: string };
  recurrence: { everyHours: number; occurrence: number } | null;
  source: { kind: string; page?: number; quote?: string; citation?: string; counterpartyName?: string };
}

describe.each(serviceModes())('%s', (_mode, env) => {
  let svc: Service;
  let responder: string;
  const auth = (t: string) => ({ Authorization: `Bearer ${t}` });

  beforeAll(async () => {
    svc = await startService(env);
    const analyst = await svc.token('analyst');
    responder = await svc.token('responder');
    const upload = async (file: string, counterparty: string, role: string) => {
      const res = await request(svc.app)
        .post('/api/v1/contracts')
        .set(auth(analyst))
        .field('counterparty', counterparty)
        .field('role', role)
        .attach('file', readFileSync(path.join(FIXTURES, file)), file)
        .expect(202);
      expect((await svc.settled(res.body.id, analyst)).status).toBe('done');
    };
    await upload('saas-dpa-lumen.pdf', 'Lumen Analytics Ltd', 'customer');
    await upload('mssa-northwind-harbor.txt', 'Harbor Community Bank', 'provider');
  }, 120_000);
  afterAll(() => svc.close());

  it('lists every deadline the incident starts, soonest first, each traced to its source; done survives a re-computation', async () => {
    const declared = await request(svc.app)
      .post('/api/v1/incidents')
      .set(auth(responder))
      .send({
        title: 'Lumen reports unauthorized access to its analytics cluster',
        origin: 'vendor',
        counterparties: ['Lumen Analytics Ltd', 'Harbor Community Bank'],
        status: 'confirmed',
        detectedAt: '2026-03-02T08:10:00Z',
        awareAt: '2026-03-02T09:00:00Z',
        confirmedAt: '2026-03-02T09:00:00Z',
        dataCategories: ['personal_data'],
        jurisdictions: ['EU'],
        ourDataRole: 'controller',
        timeZone: 'Europe/Berlin',
      })
      .expect(201);
    const id = declared.body.id as string;
    const list = async () => ((await request(svc.app).get(`/api/v1/incidents/${id}/deadlines`).set(auth(responder)).expect(200)).body.items as DeadlineBody[]);
    const deadlines = await list();

    // the vendor's 48 hours from awareness, to us, from the DPA's clause
    const vendor = deadlines.find((d) => d.owedBy === 'counterparty' && d.source.kind === 'clause' && d.dueAt === '2026-03-04T09:00:00.000Z');
    expect(vendor?.source).toMatchObject({ counterpartyName: 'Lumen Analytics Ltd', page: 3 });
    expect(vendor?.source.quote).toMatch(/48 hours/);
    // our 24 hours to the bank we serve, from when we became aware
    const ours = deadlines.find((d) => d.owedBy === 'us' && d.source.kind === 'clause' && d.source.counterpartyName === 'Harbor Community Bank' && d.recurrence === null && d.dueAt === '2026-03-03T09:00:00.000Z');
    expect(ours?.source.quote).toMatch(/notify Customer[\s\S]*twenty-four \(24\)\s+hours/);
    // and its status updates every 24 hours from the same clock
    expect(deadlines.filter((d) => d.source.counterpartyName === 'Harbor Community Bank' && d.recurrence?.everyHours === 24).length).toBeGreaterThan(1);
    // GDPR Art. 33: 72 hours from awareness to the supervisory authority
    const gdpr = deadlines.find((d) => d.source.kind === 'regulation' && /Art\. ?33\(1\)/.test(d.source.citation ?? ''));
    expect(gdpr).toMatchObject({ dueAt: '2026-03-05T09:00:00.000Z', owedBy: 'us' });

    // soonest first: every dated deadline before the undated ones, in order
    const dated = deadlines.filter((d) => d.dueAt !== null).map((d) => d.dueAt as string);
    expect(dated).toEqual([...dated].sort());
    expect(deadlines.slice(0, dated.length).every((d) => d.dueAt !== null)).toBe(true);

    // mark ours done, then learn we became aware an hour earlier: it stays done, the others move
    await request(svc.app).patch(`/api/v1/deadlines/${ours!.id}`).set(auth(responder)).send({ status: 'done', note: 'e-mailed the bank CISO' }).expect(200);
    await request(svc.app).patch(`/api/v1/incidents/${id}`).set(auth(responder)).send({ awareAt: '2026-03-02T08:00:00Z' }).expect(200);
    const after = await list();
    expect(after.find((d) => d.key === ours!.key)).toMatchObject({ status: 'done', dueAt: '2026-03-03T08:00:00.000Z' });
    expect(after.find((d) => d.key === gdpr!.key)?.dueAt).toBe('2026-03-05T08:00:00.000Z');

    // the calendar feed parses, one event per dated deadline
    const ics = await request(svc.app).get(`/api/v1/incidents/${id}/deadlines.ics`).set(auth(responder)).expect(200);
    const events = new ICAL.Component(ICAL.parse(ics.text)).getAllSubcomponents('vevent');
    expect(events.length).toBeGreaterThanOrEqual(after.filter((d) => d.dueAt !== null).length);
  }, 60_000);
});
