import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type OcrSettings } from '../../src/ingest/ocr';
import { makeScannedPdf } from '../../scripts/make-scanned-fixture';
import { FIXTURES_DIR } from '../helpers/expected-clauses';

export const limits = { maxFileBytes: 50 * 1024 * 1024, maxUnpackedBytes: 64 * 1024 * 1024 };

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

/** A private folder for one test, removed after the suite. */
export function privateDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

/** OCR settings as the defaults give them, with the working folders made under `tempRoot`. */
export function ocrSettings(over: Partial<OcrSettings> = {}): OcrSettings {
  return {
    mode: 'auto',
    tesseract: 'tesseract',
    pdftoppm: 'pdftoppm',
    searchPath: process.env.PATH || '/usr/local/bin:/usr/bin:/bin',
    pageTimeoutMs: 60_000,
    maxPages: 100,
    ...over,
  };
}

/**
 * Stand-in programs named tesseract and pdftoppm, written as shell scripts
 * into `dir`: `body` is the script after its first line. They get the
 * children's environment (PATH is only `dir`), so they set their own.
 */
export function fakeProgram(dir: string, name: 'tesseract' | 'pdftoppm', body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!/bin/sh\nPATH=/usr/bin:/bin\n${body}\n`, { mode: 0o755 });
  return file;
}

/** A pdftoppm that draws nothing but the empty image file its caller expects (its last argument + .pgm). */
export const QUIET_PDFTOPPM = 'for a; do last="$a"; done; : > "$last.pgm"';

/** Is process `pid` gone (exited, or killed and left unreaped)? */
export function processGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return true;
  }
  try {
    // a killed child whose parent thread is gone is never reaped: a zombie holds no resources
    return /^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

export async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

export const LUMEN_PDF = path.join(FIXTURES_DIR, 'contracts', 'saas-dpa-lumen.pdf');

/** Pages `firstPage` to `lastPage` of the Lumen DPA fixture as a scan (no text layer). */
export function scannedLumen(firstPage: number, lastPage: number): Promise<Buffer> {
  return makeScannedPdf(fs.readFileSync(LUMEN_PDF), { firstPage, lastPage });
}
