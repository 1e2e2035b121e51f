import type { Expression, SqlBool } from 'kysely';
import type { z } from 'zod';
import type { PageQuery } from '../../shared/common.ts';
import type {
  FilterNode,
  QueryCreate,
  QueryPreviewBody,
  QueryUpdate,
  QueryView,
} from '../../shared/queries.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { CURSORS, decodeCursor, pageOf } from '../pagination.ts';
import * as peopleRepo from '../people/people.repo.ts';
import { toPersonListItem } from '../people/people.service.ts';
import type { FilterQueryRef } from './filter-kind.ts';
import {
  compileFilter,
  describeFilterKinds,
  type PreparedFilter,
  parseFilter,
  prepareFilter,
} from './filter-registry.ts';
import * as repo from './queries.repo.ts';

const SAMPLE_SIZE = 10;

export function toQueryView(q: repo.QueryRecord): QueryView {
  return {
    ...q,
    filter: q.filter as FilterNode,
    snapshotAt: q.snapshotAt?.toISOString() ?? null,
    createdAt: q.createdAt.toISOString(),
    updatedAt: q.updatedAt.toISOString(),
  };
}

/** Like requireOrgPermission, but a unit the actor may not read is "not found" (no existence leak). */
async function requireQueryAccess(ctx: Ctx, orgId: string, permission: 'people:read' | 'people:write') {
  try {
    await requireOrgPermission(ctx, orgId, permission);
  } catch (err) {
    if (err instanceof AppError && err.code === 'forbidden' && permission === 'people:read')
      throw new AppError('not_found', 'Saved list not found.');
    throw err;
  }
}

/** Loads a saved list the actor may use with `permission`, else 404. */
export async function requireQuery(
  ctx: Ctx,
  id: string,
  permission: 'people:read' | 'people:write' = 'people:read',
) {
  const q = await repo.findQuery(ctx.db, id);
  if (!q) throw new AppError('not_found', 'Saved list not found.');
  try {
    await requireQueryAccess(ctx, q.orgId, permission);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found')
      throw new AppError('not_found', 'Saved list not found.');
    throw err;
  }
  return q;
}

/** Saved lists another filter may refer to: those the actor may read. */
function queryLoader(ctx: Ctx) {
  return async (id: string): Promise<FilterQueryRef | undefined> => {
    const q = await repo.findQuery(ctx.db, id);
    if (!q) return undefined;
    try {
      await requireOrgPermission(ctx, q.orgId, 'people:read');
    } catch {
      return undefined;
    }
    return { id: q.id, orgId: q.orgId, mode: q.mode, filter: q.filter as FilterNode };
  };
}

/** Checks a filter for the unit (400 naming the filter on problems) and compiles it to one condition. */
export async function compileForOrg(
  ctx: Ctx,
  orgId: string,
  filter: FilterNode,
  selfId?: string,
): Promise<{ prepared: PreparedFilter; where: Expression<SqlBool> }> {
  const prepared = await prepareFilter({ db: ctx.db, orgId, filter, selfId, loadQuery: queryLoader(ctx) });
  return { prepared, where: compileFilter(prepared) };
}

/**
 * The people of a saved list as one condition (dynamic: its filter in its unit; snapshot: the
 * fixed people), with the list's name (exports are named after it).
 */
export async function compileSavedQuery(
  ctx: Ctx,
  queryId: string,
): Promise<{ where: Expression<SqlBool>; name: string }> {
  const q = await requireQuery(ctx, queryId);
  const { where } = await compileForOrg(ctx, q.orgId, { kind: 'savedQuery', queryId: q.id, mode: 'include' });
  return { where, name: q.name };
}

export function listFilterKinds() {
  return describeFilterKinds();
}

export async function previewQuery(ctx: Ctx, body: z.infer<typeof QueryPreviewBody>) {
  await requireOrgPermission(ctx, body.orgId, 'people:read');
  const { where } = await compileForOrg(ctx, body.orgId, parseFilter(body.filter));
  const count = await repo.countPeople(ctx.db, body.orgId, where);
  const rows = count
    ? await peopleRepo.listPeople(ctx.db, {
        rootOrgId: body.orgId,
        terms: [],
        where,
        sort: 'name',
        limit: SAMPLE_SIZE,
      })
    : [];
  return { count, sample: rows.slice(0, SAMPLE_SIZE).map(toPersonListItem) };
}

export async function listQueries(ctx: Ctx, orgId: string) {
  await requireOrgPermission(ctx, orgId, 'people:read');
  return { items: (await repo.findQueriesInSubtree(ctx.db, orgId)).map(toQueryView), nextCursor: null };
}

export async function getQuery(ctx: Ctx, id: string) {
  return toQueryView(await requireQuery(ctx, id));
}

async function takeSnapshot(ctx: Ctx, queryId: string, orgId: string, where: Expression<SqlBool>) {
  const count = await repo.replaceSnapshot(ctx.db, queryId, orgId, where);
  await repo.updateQueryRow(ctx.db, queryId, { snapshotAt: new Date(), snapshotCount: count });
  return count;
}

/** A snapshot list made of hand-picked people: exactly those of the subtree. */
async function fixMembers(ctx: Ctx, queryId: string, orgId: string, personIds: string[]) {
  const count = await repo.addSnapshotMembers(ctx.db, queryId, orgId, personIds);
  await repo.updateQueryRow(ctx.db, queryId, { snapshotAt: new Date(), snapshotCount: count });
  return count;
}

/** A filter that matches everyone: an empty, not negated group (lists put together by hand). */
function matchesEveryone(filter: FilterNode) {
  return filter.kind === 'group' && filter.children.length === 0 && !filter.not;
}

/** JSON with sorted keys, so a filter sent back unchanged compares equal to the stored jsonb. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

export async function createQuery(ctx: Ctx, input: z.infer<typeof QueryCreate>) {
  await requireOrgPermission(ctx, input.orgId, 'people:write');
  const filter = parseFilter(input.filter);
  const { where } = await compileForOrg(ctx, input.orgId, filter);
  const id = await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    const { id } = await repo.insertQuery(trx, {
      orgId: input.orgId,
      ownerId: ctx.actor.userId,
      name: input.name,
      description: input.description ?? null,
      mode: input.mode,
      filter,
    });
    const count =
      input.mode !== 'snapshot'
        ? null
        : input.personIds
          ? await fixMembers(tctx, id, input.orgId, input.personIds)
          : await takeSnapshot(tctx, id, input.orgId, where);
    await audit.record(
      tctx,
      'query.created',
      { type: 'query', id, orgId: input.orgId },
      { mode: input.mode, snapshotCount: count, ...(input.personIds ? { fromPersonIds: true } : {}) },
    );
    return id;
  });
  return getQuery(ctx, id);
}

export async function updateQuery(ctx: Ctx, id: string, patch: z.infer<typeof QueryUpdate>) {
  const q = await requireQuery(ctx, id, 'people:write');
  const filter = patch.filter ? parseFilter(patch.filter) : (q.filter as FilterNode);
  const mode = patch.mode ?? q.mode;
  // Always re-checked: the new filter, or the old one when it may now point at a changed list.
  const { where } = await compileForOrg(ctx, q.orgId, filter, q.id);
  // A filter sent back unchanged (the editor always sends it) keeps the people fixed before.
  const filterChanged = patch.filter !== undefined && canonical(filter) !== canonical(q.filter);
  if (
    q.mode === 'snapshot' &&
    mode === 'snapshot' &&
    patch.refresh &&
    !filterChanged &&
    matchesEveryone(filter)
  )
    throw new AppError(
      'rule_violation',
      'This list has no filter (its people were picked by hand): taking it again would put everyone of the unit on it. Give it a filter first.',
    );
  const resnapshot =
    mode === 'snapshot' && (filterChanged || q.mode !== 'snapshot' || patch.refresh === true);
  await ctx.db.transaction().execute(async (trx) => {
    const tctx = { ...ctx, db: trx };
    await repo.updateQueryRow(trx, q.id, {
      name: patch.name,
      description: patch.description,
      mode: patch.mode,
      filter: patch.filter ? filter : undefined,
      ...(mode === 'dynamic' ? { snapshotAt: null, snapshotCount: null } : {}),
    });
    if (mode === 'dynamic' && q.mode === 'snapshot') await repo.clearSnapshot(trx, q.id);
    const count = resnapshot ? await takeSnapshot(tctx, q.id, q.orgId, where) : undefined;
    await audit.record(
      tctx,
      'query.updated',
      { type: 'query', id: q.id, orgId: q.orgId },
      { fields: Object.keys(patch), snapshotCount: count ?? null },
    );
  });
  return getQuery(ctx, q.id);
}

export async function deleteQuery(ctx: Ctx, id: string) {
  const q = await requireQuery(ctx, id, 'people:write');
  const users = await repo.findQueriesReferring(ctx.db, q.id);
  if (users.length)
    throw new AppError('conflict', `Other lists include this one: ${users.join(', ')}. Change them first.`);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.deleteQueryRow(trx, q.id);
    await audit.record({ ...ctx, db: trx }, 'query.deleted', { type: 'query', id: q.id, orgId: q.orgId }, {});
  });
}

/** The people of a saved list, by name, keyset-paginated. */
export async function listQueryPeople(ctx: Ctx, id: string, page: z.infer<typeof PageQuery>) {
  const q = await requireQuery(ctx, id);
  const { where } = await compileForOrg(ctx, q.orgId, { kind: 'savedQuery', queryId: q.id, mode: 'include' });
  const rows = await peopleRepo.listPeople(ctx.db, {
    rootOrgId: q.orgId,
    terms: [],
    where,
    sort: 'name',
    after: decodeCursor(page.cursor, CURSORS.textTextId),
    limit: page.limit,
  });
  const { items, nextCursor } = pageOf(rows, page.limit, (r) => [r.lastName, r.firstName, r.id]);
  return { items: items.map(toPersonListItem), nextCursor };
}

/** A snapshot list the actor may change; a dynamic list has no fixed people (422). */
async function requireSnapshotQuery(ctx: Ctx, id: string) {
  const q = await requireQuery(ctx, id, 'people:write');
  if (q.mode !== 'snapshot')
    throw new AppError(
      'rule_violation',
      `"${q.name}" is a dynamic list: its people follow its filter and cannot be added or removed by hand. Use a list with a fixed set of people (snapshot).`,
    );
  return q;
}

async function changeMembers(ctx: Ctx, id: string, personIds: string[], change: 'add' | 'remove') {
  const q = await requireSnapshotQuery(ctx, id);
  return ctx.db.transaction().execute(async (trx) => {
    const changed =
      change === 'add'
        ? await repo.addSnapshotMembers(trx, q.id, q.orgId, personIds)
        : await repo.removeSnapshotMembers(trx, q.id, personIds);
    const count = await repo.countSnapshotMembers(trx, q.id);
    await repo.updateQueryRow(trx, q.id, { snapshotCount: count });
    await audit.record(
      { ...ctx, db: trx },
      change === 'add' ? 'query.members_added' : 'query.members_removed',
      { type: 'query', id: q.id, orgId: q.orgId },
      {
        requested: personIds.length,
        [change === 'add' ? 'added' : 'removed']: changed,
        snapshotCount: count,
      },
    );
    return changed;
  });
}

/** Adds people of the list's unit to a snapshot list; ids outside it are ignored. */
export async function addQueryMembers(ctx: Ctx, id: string, personIds: string[]) {
  return { added: await changeMembers(ctx, id, personIds, 'add') };
}

export async function removeQueryMembers(ctx: Ctx, id: string, personIds: string[]) {
  return { removed: await changeMembers(ctx, id, personIds, 'remove') };
}
