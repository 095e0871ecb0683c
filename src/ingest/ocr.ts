/**
 * Reads a scanned PDF (no text layer) with OCR: poppler's pdftoppm draws each
 * page as an image and Tesseract reads the image, one child process each, page
 * by page. Both are optional at run time: without them a scan is refused with
 * NEEDS_OCR and a message saying what to install.
 *
 * Children are started with an argument array (never a shell), a minimal
 * environment and a time limit each; the PDF and the page images live in a
 * private folder (mkdtemp, mode 0700) removed afterwards. When this runs in an
 * extraction thread, the thread can be terminated mid-page (a job abort or
 * shutdown) and no `finally` runs: the children and the folder are announced
 * through observeOcrResources so the thread's owner can end and remove them.
 */
import { spawn } from 'node:child_process';
import { constants as fsConstants, rmSync } from 'node:fs';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ingestError } from './ingest-errors';
import { linesOfText, rebuildPdfText, type PdfLine, type RebuiltText } from './pdf-layout';

export interface OcrSettings {
  /** `auto`: OCR scans when Tesseract and pdftoppm are installed; `off`: refuse scans with NEEDS_OCR. */
  readonly mode: 'auto' | 'off';
  /** The Tesseract program: a path, or a name looked up in `searchPath`. */
  readonly tesseract: string;
  /** poppler's pdftoppm: a path, or a name looked up in `searchPath`. */
  readonly pdftoppm: string;
  /** Folders searched for the programs, `:`-separated (PATH). */
  readonly searchPath: string;
  /** Time limit of each child process (drawing one page, reading one page), in ms. */
  readonly pageTimeoutMs: number;
  /** Longest scan OCRed, in pages. */
  readonly maxPages: number;
  /** Where the private working folder is made (default: the system's temporary folder). */
  readonly tempRoot?: string;
}

export const OCR_INSTALL_COMMAND = 'apt-get install tesseract-ocr tesseract-ocr-eng poppler-utils';

/** Below this many letters in the whole OCR text, the scan is taken to hold no readable text. */
const MIN_OCR_LETTERS = 25;
/** Long side of a page image, in pixels: a Letter page at 300 dpi, what Tesseract reads best; also bounds the image of a huge page. */
const PAGE_IMAGE_LONG_SIDE = 3300;
/** Most text one page's OCR may print (a dense page is under 10 kB). */
const MAX_PAGE_TEXT_BYTES = 4 * 1024 * 1024;
const TEMP_PREFIX = 'pactwatch-ocr-';

// ---------------------------------------------------------------------------
// Children and folders in use, for whoever must clean up after a terminated thread

export type OcrResource = { kind: 'process'; pid: number } | { kind: 'dir'; path: string };
export type OcrResourceEvent = OcrResource & { held: boolean };

let observer: ((event: OcrResourceEvent) => void) | null = null;

/** Called with every child started or ended and every working folder made or removed (one observer per thread). */
export function observeOcrResources(fn: ((event: OcrResourceEvent) => void) | null): void {
  observer = fn;
}

function announce(event: OcrResourceEvent): void {
  try {
    observer?.(event);
  } catch {
    // an observer's fault must not fail the OCR
  }
}

/**
 * Ends the children and removes the folders a terminated thread left behind.
 * Synchronous, so it can run from an exit handler. Only folders this module
 * makes (its prefix) are removed.
 */
export function reclaimOcrResources(resources: Iterable<OcrResource>): void {
  for (const r of resources) {
    if (r.kind === 'process') {
      try {
        process.kill(r.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    } else if (path.basename(r.path).startsWith(TEMP_PREFIX)) {
      rmSync(r.path, { recursive: true, force: true });
    }
  }
}

// ---------------------------------------------------------------------------

/** `name` as an executable file: itself when it names a folder, else the first match in `searchPath`; null when there is none. */
export async function findProgram(name: string, searchPath: string): Promise<string | null> {
  const candidates = name.includes('/') ? [path.resolve(name)] : searchPath.split(':').filter((d) => d !== '').map((d) => path.resolve(d, name));
  for (const file of candidates) {
    try {
      await fs.access(file, fsConstants.X_OK);
      if ((await fs.stat(file)).isFile()) return file;
    } catch {
      // not here
    }
  }
  return null;
}

class ProgramMissing extends Error {}

interface RunResult {
  stdout: string;
  stderr: string;
}

/**
 * Runs `program` with `args` (no shell), killing it when it outlives the page
 * time limit. Resolves with its output when it exits 0; rejects with an
 * AppError on a time-out or runaway output, with ProgramMissing when it cannot
 * be started, and with an Error carrying its stderr when it fails.
 */
function run(program: string, args: string[], settings: OcrSettings, what: string): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      // what the programs need and nothing of ours (no database URLs, no secrets);
      // one OpenMP thread: on a shared 2-core machine Tesseract's threads fight
      // each other and a page took three times as long
      env: { PATH: settings.searchPath, OMP_THREAD_LIMIT: '1', LC_ALL: 'C' },
      windowsHide: true,
    });
    const pid = child.pid;
    if (pid !== undefined) announce({ kind: 'process', pid, held: true });
    const out: Buffer[] = [];
    let outBytes = 0;
    let err = '';
    let timedOut = false;
    let tooLong = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, settings.pageTimeoutMs);
    child.stdout.on('data', (chunk: Buffer) => {
      outBytes += chunk.length;
      if (outBytes > MAX_PAGE_TEXT_BYTES) {
        tooLong = true;
        child.kill('SIGKILL');
      } else out.push(chunk);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      if (err.length < 16_384) err += chunk.toString('utf8');
    });
    let finished = false;
    const finish = () => {
      if (finished) return false;
      finished = true;
      clearTimeout(timer);
      if (pid !== undefined) announce({ kind: 'process', pid, held: false });
      return true;
    };
    const timeoutError = () =>
      ingestError('OCR_TIMEOUT', `OCR stopped: ${what} took longer than ${seconds(settings.pageTimeoutMs)} (the limit per page, PACTWATCH_OCR_PAGE_TIMEOUT_MS).`);
    // on a time-out, do not wait for the output pipes to close (a grandchild could hold them open)
    child.on('exit', () => {
      if (timedOut && finish()) reject(timeoutError());
    });
    child.on('error', (e: NodeJS.ErrnoException) => {
      if (!finish()) return;
      if (e.code === 'ENOENT' || e.code === 'EACCES') reject(new ProgramMissing(program));
      else reject(e);
    });
    child.on('close', (code, signal) => {
      if (!finish()) return;
      if (timedOut) {
        reject(timeoutError());
      } else if (tooLong) {
        reject(ingestError('OCR_FAILED', `OCR failed: ${what} printed more than ${MAX_PAGE_TEXT_BYTES} bytes of text.`));
      } else if (code !== 0) {
        reject(Object.assign(new Error(`${path.basename(program)} ${signal ? `was stopped by ${signal}` : `exited with status ${code}`}`), { stderr: err, what }));
      } else {
        resolve({ stdout: Buffer.concat(out).toString('utf8'), stderr: err });
      }
    });
  });
}

const seconds = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`);

function needsOcr(scan: ScanFacts, reason?: string): Error {
  const facts = `The PDF has no usable text layer (${scan.letters} letters on ${scan.pageCount} page(s)); it looks scanned and needs OCR`;
  return ingestError('NEEDS_OCR', reason ? `${facts}, ${reason}` : `${facts}.`);
}

const notInstalled = (what: string) =>
  `but ${what}. Install Tesseract with its English data and poppler's pdftoppm (on Debian or Ubuntu: \`${OCR_INSTALL_COMMAND}\`), then reprocess the contract.`;

/** The last meaningful line a failed program printed, short and without our paths. */
function lastWords(stderr: string, dir: string): string {
  const lines = stderr.split('\n').map((l) => l.split(dir).join('').trim()).filter((l) => l !== '' && !/^(Warning|Estimating|Detected)/i.test(l));
  return (lines[lines.length - 1] ?? '').slice(0, 200);
}

/** What the text layer said about the scan. */
export interface ScanFacts {
  pageCount: number;
  /** Letters found in its text layer. */
  letters: number;
}

/**
 * The text of a scanned PDF read by OCR, with its page map, rebuilt into
 * paragraphs like any PDF's text (running headers, page numbers and
 * line-end hyphens handled the same way). Refusals: NEEDS_OCR (OCR off or not
 * installed), OCR_TOO_MANY_PAGES, OCR_TIMEOUT, OCR_FAILED, OCR_NO_TEXT.
 */
export async function ocrScannedPdf(bytes: Buffer, scan: ScanFacts, settings: OcrSettings | undefined): Promise<RebuiltText> {
  if (!settings) throw needsOcr(scan);
  if (settings.mode === 'off') throw needsOcr(scan, 'and OCR is turned off here (PACTWATCH_OCR=off).');
  const [tesseract, pdftoppm] = await Promise.all([findProgram(settings.tesseract, settings.searchPath), findProgram(settings.pdftoppm, settings.searchPath)]);
  const missing = [tesseract ? null : `Tesseract (${settings.tesseract})`, pdftoppm ? null : `pdftoppm (${settings.pdftoppm})`].filter(Boolean);
  if (!tesseract || !pdftoppm) throw needsOcr(scan, notInstalled(`${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not installed on this server`));
  if (scan.pageCount > settings.maxPages) {
    throw ingestError(
      'OCR_TOO_MANY_PAGES',
      `The PDF is a scan of ${scan.pageCount} pages; OCR reads at most ${settings.maxPages} (PACTWATCH_OCR_MAX_PAGES).`,
    );
  }

  const dir = await fs.mkdtemp(path.join(settings.tempRoot ?? os.tmpdir(), TEMP_PREFIX));
  announce({ kind: 'dir', path: dir, held: true });
  try {
    const input = path.join(dir, 'scan.pdf');
    await fs.writeFile(input, bytes, { mode: 0o600 });
    const pages: PdfLine[][] = [];
    for (let n = 1; n <= scan.pageCount; n++) {
      const image = path.join(dir, `page-${n}`);
      // grey PGM: three times cheaper to write than PNG (no compression), and Tesseract reads it as fast
      await run(pdftoppm, ['-q', '-gray', '-scale-to', String(PAGE_IMAGE_LONG_SIDE), '-f', String(n), '-l', String(n), '-singlefile', input, image], settings, `drawing page ${n}`).catch(
        (err: unknown) => rethrow(err, dir, `drawing page ${n} of the scan`, 'the PDF could not be drawn as images'),
      );
      const { stdout } = await run(tesseract, [`${image}.pgm`, 'stdout', '-l', 'eng', '--psm', '3'], settings, `reading page ${n}`).catch((err: unknown) =>
        rethrow(err, dir, `reading page ${n}`, 'Tesseract could not read the page'),
      );
      await fs.rm(`${image}.pgm`, { force: true });
      // Tesseract ends each page with a form feed
      pages.push(linesOfText(stdout.replace(/\f/g, '').replace(/\r\n?/g, '\n')));
    }
    const rebuilt = rebuildPdfText(pages);
    const letters = (rebuilt.text.match(/[A-Za-z\u00C0-\u024F]/g) ?? []).length;
    if (letters < MIN_OCR_LETTERS) {
      throw ingestError(
        'OCR_NO_TEXT',
        `The PDF looks scanned, and OCR found no readable text on its ${scan.pageCount} page(s) (${letters} letters): the scan may be blank, a picture, or too faint or blurred to read. Upload a clearer scan or a PDF with text.`,
      );
    }
    return rebuilt;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
    announce({ kind: 'dir', path: dir, held: false });
  }
}

function rethrow(err: unknown, dir: string, step: string, failure: string): never {
  if (err instanceof ProgramMissing) {
    throw ingestError('NEEDS_OCR', `The PDF looks scanned and needs OCR, ${notInstalled(`${path.basename(err.message)} could not be started`)}`);
  }
  const stderr = (err as { stderr?: unknown }).stderr;
  if (typeof stderr === 'string') {
    // Tesseract without its English data is OCR not installed, not a bad document
    if (/Failed loading language|Error opening data file|tessdata/i.test(stderr)) {
      throw ingestError('NEEDS_OCR', `The PDF looks scanned and needs OCR, ${notInstalled("Tesseract's English data is not installed")}`);
    }
    const said = lastWords(stderr, dir);
    throw ingestError('OCR_FAILED', `OCR failed ${step}: ${failure} (${(err as Error).message}${said ? `: ${said}` : ''}).`);
  }
  throw err;
}
