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

/** Deletes an import that was not started (its file chunks and problems go with it). */
export async function deleteNotStartedImport(db: Db, id: string): Promise<boolean> {
  const res = await db
    .deleteFrom('imports')
    .where('id', '=', id)
    .where('status', 'in', ['pending', 'uploading'])
    .executeTakeFirst();
  return Number(res.numDeletedRows) === 1;
}

/** Uploads never started (or never finished uploading) created before `before`; returns them. */
export function deleteStaleUploads(db: Db, before: Date) {
  return db
    .deleteFrom('imports')
    .where('status', 'in', ['pending', 'uploading'])
    .where('createdAt', '<', before)
    .returning(['id', 'orgId', 'fileName'])
    .execute();
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
  'i.consentLegalBasis',
  'i.consentOrgId',
  'i.consentsRequested',
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
/** Counts the newsletter double opt-ins a batch started (in the batch's transaction). */
export function addConsentsRequested(db: Db, id: string, n: number) {
  return db
    .updateTable('imports')
    .set((eb) => ({ consentsRequested: eb('consentsRequested', '+', n) }))
    .where('id', '=', id)
    .execute();
}

/** Whether a unit is the import's unit or one above it (the units its consents may be for). */
export async function isUnitOrAncestor(db: Db, orgId: string, ofOrgId: string): Promise<boolean> {
  const row = await db
    .selectFrom('orgTree')
    .select('ancestorId')
    .where('ancestorId', '=', orgId)
    .where('descendantId', '=', ofOrgId)
    .executeTakeFirst();
  return Boolean(row);
}

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

/** The stored original cells of skipped rows, by row number. */
export async function findErrorRows(db: Db, importId: string): Promise<Map<number, string[]>> {
  const rows = await db
    .selectFrom('importErrorRows')
    .select(['rowNumber', 'cells'])
    .where('importId', '=', importId)
    .execute();
  return new Map(rows.map((r) => [r.rowNumber, r.cells]));
}

/**
 * An import ended (done or failed for good): its uploaded file and its seen list are not needed
 * any more. Running imports keep both, so a crashed worker's import resumes.
 */
export async function deleteImportWorkingData(db: Db, importId: string) {
  await db.deleteFrom('importFileChunks').where('importId', '=', importId).execute();
  await db.deleteFrom('importSeen').where('importId', '=', importId).execute();
}

/**
 * Retention: for imports that ended before `before`, the problems of skipped rows, their
 * original cells and the duplicate member numbers go (and any file or seen list still left).
 * Returns how many imports were cleaned.
 */
export async function deleteExpiredImportDetails(db: Db, before: Date): Promise<number> {
  const { rows } = await sql<{ n: number }>`
    with expired as (
      select id from imports where status in ('done', 'failed') and finished_at < ${before.toISOString()}::timestamptz
    ), errors as (
      delete from import_errors where import_id in (select id from expired) returning import_id
    ), error_rows as (
      delete from import_error_rows where import_id in (select id from expired) returning import_id
    ), chunks as (
      delete from import_file_chunks where import_id in (select id from expired) returning import_id
    ), seen as (
      delete from import_seen where import_id in (select id from expired) returning import_id
    ), cleared as (
      update imports set duplicate_member_numbers = '{}'
      where id in (select id from expired) and duplicate_member_numbers <> '{}'
      returning id
    )
    select count(*)::int as n from (
      select import_id from errors union select import_id from error_rows union select import_id from chunks
      union select import_id from seen union select id from cleared) x`.execute(db);
  return rows[0]?.n ?? 0;
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

/** A matched person as an update needs it: fields, emails, phones, tags, and whether this import saw it. */
export interface MatchedPerson {
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
  customFields: Record<string, unknown>;
  seen: boolean;
  /** In the order of people.repo findEmails/findPhones (primary first, then by text). */
  emails: string[];
  phoneRaws: string[];
  phoneE164s: (string | null)[];
  tagIds: string[];
}

/**
 * The people a batch matched: whether this import saw them already, and (withDetails) their fields,
 * emails, phones and tags for the comparison of an update. Set-based queries over the ids (per-person
 * subqueries cost a bitmap scan each).
 */
export async function findMatched(
  db: Db,
  importId: string,
  ids: string[],
  withDetails: boolean,
): Promise<MatchedPerson[]> {
  if (!ids.length) return [];
  const seenRows = await sql<{ personId: string }>`
    select person_id from import_seen
    where import_id = ${importId} and person_id = any(${ids}::uuid[])`.execute(db);
  const seen = new Set(seenRows.rows.map((r) => r.personId));
  const blank = () => ({
    emails: [] as string[],
    phoneRaws: [] as string[],
    phoneE164s: [] as (string | null)[],
    tagIds: [] as string[],
  });
  if (!withDetails) {
    const { rows } = await sql<{ id: string }>`select id from people where id = any(${ids}::uuid[])`.execute(
      db,
    );
    return rows.map((r) => ({ ...(r as MatchedPerson), ...blank(), seen: seen.has(r.id) }));
  }
  const { rows: people } = await sql<
    Omit<MatchedPerson, 'seen' | 'emails' | 'phoneRaws' | 'phoneE164s' | 'tagIds'>
  >`
    select id, org_id, home_org_id, first_name, last_name, title, gender, birth_date, street, house_number,
      postal_code, city, member_number, membership_status, joined_on, left_on, custom_fields
    from people where id = any(${ids}::uuid[])`.execute(db);
  const { rows: emails } = await sql<{ personId: string; email: string }>`
    select person_id, email from person_emails where person_id = any(${ids}::uuid[])
    order by is_primary desc, email`.execute(db);
  const { rows: phones } = await sql<{ personId: string; raw: string; e164: string | null }>`
    select person_id, raw, e164 from person_phones where person_id = any(${ids}::uuid[])
    order by is_primary desc, raw`.execute(db);
  const { rows: tags } = await sql<{ personId: string; tagId: string }>`
    select person_id, tag_id from person_tags where person_id = any(${ids}::uuid[])`.execute(db);
  const byId = new Map<string, MatchedPerson>();
  for (const p of people) byId.set(p.id, { ...p, ...blank(), seen: seen.has(p.id) });
  for (const e of emails) byId.get(e.personId)?.emails.push(e.email);
  for (const ph of phones) {
    const p = byId.get(ph.personId);
    p?.phoneRaws.push(ph.raw);
    p?.phoneE164s.push(ph.e164);
  }
  for (const t of tags) byId.get(t.personId)?.tagIds.push(t.tagId);
  return [...byId.values()];
}

export interface BatchWrite {
  importId: string;
  actorUserId: string | null;
  sourceDetail: string;
  /** New people; each also gets a `person.created` timeline entry, a `created` change and a seen row. */
  created: PersonWrite[];
  updated: PersonWrite[];
  emails: { personId: string; email: string; isPrimary: boolean }[];
  phones: {
    personId: string;
    raw: string;
    e164: string | null;
    type: string;
    status: string;
    isPrimary: boolean;
  }[];
  tagAdds: { personId: string; tagId: string }[];
  tagRemoves: { personId: string; tagId: string }[];
  /** Timeline entries besides `person.created` (same shape as timeline.add). */
  events: { personId: string; kind: string; data: Record<string, unknown> }[];
  /** Change events besides `created` (same shape as recordChange). */
  changes: { personId: string; orgId: string; kind: string; fields: string[] }[];
  /** Existing people the batch saw (created ones are added by the statement). */
  seen: string[];
  errors: { rowNumber: number; column: string | null; problem: string; value: string | null }[];
  /** The original cells of the rows with errors (the error CSV shows them once the file is deleted). */
  errorRows: { rowNumber: number; cells: string[] }[];
  nextRow: number;
  counts: BatchCounts;
}

/**
 * Every write of a batch in one statement (data-modifying CTEs over `unnest` arrays): people
 * created and updated, emails, phones, tags, timeline entries, change events, the seen list,
 * problems and the progress. One round trip; the caller's transaction keeps the batch whole.
 */
export async function writeBatch(db: Db, w: BatchWrite) {
  const { created: c, updated: u, emails: e, phones: ph, tagAdds: ta, tagRemoves: tr } = w;
  const createdData = JSON.stringify({ source: 'import', importId: w.importId });
  await sql`
    with new_people as (
      insert into people (id, org_id, home_org_id, first_name, last_name, title, gender, birth_date, street,
        house_number, postal_code, city, member_number, membership_status, joined_on, left_on, custom_fields,
        search_text, source, source_detail)
      select u.id, u.org_id, u.home_org_id, u.first_name, u.last_name, u.title, u.gender, u.birth_date, u.street,
        u.house_number, u.postal_code, u.city, u.member_number, u.membership_status, u.joined_on, u.left_on,
        u.custom_fields::jsonb, u.search_text, 'import', ${w.sourceDetail}::text
      from ${personArrays(c)}
      returning id, org_id
    ), updated_people as (
      update people p set org_id = u.org_id, home_org_id = u.home_org_id, first_name = u.first_name,
        last_name = u.last_name, title = u.title, gender = u.gender, birth_date = u.birth_date,
        street = u.street, house_number = u.house_number, postal_code = u.postal_code, city = u.city,
        member_number = u.member_number, membership_status = u.membership_status, joined_on = u.joined_on,
        left_on = u.left_on, custom_fields = u.custom_fields::jsonb, search_text = u.search_text,
        updated_at = now()
      from ${personArrays(u)}
      where p.id = u.id
    ), emails as (
      insert into person_emails (person_id, email, is_primary, status)
      select u.person_id, u.email, u.is_primary, 'valid'
      from unnest(${e.map((r) => r.personId)}::uuid[], ${e.map((r) => r.email)}::text[],
        ${e.map((r) => r.isPrimary)}::boolean[]) as u(person_id, email, is_primary)
    ), phones as (
      insert into person_phones (person_id, raw, e164, type, status, is_primary)
      select * from unnest(${ph.map((r) => r.personId)}::uuid[], ${ph.map((r) => r.raw)}::text[],
        ${ph.map((r) => r.e164)}::text[], ${ph.map((r) => r.type)}::text[],
        ${ph.map((r) => r.status)}::text[], ${ph.map((r) => r.isPrimary)}::boolean[])
    ), tags_added as (
      insert into person_tags (person_id, tag_id)
      select * from unnest(${ta.map((p) => p.personId)}::uuid[], ${ta.map((p) => p.tagId)}::uuid[])
      on conflict do nothing
    ), tags_removed as (
      delete from person_tags t
      using unnest(${tr.map((p) => p.personId)}::uuid[], ${tr.map((p) => p.tagId)}::uuid[]) as u(person_id, tag_id)
      where t.person_id = u.person_id and t.tag_id = u.tag_id
    ), events as (
      insert into timeline_events (person_id, kind, actor_user_id, data)
      select id, 'person.created', ${w.actorUserId}::uuid, ${createdData}::jsonb from new_people
      union all
      select u.person_id, u.kind, ${w.actorUserId}::uuid, u.data::jsonb
      from unnest(${w.events.map((r) => r.personId)}::uuid[], ${w.events.map((r) => r.kind)}::text[],
        ${w.events.map((r) => JSON.stringify(r.data))}::text[]) as u(person_id, kind, data)
    ), changes as (
      insert into person_changes (person_id, org_id, kind, fields, source)
      select id, org_id, 'created', '{}'::text[], 'import' from new_people
      union all
      select u.person_id, u.org_id, u.kind,
        case when u.fields = '' then '{}'::text[] else string_to_array(u.fields, ',') end, 'import'
      from unnest(${w.changes.map((r) => r.personId)}::uuid[], ${w.changes.map((r) => r.orgId)}::uuid[],
        ${w.changes.map((r) => r.kind)}::text[], ${w.changes.map((r) => r.fields.join(','))}::text[])
        as u(person_id, org_id, kind, fields)
    ), seen as (
      insert into import_seen (import_id, person_id)
      select ${w.importId}::uuid, id from new_people
      union all
      select ${w.importId}::uuid, unnest(${w.seen}::uuid[])
      on conflict do nothing
    ), errors as (
      insert into import_errors (import_id, row_number, column_name, problem, value)
      select ${w.importId}::uuid, * from unnest(
        ${w.errors.map((r) => r.rowNumber)}::int[], ${w.errors.map((r) => r.column)}::text[],
        ${w.errors.map((r) => r.problem)}::text[], ${w.errors.map((r) => r.value)}::text[])
    ), error_rows as (
      insert into import_error_rows (import_id, row_number, cells)
      select ${w.importId}::uuid, u.row_number, array(select jsonb_array_elements_text(u.cells::jsonb))
      from unnest(${w.errorRows.map((r) => r.rowNumber)}::int[],
        ${w.errorRows.map((r) => JSON.stringify(r.cells))}::text[]) as u(row_number, cells)
      on conflict do nothing
    )
    update imports set next_row = ${w.nextRow}, created = created + ${w.counts.created},
      updated = updated + ${w.counts.updated}, unchanged = unchanged + ${w.counts.unchanged},
      failed = failed + ${w.counts.failed}, updated_at = now()
    where id = ${w.importId}`.execute(db);
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
