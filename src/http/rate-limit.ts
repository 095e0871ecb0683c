import { createHash } from 'node:crypto';
import { type Request, type RequestHandler } from 'express';
import { AppError } from '../errors';
import { ipKeyGenerator, MemoryStore, rateLimit, type Options } from 'express-rate-limit';
import type pino from 'pino';
import { problem, sendProblem } from './problem';

/**
 * Two limits, both counted in this process's memory (several API processes
 * each count on their own, so the effective limit is N times the setting):
 *
 * - every API request, per token (per address for requests without one), in
 *   windows of a minute: one runaway script cannot starve everyone else;
 * - refused tokens, per address, in windows of 15 minutes: after the limit an
 *   address may present no token at all until its window ends, so guessing
 *   tokens stops there.
 *
 * Health probes and the pages are not limited: they are mounted elsewhere.
 */
export const API_WINDOW_MS = 60_000;
export const AUTH_FAILURE_WINDOW_MS = 15 * 60_000;

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** The token a request presents, not yet verified; null without a well-formed Bearer header. */
export function presentedToken(req: Request): string | null {
  const header = req.get('authorization');
  const match = header ? BEARER.exec(header) : null;
  return match ? match[1] : null;
}

/** The caller's address as the limits count it (an IPv6 address by its /56, as one household or host holds one). */
export function clientAddress(req: Request): string {
  return ipKeyGenerator(req.ip ?? req.socket.remoteAddress ?? 'unknown');
}

const waitSeconds = (resetTime: Date | undefined, windowMs: number) =>
  Math.max(1, Math.ceil(((resetTime?.getTime() ?? Date.now() + windowMs) - Date.now()) / 1000));

/** express-rate-limit reports its own misconfigurations; they go to our log, not the console. */
const limiterLogger = (logger: pino.Logger) => ({
  warn: (err: unknown, msg?: string) => logger.warn({ err }, msg ?? 'rate limiter warning'),
  error: (err: unknown, msg?: string) => logger.error({ err }, msg ?? 'rate limiter error'),
});

/**
 * At most `limit` requests per window per key: the presented token (hashed:
 * the raw token never sits in memory longer than the request), else the
 * address. Keying on the presented token before it is verified is safe: a
 * made-up token buys a fresh allowance only until the failure limit stops
 * its address. Null when the limit is 0 (off).
 */
export function apiRateLimit({ limit, logger }: { limit: number; logger: pino.Logger }): RequestHandler | null {
  if (limit <= 0) return null;
  return rateLimit({
    windowMs: API_WINDOW_MS,
    limit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    logger: limiterLogger(logger),
    keyGenerator: (req) => {
      const token = presentedToken(req);
      return token ? `token:${createHash('sha256').update(token).digest('hex')}` : `address:${clientAddress(req)}`;
    },
    handler: (req, res, _next, used: Options) => {
      // the limiter has set Retry-After from the key's own window
      const seconds = Number(res.getHeader('Retry-After')) || Math.ceil(used.windowMs / 1000);
      const who = presentedToken(req) ? 'with this token' : 'from this address';
      req.log.info({ limit }, 'request rate limit reached');
      sendProblem(
        res,
        problem(429, 'RATE_LIMITED', `More than ${limit} requests in ${Math.round(used.windowMs / 1000)} seconds ${who}. Try again in ${seconds} seconds.`),
      );
    },
  });
}

/** The failed-authentication limit, consulted by the token check before it verifies and told of each refusal. */
export interface SignInLimit {
  /** Seconds until the caller's address may present a token again; null when it may now. */
  blockedFor(req: Request): Promise<number | null>;
  /** Counts one refused token against the caller's address; returns the count in the current window. */
  recordFailure(req: Request): Promise<number>;
  readonly limit: number;
}

/** Null when the limit is 0 (off). */
export function signInLimit({ limit }: { limit: number }): SignInLimit | null {
  if (limit <= 0) return null;
  const windowMs = AUTH_FAILURE_WINDOW_MS;
  // express-rate-limit's own store: per-key windows that start at the first hit, swept on an unref'd timer
  const store = new MemoryStore();
  store.init({ windowMs } as Options);
  return {
    limit,
    async blockedFor(req) {
      const info = await store.get(clientAddress(req));
      if (!info || info.totalHits < limit) return null;
      return waitSeconds(info.resetTime, windowMs);
    },
    async recordFailure(req) {
      return (await store.increment(clientAddress(req))).totalHits;
    },
  };
}

/** Throws 429 TOO_MANY_FAILED_SIGN_INS (with Retry-After) when the caller's address may not present a token now. */
export async function refuseIfLockedOut(signIns: SignInLimit | null, req: Request, res: { setHeader(name: string, value: string): unknown }): Promise<void> {
  const wait = signIns ? await signIns.blockedFor(req) : null;
  if (wait === null) return;
  res.setHeader('Retry-After', String(wait));
  throw new AppError('TOO_MANY_FAILED_SIGN_INS', 429, `Too many refused tokens from this address. Try again in ${wait} seconds.`);
}

/**
 * Mounted in front of the request limit: a locked-out address presenting
 * tokens is answered before anything counts or looks them up, so a flood of
 * made-up tokens costs no memory per token.
 */
export function signInGate(signIns: SignInLimit): RequestHandler {
  return async (req, res, next) => {
    if (req.get('authorization')) await refuseIfLockedOut(signIns, req, res);
    next();
  };
}
