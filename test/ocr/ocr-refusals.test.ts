import fs from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { isAppError } from '../../src/errors';
import { ingest } from '../../src/ingest';
import { OCR_INSTALL_COMMAND, observeOcrResources, type OcrResourceEvent, type OcrSettings } from '../../src/ingest/ocr';
import { createExtractPool } from '../../src/jobs/extract-pool';
import { scannedPdf } from '../helpers/bad-files';
import { eventually, fakeProgram, limits, ocrSettings, privateDir, processGone, QUIET_PDFTOPPM } from './ocr-helpers';

/**
 * What happens to a scan when OCR cannot run, or runs badly. None of these
 * needs Tesseract or poppler: the programs are missing on purpose or stand-in
 * scripts, so this suite runs everywhere.
 */
async function refusal(bytes: Buffer, ocr: OcrSettings | undefined): Promise<{ code: string; message: string }> {
  try {
    await ingest(bytes, { ...limits, ocr });
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.detail };
    throw err;
  }
  throw new Error('the scan was accepted');
}

let scan: Buffer;
beforeAll(async () => {
  scan = await scannedPdf(2);
});

describe('configuration', () => {
  it('OCRs scans by default with a minute per page and at most 100 pages, programs found on PATH', () => {
    expect(loadConfig({ PATH: '/opt/bin:/usr/bin' }).ocr).toEqual({
      mode: 'auto',
      tesseract: 'tesseract',
      pdftoppm: 'pdftoppm',
      searchPath: '/opt/bin:/usr/bin',
      pageTimeoutMs: 60_000,
      maxPages: 100,
    });
  });

  it('takes the switch, the limits and the program paths from the environment', () => {
    const { ocr } = loadConfig({
      PACTWATCH_OCR: 'off',
      PACTWATCH_OCR_PAGE_TIMEOUT_MS: '15000',
      PACTWATCH_OCR_MAX_PAGES: '12',
      PACTWATCH_TESSERACT: '/opt/tesseract/bin/tesseract',
      PACTWATCH_PDFTOPPM: '/opt/poppler/bin/pdftoppm',
    });
    expect(ocr).toMatchObject({ mode: 'off', pageTimeoutMs: 15_000, maxPages: 12, tesseract: '/opt/tesseract/bin/tesseract', pdftoppm: '/opt/poppler/bin/pdftoppm' });
  });

  it('stops start-up naming a bad OCR variable', () => {
    expect(() => loadConfig({ PACTWATCH_OCR: 'yes' })).toThrow(/PACTWATCH_OCR:/);
    expect(() => loadConfig({ PACTWATCH_OCR_PAGE_TIMEOUT_MS: '1m' })).toThrow(/PACTWATCH_OCR_PAGE_TIMEOUT_MS: must be a positive whole number/);
    expect(() => loadConfig({ PACTWATCH_OCR_MAX_PAGES: '0' })).toThrow(/PACTWATCH_OCR_MAX_PAGES/);
  });
});

describe('a scan when OCR cannot run', () => {
  it('says what to install when neither program is on the search path', async () => {
    const nowhere = privateDir('pw-ocr-nowhere-');
    const r = await refusal(scan, loadConfig({ PATH: nowhere }).ocr);
    expect(r.code).toBe('NEEDS_OCR');
    expect(r.message).toContain(OCR_INSTALL_COMMAND);
    expect(r.message).toMatch(/scanned/);
    expect(r.message).toMatch(/Tesseract \(tesseract\) and pdftoppm \(pdftoppm\) are not installed/);
    expect(OCR_INSTALL_COMMAND).toBe('apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils');
  });

  it('names the one program missing when its configured path leads nowhere', async () => {
    const bin = privateDir('pw-ocr-bin-');
    fakeProgram(bin, 'pdftoppm', QUIET_PDFTOPPM);
    const r = await refusal(scan, loadConfig({ PATH: bin, PACTWATCH_TESSERACT: path.join(bin, 'no-such-dir', 'tesseract') }).ocr);
    expect(r.code).toBe('NEEDS_OCR');
    expect(r.message).toMatch(/but Tesseract \(.*no-such-dir\/tesseract\) is not installed on this server\./);
    expect(r.message).toContain(OCR_INSTALL_COMMAND);
  });

  it('says OCR is turned off when PACTWATCH_OCR=off', async () => {
    const r = await refusal(scan, loadConfig({ PACTWATCH_OCR: 'off' }).ocr);
    expect(r).toEqual({ code: 'NEEDS_OCR', message: expect.stringMatching(/turned off here \(PACTWATCH_OCR=off\)/) });
  });

  it('counts Tesseract without its English data as not installed', async () => {
    const bin = privateDir('pw-ocr-bin-');
    fakeProgram(bin, 'pdftoppm', QUIET_PDFTOPPM);
    fakeProgram(bin, 'tesseract', `echo "Error opening data file /usr/share/tesseract-ocr/5/tessdata/eng.traineddata" >&2\necho "Failed loading language 'eng'" >&2\nexit 1`);
    const r = await refusal(scan, ocrSettings({ searchPath: bin, tempRoot: privateDir('pw-ocr-tmp-') }));
    expect(r.code).toBe('NEEDS_OCR');
    expect(r.message).toMatch(/English data is not installed/);
    expect(r.message).toContain(OCR_INSTALL_COMMAND);
  });
});

describe('a scan OCR cannot finish', () => {
  it('refuses a scan over the page limit before starting any program', async () => {
    const bin = privateDir('pw-ocr-bin-');
    const ran = path.join(bin, 'ran');
    fakeProgram(bin, 'pdftoppm', `: > ${ran}`);
    fakeProgram(bin, 'tesseract', `: > ${ran}`);
    const r = await refusal(scan, ocrSettings({ searchPath: bin, maxPages: 1 }));
    expect(r).toEqual({ code: 'OCR_TOO_MANY_PAGES', message: 'The PDF is a scan of 2 pages; OCR reads at most 1 (PACTWATCH_OCR_MAX_PAGES).' });
    expect(fs.existsSync(ran)).toBe(false);
  });

  it('stops a page past its time limit with OCR_TIMEOUT, kills the program and leaves no files', async () => {
    const bin = privateDir('pw-ocr-bin-');
    const tempRoot = privateDir('pw-ocr-tmp-');
    const pidFile = path.join(bin, 'pid');
    // a rasterizer that hangs
    fakeProgram(bin, 'pdftoppm', `echo $$ > ${pidFile}\nexec sleep 30`);
    fakeProgram(bin, 'tesseract', 'exit 0');
    const events: OcrResourceEvent[] = [];
    observeOcrResources((e) => events.push(e));
    const started = Date.now();
    try {
      const r = await refusal(scan, ocrSettings({ searchPath: bin, tempRoot, pageTimeoutMs: 500 }));
      expect(r).toEqual({
        code: 'OCR_TIMEOUT',
        message: 'OCR stopped: drawing page 1 took longer than 500 ms (the limit per page, PACTWATCH_OCR_PAGE_TIMEOUT_MS).',
      });
    } finally {
      observeOcrResources(null);
    }
    expect(Date.now() - started).toBeLessThan(20_000);
    const pid = Number(fs.readFileSync(pidFile, 'utf8'));
    expect(processGone(pid)).toBe(true);
    // the private folder was made under tempRoot and is gone, with the copy of the PDF in it
    const dir = events.find((e) => e.kind === 'dir');
    expect(dir && path.dirname(dir.path)).toBe(tempRoot);
    expect(fs.readdirSync(tempRoot)).toEqual([]);
    // every child and folder announced was let go
    expect(events.filter((e) => e.held).length).toBe(events.filter((e) => !e.held).length);
  });

  it('reports a program failing as OCR_FAILED with what it said, without our folder names', async () => {
    const bin = privateDir('pw-ocr-bin-');
    const tempRoot = privateDir('pw-ocr-tmp-');
    fakeProgram(bin, 'pdftoppm', 'for a; do last="$a"; done\necho "Syntax Error: Couldn\'t read xref table in $last" >&2\nexit 1');
    fakeProgram(bin, 'tesseract', 'exit 0');
    const r = await refusal(scan, ocrSettings({ searchPath: bin, tempRoot }));
    expect(r.code).toBe('OCR_FAILED');
    expect(r.message).toMatch(/^OCR failed drawing page 1 of the scan: the PDF could not be drawn as images \(pdftoppm exited with status 1: Syntax Error: Couldn't read xref table in \/page-1\)\.$/);
    expect(r.message).not.toContain(tempRoot);
    expect(fs.readdirSync(tempRoot)).toEqual([]);
  });

  it('treats a scan whose OCR text holds no words as OCR_NO_TEXT', async () => {
    const bin = privateDir('pw-ocr-bin-');
    fakeProgram(bin, 'pdftoppm', QUIET_PDFTOPPM);
    fakeProgram(bin, 'tesseract', "printf ' | _ \\n\\n-- .\\f'");
    const r = await refusal(scan, ocrSettings({ searchPath: bin, tempRoot: privateDir('pw-ocr-tmp-') }));
    expect(r.code).toBe('OCR_NO_TEXT');
    expect(r.message).toMatch(/OCR found no readable text on its 2 page\(s\)/);
  });

  it('never hands a document value to a shell: file names with shell syntax stay plain arguments', async () => {
    const bin = privateDir('pw-ocr-bin-');
    const weird = privateDir('pw-ocr-$(touch pwned) ;`id`-');
    const args = path.join(bin, 'args');
    fakeProgram(bin, 'pdftoppm', `printf '%s\\n' "$@" > ${args}\nfor a; do last="$a"; done; : > "$last.pgm"`);
    fakeProgram(bin, 'tesseract', "printf 'The Supplier shall notify the Customer within seventy-two (72) hours.\\f'");
    // (one page: the same line on every page would be dropped as a running header)
    const doc = await ingest(await scannedPdf(1), { ...limits, ocr: ocrSettings({ searchPath: bin, tempRoot: weird }) });
    expect(doc.text).toContain('within seventy-two (72) hours');
    const passed = fs.readFileSync(args, 'utf8').split('\n');
    expect(passed.some((a) => a.startsWith(weird) && a.endsWith('scan.pdf'))).toBe(true);
    expect(fs.existsSync(path.join(process.cwd(), 'pwned'))).toBe(false);
    expect(fs.existsSync(path.join(weird, 'pwned'))).toBe(false);
  });
});

describe('OCR in an extraction thread', () => {
  it('ends the OCR child and removes its folder when the thread is stopped mid-page', async () => {
    const bin = privateDir('pw-ocr-bin-');
    const seen = path.join(bin, 'seen');
    // a rasterizer that hangs well inside its time limit, after saying who it is and where it works
    fakeProgram(bin, 'pdftoppm', `for a; do last="$a"; done\necho "$$ $last" > ${seen}.tmp && mv ${seen}.tmp ${seen}\nexec sleep 60`);
    fakeProgram(bin, 'tesseract', 'exit 0');
    const pool = createExtractPool(loadConfig({ PATH: bin, PACTWATCH_LOG_LEVEL: 'silent' }), { size: 1 });
    const outcome = pool.extract(scan).catch((e: unknown) => e);
    await eventually(() => fs.existsSync(seen), 30_000);
    const [pidText, image] = fs.readFileSync(seen, 'utf8').trim().split(' ');
    const pid = Number(pidText);
    const dir = path.dirname(image);
    expect(fs.existsSync(path.join(dir, 'scan.pdf'))).toBe(true);

    await pool.close();
    expect(await outcome).toEqual(expect.objectContaining({ message: 'the extraction pool is closed' }));
    await eventually(() => processGone(pid), 5_000);
    expect(fs.existsSync(dir)).toBe(false);
  }, 60_000);
});
