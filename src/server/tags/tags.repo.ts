import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';

const tagColumns = ['t.id', 't.orgId', 't.name', 't.color', 't.groupName'] as const;

/** Tags usable in a unit: those defined in it or any unit above (inheritance down the tree). */
export function findTagsVisibleIn(db: Db, orgId: string) {
  return db
    .selectFrom('tags as t')
    .innerJoin('orgTree as tr', (j) =>
      j.onRef('tr.ancestorId', '=', 't.orgId').on('tr.descendantId', '=', orgId),
    )
    .select(tagColumns)
    .orderBy('t.groupName')
    .orderBy('t.name')
    .execute();
}

/** Which of the tags are defined at the unit, above it or below it (never a sibling's). */
export async function findTagIdsInLineWith(db: Db, ids: string[], orgId: string) {
  const rows = await db
    .selectFrom('tags')
    .select('id')
    .where('id', 'in', ids)
    .where('orgId', 'in', unitsInLineWith(orgId))
    .execute();
  return rows.map((r) => r.id);
}

export function findTagsByIds(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db.selectFrom('tags as t').select(tagColumns).where('t.id', 'in', ids).execute();
}

export function findTagByName(db: Db, orgId: string, name: string) {
  return db
    .selectFrom('tags as t')
    .select(tagColumns)
    .where('t.orgId', '=', orgId)
    .where(sql<string>`lower(t.name)`, '=', name.toLowerCase())
    .executeTakeFirst();
}

export function insertTag(
  db: Db,
  row: { orgId: string; name: string; color: string; groupName: string | null },
) {
  return db
    .insertInto('tags')
    .values(row)
    .returning(['id', 'orgId', 'name', 'color', 'groupName'])
    .executeTakeFirstOrThrow();
}

/** Replaces the person's tags among `manageable` with `tagIds`; tags outside that set stay. */
export async function setPersonTags(db: Db, personId: string, tagIds: string[], manageable: string[]) {
  if (manageable.length) {
    await db
      .deleteFrom('personTags')
      .where('personId', '=', personId)
      .where('tagId', 'in', manageable)
      .$if(tagIds.length > 0, (q) => q.where('tagId', 'not in', tagIds))
      .execute();
  }
  if (tagIds.length) {
    await db
      .insertInto('personTags')
      .values(tagIds.map((tagId) => ({ personId, tagId })))
      .onConflict((oc) => oc.columns(['personId', 'tagId']).doNothing())
      .execute();
  }
}

export async function addTagToPeople(db: Db, tagId: string, personIds: string[]) {
  if (!personIds.length) return 0;
  const res = await db
    .insertInto('personTags')
    .values(personIds.map((personId) => ({ personId, tagId })))
    .onConflict((oc) => oc.columns(['personId', 'tagId']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

export async function removeTagFromPeople(db: Db, tagId: string, personIds: string[]) {
  if (!personIds.length) return 0;
  const res = await db
    .deleteFrom('personTags')
    .where('tagId', '=', tagId)
    .where('personId', 'in', personIds)
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}

export function addTagsToPerson(db: Db, personId: string, tagIds: string[]) {
  return db
    .insertInto('personTags')
    .values(tagIds.map((tagId) => ({ personId, tagId })))
    .onConflict((oc) => oc.columns(['personId', 'tagId']).doNothing())
    .execute();
}
