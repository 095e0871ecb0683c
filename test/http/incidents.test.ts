import ICAL from 'ical.js';
import pino from 'pino';
import request from 'supertest';
import { createApp } from '../../src/http/app';
import { type TrackedDeadline } from '../../src/obligations/incident-types';
import { type ReminderScheduler } from '../../src/reminders';
import { clause, obligation, upload } from '../db/db-modes';
import { fakeCompute } from '../incidents/service-fixtures';
import { bearer, harness } from './app-harness';

const ISSUE_BODY = {
  title: 'Acme Hosting reports unauthorized access',
  origin: 'vendor',
  counterparties: ['Acme Hosting'],
  status: 'suspected',
  detectedAt: '2026-03-02T08:10:00Z',
  awareAt: '2026-03-02T09:00:00Z',
  dataCategories: ['personal_data'],
  jurisdictions: ['EU'],
  timeZone: 'Europe/Berlin',
};

/** The app over a memory store holding a vendor (Acme Hosting, 72 h) and two customers (48 h, and "without undue delay"). */
async function setup(now = new Date('2026-03-02T12:00:00Z')) {
  const h = await harness();
  const clock = { now };
  const compute = fakeCompute();
  const scheduled: { incidentId: string; deadlines: TrackedDeadline[] }[] = [];
  const reminders: ReminderScheduler = {
    mode: 'in-process',
    async schedule(incident, deadlines) {
      scheduled.push({ incidentId: incident.id, deadlines });
    },
    async cancel() {},
    async start() {},
    async pending() {
      return [];
    },
    async close() {},
  };
  const app = createApp({ store: h.store, jobs: h.jobs, config: h.config, logger: pino({ level: 'silent' }), incidents: { compute, reminders, now: () => clock.now } });
  const contract = async (name: string, ourRole: 'customer' | 'provider', deadline: { amount: number | null; unit: 'hours' | null; qualifier: string | null }) => {
    const { contract: c } = await h.store.createContract(upload(name, `${name} contract`, { ourRole }), 'test');
    const text = `${name} notice clause.`;
    const [cl] = await h.store.saveExtraction(c.id, text, [{ number: 1, start: 0, end: text.length }], [clause({ text, page: 2 })]);
    const us = ourRole === 'provider';
    await h.store.saveObligations(c.id, [
      { ...obligation(0, { obligor: us ? 'us' : 'counterparty', beneficiary: us ? 'counterparty' : 'us', deadline: { ...deadline, recurring: false }, summary: `${name} notice` }), clauseId: cl.id },
    ]);
    return c;
  };
  const acme = await contract('Acme Hosting', 'customer', { amount: 72, unit: 'hours', qualifier: null });
  const bluebird = await contract('Bluebird Retail', 'provider', { amount: 48, unit: 'hours', qualifier: null });
  const cobalt = await contract('Cobalt Bank', 'provider', { amount: null, unit: null, qualifier: 'without undue delay' });
  const as = (role: 'admin' | 'analyst' | 'legal' | 'responder') => bearer(h.tokens[role]);
  return { h, app, clock, compute, scheduled, acme, bluebird, cobalt, as };
}

async function declare(s: Awaited<ReturnType<typeof setup>>, body: Record<string, unknown> = ISSUE_BODY) {
  const res = await request(s.app).post('/api/v1/incidents').set(s.as('responder')).send(body);
  expect(res.status).toBe(201);
  return res;
}

describe('declaring an incident', () => {
  it("takes the issue's body, stores it, and answers with its deadlines soonest first in UTC and in the incident's zone", async () => {
    const s = await setup();
    const res = await declare(s);
    expect(res.headers.location).toBe(`/api/v1/incidents/${res.body.id}`);
    expect(res.body).toMatchObject({
      title: ISSUE_BODY.title,
      origin: 'vendor',
      status: 'suspected',
      awareAt: '2026-03-02T09:00:00.000Z',
      counterpartyIds: [s.acme.counterpartyId],
      counterpartyNames: ['Acme Hosting'],
      timeZone: 'Europe/Berlin',
      createdBy: 'responder-user',
      local: { awareAt: '2026-03-02T10:00:00+01:00', confirmedAt: null },
    });
    expect(res.body.revision).toBeUndefined();
    const deadlines = res.body.deadlines as Record<string, unknown>[];
    expect(deadlines.map((d) => [d.title, d.dueAt, d.dueLocal, d.qualifier])).toEqual([
      // Bluebird: 48 h; the vendor's 72 h and GDPR's 72 h fall together; Cobalt has no number, only a target
      ['Bluebird Retail notice', '2026-03-04T09:00:00.000Z', '2026-03-04T10:00:00+01:00', null],
      ['Acme Hosting notice', '2026-03-05T09:00:00.000Z', '2026-03-05T10:00:00+01:00', null],
      ['Notify the supervisory authority of a personal data breach', '2026-03-05T09:00:00.000Z', '2026-03-05T10:00:00+01:00', null],
      ['Cobalt Bank notice', null, null, 'without undue delay'],
    ]);
    expect(deadlines[3]).toMatchObject({ policyTargetAt: '2026-03-03T09:00:00.000Z', policyTargetLocal: '2026-03-03T10:00:00+01:00', status: 'open' });
    expect(deadlines[0].source).toMatchObject({ kind: 'clause', contractId: s.bluebird.id, page: 2, quote: 'Bluebird Retail notice clause.' });

    // a vendor incident naming no customer reaches every customer we provide to
    expect(new Set(s.compute.calls[0].obligations.map((o) => o.counterpartyName))).toEqual(new Set(['Acme Hosting', 'Bluebird Retail', 'Cobalt Bank']));
    expect(s.compute.calls[0].incident).toMatchObject({ awareAt: new Date('2026-03-02T09:00:00Z'), counterpartyIds: [s.acme.counterpartyId] });
    expect(s.scheduled).toHaveLength(1);
    expect(s.scheduled[0].deadlines).toHaveLength(4);

    const event = s.h.store.events.find((e) => e.action === 'incident.create');
    expect(event).toMatchObject({ actor: 'responder-user', entityId: res.body.id });
  });

  it('takes counterparties by id, and only the customers named beside the vendor', async () => {
    const s = await setup();
    await declare(s, { ...ISSUE_BODY, counterparties: [s.acme.counterpartyId, 'Bluebird Retail'] });
    expect(new Set(s.compute.calls[0].obligations.map((o) => o.counterpartyName))).toEqual(new Set(['Acme Hosting', 'Bluebird Retail']));
  });

  it('refuses an unknown counterparty, naming it, and stores nothing', async () => {
    const s = await setup();
    const res = await request(s.app)
      .post('/api/v1/incidents')
      .set(s.as('responder'))
      .send({ ...ISSUE_BODY, counterparties: ['Acme Hosting', 'Globex Cloud'] });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('UNKNOWN_COUNTERPARTY');
    expect(res.body.detail).toContain('"Globex Cloud"');
    expect(res.body.detail).not.toContain('"Acme Hosting"');
    expect((await s.h.store.listIncidents({}, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it.each([
    [{ awareAt: '2026-03-02T09:00:00' }, 'body.awareAt'],
    [{ awareAt: 'yesterday' }, 'body.awareAt'],
    [{ timeZone: 'Mars/Olympus_Mons' }, 'body.timeZone'],
    [{ origin: 'partner' }, 'body.origin'],
    [{ dataCategories: ['gossip'] }, 'body.dataCategories.0'],
    [{ jurisdictions: ['Europe'] }, 'body.jurisdictions.0'],
    [{ title: '' }, 'body.title'],
    [{ counterparties: [] }, 'body.counterparties'],
    [{ counterparties: 'all' }, 'body.counterparties'],
    [{ affectedCount: -1 }, 'body.affectedCount'],
    [{ color: 'red' }, 'unknown parameter(s) "color"'],
  ])('refuses %j with a problem naming %s', async (change, named) => {
    const s = await setup();
    const res = await request(s.app).post('/api/v1/incidents').set(s.as('responder')).send({ ...ISSUE_BODY, ...change });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.body.detail).toContain(named);
  });

  it('takes our own incident for every customer, with times given in any offset', async () => {
    const s = await setup();
    const res = await declare(s, { title: 'Ransomware', origin: 'ours', counterparties: 'all', awareAt: '2026-03-02T04:00:00-05:00', timeZone: 'America/New_York', jurisdictions: ['us-ny'] });
    expect(res.body).toMatchObject({ counterpartyIds: 'all', counterpartyNames: [], awareAt: '2026-03-02T09:00:00.000Z', jurisdictions: ['US-NY'], local: { awareAt: '2026-03-02T04:00:00-05:00' } });
    expect(new Set(s.compute.calls[0].obligations.map((o) => o.counterpartyName))).toEqual(new Set(['Bluebird Retail', 'Cobalt Bank']));
  });
});

describe('reading incidents', () => {
  it('lists them newest first, filtered by status, and shows one with its deadlines', async () => {
    const s = await setup();
    const a = await declare(s);
    const b = await declare(s, { ...ISSUE_BODY, title: 'Second', status: 'confirmed' });
    const all = await request(s.app).get('/api/v1/incidents').set(s.as('legal'));
    expect(all.status).toBe(200);
    expect(all.body.items.map((i: { id: string }) => i.id)).toEqual([b.body.id, a.body.id]);
    const confirmed = await request(s.app).get('/api/v1/incidents?status=confirmed').set(s.as('legal'));
    expect(confirmed.body.items.map((i: { title: string }) => i.title)).toEqual(['Second']);
    expect((await request(s.app).get('/api/v1/incidents?status=over').set(s.as('legal'))).body.code).toBe('VALIDATION_FAILED');

    const one = await request(s.app).get(`/api/v1/incidents/${a.body.id}`).set(s.as('legal'));
    expect(one.status).toBe(200);
    expect(one.body.deadlines).toHaveLength(4);
    const list = await request(s.app).get(`/api/v1/incidents/${a.body.id}/deadlines`).set(s.as('legal'));
    expect(list.body).toMatchObject({ incidentId: a.body.id, timeZone: 'Europe/Berlin' });
    expect(list.body.items.map((d: { id: string }) => d.id)).toEqual(one.body.deadlines.map((d: { id: string }) => d.id));
  });

  it('answers 404 for an unknown incident and 400 for an id that is not one', async () => {
    const s = await setup();
    const missing = await request(s.app).get('/api/v1/incidents/00000000-0000-4000-8000-000000000000').set(s.as('legal'));
    expect(missing.status).toBe(404);
    expect(missing.body.code).toBe('INCIDENT_NOT_FOUND');
    expect((await request(s.app).get('/api/v1/incidents/42/deadlines').set(s.as('legal'))).body.code).toBe('VALIDATION_FAILED');
  });

  it('shows an open deadline whose due time has passed as missed, without storing it so', async () => {
    const s = await setup();
    const res = await declare(s);
    s.clock.now = new Date('2026-03-04T12:00:00Z');
    const list = await request(s.app).get(`/api/v1/incidents/${res.body.id}/deadlines`).set(s.as('legal'));
    expect(list.body.items.map((d: { status: string }) => d.status)).toEqual(['missed', 'open', 'open', 'open']);
    // a deadline without a due time is never missed: its policy target is a target
    s.clock.now = new Date('2026-03-20T00:00:00Z');
    const later = await request(s.app).get(`/api/v1/incidents/${res.body.id}/deadlines`).set(s.as('legal'));
    expect(later.body.items.map((d: { status: string }) => d.status)).toEqual(['missed', 'missed', 'missed', 'open']);
  });
});

describe('changing an incident', () => {
  it('re-computes when a clock time moves, keeps what was recorded on deadlines that remain, and audits old and new values', async () => {
    const s = await setup();
    const res = await declare(s);
    const gdpr = res.body.deadlines.find((d: { key: string }) => d.key.startsWith('regulation:'));
    const done = await request(s.app).patch(`/api/v1/deadlines/${gdpr.id}`).set(s.as('responder')).send({ status: 'done', note: 'filed with the authority', evidenceFileName: 'receipt.pdf' });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: 'done', doneBy: 'responder-user', doneAt: '2026-03-02T12:00:00.000Z', note: 'filed with the authority', evidenceFileName: 'receipt.pdf' });

    const patched = await request(s.app).patch(`/api/v1/incidents/${res.body.id}`).set(s.as('responder')).send({ awareAt: '2026-03-02T11:00:00+01:00' });
    expect(patched.status).toBe(200);
    expect(patched.body.recomputed).toBe(true);
    expect(patched.body.changes).toEqual({ awareAt: { from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T10:00:00.000Z' } });
    const after = patched.body.deadlines.find((d: { key: string }) => d.key === gdpr.key);
    expect(after).toMatchObject({ id: gdpr.id, dueAt: '2026-03-05T10:00:00.000Z', status: 'done', note: 'filed with the authority', doneBy: 'responder-user' });
    expect(s.compute.calls).toHaveLength(2);

    const update = s.h.store.events.find((e) => e.action === 'incident.update');
    expect(update).toMatchObject({ actor: 'responder-user', entityId: res.body.id, details: { changes: { awareAt: { from: '2026-03-02T09:00:00.000Z', to: '2026-03-02T10:00:00.000Z' } } } });
    const recompute = s.h.store.events.filter((e) => e.action === 'incident.deadlines');
    expect(recompute).toHaveLength(2);
    expect(recompute[1].details.moved).toEqual(expect.arrayContaining([{ key: gdpr.key, from: '2026-03-05T09:00:00.000Z', to: '2026-03-05T10:00:00.000Z' }]));
  });

  it('narrowing the scope withdraws the deadlines that no longer apply', async () => {
    const s = await setup();
    const res = await declare(s);
    const patched = await request(s.app)
      .patch(`/api/v1/incidents/${res.body.id}`)
      .set(s.as('responder'))
      .send({ counterparties: ['Acme Hosting', 'Bluebird Retail'], jurisdictions: [] });
    expect(patched.status).toBe(200);
    expect(patched.body.changes.counterpartyIds).toEqual({ from: [s.acme.counterpartyId], to: [s.acme.counterpartyId, s.bluebird.counterpartyId] });
    expect(patched.body.deadlines.map((d: { title: string }) => d.title)).toEqual(['Bluebird Retail notice', 'Acme Hosting notice']);
    const withdrawn = s.h.store.events.filter((e) => e.action === 'incident.deadlines')[1];
    expect((withdrawn.details.withdrawn as string[]).length).toBe(2);
  });

  it('does not re-compute for a new title, and refuses what a declaration refuses', async () => {
    const s = await setup();
    const res = await declare(s);
    const renamed = await request(s.app).patch(`/api/v1/incidents/${res.body.id}`).set(s.as('responder')).send({ title: 'Acme Hosting: S3 exposure' });
    expect(renamed.body).toMatchObject({ title: 'Acme Hosting: S3 exposure', recomputed: false });
    expect(s.compute.calls).toHaveLength(1);
    const bad = await request(s.app).patch(`/api/v1/incidents/${res.body.id}`).set(s.as('responder')).send({ confirmedAt: 'soon' });
    expect(bad.body).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
    expect(bad.body.detail).toContain('body.confirmedAt');
    const unknown = await request(s.app).patch(`/api/v1/incidents/${res.body.id}`).set(s.as('responder')).send({ counterparties: ['Nobody Ltd'] });
    expect(unknown.body.code).toBe('UNKNOWN_COUNTERPARTY');
    const missing = await request(s.app).patch('/api/v1/incidents/00000000-0000-4000-8000-000000000000').set(s.as('responder')).send({ title: 'x' });
    expect(missing.status).toBe(404);
  });
});

describe('tracking a deadline', () => {
  it('marks not applicable with a reason, opens again, and refuses missed, a missing reason or a future time', async () => {
    const s = await setup();
    const res = await declare(s);
    const id = res.body.deadlines[0].id as string;
    const patch = (body: unknown) => request(s.app).patch(`/api/v1/deadlines/${id}`).set(s.as('responder')).send(body as object);

    const na = await patch({ status: 'not_applicable', reason: 'no data of this customer involved' });
    expect(na.body).toMatchObject({ status: 'not_applicable', notApplicableReason: 'no data of this customer involved', dueLocal: '2026-03-04T10:00:00+01:00' });
    const reopened = await patch({ status: 'open' });
    expect(reopened.body).toMatchObject({ status: 'open', notApplicableReason: null });

    for (const [body, named] of [
      [{ status: 'missed' }, 'status'],
      [{ status: 'not_applicable' }, 'body.reason'],
      [{ status: 'done', doneAt: '2030-01-01T00:00:00Z' }, 'body.doneAt'],
      [{ status: 'done', by: 'me' }, 'unknown parameter'],
    ] as const) {
      const r = await patch(body);
      expect([r.status, r.body.code, r.body.detail.includes(named)]).toEqual([400, 'VALIDATION_FAILED', true]);
    }
    const missing = await request(s.app).patch('/api/v1/deadlines/00000000-0000-4000-8000-000000000000').set(s.as('responder')).send({ status: 'open' });
    expect([missing.status, missing.body.code]).toEqual([404, 'DEADLINE_NOT_FOUND']);
    expect(s.h.store.events.filter((e) => e.entity === 'deadline').map((e) => e.action)).toEqual(['deadline.not_applicable', 'deadline.reopen']);
  });
});

describe('exports', () => {
  it('serves the deadlines as an iCalendar feed a calendar parser reads, one event per deadline with a time', async () => {
    const s = await setup();
    const res = await declare(s);
    const ics = await request(s.app).get(`/api/v1/incidents/${res.body.id}/deadlines.ics`).set(s.as('legal'));
    expect(ics.status).toBe(200);
    expect(ics.headers['content-type']).toMatch(/^text\/calendar/);
    expect(ics.headers['content-disposition']).toMatch(/^attachment; filename="incident-Acme-Hosting-reports-unauthorized-access\.ics"/);
    const events = new ICAL.Component(ICAL.parse(ics.text) as unknown[]).getAllSubcomponents('vevent');
    const timed = (res.body.deadlines as { dueAt: string | null; policyTargetAt: string | null }[]).filter((d) => d.dueAt ?? d.policyTargetAt);
    expect(events).toHaveLength(timed.length);
    const starts = events.map((e) => new ICAL.Event(e).startDate.toJSDate().toISOString()).sort();
    expect(starts).toEqual(timed.map((d) => new Date((d.dueAt ?? d.policyTargetAt)!).toISOString()).sort());
  });

  it('serves CSV, a printable HTML report, the communication plan and the drafts', async () => {
    const s = await setup();
    const res = await declare(s);
    const base = `/api/v1/incidents/${res.body.id}`;
    const csv = await request(s.app).get(`${base}/deadlines.csv`).set(s.as('legal'));
    expect([csv.status, csv.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/csv/)]);
    expect(csv.text.trim().split(/\r?\n/).length).toBeGreaterThanOrEqual(5);
    const report = await request(s.app).get(`${base}/report`).set(s.as('legal'));
    expect([report.status, report.headers['content-type']]).toEqual([200, expect.stringMatching(/^text\/html/)]);
    expect(report.headers['content-security-policy']).toContain("default-src 'none'");
    expect(report.text).toContain('Bluebird Retail notice');
    const plan = await request(s.app).get(`${base}/plan`).set(s.as('legal'));
    expect(plan.status).toBe(200);
    expect(plan.body.items.length).toBeGreaterThan(0);
    const drafts = await request(s.app).get(`${base}/drafts?contact=security%40example.com`).set(s.as('legal'));
    expect(drafts.status).toBe(200);
    expect(Array.isArray(drafts.body.items)).toBe(true);
    const missing = await request(s.app).get('/api/v1/incidents/00000000-0000-4000-8000-000000000000/report').set(s.as('legal'));
    expect(missing.status).toBe(404);
  });
});
