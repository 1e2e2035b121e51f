import type { z } from 'zod';
import type {
  CatchmentCheckBody,
  CatchmentProblemView,
  OrgCreateBody,
  OrgUpdateBody,
  OrgView,
} from '../../shared/orgs.ts';
import { roleGrants } from '../../shared/permissions.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import type { OrgUnit } from '../db/schema.ts';
import { AppError } from '../errors.ts';
import { rerouteAfterCatchmentChange } from '../people/people.service.ts';
import { newProblems } from './catchments.ts';
import * as repo from './orgs.repo.ts';
import { slugify } from './slug.ts';

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

const NEW_UNIT = '00000000-0000-0000-0000-000000000000';

/**
 * What a catchment change would break (catchments.ts): `units` as they are, `change` the unit as it
 * would be (`archived` drops it from routing). Each problem names the code and the unit concerned.
 */
async function catchmentProblemsOf(
  db: Db,
  change: { id: string; parentId: string | null; name: string; postalCodes: string[]; archived?: boolean },
): Promise<CatchmentProblemView[]> {
  const before = (await repo.findAllOrgs(db, { includeArchived: false })).map((o) => ({
    id: o.id,
    parentId: o.parentId,
    name: o.name,
    postalCodes: o.postalCodes,
  }));
  const after = before.filter((u) => u.id !== change.id);
  if (!change.archived) after.push(change);
  const names = new Map(after.map((u) => [u.id, u.name]));
  const subtree = new Set(change.id === NEW_UNIT ? [NEW_UNIT] : await repo.subtreeIds(db, [change.id]));
  return newProblems(before, after).map((p) => {
    if (p.kind === 'outside_parent') {
      return {
        kind: p.kind,
        code: p.code,
        unitName: names.get(p.unitId)!,
        otherUnitName: names.get(p.parentId)!,
      };
    }
    // Told from the side of the unit being changed: our code, the other branch's unit.
    const ours = subtree.has(p.unitId);
    return {
      kind: p.kind,
      code: ours ? p.code : p.otherCode,
      unitName: names.get(ours ? p.unitId : p.otherUnitId)!,
      otherUnitName: names.get(ours ? p.otherUnitId : p.unitId)!,
      otherCode: ours ? p.otherCode : p.code,
    };
  });
}

/** 422 for a code outside the parent's catchment, 409 for a code another branch's unit holds. */
function refuseCatchmentProblems(problems: CatchmentProblemView[]) {
  const outside = problems.filter((p) => p.kind === 'outside_parent');
  if (outside.length) {
    const p = outside[0];
    throw new AppError(
      'rule_violation',
      `Postal code ${p.code} of ${p.unitName} lies outside the catchment of ${p.otherUnitName}: a unit's catchment may only narrow its parent's.`,
      outside.map((o) => ({ path: 'body.postalCodes', message: `${o.code}: outside ${o.otherUnitName}` })),
    );
  }
  if (problems.length) {
    const p = problems[0];
    throw new AppError(
      'conflict',
      `Postal code ${p.code} overlaps the catchment of ${p.otherUnitName} (${p.otherCode}).`,
      problems.map((o) => ({
        path: 'body.postalCodes',
        message: `${o.code}: ${o.otherUnitName} (${o.otherCode})`,
      })),
    );
  }
}

/**
 * The subtree re-routing may move people within after a change by this actor: that of the highest
 * unit at or above `orgId` where they may change units (null: everywhere, for superadmins). People
 * are never pulled in from outside it, nor pushed out of it.
 */
async function rerouteRoot(ctx: Ctx, orgId: string): Promise<string | null> {
  if (ctx.actor.isSuperadmin) return null;
  const writable = new Set(
    ctx.actor.memberships.filter((m) => roleGrants(m.role, 'orgs:write')).map((m) => m.orgId),
  );
  const above = await repo.ancestorIds(ctx.db, orgId);
  return above.filter((id) => writable.has(id)).at(-1) ?? orgId;
}

/** For the form: what saving these codes would break, without saving (the same checks as saving). */
export async function checkCatchment(ctx: Ctx, input: z.infer<typeof CatchmentCheckBody>) {
  const org = input.orgId ? await requireOrgPermission(ctx, input.orgId, 'orgs:write') : undefined;
  if (!org && input.parentId) await requireOrgPermission(ctx, input.parentId, 'orgs:write');
  const problems = await catchmentProblemsOf(ctx.db, {
    id: org?.id ?? NEW_UNIT,
    parentId: input.parentId === undefined ? (org?.parentId ?? null) : input.parentId,
    name: org?.name ?? input.name ?? '',
    postalCodes: input.postalCodes,
  });
  return { problems };
}

export async function createOrg(ctx: Ctx, input: z.infer<typeof OrgCreateBody>) {
  if (input.parentId === null) {
    if (!ctx.actor.isSuperadmin)
      throw new AppError('forbidden', 'Only instance administrators create top-level units.');
  } else {
    const parent = await requireOrgPermission(ctx, input.parentId, 'orgs:write');
    if (parent.archivedAt) throw new AppError('rule_violation', 'The parent unit is archived.');
  }
  const postalCodes = input.postalCodes ?? [];
  refuseCatchmentProblems(
    await catchmentProblemsOf(ctx.db, {
      id: NEW_UNIT,
      parentId: input.parentId,
      name: input.name,
      postalCodes,
    }),
  );
  const within = input.parentId ? await rerouteRoot(ctx, input.parentId) : null;
  const org = await ctx.db.transaction().execute(async (trx) => {
    const org = await repo.insertOrg(trx, {
      parentId: input.parentId,
      name: input.name,
      kind: input.kind,
      slug: await uniqueSlug(trx, input.name),
      postalCodes,
    });
    await rerouteAfterCatchmentChange(trx, org.postalCodes, within);
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
  if (input.postalCodes || moving || input.archived === false) {
    refuseCatchmentProblems(
      await catchmentProblemsOf(ctx.db, {
        id,
        parentId: moving ? input.parentId! : org.parentId,
        name: input.name ?? org.name,
        postalCodes: input.postalCodes ?? org.postalCodes,
        archived: input.archived ?? org.archivedAt != null,
      }),
    );
  }
  // Re-routing stays inside what the actor may change, at the old place and the new one.
  const within = await rerouteRoot(ctx, id);
  const withinNew = moving ? await rerouteRoot(ctx, input.parentId!) : within;
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
      const prefixes = [...new Set([...org.postalCodes, ...updated.postalCodes])];
      await rerouteAfterCatchmentChange(trx, prefixes, within);
      if (withinNew !== within) await rerouteAfterCatchmentChange(trx, prefixes, withinNew);
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
