/**
 * Makes a scanned copy of a fixture PDF: each page rasterized by poppler's
 * pdftoppm (black and white, 200 dpi, as an office scanner sends it), turned a
 * little off straight, and put back as a page holding only that picture. The
 * result has no text layer, so Pactwatch must OCR it. The OCR tests build
 * theirs with this at test time, so no picture-only PDF is kept in the
 * repository.
 *
 * Usage: node bin/run-ts.js scripts/make-scanned-fixture.ts <in.pdf> <out.pdf> [first-page last-page]
 * Needs pdftoppm (apt-get install poppler-utils).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import PDFDocument from 'pdfkit';

const run = promisify(execFile);

export interface ScanOptions {
  /** Scanner resolution (default 200 dpi). */
  dpi?: number;
  /** The pages to scan, 1-based and inclusive (default: all). */
  firstPage?: number;
  lastPage?: number;
  /** How far each page is turned, in degrees, alternating left and right (default 0.4). */
  skewDegrees?: number;
  /** The pdftoppm program (default: found on PATH). */
  pdftoppm?: string;
}

/** A picture-only PDF of `pdf`'s pages. */
export async function makeScannedPdf(pdf: Buffer, options: ScanOptions = {}): Promise<Buffer> {
  const dpi = options.dpi ?? 200;
  const skew = options.skewDegrees ?? 0.4;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pactwatch-scan-'));
  try {
    const input = path.join(dir, 'in.pdf');
    await fs.writeFile(input, pdf);
    const range = [
      ...(options.firstPage ? ['-f', String(options.firstPage)] : []),
      ...(options.lastPage ? ['-l', String(options.lastPage)] : []),
    ];
    await run(options.pdftoppm ?? 'pdftoppm', ['-r', String(dpi), '-mono', '-png', ...range, input, path.join(dir, 'page')], { timeout: 120_000 });
    // pdftoppm numbers its files page-1.png or page-01.png (padded to the page count's width)
    const images = (await fs.readdir(dir))
      .filter((f) => /^page-\d+\.png$/.test(f))
      .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]));
    if (images.length === 0) throw new Error('pdftoppm made no page images');

    const doc = new PDFDocument({ autoFirstPage: false, info: { Title: 'Scanned document', Creator: 'scanner', CreationDate: new Date('2026-01-15T12:00:00Z') } });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<Buffer>((resolve, reject) => {
      doc.on('end', () => resolve(Buffer.concat(chunks)));
      doc.on('error', reject);
    });
    for (const [i, name] of images.entries()) {
      const png = await fs.readFile(path.join(dir, name));
      // the page keeps the original's size: the picture's pixels at the scan resolution
      const width = (png.readUInt32BE(16) / dpi) * 72;
      const height = (png.readUInt32BE(20) / dpi) * 72;
      doc.addPage({ size: [width, height], margin: 0 });
      doc.save();
      doc.rotate(i % 2 === 0 ? skew : -skew * 0.75, { origin: [width / 2, height / 2] });
      doc.image(png, 0, 0, { width, height });
      doc.restore();
    }
    doc.end();
    return await done;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(args: string[]): Promise<void> {
  const [input, output, first, last] = args;
  if (!input || !output) {
    console.error('usage: node bin/run-ts.js scripts/make-scanned-fixture.ts <in.pdf> <out.pdf> [first-page last-page]');
    process.exitCode = 2;
    return;
  }
  const scan = await makeScannedPdf(await fs.readFile(input), {
    firstPage: first ? Number(first) : undefined,
    lastPage: last ? Number(last) : undefined,
  });
  await fs.writeFile(output, scan);
  console.log(`${output}: ${scan.length} bytes`);
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  main(process.argv.slice(2)).catch((err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
}
