import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { MailingRecipientStatus } from '../db/schema.ts';

/**
 * The SQL of the mailing delivery (mail-delivery.service.ts): claiming recipient rows, recording
 * what the SMTP server said, the rate counters and the sweeper. Every function takes the executor;
 * the service owns the transactions (a claim commits before anything is sent).
 */

/** A mailing with what its mails need: unit, sender override, status. */
export function findMailingForDelivery(db: Db, mailingId: string) {
  return db
    .selectFrom('mailings as m')
    .innerJoin('orgUnits as o', 'o.id', 'm.orgId')
    .leftJoin('mailSenderAddresses as ms', 'ms.id', 'm.senderAddressId')
    .select([
      'm.id',
      'm.orgId',
      'o.name as orgName',
      'm.subject',
      'm.html',
      'm.purpose',
      'm.status',
      'm.pausedReason',
      'm.updatedAt',
      'm.compiledSubject',
      'm.compiledHtml',
      'm.compiledText',
      'ms.address as senderAddress',
    ])
    .where('m.id', '=', mailingId)
    .executeTakeFirst();
}

export function mailingStatus(db: Db, mailingId: string, lock = false) {
  let q = db.selectFrom('mailings').select(['status', 'pausedReason']).where('id', '=', mailingId);
  if (lock) q = q.forShare();
  return q.executeTakeFirst();
}

/**
 * Serialises claims while rate limits are set, across all worker instances (a transaction-level
 * advisory lock: released at commit).
 */
export async function lockRateCounters(db: Db) {
  await sql`select pg_advisory_xact_lock(${RATE_LOCK})`.execute(db);
}
const RATE_LOCK = 7_305_118_401;

/** Claims of the last second over all mailings: in total and per receiving domain asked for. */
export async function recentClaims(db: Db, domains: string[]) {
  const { rows } = await sql<{ domain: string | null; n: number }>`
    select case when domain = any(${sql.val(domains)}::text[]) then domain end as domain, count(*)::int as n
    from mailing_recipients
    where claimed_at > now() - interval '1 second'
    group by 1`.execute(db);
  const byDomain = new Map<string, number>();
  let total = 0;
  for (const r of rows) {
    total += Number(r.n);
    if (r.domain) byDomain.set(r.domain, Number(r.n));
  }
  return { total, byDomain };
}

export interface ClaimedRow {
  id: string;
  personId: string | null;
  email: string;
  domain: string;
  messageId: string;
  attempts: number;
}

/**
 * Marks up to `limit` due queued rows of the mailing as `sending` (claimed now) and returns them.
 * `domain`: only rows of that receiving domain; `excludeDomains`: none of those. SKIP LOCKED lets
 * several workers claim side by side.
 */
export async function claimRows(
  db: Db,
  mailingId: string,
  limit: number,
  where: { domain?: string; excludeDomains?: string[] } = {},
): Promise<ClaimedRow[]> {
  if (limit <= 0) return [];
  const domainFilter = where.domain
    ? sql`and domain = ${where.domain}`
    : where.excludeDomains?.length
      ? sql`and domain <> all(${sql.val(where.excludeDomains)}::text[])`
      : sql``;
  const { rows } = await sql<ClaimedRow>`
    update mailing_recipients r
    set status = 'sending', claimed_at = now()
    from (
      select id from mailing_recipients
      where mailing_id = ${mailingId}::uuid and status = 'queued' and next_attempt_at <= now() ${domainFilter}
      -- index order (mailing_recipients_queue_idx); a tie-break on id would sort every queued row
      order by next_attempt_at
      limit ${limit}
      for update skip locked
    ) picked
    where r.id = picked.id
    returning r.id, r.person_id as "personId", r.email, r.domain, r.message_id as "messageId", r.attempts`.execute(
    db,
  );
  return rows;
}

/** First and last names of recipients (for the placeholders). */
export function findRecipientNames(db: Db, personIds: string[]) {
  if (!personIds.length) return Promise.resolve([]);
  return db
    .selectFrom('people')
    .select(['id', 'firstName', 'lastName'])
    .where('id', 'in', personIds)
    .execute();
}

/** Rows the server accepted: sent (only rows still `sending`: a row marked sent stays sent). */
export async function markSent(db: Db, ids: string[]) {
  if (!ids.length) return;
  await db
    .updateTable('mailingRecipients')
    .set({ status: 'sent', sentAt: sql`now()`, error: null, attempts: sql`attempts + 1` })
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .execute();
}

/** Rows refused for good (5xx): bounced. Answers their addresses and people. */
export function markBounced(db: Db, rows: { id: string; error: string }[]) {
  if (!rows.length) return Promise.resolve([]);
  return sql<{ id: string; email: string; personId: string | null }>`
    update mailing_recipients r
    set status = 'bounced', error = v.error, attempts = r.attempts + 1
    from (select unnest(${sql.val(rows.map((x) => x.id))}::uuid[]) as id,
                 unnest(${sql.val(rows.map((x) => x.error.slice(0, 500)))}::text[]) as error) v
    where r.id = v.id and r.status = 'sending'
    returning r.id, r.email, r.person_id as "personId"`
    .execute(db)
    .then((r) => r.rows);
}

/**
 * A temporary failure (4xx, a dropped connection): back to the queue after a growing delay
 * (`baseSeconds` · 2^attempts, at most an hour), or `failed` after `maxAttempts`.
 */
export async function markRetry(
  db: Db,
  rows: { id: string; error: string }[],
  baseSeconds: number,
  maxAttempts: number,
) {
  if (!rows.length) return;
  await sql`
    update mailing_recipients r
    set status = case when r.attempts + 1 >= ${maxAttempts} then 'failed' else 'queued' end,
        attempts = r.attempts + 1,
        error = v.error,
        next_attempt_at = now() + make_interval(secs => least(3600, ${baseSeconds}::float8 * power(2, r.attempts)))
    from (select unnest(${sql.val(rows.map((x) => x.id))}::uuid[]) as id,
                 unnest(${sql.val(rows.map((x) => x.error.slice(0, 500)))}::text[]) as error) v
    where r.id = v.id and r.status = 'sending'`.execute(db);
}

/** Claimed rows that were not tried (the server was down, the mailing stopped): queued again as they were. */
export async function releaseRows(db: Db, ids: string[]) {
  if (!ids.length) return;
  await db
    .updateTable('mailingRecipients')
    .set({ status: 'queued', nextAttemptAt: sql`now()` })
    .where('id', 'in', ids)
    .where('status', '=', 'sending')
    .execute();
}

/** What is left of a mailing: queued rows (and when the first is due), rows in flight. */
export async function remainingOf(db: Db, mailingId: string) {
  const row = await db
    .selectFrom('mailingRecipients')
    .select([
      sql<number>`count(*) filter (where status = 'queued')::int`.as('queued'),
      sql<number>`count(*) filter (where status = 'sending')::int`.as('sending'),
      sql<Date | null>`min(next_attempt_at) filter (where status = 'queued')`.as('nextAttemptAt'),
    ])
    .where('mailingId', '=', mailingId)
    .where('status', 'in', ['queued', 'sending'] satisfies MailingRecipientStatus[])
    .executeTakeFirstOrThrow();
  return { queued: Number(row.queued), sending: Number(row.sending), nextAttemptAt: row.nextAttemptAt };
}

/** The mailing is done once no row is queued or in flight. True when this call finished it. */
export async function finishMailing(db: Db, mailingId: string): Promise<boolean> {
  const res = await sql`
    update mailings set status = 'sent', finished_at = now()
    where id = ${mailingId}::uuid and status = 'sending'
      and not exists (select 1 from mailing_recipients
                      where mailing_id = ${mailingId}::uuid and status in ('queued', 'sending'))`.execute(db);
  return Number(res.numAffectedRows ?? 0) > 0;
}

/** The SMTP server is unreachable: the mailing pauses with the reason (only while sending). */
export async function pauseMailing(db: Db, mailingId: string, reason: string): Promise<boolean> {
  const res = await db
    .updateTable('mailings')
    .set({ status: 'paused', pausedReason: reason.slice(0, 500) })
    .where('id', '=', mailingId)
    .where('status', '=', 'sending')
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/** A mailing the worker paused itself (reason starting with `prefix`) goes on. */
export async function resumeMailing(db: Db, mailingId: string, prefix: string): Promise<boolean> {
  const res = await db
    .updateTable('mailings')
    .set({ status: 'sending', pausedReason: null })
    .where('id', '=', mailingId)
    .where('status', '=', 'paused')
    .where('pausedReason', 'like', `${prefix}%`)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) > 0;
}

/**
 * The sweeper: rows left `sending` longer than `staleSeconds` (a worker died between claim and
 * result) are queued again, counting an attempt (a row that kills its worker every time ends
 * `failed`). Answers the mailings concerned.
 */
export async function requeueStale(db: Db, staleSeconds: number, maxAttempts: number): Promise<string[]> {
  const { rows } = await sql<{ mailingId: string }>`
    with stale as (
      update mailing_recipients
      set status = case when attempts + 1 >= ${maxAttempts} then 'failed' else 'queued' end,
          attempts = attempts + 1, next_attempt_at = now(),
          error = 'requeued: the worker stopped while sending'
      where status = 'sending' and claimed_at < now() - make_interval(secs => ${staleSeconds}::float8)
      returning mailing_id
    )
    select distinct mailing_id as "mailingId" from stale`.execute(db);
  return rows.map((r) => r.mailingId);
}

/** Mailings the sweeper nudges: sending with due rows, or paused by the worker for `prefix` a while ago. */
export async function mailingsToNudge(db: Db, pausedPrefix: string) {
  const { rows } = await sql<{ id: string; status: string }>`
    select m.id, m.status from mailings m
    where (m.status = 'sending' and exists (
             select 1 from mailing_recipients r
             where r.mailing_id = m.id and r.status = 'queued' and r.next_attempt_at <= now()))
       or (m.status = 'paused' and m.paused_reason like ${`${pausedPrefix}%`})
    limit 1000`.execute(db);
  return rows;
}

/** Built-in outbox (no SMTP_URL): the rendered mails of a batch, one insert. */
export async function insertOutboxMessages(
  db: Db,
  rows: { toAddress: string; subject: string; textBody: string; htmlBody: string }[],
) {
  if (!rows.length) return;
  await db
    .insertInto('mailMessages')
    .values(rows.map((r) => ({ ...r, template: 'mailing', status: 'outbox' as const })))
    .execute();
}
