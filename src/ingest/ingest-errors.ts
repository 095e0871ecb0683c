import { AppError } from '../errors';

/** The ways a document can be refused, with the HTTP status each maps to. */
export const IngestCodes = {
  EMPTY_FILE: 422,
  FILE_TOO_LARGE: 413,
  UNSUPPORTED_FORMAT: 415,
  PDF_CORRUPT: 422,
  PDF_ENCRYPTED: 422,
  NEEDS_OCR: 422,
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
  NEEDS_OCR: 'Scanned PDF: needs OCR (it has no text layer to read).',
  DOCX_CORRUPT: 'The Word document is damaged or truncated and cannot be read.',
  DOCX_TOO_LARGE_UNPACKED: 'The Word document unpacks to far more data than a contract holds; refused as a possible zip bomb.',
};

export function ingestError(code: IngestCode, detail: string, cause?: unknown): AppError {
  return new AppError(code, IngestCodes[code], detail, cause === undefined ? undefined : { cause });
}
