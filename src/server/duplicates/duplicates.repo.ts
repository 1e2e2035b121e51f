import { type SqlBool, sql } from 'kysely';
import type { Db } from '../db/database.ts';

/** Scan tuning: weights per reason (combined as 1 − Π(1 − w)) and the name similarity needed. */
export const SCAN = {
  emailWeight: 0.9,
  phoneWeight: 0.7,
  /** name + same birth date: base + factor × similarity. */
  birthBase: 0.4,
  /** name + same postal code: base + factor × similarity. */
  postalBase: 0.2,
  similarityFactor: 0.5,
  minNameSimilarity: 0.5,
  /** An address or number shared by more people than this is a shared one (office, family), not a duplicate. */
  maxSharedKey: 10,
} as const;

/**
 * Finds candidate pairs among the people of the subtree of `rootOrgId` in one statement and upserts
 * them: self-joins on the email key, the e164 number, and for names blocks of equal birth date or
 * postal code (plus the initial of the last name), compared by trigram similarity. Existing pairs
 * keep their status (dismissed stays dismissed); open pairs of the subtree not found again and
 * pairs of people who no longer exist are removed. Returns the number of pairs found.
 */
export async function scanSubtree(db: Db, rootOrgId: string): Promise<number> {
  const { rows } = await sql<{ pairs: number }>`
    with scope as materialized (
      select p.id, p.birth_date, p.postal_code,
             draht_name_key(p.first_name, p.last_name) as name_key,
             left(draht_name_key('', p.last_name), 1) as initial
      from people p
      where p.org_id in (select descendant_id from org_tree where ancestor_id = ${rootOrgId})
    ),
    email_keys as materialized (
      select k, person_id from (
        select lower(e.email) as k, e.person_id, count(*) over (partition by lower(e.email)) as n
        from person_emails e join scope s on s.id = e.person_id
      ) x where n between 2 and ${SCAN.maxSharedKey}
    ),
    phone_keys as materialized (
      select k, person_id from (
        select ph.e164 as k, ph.person_id, count(*) over (partition by ph.e164) as n
        from person_phones ph join scope s on s.id = ph.person_id
        where ph.e164 is not null
      ) x where n between 2 and ${SCAN.maxSharedKey}
    ),
    pairs as (
      select distinct x.person_id as a, y.person_id as b, 'email' as reason, ${SCAN.emailWeight}::float8 as w
      from email_keys x join email_keys y on y.k = x.k and x.person_id < y.person_id
      union all
      select distinct x.person_id, y.person_id, 'phone', ${SCAN.phoneWeight}::float8
      from phone_keys x join phone_keys y on y.k = x.k and x.person_id < y.person_id
      union all
      select a, b, 'name_birth_date', ${SCAN.birthBase}::float8 + ${SCAN.similarityFactor}::float8 * sim
      from (
        select x.id as a, y.id as b, similarity(x.name_key, y.name_key) as sim
        from scope x join scope y
          on y.birth_date = x.birth_date and y.initial = x.initial and x.id < y.id
        where x.birth_date is not null
      ) n where sim >= ${SCAN.minNameSimilarity}
      union all
      select a, b, 'name_postal_code', ${SCAN.postalBase}::float8 + ${SCAN.similarityFactor}::float8 * sim
      from (
        select x.id as a, y.id as b, similarity(x.name_key, y.name_key) as sim
        from scope x join scope y
          on y.postal_code = x.postal_code and y.initial = x.initial and x.id < y.id
        where x.postal_code is not null and x.postal_code <> ''
      ) n where sim >= ${SCAN.minNameSimilarity}
    ),
    upserted as (
      insert into duplicate_candidates (person_a, person_b, score, reasons, scanned_at)
      select a, b,
             round((1 - exp(sum(ln(1 - least(w, 0.99)))))::numeric, 3)::real,
             array_agg(distinct reason order by reason),
             now()
      from pairs
      group by a, b
      on conflict (person_a, person_b) do update
        set score = excluded.score, reasons = excluded.reasons, scanned_at = excluded.scanned_at
      returning 1
    )
    select count(*)::int as pairs from upserted`.execute(db);

  // Open pairs inside the subtree that this scan did not find again (data changed since).
  await sql`
    delete from duplicate_candidates c
    where c.status = 'open' and c.scanned_at < now()
      and exists (select 1 from people p join org_tree t on t.descendant_id = p.org_id
                  where p.id = c.person_a and t.ancestor_id = ${rootOrgId})
      and exists (select 1 from people p join org_tree t on t.descendant_id = p.org_id
                  where p.id = c.person_b and t.ancestor_id = ${rootOrgId})`.execute(db);
  // Pairs of people who were erased (merged pairs stay as history).
  await sql`
    delete from duplicate_candidates c
    where c.status <> 'merged'
      and (not exists (select 1 from people p where p.id = c.person_a)
           or not exists (select 1 from people p where p.id = c.person_b))`.execute(db);
  return rows[0]?.pairs ?? 0;
}

export interface CandidateListFilter {
  rootOrgId: string;
  status: 'open' | 'merged' | 'dismissed';
  after?: { score: number; id: string };
  limit: number;
}

/** Candidate pairs whose both people lie in the subtree, best score first (keyset on score, id). */
export function listCandidates(db: Db, f: CandidateListFilter) {
  const inSubtree = db.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', f.rootOrgId);
  let q = db
    .selectFrom('duplicateCandidates as c')
    .innerJoin('people as pa', 'pa.id', 'c.personA')
    .innerJoin('people as pb', 'pb.id', 'c.personB')
    .select(['c.id', 'c.score', 'c.reasons', 'c.status', 'c.scannedAt', 'c.personA', 'c.personB'])
    .where('c.status', '=', f.status)
    .where('pa.orgId', 'in', inSubtree)
    .where('pb.orgId', 'in', inSubtree);
  if (f.after) {
    const { score, id } = f.after;
    q = q.where(
      sql<SqlBool>`(c.score < cast(${score} as real) or (c.score = cast(${score} as real) and c.id > cast(${id} as uuid)))`,
    );
  }
  return q
    .orderBy('c.score', 'desc')
    .orderBy('c.id')
    .limit(f.limit + 1)
    .execute();
}

export function findCandidate(db: Db, id: string) {
  return db
    .selectFrom('duplicateCandidates')
    .select(['id', 'personA', 'personB', 'status', 'score', 'reasons'])
    .where('id', '=', id)
    .executeTakeFirst();
}

export function setCandidateStatus(
  db: Db,
  id: string,
  status: 'open' | 'merged' | 'dismissed',
  decidedBy: string | null,
) {
  return db
    .updateTable('duplicateCandidates')
    .set({ status, decidedBy, decidedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

// --- scan requests --------------------------------------------------------------------------

const scanColumns = ['id', 'orgId', 'status', 'pairs', 'createdAt', 'startedAt', 'finishedAt'] as const;

/** A waiting request of the unit, if any (a second click does not queue a second scan). */
export function findQueuedScan(db: Db, orgId: string) {
  return db
    .selectFrom('duplicateScans')
    .select(scanColumns)
    .where('orgId', '=', orgId)
    .where('status', '=', 'queued')
    .executeTakeFirst();
}

export function insertScan(db: Db, row: { orgId: string; requestedBy: string | null }) {
  return db.insertInto('duplicateScans').values(row).returning(scanColumns).executeTakeFirstOrThrow();
}

export function findLatestScan(db: Db, orgId: string) {
  return db
    .selectFrom('duplicateScans')
    .select(scanColumns)
    .where('orgId', '=', orgId)
    .orderBy('createdAt', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function findScan(db: Db, id: string) {
  return db.selectFrom('duplicateScans').select(scanColumns).where('id', '=', id).executeTakeFirstOrThrow();
}

/** Claims the oldest queued scan (another worker skips it) and marks it running. */
export async function claimQueuedScan(db: Db) {
  return db
    .updateTable('duplicateScans')
    .set({ status: 'running', startedAt: new Date() })
    .where(
      'id',
      '=',
      db
        .selectFrom('duplicateScans')
        .select('id')
        .where('status', '=', 'queued')
        .orderBy('createdAt')
        .limit(1)
        .forUpdate()
        .skipLocked(),
    )
    .returning(['id', 'orgId'])
    .executeTakeFirst();
}

export function finishScan(db: Db, id: string, result: { pairs: number } | { error: string }) {
  return db
    .updateTable('duplicateScans')
    .set(
      'error' in result
        ? { status: 'failed', error: result.error.slice(0, 2000), finishedAt: new Date() }
        : { status: 'done', pairs: result.pairs, finishedAt: new Date() },
    )
    .where('id', '=', id)
    .execute();
}

/** Scans left running by a crashed worker go back to the queue after an hour. */
export function requeueStaleScans(db: Db) {
  return db
    .updateTable('duplicateScans')
    .set({ status: 'queued', startedAt: null })
    .where('status', '=', 'running')
    .where('startedAt', '<', new Date(Date.now() - 3600_000))
    .execute();
}

export function findRootOrgIds(db: Db) {
  return db
    .selectFrom('orgUnits')
    .select('id')
    .where('parentId', 'is', null)
    .where('archivedAt', 'is', null)
    .execute();
}

/**
 * People who share an email address (case-insensitive), a phone number (E.164) or the exact first
 * and last name with a person about to be created, among the subtrees of `rootOrgIds` only
 * (`undefined`: every unit). At most `limit` people, email and phone matches first.
 */
export async function findPossibleDuplicates(
  db: Db,
  input: {
    rootOrgIds: string[] | undefined;
    emails: string[];
    phones: string[];
    firstName: string;
    lastName: string;
  },
  limit: number,
) {
  if (input.rootOrgIds?.length === 0) return [];
  const { emails, phones, firstName, lastName } = input;
  const byName = firstName !== '' && lastName !== '';
  if (!emails.length && !phones.length && !byName) return [];
  const { rows } = await sql<{
    id: string;
    orgId: string;
    orgName: string;
    firstName: string;
    lastName: string;
    postalCode: string | null;
    city: string | null;
    email: boolean;
    phone: boolean;
    name: boolean;
  }>`
    with hits as (
      select e.person_id, 'email' as reason from person_emails e
      where ${emails.length ? sql`lower(e.email) in (${sql.join(emails)})` : sql`false`}
      union
      select ph.person_id, 'phone' from person_phones ph
      where ${phones.length ? sql`ph.e164 in (${sql.join(phones)})` : sql`false`}
      union
      select p.id, 'name' from people p
      where ${byName ? sql`lower(p.last_name) = ${lastName} and lower(p.first_name) = ${firstName}` : sql`false`}
    )
    select p.id, p.org_id as "orgId", o.name as "orgName", p.first_name as "firstName",
           p.last_name as "lastName", p.postal_code as "postalCode", p.city,
           bool_or(h.reason = 'email') as email, bool_or(h.reason = 'phone') as phone,
           bool_or(h.reason = 'name') as name
    from hits h
    join people p on p.id = h.person_id
    join org_units o on o.id = p.org_id
    where ${
      input.rootOrgIds
        ? sql`p.org_id in (select descendant_id from org_tree where ancestor_id in (${sql.join(input.rootOrgIds)}))`
        : sql`true`
    }
    group by p.id, o.name
    order by bool_or(h.reason <> 'name') desc, p.last_name, p.first_name, p.id
    limit ${limit}
  `.execute(db);
  return rows;
}

/**
 * Candidate bookkeeping after a merge: pairs among the merged people are `merged`; a pair that
 * someone dismissed ("not the same person") is carried over to the kept person, other pairs of
 * merged-away people go (the next scan finds them again through the kept person).
 */
export async function settleCandidates(db: Db, keepId: string, mergedIds: string[], actorId: string | null) {
  const all = sql`cast(${sql.val([keepId, ...mergedIds])} as uuid[])`;
  const merged = sql`cast(${sql.val(mergedIds)} as uuid[])`;
  await sql`
    update duplicate_candidates set status = 'merged', decided_at = now(), decided_by = ${actorId}
    where person_a = any(${all}) and person_b = any(${all})`.execute(db);
  await sql`
    insert into duplicate_candidates (person_a, person_b, score, reasons, status, decided_at, decided_by)
    select least(${keepId}::uuid, other), greatest(${keepId}::uuid, other), score, reasons, 'dismissed', decided_at, decided_by
    from (
      select distinct on (other) other, score, reasons, decided_at, decided_by from (
        select case when person_a = any(${merged}) then person_b else person_a end as other, score, reasons,
               decided_at, decided_by
        from duplicate_candidates
        where status = 'dismissed' and (person_a = any(${merged}) or person_b = any(${merged}))
      ) x order by other, score desc
    ) d
    where other <> all(${all})
    on conflict (person_a, person_b) do update set status = 'dismissed'`.execute(db);
  await sql`
    delete from duplicate_candidates
    where status <> 'merged' and (person_a = any(${merged}) or person_b = any(${merged}))`.execute(db);
}
