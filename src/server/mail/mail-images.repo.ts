import type { Db } from '../db/database.ts';
import type { MailImagesTable } from '../db/schema.ts';

/** SQL of the mail images (table `mail_images`). */

const listColumns = ['id', 'orgId', 'contentType', 'byteSize', 'width', 'height', 'createdAt'] as const;

export type NewMailImage = {
  orgId: string;
  contentType: MailImagesTable['contentType'];
  bytes: Uint8Array;
  byteSize: number;
  width: number | null;
  height: number | null;
  sha256: string;
  createdBy: string | null;
};

/**
 * Stores an image once per unit: the same bytes uploaded again answer the existing row
 * (`created: false`). The conflict target is the (org_id, sha256) unique index.
 */
export async function insertImageOnce(db: Db, row: NewMailImage) {
  const inserted = await db
    .insertInto('mailImages')
    .values(row)
    .onConflict((oc) => oc.columns(['orgId', 'sha256']).doNothing())
    .returning(['id'])
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await db
    .selectFrom('mailImages')
    .select('id')
    .where('orgId', '=', row.orgId)
    .where('sha256', '=', row.sha256)
    .executeTakeFirstOrThrow();
  return { id: existing.id, created: false };
}

/** The unit's images, newest first (metadata only). */
export function listImages(db: Db, orgId: string, limit: number) {
  return db
    .selectFrom('mailImages')
    .select(listColumns)
    .where('orgId', '=', orgId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export function findImageMeta(db: Db, id: string) {
  return db.selectFrom('mailImages').select(['id', 'orgId']).where('id', '=', id).executeTakeFirst();
}

/** What the public endpoint serves. */
export function findImageBytes(db: Db, id: string) {
  return db.selectFrom('mailImages').select(['contentType', 'bytes']).where('id', '=', id).executeTakeFirst();
}

export function deleteImage(db: Db, id: string) {
  return db.deleteFrom('mailImages').where('id', '=', id).execute();
}
