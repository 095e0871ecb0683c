import { randomUUID } from 'node:crypto';
import { type RequestHandler } from 'express';
import type pino from 'pino';

const SANE_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/**
 * Gives each request an id (the caller's `x-request-id` when it is sane, so a
 * proxy's id follows the request through) and logs one line when it ends.
 * Only the method, the path without its query, the matched route, the status
 * and the time are logged: no headers (tokens), no bodies (documents), no
 * query strings (search words).
 */
export function requestLog(logger: pino.Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    req.id = incoming && SANE_ID.test(incoming) ? incoming : randomUUID();
    req.log = logger.child({ reqId: req.id });
    res.setHeader('x-request-id', req.id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = { method: req.method, path: req.path, route: routeOf(req), status: res.statusCode, ms: Math.round(ms * 10) / 10 };
      if (res.statusCode >= 500) req.log.error(entry, 'request failed');
      else req.log.info(entry, 'request');
    });
    next();
  };
}

/** The route template (`/api/v1/contracts/:id`), so metrics and logs group requests without one series per id. */
export function routeOf(req: { route?: { path?: unknown }; baseUrl?: string }): string {
  const path = req.route?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` : 'unmatched';
}
