import { sql } from 'kysely';
import { type ChangeKind, CONTACT_FIELDS, type DigestFrequency } from '../../shared/changes.ts';
import type { Db } from '../db/database.ts';
import type { Locale, Role } from '../db/schema.ts';

/**
 * The change log (`person_changes`, written by people and imports) seen from one unit: the rows of
 * people in its subtree, with moves split by direction, plus the moves out of it (old unit in
 * `from_org_id`). `sub` is the subtree; the rows carry the kind relative to it.
 */
function relativeChanges(orgId: string, from: Date, to: Date) {
  return sql`
    sub as (select descendant_id as id from org_tree where ancestor_id = ${orgId}::uuid),
    r as (
      select c.id, c.person_id, c.at, c.fields, c.source,
        case when c.kind <> 'moved' then c.kind
             when c.from_org_id in (select id from sub) then 'moved_within'
             else 'moved_in' end as kind,
        case when c.kind = 'moved' then c.from_org_id end as other_org_id
      from person_changes c
      where c.org_id in (select id from sub) and c.at >= ${from} and c.at < ${to}
      union all
      select c.id, c.person_id, c.at, c.fields, c.source, 'moved_out', c.org_id
      from person_changes c
      where c.kind = 'moved' and c.from_org_id in (select id from sub)
        and c.org_id not in (select id from sub) and c.at >= ${from} and c.at < ${to}
    )`;
}

/** `undefined` roots: everything (superadmin). */
const inSubtrees = (column: string, roots: string[] | undefined) =>
  roots === undefined
    ? sql<boolean>`true`
    : sql<boolean>`exists (select 1 from org_tree t where t.descendant_id = ${sql.ref(column)}
        and t.ancestor_id = any(${roots}::uuid[]))`;

export interface ChangeRow {
  id: string;
  personId: string;
  at: Date;
  atKey: string;
  fields: string[];
  source: string;
  kind: ChangeKind;
  firstName: string | null;
  lastName: string | null;
  personReadable: boolean;
  otherOrgId: string | null;
  otherOrgName: string | null;
  otherOrgVisible: boolean;
}

export async function findChanges(
  db: Db,
  q: {
    orgId: string;
    from: Date;
    to: Date;
    kind?: ChangeKind;
    /** Where the actor may read people (names are shown only there). */
    readRoots: string[] | undefined;
    /** Where the actor sees units (the other unit of a move is named only there). */
    orgRoots: string[] | undefined;
    after?: { at: string; id: string };
    limit: number;
  },
): Promise<ChangeRow[]> {
  const { rows } = await sql<ChangeRow>`
    with ${relativeChanges(q.orgId, q.from, q.to)}
    select r.id, r.person_id, r.at, r.at::text as at_key, r.fields, r.source, r.kind,
      p.first_name, p.last_name, ${inSubtrees('p.org_id', q.readRoots)} as person_readable,
      r.other_org_id, o.name as other_org_name,
      ${inSubtrees('r.other_org_id', q.orgRoots)} as other_org_visible
    from r
    join people p on p.id = r.person_id
    left join org_units o on o.id = r.other_org_id
    where ${q.kind ? sql`r.kind = ${q.kind}` : sql`true`}
      ${q.after ? sql`and (r.at, r.id) < (${q.after.at}::timestamptz, ${q.after.id}::uuid)` : sql``}
    order by r.at desc, r.id desc
    limit ${q.limit + 1}`.execute(db);
  return rows;
}

export interface ChangeCounts {
  byKind: Partial<Record<ChangeKind, number>>;
  contactChanged: number;
  firstAt: Date | null;
  lastAt: Date | null;
}

/** Counts per relative kind (and updates touching contact fields) in [from, to). */
export async function countChanges(db: Db, orgId: string, from: Date, to: Date): Promise<ChangeCounts> {
  const { rows } = await sql<{ kind: ChangeKind; n: number; contact: number; firstAt: Date; lastAt: Date }>`
    with ${relativeChanges(orgId, from, to)}
    select kind, count(*)::int as n,
      (count(*) filter (where fields && ${sql.val([...CONTACT_FIELDS])}::text[]))::int as contact,
      min(at) as first_at, max(at) as last_at
    from r group by kind`.execute(db);
  const out: ChangeCounts = { byKind: {}, contactChanged: 0, firstAt: null, lastAt: null };
  for (const r of rows) {
    out.byKind[r.kind] = r.n;
    if (r.kind === 'updated') out.contactChanged = r.contact;
    const first = new Date(r.firstAt);
    const last = new Date(r.lastAt);
    if (!out.firstAt || first < out.firstAt) out.firstAt = first;
    if (!out.lastAt || last > out.lastAt) out.lastAt = last;
  }
  return out;
}

// --- settings ---------------------------------------------------------------------------------

export function findDigest(db: Db, orgId: string) {
  return db.selectFrom('changeDigests').selectAll().where('orgId', '=', orgId).executeTakeFirst();
}

export function findChosenRecipientIds(db: Db, orgId: string) {
  return db
    .selectFrom('changeDigestRecipients')
    .select('userId')
    .where('orgId', '=', orgId)
    .execute()
    .then((rows) => rows.map((r) => r.userId));
}

export async function saveDigest(
  db: Db,
  row: { orgId: string; frequency: DigestFrequency; lastDigestUntil?: Date; updatedBy: string | null },
  recipientUserIds: string[],
) {
  await db
    .insertInto('changeDigests')
    .values({ ...row, updatedAt: new Date() })
    .onConflict((oc) =>
      oc.column('orgId').doUpdateSet((eb) => ({
        frequency: eb.ref('excluded.frequency'),
        updatedBy: eb.ref('excluded.updatedBy'),
        updatedAt: eb.ref('excluded.updatedAt'),
        // Never backwards: what was reported stays reported.
        ...(row.lastDigestUntil
          ? {
              lastDigestUntil: sql<Date>`greatest(change_digests.last_digest_until, excluded.last_digest_until)`,
            }
          : {}),
      })),
    )
    .execute();
  await db.deleteFrom('changeDigestRecipients').where('orgId', '=', row.orgId).execute();
  if (recipientUserIds.length) {
    await db
      .insertInto('changeDigestRecipients')
      .values(recipientUserIds.map((userId) => ({ orgId: row.orgId, userId })))
      .execute();
  }
}

export interface DigestUserRow {
  userId: string;
  name: string;
  email: string;
  locale: Locale;
  role: Role;
  orgId: string;
  orgName: string;
}

/** Users holding a role on the unit or a unit above it (not disabled), nearest unit first. */
export async function findRoleHoldersInLine(db: Db, orgId: string): Promise<DigestUserRow[]> {
  const { rows } = await sql<DigestUserRow>`
    select distinct on (u.id) u.id as user_id, u.name, u.email, u.locale, m.role, m.org_id, o.name as org_name
    from org_tree t
    join memberships m on m.org_id = t.ancestor_id
    join users u on u.id = m.user_id and u.disabled_at is null
    join org_units o on o.id = m.org_id
    where t.descendant_id = ${orgId}::uuid
    order by u.id, t.depth`.execute(db);
  return rows.sort((a, b) => a.name.localeCompare(b.name) || a.email.localeCompare(b.email));
}

// --- digest runs ------------------------------------------------------------------------------

/**
 * Units whose digest runs at this frequency: those with settings saying so, and — for the default
 * `daily` — units without settings that have admins of their own (nobody else would get it).
 */
export async function findDigestUnits(db: Db, frequency: DigestFrequency): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select o.id from org_units o
    left join change_digests d on d.org_id = o.id
    where o.archived_at is null and coalesce(d.frequency, 'daily') = ${frequency}
      and (d.org_id is not null
        or exists (select 1 from memberships m where m.org_id = o.id and m.role = 'admin'))
    order by o.id`.execute(db);
  return rows.map((r) => r.id);
}

/**
 * Takes the unit's digest row for this run (made with the defaults when missing); null when another
 * run holds it. The lock keeps two instances or a retry from reporting the same window twice.
 */
export async function claimDigestRow(db: Db, orgId: string) {
  await db
    .insertInto('changeDigests')
    .values({ orgId })
    .onConflict((oc) => oc.doNothing())
    .execute();
  return db
    .selectFrom('changeDigests')
    .select(['orgId', 'frequency', 'lastDigestUntil'])
    .where('orgId', '=', orgId)
    .forUpdate()
    .skipLocked()
    .executeTakeFirst();
}

export function markDigested(db: Db, orgId: string, until: Date, sent: boolean) {
  return db
    .updateTable('changeDigests')
    .set({ lastDigestUntil: until, ...(sent ? { lastSentAt: new Date() } : {}) })
    .where('orgId', '=', orgId)
    .execute();
}

export function findOrgName(db: Db, orgId: string) {
  return db
    .selectFrom('orgUnits')
    .select('name')
    .where('id', '=', orgId)
    .executeTakeFirst()
    .then((r) => r?.name ?? null);
}
