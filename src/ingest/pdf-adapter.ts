import { PDFParse, PasswordException, InvalidPDFException, FormatError } from 'pdf-parse';
import { isAppError } from '../errors';
import { ingestError } from './ingest-errors';
import { ocrScannedPdf, type OcrSettings } from './ocr';
import { linesOfText, mayHoldTable, rebuildPdfText, spliceTables, type PdfLine } from './pdf-layout';
import { type TextDocument } from './text-document';

/** Below this many letters per page on average, the PDF is taken to be a scan. */
const MIN_LETTERS_PER_PAGE = 25;

/** Most pages read by default (PACTWATCH_MAX_PAGES): a page tree can claim millions of pages in a few hundred bytes. */
export const DEFAULT_MAX_PAGES = 2000;

/** The parts of pdf.js's document that the positioned reader uses. */
interface PdfJsTextItem {
  str?: string;
  transform?: number[];
  width?: number;
  height?: number;
  hasEOL?: boolean;
}
interface PdfJsPage {
  getViewport(o: { scale: number }): { convertToViewportPoint(x: number, y: number): number[] };
  getTextContent(): Promise<{ items: PdfJsTextItem[] }>;
  cleanup(): void;
}
interface PdfJsDocument {
  numPages: number;
  getPage(n: number): Promise<PdfJsPage>;
}

/**
 * The lines of a page with their baselines and font sizes, from pdf.js's text
 * items: what pdf-parse's getText flattens away, and what tells a paragraph
 * break (more space than between lines) from a wrapped line.
 */
async function pageLines(page: PdfJsPage): Promise<PdfLine[]> {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent();
  const lines: PdfLine[] = [];
  let cur: { text: string; y: number; x1: number; size: number; cells: number } | null = null;
  const flush = () => {
    if (cur) lines.push({ text: cur.text.replace(/\s+/g, ' ').trim(), y: cur.y, size: cur.size, cells: cur.cells });
    cur = null;
  };
  for (const item of content.items) {
    if (typeof item.str !== 'string' || !item.transform) continue;
    const [x, y] = viewport.convertToViewportPoint(item.transform[4], item.transform[5]);
    const size = Math.hypot(item.transform[2], item.transform[3]) || item.height || 10;
    if (item.str !== '') {
      const c = cur as { text: string; y: number; x1: number; size: number; cells: number } | null;
      if (c && Math.abs(y - c.y) <= size * 0.4) {
        const gap = x - c.x1;
        const sep = gap > size * 0.15 && !c.text.endsWith(' ') && !item.str.startsWith(' ') ? ' ' : '';
        // a gap wider than a couple of spaces separates columns
        if (gap > size * 1.5 && item.str.trim() !== '') c.cells++;
        c.text += sep + item.str;
        c.x1 = x + (item.width ?? 0);
      } else {
        flush();
        // a line that starts on the baseline of an earlier line is another column (a table cell read later)
        const sideBySide = lines.some((l) => l.y !== null && Math.abs(l.y - y) <= size * 0.4);
        cur = { text: item.str, y, x1: x + (item.width ?? 0), size, cells: sideBySide ? 2 : 1 };
      }
    }
    if (item.hasEOL) flush();
  }
  flush();
  return lines.filter((l) => l.text !== '');
}

/** The lines of each page, in page order, with ruled tables rebuilt one row per line. */
export async function readPdfPages(bytes: Buffer, maxPages = DEFAULT_MAX_PAGES): Promise<PdfLine[][]> {
  // a copy: pdf.js transfers the buffer it is given to its worker, which would detach the caller's bytes
  const parser = new PDFParse({ data: new Uint8Array(bytes) });
  try {
    // pdf-parse keeps its pdf.js document behind load(); it maps load errors to
    // PasswordException / InvalidPDFException. Without it (a future version),
    // fall back to its flat text, losing only the line positions.
    const load = (parser as unknown as { load?: () => Promise<PdfJsDocument> }).load;
    let pages: PdfLine[][];
    if (typeof load === 'function') {
      const doc = await load.call(parser);
      if (doc.numPages > maxPages) throw tooManyPages(doc.numPages, maxPages);
      pages = [];
      for (let n = 1; n <= doc.numPages; n++) {
        const page = await doc.getPage(n);
        pages.push(await pageLines(page));
        page.cleanup();
      }
    } else {
      const result = await parser.getText({ pageJoiner: '' });
      pages = result.pages.sort((a, b) => a.num - b.num).map((p) => linesOfText(p.text));
      if (pages.length > maxPages) throw tooManyPages(pages.length, maxPages);
    }
    // Ruled tables come out of the text layer cell by cell; rebuild their rows
    // from the table geometry, only on pages that look like they hold one.
    const suspects = pages.map((p, i) => (mayHoldTable(p) ? i + 1 : 0)).filter((n) => n > 0);
    if (suspects.length > 0) {
      const found = await parser.getTable({ partial: suspects });
      for (const p of found.pages) if (p.tables.length) pages[p.num - 1] = spliceTables(pages[p.num - 1], p.tables as string[][][]);
    }
    return pages;
  } catch (err) {
    throw mapPdfError(err);
  } finally {
    await parser.destroy().catch(() => undefined);
  }
}

function tooManyPages(pages: number, maxPages: number): Error {
  return ingestError('PDF_TOO_MANY_PAGES', `The PDF has ${pages} pages, over the limit of ${maxPages} pages.`);
}

function mapPdfError(err: unknown): Error {
  if (isAppError(err)) return err;
  // pdf.js failing to start is our fault, not the document's: let it surface as an internal error
  if (/fake worker|worker failed|Cannot find module/i.test((err as Error)?.message ?? '')) return err as Error;
  if (err instanceof PasswordException || (err as { name?: string })?.name === 'PasswordException') {
    return ingestError('PDF_ENCRYPTED', 'The PDF is password-protected; upload a copy without a password.', err);
  }
  if (err instanceof InvalidPDFException || err instanceof FormatError || (err as { name?: string })?.name === 'InvalidPDFException') {
    return ingestError('PDF_CORRUPT', 'The PDF is damaged or truncated and cannot be read.', err);
  }
  return ingestError('PDF_CORRUPT', `The PDF could not be read: ${(err as Error)?.message ?? String(err)}`, err);
}

export async function pdfToDocument(bytes: Buffer, ocr?: OcrSettings, maxPages = DEFAULT_MAX_PAGES): Promise<TextDocument> {
  const pageLinesList = await readPdfPages(bytes, maxPages);
  const { text, pages } = rebuildPdfText(pageLinesList);
  const letters = (text.match(/[A-Za-z\u00C0-\u024F]/g) ?? []).length;
  if (pageLinesList.length === 0 || letters < MIN_LETTERS_PER_PAGE * pageLinesList.length) {
    // a scan: read with OCR, or refused with NEEDS_OCR when OCR is off or not installed
    return { format: 'pdf', ...(await ocrScannedPdf(bytes, { pageCount: pageLinesList.length, letters }, ocr)) };
  }
  return { format: 'pdf', text, pages };
}
