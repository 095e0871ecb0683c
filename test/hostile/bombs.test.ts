import { deepNestingPdf, flateBombPdf, lyingZipBombDocx, objectStreamBombPdf, pageTreeBombPdf, zipBombDocx } from '../helpers/bad-files';
import { readInChild } from './read-in-child';

/**
 * PDF and Word bombs, each read in a process of its own with the service's
 * default limits: each ends with its code, quickly, without the memory it
 * asks for. Unguarded, the content bomb took 49 s and 2 GB, the object-stream
 * bomb 51 s and 3 GB, a lying zip bomb of 300 MB 6 s and 570 MB, and the
 * page tree 6 s per 10,000 of its ten million pages.
 */
const GiB = 1024 * 1024 * 1024;
/** Far above what the guarded reads take (under 2 s here), far below what the unguarded ones did. */
const TIME_LIMIT_MS = 30_000;
const MEMORY_LIMIT_MB = 400;

const bombs: [string, () => Promise<Buffer> | Buffer, string][] = [
  ['a page tree claiming ten million pages in 2 kB', () => pageTreeBombPdf(7, 10), 'PDF_TOO_MANY_PAGES'],
  ['page content that unpacks to 1 GiB (deflated twice, 14 kB)', () => flateBombPdf(GiB), 'PDF_TOO_LARGE_UNPACKED'],
  ['an object stream that unpacks to 1 GiB before the page tree it holds', () => objectStreamBombPdf(GiB), 'PDF_TOO_LARGE_UNPACKED'],
  ['dictionaries and arrays nested 100,000 deep', () => deepNestingPdf(100_000), 'PDF_CORRUPT'],
  ['a DOCX declaring 80 MiB of XML', () => zipBombDocx(80 * 1024 * 1024), 'DOCX_TOO_LARGE_UNPACKED'],
  ['a DOCX declaring 300 bytes of XML that unpacks to 1 GiB', () => lyingZipBombDocx(GiB), 'DOCX_CORRUPT'],
];

test.each(bombs)('%s', async (_name, make, code) => {
  const report = await readInChild(await make());
  expect(report).toMatchObject({ status: 'failed', code });
  expect(report.detail?.length).toBeGreaterThan(20);
  expect(report.ms).toBeLessThan(TIME_LIMIT_MS);
  expect(report.rssGrowthMb).toBeLessThan(MEMORY_LIMIT_MB);
}, 120_000);
