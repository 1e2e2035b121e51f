import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** Locks the people rows of a merge (a concurrent merge or edit of them waits); returns the ids found. */
export async function lockPeople(db: Db, ids: string[]): Promise<string[]> {
  const rows = await db.selectFrom('people').select('id').where('id', 'in', ids).forUpdate().execute();
  return rows.map((r) => r.id);
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Every column that references people(id), read from the catalog: the merge moves all of them,
 * so data of modules added later (calls, surveys, events …) follows the kept person without
 * anyone remembering to extend the merge.
 */
async function personReferences(db: Db) {
  const { rows } = await sql<{ tableOid: number; tableName: string; columnName: string }>`
    select c.conrelid::int as table_oid, c.conrelid::regclass::text as table_name, a.attname as column_name
    from pg_constraint c
    join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
    where c.contype = 'f' and c.confrelid = 'people'::regclass and cardinality(c.conkey) = 1
    order by 2, 3`.execute(db);
  return rows;
}

/** Plain unique indexes (no expressions, no predicate) of a table, as column name lists. */
async function uniqueColumnSets(db: Db, tableOid: number) {
  const { rows } = await sql<{ columns: string[] }>`
    select array(
      select a.attname from unnest(i.indkey::int2[]) with ordinality k(attnum, n)
      join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      order by k.n)::text[] as columns
    from pg_index i
    where i.indrelid = ${tableOid}::oid and i.indisunique and i.indexprs is null and i.indpred is null`.execute(
    db,
  );
  return rows.map((r) => r.columns);
}

/**
 * Points every reference to one of `mergedIds` at `keepId`. Where a unique index would be
 * violated (the kept person is already tagged the same, say), the merged person's row goes:
 * the kept person's row wins, among merged people the one with the smaller id.
 */
export async function repointReferences(db: Db, keepId: string, mergedIds: string[]) {
  const merged = sql`cast(${sql.val(mergedIds)} as uuid[])`;
  for (const ref of await personReferences(db)) {
    const table = sql.raw(ref.tableName);
    const col = sql.raw(quoteIdent(ref.columnName));
    for (const columns of await uniqueColumnSets(db, ref.tableOid)) {
      if (!columns.includes(ref.columnName)) continue;
      const same = columns
        .filter((c) => c !== ref.columnName)
        .map((c) => sql`o.${sql.raw(quoteIdent(c))} is not distinct from m.${sql.raw(quoteIdent(c))}`);
      const sameRest = same.length ? sql`and ${sql.join(same, sql` and `)}` : sql``;
      await sql`
        delete from ${table} m
        where m.${col} = any(${merged})
          and exists (select 1 from ${table} o
                      where (o.${col} = ${keepId} or (o.${col} = any(${merged}) and o.${col} < m.${col}))
                      ${sameRest})`.execute(db);
    }
    await sql`update ${table} set ${col} = ${keepId} where ${col} = any(${merged})`.execute(db);
  }
}

export function insertRedirects(db: Db, keepId: string, mergedIds: string[]) {
  return db
    .insertInto('personRedirects')
    .values(mergedIds.map((oldId) => ({ oldId, newId: keepId })))
    .onConflict((oc) => oc.column('oldId').doUpdateSet({ newId: keepId }))
    .execute();
}

export function deletePeople(db: Db, ids: string[]) {
  return db.deleteFrom('people').where('id', 'in', ids).execute();
}

export function deleteEmailRows(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve();
  return db.deleteFrom('personEmails').where('id', 'in', ids).execute();
}

export function deletePhoneRows(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve();
  return db.deleteFrom('personPhones').where('id', 'in', ids).execute();
}

export async function setPrimary(
  db: Db,
  table: 'personEmails' | 'personPhones',
  ids: string[],
  primaryId: string | null,
) {
  if (!ids.length) return;
  await db
    .updateTable(table)
    .set({ isPrimary: sql<boolean>`id is not distinct from ${primaryId}::uuid` })
    .where('id', 'in', ids)
    .execute();
}
