import { type Permission, roleGrants, SUPERADMIN_ONLY } from '../../shared/permissions.ts';
import type { Actor, Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { ancestorIds, findOrg, subtreeIds } from '../orgs/orgs.repo.ts';

/** Does the actor hold the permission anywhere (or as superadmin)? Used by the route guard. */
export function holdsPermissionSomewhere(actor: Actor, permission: Permission): boolean {
  if (actor.isSuperadmin || permission === 'account:self') return true;
  if (SUPERADMIN_ONLY.has(permission)) return false;
  return actor.memberships.some((m) => roleGrants(m.role, permission));
}

/**
 * The scope check for one unit: the actor needs a role granting `permission` on the unit or one
 * above it. A unit outside every subtree of the actor is "not found" (its existence is not leaked);
 * one inside their scope but without the right role is "forbidden".
 */
export async function requireOrgPermission(ctx: Ctx, orgId: string, permission: Permission) {
  const org = await findOrg(ctx.db, orgId);
  if (!org) throw new AppError('not_found', 'Org unit not found.');
  if (ctx.actor.isSuperadmin) return org;
  const above = new Set(await ancestorIds(ctx.db, orgId));
  const relevant = ctx.actor.memberships.filter((m) => above.has(m.orgId));
  if (relevant.length === 0) throw new AppError('not_found', 'Org unit not found.');
  if (SUPERADMIN_ONLY.has(permission) || !relevant.some((m) => roleGrants(m.role, permission))) {
    throw new AppError('forbidden', 'Your role in this unit does not allow this.');
  }
  return org;
}

/**
 * Does the actor hold `permission` on this unit now, through a role on it or a unit above it? Asked
 * at every request for grants that other rows seem to carry (a caller row of an assignment): a
 * removed role ends the access at once.
 */
export async function holdsPermissionOn(ctx: Ctx, orgId: string, permission: Permission): Promise<boolean> {
  if (ctx.actor.isSuperadmin) return true;
  const granting = ctx.actor.memberships.filter((m) => roleGrants(m.role, permission));
  if (granting.length === 0) return false;
  const above = new Set(await ancestorIds(ctx.db, orgId));
  return granting.some((m) => above.has(m.orgId));
}

/** The units in whose subtrees the actor holds `permission`; `undefined` means everywhere (superadmin). */
export function permissionRoots(ctx: Ctx, permission: Permission): string[] | undefined {
  if (ctx.actor.isSuperadmin) return undefined;
  return ctx.actor.memberships.filter((m) => roleGrants(m.role, permission)).map((m) => m.orgId);
}

/** All unit ids where the actor holds `permission`; `undefined` means every unit (superadmin). */
export async function orgIdsWithPermission(ctx: Ctx, permission: Permission): Promise<string[] | undefined> {
  if (ctx.actor.isSuperadmin) return undefined;
  const roots = ctx.actor.memberships.filter((m) => roleGrants(m.role, permission)).map((m) => m.orgId);
  return subtreeIds(ctx.db, roots);
}

export function requireSuperadmin(ctx: Ctx): void {
  if (!ctx.actor.isSuperadmin) throw new AppError('forbidden', 'Only instance administrators may do this.');
}
