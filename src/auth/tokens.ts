import { createHmac, randomBytes } from 'node:crypto';
import { type Config } from '../config';
import { type Store, type TokenRecord, type TokenRole } from '../db/store';
import { AppError } from '../errors';

/**
 * API tokens. The plaintext is shown once, when it is made; the database keeps
 * only an HMAC of it keyed by the deployment name, so a copied token table is
 * useless as credentials and a token of one deployment never opens another.
 */
export const TOKEN_PREFIX = 'pw_';
export const TOKEN_ROLES: readonly TokenRole[] = ['admin', 'analyst', 'legal', 'responder'];

/** Longer than any token we make or accept as PACTWATCH_ADMIN_TOKEN; refuses absurd headers before hashing. */
const MAX_TOKEN_LENGTH = 512;

export function generateToken(): string {
  return `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function hashToken(token: string, deployment: string): string {
  return createHmac('sha256', `pactwatch-token:${deployment}`).update(token, 'utf8').digest('hex');
}

export function isTokenRole(value: string): value is TokenRole {
  return (TOKEN_ROLES as readonly string[]).includes(value);
}

export interface NewToken {
  name: string;
  role: TokenRole;
  expiresAt?: Date | null;
}

/** Creates a token and returns its plaintext: the only time it exists outside the caller's hands. */
export async function createToken(store: Store, config: Pick<Config, 'deployment'>, input: NewToken, actor: string): Promise<string> {
  const name = input.name.trim();
  if (name.length === 0 || name.length > 100) throw new AppError('VALIDATION_FAILED', 400, 'name: must be 1 to 100 characters.');
  if (!isTokenRole(input.role)) throw new AppError('VALIDATION_FAILED', 400, `role: must be one of ${TOKEN_ROLES.join(', ')}.`);
  if (input.expiresAt && Number.isNaN(input.expiresAt.getTime())) throw new AppError('VALIDATION_FAILED', 400, 'expiresAt: not a valid date.');
  const token = generateToken();
  await store.createToken({ name, role: input.role, hash: hashToken(token, config.deployment), expiresAt: input.expiresAt ?? null }, actor);
  return token;
}

/**
 * On a database with no tokens at all, installs an admin token (the configured
 * one when set, else a fresh one) and returns its plaintext for the operator;
 * null when tokens already exist, so a restart never mints another.
 */
export async function ensureAdminToken(store: Store, config: Pick<Config, 'deployment' | 'adminToken'>): Promise<string | null> {
  if ((await store.countTokens()) > 0) return null;
  const token = config.adminToken ?? generateToken();
  await store.createToken({ name: 'admin', role: 'admin', hash: hashToken(token, config.deployment), expiresAt: null }, 'system');
  return token;
}

export type TokenCheck = { ok: true; token: TokenRecord } | { ok: false; reason: 'unknown' | 'revoked' | 'expired' };

/** Looks a presented token up; the reason is for logs, the client only ever hears "invalid". */
export async function verifyToken(store: Store, config: Pick<Config, 'deployment'>, presented: string, now: Date = new Date()): Promise<TokenCheck> {
  if (presented.length === 0 || presented.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'unknown' };
  const token = await store.findTokenByHash(hashToken(presented, config.deployment));
  if (!token) return { ok: false, reason: 'unknown' };
  if (token.revokedAt) return { ok: false, reason: 'revoked' };
  if (token.expiresAt && token.expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
  return { ok: true, token };
}
