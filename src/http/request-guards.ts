import { STATUS_CODES, type Server } from 'node:http';
import { type Socket } from 'node:net';
import { type RequestHandler } from 'express';
import type pino from 'pino';
import { AppError } from '../errors';
import { problem, sendProblem, type Problem } from './problem';

/**
 * What is refused before any route looks at a request: a URL or a query
 * string too big to be a real request, a body in a type the route does not
 * read, text that PostgreSQL cannot store, a method the path does not have,
 * and (at the socket) requests Node's own parser gives up on. Each answer is
 * a problem+json with its own code.
 */

/** Longest request target (path and query, as sent). The widest real query (9 parameters, texts of at most 200 characters, up to 9 bytes each once percent-encoded) stays under 5 KB. */
export const MAX_URL_BYTES = 8 * 1024;
/** Most `&`-separated query parameters; the widest endpoint takes 9. */
export const MAX_QUERY_PARAMETERS = 50;
/** Deepest nesting of a JSON body; ours nest 3 levels at most. */
export const MAX_JSON_DEPTH = 16;

export const requestShape: RequestHandler = (req, _res, next) => {
  const url = req.originalUrl;
  if (url.length > MAX_URL_BYTES) {
    throw new AppError('URI_TOO_LONG', 414, `The URL is ${url.length} bytes long; at most ${MAX_URL_BYTES} are read.`);
  }
  const q = url.indexOf('?');
  if (q >= 0) {
    let count = 0;
    for (const part of url.slice(q + 1).split('&')) if (part.length > 0) count++;
    if (count > MAX_QUERY_PARAMETERS) {
      throw new AppError('TOO_MANY_PARAMETERS', 400, `The query string has ${count} parameters; at most ${MAX_QUERY_PARAMETERS} are read.`);
    }
  }
  next();
};

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** A POST with `Content-Length: 0` (what browsers send for an empty body) has no body to type. */
function hasBody(headers: { 'transfer-encoding'?: string; 'content-length'?: string }): boolean {
  if (headers['transfer-encoding'] !== undefined) return true;
  const length = headers['content-length'];
  return length !== undefined && Number(length) > 0;
}

/**
 * Bodies come in the type their route reads: the upload route takes
 * multipart/form-data, every other route JSON. Anything else would be ignored
 * by the parsers and end as a confusing "field is required".
 */
export function bodyContentType(isUpload: (method: string, path: string) => boolean): RequestHandler {
  return (req, _res, next) => {
    if (!WRITES.has(req.method) || !hasBody(req.headers)) return next();
    if (isUpload(req.method, req.path)) {
      if (req.is('multipart/form-data')) return next();
      throw new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the upload as multipart/form-data, the document in the field "file".');
    }
    if (req.is(['application/json', '+json'])) return next();
    throw new AppError('UNSUPPORTED_MEDIA_TYPE', 415, 'Send the body as JSON (Content-Type: application/json).');
  };
}

/** A string PostgreSQL can store and JSON can carry: no NUL, no half of a surrogate pair. */
export function unstorable(s: string): string | null {
  if (s.includes('\u0000')) return 'must not contain NUL characters';
  // a lone surrogate is not a character: it cannot be written as UTF-8
  if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s)) return 'must not contain unpaired surrogate code points';
  return null;
}

/**
 * Checks every key and string of a parsed body (iteratively: a hostile body
 * nested thousands deep must not exhaust the stack) and throws
 * VALIDATION_FAILED naming the first offending field.
 */
export function assertStorable(value: unknown, where: 'body' | 'query'): void {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: where, depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      const why = unstorable(v);
      if (why) throw new AppError('VALIDATION_FAILED', 400, `${path}: ${why}`);
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_JSON_DEPTH) throw new AppError('VALIDATION_FAILED', 400, `${path}: nested more than ${MAX_JSON_DEPTH} levels deep`);
    const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v);
    for (const [key, item] of entries) {
      const why = unstorable(key);
      if (why) throw new AppError('VALIDATION_FAILED', 400, `${path}: a field name ${why}`);
      stack.push({ value: item, path: `${path}.${key}`, depth: depth + 1 });
    }
  }
}

export const storableBody: RequestHandler = (req, _res, next) => {
  if (req.body !== undefined) assertStorable(req.body, 'body');
  next();
};

/** Express path templates (`/api/v1/contracts/{id}` in OpenAPI form) as matchers, the way express matches them: any case, an optional trailing slash. */
function compile(template: string): RegExp {
  const parts = template.split(/\{[^}]+\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}/?$`, 'i');
}

/**
 * For a path that exists with other methods: 405 with `Allow` (and OPTIONS
 * answered with `Allow` alone). Mounted after every route, before the 404.
 */
export function methodNotAllowed(paths: Record<string, Record<string, unknown>>): RequestHandler {
  const table = Object.entries(paths).map(([template, ops]) => {
    const methods = Object.keys(ops).map((m) => m.toUpperCase());
    if (methods.includes('GET')) methods.push('HEAD');
    return { pattern: compile(template), allow: methods.sort().join(', ') };
  });
  return (req, res, next) => {
    const hit = table.find((t) => t.pattern.test(req.path));
    if (!hit) return next();
    res.setHeader('Allow', hit.allow);
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    sendProblem(res, problem(405, 'METHOD_NOT_ALLOWED', `${req.method} is not served on ${req.path}; it takes ${hit.allow}.`));
  };
}

/** The problem a request gets when Node's HTTP parser refuses it before express sees it. */
export function clientErrorProblem(err: NodeJS.ErrnoException & { rawPacket?: Buffer }): Problem {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW': {
      // the parser gives up at 16 KB of request line and headers; when the request line has not ended by then, the URL is what is too long
      const lineEnd = err.rawPacket ? err.rawPacket.indexOf('\r\n') : -1;
      if (lineEnd < 0 || lineEnd > MAX_URL_BYTES) return problem(414, 'URI_TOO_LONG', `The URL is too long; at most ${MAX_URL_BYTES} bytes are read.`);
      return problem(431, 'HEADERS_TOO_LARGE', 'The request headers are too large.');
    }
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return problem(413, 'BODY_TOO_LARGE', 'The request body is too large.');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return problem(408, 'REQUEST_TIMEOUT', 'The request was not received in time.');
    default:
      return problem(400, 'BAD_REQUEST', 'The request could not be read (a malformed request line, header or body).');
  }
}

/**
 * Node answers what its parser refuses with a bare status line (431 for a 100
 * KB query string); this answers with a problem+json instead, then closes
 * that connection. Nothing of the request is logged: its headers may hold a
 * token.
 */
export function answerClientErrors(server: Server, logger?: pino.Logger): Server {
  server.on('clientError', (err: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const p = clientErrorProblem(err);
    logger?.info({ code: err.code, status: p.status }, 'request refused by the HTTP parser');
    const body = JSON.stringify(p);
    socket.end(
      `HTTP/1.1 ${p.status} ${STATUS_CODES[p.status] ?? 'Error'}\r\n` +
        'Content-Type: application/problem+json; charset=utf-8\r\n' +
        `Content-Length: ${Buffer.byteLength(body)}\r\n` +
        'X-Content-Type-Options: nosniff\r\n' +
        'Cache-Control: no-store\r\n' +
        'Connection: close\r\n\r\n' +
        body,
    );
  });
  return server;
}
