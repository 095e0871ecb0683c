/// <reference lib="dom" />
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { type AddressInfo } from 'node:net';
import { type Server } from 'node:http';
import path from 'node:path';
import { type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { serviceModes, startService, type Service } from '../integration/service-harness';
import { findProgram } from '../../src/ingest/ocr';
import { scannedPdf } from '../helpers/bad-files';
import { eventually, launchChromium, README_SHOTS, shotPath } from './browser';

// The pages as a user works them, in a real browser against the whole service:
// an analyst uploads a PDF and reviews it, legal searches obligations, a responder
// declares an incident and works its deadlines. On PostgreSQL and BullMQ when
// CI configures them, else on the embedded database.
const [modeName, env] = serviceModes().at(-1)!;
const FIXTURE = path.resolve(__dirname, '..', '..', 'fixtures', 'contracts', 'saas-dpa-lumen.pdf');
const COUNTERPARTY = 'Lumen Analytics Ltd';
const README = process.env.PACTWATCH_README_SCREENSHOTS === '1';
/** With Tesseract the blank scan is read and found empty; without it the service asks for OCR. */
let ocrInstalled = false;

jest.setTimeout(240_000);

let service: Service;
let server: Server;
let base: string;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  service = await startService(env);
  server = service.app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await launchChromium();
  const found = await Promise.all(['tesseract', 'pdftoppm'].map((bin) => findProgram(bin, process.env.PATH ?? '')));
  ocrInstalled = found.every(Boolean);
});

afterAll(async () => {
  for (const c of contexts) await c.close();
  await browser?.close();
  await new Promise((r) => server?.close(r));
  await service?.close();
});

async function signedIn(role: 'analyst' | 'legal' | 'responder', viewport = { width: 1280, height: 860 }): Promise<Page> {
  const context = await browser.newContext({ viewport, acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(err.message));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(msg.text());
  });
  (page as Page & { problems: string[] }).problems = problems;
  await page.goto(base);
  await page.getByLabel('API token').fill(await service.token(role));
  await page.getByRole('button', { name: 'Sign in' }).click();
  await eventually(async () => expect(await page.locator('#who').innerText()).toMatch(text(role)));
  return page;
}

/** Every form control on the page has a name a screen reader can say. */
async function unlabelledControls(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => {
        const control = el as HTMLInputElement;
        return !(control.labels?.length || control.getAttribute('aria-label') || control.getAttribute('aria-labelledby'));
      })
      .map((el) => el.outerHTML.slice(0, 120)),
  );
}

async function screenshot(page: Page, name: string, readme?: string): Promise<void> {
  const file = shotPath(name);
  await page.screenshot({ path: file, fullPage: false });
  if (README && readme) {
    mkdirSync(README_SHOTS, { recursive: true });
    copyFileSync(file, path.join(README_SHOTS, `${readme}.png`));
  }
}

let contractId = '';

/** A string to find in the text, or a pattern. */
const text = (t: string | RegExp) => (typeof t === 'string' ? new RegExp(t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : t);
const exactly = (t: string | RegExp) => (typeof t === 'string' ? new RegExp(`^${t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : t);

/** Whether any part of the element is inside the window. */
function inViewport(locator: Locator): Promise<boolean> {
  return locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.bottom > 0 && r.top < window.innerHeight && r.right > 0 && r.left < window.innerWidth;
  });
}

describe(`the pages (${modeName})`, () => {
  test('an analyst uploads a PDF, waits for it, and reviews its highlighted clauses and scorecard', async () => {
    expect(existsSync(FIXTURE)).toBe(true);
    const page = await signedIn('analyst');
    await page.getByRole('heading', { name: 'Contracts', level: 1 }).waitFor({ state: 'visible' });
    expect(await unlabelledControls(page)).toEqual([]);

    await page.getByLabel('Choose files…').setInputFiles(FIXTURE);
    await page.getByLabel('Counterparty', { exact: true }).first().fill(COUNTERPARTY);
    await page.getByLabel('Our role').selectOption('customer');
    await page.getByLabel('Kind (optional)').fill('Data processing agreement');
    await page.getByRole('button', { name: 'Upload', exact: true }).click();

    const uploaded = page.locator('.upload-progress li', { hasText: 'saas-dpa-lumen.pdf' });
    await eventually(async () => expect(await uploaded.innerText()).toMatch(text('uploaded')));
    await eventually(async () => expect(await uploaded.locator('progress').getAttribute('value')).toBe('100'));
    const row = page.locator('tbody tr', { hasText: 'saas-dpa-lumen.pdf' });
    await eventually(async () => expect(await row.getAttribute('data-status')).toBe('done'), 150_000);
    await eventually(async () => expect(await row.innerText()).toMatch(text(COUNTERPARTY)));
    await eventually(async () => expect(await row.innerText()).toMatch(text('Data processing agreement')));
    // the policy check found what this DPA lacks: no cyber insurance clause, and no carve-out of data breach from the cap
    await eventually(async () => expect(await row.innerText()).toMatch(text('1 not met')));
    await eventually(async () => expect(await row.innerText()).toMatch(text('1 missing')));
    await screenshot(page, 'contracts', 'contracts');

    await row.getByRole('link', { name: 'saas-dpa-lumen.pdf' }).click();
    contractId = page.url().split('#/contracts/')[1];
    await page.getByRole('heading', { name: 'saas-dpa-lumen.pdf', level: 1 }).waitFor({ state: 'visible' });

    // the breach-notice clause is highlighted in the text, on its page
    const notice = page.locator('mark.hl[data-type="breach_notification"]', { hasText: 'within 48 hours after becoming aware' });
    await notice.first().waitFor({ state: 'visible' });
    await screenshot(page, 'review', 'review');
    const noticePage = await notice.first().evaluate((el) => el.closest('.page-block')?.getAttribute('data-page'));
    expect(noticePage).toBe('3');
    await eventually(async () => expect(await page.locator('.page-block[data-page="3"] .page-no').innerText()).toMatch(exactly('p. 3')));

    // the scorecard: the 72-hour notice item is met by that clause; cyber insurance is missing
    const incidentItem = page.locator('.finding[data-item="incident-notice-72h"]');
    await eventually(async () => expect(await incidentItem.innerText()).toMatch(text('Met')));
    await eventually(async () => expect(await incidentItem.innerText()).toMatch(text('48 hours')));
    await eventually(async () => expect(await page.locator('.finding[data-item="cyber-insurance-5m"]').innerText()).toMatch(text('Missing')));
    await eventually(async () => expect(await page.locator('.finding[data-item="carve-out-data-breach-confidentiality"]').innerText()).toMatch(text('Not met')));

    // from the keyboard: the finding's button moves focus to its evidence in the text
    const jump = incidentItem.getByRole('button', { name: /Show the clause/ });
    await jump.focus();
    await page.keyboard.press('Enter');
    await eventually(async () => expect(await notice.first().getAttribute('class')).toMatch(/focus/));
    await eventually(async () => expect(await inViewport(notice.first())).toBe(true));
    expect(await page.evaluate(() => document.activeElement?.id ?? '')).toMatch(/^c-/);

    // the side panel lists the clause with its normalized value
    await eventually(async () => expect(await page.locator('.clause-group', { hasText: 'Breach notification' }).first().innerText()).toMatch(text('48 hours')));
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'review-evidence');

    // a narrow window: one column, nothing cut off sideways
    await page.setViewportSize({ width: 420, height: 900 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'review-narrow');
    expect((page as Page & { problems: string[] }).problems).toEqual([]);
  });

  test('legal searches obligations by counterparty and follows one into the contract', async () => {
    expect(contractId).not.toBe('');
    const page = await signedIn('legal');
    await page.getByRole('link', { name: 'Obligations' }).click();
    await page.getByLabel('Counterparty').fill('lumen');
    await page.getByLabel('Words').fill('notify');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByRole('heading', { name: /obligations? found/ }).waitFor({ state: 'visible' });
    const hit = page.locator('.result', { hasText: 'within 48 hours after becoming aware' }).first();
    await eventually(async () => expect(await hit.innerText()).toMatch(text(COUNTERPARTY)));
    await eventually(async () => expect(await hit.locator('blockquote').innerText()).toMatch(text('The Processor shall notify the Controller')));
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'obligations', 'obligations');

    const download = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Export CSV' }).click();
    const csvFile = await (await download).path();
    const csv = readFileSync(csvFile, 'utf8');
    expect(csv).toContain('within 48 hours after becoming aware');

    await hit.getByRole('link', { name: /Open in the contract, page 3/ }).click();
    await page.getByRole('heading', { name: 'saas-dpa-lumen.pdf', level: 1 }).waitFor({ state: 'visible' });
    await eventually(async () => expect(await inViewport(page.locator('mark.hl.focus').first())).toBe(true));
    // legal reads but does not re-process
    await eventually(async () => expect(await page.getByRole('button', { name: 'Re-process' }).count()).toBe(0));
    expect((page as Page & { problems: string[] }).problems).toEqual([]);
  });

  test('a responder declares an incident, sees the 72-hour deadline with its source and marks it done', async () => {
    const page = await signedIn('responder');
    await page.getByRole('link', { name: 'Incidents' }).click();
    await page.getByRole('link', { name: 'Declare an incident' }).click();
    await page.getByLabel('Title').fill('Lumen reports unauthorized access to the analytics cluster');
    await page.getByLabel('Where').selectOption('vendor');
    await page.getByLabel('Status').selectOption('confirmed');
    await page.getByLabel('Our role toward the data').selectOption('controller');
    await page.getByLabel('Time zone').selectOption('UTC');
    // aware an hour ago, to the minute
    const aware = new Date(Math.floor((Date.now() - 3_600_000) / 60_000) * 60_000);
    await page.getByLabel('We became aware').fill(aware.toISOString().slice(0, 16));
    await page.getByRole('checkbox', { name: COUNTERPARTY }).check();
    await page.getByRole('checkbox', { name: 'Personal data', exact: true }).check();
    await page.getByRole('checkbox', { name: 'EU', exact: true }).check();
    expect(await unlabelledControls(page)).toEqual([]);
    await screenshot(page, 'declare');
    await page.getByRole('button', { name: 'Declare and compute deadlines' }).click();

    await page.getByRole('heading', { name: 'Deadline board' }).waitFor({ state: 'visible' });
    const authority = page.locator('.deadline', { hasText: 'Notify the supervisory authority' });
    await eventually(async () => expect(await authority.count()).toBe(1));
    // 72 hours after awareness, from GDPR Art. 33(1)
    const due = new Date(aware.getTime() + 72 * 3_600_000).toISOString();
    await eventually(async () => expect(await authority.locator('time').getAttribute('datetime')).toBe(due));
    await eventually(async () => expect(await authority.locator('.source').innerText()).toMatch(text('GDPR Art. 33(1)')));
    await eventually(async () => expect(await authority.locator('.countdown').innerText()).toMatch(exactly(/^in 2 d 2[23] h/)));
    // the vendor's own 48-hour duty, quoted from the contract
    const vendorNotice = page.locator('.deadline', { hasText: 'within 48 hours' }).first();
    await eventually(async () => expect(await vendorNotice.locator('blockquote').innerText()).toMatch(text('The Processor shall notify the Controller')));
    await page.getByRole('heading', { name: 'Communication plan' }).waitFor({ state: 'visible' });
    await page.locator('.draft').first().waitFor({ state: 'visible' });
    await screenshot(page, 'incident', 'incident');

    await authority.getByText('Settle this deadline').click();
    await authority.getByLabel('Note (what was sent, to whom)').fill('Filed on the DPC portal, reference 4471');
    await authority.getByRole('button', { name: 'Mark done' }).click();
    const settled = page.locator('.deadline', { hasText: 'Notify the supervisory authority' });
    await eventually(async () => expect(await settled.getAttribute('data-status')).toBe('done'));
    await eventually(async () => expect(await settled.innerText()).toMatch(text('Filed on the DPC portal, reference 4471')));
    await eventually(async () => expect(await settled.locator('.countdown').innerText()).toMatch(exactly('')));

    // what the API holds agrees with the board
    const token = await service.token('responder');
    const incidentId = page.url().split('#/incidents/')[1];
    const res = await fetch(`${base}/api/v1/incidents/${incidentId}/deadlines`, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as { items: { title: string; status: string; note: string | null }[] };
    const stored = body.items.find((d) => d.title.startsWith('Notify the supervisory authority'));
    expect(stored).toMatchObject({ status: 'done', note: 'Filed on the DPC portal, reference 4471' });

    const ics = page.waitForEvent('download');
    await page.getByRole('button', { name: 'Download ICS' }).click();
    expect((await ics).suggestedFilename()).toMatch(/\.ics$/);
    await screenshot(page, 'incident-done');
    expect((page as Page & { problems: string[] }).problems).toEqual([]);
  });

  test('a deadline whose time has passed is shown overdue, in red, on a narrow window too', async () => {
    const token = await service.token('responder');
    const aware = new Date(Date.now() - 5 * 86_400_000);
    const res = await fetch(`${base}/api/v1/incidents`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ title: 'Laptop theft reported late', origin: 'ours', status: 'confirmed', awareAt: aware.toISOString(), dataCategories: ['personal_data'], jurisdictions: ['EU'], ourDataRole: 'controller', timeZone: 'Europe/Dublin' }),
    });
    expect(res.status).toBe(201);
    const { id } = (await res.json()) as { id: string };

    const page = await signedIn('responder', { width: 420, height: 900 });
    await page.goto(`${base}/#/incidents/${id}`);
    const authority = page.locator('.deadline', { hasText: 'Notify the supervisory authority' });
    await eventually(async () => expect(await authority.getAttribute('data-status')).toBe('missed'));
    expect(await authority.getAttribute('class')).toMatch(/\boverdue\b/);
    await eventually(async () => expect(await authority.locator('.countdown').innerText()).toMatch(/^overdue by 2 d/));
    const colour = await authority.locator('.countdown').evaluate((el) => getComputedStyle(el).color);
    expect(colour).toBe('rgb(180, 35, 24)');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'incident-overdue-narrow');
  });

  test('a scan with no readable text fails and the list says why', async () => {
    const token = await service.token('analyst');
    const form = new FormData();
    form.append('counterparty', 'Scanned Vendor Inc');
    form.append('role', 'customer');
    // a PDF with pages of blank bars and no text layer: OCR (or its absence) finds nothing to read
    form.append('file', new Blob([new Uint8Array(await scannedPdf())], { type: 'application/pdf' }), 'scan.pdf');
    const res = await fetch(`${base}/api/v1/contracts`, { method: 'POST', body: form, headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(202);

    const page = await signedIn('analyst');
    const row = page.locator('tbody tr', { hasText: 'scan.pdf' });
    await eventually(async () => expect(await row.getAttribute('data-status')).toBe('failed'), 150_000);
    await eventually(async () => expect(await row.locator('.reason').innerText()).toMatch(ocrInstalled ? /no readable text/i : /needs OCR/i));
  });
});
