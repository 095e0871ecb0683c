import { AppError } from '../errors';

/** The ways a document can be refused, with the HTTP status each maps to. */
export const IngestCodes = {
  EMPTY_FILE: 422,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_FORMAT: 415,
  PDF_CORRUPT: 422,
  PDF_ENCRYPTED: 422,
  PDF_TOO_MANY_PAGES: 413,
  PDF_TOO_LARGE_UNPACKED: 413,
  NEEDS_OCR: 422,
  OCR_TOO_MANY_PAGES: 413,
  OCR_TIMEOUT: 422,
  OCR_FAILED: 422,
  OCR_NO_TEXT: 422,
  DOCX_CORRUPT: 422,
  DOCX_TOO_LARGE_UNPACKED: 413,
} as const;

export type IngestCode = keyof typeof IngestCodes;

/** Each code in one line, for people: shown beside a failed contract. The error's own detail says more about this document. */
export const INGEST_CODE_MEANINGS: Readonly<Record<IngestCode, string>> = {
  EMPTY_FILE: 'The file is empty or holds only white space.',
  FILE_TOO_LARGE: 'The file is over the size limit.',
  UNSUPPORTED_FORMAT: 'Not a PDF, a Word document (DOCX) or plain text; legacy .doc, images and spreadsheets are not read.',
  PDF_CORRUPT: 'The PDF is damaged or truncated and cannot be read.',
  PDF_ENCRYPTED: 'The PDF is password-protected; upload a copy without a password.',
  PDF_TOO_MANY_PAGES: 'The PDF has more pages than the limit (PACTWATCH_MAX_PAGES).',
  PDF_TOO_LARGE_UNPACKED: 'The PDF\'s compressed contents unpack to far more data than a contract holds; refused as a possible compression bomb.',
  NEEDS_OCR: 'Scanned PDF: needs OCR, which is turned off or not installed on this server (it has no text layer to read).',
  OCR_TOO_MANY_PAGES: 'Scanned PDF with more pages than OCR reads (PACTWATCH_OCR_MAX_PAGES).',
  OCR_TIMEOUT: 'Scanned PDF: OCR of a page took longer than the time limit and was stopped.',
  OCR_FAILED: 'Scanned PDF: the OCR programs could not draw or read its pages.',
  OCR_NO_TEXT: 'Scanned PDF: OCR found no readable text (a blank, picture-only or unreadable scan).',
  DOCX_CORRUPT: 'The Word document is damaged or truncated and cannot be read.',
  DOCX_TOO_LARGE_UNPACKED: 'The Word document unpacks to far more data than a contract holds; refused as a possible zip bomb.',
};

export function ingestError(code: IngestCode, detail: string, cause?: unknown): AppError {
  return new AppError(code, IngestCodes[code], detail, cause === undefined ? undefined : { cause });
}
