import type { Expression, SqlBool } from 'kysely';
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
  DEFAULT_CALLING_HOURS,
  DEFAULT_VISIBLE_FIELDS,
} from '../../shared/calls.ts';
import type { FilterNode } from '../../shared/queries.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../http/errors.ts';
import { compileFilter, prepareFilter } from '../queries/filter-registry.ts';
import { findQuery } from '../queries/queries.repo.ts';
import { requireQuery } from '../queries/queries.service.ts';
import * as repo from './calls.repo.ts';

const notFound = () => new AppError('not_found', 'Call assignment not found.');

export function toAssignmentView(
  a: repo.AssignmentRecord,
  callers: Awaited<ReturnType<typeof repo.findCallers>>,
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

/** An assignment the actor was added to as a caller, else 404 (also right after being removed). */
export async function requireCallerAssignment(ctx: Ctx, id: string) {
  const a = await repo.findAssignment(ctx.db, id);
  if (!a) throw notFound();
  const caller = await repo.findCaller(ctx.db, id, ctx.actor.userId);
  if (!caller) throw notFound();
  return { assignment: a, caller };
}

/** Question ids filled in (`q1` …), unique, scales ordered. Problems are 400s naming the question. */
function normalizeQuestions(questions: z.infer<typeof CallAssignmentCreate>['questions']): CallQuestion[] {
  const seen = new Set<string>();
  return (questions ?? []).map((q, i) => {
    const id = q.id ?? `q${i + 1}`;
    const fail = (message: string) =>
      new AppError('validation_failed', `Question ${id}: ${message}`, [
        { path: `body.questions.${i}`, message },
      ]);
    if (seen.has(id)) throw fail('the id is used twice');
    seen.add(id);
    if (q.type === 'scale' && q.min >= q.max) throw fail('min must be below max');
    return { ...q, id };
  });
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
  checkDates(input.startsOn, input.endsOn);
  const { id } = await repo.insertAssignment(ctx.db, {
    orgId: input.orgId,
    title: input.title,
    description: input.description ?? null,
    targetQueryId: input.targetQueryId,
    visibleFields: [...new Set(input.visibleFields ?? DEFAULT_VISIBLE_FIELDS)],
    script: input.script ?? '',
    questions: normalizeQuestions(input.questions),
    maxAttempts: input.maxAttempts ?? 3,
    cooldownHours: input.cooldownHours ?? 24,
    callingHours: input.callingHours ?? DEFAULT_CALLING_HOURS,
    lockMinutes: input.lockMinutes ?? 10,
    startsOn: input.startsOn ?? null,
    endsOn: input.endsOn ?? null,
    status: input.status ?? 'draft',
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
  return { items: rows.map((a) => toAssignmentView(a, callers)), nextCursor: null };
}

export async function getAssignment(ctx: Ctx, id: string) {
  const a = await requireManagedAssignment(ctx, id);
  return toAssignmentView(a, await repo.findCallers(ctx.db, [a.id]));
}

export async function updateAssignment(ctx: Ctx, id: string, patch: z.infer<typeof CallAssignmentUpdate>) {
  const a = await requireManagedAssignment(ctx, id);
  if (patch.targetQueryId) await requireQuery(ctx, patch.targetQueryId);
  checkDates(
    patch.startsOn === undefined ? a.startsOn : patch.startsOn,
    patch.endsOn === undefined ? a.endsOn : patch.endsOn,
  );
  const { questions, callingHours, visibleFields, ...rest } = patch;
  await repo.updateAssignmentRow(ctx.db, id, {
    ...rest,
    ...(questions ? { questions: JSON.stringify(normalizeQuestions(questions)) } : {}),
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
  return { items: await repo.findAssignmentsOfCaller(ctx.db, ctx.actor.userId), nextCursor: null };
}

/**
 * The assignment's target list as a condition on `people p`. Callers cannot read lists, so the
 * list is loaded without the actor's permission: whoever saved the assignment was allowed to use
 * it, and the claim intersects it with the assignment's unit anyway.
 */
export async function compileTarget(db: Db, a: repo.AssignmentRecord): Promise<Expression<SqlBool>> {
  const prepared = await prepareFilter({
    db,
    orgId: a.orgId,
    filter: { kind: 'savedQuery', queryId: a.targetQueryId, mode: 'include' } as FilterNode,
    loadQuery: async (id) => {
      const q = await findQuery(db, id);
      return q ? { id: q.id, orgId: q.orgId, mode: q.mode, filter: q.filter as FilterNode } : undefined;
    },
  });
  return compileFilter(prepared, 'p');
}

/** Progress figures of an assignment for its organizers (calls:manage on its unit, else 404). */
export async function getProgress(ctx: Ctx, id: string): Promise<CallProgress> {
  const a = await requireManagedAssignment(ctx, id);
  const target = await compileTarget(ctx.db, a);
  const [figures, outcomes, callers] = await Promise.all([
    repo.countTargetProgress(ctx.db, {
      assignmentId: a.id,
      orgId: a.orgId,
      target,
      maxAttempts: a.maxAttempts,
    }),
    repo.countCallsByOutcome(ctx.db, a.id),
    repo.countCallsByCaller(ctx.db, a.id),
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
    calls: outcomes.reduce((sum, r) => sum + r.n, 0),
    byOutcome,
    byCaller: callers.map((c) => ({
      ...c,
      lastCallAt: c.lastCallAt ? new Date(c.lastCallAt).toISOString() : null,
    })),
    lastCallAt: lastCallAt?.toISOString() ?? null,
  };
}
