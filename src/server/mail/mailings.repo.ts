import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { MailingPurpose, MailingStatus } from '../db/schema.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';

const mailingColumns = [
  'm.id',
  'm.orgId',
  'o.name as orgName',
  'm.subject',
  'm.html',
  'm.purpose',
  'm.queryId',
  'q.name as queryName',
  'm.senderAddressId as senderId',
  'm.status',
  'm.scheduledAt',
  'm.startedAt',
  'm.finishedAt',
  'm.pausedReason',
  'm.total',
  'u.name as createdBy',
  'm.createdBy as createdById',
  'm.createdAt',
  'm.updatedAt',
  sql<string>`m.created_at::text`.as('createdKey'),
] as const;

const mailingsWithNames = (db: Db) =>
  db
    .selectFrom('mailings as m')
    .innerJoin('orgUnits as o', 'o.id', 'm.orgId')
    .leftJoin('queries as q', 'q.id', 'm.queryId')
    .leftJoin('users as u', 'u.id', 'm.createdBy');

export function findMailing(db: Db, id: string) {
  return mailingsWithNames(db).select(mailingColumns).where('m.id', '=', id).executeTakeFirst();
}
export type MailingRecord = NonNullable<Awaited<ReturnType<typeof findMailing>>>;

/** The mailing row locked for a state change (the caller holds the transaction). */
export function lockMailing(db: Db, id: string) {
  return db
    .selectFrom('mailings')
    .select(['id', 'status', 'startedAt', 'scheduledAt'])
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
}

/** Mailings of a unit and the units below it, newest first (keyset on created_at, id). */
export function listMailings(db: Db, orgId: string, limit: number, after?: { at: string; id: string }) {
  let q = mailingsWithNames(db)
    .select(mailingColumns)
    .where('m.orgId', 'in', db.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', orgId));
  if (after) q = q.where(sql<boolean>`(m.created_at, m.id) < (${after.at}::timestamptz, ${after.id}::uuid)`);
  return q
    .orderBy('m.createdAt', 'desc')
    .orderBy('m.id', 'desc')
    .limit(limit + 1)
    .execute();
}

export function insertMailing(
  db: Db,
  row: {
    orgId: string;
    subject: string;
    html: string;
    purpose: MailingPurpose;
    queryId: string;
    senderAddressId: string | null;
    createdBy: string;
  },
) {
  return db.insertInto('mailings').values(row).returning('id').executeTakeFirstOrThrow();
}

export function updateMailing(
  db: Db,
  id: string,
  patch: {
    subject?: string;
    html?: string;
    purpose?: MailingPurpose;
    queryId?: string;
    senderAddressId?: string | null;
    status?: MailingStatus;
    scheduledAt?: Date | null;
    startedAt?: Date;
    finishedAt?: Date | null;
    pausedReason?: string | null;
    total?: number;
    compiledSubject?: string;
    compiledHtml?: string;
    compiledText?: string;
  },
) {
  return db
    .updateTable('mailings')
    .set({ ...patch, updatedAt: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** Scheduled mailings whose time has come (the minutely due check). */
export async function findDueMailings(db: Db, now: Date): Promise<{ id: string }[]> {
  return db
    .selectFrom('mailings')
    .select('id')
    .where('status', '=', 'scheduled')
    .where('scheduledAt', '<=', now)
    .orderBy('scheduledAt')
    .limit(100)
    .execute();
}

/** Recipient rows still waiting are cancelled (rows being sent right now finish as they do). */
export async function cancelQueuedRecipients(db: Db, mailingId: string): Promise<number> {
  const res = await db
    .updateTable('mailingRecipients')
    .set({ status: 'cancelled' })
    .where('mailingId', '=', mailingId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

export interface RecipientCounts {
  mailingId: string;
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  bounced: number;
  cancelled: number;
  /** Sent in the last RATE_WINDOW_MINUTES. */
  recentlySent: number;
}

export const RATE_WINDOW_MINUTES = 5;

/** Recipient rows per status of some mailings, and how many went out in the last minutes. */
export async function countRecipients(db: Db, mailingIds: string[]): Promise<RecipientCounts[]> {
  if (mailingIds.length === 0) return [];
  const { rows } = await sql<RecipientCounts>`
    select mailing_id,
      count(*) filter (where status = 'queued')::int as queued,
      count(*) filter (where status = 'sending')::int as sending,
      count(*) filter (where status = 'sent')::int as sent,
      count(*) filter (where status = 'failed')::int as failed,
      count(*) filter (where status = 'bounced')::int as bounced,
      count(*) filter (where status = 'cancelled')::int as cancelled,
      count(*) filter (where status = 'sent'
        and sent_at > now() - make_interval(mins => ${RATE_WINDOW_MINUTES}))::int as recently_sent
    from mailing_recipients
    where mailing_id = any(${mailingIds}::uuid[])
    group by mailing_id`.execute(db);
  return rows.map((r) => ({
    mailingId: r.mailingId,
    queued: Number(r.queued),
    sending: Number(r.sending),
    sent: Number(r.sent),
    failed: Number(r.failed),
    bounced: Number(r.bounced),
    cancelled: Number(r.cancelled),
    recentlySent: Number(r.recentlySent),
  }));
}

/** A recipient of a person's mailing for the preview: the person in the list's unit, with a primary address. */
export function findPersonForPreview(db: Db, personId: string) {
  return db
    .selectFrom('people as p')
    .select((eb) => [
      'p.id',
      'p.orgId',
      'p.firstName',
      'p.lastName',
      eb
        .selectFrom('personEmails as e')
        .select('e.email')
        .whereRef('e.personId', '=', 'p.id')
        .orderBy(sql`(e.status = 'valid')`, 'desc')
        .orderBy('e.isPrimary', 'desc')
        .limit(1)
        .as('email'),
    ])
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

/** A mailing of the unit, one above it or one below it (what a unit's smart search may refer to). */
export function findMailingInLineWith(db: Db, mailingId: string, orgId: string) {
  return db
    .selectFrom('mailings')
    .select(['id', 'subject'])
    .where('id', '=', mailingId)
    .where('orgId', 'in', unitsInLineWith(orgId))
    .executeTakeFirst();
}
