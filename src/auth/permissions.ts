import { type TokenRole } from '../db/store';

/**
 * What each role may do. Routes ask for a permission, never for a role, so a
 * new role (or a role gaining a right) is one line here.
 */
export type Permission =
  | 'contracts:read'
  | 'contracts:upload'
  | 'contracts:reprocess'
  | 'contracts:delete'
  | 'obligations:search'
  | 'audit:read'
  | 'metrics:read'
  | 'incidents:read'
  | 'incidents:manage';

const READ: Permission[] = ['contracts:read', 'obligations:search'];

export const ROLE_PERMISSIONS: Readonly<Record<TokenRole, readonly Permission[]>> = {
  analyst: [...READ, 'contracts:upload', 'contracts:reprocess'],
  legal: [...READ, 'incidents:read'],
  responder: [...READ, 'incidents:read', 'incidents:manage'],
  admin: [...READ, 'contracts:upload', 'contracts:reprocess', 'contracts:delete', 'audit:read', 'metrics:read', 'incidents:read', 'incidents:manage'],
};

export function can(role: TokenRole, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role]?.includes(permission) ?? false;
}

export function rolesWith(permission: Permission): TokenRole[] {
  return (Object.keys(ROLE_PERMISSIONS) as TokenRole[]).filter((r) => can(r, permission));
}
