import { STATUS_CODES } from 'node:http';
import { type ErrorRequestHandler, type RequestHandler, type Response } from 'express';
import { MulterError } from 'multer';
import { isAppError } from '../errors';

/**
 * One wire format for every failure (RFC 9457 problem details). `code` is the
 * stable machine-readable name; `detail` is for people. Nothing from a stack
 * or an internal message reaches the client.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  [extension: string]: unknown;
}

export function problem(status: number, code: string, detail: string, extra: Record<string, unknown> = {}): Problem {
  return { type: `/api/v1/docs#${code}`, title: STATUS_CODES[status] ?? 'Error', status, detail, code, ...extra };
}

export function sendProblem(res: Response, p: Problem): void {
  res.status(p.status).type('application/problem+json').send(JSON.stringify(p));
}

export const notFound: RequestHandler = (req, res) => {
  sendProblem(res, problem(404, 'NOT_FOUND', `No route for ${req.method} ${req.path}.`));
};

const MULTER_CODES: Record<string, [number, string, string]> = {
  LIMIT_FILE_SIZE: [413, 'FILE_TOO_LARGE', 'The file is over the size limit.'],
  LIMIT_FILE_COUNT: [400, 'TOO_MANY_FILES', 'Send exactly one file, in the field "file".'],
  LIMIT_UNEXPECTED_FILE: [400, 'TOO_MANY_FILES', 'Send exactly one file, in the field "file".'],
  LIMIT_PART_COUNT: [413, 'FORM_TOO_LARGE', 'The form has too many parts.'],
  LIMIT_FIELD_COUNT: [413, 'FORM_TOO_LARGE', 'The form has too many fields.'],
  LIMIT_FIELD_KEY: [413, 'FORM_TOO_LARGE', 'A form field name is too long.'],
  LIMIT_FIELD_VALUE: [413, 'FORM_TOO_LARGE', 'A form field value is too long.'],
};

/**
 * Errors raised by express itself and its body parsers carry a client status:
 * an undecodable path is a URIError with status 400; the body parsers mark
 * theirs `expose: true` and tell them apart by `type`. Everything else is ours.
 */
function clientError(err: unknown): { type: string | null; status: number } | null {
  if (typeof err !== 'object' || err === null) return null;
  const e = err as { type?: unknown; status?: unknown; expose?: unknown };
  if (typeof e.status !== 'number' || e.status < 400 || e.status >= 500 || (e.expose !== true && !(err instanceof URIError))) return null;
  return { type: typeof e.type === 'string' ? e.type : null, status: e.status };
}

export function toProblem(err: unknown, maxFileBytes: number): Problem | null {
  if (isAppError(err)) return problem(err.status, err.code, err.detail);
  if (err instanceof MulterError) {
    const [status, code, detail] = MULTER_CODES[err.code] ?? [400, 'MALFORMED_MULTIPART', 'The multipart form could not be read.'];
    return problem(status, code, code === 'FILE_TOO_LARGE' ? `The file is over the limit of ${maxFileBytes} bytes.` : detail);
  }
  const client = clientError(err);
  if (!client) return null;
  if (client.type === 'entity.parse.failed') return problem(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  if (client.type === 'entity.too.large') return problem(413, 'BODY_TOO_LARGE', 'The request body is too large.');
  if (client.type === 'charset.unsupported') return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send JSON in UTF-8 (Content-Type: application/json).');
  if (client.type === 'encoding.unsupported') return problem(415, 'UNSUPPORTED_MEDIA_TYPE', 'The Content-Encoding is not supported.');
  return problem(client.status, 'BAD_REQUEST', 'The request could not be read (a malformed path, header or body).');
}

export function errorHandler(maxFileBytes: number): ErrorRequestHandler {
  return (err, req, res, next) => {
    if (res.headersSent) {
      // the status line is gone; all that is left is to cut the response short
      req.log.error({ err }, 'error after the response started');
      next(err);
      return;
    }
    const p = toProblem(err, maxFileBytes);
    if (p) {
      if (p.status === 401 && !res.getHeader('WWW-Authenticate')) res.setHeader('WWW-Authenticate', 'Bearer realm="pactwatch"');
      sendProblem(res, p);
      return;
    }
    req.log.error({ err }, 'unhandled error');
    sendProblem(res, problem(500, 'INTERNAL', 'Something went wrong on our side. The request id identifies it in the logs.', { requestId: req.id }));
  };
}
