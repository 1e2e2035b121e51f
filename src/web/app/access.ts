import { type Permission, type Role, roleGrants, SUPERADMIN_ONLY } from '../../shared/permissions.ts';
import type { Me } from '../features/auth/api.ts';
import type { Org } from '../features/orgs/api.ts';

/** Roles the user holds at a unit: memberships there or at any unit above it. */
export function rolesAt(me: Me, orgsById: ReadonlyMap<string, Org>, orgId: string | undefined): Role[] {
  if (!orgId) return [];
  const chain = new Set<string>();
  let cursor: string | null | undefined = orgId;
  while (cursor && !chain.has(cursor)) {
    chain.add(cursor);
    cursor = orgsById.get(cursor)?.parentId;
  }
  const roles = me.memberships.filter((m) => chain.has(m.orgId)).map((m) => m.role);
  return [...new Set(roles)];
}

/** Whether the user may do `permission` at the unit (mirrors the server; the server still decides). */
export function canAt(
  me: Me,
  orgsById: ReadonlyMap<string, Org>,
  permission: Permission,
  orgId: string | undefined,
): boolean {
  if (me.user.isSuperadmin) return true;
  if (SUPERADMIN_ONLY.has(permission)) return false;
  return rolesAt(me, orgsById, orgId).some((role) => roleGrants(role, permission));
}
