import { sniffFormat } from './detect-format';
import { docxToDocument } from './docx-adapter';
import { ingestError } from './ingest-errors';
import { type OcrSettings } from './ocr';
import { DEFAULT_MAX_PAGES, pdfToDocument } from './pdf-adapter';
import { checkPdfStreams } from './pdf-streams';
import { decodeText, textToDocument } from './text-adapter';
import { type TextDocument } from './text-document';

export { type TextDocument, type Page, pageAt } from './text-document';
export { IngestCodes, type IngestCode } from './ingest-errors';

export interface IngestLimits {
  /** Largest accepted file, in bytes. */
  maxFileBytes: number;
  /** Largest total unpacked size of a DOCX's XML parts, and of one compressed stream of a PDF, in bytes. */
  maxUnpackedBytes: number;
  /** Most pages a PDF may have (default 2,000). */
  maxPages?: number;
  /** How a scanned PDF is OCRed; without it a scan is refused with NEEDS_OCR. */
  ocr?: OcrSettings;
}

/**
 * Turns a document's bytes into a TextDocument. The format is decided by the
 * bytes, never by the file name. Every refusal is an AppError with a stable
 * code (see IngestCodes) and a message saying what is wrong.
 */
export async function ingest(bytes: Buffer, limits: IngestLimits): Promise<TextDocument> {
  if (bytes.length === 0) throw ingestError('EMPTY_FILE', 'The file is empty (0 bytes).');
  if (bytes.length > limits.maxFileBytes) {
    throw ingestError(
      'FILE_TOO_LARGE',
      `The file is ${bytes.length} bytes, over the limit of ${limits.maxFileBytes} bytes.`,
    );
  }
  switch (sniffFormat(bytes)) {
    case 'pdf':
      // compression bombs are refused before any reader unpacks them
      await checkPdfStreams(bytes, limits);
      return pdfToDocument(bytes, limits.ocr, limits.maxPages ?? DEFAULT_MAX_PAGES);
    case 'zip':
      return docxToDocument(bytes, limits);
    case 'text': {
      const doc = textToDocument(decodeText(bytes));
      if (doc.text.trim().length === 0) throw ingestError('EMPTY_FILE', 'The file holds only white space.');
      return doc;
    }
    default:
      throw ingestError(
        'UNSUPPORTED_FORMAT',
        'The file is not a PDF, a Word document (DOCX) or UTF-8 text. Legacy .doc, images and spreadsheets are not supported.',
      );
  }
}
