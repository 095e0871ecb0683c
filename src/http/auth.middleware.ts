import { type RequestHandler } from 'express';
import { can, rolesWith, type Permission } from '../auth/permissions';
import { verifyToken } from '../auth/tokens';
import { type Config } from '../config';
import { type Store } from '../db/store';
import { AppError } from '../errors';

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/**
 * `Authorization: Bearer <token>`, then the permission the route needs.
 * 401 (with a challenge) when the caller is unknown, 403 when known but not
 * allowed. Why a token was refused (unknown, revoked, expired) goes to the log,
 * not to the caller.
 */
export function requirePermission(store: Store, config: Config, permission: Permission): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pactwatch"');
      throw new AppError('UNAUTHENTICATED', 401, 'Send an API token: Authorization: Bearer <token>.');
    }
    const match = BEARER.exec(header);
    const check = match ? await verifyToken(store, config, match[1]) : ({ ok: false, reason: 'malformed' } as const);
    if (!check.ok) {
      req.log.info({ reason: check.reason }, 'token refused');
      res.setHeader('WWW-Authenticate', 'Bearer realm="pactwatch", error="invalid_token"');
      throw new AppError('INVALID_TOKEN', 401, 'The API token is not valid (unknown, revoked or expired).');
    }
    req.token = check.token;
    req.log = req.log.child({ actor: check.token.name, role: check.token.role });
    if (!can(check.token.role, permission)) {
      throw new AppError('FORBIDDEN', 403, `This needs one of the roles ${rolesWith(permission).join(', ')}; the token has the role ${check.token.role}.`);
    }
    next();
  };
}
