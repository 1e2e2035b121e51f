import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { CallAnswerFilter, CallHistoryFilter, callAnswerProblem } from '../../shared/queries.ts';
import { findCampaignInLineWith, findLatestQuestions } from '../campaigns/campaigns.repo.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';
import { compileCondition } from '../queries/conditions.ts';
import { defineFilterKind, filterError } from '../queries/filter-kind.ts';
import { assignmentContent } from './call-assignments.service.ts';
import { findAssignmentInLineWith } from './calls.repo.ts';

/**
 * Smart-search filters over calls (registered in queries/filter-registry.ts). Both are EXISTS /
 * count subqueries on `calls` by person (calls_person_idx); only assignments of the query's unit,
 * above it or below it are considered (a sibling unit's assignment is a 400 in the prepare step).
 */

/** The ids of the assignments the unit may see (its own, its ancestors', its descendants'). */
const visibleAssignmentIds = (orgId: string) =>
  sql`(select a.id from call_assignments a where a.org_id in ${unitsInLineWith(orgId)})`;

const and = (parts: RawBuilder<SqlBool>[]) => sql<SqlBool>`${sql.join(parts, sql` and `)}`;
const callExists = (parts: RawBuilder<SqlBool>[]) =>
  sql<SqlBool>`exists (select 1 from calls cl where ${and(parts)})`;

export const callHistoryFilter = defineFilterKind({
  kind: 'callHistory',
  module: 'calls',
  schema: CallHistoryFilter,
  description:
    'People by their calls: of one assignment (or any of the unit, above or below it), with some outcomes, in a date range, at least / at most n times (at most 0: never called), reached or never reached.',
  async prepare(f, p) {
    if (f.assignmentId && !(await findAssignmentInLineWith(p.db, f.assignmentId, p.orgId)))
      throw filterError(p.path, f, `call assignment ${f.assignmentId} is not available in this unit`);
  },
  compile: (f, c) => {
    // The calls in the assignment(s) and date range; the counted ones also match the outcomes.
    const window: RawBuilder<SqlBool>[] = [
      sql<SqlBool>`cl.person_id = ${c.col('id')}`,
      f.assignmentId
        ? sql<SqlBool>`cl.assignment_id = ${f.assignmentId}::uuid`
        : sql<SqlBool>`cl.assignment_id in ${visibleAssignmentIds(c.scopeOrgId)}`,
    ];
    const endedAt = sql`cl.ended_at`;
    if (f.withinLastDays !== undefined)
      window.push(compileCondition(endedAt, 'date', { op: 'withinLastDays', days: f.withinLastDays }));
    else if (f.from || f.to)
      window.push(compileCondition(endedAt, 'date', { op: 'between', from: f.from, to: f.to }));
    const counted = f.outcomes ? [...window, sql<SqlBool>`cl.outcome = any(${f.outcomes}::text[])`] : window;
    const count = sql`(select count(*) from calls cl where ${and(counted)})`;

    const parts: RawBuilder<SqlBool>[] = [];
    const min = f.minCalls ?? (f.maxCalls === undefined ? 1 : 0);
    if (min === 1) parts.push(callExists(counted));
    else if (min > 1) parts.push(sql<SqlBool>`${count} >= ${min}::int`);
    if (f.maxCalls === 0) parts.push(sql<SqlBool>`not ${callExists(counted)}`);
    else if (f.maxCalls !== undefined) parts.push(sql<SqlBool>`${count} <= ${f.maxCalls}::int`);
    if (f.reached !== undefined) {
      const reached = callExists([...window, sql<SqlBool>`cl.outcome = 'reached'`]);
      parts.push(f.reached ? reached : sql<SqlBool>`not ${reached}`);
    }
    return parts.length ? sql<SqlBool>`(${and(parts)})` : sql<SqlBool>`true`;
  },
});

const likeEscape = (v: string) => v.replace(/[%_\\]/g, '\\$&');

/** The comparison on one stored answer value `v` (jsonb), by operator; types are checked in prepare. */
function answerCondition(f: CallAnswerFilter, v: RawBuilder<unknown>): RawBuilder<SqlBool> {
  const num = sql`(case when jsonb_typeof(${v}) = 'number' then (${v} #>> '{}')::numeric end)`;
  switch (f.op) {
    case 'answered':
      return sql<SqlBool>`coalesce(${v}, 'null'::jsonb) not in ('null'::jsonb, '""'::jsonb, '[]'::jsonb)`;
    case 'equals':
      return sql<SqlBool>`${v} = ${JSON.stringify(f.value)}::jsonb`;
    case 'oneOf': {
      const values = f.values ?? [];
      return sql<SqlBool>`(case jsonb_typeof(${v})
        when 'array' then ${v} ?| ${values}::text[]
        when 'string' then ${JSON.stringify(values)}::jsonb @> ${v}
        else false end)`;
    }
    case 'contains':
      return sql<SqlBool>`(case jsonb_typeof(${v})
        when 'array' then ${v} @> jsonb_build_array(${String(f.value)}::text)
        when 'string' then (${v} #>> '{}') ilike ${`%${likeEscape(String(f.value))}%`}
        else false end)`;
    case 'gte':
      return sql<SqlBool>`${num} >= ${Number(f.value)}::numeric`;
    case 'lte':
      return sql<SqlBool>`${num} <= ${Number(f.value)}::numeric`;
    case 'between': {
      const parts: RawBuilder<SqlBool>[] = [];
      if (f.from !== undefined) parts.push(sql<SqlBool>`${num} >= ${f.from}::numeric`);
      if (f.to !== undefined) parts.push(sql<SqlBool>`${num} <= ${f.to}::numeric`);
      return sql<SqlBool>`(${and(parts)})`;
    }
  }
}

export const callAnswerFilter = defineFilterKind({
  kind: 'callAnswer',
  module: 'calls',
  schema: CallAnswerFilter,
  description:
    'An answer given in a call of the assignment: single choice equals / one of; multiple choice contains / any of; yes/no; scale equals, at least, at most, between; free text contains; or answered at all. Any call of the person counts.',
  async prepare(f, p) {
    let questions: { id: string; type: string; options?: string[] }[];
    let title: string;
    if (f.campaignId) {
      const c = await findCampaignInLineWith(p.db, f.campaignId, p.orgId);
      if (!c) throw filterError(p.path, f, `campaign ${f.campaignId} is not available in this unit`);
      questions = (await findLatestQuestions(p.db, c.id)).map((q) => q.definition) as typeof questions;
      title = c.title;
    } else {
      const a = await findAssignmentInLineWith(p.db, f.assignmentId as string, p.orgId);
      if (!a) throw filterError(p.path, f, `call assignment ${f.assignmentId} is not available in this unit`);
      // A campaign assignment asks the campaign's and its call centre's questions too.
      questions = (await assignmentContent(p.db, a)).questions;
      title = a.title;
    }
    const question = questions.find((q) => q.id === f.questionId);
    if (!question) throw filterError(p.path, f, `"${title}" has no question ${f.questionId}`);
    const problem = callAnswerProblem(question, f);
    if (problem) throw filterError(p.path, f, `question ${f.questionId}: ${problem}`);
  },
  compile: (f, c) =>
    sql<SqlBool>`exists (select 1 from calls cl cross join lateral jsonb_array_elements(cl.answers) ans
      where cl.person_id = ${c.col('id')}
        and ${
          f.campaignId
            ? sql`cl.assignment_id in (select id from call_assignments where campaign_id = ${f.campaignId}::uuid)`
            : sql`cl.assignment_id = ${f.assignmentId}::uuid`
        }
        and ans ->> 'questionId' = ${f.questionId}
        and ${answerCondition(f, sql`(ans -> 'value')`)})`,
});

export const callFilterKinds = [callHistoryFilter, callAnswerFilter];
