import { readFileSync } from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { bearer, harness, type Harness } from './app-harness';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'contracts');
const lumenPdf = readFileSync(path.join(FIXTURES, 'saas-dpa-lumen.pdf'));
const lumenDocx = readFileSync(path.join(FIXTURES, 'saas-dpa-lumen.docx'));
const lumenTxt = readFileSync(path.join(FIXTURES, 'saas-dpa-lumen.txt'));
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

const upload = (h: Harness, file: Buffer, fileName: string, fields: Record<string, string> = { counterparty: 'Lumen Analytics, Inc.', role: 'customer' }) => {
  let req = request(h.app).post('/api/v1/contracts').set(bearer(h.tokens.analyst));
  for (const [k, v] of Object.entries(fields)) req = req.field(k, v);
  return req.attach('file', file, fileName);
};

const expectProblem = (res: request.Response, status: number, code: string) => {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  expect(res.body).toEqual(expect.objectContaining({ status, code, title: expect.any(String), detail: expect.any(String), type: expect.any(String) }));
};

describe('POST /api/v1/contracts', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await harness();
  });

  it('accepts a PDF, stores it with the media type read from its bytes, and queues extraction', async () => {
    const res = await upload(h, lumenPdf, 'Lumen DPA.pdf', { counterparty: 'Lumen Analytics, Inc.', role: 'customer', title: 'Data Processing Addendum', kind: 'DPA' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'queued', duplicate: false });
    expect(res.headers.location).toBe(`/api/v1/contracts/${res.body.id}`);
    expect(h.jobs.extracts).toEqual([res.body.id]);

    const stored = await h.store.getContract(res.body.id);
    expect(stored).toMatchObject({ counterpartyName: 'Lumen Analytics, Inc.', ourRole: 'customer', title: 'Data Processing Addendum', kind: 'DPA', fileName: 'Lumen DPA.pdf', mediaType: 'application/pdf', size: lumenPdf.length });
    expect(stored?.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(h.store.events.map((e) => [e.action, e.actor])).toContainEqual(['contract.upload', 'analyst-user']);
  });

  it('answers the same file for the same counterparty with the same contract, without queueing it again', async () => {
    const first = await upload(h, lumenPdf, 'lumen.pdf');
    const again = await upload(h, lumenPdf, 'renamed copy.pdf');
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ id: first.body.id, status: 'queued', duplicate: true });
    expect(h.jobs.extracts).toEqual([first.body.id]);
    expect((await h.store.listContracts({}, { limit: 10, offset: 0 })).total).toBe(1);
  });

  it('decides the media type from the bytes, not the name', async () => {
    const docx = await upload(h, lumenDocx, 'contract.pdf');
    const txt = await upload(h, lumenTxt, 'contract.pdf', { counterparty: 'Other', role: 'provider' });
    expect((await h.store.getContract(docx.body.id))?.mediaType).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect((await h.store.getContract(txt.body.id))?.mediaType).toBe('text/plain; charset=utf-8');
  });

  it('still answers 202 (queued) when the queue is unreachable; the contract waits in the database', async () => {
    h.jobs.up = false;
    const res = await upload(h, lumenPdf, 'lumen.pdf');
    expect(res.status).toBe(202);
    expect(res.body.status).toBe('queued');
    expect(await h.store.listUnfinishedContractIds()).toEqual([res.body.id]);
  });

  it.each([
    ['an empty file', Buffer.alloc(0), 'empty.pdf', 400, 'EMPTY_FILE'],
    ['a file of only white space', Buffer.from('  \n\t \n'), 'blank.txt', 400, 'EMPTY_FILE'],
    ['a PNG image', PNG, 'scan.pdf', 415, 'UNSUPPORTED_FORMAT'],
    ['a ZIP that is not a Word document', Buffer.from('504b0304140000000800000000000000000000000000000000000800000061626364', 'hex'), 'x.docx', 415, 'UNSUPPORTED_FORMAT'],
  ])('refuses %s with a problem and stores nothing', async (_what, bytes, name, status, code) => {
    const res = await upload(h, bytes, name);
    expectProblem(res, status, code);
    expect((await h.store.listContracts({}, { limit: 10, offset: 0 })).total).toBe(0);
    expect(h.jobs.extracts).toEqual([]);
  });

  it('refuses a file over the size limit with 413 FILE_TOO_LARGE and stores nothing', async () => {
    const small = await harness({ PACTWATCH_MAX_FILE_BYTES: '1000' });
    const res = await upload(small, lumenPdf, 'lumen.pdf');
    expectProblem(res, 413, 'FILE_TOO_LARGE');
    expect(res.body.detail).toContain('1000 bytes');
    expect((await small.store.listContracts({}, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it.each([
    [{ role: 'customer' }, 'body.counterparty'],
    [{ counterparty: 'Lumen', role: 'vendor' }, 'body.role'],
    [{ counterparty: 'x'.repeat(201), role: 'customer' }, 'body.counterparty'],
  ])('names the bad form field (%j)', async (fields, field) => {
    const res = await upload(h, lumenPdf, 'lumen.pdf', fields as Record<string, string>);
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.detail).toContain(field);
    expect((await h.store.listContracts({}, { limit: 10, offset: 0 })).total).toBe(0);
  });

  it('asks for the file when none is sent', async () => {
    const res = await request(h.app).post('/api/v1/contracts').set(bearer(h.tokens.analyst)).field('counterparty', 'Lumen').field('role', 'customer');
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.detail).toContain('file');
  });

  it('refuses two files', async () => {
    const res = await upload(h, lumenPdf, 'a.pdf').attach('file', lumenTxt, 'b.txt');
    expectProblem(res, 400, 'TOO_MANY_FILES');
  });

  it('keeps a path-like file name only as data', async () => {
    const res = await upload(h, lumenTxt, '../../etc/passwd');
    expect(res.status).toBe(202);
    expect((await h.store.getContract(res.body.id))?.fileName).toBe('passwd');
  });
});

describe('reading, reprocessing and deleting a contract', () => {
  let h: Harness;
  let id: string;
  beforeEach(async () => {
    h = await harness();
    const res = await upload(h, lumenTxt, 'Lumen “DPA” été.txt');
    id = res.body.id;
  });

  const seedExtraction = async () => {
    const text = lumenTxt.toString('utf8');
    const start = text.indexOf('The Processor shall notify');
    const clauses = await h.store.saveExtraction(id, text, [{ number: 1, start: 0, end: text.length }], [
      { type: 'breach_notification', ruleId: 'breach_notification.fixed-window', start, end: start + 160, page: 1, text: text.slice(start, start + 160), fields: {}, confidence: 0.9 },
    ]);
    await h.store.saveObligations(id, [
      {
        type: 'breach_notification',
        obligor: 'counterparty',
        beneficiary: 'us',
        action: 'notify_incident',
        trigger: 'security_incident',
        deadline: { amount: 72, unit: 'hours', qualifier: null, recurring: false },
        summary: 'Notify of a security incident within 72 hours',
        details: {},
        clauseIndex: 0,
        clauseId: clauses[0].id,
      },
    ]);
    await h.store.setStatus(id, 'done');
  };

  it('lists contracts with filters and pagination', async () => {
    await upload(h, lumenPdf, 'other.pdf', { counterparty: 'Northwind Security', role: 'provider' });
    const all = await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal));
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ total: 2, limit: 20, offset: 0 });
    const lumen = await request(h.app).get('/api/v1/contracts').query({ counterparty: 'lumen', status: 'queued', limit: '1' }).set(bearer(h.tokens.legal));
    expect(lumen.body.items.map((c: { id: string }) => c.id)).toEqual([id]);
    const done = await request(h.app).get('/api/v1/contracts?status=done').set(bearer(h.tokens.legal));
    expect(done.body.total).toBe(0);
  });

  it("lists each contract with its clause count and its scorecard's counts, 0 before it is processed", async () => {
    const other = (await upload(h, lumenPdf, 'other.pdf', { counterparty: 'Northwind Security', role: 'provider' })).body.id;
    await seedExtraction();
    const [clause] = await h.store.listClauses(id);
    const finding = (itemId: string, outcome: 'met' | 'not_met' | 'needs_review' | 'missing', clauseId: string | null) => ({
      itemId,
      title: itemId,
      clauseType: 'breach_notification',
      outcome,
      detail: `${itemId}: ${outcome}`,
      clauseId,
      value: null,
    });
    await h.store.saveFindings(id, [
      finding('incident_notice', 'met', clause.id),
      finding('incident_clock', 'needs_review', clause.id),
      finding('cyber_insurance', 'missing', null),
      finding('audit_rights', 'missing', null),
    ]);
    const res = await request(h.app).get('/api/v1/contracts').set(bearer(h.tokens.legal));
    expect(res.status).toBe(200);
    const byId = new Map(res.body.items.map((c: { id: string }) => [c.id, c]));
    expect(byId.get(id)).toMatchObject({ id, status: 'done', clauseCount: 1, findings: { met: 1, not_met: 0, needs_review: 1, missing: 2 } });
    expect(byId.get(other)).toMatchObject({ id: other, status: 'queued', clauseCount: 0, findings: { met: 0, not_met: 0, needs_review: 0, missing: 0 } });
    // the same numbers as counting the contract's own scorecard
    const scorecard = (await request(h.app).get(`/api/v1/contracts/${id}/findings`).set(bearer(h.tokens.legal))).body.items as { outcome: string }[];
    const counted = Object.fromEntries(['met', 'not_met', 'needs_review', 'missing'].map((o) => [o, scorecard.filter((f) => f.outcome === o).length]));
    expect((byId.get(id) as { findings: unknown }).findings).toEqual(counted);
  });

  it.each([
    ['limit=101', 'query.limit'],
    ['limit=0', 'query.limit'],
    ['limit=ten', 'query.limit'],
    ['offset=-1', 'query.offset'],
    ['status=deleted', 'query.status'],
    ['limit=1&limit=2', 'query.limit'],
    ['counterpart=lumen', 'counterpart'],
  ])('refuses a bad query (%s) naming the parameter', async (qs, field) => {
    const res = await request(h.app).get(`/api/v1/contracts?${qs}`).set(bearer(h.tokens.legal));
    expectProblem(res, 400, 'VALIDATION_FAILED');
    expect(res.body.detail).toContain(field);
  });

  it('shows a contract with its status, clauses and obligations', async () => {
    const queued = await request(h.app).get(`/api/v1/contracts/${id}`).set(bearer(h.tokens.responder));
    expect(queued.body).toMatchObject({ id, status: 'queued', errorCode: null, clauses: [], obligations: [] });
    await seedExtraction();
    const done = await request(h.app).get(`/api/v1/contracts/${id}`).set(bearer(h.tokens.responder));
    expect(done.status).toBe(200);
    expect(done.body.status).toBe('done');
    expect(done.body.clauses).toHaveLength(1);
    expect(done.body.obligations[0]).toMatchObject({ action: 'notify_incident', page: 1, quote: expect.stringContaining('personal data breach') });
  });

  it('shows why a contract failed', async () => {
    await h.store.setStatus(id, 'failed', { code: 'PDF_ENCRYPTED', detail: 'The PDF is password-protected.' });
    const res = await request(h.app).get(`/api/v1/contracts/${id}`).set(bearer(h.tokens.legal));
    expect(res.body).toMatchObject({ status: 'failed', errorCode: 'PDF_ENCRYPTED' });
  });

  it('returns the original bytes with the media type and a safely encoded attachment name', async () => {
    const res = await request(h.app).get(`/api/v1/contracts/${id}/file`).set(bearer(h.tokens.legal)).buffer(true).parse((r, cb) => {
      const chunks: Buffer[] = [];
      r.on('data', (c: Buffer) => chunks.push(c));
      r.on('end', () => cb(null, Buffer.concat(chunks)));
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(Buffer.compare(res.body as Buffer, lumenTxt)).toBe(0);
    const disposition = res.headers['content-disposition'];
    expect(disposition).toMatch(/^attachment; filename="Lumen _DPA_ _t_\.txt"; filename\*=UTF-8''/);
    expect(decodeURIComponent(disposition.split("UTF-8''")[1])).toBe('Lumen “DPA” été.txt');
  });

  it('returns the text and pages once extracted, and says when it is not yet', async () => {
    const early = await request(h.app).get(`/api/v1/contracts/${id}/text`).set(bearer(h.tokens.legal));
    expectProblem(early, 409, 'TEXT_NOT_READY');
    await seedExtraction();
    const res = await request(h.app).get(`/api/v1/contracts/${id}/text`).set(bearer(h.tokens.legal));
    expect(res.status).toBe(200);
    expect(res.body.text).toBe(lumenTxt.toString('utf8'));
    expect(res.body.pages).toEqual([{ number: 1, start: 0, end: lumenTxt.toString('utf8').length }]);
  });

  it("shows the contract's scorecard: each policy item's outcome, with the clause's evidence when a clause decides", async () => {
    const early = await request(h.app).get(`/api/v1/contracts/${id}/findings`).set(bearer(h.tokens.legal));
    expect(early.status).toBe(200);
    expect(early.body).toEqual({ contractId: id, status: 'queued', items: [] });
    await seedExtraction();
    const [clause] = await h.store.listClauses(id);
    await h.store.saveFindings(id, [
      { itemId: 'incident_notice', title: 'Incident notice', clauseType: 'breach_notification', outcome: 'met', detail: 'Notice within 72 hours; the policy accepts at most 72 hours.', clauseId: clause.id, value: { window: { amount: 72, unit: 'hours' } } },
      { itemId: 'cyber_insurance', title: 'Cyber insurance', clauseType: 'insurance', outcome: 'missing', detail: 'No insurance clause.', clauseId: null, value: null },
    ]);
    const res = await request(h.app).get(`/api/v1/contracts/${id}/findings`).set(bearer(h.tokens.legal));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ contractId: id, status: 'done' });
    expect(res.body.items).toEqual([
      expect.objectContaining({ itemId: 'incident_notice', outcome: 'met', clauseId: clause.id, value: { window: { amount: 72, unit: 'hours' } }, evidence: { page: 1, quote: clause.text, start: clause.start, end: clause.end } }),
      expect.objectContaining({ itemId: 'cyber_insurance', outcome: 'missing', clauseId: null, value: null, evidence: null }),
    ]);
  });

  it('drops the findings when the contract is extracted again: they refer to the old clauses', async () => {
    await seedExtraction();
    await h.store.saveFindings(id, [{ itemId: 'audit_rights', title: 'Audit rights', clauseType: 'audit_rights', outcome: 'missing', detail: 'No audit clause.', clauseId: null, value: null }]);
    await h.store.saveExtraction(id, 'New text.', [{ number: 1, start: 0, end: 9 }], []);
    const res = await request(h.app).get(`/api/v1/contracts/${id}/findings`).set(bearer(h.tokens.legal));
    expect(res.body.items).toEqual([]);
  });

  it('reprocesses: back to queued, extraction queued again, audited', async () => {
    await h.store.setStatus(id, 'failed', { code: 'NEEDS_OCR', detail: 'no text' });
    const res = await request(h.app).post(`/api/v1/contracts/${id}/reprocess`).set(bearer(h.tokens.analyst));
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id, status: 'queued' });
    expect(h.jobs.extracts).toEqual([id, id]);
    expect(await h.store.getContract(id)).toMatchObject({ status: 'queued', errorCode: null });
    expect(h.store.events.map((e) => e.action)).toContain('contract.reprocess');
  });

  it('deletes (204), then the contract is gone (404)', async () => {
    const res = await request(h.app).delete(`/api/v1/contracts/${id}`).set(bearer(h.tokens.admin));
    expect(res.status).toBe(204);
    const after = await request(h.app).get(`/api/v1/contracts/${id}`).set(bearer(h.tokens.admin));
    expectProblem(after, 404, 'CONTRACT_NOT_FOUND');
    const again = await request(h.app).delete(`/api/v1/contracts/${id}`).set(bearer(h.tokens.admin));
    expectProblem(again, 404, 'CONTRACT_NOT_FOUND');
  });

  it.each(['get /api/v1/contracts/%s', 'get /api/v1/contracts/%s/file', 'get /api/v1/contracts/%s/text', 'get /api/v1/contracts/%s/findings', 'post /api/v1/contracts/%s/reprocess', 'delete /api/v1/contracts/%s', 'get /api/v1/counterparties/%s'])(
    '%s: 400 for an id that is not a UUID, 404 for an absent one',
    async (route) => {
      const [method, template] = route.split(' ') as ['get' | 'post' | 'delete', string];
      const bad = await request(h.app)[method](template.replace('%s', 'not-a-uuid')).set(bearer(h.tokens.admin));
      expectProblem(bad, 400, 'VALIDATION_FAILED');
      expect(bad.body.detail).toContain('path.id');
      const absent = await request(h.app)[method](template.replace('%s', '00000000-0000-4000-8000-000000000000')).set(bearer(h.tokens.admin));
      expect(absent.status).toBe(404);
      expect(absent.headers['content-type']).toMatch(/^application\/problem\+json/);
    },
  );

  it('shows a counterparty with its contracts and obligations, and searches obligations with evidence', async () => {
    await seedExtraction();
    const contract = await h.store.getContract(id);
    const list = await request(h.app).get('/api/v1/counterparties?q=lumen').set(bearer(h.tokens.legal));
    expect(list.body.items).toEqual([expect.objectContaining({ id: contract!.counterpartyId, name: 'Lumen Analytics, Inc.' })]);
    const cp = await request(h.app).get(`/api/v1/counterparties/${contract!.counterpartyId}`).set(bearer(h.tokens.legal));
    expect(cp.status).toBe(200);
    expect(cp.body.contracts.map((c: { id: string }) => c.id)).toEqual([id]);
    expect(cp.body.obligations).toHaveLength(1);

    const found = await request(h.app)
      .get('/api/v1/obligations')
      .query({ counterparty: 'Lumen', action: 'notify_incident', obligor: 'counterparty', trigger: 'security_incident', type: 'breach_notification', q: 'personal data breach' })
      .set(bearer(h.tokens.legal));
    expect(found.status).toBe(200);
    expect(found.body.total).toBe(1);
    expect(found.body.items[0]).toMatchObject({ contractId: id, page: 1, quote: expect.stringContaining('personal data breach') });
    const none = await request(h.app).get('/api/v1/obligations?obligor=us').set(bearer(h.tokens.legal));
    expect(none.body.total).toBe(0);
  });
});
