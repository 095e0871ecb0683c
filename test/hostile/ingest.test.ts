import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { loadConfig, ConfigError } from '../../src/config';
import { isAppError } from '../../src/errors';
import { extractFile } from '../../src/extract-file';
import { ingest, type IngestLimits } from '../../src/ingest';
import {
  docxBytes,
  externalRefsDocx,
  flateBombPdf,
  pdfBytes,
  pdfStream,
  plainRawPdf,
  pngImage,
  rawPdf,
  SAMPLE_SENTENCE,
  textPdf,
  wordXml,
} from '../helpers/bad-files';
import { projectRuleset } from '../helpers/ruleset';

/**
 * Hostile files at the ingest level, beside test/ingest/ingest-errors.test.ts
 * (which has the ordinary broken files): the new limits and what they count,
 * references to the outside world, and names that lie about the format.
 */
const MiB = 1024 * 1024;
const limits: IngestLimits = { maxFileBytes: 50 * MiB, maxUnpackedBytes: 64 * MiB };

async function refusal(bytes: Buffer, lim: IngestLimits = limits): Promise<{ code: string; message: string }> {
  try {
    await ingest(bytes, lim);
  } catch (err) {
    if (isAppError(err)) return { code: err.code, message: err.detail };
    throw err;
  }
  throw new Error('the document was accepted');
}

describe('references to the outside world', () => {
  let server: http.Server;
  let requests: string[];
  let dir: string;
  beforeAll(async () => {
    requests = [];
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.end('fetched');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactwatch-refs-'));
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a DOCX linking an image, a template, a sub-document, a chunk and an object elsewhere is read without fetching any', async () => {
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // A named pipe: opening it to read would block until a writer came, so a reader that
    // followed the file link would hang here, and the pipe would show a reader afterwards.
    const pipe = path.join(dir, 'linked.png');
    execFileSync('mkfifo', [pipe]);
    const doc = await ingest(await externalRefsDocx(base, pipe), limits);
    expect(doc.text).toContain(SAMPLE_SENTENCE);
    expect(doc.text).not.toContain('fetched');
    expect(requests).toEqual([]);
    expect(() => fs.openSync(pipe, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)).toThrow(expect.objectContaining({ code: 'ENXIO' }));
  });
});

describe('names that lie about the format: the bytes decide', () => {
  let dir: string;
  const config = loadConfig({ PACTWATCH_LOG_LEVEL: 'silent' });
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pactwatch-names-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const saved = (name: string, bytes: Buffer) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, bytes);
    return file;
  };

  test('a PNG named .pdf is refused as an image', async () => {
    await expect(extractFile(saved('contract.pdf', pngImage()), config, projectRuleset())).rejects.toMatchObject({ code: 'UNSUPPORTED_FORMAT' });
  });

  test('a PDF named .docx, a DOCX named .txt and text named .pdf are each read as what they are', async () => {
    const asDocx = await extractFile(saved('contract.docx', await textPdf()), config, projectRuleset());
    const asTxt = await extractFile(saved('contract.txt', await docxBytes(wordXml([SAMPLE_SENTENCE]))), config, projectRuleset());
    const asPdf = await extractFile(saved('contract.pdf', Buffer.from(SAMPLE_SENTENCE)), config, projectRuleset());
    for (const r of [asDocx, asTxt, asPdf]) expect(r.clauses.map((c) => c.type)).toEqual(['breach_notification']);
  });
});

describe('the page limit (PACTWATCH_MAX_PAGES)', () => {
  // (a different line on each page: a line repeated on every page is a running header and dropped)
  const threePages = () =>
    pdfBytes((d) =>
      ['Supplier', 'Processor', 'Vendor'].forEach((who, i) => (i > 0 ? d.addPage() : d).fontSize(11).text(SAMPLE_SENTENCE.replace('Supplier', who))),
    );

  test('a PDF with more pages than the limit is refused before its pages are read', async () => {
    const pdf = await threePages();
    expect(await refusal(pdf, { ...limits, maxPages: 2 })).toEqual({ code: 'PDF_TOO_MANY_PAGES', message: 'The PDF has 3 pages, over the limit of 2 pages.' });
    expect((await ingest(pdf, { ...limits, maxPages: 3 })).pages).toHaveLength(3);
  });

  test('is read from the environment: 2,000 by default, a bad value stops start-up naming it', () => {
    expect(loadConfig({}).maxPages).toBe(2000);
    expect(loadConfig({ PACTWATCH_MAX_PAGES: '50' }).maxPages).toBe(50);
    expect(() => loadConfig({ PACTWATCH_MAX_PAGES: 'many' })).toThrow(ConfigError);
    expect(() => loadConfig({ PACTWATCH_MAX_PAGES: '0' })).toThrow(/PACTWATCH_MAX_PAGES/);
  });
});

describe('what the compression guard counts (PACTWATCH_MAX_UNPACKED_BYTES)', () => {
  const blanks = (n: number) => zlib.deflateSync(Buffer.alloc(n, 0x20), { level: 1 });
  /** A readable one-page PDF carrying extra, unreferenced stream objects. */
  const withStreams = (streams: Buffer[]) => {
    const page = plainRawPdf().toString('latin1');
    // the plain PDF's five objects, then the extra ones
    const bodies = [...page.matchAll(/\d+ 0 obj\n([\s\S]*?)\nendobj\n/g)].map((m) => Buffer.from(m[1], 'latin1'));
    return rawPdf([...bodies, ...streams]);
  };

  test('it measures real PDFs: with a tiny limit an ordinary contract is refused, with the default it is read', async () => {
    const pdf = fs.readFileSync(path.join(__dirname, '..', '..', 'fixtures', 'contracts', 'saas-dpa-lumen.pdf'));
    const r = await refusal(pdf, { ...limits, maxUnpackedBytes: 1024 });
    expect(r.code).toBe('PDF_TOO_LARGE_UNPACKED');
    expect(r.message).toMatch(/compression bomb/);
    expect((await ingest(pdf, limits)).text).toContain('48 hours');
  });

  test('a page with 20 MiB of blank content, under the limit, is read', async () => {
    const doc = await ingest(await flateBombPdf(20 * MiB), limits);
    expect(doc.text).toContain(SAMPLE_SENTENCE);
  }, 30_000);

  test('images have their own budget: nine 1 MiB images pass a 1 MiB limit, nine 1 MiB other streams do not', async () => {
    const lim = { ...limits, maxUnpackedBytes: MiB };
    const image = pdfStream('/Type /XObject /Subtype /Image /Width 512 /Height 512 /BitsPerComponent 8 /ColorSpace /DeviceGray /Filter /FlateDecode', blanks(MiB));
    const other = pdfStream('/Filter /FlateDecode', blanks(MiB));
    expect((await ingest(withStreams(Array(9).fill(image)), lim)).text).toContain(SAMPLE_SENTENCE);
    expect((await refusal(withStreams(Array(9).fill(other)), lim)).code).toBe('PDF_TOO_LARGE_UNPACKED');
    // one stream over the limit is refused, image or not
    const bigImage = pdfStream('/Subtype /Image /Filter /FlateDecode', blanks(MiB + 1));
    expect((await refusal(withStreams([bigImage]), lim)).code).toBe('PDF_TOO_LARGE_UNPACKED');
  });

  test('a stream damaged after good data counts what it unpacks to before the damage', async () => {
    const damaged = Buffer.from(blanks(0.95 * MiB));
    damaged.fill(0xff, damaged.length - 8);
    expect(() => zlib.inflateSync(damaged)).toThrow();
    const lim = { ...limits, maxUnpackedBytes: MiB };
    expect((await refusal(withStreams(Array(9).fill(pdfStream('/Filter /FlateDecode', damaged))), lim)).code).toBe('PDF_TOO_LARGE_UNPACKED');
  });

  test('the data is measured whatever the dictionary says: an escaped filter name, a decoy, odd spacing', async () => {
    const lim = { ...limits, maxUnpackedBytes: MiB };
    const data = blanks(2 * MiB);
    const sneaky = Buffer.concat([
      Buffer.from(`<< /Note (/Filter /ASCII85Decode) /Filter /Fl#61teDecode /Length ${data.length} >>\nstream \t \r\n`),
      data,
      Buffer.from('\nendstream'),
    ]);
    expect((await refusal(withStreams([sneaky]), lim)).code).toBe('PDF_TOO_LARGE_UNPACKED');
  });

  test('a bomb wrapped in hexadecimal (a filter chain) is still measured', async () => {
    const hex = Buffer.from(`${blanks(2 * MiB).toString('hex')}>`);
    const lim = { ...limits, maxUnpackedBytes: MiB };
    expect((await refusal(withStreams([pdfStream('/Filter [/ASCIIHexDecode /FlateDecode]', hex)]), lim)).code).toBe('PDF_TOO_LARGE_UNPACKED');
  });
});
