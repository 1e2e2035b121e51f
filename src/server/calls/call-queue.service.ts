import { randomUUID } from 'node:crypto';
import {
  CallingHours,
  type CallOutcome,
  type CallQuestion,
  type CallVisibleField,
  type NextCallResponse,
} from '../../shared/calls.ts';
import { audit } from '../audit/audit.service.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findOrg } from '../orgs/orgs.repo.ts';
import { searchTerms } from '../people/normalize.ts';
import {
  assignmentContent,
  campaignRuleOf,
  compileGoal,
  compileTarget,
  requireCallerAssignment,
} from './call-assignments.service.ts';
import { callingWindowAt, zonedMidnight } from './calling-hours.ts';
import * as repo from './calls.repo.ts';

/** A skipped person waits this long before the queue offers them again. */
const SKIP_COOLDOWN_HOURS = 1;
const CLAIM_TRIES = 10;
/** How old the materialised queue may get before "next" adds people who joined the list. */
const TARGET_SYNC_MS = 5 * 60_000;

const todayIn = (timeZone: string) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date());

function fillScript(script: string, values: Record<string, string>) {
  return script.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => values[key] ?? whole);
}

/** The target as the caller may see it: only the visible fields (the minimisation happens here). */
async function targetView(db: Db, personId: string, visible: Set<CallVisibleField>) {
  const p = await repo.findTargetPerson(db, personId);
  if (!p) throw new AppError('not_found', 'Person not found.');
  const person: NonNullable<NextCallResponse['call']>['person'] = { id: p.id };
  const copy = [
    'firstName',
    'lastName',
    'title',
    'pronouns',
    'postalCode',
    'city',
    'street',
    'houseNumber',
    'birthDate',
    'memberNumber',
    'membershipStatus',
    'joinedOn',
    'orgName',
  ] as const;
  for (const f of copy) if (visible.has(f)) (person as Record<string, unknown>)[f] = p[f];
  if (visible.has('phones')) person.phones = await repo.findValidPhones(db, personId);
  if (visible.has('emails')) person.emails = (await repo.findValidEmails(db, personId)).map((e) => e.email);
  return { person, orgId: p.orgId, firstName: p.firstName };
}

async function callView(
  ctx: Ctx,
  a: repo.AssignmentRecord,
  lock: { id: string; personId: string; lockedUntil: Date },
  /** The assignment's unit when the caller already loaded it. */
  unit?: { name: string },
): Promise<NextCallResponse> {
  const visible = new Set(a.visibleFields as CallVisibleField[]);
  const [target, history, org, content] = await Promise.all([
    targetView(ctx.db, lock.personId, visible),
    repo.findHistory(ctx.db, a.id, lock.personId),
    unit ?? findOrg(ctx.db, a.orgId),
    assignmentContent(ctx.db, a),
  ]);
  await audit.record(
    ctx,
    'call.target_viewed',
    { type: 'person', id: lock.personId, orgId: target.orgId },
    {
      assignmentId: a.id,
      callId: lock.id,
    },
  );
  return {
    call: {
      id: lock.id,
      assignmentId: a.id,
      person: target.person,
      lockExpiresAt: new Date(lock.lockedUntil).toISOString(),
      history: history.map((h) => ({
        at: h.endedAt.toISOString(),
        outcome: h.outcome as CallOutcome,
        ...(a.showPreviousNotes ? { note: h.note } : {}),
      })),
      script: fillScript(content.script, {
        firstName: visible.has('firstName') ? target.firstName : '',
        callerName: ctx.actor.name ?? '',
        orgName: org?.name ?? '',
      }),
      // Answer actions (tags, fields, follow-ups) are for organizers, not callers.
      questions: (content.questions as (CallQuestion & { actions?: unknown })[]).map(
        ({ actions: _, ...q }) => q as CallQuestion,
      ),
      eventIds: a.eventIds,
    },
  };
}

const isUniqueViolation = (err: unknown) => (err as { code?: string })?.code === '23505';

/**
 * "Next call": the caller's current claim if they hold one, else one new claim (one statement, see
 * `claimNextTarget`). Closed assignments and hours answer `{call: null, reason}`.
 */
export async function nextCall(ctx: Ctx, assignmentId: string): Promise<NextCallResponse> {
  const { assignment: a, caller } = await requireCallerAssignment(ctx, assignmentId);
  const org = await findOrg(ctx.db, a.orgId);
  const timeZone = org?.timeZone ?? 'Europe/Berlin';
  const today = todayIn(timeZone);
  if (a.status !== 'open' || (a.startsOn && today < a.startsOn) || (a.endsOn && today > a.endsOn))
    return { call: null, reason: 'assignment_closed' };
  const window = callingWindowAt(CallingHours.parse(a.callingHours), timeZone, new Date());
  if (!window.open)
    return {
      call: null,
      reason: 'outside_calling_hours',
      ...(window.opensAt ? { nextOpenAt: window.opensAt.toISOString() } : {}),
    };

  const held = await repo.extendLock(ctx.db, a.id, ctx.actor.userId, a.lockMinutes);
  if (held) return callView(ctx, a, held, org);

  const [target, goal] = await Promise.all([compileTarget(ctx.db, a), compileGoal(ctx.db, a)]);
  const options: repo.ClaimOptions = {
    assignmentId: a.id,
    orgId: a.orgId,
    callerId: ctx.actor.userId,
    target,
    goal,
    campaign: campaignRuleOf(a),
    maxAttempts: a.maxAttempts,
    lockMinutes: a.lockMinutes,
    prioritisedTagIds: caller.prioritisedTagIds,
    excludedTagIds: caller.excludedTagIds,
  };
  const sync = (staleBefore: Date | null) =>
    repo.syncTargets(ctx.db, { assignmentId: a.id, orgId: a.orgId, target, staleBefore });
  // The queue holds the list as of the last sync (the periodic job keeps it fresh; a sync of a
  // large list takes seconds, so "next" runs one only when there was none or the queue runs dry).
  const syncedAt = a.targetsSyncedAt;
  if (!syncedAt) await sync(new Date(0));
  try {
    let claimed = await claim(ctx.db, options);
    // Nobody left: people may have joined the list since the last sync, or the list was edited.
    if (
      !claimed &&
      (!syncedAt ||
        (await repo.targetChangedSince(ctx.db, a, syncedAt)) ||
        (await repo.peopleChangedSince(ctx.db, a.orgId, syncedAt)))
    ) {
      await sync(syncedAt);
      claimed = await claim(ctx.db, options);
    }
    return claimed ? callView(ctx, a, claimed, org) : { call: null, reason: 'queue_empty' };
  } catch (err) {
    // The same caller claimed in a parallel request: (assignment, caller) is unique. Use that claim.
    if (!isUniqueViolation(err)) throw err;
    const mine = await repo.findLockOfCaller(ctx.db, a.id, ctx.actor.userId);
    if (!mine) throw err;
    return callView(ctx, a, mine, org);
  }
}

/** One claim through the queue phases; a phase lost to another caller is tried again. */
async function claim(db: Db, options: repo.ClaimOptions) {
  for (const phase of repo.CLAIM_PHASES) {
    for (let i = 0; i < CLAIM_TRIES; i++) {
      const { claim, contended } = await repo.claimNextTarget(db, options, phase);
      if (claim) return claim;
      if (!contended) break;
    }
  }
  return undefined;
}

/** Keeps the caller's claim alive while they work. */
export async function extendCallLock(ctx: Ctx, assignmentId: string) {
  const { assignment: a } = await requireCallerAssignment(ctx, assignmentId);
  const lock = await repo.extendLock(ctx.db, a.id, ctx.actor.userId, a.lockMinutes);
  if (!lock) throw new AppError('conflict', 'You hold no call in this assignment; ask for the next one.');
  return { lockExpiresAt: new Date(lock.lockedUntil).toISOString() };
}

/** Gives the current target back without an attempt; the person waits a little before coming up again. */
export async function skipCall(ctx: Ctx, callId: string, reason: string | undefined) {
  const lock = await repo.findLock(ctx.db, callId);
  if (!lock || lock.callerId !== ctx.actor.userId) throw new AppError('not_found', 'Call not found.');
  const { assignment: a } = await requireCallerAssignment(ctx, lock.assignmentId);
  await ctx.db.transaction().execute(async (trx) => {
    await repo.deleteLock(trx, lock.id);
    await repo.upsertTarget(trx, {
      assignmentId: a.id,
      personId: lock.personId,
      attempt: false,
      outcome: null,
      done: false,
      reached: false,
      cooldownHours: SKIP_COOLDOWN_HOURS,
      callBackAt: null,
      callBackCallerId: null,
    });
  });
  await audit.record(
    ctx,
    'call.skipped',
    { type: 'person', id: lock.personId, orgId: a.orgId },
    { assignmentId: a.id, callId, reason: reason ?? null },
  );
  return { ok: true as const };
}

/** "Log a call": the assignment's targets matching a search, by name (and postal code if visible). */
export async function searchTargets(ctx: Ctx, assignmentId: string, q: string) {
  const { assignment: a } = await requireCallerAssignment(ctx, assignmentId);
  const terms = searchTerms(q);
  if (!terms.length) return { items: [] };
  const rows = await repo.searchTargets(ctx.db, {
    orgId: a.orgId,
    target: await compileTarget(ctx.db, a),
    terms,
  });
  const showPostalCode = a.visibleFields.includes('postalCode');
  await audit.record(
    ctx,
    'call.targets_searched',
    { type: 'call_assignment', id: a.id, orgId: a.orgId },
    { results: rows.length },
  );
  return {
    items: rows.map((p) => ({
      id: p.id,
      name: `${p.firstName} ${p.lastName}`.trim(),
      postalCode: showPostalCode ? p.postalCode : null,
    })),
  };
}

/**
 * Claims one given target (someone who called back on their own) so the caller can record the
 * call. Finish or skip the current call first; a person another caller holds is a 409.
 */
export async function claimPerson(
  ctx: Ctx,
  assignmentId: string,
  personId: string,
): Promise<NextCallResponse> {
  const { assignment: a } = await requireCallerAssignment(ctx, assignmentId);
  if (a.status !== 'open') return { call: null, reason: 'assignment_closed' };
  const held = await repo.findLockOfCaller(ctx.db, a.id, ctx.actor.userId);
  if (held && held.personId === personId) return callView(ctx, a, held);
  if (held) throw new AppError('conflict', 'Finish or skip your current call first.');
  const target = await compileTarget(ctx.db, a);
  if (!(await repo.isTarget(ctx.db, { orgId: a.orgId, target, personId })))
    throw new AppError('not_found', "This person is not among the assignment's targets.");
  try {
    const lock = await repo.claimPerson(ctx.db, {
      callId: randomUUID(),
      assignmentId: a.id,
      personId,
      callerId: ctx.actor.userId,
      lockMinutes: a.lockMinutes,
    });
    if (!lock) throw new AppError('conflict', 'Another caller is talking to this person right now.');
    return callView(ctx, a, lock);
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('conflict', 'Finish or skip your current call first.');
    throw err;
  }
}

/** The caller's own figures: since a time, or since midnight in the unit's time zone. */
export async function myStats(ctx: Ctx, assignmentId: string, since: string | undefined) {
  const { assignment: a } = await requireCallerAssignment(ctx, assignmentId);
  const from = since ? new Date(since) : await startOfToday(ctx.db, a.orgId);
  const figures = await repo.countMyCalls(ctx.db, a.id, ctx.actor.userId, from);
  return { ...figures, since: from.toISOString() };
}

async function startOfToday(db: Db, orgId: string): Promise<Date> {
  const timeZone = (await findOrg(db, orgId))?.timeZone ?? 'Europe/Berlin';
  return zonedMidnight(todayIn(timeZone), timeZone);
}

/** Syncs the materialised queue of every open assignment (the periodic job). */
export async function syncOpenAssignments(db: Db) {
  for (const a of await repo.findOpenAssignments(db)) {
    const target = await compileTarget(db, a);
    await repo.syncTargets(db, {
      assignmentId: a.id,
      orgId: a.orgId,
      target,
      staleBefore: new Date(Date.now() - TARGET_SYNC_MS / 2),
    });
  }
}
