import request from 'supertest';
import { OCR_INSTALL_COMMAND } from '../../src/ingest/ocr';
import { type ClauseBody, serviceModes, startService, type Service } from '../integration/service-harness';
import { privateDir, scannedLumen } from './ocr-helpers';

/**
 * An analyst uploads a signed contract that was scanned: the service OCRs it
 * in its extraction threads and the contract ends `done` with its clauses, as
 * a PDF with text would. Needs Tesseract and pdftoppm installed (jest.config.js
 * leaves this suite out without them).
 */

// pages 2 and 3 of the Lumen DPA: two pages keep the suite quick, and the breach notice is on the scan's second page
let scan: Buffer;
beforeAll(async () => {
  scan = await scannedLumen(2, 3);
}, 60_000);

const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const upload = (svc: Service, token: string, counterparty: string) =>
  request(svc.app).post('/api/v1/contracts').set(auth(token)).field('counterparty', counterparty).field('role', 'customer').attach('file', scan, 'signed-dpa-scan.pdf');

describe.each(serviceModes())('%s', (_mode, env) => {
  let svc: Service;
  let analyst: string;
  beforeAll(async () => {
    // the programs are looked for where this test run finds them (jest.config.js checks PATH)
    svc = await startService({ ...env, ...(process.env.PATH ? { PATH: process.env.PATH } : {}) });
    analyst = await svc.token('analyst');
  }, 60_000);
  afterAll(() => svc.close());

  it('reads an uploaded scan into clauses with their pages, and derives the breach notice obligation', async () => {
    const res = await upload(svc, analyst, 'Lumen Analytics Ltd').expect(202);
    const contract = await svc.settled(res.body.id, analyst, 90_000);
    expect({ status: contract.status, errorCode: contract.errorCode }).toEqual({ status: 'done', errorCode: null });

    const clauses = contract.clauses as ClauseBody[];
    const { body: stored } = await request(svc.app).get(`/api/v1/contracts/${res.body.id}/text`).set(auth(analyst)).expect(200);
    expect(stored.pages.map((p: { number: number }) => p.number)).toEqual([1, 2]);
    for (const c of clauses) expect(stored.text.slice(c.start, c.end)).toBe(c.text);
    const notice = clauses.find((c) => c.type === 'breach_notification' && /within 48 hours after\s+becoming aware/.test(c.text));
    expect(notice?.page).toBe(2);
    expect(clauses.find((c) => c.type === 'log_or_record_retention')?.text).toMatch(/for a minimum of 12 months/);

    const obligations = contract.obligations as { action: string; obligor: string; page: number; deadline: { amount: number; unit: string } }[];
    expect(obligations.find((o) => o.action === 'notify_incident')).toMatchObject({ obligor: 'counterparty', page: 2, deadline: { amount: 48, unit: 'hours' } });
  }, 120_000);
});

describe('a service without the OCR programs', () => {
  let svc: Service;
  let analyst: string;
  beforeAll(async () => {
    svc = await startService({ PATH: privateDir('pw-ocr-nowhere-') });
    analyst = await svc.token('analyst');
  }, 60_000);
  afterAll(() => svc.close());

  it('fails an uploaded scan with NEEDS_OCR, saying what to install', async () => {
    const res = await upload(svc, analyst, 'Scan Without OCR Ltd').expect(202);
    const contract = (await svc.settled(res.body.id, analyst)) as unknown as { status: string; errorCode: string; errorDetail: string };
    expect(contract).toMatchObject({ status: 'failed', errorCode: 'NEEDS_OCR' });
    expect(contract.errorDetail).toContain(OCR_INSTALL_COMMAND);
  }, 60_000);
});
