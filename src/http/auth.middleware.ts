import { type RequestHandler } from 'express';
import { can, rolesWith, type Permission } from '../auth/permissions';
import { verifyToken } from '../auth/tokens';
import { type Config } from '../config';
import { type Store } from '../db/store';
import { AppError } from '../errors';
import { clientAddress, presentedToken, refuseIfLockedOut, type SignInLimit } from './rate-limit';

/**
 * `Authorization: Bearer <token>`, then the permission the route needs.
 * 401 (with a challenge) when the caller is unknown, 403 when known but not
 * allowed. Why a token was refused (unknown, revoked, expired) goes to the log,
 * not to the caller. With a sign-in limit, an address that has presented too
 * many refused tokens is answered 429 without its token being looked at.
 */
export function requirePermission(store: Store, config: Config, permission: Permission, signIns: SignInLimit | null = null): RequestHandler {
  return async (req, res, next) => {
    const header = req.get('authorization');
    if (!header) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="pactwatch"');
      throw new AppError('UNAUTHENTICATED', 401, 'Send an API token: Authorization: Bearer <token>.');
    }
    await refuseIfLockedOut(signIns, req, res);
    const presented = presentedToken(req);
    const check = presented !== null ? await verifyToken(store, config, presented) : ({ ok: false, reason: 'malformed' } as const);
    if (!check.ok) {
      const failures = signIns ? await signIns.recordFailure(req) : null;
      req.log.info({ reason: check.reason }, 'token refused');
      if (signIns && failures === signIns.limit) {
        req.log.warn({ address: clientAddress(req), failures }, 'too many refused tokens: this address may not present tokens until its window ends');
      }
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
