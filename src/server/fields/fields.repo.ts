import type { Db } from '../db/database.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';

const fieldColumns = ['f.id', 'f.orgId', 'f.key', 'f.label', 'f.type', 'f.options'] as const;

/** Fields usable in a unit: defined in it or above. */
export function findFieldsVisibleIn(db: Db, orgId: string) {
  return db
    .selectFrom('customFields as f')
    .innerJoin('orgTree as tr', (j) =>
      j.onRef('tr.ancestorId', '=', 'f.orgId').on('tr.descendantId', '=', orgId),
    )
    .select(fieldColumns)
    .orderBy('tr.depth', 'desc')
    .orderBy('f.label')
    .execute();
}

/** A field defined at the unit, above it or below it (what smart-search filters may refer to). */
export function findFieldInLineWith(db: Db, id: string, orgId: string) {
  return db
    .selectFrom('customFields as f')
    .select(fieldColumns)
    .where('f.id', '=', id)
    .where('f.orgId', 'in', unitsInLineWith(orgId))
    .executeTakeFirst();
}

export function findFieldByKey(db: Db, orgId: string, key: string) {
  return db
    .selectFrom('customFields as f')
    .select(fieldColumns)
    .where('f.orgId', '=', orgId)
    .where('f.key', '=', key)
    .executeTakeFirst();
}

export function insertField(
  db: Db,
  row: {
    orgId: string;
    key: string;
    label: string;
    type: 'text' | 'number' | 'date' | 'boolean' | 'single_choice' | 'multiple_choice';
    options: string[];
  },
) {
  return db
    .insertInto('customFields')
    .values({ ...row, options: JSON.stringify(row.options) })
    .returning(['id', 'orgId', 'key', 'label', 'type', 'options'])
    .executeTakeFirstOrThrow();
}
