import { type Expression, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { MailingPurpose, ReachExclusion } from '../../shared/mailings.ts';
import type { Db } from '../db/database.ts';
import { peopleFilter } from '../people/people.repo.ts';
import { addressHashSql } from '../privacy/instance-keys.repo.ts';

/**
 * The reach of a mailing as one set-based statement: the people of the saved list inside the
 * mailing unit's subtree, each with the address a mail would go to and the first exclusion that
 * applies (REACH_EXCLUSIONS order), or none (reachable). Counting, listing the people behind a
 * number and freezing the recipient list all run this same statement, so the numbers shown before
 * sending are the recipients written when sending starts.
 */
export interface ReachParams {
  mailingOrgId: string;
  purpose: MailingPurpose;
  /** The saved list's condition on people `p` (queries.service compileSavedQuery). */
  where: Expression<SqlBool>;
  /** The instance salt of the suppression hashes (getSuppressionSalt). */
  salt: string;
}

/** `with … ranked as (id, org_id, email, reason)` followed by `tail`, which reads `ranked`. */
function withRanked(db: Db, p: ReachParams, tail: RawBuilder<unknown>) {
  const list = db
    .selectFrom('people as p')
    .select(['p.id', 'p.orgId', 'p.doNotEmail'])
    .where(peopleFilter({ rootOrgId: p.mailingOrgId, terms: [], where: p.where }));
  const ancestors = sql`(select ancestor_id from org_tree where descendant_id = ${p.mailingOrgId}::uuid)`;
  // newsletter: a granted newsletter consent of the unit or one above it is needed.
  // consent_request: asking makes no sense where such a consent is granted or pending already.
  const consentExcludes =
    p.purpose === 'newsletter'
      ? sql`not exists (select 1 from consents c where c.person_id = a.id and c.channel = 'newsletter'
              and c.status = 'granted' and c.org_id in ${ancestors})`
      : p.purpose === 'consent_request'
        ? sql`exists (select 1 from consents c where c.person_id = a.id and c.channel = 'newsletter'
              and c.status in ('granted', 'pending') and c.org_id in ${ancestors})`
        : sql`false`;
  // An unsubscribe from the newsletter also keeps consent requests away.
  const unsubscribePurposes =
    p.purpose === 'consent_request' ? ['consent_request', 'newsletter'] : [p.purpose];
  const suppressed = (reasons: string[], extra: RawBuilder<unknown> = sql`true`) =>
    sql`exists (select 1 from mail_suppressions s where s.address_hash = a.h
          and s.reason = any(${reasons}::text[]) and ${extra})`;
  return sql`
    with list as (${list}),
    addr as (
      select l.id, l.org_id, l.do_not_email, e.email, e.status as email_status
      from list l
      left join (
        select distinct on (pe.person_id) pe.person_id, lower(trim(pe.email)) as email, pe.status
        from person_emails pe
        where pe.status <> 'invalid' and pe.person_id in (select id from list)
        order by pe.person_id, (pe.status = 'valid') desc, pe.is_primary desc, pe.id
      ) e on e.person_id = l.id
    ),
    hashed as (
      select addr.*, case when addr.email is null then null else ${addressHashSql(p.salt, sql`addr.email`)} end as h
      from addr
    ),
    classified as (
      select a.id, a.org_id, a.email,
        case
          when a.email is null then 'noEmail'
          when a.email_status = 'bounced' or ${suppressed(['bounced'])} then 'bounced'
          when ${suppressed(
            ['unsubscribed'],
            sql`(s.org_id is null or s.org_id = ${p.mailingOrgId}::uuid)
                and (s.purpose is null or s.purpose = any(${unsubscribePurposes}::text[]))`,
          )} then 'unsubscribed'
          when ${consentExcludes} then 'noConsent'
          when a.do_not_email then 'doNotContact'
          when ${suppressed(['erased', 'complaint'])} then 'suppressed'
        end as reason
      from hashed a
    ),
    ranked as (
      select c.id, c.org_id, c.email,
        case when c.reason is null and row_number() over (partition by c.reason, c.email order by c.id) > 1
          then 'duplicateAddress' else c.reason end as reason
      from classified c
    )
    ${tail}`;
}

export interface ReachCountRow {
  orgId: string;
  orgName: string;
  reason: ReachExclusion | null;
  n: number;
}

/** People per unit and reason (null: reachable): one aggregate statement. */
export async function countReach(db: Db, p: ReachParams): Promise<ReachCountRow[]> {
  const { rows } = await withRanked(
    db,
    p,
    sql`select r.org_id, o.name as org_name, r.reason, count(*)::int as n
        from ranked r join org_units o on o.id = r.org_id
        group by r.org_id, o.name, r.reason`,
  ).execute(db);
  return (rows as ReachCountRow[]).map((r) => ({ ...r, n: Number(r.n) }));
}

export interface ReachPersonRow {
  id: string;
  firstName: string;
  lastName: string;
  orgId: string;
  orgName: string;
}

/** The people behind one number (by name, keyset-paged): only id, name and unit. */
export async function listReachPeople(
  db: Db,
  p: ReachParams,
  opts: { reason: ReachExclusion | null; orgId?: string; limit: number; after?: [string, string, string] },
): Promise<ReachPersonRow[]> {
  const conditions: RawBuilder<unknown>[] = [
    opts.reason ? sql`r.reason = ${opts.reason}` : sql`r.reason is null`,
  ];
  if (opts.orgId) conditions.push(sql`r.org_id = ${opts.orgId}::uuid`);
  if (opts.after)
    conditions.push(
      sql`(pp.last_name, pp.first_name, pp.id) > (${opts.after[0]}, ${opts.after[1]}, ${opts.after[2]}::uuid)`,
    );
  const { rows } = await withRanked(
    db,
    p,
    sql`select pp.id, pp.first_name, pp.last_name, r.org_id, o.name as org_name
        from ranked r join people pp on pp.id = r.id join org_units o on o.id = r.org_id
        where ${sql.join(conditions, sql` and `)}
        order by pp.last_name, pp.first_name, pp.id
        limit ${opts.limit + 1}`,
  ).execute(db);
  return rows as ReachPersonRow[];
}

/**
 * Freezes the recipient list: one row per reachable person (address lower-cased, its domain, a
 * Message-ID fixed now), in one `insert … select`. Returns how many rows were written.
 */
export async function freezeRecipients(
  db: Db,
  p: ReachParams & { mailingId: string; messageIdHost: string },
): Promise<number> {
  const res = await withRanked(
    db,
    p,
    sql`insert into mailing_recipients (mailing_id, person_id, org_id, email, domain, message_id)
        select ${p.mailingId}::uuid, r.id, r.org_id, r.email,
               coalesce(substring(r.email from '@([^@]*)$'), ''),
               '<' || gen_random_uuid()::text || '@' || ${p.messageIdHost} || '>'
        from ranked r where r.reason is null`,
  ).execute(db);
  return Number(res.numAffectedRows ?? 0);
}
