import fs from 'node:fs';
import { isAppError } from '../../src/errors';
import { extractClauses, type Clause } from '../../src/extract';
import { ingest, pageAt, type TextDocument } from '../../src/ingest';
import { observeOcrResources, type OcrResourceEvent } from '../../src/ingest/ocr';
import { scannedPdf } from '../helpers/bad-files';
import { loadExpected } from '../helpers/expected-clauses';
import { projectRuleset } from '../helpers/ruleset';
import { limits, ocrSettings, privateDir, processGone, scannedLumen } from './ocr-helpers';

/**
 * A signed contract that comes back from the scanner: the first three pages of
 * the Lumen DPA fixture, rasterized at 200 dpi in black and white and turned a
 * little, with no text layer. Needs Tesseract and pdftoppm installed
 * (jest.config.js leaves this suite out without them).
 */
const PAGES = 3;
const fold = (s: string) => s.replace(/\s+/g, ' ').replace(/[’‘]/g, "'").replace(/[“”]/g, '"').trim();

let scan: Buffer;
let doc: TextDocument;
let clauses: Clause[];
const tempRoot = privateDir('pw-ocr-tmp-');

beforeAll(async () => {
  scan = await scannedLumen(1, PAGES);
  doc = await ingest(scan, { ...limits, ocr: ocrSettings({ tempRoot }) });
  clauses = extractClauses(doc, projectRuleset());
}, 120_000);

describe('a scanned contract', () => {
  it('has no text layer of its own: without OCR it is refused as a scan', async () => {
    const err = await ingest(scan, limits).catch((e: unknown) => e);
    expect(isAppError(err) && err.code).toBe('NEEDS_OCR');
  });

  it('is read into text with a page map like any PDF, and its working folder is gone', () => {
    expect(doc.format).toBe('pdf');
    expect(doc.pages.map((p) => p.number)).toEqual([1, 2, 3]);
    expect(doc.pages[0].start).toBe(0);
    expect(doc.pages[PAGES - 1].end).toBe(doc.text.length);
    for (let i = 1; i < PAGES; i++) expect(doc.pages[i].start).toBe(doc.pages[i - 1].end);
    // each page holds its own words: the title on page 1, the breach section on page 3
    const page = (n: number) => doc.text.slice(doc.pages[n - 1].start, doc.pages[n - 1].end);
    expect(page(1)).toMatch(/DATA PROCESSING ADDENDUM/);
    expect(page(3)).toMatch(/PERSONAL DATA BREACHES/);
    // running headers and "Page N of 8" footers are dropped, as for a PDF with text
    expect(doc.text).not.toMatch(/Page \d of 8/);
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });

  it("finds the 48-hour breach notice on page 3, its evidence exactly the stored text's", () => {
    const notice = clauses.find((c) => c.type === 'breach_notification' && /48 hours/.test(c.text));
    expect(notice).toBeDefined();
    expect(notice!.page).toBe(3);
    expect(doc.text.slice(notice!.start, notice!.end)).toBe(notice!.text);
    expect(pageAt(doc.pages, notice!.start)).toBe(3);
    expect(notice!.text).toMatch(/^The Processor shall notify the Controller without undue delay and in any event within 48 hours after\s+becoming aware of a personal data breach/);
    expect(notice!.fields).toMatchObject({ duration: 48, unit: 'hours', qualifier: 'without undue delay', trigger: 'awareness' });
  });

  it('finds every clause the fixture expects on the scanned pages, each on its page', () => {
    const expected = loadExpected('contracts')
      .find((f) => f.name === 'saas-dpa-lumen')!
      .clauses.filter((c) => c.page <= PAGES);
    expect(expected.length).toBeGreaterThanOrEqual(4);
    for (const e of expected) {
      const hit = clauses.find((c) => c.type === e.type && fold(c.text).includes(fold(e.quote)));
      expect({ quote: e.quote, page: hit?.page }).toEqual({ quote: e.quote, page: e.page });
    }
    for (const c of clauses) expect(doc.text.slice(c.start, c.end)).toBe(c.text);
  });
});

describe('OCR that cannot read a scan', () => {
  it('refuses a scan with no readable text as OCR_NO_TEXT, saying so', async () => {
    // pages of black bars: what a scanner gives of a blank page with its lid open
    const err = await ingest(await scannedPdf(2), { ...limits, ocr: ocrSettings({ tempRoot }) }).catch((e: unknown) => e);
    expect(isAppError(err) && { code: err.code, detail: err.detail }).toEqual({
      code: 'OCR_NO_TEXT',
      detail: expect.stringMatching(/^The PDF looks scanned, and OCR found no readable text on its 2 page\(s\)/),
    });
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  }, 60_000);

  it('stops a page at its time limit with OCR_TIMEOUT, leaving no process or file behind', async () => {
    const events: OcrResourceEvent[] = [];
    observeOcrResources((e) => events.push(e));
    let err: unknown;
    try {
      // drawing a page and reading it each take far longer than 50 ms
      err = await ingest(scan, { ...limits, ocr: ocrSettings({ tempRoot, pageTimeoutMs: 50 }) }).catch((e: unknown) => e);
    } finally {
      observeOcrResources(null);
    }
    expect(isAppError(err) && { code: err.code, detail: err.detail }).toEqual({
      code: 'OCR_TIMEOUT',
      detail: expect.stringMatching(/^OCR stopped: (drawing|reading) page 1 took longer than 50 ms \(the limit per page, PACTWATCH_OCR_PAGE_TIMEOUT_MS\)\.$/),
    });
    const pids = events.flatMap((e) => (e.kind === 'process' && e.held ? [e.pid] : []));
    expect(pids.length).toBeGreaterThan(0);
    for (const pid of pids) expect(processGone(pid)).toBe(true);
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });
});
