import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { OrgKind } from '../db/schema.ts';

const orgColumns = [
  'id',
  'parentId',
  'name',
  'kind',
  'slug',
  'postalCodes',
  'timeZone',
  'archivedAt',
  'createdAt',
] as const;

/**
 * The units in line with `orgId` — the unit, the units above it and the units below it, never a
 * sibling — as a subquery for `where <unit column> in …`. What a unit may use of others (tags,
 * fields, lists, assignments, campaigns) and who may take part in its work.
 */
export function unitsInLineWith(orgId: string) {
  return sql<string>`(select ancestor_id from org_tree where descendant_id = ${orgId}::uuid
    union select descendant_id from org_tree where ancestor_id = ${orgId}::uuid)`;
}

export function findOrg(db: Db, id: string) {
  return db.selectFrom('orgUnits').select(orgColumns).where('id', '=', id).executeTakeFirst();
}

export function findAllOrgs(db: Db, opts: { includeArchived: boolean }) {
  let q = db.selectFrom('orgUnits').select(orgColumns);
  if (!opts.includeArchived) q = q.where('archivedAt', 'is', null);
  return q.orderBy('name').execute();
}

/** The units in the subtrees of the given roots (roots included). */
export function findOrgsInSubtrees(db: Db, rootIds: string[], opts: { includeArchived: boolean }) {
  if (rootIds.length === 0) return Promise.resolve([]);
  let q = db
    .selectFrom('orgUnits')
    .select(orgColumns)
    .where('id', 'in', db.selectFrom('orgTree').select('descendantId').where('ancestorId', 'in', rootIds));
  if (!opts.includeArchived) q = q.where('archivedAt', 'is', null);
  return q.orderBy('name').execute();
}

export async function subtreeIds(db: Db, rootIds: string[]): Promise<string[]> {
  if (rootIds.length === 0) return [];
  const rows = await db
    .selectFrom('orgTree')
    .select('descendantId')
    .distinct()
    .where('ancestorId', 'in', rootIds)
    .execute();
  return rows.map((r) => r.descendantId);
}

/** The unit and all units above it, nearest first. */
export async function ancestorIds(db: Db, orgId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('orgTree')
    .select('ancestorId')
    .where('descendantId', '=', orgId)
    .orderBy('depth')
    .execute();
  return rows.map((r) => r.ancestorId);
}

export function slugExists(db: Db, slug: string) {
  return db.selectFrom('orgUnits').select('id').where('slug', '=', slug).executeTakeFirst();
}

export async function insertOrg(
  db: Db,
  row: { parentId: string | null; name: string; kind: OrgKind; slug: string; postalCodes: string[] },
) {
  const org = await db.insertInto('orgUnits').values(row).returning(orgColumns).executeTakeFirstOrThrow();
  // Closure rows: itself at depth 0, plus every ancestor of the parent one level deeper.
  await sql`
    insert into org_tree (ancestor_id, descendant_id, depth)
    select ${org.id}::uuid, ${org.id}::uuid, 0
    union all
    select ancestor_id, ${org.id}::uuid, depth + 1 from org_tree where descendant_id = ${row.parentId}::uuid`.execute(
    db,
  );
  return org;
}

export function updateOrg(
  db: Db,
  id: string,
  patch: Partial<{
    name: string;
    kind: OrgKind;
    postalCodes: string[];
    parentId: string | null;
    archivedAt: Date | null;
  }>,
) {
  return db
    .updateTable('orgUnits')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .returning(orgColumns)
    .executeTakeFirstOrThrow();
}

/**
 * Moves a subtree under a new parent in the closure table: drop the links from the old ancestors
 * to every node of the subtree, then link every new ancestor to every node of the subtree.
 */
export async function moveSubtree(db: Db, orgId: string, newParentId: string) {
  await sql`
    delete from org_tree
    where descendant_id in (select descendant_id from org_tree where ancestor_id = ${orgId})
      and ancestor_id not in (select descendant_id from org_tree where ancestor_id = ${orgId})`.execute(db);
  await sql`
    insert into org_tree (ancestor_id, descendant_id, depth)
    select up.ancestor_id, down.descendant_id, up.depth + down.depth + 1
    from org_tree up cross join org_tree down
    where up.descendant_id = ${newParentId} and down.ancestor_id = ${orgId}`.execute(db);
}

export function isDescendant(db: Db, ancestorId: string, descendantId: string) {
  return db
    .selectFrom('orgTree')
    .select('depth')
    .where('ancestorId', '=', ancestorId)
    .where('descendantId', '=', descendantId)
    .executeTakeFirst();
}

export async function countActiveChildren(db: Db, orgId: string): Promise<number> {
  const row = await db
    .selectFrom('orgUnits')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parentId', '=', orgId)
    .where('archivedAt', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findOrgByIdOrSlug(db: Db, idOrSlug: string) {
  const isUuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug);
  return db
    .selectFrom('orgUnits')
    .select(orgColumns)
    .where(isUuid ? 'id' : 'slug', '=', idOrSlug)
    .executeTakeFirst();
}
