import type { Insertable, Updateable } from 'kysely';
import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { Database, MembershipStatus, PeopleTable } from '../db/schema.ts';

export type PersonRow = Insertable<PeopleTable>;
export type PersonPatch = Updateable<PeopleTable>;

const personColumns = [
  'p.id',
  'p.orgId',
  'p.homeOrgId',
  'p.firstName',
  'p.lastName',
  'p.title',
  'p.gender',
  'p.pronouns',
  'p.birthDate',
  'p.street',
  'p.houseNumber',
  'p.postalCode',
  'p.city',
  'p.country',
  'p.memberNumber',
  'p.membershipStatus',
  'p.joinedOn',
  'p.leftOn',
  'p.doNotCall',
  'p.doNotEmail',
  'p.doNotPost',
  'p.source',
  'p.sourceDetail',
  'p.customFields',
  'p.createdAt',
  'p.updatedAt',
] as const;

export function insertPerson(db: Db, row: PersonRow) {
  return db.insertInto('people').values(row).returning('id').executeTakeFirstOrThrow();
}

export function updatePersonRow(db: Db, id: string, patch: PersonPatch) {
  return db
    .updateTable('people')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

export function deletePersonRow(db: Db, id: string) {
  return db.deleteFrom('people').where('id', '=', id).executeTakeFirst();
}

/** People with their unit's name (merged ids are not followed here: see resolveRedirect). */
export function findPeople(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('people as p')
    .innerJoin('orgUnits as o', 'o.id', 'p.orgId')
    .select([...personColumns, 'o.name as orgName'])
    .where('p.id', 'in', ids)
    .execute();
}

export async function findPerson(db: Db, id: string) {
  return (await findPeople(db, [id]))[0];
}

export type PersonRecord = NonNullable<Awaited<ReturnType<typeof findPerson>>>;

export async function resolveRedirect(db: Db, id: string): Promise<string> {
  const row = await db
    .selectFrom('personRedirects')
    .select('newId')
    .where('oldId', '=', id)
    .executeTakeFirst();
  return row?.newId ?? id;
}

export function findEmails(db: Db, personIds: string[]) {
  if (!personIds.length) return Promise.resolve([]);
  return db
    .selectFrom('personEmails')
    .select(['id', 'personId', 'email', 'isPrimary', 'status'])
    .where('personId', 'in', personIds)
    .orderBy('isPrimary', 'desc')
    .orderBy('email')
    .execute();
}

export function findPhones(db: Db, personIds: string[]) {
  if (!personIds.length) return Promise.resolve([]);
  return db
    .selectFrom('personPhones')
    .select(['id', 'personId', 'raw', 'e164', 'type', 'status', 'isPrimary'])
    .where('personId', 'in', personIds)
    .orderBy('isPrimary', 'desc')
    .orderBy('raw')
    .execute();
}

export function findTagsOfPeople(db: Db, personIds: string[]) {
  if (!personIds.length) return Promise.resolve([]);
  return db
    .selectFrom('personTags as pt')
    .innerJoin('tags as t', 't.id', 'pt.tagId')
    .select(['pt.personId', 't.id', 't.name', 't.color', 't.groupName'])
    .where('pt.personId', 'in', personIds)
    .orderBy('t.name')
    .execute();
}

export async function replaceEmails(
  db: Db,
  personId: string,
  emails: { email: string; isPrimary: boolean; status: 'valid' | 'bounced' | 'invalid' }[],
) {
  await db.deleteFrom('personEmails').where('personId', '=', personId).execute();
  if (emails.length)
    await db
      .insertInto('personEmails')
      .values(emails.map((e) => ({ ...e, personId })))
      .execute();
}

export async function replacePhones(
  db: Db,
  personId: string,
  phones: {
    raw: string;
    e164: string | null;
    type: 'mobile' | 'landline';
    status: 'valid' | 'invalid' | 'outdated';
    isPrimary: boolean;
  }[],
) {
  await db.deleteFrom('personPhones').where('personId', '=', personId).execute();
  if (phones.length)
    await db
      .insertInto('personPhones')
      .values(phones.map((p) => ({ ...p, personId })))
      .execute();
}

export async function routePostalCode(db: Db, postalCode: string | null | undefined): Promise<string | null> {
  if (!postalCode) return null;
  const { rows } = await sql<{
    id: string | null;
  }>`select draht_route_postal_code(${postalCode}) as id`.execute(db);
  return rows[0]?.id ?? null;
}

/** Like routePostalCode, among the units of the given subtrees only (the same order of preference). */
export async function routePostalCodeWithin(
  db: Db,
  postalCode: string,
  rootOrgIds: string[],
): Promise<string | null> {
  if (!rootOrgIds.length) return null;
  const { rows } = await sql<{ id: string }>`
    select o.id
    from org_units o
    cross join lateral unnest(o.postal_codes) as pc(prefix)
    where o.archived_at is null and ${postalCode} like pc.prefix || '%'
      and o.id in (select descendant_id from org_tree where ancestor_id = any(${rootOrgIds}::uuid[]))
    order by length(pc.prefix) desc,
             (select max(t.depth) from org_tree t where t.descendant_id = o.id) desc,
             o.id
    limit 1`.execute(db);
  return rows[0]?.id ?? null;
}

/**
 * Re-routes the people without an explicit home unit whose postal code starts with one of the
 * given prefixes (after a catchment changed). People nobody's catchment matches stay where they are.
 * With `withinOrgId` only people of that subtree move, and only to units of it.
 */
export async function rerouteByPrefixes(
  db: Db,
  prefixes: string[],
  withinOrgId: string | null,
): Promise<number> {
  if (!prefixes.length) return 0;
  const inSubtree = (column: string) =>
    withinOrgId
      ? sql`and ${sql.ref(column)} in (select descendant_id from org_tree where ancestor_id = ${withinOrgId}::uuid)`
      : sql``;
  // Each moved person gets a 'moved' change (old unit in fields[1], the change log's convention).
  const result = await sql`
    with moved as (
      update people p
      set org_id = routed.id, updated_at = now()
      from (
        select id as person_id, org_id as old_org_id, draht_route_postal_code(postal_code) as id
        from people
        where home_org_id is null and postal_code like any (${sql.val(prefixes.map((x) => `${x}%`))}::text[])
          ${inSubtree('org_id')}
      ) routed
      where p.id = routed.person_id and routed.id is not null and routed.id <> p.org_id
        ${inSubtree('routed.id')}
      returning p.id, p.org_id, routed.old_org_id
    )
    insert into person_changes (person_id, org_id, kind, fields, source)
    select id, org_id, 'moved', array[old_org_id::text], 'catchment' from moved`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

export interface PeopleFilter {
  /** The unit whose subtree is searched: nothing outside it ever matches. */
  rootOrgId: string;
  /** Each term must match: trigram substring, or a similar word (typos). */
  terms: string[];
  tagId?: string;
  status?: string;
  personIds?: string[];
  /** Also match similar words (typos): slower, used when the exact search found nobody. */
  fuzzy?: boolean;
  /** A compiled smart-search filter on alias `p` (queries/filter-registry.ts: compileFilter). */
  where?: Expression<SqlBool>;
}

/** The WHERE of every people query (list, export, later smart search): scope first, then filters. */
export function peopleFilter(f: PeopleFilter) {
  return (eb: ExpressionBuilder<Database & { p: PeopleTable }, 'p'>) => {
    const conditions: Expression<SqlBool>[] = [
      eb(
        'p.orgId',
        'in',
        eb.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', f.rootOrgId),
      ),
    ];
    for (const term of f.terms) {
      const like = `%${term.replace(/[%_\\]/g, '\\$&')}%`;
      conditions.push(
        f.fuzzy && !/^\d+$/.test(term) && term.length >= 4
          ? eb.or([eb('p.searchText', 'like', like), sql<SqlBool>`${term} <% p.search_text`])
          : eb('p.searchText', 'like', like),
      );
    }
    if (f.tagId) {
      conditions.push(
        eb.exists(
          eb
            .selectFrom('personTags as pt')
            .select('pt.personId')
            .whereRef('pt.personId', '=', 'p.id')
            .where('pt.tagId', '=', f.tagId),
        ),
      );
    }
    if (f.status) conditions.push(eb('p.membershipStatus', '=', f.status as MembershipStatus));
    if (f.where) conditions.push(f.where);
    if (f.personIds)
      conditions.push(
        eb('p.id', 'in', f.personIds.length ? f.personIds : ['00000000-0000-0000-0000-000000000000']),
      );
    return eb.and(conditions);
  };
}

export interface PeopleListFilter extends PeopleFilter {
  sort: 'name' | '-name' | 'created' | '-created' | 'postalCode' | '-postalCode';
  after?: (string | number)[];
  limit: number;
}

/** Sort keys: SQL expression + cast of the cursor value; all non-null so tuple comparison works. */
const SORT_KEYS = {
  name: [sql`p.last_name`, sql`p.first_name`, sql`p.id`],
  created: [sql`p.created_at`, sql`p.id`],
  postalCode: [sql`coalesce(p.postal_code, '')`, sql`p.last_name`, sql`p.id`],
} as const;
const CURSOR_CASTS = {
  name: ['text', 'text', 'uuid'],
  created: ['timestamptz', 'uuid'],
  postalCode: ['text', 'text', 'uuid'],
} as const;

/** Keyset-paginated people list in one SQL statement, always limited to the subtree. */
export function listPeople(db: Db, f: PeopleListFilter) {
  const descending = f.sort.startsWith('-');
  const sortName = f.sort.replace('-', '') as keyof typeof SORT_KEYS;
  const keys = SORT_KEYS[sortName];
  // A selective filter (search terms, a tag) first collects the matching ids through its index,
  // then sorts them; otherwise the planner may walk the name index and discard most of 1M rows.
  const selective = f.terms.length > 0 || f.tagId !== undefined || f.where !== undefined;
  let q = db
    .with(
      (cte) => cte('hits').materialized(),
      (qb) =>
        qb
          .selectFrom('people as p')
          .select('p.id')
          .where(selective ? peopleFilter(f) : sql<SqlBool>`false`),
    )
    .selectFrom('people as p')
    .select([
      'p.id',
      'p.orgId',
      'p.firstName',
      'p.lastName',
      'p.postalCode',
      'p.city',
      'p.memberNumber',
      'p.membershipStatus',
      'p.createdAt',
      sql<string>`p.created_at::text`.as('createdKey'),
      (eb) =>
        eb
          .selectFrom('personEmails as e')
          .select('e.email')
          .whereRef('e.personId', '=', 'p.id')
          .orderBy('e.isPrimary', 'desc')
          .limit(1)
          .as('email'),
      (eb) =>
        eb
          .selectFrom('personPhones as ph')
          .select('ph.raw')
          .whereRef('ph.personId', '=', 'p.id')
          .orderBy('ph.isPrimary', 'desc')
          .limit(1)
          .as('phone'),
      sql<
        string[]
      >`coalesce((select array_agg(pt.tag_id) from person_tags pt where pt.person_id = p.id), '{}')`.as(
        'tagIds',
      ),
    ])
    .where(selective ? sql<SqlBool>`p.id in (select id from hits)` : peopleFilter(f));
  if (f.after) {
    const values = f.after.map((v, i) => sql`cast(${v} as ${sql.raw(CURSOR_CASTS[sortName][i])})`);
    q = q.where(
      sql<SqlBool>`(${sql.join([...keys])}) ${sql.raw(descending ? '<' : '>')} (${sql.join(values)})`,
    );
  }
  for (const key of keys) q = q.orderBy(key, descending ? 'desc' : 'asc');
  return q.limit(f.limit + 1).execute();
}

/** The ids among `personIds` whose person lies in the subtree of `rootOrgId`. */
export async function filterPeopleInSubtree(
  db: Db,
  rootOrgId: string,
  personIds: string[],
): Promise<string[]> {
  if (!personIds.length) return [];
  const rows = await db
    .selectFrom('people')
    .select('id')
    .where('id', 'in', personIds)
    .where('orgId', 'in', (eb) =>
      eb.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', rootOrgId),
    )
    .execute();
  return rows.map((r) => r.id);
}

export function insertNote(db: Db, row: { personId: string; authorId: string; text: string }) {
  return db.insertInto('notes').values(row).returning(['id', 'text', 'createdAt']).executeTakeFirstOrThrow();
}

// ---- writes other modules make through people/person-effects.service.ts ----------------------

export function markPhonesOutdated(db: Db, personId: string, phoneId: string | undefined) {
  let q = db
    .updateTable('personPhones')
    .set({ status: 'outdated' })
    .where('personId', '=', personId)
    .where('status', '=', 'valid');
  if (phoneId) q = q.where('id', '=', phoneId);
  return q.execute();
}

export function mergeCustomFields(db: Db, personId: string, values: Record<string, unknown>) {
  return db
    .updateTable('people')
    .set({
      customFields: sql`custom_fields || ${JSON.stringify(values)}::jsonb`,
      updatedAt: new Date(),
    })
    .where('id', '=', personId)
    .execute();
}

export function setDoNotCall(db: Db, personId: string) {
  return db
    .updateTable('people')
    .set({ doNotCall: true, updatedAt: new Date() })
    .where('id', '=', personId)
    .execute();
}

/**
 * Addresses a mail server refused for good (a mailing's 5xx bounce): every person's copy of them is
 * marked `bounced`. Answers the people concerned (for their timeline).
 */
export async function markEmailsBounced(db: Db, emails: string[]): Promise<string[]> {
  if (!emails.length) return [];
  const rows = await db
    .updateTable('personEmails')
    .set({ status: 'bounced' })
    .where(sql<string>`lower(email)`, 'in', [...new Set(emails.map((e) => e.trim().toLowerCase()))])
    .where('status', '<>', 'bounced')
    .returning('personId')
    .execute();
  return [...new Set(rows.map((r) => r.personId))];
}
