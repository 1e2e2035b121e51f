import { type Expression, type SqlBool, sql } from 'kysely';
import type { z } from 'zod';
import {
  CALL_OUTCOMES,
  type CallAssignmentCreate,
  type CallAssignmentUpdate,
  type CallAssignmentView,
  type CallerAdd,
  CallingHours,
  type CallOutcome,
  type CallProgress,
  type CallQuestion,
  type CallRecordView,
  DEFAULT_CALLING_HOURS,
  DEFAULT_VISIBLE_FIELDS,
} from '../../shared/calls.ts';
import { loosenedRules } from '../../shared/campaigns.ts';
import type { FilterNode } from '../../shared/queries.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findFieldsVisibleIn } from '../fields/fields.repo.ts';
import { checkValue, toFieldView } from '../fields/fields.service.ts';
import { findOrg } from '../orgs/orgs.repo.ts';
import { CURSORS, decodeCursor, pageOf } from '../pagination.ts';
import { compileFilter, prepareFilter } from '../queries/filter-registry.ts';
import { findQuery } from '../queries/queries.repo.ts';
import { requireQuery } from '../queries/queries.service.ts';
import { findTagsVisibleIn } from '../tags/tags.repo.ts';
import * as repo from './calls.repo.ts';

const notFound = () => new AppError('not_found', 'Call assignment not found.');

/**
 * The questions and script callers get: for a campaign assignment the campaign's national ones,
 * then its call centre's regional ones, then the assignment's own.
 */
export async function assignmentContent(db: Db, a: repo.AssignmentRecord) {
  const own = { questions: a.questions as CallQuestion[], script: a.script };
  if (!a.campaignId) return { ...own, inherited: null };
  const c = await repo.findCampaignParts(db, a.campaignId, a.callCentreId);
  if (!c) return { ...own, inherited: null };
  const inherited = {
    campaignTitle: c.title,
    questions: [...(c.questions as CallQuestion[]), ...((c.centreQuestions ?? []) as CallQuestion[])],
    script: [c.script, c.scriptAddendum ?? ''].filter((x) => x.trim()).join('\n\n'),
  };
  return {
    questions: [...inherited.questions, ...own.questions],
    script: [inherited.script, own.script].filter((x) => x.trim()).join('\n\n'),
    inherited,
  };
}

export function toAssignmentView(
  a: repo.AssignmentRecord,
  callers: Awaited<ReturnType<typeof repo.findCallers>>,
  inherited: CallAssignmentView['inherited'] = null,
): CallAssignmentView {
  return {
    id: a.id,
    orgId: a.orgId,
    title: a.title,
    description: a.description,
    targetQueryId: a.targetQueryId,
    visibleFields: a.visibleFields,
    script: a.script,
    questions: a.questions as CallAssignmentView['questions'],
    maxAttempts: a.maxAttempts,
    cooldownHours: a.cooldownHours,
    callingHours: CallingHours.parse(a.callingHours),
    lockMinutes: a.lockMinutes,
    startsOn: a.startsOn,
    endsOn: a.endsOn,
    status: a.status,
    goalQueryId: a.goalQueryId,
    campaignId: a.campaignId,
    callCentreId: a.callCentreId,
    inherited,
    reachedElsewhereDays: a.reachedElsewhereDays,
    eventIds: a.eventIds,
    showPreviousNotes: a.showPreviousNotes,
    callers: callers.filter((c) => c.assignmentId === a.id).map(({ assignmentId: _, ...c }) => c),
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

/** An assignment the actor may manage (calls:manage on its unit), else 404. */
export async function requireManagedAssignment(ctx: Ctx, id: string) {
  const a = await repo.findAssignment(ctx.db, id);
  if (!a) throw notFound();
  try {
    await requireOrgPermission(ctx, a.orgId, 'calls:manage');
  } catch (err) {
    if (err instanceof AppError && (err.code === 'not_found' || err.code === 'forbidden')) throw notFound();
    throw err;
  }
  return a;
}

/**
 * An assignment the actor was added to as a caller and still holds a role for — on a unit in line
 * with the assignment's, the rule for adding callers — checked at every request, so a removed role
 * ends the calling at once; else 404.
 */
export async function requireCallerAssignment(ctx: Ctx, id: string) {
  const a = await repo.findAssignment(ctx.db, id);
  if (!a) throw notFound();
  const caller = await repo.findCaller(ctx.db, id, ctx.actor.userId);
  if (!caller) throw notFound();
  if (!ctx.actor.isSuperadmin && !(await repo.userIsMemberNear(ctx.db, ctx.actor.userId, a.orgId))) {
    throw notFound();
  }
  return { assignment: a, caller };
}

/**
 * After a role was removed: the user's caller rows in assignments of units where they hold no role
 * any more go, and so do their claims there (the people become free for other callers).
 */
export function removeCallerRowsWithoutRole(db: Db, userId: string) {
  return repo.deleteCallerRowsWithoutRole(db, userId);
}

/**
 * Question ids filled in (`q1` …), unique, scales ordered, answer actions pointing at an option of
 * the question and at tags and fields usable in the unit. Problems are 400s naming the question.
 */
export async function normalizeQuestions(
  db: Db,
  orgId: string,
  questions: z.infer<typeof CallAssignmentCreate>['questions'],
): Promise<CallQuestion[]> {
  const seen = new Set<string>();
  const list = questions ?? [];
  const withActions = list.some((q) => 'actions' in q && q.actions?.length);
  const [tags, fields] = withActions
    ? await Promise.all([findTagsVisibleIn(db, orgId), findFieldsVisibleIn(db, orgId)])
    : [[], []];
  const tagIds = new Set(tags.map((t) => t.id));
  const fieldsById = new Map(fields.map((f) => [f.id, toFieldView(f)]));
  return list.map((q, i) => {
    const id = q.id ?? `q${i + 1}`;
    const fail = (message: string, path = `body.questions.${i}`) =>
      new AppError('validation_failed', `Question ${id}: ${message}`, [{ path, message }]);
    if (seen.has(id)) throw fail('the id is used twice');
    seen.add(id);
    if (q.type === 'scale' && q.min >= q.max) throw fail('min must be below max');
    if ('actions' in q && q.actions) {
      const answers = q.type === 'yes_no' ? ['yes', 'no'] : q.options;
      q.actions.forEach((action, j) => {
        const path = `body.questions.${i}.actions.${j}`;
        if (!answers.includes(action.when))
          throw fail(
            `an action is for "${action.when}", which is not an answer (${answers.join(', ')})`,
            path,
          );
        if (action.addTagId && !tagIds.has(action.addTagId))
          throw fail('an action adds a tag this unit cannot use', path);
        if (action.setField) {
          const field = fieldsById.get(action.setField.fieldId);
          if (!field) throw fail('an action sets a custom field this unit does not have', path);
          const problem = checkValue(field, action.setField.value);
          if (problem) throw fail(`an action sets ${field.label}: ${problem}`, path);
        }
      });
    }
    return { ...q, id };
  });
}

/**
 * A campaign assignment may tighten the campaign's rules, never loosen them (422 naming the rule),
 * and always calls the campaign's target.
 */
async function checkCampaignRules(
  db: Db,
  a: repo.AssignmentRecord,
  patch: z.infer<typeof CallAssignmentUpdate>,
) {
  if (patch.targetQueryId)
    throw new AppError(
      'rule_violation',
      "A campaign assignment calls the campaign's target; it takes no list.",
      [{ path: 'body.targetQueryId', message: 'not for campaign assignments' }],
    );
  const c = await repo.findCampaignParts(db, a.campaignId as string, null);
  if (!c) return;
  const rules = c.rules as { maxAttempts: number; cooldownHours: number; callingHours: CallingHours };
  const problems = loosenedRules({ ...rules, visibleFields: c.visibleFields }, patch);
  if (problems.length) throw new AppError('rule_violation', problems[0].message, problems);
}

/** The goal list must be one the actor may use; a list on itself would end the assignment at once. */
async function checkGoal(ctx: Ctx, goalQueryId: string | null | undefined, targetQueryId: string | null) {
  if (!goalQueryId) return;
  if (goalQueryId === targetQueryId)
    throw new AppError('validation_failed', 'The goal list cannot be the target list itself.', [
      { path: 'body.goalQueryId', message: 'same as targetQueryId' },
    ]);
  await requireQuery(ctx, goalQueryId);
}

function checkDates(startsOn: string | null | undefined, endsOn: string | null | undefined) {
  if (startsOn && endsOn && startsOn > endsOn)
    throw new AppError('validation_failed', 'The end date is before the start date.', [
      { path: 'body.endsOn', message: 'before startsOn' },
    ]);
}

export async function createAssignment(ctx: Ctx, input: z.infer<typeof CallAssignmentCreate>) {
  await requireOrgPermission(ctx, input.orgId, 'calls:manage');
  await requireQuery(ctx, input.targetQueryId);
  await checkGoal(ctx, input.goalQueryId, input.targetQueryId);
  checkDates(input.startsOn, input.endsOn);
  const { id } = await repo.insertAssignment(ctx.db, {
    orgId: input.orgId,
    title: input.title,
    description: input.description ?? null,
    targetQueryId: input.targetQueryId,
    visibleFields: [...new Set(input.visibleFields ?? DEFAULT_VISIBLE_FIELDS)],
    script: input.script ?? '',
    questions: await normalizeQuestions(ctx.db, input.orgId, input.questions),
    maxAttempts: input.maxAttempts ?? 3,
    cooldownHours: input.cooldownHours ?? 24,
    callingHours: input.callingHours ?? DEFAULT_CALLING_HOURS,
    lockMinutes: input.lockMinutes ?? 10,
    startsOn: input.startsOn ?? null,
    endsOn: input.endsOn ?? null,
    status: input.status ?? 'draft',
    goalQueryId: input.goalQueryId ?? null,
    reachedElsewhereDays: input.reachedElsewhereDays ?? 30,
    eventIds: [...new Set(input.eventIds ?? [])],
    showPreviousNotes: input.showPreviousNotes ?? false,
    createdBy: ctx.actor.userId,
  });
  await audit.record(ctx, 'call_assignment.created', { type: 'call_assignment', id, orgId: input.orgId });
  return getAssignment(ctx, id);
}

export async function listAssignments(ctx: Ctx, orgId: string) {
  await requireOrgPermission(ctx, orgId, 'calls:manage');
  const rows = await repo.findAssignmentsInSubtree(ctx.db, orgId);
  const callers = await repo.findCallers(
    ctx.db,
    rows.map((a) => a.id),
  );
  const inherited = await Promise.all(rows.map((a) => assignmentContent(ctx.db, a)));
  return {
    items: rows.map((a, i) => toAssignmentView(a, callers, inherited[i].inherited)),
    nextCursor: null,
  };
}

export async function getAssignment(ctx: Ctx, id: string) {
  const a = await requireManagedAssignment(ctx, id);
  const [callers, content] = await Promise.all([
    repo.findCallers(ctx.db, [a.id]),
    assignmentContent(ctx.db, a),
  ]);
  return toAssignmentView(a, callers, content.inherited);
}

export async function updateAssignment(ctx: Ctx, id: string, patch: z.infer<typeof CallAssignmentUpdate>) {
  const a = await requireManagedAssignment(ctx, id);
  if (a.campaignId) await checkCampaignRules(ctx.db, a, patch);
  if (patch.targetQueryId) await requireQuery(ctx, patch.targetQueryId);
  if (patch.goalQueryId !== undefined)
    await checkGoal(ctx, patch.goalQueryId, patch.targetQueryId ?? a.targetQueryId);
  checkDates(
    patch.startsOn === undefined ? a.startsOn : patch.startsOn,
    patch.endsOn === undefined ? a.endsOn : patch.endsOn,
  );
  const { questions, callingHours, visibleFields, eventIds, ...rest } = patch;
  await repo.updateAssignmentRow(ctx.db, id, {
    ...rest,
    ...(questions ? { questions: JSON.stringify(await normalizeQuestions(ctx.db, a.orgId, questions)) } : {}),
    ...(eventIds ? { eventIds: [...new Set(eventIds)] } : {}),
    ...(callingHours ? { callingHours: JSON.stringify(callingHours) } : {}),
    ...(visibleFields ? { visibleFields: [...new Set(visibleFields)] } : {}),
  });
  await audit.record(
    ctx,
    'call_assignment.updated',
    { type: 'call_assignment', id, orgId: a.orgId },
    { fields: Object.keys(patch) },
  );
  return getAssignment(ctx, id);
}

export async function addCaller(ctx: Ctx, id: string, input: z.infer<typeof CallerAdd>) {
  const a = await requireManagedAssignment(ctx, id);
  if (!(await repo.userIsMemberNear(ctx.db, input.userId, a.orgId)))
    throw new AppError(
      'rule_violation',
      'Only members of this unit (or units above or below it) can be callers.',
    );
  await repo.upsertCaller(ctx.db, {
    assignmentId: id,
    userId: input.userId,
    prioritisedTagIds: input.prioritisedTagIds ?? [],
    excludedTagIds: input.excludedTagIds ?? [],
  });
  await audit.record(
    ctx,
    'call_assignment.caller_added',
    { type: 'call_assignment', id, orgId: a.orgId },
    { userId: input.userId },
  );
  return getAssignment(ctx, id);
}

export async function removeCaller(ctx: Ctx, id: string, userId: string) {
  const a = await requireManagedAssignment(ctx, id);
  const removed = await ctx.db.transaction().execute((trx) => repo.deleteCaller(trx, id, userId));
  if (!removed) throw new AppError('not_found', 'This user is not a caller of the assignment.');
  await audit.record(
    ctx,
    'call_assignment.caller_removed',
    { type: 'call_assignment', id, orgId: a.orgId },
    { userId },
  );
}

export async function listMyAssignments(ctx: Ctx) {
  return {
    items: await repo.findAssignmentsOfCaller(ctx.db, ctx.actor.userId, { anyUnit: ctx.actor.isSuperadmin }),
    nextCursor: null,
  };
}

/**
 * One of the caller's assignments in any status (a paused one says so instead of vanishing), with
 * the unit that runs it: the caller may learn what they are a caller of, nothing more. Anyone who
 * is not (or no longer) a caller of it gets the same 404 as for an assignment that does not exist.
 */
export async function getMyAssignment(ctx: Ctx, id: string) {
  const { assignment: a } = await requireCallerAssignment(ctx, id);
  const org = await findOrg(ctx.db, a.orgId);
  return {
    id: a.id,
    orgId: a.orgId,
    orgName: org?.name ?? '',
    title: a.title,
    description: a.description,
    status: a.status,
  };
}

/**
 * The assignment's target list as a condition on `people p`. Callers cannot read lists, so the
 * list is loaded without the actor's permission: whoever saved the assignment was allowed to use
 * it, and the claim intersects it with the assignment's unit anyway.
 */
export async function compileTarget(db: Db, a: repo.AssignmentRecord): Promise<Expression<SqlBool>> {
  if (a.targetQueryId) return compileSavedList(db, a.orgId, a.targetQueryId);
  // A campaign assignment: the campaign's target filter inside the assignment's unit, minus the
  // subtrees sibling assignments of a split call centre call.
  const c = a.campaignId ? await repo.findCampaignParts(db, a.campaignId, null) : undefined;
  if (!c) return sql<SqlBool>`false`;
  const target = await compileFilterIn(db, a.orgId, c.targetFilter as FilterNode);
  if (!a.excludedOrgIds.length) return target;
  return sql<SqlBool>`(${target} and p.org_id not in (
    select descendant_id from org_tree where ancestor_id = any(${`{${a.excludedOrgIds.join(',')}}`}::uuid[])))`;
}

/** A filter (which may refer to saved lists) as a condition on `people p` within a unit. */
export async function compileFilterIn(
  db: Db,
  orgId: string,
  filter: FilterNode,
): Promise<Expression<SqlBool>> {
  const prepared = await prepareFilter({
    db,
    orgId,
    filter,
    loadQuery: async (id) => {
      const q = await findQuery(db, id);
      return q ? { id: q.id, orgId: q.orgId, mode: q.mode, filter: q.filter as FilterNode } : undefined;
    },
  });
  return compileFilter(prepared, 'p');
}

/** The goal list as a condition on `people p`, or undefined when the goal is "reached here". */
export function compileGoal(db: Db, a: repo.AssignmentRecord): Promise<Expression<SqlBool> | undefined> {
  return a.goalQueryId ? compileSavedList(db, a.orgId, a.goalQueryId) : Promise.resolve(undefined);
}

function compileSavedList(db: Db, orgId: string, queryId: string): Promise<Expression<SqlBool>> {
  return compileFilterIn(db, orgId, { kind: 'savedQuery', queryId, mode: 'include' } as FilterNode);
}

/** The campaign rules of the queue (reached elsewhere, one call centre per person), if any. */
export const campaignRuleOf = (a: repo.AssignmentRecord) =>
  a.campaignId
    ? { id: a.campaignId, reachedWithinDays: a.reachedElsewhereDays, callCentreId: a.callCentreId }
    : undefined;

/** The target figures of an assignment within `rootOrgId` (its unit, or a region inside it). */
export async function countAssignmentTargets(db: Db, a: repo.AssignmentRecord, rootOrgId = a.orgId) {
  const [target, goal] = await Promise.all([compileTarget(db, a), compileGoal(db, a)]);
  return repo.countTargetProgress(db, {
    assignmentId: a.id,
    orgId: rootOrgId,
    target,
    goal,
    campaign: campaignRuleOf(a),
    maxAttempts: a.maxAttempts,
  });
}

/** Progress figures of an assignment for its organizers (calls:manage on its unit, else 404). */
export async function getProgress(ctx: Ctx, id: string): Promise<CallProgress> {
  const a = await requireManagedAssignment(ctx, id);
  const [figures, outcomes, callers, openFollowUps] = await Promise.all([
    countAssignmentTargets(ctx.db, a),
    repo.countCallsByOutcome(ctx.db, a.id),
    repo.countCallsByCaller(ctx.db, a.id),
    repo.countOpenFollowUps(ctx.db, a.id),
  ]);
  const byOutcome = Object.fromEntries(CALL_OUTCOMES.map((o) => [o, 0])) as CallProgress['byOutcome'];
  let lastCallAt: Date | null = null;
  for (const row of outcomes) {
    if (row.outcome in byOutcome) byOutcome[row.outcome as CallOutcome] = row.n;
    const at = row.lastCallAt ? new Date(row.lastCallAt) : null;
    if (at && (!lastCallAt || at > lastCallAt)) lastCallAt = at;
  }
  return {
    ...figures,
    openFollowUps,
    calls: outcomes.reduce((sum, r) => sum + r.n, 0),
    byOutcome,
    byCaller: callers.map((c) => ({
      ...c,
      lastCallAt: c.lastCallAt ? new Date(c.lastCallAt).toISOString() : null,
    })),
    lastCallAt: lastCallAt?.toISOString() ?? null,
  };
}

function toCallRecordView(r: repo.CallListRow): CallRecordView {
  return {
    id: r.id,
    at: r.endedAt.toISOString(),
    outcome: r.outcome as CallOutcome,
    personId: r.personId,
    personName: r.personName,
    callerId: r.callerId,
    callerName: r.callerName,
    note: r.note,
    answers: r.answers as CallRecordView['answers'],
    eventIds: r.eventIds,
    newsletter: r.newsletter,
    followUpReason: r.followUpReason,
    followUpResolvedAt: r.followUpResolvedAt?.toISOString() ?? null,
  };
}

/** Recent calls of an assignment, or its follow-ups (`state`), newest first. */
export async function listCalls(
  ctx: Ctx,
  id: string,
  q: { cursor?: string; limit: number; state?: 'open' | 'resolved' | 'all' },
) {
  const a = await requireManagedAssignment(ctx, id);
  const after = decodeCursor(q.cursor, CURSORS.atId);
  const rows = await repo.findCalls(ctx.db, {
    assignmentId: a.id,
    followUps: q.state,
    after: after ? { at: String(after[0]), id: String(after[1]) } : undefined,
    limit: q.limit,
  });
  const { items, nextCursor } = pageOf(rows, q.limit, (r) => [r.atKey, r.id]);
  return { items: items.map(toCallRecordView), nextCursor };
}

/** Marks a follow-up as handled (organizers of the call's assignment). */
export async function resolveFollowUp(ctx: Ctx, callId: string) {
  const call = await repo.findCall(ctx.db, callId);
  if (!call) throw new AppError('not_found', 'Call not found.');
  const a = await requireManagedAssignment(ctx, call.assignmentId);
  if (!call.followUpReason) throw new AppError('not_found', 'This call has no follow-up.');
  if (!call.followUpResolvedAt) {
    await repo.resolveFollowUp(ctx.db, callId, ctx.actor.userId);
    await audit.record(
      ctx,
      'call.follow_up_resolved',
      { type: 'call_assignment', id: a.id, orgId: a.orgId },
      { callId, personId: call.personId },
    );
  }
  const [row] = await repo.findCalls(ctx.db, { assignmentId: a.id, callId, limit: 1 });
  return toCallRecordView(row);
}
