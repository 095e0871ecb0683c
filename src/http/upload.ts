import { createHash } from 'node:crypto';
import { type RequestHandler } from 'express';
import multer from 'multer';
import { type Config } from '../config';
import { AppError } from '../errors';
import { hasUtf16Bom, sniffFormat } from '../ingest/detect-format';
import { decodeText } from '../ingest/text-adapter';

export const MEDIA_TYPES = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  text: 'text/plain; charset=utf-8',
} as const;

/** The charset the text reader will use, so the download is labelled the way the bytes are written. */
function textMediaType(bytes: Buffer): string {
  if (hasUtf16Bom(bytes)) return 'text/plain; charset=utf-16';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return MEDIA_TYPES.text;
  } catch {
    return 'text/plain; charset=windows-1252';
  }
}

/**
 * Multipart parsing held in memory with tight limits: one file no larger than
 * the configured maximum, a handful of short fields. The file never touches
 * the disk here, so its name can never become a path.
 */
export function uploadMiddleware(config: Config): RequestHandler {
  const parse = multer({
    storage: multer.memoryStorage(),
    // browsers and curl send file names as raw UTF-8
    defParamCharset: 'utf8',
    limits: { fileSize: config.maxFileBytes, files: 1, fields: 8, fieldSize: 4096, fieldNameSize: 64, parts: 10 },
  }).single('file');
  return (req, res, next) => {
    parse(req, res, (err?: unknown) => {
      if (err === undefined || err === null) return next();
      if (err instanceof multer.MulterError) return next(err);
      // anything else multer passes on is the form itself being broken (truncated, bad boundary)
      next(new AppError('MALFORMED_MULTIPART', 400, 'The multipart form could not be read.', { cause: err }));
    });
  };
}

/**
 * The media type, decided from the bytes alone (a PDF renamed .txt is a PDF; a
 * text renamed .pdf is text). Refuses what the extractor cannot read, so a bad
 * upload fails now rather than in a job.
 */
export function mediaTypeOf(bytes: Buffer): string {
  if (bytes.length === 0) throw new AppError('EMPTY_FILE', 400, 'The file is empty (0 bytes).');
  switch (sniffFormat(bytes)) {
    case 'pdf':
      return MEDIA_TYPES.pdf;
    case 'zip':
      // entry names sit uncompressed in a zip's headers: a Word document has word/document.xml
      if (bytes.includes('word/document.xml')) return MEDIA_TYPES.docx;
      throw new AppError('UNSUPPORTED_FORMAT', 415, 'The file is a ZIP archive but not a Word document (DOCX).');
    case 'text':
      if (decodeText(bytes).trim().length === 0) throw new AppError('EMPTY_FILE', 400, 'The file holds only white space.');
      return textMediaType(bytes);
    default:
      throw new AppError(
        'UNSUPPORTED_FORMAT',
        415,
        'The file is not a PDF, a Word document (DOCX) or UTF-8 text. Legacy .doc, images and spreadsheets are not supported.',
      );
  }
}

export function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * The file name as the user knows it, kept only as data (for display and for
 * the download's Content-Disposition): control characters removed, any folder
 * part dropped, length capped.
 */
export function displayName(original: string | undefined): string {
  const cleaned = [...(original ?? '')]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .split(/[\\/]/)
    .pop()!
    .trim()
    .slice(0, 255);
  return cleaned.length > 0 ? cleaned : 'document';
}

/** `attachment` with an ASCII fallback and the exact name in RFC 5987 form. */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
