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

export function ingestError(code: IngestCode, detail: string, cause?: unknown): AppError {
  return new AppError(code, IngestCodes[code], detail, cause === undefined ? undefined : { cause });
}
