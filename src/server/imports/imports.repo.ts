import type { Insertable, Updateable } from 'kysely';
import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import type { ImportsTable } from '../db/schema.ts';

/**
 * All SQL of imports. Batch writes are one statement each over `unnest` of column arrays: a
 * thousand rows cost one round trip and a handful of parameters, on PostgreSQL and PGlite alike.
 */

export type ImportPatch = Updateable<ImportsTable>;

export function insertImport(db: Db, row: Insertable<ImportsTable>) {
  return db.insertInto('imports').values(row).returning('id').executeTakeFirstOrThrow();
}

export function updateImport(db: Db, id: string, patch: ImportPatch) {
  return db
    .updateTable('imports')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

export function deleteImport(db: Db, id: string) {
  return db.deleteFrom('imports').where('id', '=', id).execute();
}

const importColumns = [
  'i.id',
  'i.orgId',
  'i.createdBy',
  'i.fileName',
  'i.fileSize',
  'i.format',
  'i.encoding',
  'i.delimiter',
  'i.headerRow',
  'i.columns',
  'i.suggestedMapping',
  'i.mapping',
  'i.mode',
  'i.status',
  'i.total',
  'i.errorRows',
  'i.duplicateMemberNumbers',
  'i.departures',
  'i.departuresConfirmed',
  'i.nextRow',
  'i.created',
  'i.updated',
  'i.unchanged',
  'i.departed',
  'i.failed',
  'i.message',
  'i.lockedUntil',
  'i.startedAt',
  'i.finishedAt',
  'i.createdAt',
  'i.updatedAt',
] as const;

function selectImports(db: Db) {
  return db
    .selectFrom('imports as i')
    .leftJoin('orgUnits as o', 'o.id', 'i.orgId')
    .leftJoin('users as u', 'u.id', 'i.createdBy')
    .select([...importColumns, 'o.name as orgName', 'u.name as createdByName']);
}

export function findImport(db: Db, id: string) {
  return selectImports(db).where('i.id', '=', id).executeTakeFirst();
}
export type ImportRecord = NonNullable<Awaited<ReturnType<typeof findImport>>>;

/** Recent imports of the unit and the units below it. */
export function listImports(db: Db, rootOrgId: string, limit: number) {
  return selectImports(db)
    .where('i.orgId', 'in', (eb) =>
      eb.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', rootOrgId),
    )
    .where('i.status', '<>', 'uploading')
    .orderBy('i.createdAt', 'desc')
    .limit(limit)
    .execute();
}

export function insertChunk(db: Db, importId: string, seq: number, data: Uint8Array) {
  return db.insertInto('importFileChunks').values({ importId, seq, data }).execute();
}

/** The stored file, one chunk per query. */
export async function* readChunks(db: Db, importId: string): AsyncGenerator<Uint8Array> {
  for (let seq = 0; ; seq++) {
    const row = await db
      .selectFrom('importFileChunks')
      .select('data')
      .where('importId', '=', importId)
      .where('seq', '=', seq)
      .executeTakeFirst();
    if (!row) return;
    yield row.data instanceof Uint8Array ? row.data : new Uint8Array(row.data as ArrayBuffer);
  }
}

/**
 * Claims an import for this worker: one that is running and not leased (or whose lease ran out
 * because its worker died). The lease is renewed with every batch.
 */
export async function claimRunnableImport(db: Db, leaseSeconds: number): Promise<string | null> {
  const { rows } = await sql<{ id: string }>`
    update imports set locked_until = now() + make_interval(secs => ${leaseSeconds}), updated_at = now()
    where id = (
      select id from imports
      where status = 'running' and (locked_until is null or locked_until < now())
      order by created_at
      limit 1
      for update skip locked)
    returning id`.execute(db);
  return rows[0]?.id ?? null;
}

/**
 * Starts a batch inside its transaction: locks the import row and checks that nobody committed
 * this batch already (another worker, or this one before a crash). False means: stop.
 */
export async function lockBatch(db: Db, id: string, start: number, leaseSeconds: number): Promise<boolean> {
  const { rows } = await sql<{ id: string }>`
    update imports set locked_until = now() + make_interval(secs => ${leaseSeconds})
    where id = ${id} and next_row = ${start} and status = 'running'
    returning id`.execute(db);
  return rows.length === 1;
}

export interface BatchCounts {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
}

export function commitBatch(db: Db, id: string, nextRow: number, c: BatchCounts) {
  return sql`
    update imports set next_row = ${nextRow}, created = created + ${c.created},
      updated = updated + ${c.updated}, unchanged = unchanged + ${c.unchanged},
      failed = failed + ${c.failed}, updated_at = now()
    where id = ${id}`.execute(db);
}

export async function insertErrors(
  db: Db,
  importId: string,
  errors: { rowNumber: number; column: string | null; problem: string; value: string | null }[],
) {
  if (!errors.length) return;
  await sql`
    insert into import_errors (import_id, row_number, column_name, problem, value)
    select ${importId}::uuid, * from unnest(
      ${errors.map((e) => e.rowNumber)}::int[], ${errors.map((e) => e.column)}::text[],
      ${errors.map((e) => e.problem)}::text[], ${errors.map((e) => e.value)}::text[])`.execute(db);
}

export function findErrors(db: Db, importId: string, limit: number) {
  return db
    .selectFrom('importErrors')
    .select(['rowNumber', 'columnName', 'problem', 'value'])
    .where('importId', '=', importId)
    .orderBy('rowNumber')
    .limit(limit)
    .execute();
}

export async function insertSeen(db: Db, importId: string, personIds: string[]) {
  if (!personIds.length) return;
  await sql`
    insert into import_seen (import_id, person_id)
    select ${importId}::uuid, unnest(${personIds}::uuid[])
    on conflict do nothing`.execute(db);
}

export async function findSeen(db: Db, importId: string, personIds: string[]): Promise<Set<string>> {
  if (!personIds.length) return new Set();
  const { rows } = await sql<{ personId: string }>`
    select person_id from import_seen
    where import_id = ${importId} and person_id = any(${personIds}::uuid[])`.execute(db);
  return new Set(rows.map((r) => r.personId));
}

const subtree = (rootOrgId: string) =>
  sql`(select descendant_id from org_tree where ancestor_id = ${rootOrgId})`;

/** People with these member numbers, anywhere (member numbers are unique per instance). */
export async function findByMemberNumbers(db: Db, numbers: string[]) {
  if (!numbers.length) return [];
  const { rows } = await sql<{ id: string; memberNumber: string; orgId: string }>`
    select id, member_number, org_id from people where member_number = any(${numbers}::text[])`.execute(db);
  return rows;
}

export async function hasPeopleWithoutMemberNumber(db: Db, rootOrgId: string): Promise<boolean> {
  const { rows } = await sql<{ found: boolean }>`
    select exists (select 1 from people where member_number is null and org_id in ${subtree(rootOrgId)}) as found`.execute(
    db,
  );
  return rows[0]?.found ?? false;
}

/** People of the subtree with these email addresses (lower case), with their member number. */
export async function findByEmails(db: Db, rootOrgId: string, emails: string[]) {
  if (!emails.length) return [];
  const { rows } = await sql<{ id: string; email: string; memberNumber: string | null }>`
    select distinct p.id, lower(e.email) as email, p.member_number
    from person_emails e join people p on p.id = e.person_id
    where lower(e.email) = any(${emails}::text[]) and p.org_id in ${subtree(rootOrgId)}`.execute(db);
  return rows;
}

/** People of the subtree by lower-case last name, first name and birth date. */
export async function findByNameAndBirth(
  db: Db,
  rootOrgId: string,
  keys: { first: string; last: string; birth: string }[],
) {
  if (!keys.length) return [];
  const { rows } = await sql<{
    id: string;
    first: string;
    last: string;
    birth: string;
    memberNumber: string | null;
  }>`
    select p.id, lower(p.first_name) as first, lower(p.last_name) as last, p.birth_date::text as birth,
      p.member_number
    from unnest(${keys.map((k) => k.last)}::text[], ${keys.map((k) => k.first)}::text[],
      ${keys.map((k) => k.birth)}::date[]) as k(last, first, birth)
    cross join lateral (
      select * from people x
      where lower(x.last_name) = k.last and lower(x.first_name) = k.first and x.birth_date = k.birth
    ) p
    where p.org_id in ${subtree(rootOrgId)}`.execute(db);
  return rows;
}

export function findPeopleForUpdate(db: Db, ids: string[]) {
  if (!ids.length) return Promise.resolve([]);
  return db
    .selectFrom('people')
    .select([
      'id',
      'orgId',
      'homeOrgId',
      'firstName',
      'lastName',
      'title',
      'gender',
      'birthDate',
      'street',
      'houseNumber',
      'postalCode',
      'city',
      'memberNumber',
      'membershipStatus',
      'joinedOn',
      'leftOn',
      'customFields',
    ])
    .where('id', 'in', ids)
    .execute();
}
export type ExistingPerson = Awaited<ReturnType<typeof findPeopleForUpdate>>[number];

export async function findTagIdsOfPeople(db: Db, personIds: string[]) {
  if (!personIds.length) return [];
  const { rows } = await sql<{ personId: string; tagId: string }>`
    select person_id, tag_id from person_tags where person_id = any(${personIds}::uuid[])`.execute(db);
  return rows;
}

/** The unit each postal code routes to (postal-code catchments), in one query. */
export async function routePostalCodes(db: Db, codes: string[]): Promise<Map<string, string>> {
  if (!codes.length) return new Map();
  const { rows } = await sql<{ code: string; orgId: string | null }>`
    select c.code, draht_route_postal_code(c.code) as org_id
    from unnest(${codes}::text[]) as c(code)`.execute(db);
  return new Map(rows.filter((r) => r.orgId).map((r) => [r.code, r.orgId!]));
}

export interface PersonWrite {
  id: string;
  orgId: string;
  homeOrgId: string | null;
  firstName: string;
  lastName: string;
  title: string | null;
  gender: string | null;
  birthDate: string | null;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  city: string | null;
  memberNumber: string | null;
  membershipStatus: string;
  joinedOn: string | null;
  leftOn: string | null;
  customFields: string;
  searchText: string;
}

const col = <K extends keyof PersonWrite>(rows: PersonWrite[], k: K) => rows.map((r) => r[k]);

function personArrays(rows: PersonWrite[]) {
  return sql`unnest(
    ${col(rows, 'id')}::uuid[], ${col(rows, 'orgId')}::uuid[], ${col(rows, 'homeOrgId')}::uuid[],
    ${col(rows, 'firstName')}::text[], ${col(rows, 'lastName')}::text[], ${col(rows, 'title')}::text[],
    ${col(rows, 'gender')}::text[], ${col(rows, 'birthDate')}::date[], ${col(rows, 'street')}::text[],
    ${col(rows, 'houseNumber')}::text[], ${col(rows, 'postalCode')}::text[], ${col(rows, 'city')}::text[],
    ${col(rows, 'memberNumber')}::text[], ${col(rows, 'membershipStatus')}::text[],
    ${col(rows, 'joinedOn')}::date[], ${col(rows, 'leftOn')}::date[], ${col(rows, 'customFields')}::text[],
    ${col(rows, 'searchText')}::text[])
    as u(id, org_id, home_org_id, first_name, last_name, title, gender, birth_date, street, house_number,
      postal_code, city, member_number, membership_status, joined_on, left_on, custom_fields, search_text)`;
}

export async function insertPeople(db: Db, rows: PersonWrite[], sourceDetail: string) {
  if (!rows.length) return;
  await sql`
    insert into people (id, org_id, home_org_id, first_name, last_name, title, gender, birth_date, street,
      house_number, postal_code, city, member_number, membership_status, joined_on, left_on, custom_fields,
      search_text, source, source_detail)
    select u.id, u.org_id, u.home_org_id, u.first_name, u.last_name, u.title, u.gender, u.birth_date, u.street,
      u.house_number, u.postal_code, u.city, u.member_number, u.membership_status, u.joined_on, u.left_on,
      u.custom_fields::jsonb, u.search_text, 'import', ${sourceDetail}
    from ${personArrays(rows)}`.execute(db);
}

export async function updatePeople(db: Db, rows: PersonWrite[]) {
  if (!rows.length) return;
  await sql`
    update people p set org_id = u.org_id, home_org_id = u.home_org_id, first_name = u.first_name,
      last_name = u.last_name, title = u.title, gender = u.gender, birth_date = u.birth_date,
      street = u.street, house_number = u.house_number, postal_code = u.postal_code, city = u.city,
      member_number = u.member_number, membership_status = u.membership_status, joined_on = u.joined_on,
      left_on = u.left_on, custom_fields = u.custom_fields::jsonb, search_text = u.search_text,
      updated_at = now()
    from ${personArrays(rows)}
    where p.id = u.id`.execute(db);
}

export async function insertEmails(db: Db, rows: { personId: string; email: string; isPrimary: boolean }[]) {
  if (!rows.length) return;
  await sql`
    insert into person_emails (person_id, email, is_primary, status)
    select u.person_id, u.email, u.is_primary, 'valid'
    from unnest(${rows.map((r) => r.personId)}::uuid[], ${rows.map((r) => r.email)}::text[],
      ${rows.map((r) => r.isPrimary)}::boolean[]) as u(person_id, email, is_primary)`.execute(db);
}

export async function insertPhones(
  db: Db,
  rows: {
    personId: string;
    raw: string;
    e164: string | null;
    type: string;
    status: string;
    isPrimary: boolean;
  }[],
) {
  if (!rows.length) return;
  await sql`
    insert into person_phones (person_id, raw, e164, type, status, is_primary)
    select * from unnest(${rows.map((r) => r.personId)}::uuid[], ${rows.map((r) => r.raw)}::text[],
      ${rows.map((r) => r.e164)}::text[], ${rows.map((r) => r.type)}::text[],
      ${rows.map((r) => r.status)}::text[], ${rows.map((r) => r.isPrimary)}::boolean[])`.execute(db);
}

export async function addTags(db: Db, pairs: { personId: string; tagId: string }[]) {
  if (!pairs.length) return;
  await sql`
    insert into person_tags (person_id, tag_id)
    select * from unnest(${pairs.map((p) => p.personId)}::uuid[], ${pairs.map((p) => p.tagId)}::uuid[])
    on conflict do nothing`.execute(db);
}

export async function removeTags(db: Db, pairs: { personId: string; tagId: string }[]) {
  if (!pairs.length) return;
  await sql`
    delete from person_tags t
    using unnest(${pairs.map((p) => p.personId)}::uuid[], ${pairs.map((p) => p.tagId)}::uuid[])
      as u(person_id, tag_id)
    where t.person_id = u.person_id and t.tag_id = u.tag_id`.execute(db);
}

/** Timeline events of many people at once (same shape as timeline.add). */
export async function insertTimelineEvents(
  db: Db,
  actorUserId: string | null,
  rows: { personId: string; kind: string; data: Record<string, unknown> }[],
) {
  if (!rows.length) return;
  await sql`
    insert into timeline_events (person_id, kind, actor_user_id, data)
    select u.person_id, u.kind, ${actorUserId}::uuid, u.data::jsonb
    from unnest(${rows.map((r) => r.personId)}::uuid[], ${rows.map((r) => r.kind)}::text[],
      ${rows.map((r) => JSON.stringify(r.data))}::text[]) as u(person_id, kind, data)`.execute(db);
}

/** Change events of many people at once (same shape as recordChange). */
export async function insertChanges(
  db: Db,
  rows: { personId: string; orgId: string; kind: string; fields: string[] }[],
) {
  if (!rows.length) return;
  await sql`
    insert into person_changes (person_id, org_id, kind, fields, source)
    select u.person_id, u.org_id, u.kind,
      case when u.fields = '' then '{}'::text[] else string_to_array(u.fields, ',') end, 'import'
    from unnest(${rows.map((r) => r.personId)}::uuid[], ${rows.map((r) => r.orgId)}::uuid[],
      ${rows.map((r) => r.kind)}::text[], ${rows.map((r) => r.fields.join(','))}::text[])
      as u(person_id, org_id, kind, fields)`.execute(db);
}

/** Members of the subtree (status member), for the sync departure count. */
export async function findMemberIdsInSubtree(db: Db, rootOrgId: string): Promise<string[]> {
  const { rows } = await sql<{ id: string }>`
    select id from people where membership_status = 'member' and org_id in ${subtree(rootOrgId)}`.execute(db);
  return rows.map((r) => r.id);
}

export async function countDepartures(db: Db, importId: string, rootOrgId: string): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from people p
    where p.membership_status = 'member' and p.org_id in ${subtree(rootOrgId)}
      and not exists (select 1 from import_seen s where s.import_id = ${importId} and s.person_id = p.id)`.execute(
    db,
  );
  return rows[0]?.n ?? 0;
}

/**
 * Sync: members of the subtree this import did not see become former members (left today unless
 * a leaving date is known), each with a change event and a timeline entry. Returns how many.
 */
export async function markDepartures(
  db: Db,
  importId: string,
  rootOrgId: string,
  actorUserId: string | null,
): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with gone as (
      update people p set membership_status = 'former', left_on = coalesce(p.left_on, current_date),
        updated_at = now()
      where p.membership_status = 'member' and p.org_id in ${subtree(rootOrgId)}
        and not exists (select 1 from import_seen s where s.import_id = ${importId} and s.person_id = p.id)
      returning p.id, p.org_id
    ), changes as (
      insert into person_changes (person_id, org_id, kind, fields, source)
      select id, org_id, 'departed', '{membershipStatus,leftOn}', 'import' from gone
    ), events as (
      insert into timeline_events (person_id, kind, actor_user_id, data)
      select id, 'person.departed', ${actorUserId}::uuid,
        jsonb_build_object('source', 'import', 'importId', ${importId}::text) from gone
    )
    select count(*)::int as n from gone`.execute(db);
  return rows[0]?.n ?? 0;
}
