import type { z } from 'zod';
import type { OrgCreateBody, OrgUpdateBody, OrgView } from '../../shared/orgs.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import type { OrgUnit } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { rerouteAfterCatchmentChange } from '../people/people.service.ts';
import * as repo from './orgs.repo.ts';

type OrgRow = Pick<
  OrgUnit,
  'id' | 'parentId' | 'name' | 'kind' | 'slug' | 'postalCodes' | 'timeZone' | 'archivedAt'
>;

export const toOrgView = (o: OrgRow): OrgView => ({
  id: o.id,
  parentId: o.parentId,
  name: o.name,
  kind: o.kind,
  slug: o.slug,
  postalCodes: o.postalCodes,
  timeZone: o.timeZone,
  archived: o.archivedAt != null,
});

/** "Kreisverband Görlitz" → "kreisverband-goerlitz". */
export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .replace(/ä/g, 'ae')
    .replace(/ö/g, 'oe')
    .replace(/ü/g, 'ue')
    .replace(/ß/g, 'ss')
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return base || 'einheit';
}

async function uniqueSlug(db: Db, name: string): Promise<string> {
  const base = slugify(name);
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? base : `${base}-${n}`;
    if (!(await repo.slugExists(db, candidate))) return candidate;
  }
}

/** The units the actor may see: the subtrees of their memberships (everything for superadmins). */
export async function listOrgs(ctx: Ctx, opts: { includeArchived?: boolean } = {}) {
  const includeArchived = opts.includeArchived ?? false;
  const rows = ctx.actor.isSuperadmin
    ? await repo.findAllOrgs(ctx.db, { includeArchived })
    : await repo.findOrgsInSubtrees(
        ctx.db,
        ctx.actor.memberships.map((m) => m.orgId),
        { includeArchived },
      );
  return { items: rows.map(toOrgView), nextCursor: null };
}

export async function getOrg(ctx: Ctx, id: string) {
  return toOrgView(await requireOrgPermission(ctx, id, 'orgs:read'));
}

export async function createOrg(ctx: Ctx, input: z.infer<typeof OrgCreateBody>) {
  if (input.parentId === null) {
    if (!ctx.actor.isSuperadmin)
      throw new AppError('forbidden', 'Only instance administrators create top-level units.');
  } else {
    const parent = await requireOrgPermission(ctx, input.parentId, 'orgs:write');
    if (parent.archivedAt) throw new AppError('rule_violation', 'The parent unit is archived.');
  }
  const org = await ctx.db.transaction().execute(async (trx) => {
    const org = await repo.insertOrg(trx, {
      parentId: input.parentId,
      name: input.name,
      kind: input.kind,
      slug: await uniqueSlug(trx, input.name),
      postalCodes: input.postalCodes ?? [],
    });
    await rerouteAfterCatchmentChange(trx, org.postalCodes);
    return org;
  });
  await audit.record(
    ctx,
    'org.created',
    { type: 'org', id: org.id, orgId: org.id },
    { name: org.name, kind: org.kind },
  );
  return toOrgView(org);
}

export async function updateOrg(ctx: Ctx, id: string, input: z.infer<typeof OrgUpdateBody>) {
  const org = await requireOrgPermission(ctx, id, 'orgs:write');
  const moving = input.parentId !== undefined && input.parentId !== org.parentId;
  if (moving) {
    if (!org.parentId) throw new AppError('rule_violation', 'The top-level unit cannot be moved.');
    const newParentId = input.parentId!;
    if (newParentId === id || (await repo.isDescendant(ctx.db, id, newParentId))) {
      throw new AppError('org_cycle', 'A unit cannot be moved below itself or one of its sub-units.');
    }
    const parent = await requireOrgPermission(ctx, newParentId, 'orgs:write');
    if (parent.archivedAt) throw new AppError('rule_violation', 'The new parent unit is archived.');
  }
  if (input.archived === true && !org.archivedAt && (await repo.countActiveChildren(ctx.db, id)) > 0) {
    throw new AppError('rule_violation', 'Archive or move the sub-units first.');
  }
  if (input.archived === true && !org.parentId) {
    throw new AppError('rule_violation', 'The top-level unit cannot be archived.');
  }
  const updated = await ctx.db.transaction().execute(async (trx) => {
    if (moving) await repo.moveSubtree(trx, id, input.parentId!);
    const updated = await repo.updateOrg(trx, id, {
      name: input.name,
      kind: input.kind,
      postalCodes: input.postalCodes,
      parentId: moving ? input.parentId : undefined,
      archivedAt:
        input.archived === undefined ? undefined : input.archived ? (org.archivedAt ?? new Date()) : null,
    });
    // People routed by postal code follow catchment changes, moves (depth decides ties) and archiving.
    if (input.postalCodes || moving || input.archived !== undefined) {
      await rerouteAfterCatchmentChange(trx, [...new Set([...org.postalCodes, ...updated.postalCodes])]);
    }
    return updated;
  });
  const changed = Object.keys(input).filter((k) => input[k as keyof typeof input] !== undefined);
  await audit.record(
    ctx,
    moving ? 'org.moved' : 'org.updated',
    { type: 'org', id, orgId: id },
    { fields: changed },
  );
  return toOrgView(updated);
}
