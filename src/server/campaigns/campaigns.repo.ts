import { sql } from 'kysely';
import type { Db } from '../db/database.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';

// ---- campaigns -------------------------------------------------------------------------------

export function insertCampaign(
  db: Db,
  row: {
    orgId: string;
    title: string;
    description: string | null;
    startsAt: string | null;
    endsAt: string | null;
    script: string;
    questions: unknown[];
    targetFilter: unknown;
    rules: unknown;
    visibleFields: string[];
    allowOptIn: boolean;
    status: 'draft' | 'open' | 'paused' | 'closed';
    createdBy: string;
  },
) {
  return db
    .insertInto('campaigns')
    .values({
      ...row,
      questions: JSON.stringify(row.questions),
      targetFilter: JSON.stringify(row.targetFilter),
      rules: JSON.stringify(row.rules),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function findCampaign(db: Db, id: string) {
  return db
    .selectFrom('campaigns as c')
    .innerJoin('orgUnits as o', 'o.id', 'c.orgId')
    .selectAll('c')
    .select('o.name as orgName')
    .where('c.id', '=', id)
    .executeTakeFirst();
}
export type CampaignRecord = NonNullable<Awaited<ReturnType<typeof findCampaign>>>;

/** Campaigns owned by the unit, a unit above it, or a unit below it. */
export function findCampaignsNear(db: Db, orgId: string) {
  return db
    .selectFrom('campaigns as c')
    .innerJoin('orgUnits as o', 'o.id', 'c.orgId')
    .selectAll('c')
    .select('o.name as orgName')
    .where('c.orgId', 'in', unitsInLineWith(orgId))
    .orderBy('c.createdAt', 'desc')
    .execute();
}

export function updateCampaignRow(db: Db, id: string, patch: Record<string, unknown>) {
  return db
    .updateTable('campaigns')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

/** A campaign of the unit, above it or below it (what smart-search filters may refer to). */
export function findCampaignInLineWith(db: Db, id: string, orgId: string) {
  return db
    .selectFrom('campaigns')
    .select(['id', 'title'])
    .where('id', '=', id)
    .where('orgId', 'in', unitsInLineWith(orgId))
    .executeTakeFirst();
}

// ---- question versions -----------------------------------------------------------------------

/** Stores a new version of every question whose definition changed (or is new). */
export async function recordQuestionVersions(
  db: Db,
  campaignId: string,
  callCentreId: string | null,
  questions: { id: string }[],
) {
  if (!questions.length) return;
  await sql`
    insert into campaign_question_versions (campaign_id, question_id, version, call_centre_id, definition)
    select ${campaignId}::uuid, q.definition ->> 'id', coalesce(v.version, 0) + 1, ${callCentreId}::uuid, q.definition
    from jsonb_array_elements(${JSON.stringify(questions)}::jsonb) as q(definition)
    left join lateral (
      select version, definition from campaign_question_versions
      where campaign_id = ${campaignId}::uuid and question_id = q.definition ->> 'id'
      order by version desc limit 1
    ) v on true
    where v.definition is distinct from q.definition`.execute(db);
}

/** The latest definition of every question the campaign ever had, with its call centre. */
export function findLatestQuestions(db: Db, campaignId: string) {
  return sql<{ questionId: string; callCentreId: string | null; definition: Record<string, unknown> }>`
    select distinct on (question_id) question_id as "questionId", call_centre_id as "callCentreId", definition
    from campaign_question_versions
    where campaign_id = ${campaignId}::uuid
    order by question_id, version desc`
    .execute(db)
    .then((r) => r.rows);
}

// ---- call centres ----------------------------------------------------------------------------

export function findCallCentres(db: Db, campaignIds: string[]) {
  if (!campaignIds.length) return Promise.resolve([]);
  return db
    .selectFrom('callCentres as cc')
    .innerJoin('orgUnits as o', 'o.id', 'cc.orgId')
    .selectAll('cc')
    .select([
      'o.name as orgName',
      sql<string[]>`coalesce((select array_agg(a.id order by a.created_at, a.id) from call_assignments a
        where a.call_centre_id = cc.id), '{}')`.as('assignmentIds'),
    ])
    .where('cc.campaignId', 'in', campaignIds)
    .orderBy('o.name')
    .execute();
}
export type CallCentreRecord = Awaited<ReturnType<typeof findCallCentres>>[number];

/** A call centre of the campaign whose unit is the given one, lies above it or below it. */
export function findOverlappingCallCentre(db: Db, campaignId: string, orgId: string) {
  return db
    .selectFrom('callCentres as cc')
    .innerJoin('orgUnits as o', 'o.id', 'cc.orgId')
    .select(['cc.id', 'o.name as orgName'])
    .where('cc.campaignId', '=', campaignId)
    .where('cc.orgId', 'in', unitsInLineWith(orgId))
    .executeTakeFirst();
}

export function insertCallCentre(
  db: Db,
  row: {
    campaignId: string;
    orgId: string;
    splitBy: 'none' | 'district' | 'local';
    scriptAddendum: string;
    createdBy: string;
  },
) {
  return db
    .insertInto('callCentres')
    .values({ ...row, questions: '[]' })
    .returning('id')
    .executeTakeFirstOrThrow();
}

export function updateCallCentreRow(
  db: Db,
  id: string,
  patch: { questions?: string; scriptAddendum?: string },
) {
  return db
    .updateTable('callCentres')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

/** Active units of a kind in the subtree of `orgId` (not the unit itself), by name. */
export function findUnitsOfKindBelow(db: Db, orgId: string, kind: string) {
  return db
    .selectFrom('orgUnits as o')
    .innerJoin('orgTree as t', 't.descendantId', 'o.id')
    .select(['o.id', 'o.name'])
    .where('t.ancestorId', '=', orgId)
    .where('t.depth', '>', 0)
    .where('o.kind', '=', kind as never)
    .where('o.archivedAt', 'is', null)
    .orderBy('o.name')
    .execute();
}

/** Generated assignments of a campaign (for rule and status changes). */
export function findCampaignAssignments(db: Db, campaignId: string) {
  return db.selectFrom('callAssignments').selectAll().where('campaignId', '=', campaignId).execute();
}
