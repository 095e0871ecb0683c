import { sniffFormat } from './detect-format';
import { docxToDocument } from './docx-adapter';
import { ingestError } from './ingest-errors';
import { pdfToDocument } from './pdf-adapter';
import { decodeText, textToDocument } from './text-adapter';
import { type TextDocument } from './text-document';

export { type TextDocument, type Page, pageAt } from './text-document';
export { IngestCodes, type IngestCode } from './ingest-errors';

export interface IngestLimits {
  /** Largest accepted file, in bytes. */
  maxFileBytes: number;
  /** Largest total unpacked size of a DOCX's XML parts, in bytes. */
  maxUnpackedBytes: number;
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
      return pdfToDocument(bytes);
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
