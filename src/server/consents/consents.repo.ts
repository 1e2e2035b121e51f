import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ConsentSource, ConsentStatus } from '../db/schema.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';
import { addressHashSql, SALT_SQL } from '../privacy/instance-keys.repo.ts';

export type ConsentChannel = 'newsletter' | 'email' | 'phone' | 'sms' | 'post';

/** What identifies a consent: one row per person, channel, purpose and unit. */
export interface ConsentKey {
  personId: string;
  channel: ConsentChannel;
  purpose: string;
  orgId: string | null;
}

export interface ConsentRow {
  id: string;
  personId: string;
  channel: ConsentChannel;
  purpose: string;
  orgId: string | null;
  status: ConsentStatus;
  source: ConsentSource;
  sourceRef: string | null;
  recordedBy: string | null;
  textVersion: string | null;
  textHash: string | null;
  proof: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
  grantedAt: Date | null;
  confirmedAt: Date | null;
  revokedAt: Date | null;
}

/**
 * The consent of this key, created with `fresh` when there is none (one statement: concurrent
 * requests get the same row). `created` says whether this call made it. The row is locked for
 * the caller's transaction either way.
 */
export async function claimConsent(
  db: Db,
  key: ConsentKey,
  fresh: {
    status: ConsentStatus;
    source: ConsentSource;
    sourceRef: string | null;
    recordedBy: string | null;
    textVersion: string | null;
    textHash: string | null;
    proof: Record<string, unknown>;
    granted: boolean;
  },
): Promise<{ row: ConsentRow; created: boolean }> {
  const inserted = await sql<ConsentRow>`
    insert into consents (person_id, channel, purpose, org_id, status, source, source_ref, recorded_by,
                          text_version, text_hash, proof, granted_at, confirmed_at)
    values (${key.personId}::uuid, ${key.channel}, ${key.purpose}, ${key.orgId}::uuid, ${fresh.status},
            ${fresh.source}, ${fresh.sourceRef}, ${fresh.recordedBy}::uuid, ${fresh.textVersion},
            ${fresh.textHash}, ${JSON.stringify(fresh.proof)}::jsonb,
            ${fresh.granted ? sql`now()` : null}, ${fresh.granted ? sql`now()` : null})
    on conflict (person_id, channel, purpose, org_id) do nothing
    returning *`.execute(db);
  if (inserted.rows[0]) return { row: inserted.rows[0], created: true };
  const existing = await db
    .selectFrom('consents')
    .selectAll()
    .where('personId', '=', key.personId)
    .where('channel', '=', key.channel)
    .where('purpose', '=', key.purpose)
    .where(sql<boolean>`org_id is not distinct from ${key.orgId}::uuid`)
    .forUpdate()
    .executeTakeFirstOrThrow();
  return { row: existing as ConsentRow, created: false };
}

export async function findConsentByKey(db: Db, key: ConsentKey): Promise<ConsentRow | undefined> {
  return (await db
    .selectFrom('consents')
    .selectAll()
    .where('personId', '=', key.personId)
    .where('channel', '=', key.channel)
    .where('purpose', '=', key.purpose)
    .where(sql<boolean>`org_id is not distinct from ${key.orgId}::uuid`)
    .executeTakeFirst()) as ConsentRow | undefined;
}

export async function lockConsent(db: Db, id: string): Promise<ConsentRow | undefined> {
  return (await db.selectFrom('consents').selectAll().where('id', '=', id).forUpdate().executeTakeFirst()) as
    | ConsentRow
    | undefined;
}

export async function findConsent(db: Db, id: string): Promise<ConsentRow | undefined> {
  return (await db.selectFrom('consents').selectAll().where('id', '=', id).executeTakeFirst()) as
    | ConsentRow
    | undefined;
}

/** Moves a consent to a status (and what it carries); the caller writes the ledger row. */
export async function setConsentState(
  db: Db,
  id: string,
  state: {
    status: ConsentStatus;
    source: ConsentSource;
    sourceRef: string | null;
    recordedBy?: string | null;
    textVersion: string | null;
    textHash: string | null;
    proof: Record<string, unknown>;
  },
): Promise<ConsentRow> {
  const now = sql<Date>`now()`;
  return (await db
    .updateTable('consents')
    .set({
      status: state.status,
      source: state.source,
      sourceRef: state.sourceRef,
      ...(state.recordedBy !== undefined ? { recordedBy: state.recordedBy } : {}),
      textVersion: state.textVersion,
      textHash: state.textHash,
      proof: JSON.stringify(state.proof),
      updatedAt: now,
      ...(state.status === 'granted' ? { grantedAt: now, confirmedAt: now, revokedAt: null } : {}),
      ...(state.status === 'revoked' ? { revokedAt: now } : {}),
      ...(state.status === 'pending' ? { revokedAt: null, grantedAt: null, confirmedAt: null } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()) as ConsentRow;
}

/** Only the proof (e.g. the confirmation mails sent for a pending consent); no status change. */
export function setConsentProof(db: Db, id: string, proof: Record<string, unknown>) {
  return db
    .updateTable('consents')
    .set({ proof: JSON.stringify(proof), updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

/** The consents of a person to revoke: granted or pending, of the channel and purpose (some units or all). */
export async function lockLiveConsents(
  db: Db,
  where: { personId: string; channel: ConsentChannel; purpose: string; orgIds?: string[] },
): Promise<ConsentRow[]> {
  if (where.orgIds && where.orgIds.length === 0) return [];
  let q = db
    .selectFrom('consents')
    .selectAll()
    .where('personId', '=', where.personId)
    .where('channel', '=', where.channel)
    .where('purpose', '=', where.purpose)
    .where('status', 'in', ['granted', 'pending']);
  if (where.orgIds) q = q.where('orgId', 'in', where.orgIds);
  return (await q.orderBy('createdAt').forUpdate().execute()) as ConsentRow[];
}

export function insertConsentEvent(
  db: Db,
  e: {
    consentId: string;
    personId: string;
    status: ConsentStatus;
    source: string;
    sourceRef: string | null;
    textVersion: string | null;
    textHash: string | null;
    proof: Record<string, unknown>;
    actorUserId: string | null;
  },
) {
  return db
    .insertInto('consentEvents')
    .values({ ...e, proof: JSON.stringify(e.proof) })
    .returning(['id', 'at'])
    .executeTakeFirstOrThrow();
}

/** A person's consents with their unit's name, oldest first. */
export function findConsentsOfPerson(db: Db, personId: string) {
  return db
    .selectFrom('consents as c')
    .leftJoin('orgUnits as o', 'o.id', 'c.orgId')
    .selectAll('c')
    .select('o.name as orgName')
    .where('c.personId', '=', personId)
    .orderBy('c.createdAt')
    .orderBy('c.id')
    .execute();
}

/** The ledger of a person, oldest first, with the names of those who made the changes. */
export function findEventsOfPerson(db: Db, personId: string) {
  return db
    .selectFrom('consentEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorUserId')
    .selectAll('e')
    .select('u.name as actorName')
    .where('e.personId', '=', personId)
    .orderBy('e.at')
    .orderBy('e.id')
    .execute();
}

/**
 * Where a confirmation mail goes: the person's primary valid address (null without one) and
 * whether they asked not to be emailed.
 */
/** Where a person's confirmation mail would go (`findMailTargets` for one person). */
export async function findMailTarget(db: Db, personId: string) {
  const [target] = await findMailTargets(db, [personId]);
  return target;
}

export async function findOrgName(db: Db, orgId: string | null): Promise<string | null> {
  if (!orgId) return null;
  const row = await db.selectFrom('orgUnits').select('name').where('id', '=', orgId).executeTakeFirst();
  return row?.name ?? null;
}

/** Whether `orgId` is the unit, above it or below it (never a sibling). */
export async function isInLineWith(db: Db, orgId: string, withOrgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('orgUnits')
    .select('id')
    .where('id', '=', orgId)
    .where('id', 'in', unitsInLineWith(withOrgId))
    .executeTakeFirst();
  return Boolean(row);
}

/** The recipient row behind a consent request link, with the mailing's unit (read from the mailer's tables). */
export function findConsentRequestRecipient(db: Db, recipientId: string) {
  return db
    .selectFrom('mailingRecipients as r')
    .innerJoin('mailings as m', 'm.id', 'r.mailingId')
    .select(['r.id', 'r.personId', 'r.mailingId', 'r.messageId', 'm.orgId', 'm.purpose'])
    .where('r.id', '=', recipientId)
    .executeTakeFirst();
}

/** The consents of some people, locked (a merge settles them). */
export async function lockConsentsOfPeople(db: Db, personIds: string[]): Promise<ConsentRow[]> {
  return (await db
    .selectFrom('consents')
    .selectAll()
    .where('personId', 'in', personIds)
    .orderBy('id')
    .forUpdate()
    .execute()) as ConsentRow[];
}

/** Hands the ledger of some consents to another one and deletes them. */
export async function foldConsentsInto(db: Db, survivorId: string, foldedIds: string[]) {
  if (!foldedIds.length) return;
  await db
    .updateTable('consentEvents')
    .set({ consentId: survivorId })
    .where('consentId', 'in', foldedIds)
    .execute();
  await db.deleteFrom('consents').where('id', 'in', foldedIds).execute();
}

/** A new consent for `requestConsents`: its key and the state it starts in. */
export interface NewConsent extends ConsentKey {
  status: ConsentStatus;
  source: ConsentSource;
  sourceRef: string | null;
  recordedBy: string | null;
  textVersion: string | null;
  textHash: string | null;
  proof: Record<string, unknown>;
}

/**
 * Many new consents in one statement (`unnest` arrays); keys that have a consent already are left
 * alone (`on conflict do nothing`). Answers the rows made, locked for the caller's transaction.
 */
export async function insertNewConsents(db: Db, rows: NewConsent[]): Promise<ConsentRow[]> {
  if (!rows.length) return [];
  const col = <K extends keyof NewConsent>(k: K) => rows.map((r) => r[k]);
  const res = await sql<ConsentRow>`
    insert into consents (person_id, channel, purpose, org_id, status, source, source_ref, recorded_by,
                          text_version, text_hash, proof)
    select r.person_id, r.channel, r.purpose, r.org_id, r.status, r.source, r.source_ref, r.recorded_by,
           r.text_version, r.text_hash, r.proof::jsonb
    from unnest(${col('personId')}::uuid[], ${col('channel')}::text[], ${col('purpose')}::text[],
                ${col('orgId')}::uuid[], ${col('status')}::text[], ${col('source')}::text[],
                ${col('sourceRef')}::text[], ${col('recordedBy')}::uuid[], ${col('textVersion')}::text[],
                ${col('textHash')}::text[], ${rows.map((r) => JSON.stringify(r.proof))}::text[])
      as r(person_id, channel, purpose, org_id, status, source, source_ref, recorded_by, text_version,
           text_hash, proof)
    on conflict (person_id, channel, purpose, org_id) do nothing
    returning *`.execute(db);
  return res.rows;
}

/** Ledger rows of many consents in one insert. */
export async function insertConsentEvents(db: Db, events: Parameters<typeof insertConsentEvent>[1][]) {
  if (!events.length) return;
  await db
    .insertInto('consentEvents')
    .values(events.map((e) => ({ ...e, proof: JSON.stringify(e.proof) })))
    .execute();
}

/** A suppression of the target's address (mail_suppressions): reason, unit (null: all), purpose (null: all). */
export interface AddressSuppression {
  reason: 'unsubscribed' | 'bounced' | 'erased' | 'complaint';
  orgId: string | null;
  purpose: string | null;
}

/**
 * For each person (one query): the primary valid address, do-not-email, and the suppressions of
 * that address (its salted hash in mail_suppressions). People not found are missing from the answer.
 */
export async function findMailTargets(db: Db, personIds: string[]) {
  if (!personIds.length) return [];
  const res = await sql<{
    id: string;
    orgId: string;
    doNotEmail: boolean;
    email: string | null;
    suppressions: AddressSuppression[];
  }>`
    select t.id, t.org_id, t.do_not_email, t.email,
           coalesce((select json_agg(json_build_object('reason', s.reason, 'orgId', s.org_id, 'purpose', s.purpose))
                       from mail_suppressions s
                      where t.email is not null
                        and s.address_hash = ${addressHashSql(SALT_SQL, sql`t.email`)}), '[]'::json) as suppressions
    from (
      select p.id, p.org_id, p.do_not_email,
             (select e.email from person_emails e
               where e.person_id = p.id and e.status = 'valid'
               order by e.is_primary desc, e.email limit 1) as email
      from people p where p.id = any(${personIds}::uuid[])
    ) t`.execute(db);
  return res.rows;
}

/** `setConsentProof` for many consents in one statement. */
export async function setConsentProofs(db: Db, rows: { id: string; proof: Record<string, unknown> }[]) {
  if (!rows.length) return;
  await sql`
    update consents c set proof = u.proof::jsonb, updated_at = now()
    from unnest(${rows.map((r) => r.id)}::uuid[], ${rows.map((r) => JSON.stringify(r.proof))}::text[])
      as u(id, proof)
    where c.id = u.id`.execute(db);
}
