import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

// ---- sender addresses (instance-wide allow-list) ---------------------------------------------

export function listSenderAddresses(db: Db) {
  return db
    .selectFrom('mailSenderAddresses')
    .select(['id', 'address', 'createdAt'])
    .orderBy('address')
    .execute();
}

export function findSenderAddress(db: Db, id: string) {
  return db
    .selectFrom('mailSenderAddresses')
    .select(['id', 'address', 'createdAt'])
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Inserts an allowed address; undefined when it is already on the list. */
export function insertSenderAddress(db: Db, address: string, createdBy: string) {
  return db
    .insertInto('mailSenderAddresses')
    .values({ address, createdBy })
    .onConflict((oc) => oc.column('address').doNothing())
    .returning(['id', 'address', 'createdAt'])
    .executeTakeFirst();
}

export async function deleteSenderAddress(db: Db, id: string): Promise<boolean> {
  const res = await db.deleteFrom('mailSenderAddresses').where('id', '=', id).executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}

// ---- per-unit settings -----------------------------------------------------------------------

/** The settings that apply to a unit: its own, else those of the nearest unit above it. */
export function findEffectiveSettings(db: Db, orgId: string) {
  return db
    .selectFrom('orgTree as t')
    .innerJoin('orgMailSettings as s', 's.orgId', 't.ancestorId')
    .innerJoin('orgUnits as o', 'o.id', 's.orgId')
    .leftJoin('mailSenderAddresses as a', 'a.id', 's.senderAddressId')
    .select([
      's.orgId',
      'o.name as orgName',
      's.senderName',
      's.senderAddressId',
      'a.address as senderAddress',
      's.replyTo',
      's.footer',
      's.updatedAt',
    ])
    .where('t.descendantId', '=', orgId)
    .orderBy('t.depth')
    .limit(1)
    .executeTakeFirst();
}
export type EffectiveSettingsRow = NonNullable<Awaited<ReturnType<typeof findEffectiveSettings>>>;

export function upsertSettings(
  db: Db,
  row: {
    orgId: string;
    senderName: string;
    senderAddressId: string | null;
    replyTo: string | null;
    footer: string;
    updatedBy: string;
  },
) {
  return db
    .insertInto('orgMailSettings')
    .values(row)
    .onConflict((oc) =>
      oc.column('orgId').doUpdateSet({
        senderName: row.senderName,
        senderAddressId: row.senderAddressId,
        replyTo: row.replyTo,
        footer: row.footer,
        updatedBy: row.updatedBy,
        updatedAt: sql`now()`,
      }),
    )
    .execute();
}

// ---- templates -------------------------------------------------------------------------------

const templateColumns = ['id', 'orgId', 'name', 'subject', 'html', 'updatedAt'] as const;

/** Templates usable in a unit: its own and those of the units above it, by name. */
export function listTemplatesFor(db: Db, orgId: string) {
  return db
    .selectFrom('mailTemplates')
    .select(templateColumns)
    .where('orgId', 'in', db.selectFrom('orgTree').select('ancestorId').where('descendantId', '=', orgId))
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(500)
    .execute();
}

export function findTemplate(db: Db, id: string) {
  return db.selectFrom('mailTemplates').select(templateColumns).where('id', '=', id).executeTakeFirst();
}

export function insertTemplate(
  db: Db,
  row: { orgId: string; name: string; subject: string; html: string; createdBy: string },
) {
  return db.insertInto('mailTemplates').values(row).returning(templateColumns).executeTakeFirstOrThrow();
}

export function updateTemplate(
  db: Db,
  id: string,
  patch: { name?: string; subject?: string; html?: string },
) {
  return db
    .updateTable('mailTemplates')
    .set({ ...patch, updatedAt: sql`now()` })
    .where('id', '=', id)
    .returning(templateColumns)
    .executeTakeFirstOrThrow();
}

export function deleteTemplate(db: Db, id: string) {
  return db.deleteFrom('mailTemplates').where('id', '=', id).execute();
}
