import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { peopleFilter } from '../people/people.repo.ts';

const queryColumns = [
  'q.id',
  'q.orgId',
  'o.name as orgName',
  'q.name',
  'q.description',
  'q.mode',
  'q.filter',
  'q.ownerId',
  'u.name as ownerName',
  'q.snapshotAt',
  'q.snapshotCount',
  'q.createdAt',
  'q.updatedAt',
] as const;

const queriesWithNames = (db: Db) =>
  db
    .selectFrom('queries as q')
    .innerJoin('orgUnits as o', 'o.id', 'q.orgId')
    .leftJoin('users as u', 'u.id', 'q.ownerId');

export function findQuery(db: Db, id: string) {
  return queriesWithNames(db).select(queryColumns).where('q.id', '=', id).executeTakeFirst();
}
export type QueryRecord = NonNullable<Awaited<ReturnType<typeof findQuery>>>;

/** Saved lists of a unit and the units below it, by name. */
export function findQueriesInSubtree(db: Db, orgId: string) {
  return queriesWithNames(db)
    .select(queryColumns)
    .where('q.orgId', 'in', (eb) =>
      eb.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', orgId),
    )
    .orderBy(sql`lower(q.name)`)
    .orderBy('q.id')
    .limit(1000)
    .execute();
}

/** Names of the lists whose filter refers to `queryId`. */
export async function findQueriesReferring(db: Db, queryId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('queries')
    .select('name')
    .where('id', '<>', queryId)
    .where(sql<SqlBool>`filter::text like ${`%${queryId}%`}`)
    .orderBy('name')
    .execute();
  return rows.map((r) => r.name);
}

export function insertQuery(
  db: Db,
  row: {
    orgId: string;
    ownerId: string;
    name: string;
    description: string | null;
    mode: 'dynamic' | 'snapshot';
    filter: unknown;
  },
) {
  return db
    .insertInto('queries')
    .values({ ...row, filter: JSON.stringify(row.filter) })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function updateQueryRow(
  db: Db,
  id: string,
  patch: {
    name?: string;
    description?: string | null;
    mode?: 'dynamic' | 'snapshot';
    filter?: unknown;
    snapshotAt?: Date | null;
    snapshotCount?: number | null;
  },
) {
  const { filter, ...rest } = patch;
  return db
    .updateTable('queries')
    .set({
      ...rest,
      ...(filter !== undefined ? { filter: JSON.stringify(filter) } : {}),
      updatedAt: new Date(),
    })
    .where('id', '=', id)
    .execute();
}

export function deleteQueryRow(db: Db, id: string) {
  return db.deleteFrom('queries').where('id', '=', id).execute();
}

/** How many people of the subtree match: one statement. */
export async function countPeople(db: Db, rootOrgId: string, where: Expression<SqlBool>): Promise<number> {
  const row = await db
    .selectFrom('people as p')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where(peopleFilter({ rootOrgId, terms: [], where }))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Replaces a snapshot list's people with those matching now, in one statement; returns the count. */
export async function replaceSnapshot(
  db: Db,
  queryId: string,
  rootOrgId: string,
  where: Expression<SqlBool>,
): Promise<number> {
  await db.deleteFrom('querySnapshotMembers').where('queryId', '=', queryId).execute();
  const res = await db
    .insertInto('querySnapshotMembers')
    .columns(['queryId', 'personId'])
    .expression((eb) =>
      eb
        .selectFrom('people as p')
        .select([sql<string>`${queryId}::uuid`.as('queryId'), 'p.id'])
        .where(peopleFilter({ rootOrgId, terms: [], where })),
    )
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

export function clearSnapshot(db: Db, queryId: string) {
  return db.deleteFrom('querySnapshotMembers').where('queryId', '=', queryId).execute();
}

/** Adds the given people of the subtree to a snapshot list (others ignored); returns how many were new. */
export async function addSnapshotMembers(
  db: Db,
  queryId: string,
  rootOrgId: string,
  personIds: string[],
): Promise<number> {
  const res = await db
    .insertInto('querySnapshotMembers')
    .columns(['queryId', 'personId'])
    .expression((eb) =>
      eb
        .selectFrom('people')
        .select([sql<string>`${queryId}::uuid`.as('queryId'), 'id'])
        .where('id', 'in', personIds)
        .where('orgId', 'in', (sub) =>
          sub.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', rootOrgId),
        ),
    )
    .onConflict((oc) => oc.columns(['queryId', 'personId']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

/** Removes the given people from a snapshot list; returns how many were members. */
export async function removeSnapshotMembers(db: Db, queryId: string, personIds: string[]): Promise<number> {
  const res = await db
    .deleteFrom('querySnapshotMembers')
    .where('queryId', '=', queryId)
    .where('personId', 'in', personIds)
    .executeTakeFirst();
  return Number(res.numDeletedRows ?? 0);
}

export async function countSnapshotMembers(db: Db, queryId: string): Promise<number> {
  const row = await db
    .selectFrom('querySnapshotMembers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('queryId', '=', queryId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
