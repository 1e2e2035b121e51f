import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { MailStatus } from '../db/schema.ts';

export function insertMessage(
  db: Db,
  row: {
    toAddress: string;
    subject: string;
    textBody: string;
    htmlBody: string;
    template: string;
    status: MailStatus;
  },
) {
  return db.insertInto('mailMessages').values(row).returning('id').executeTakeFirstOrThrow();
}

/** Claims queued messages for delivery; SKIP LOCKED lets several workers share the queue. */
export function claimQueued(db: Db, limit: number, maxAttempts: number) {
  return db
    .selectFrom('mailMessages')
    .selectAll()
    .where('status', '=', 'queued')
    .where('attempts', '<', maxAttempts)
    .orderBy('createdAt')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export function markSent(db: Db, id: string) {
  return db
    .updateTable('mailMessages')
    .set({ status: 'sent', sentAt: new Date(), error: null, attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .execute();
}

export function markFailedAttempt(db: Db, id: string, error: string, final: boolean) {
  return db
    .updateTable('mailMessages')
    .set({ status: final ? 'failed' : 'queued', error: error.slice(0, 1000), attempts: sql`attempts + 1` })
    .where('id', '=', id)
    .execute();
}

export function listMessages(db: Db, limit: number, after?: { at: string; id: string }) {
  let q = db
    .selectFrom('mailMessages')
    .select([
      'id',
      'createdAt',
      'toAddress',
      'subject',
      'template',
      'status',
      'sentAt',
      'error',
      sql<string>`created_at::text`.as('atKey'),
    ]);
  if (after) q = q.where(sql<boolean>`(created_at, id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  return q
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
}

export function findMessage(db: Db, id: string) {
  return db.selectFrom('mailMessages').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * Retention (mail.privacy.ts): bodies of messages sent before `bodiesBefore` are cleared, messages
 * queued before `rowsBefore` are deleted. Returns how many rows each step touched.
 */
export async function applyMailRetention(db: Db, bodiesBefore: Date, rowsBefore: Date) {
  const cleared = await db
    .updateTable('mailMessages')
    .set({ textBody: '', htmlBody: null })
    .where('status', '=', 'sent')
    .where('sentAt', '<', bodiesBefore)
    .where((eb) => eb.or([eb('textBody', '<>', ''), eb('htmlBody', 'is not', null)]))
    .executeTakeFirst();
  const deleted = await db.deleteFrom('mailMessages').where('createdAt', '<', rowsBefore).executeTakeFirst();
  return { cleared: Number(cleared.numUpdatedRows), deleted: Number(deleted.numDeletedRows) };
}
