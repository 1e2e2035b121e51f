import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { MailingPurpose } from '../db/schema.ts';
import { addressHash, getSuppressionSalt } from '../privacy/instance-keys.repo.ts';

/**
 * The suppression list (`mail_suppressions`): salted hashes of addresses that must not be mailed
 * (again) — unsubscribed per unit and purpose or from everything (org and purpose null), bounced,
 * erased. The reach (mail-reach.repo.ts) excludes them, so they hold across erasure and re-import.
 */

export type SuppressionReason = 'unsubscribed' | 'bounced' | 'erased' | 'complaint';

export interface SuppressionRow {
  addressHash: string;
  orgId: string | null;
  purpose: string | null;
  reason: SuppressionReason;
}

/** Adds suppressions; existing ones stay as they are. Answers how many were new. */
export async function insertSuppressions(db: Db, rows: SuppressionRow[]): Promise<number> {
  if (!rows.length) return 0;
  const res = await db
    .insertInto('mailSuppressions')
    .values(rows)
    .onConflict((oc) => oc.doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}

/** Suppressions of one address for unsubscribes: this unit and purpose, or everything. */
export function findUnsubscribes(db: Db, hash: string) {
  return db
    .selectFrom('mailSuppressions')
    .select(['orgId', 'purpose'])
    .where('addressHash', '=', hash)
    .where('reason', '=', 'unsubscribed')
    .execute();
}

/** Suppression rows for addresses with a reason (no unit, no purpose: it applies everywhere). */
export async function suppressAddresses(db: Db, emails: string[], reason: SuppressionReason) {
  if (!emails.length) return 0;
  const salt = await getSuppressionSalt(db);
  const hashes = [...new Set(emails.map((e) => addressHash(salt, e)))];
  return insertSuppressions(
    db,
    hashes.map((h) => ({ addressHash: h, orgId: null, purpose: null, reason })),
  );
}

/**
 * Before a person is erased: every address of theirs goes onto the suppression list (reason
 * `erased`), so a re-import of the same address is not mailed again.
 */
export async function suppressErasedPerson(db: Db, personId: string): Promise<number> {
  const { rows } = await sql<{ email: string }>`
    select email from person_emails where person_id = ${personId}::uuid
    union
    select email from mailing_recipients where person_id = ${personId}::uuid`.execute(db);
  return suppressAddresses(
    db,
    rows.map((r) => r.email),
    'erased',
  );
}

/** What an unsubscribe link points at: the recipient row with its mailing's unit and purpose. */
export function findUnsubscribeTarget(db: Db, recipientId: string) {
  return db
    .selectFrom('mailingRecipients as r')
    .innerJoin('mailings as m', 'm.id', 'r.mailingId')
    .innerJoin('orgUnits as o', 'o.id', 'm.orgId')
    .select([
      'r.id',
      'r.personId',
      'r.email',
      'r.mailingId',
      'm.orgId',
      'o.name as orgName',
      sql<MailingPurpose>`m.purpose`.as('purpose'),
    ])
    .where('r.id', '=', recipientId)
    .executeTakeFirst();
}
