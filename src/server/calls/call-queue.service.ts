import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import {
  CallingHours,
  type CallOutcome,
  type CallOutcomeBody,
  type CallQuestion,
  type CallVisibleField,
  type NextCallResponse,
} from '../../shared/calls.ts';
import { audit } from '../audit/audit.service.ts';
import { requestConsent } from '../consents/consents.service.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findOrg } from '../orgs/orgs.repo.ts';
import { searchTerms } from '../people/normalize.ts';
import { insertNote } from '../people/people.repo.ts';
import * as personEffects from '../people/person-effects.service.ts';
import { timeline } from '../people/timeline.service.ts';
import {
  assignmentContent,
  campaignRuleOf,
  compileGoal,
  compileTarget,
  requireCallerAssignment,
} from './call-assignments.service.ts';
import { callingWindowAt, zonedMidnight } from './calling-hours.ts';
import * as repo from './calls.repo.ts';

/** Outcomes after which the person waits `cooldownHours` before the next attempt. */
const COOLDOWN_OUTCOMES = new Set<CallOutcome>(['no_answer', 'busy', 'voicemail', 'other']);
/** Outcomes after which the person leaves the assignment's queue. */
const DONE_OUTCOMES = new Set<CallOutcome>(['reached', 'not_interested', 'do_not_call']);
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

/** Answers checked against the assignment's questions; a problem is a 400 naming the question. */
function checkAnswers(questions: CallQuestion[], answers: { questionId: string; value: unknown }[]) {
  const byId = new Map(questions.map((q) => [q.id, q]));
  const seen = new Set<string>();
  answers.forEach((a, i) => {
    const fail = (message: string) =>
      new AppError('validation_failed', `Answer to question ${a.questionId}: ${message}`, [
        { path: `body.answers.${i}`, message },
      ]);
    const q = byId.get(a.questionId);
    if (!q) throw fail('no such question in this assignment');
    if (seen.has(q.id)) throw fail('answered twice');
    seen.add(q.id);
    const v = a.value;
    switch (q.type) {
      case 'single_choice':
        if (typeof v !== 'string' || !q.options.includes(v))
          throw fail(`must be one of: ${q.options.join(', ')}`);
        break;
      case 'multiple_choice':
        if (!Array.isArray(v) || v.some((x) => typeof x !== 'string' || !q.options.includes(x)))
          throw fail(`must be a list of: ${q.options.join(', ')}`);
        break;
      case 'yes_no':
        if (typeof v !== 'boolean') throw fail('must be true or false');
        break;
      case 'scale':
        if (typeof v !== 'number' || !Number.isInteger(v) || v < q.min || v > q.max)
          throw fail(`must be a whole number from ${q.min} to ${q.max}`);
        break;
      case 'free_text':
        if (typeof v !== 'string' || v.length > 5000) throw fail('must be a text of at most 5000 characters');
        break;
    }
  });
}

interface AnswerEffects {
  tagIds: string[];
  fields: Record<string, unknown>;
  followUps: string[];
}

/** The actions of the chosen answers (see AnswerAction): tags to add, fields to set, follow-ups. */
function answerEffects(
  questions: CallQuestion[],
  answers: { questionId: string; value: unknown }[],
): AnswerEffects {
  const effects: AnswerEffects = { tagIds: [], fields: {}, followUps: [] };
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const answer of answers) {
    const q = byId.get(answer.questionId);
    if (!q || !('actions' in q) || !q.actions) continue;
    const chosen =
      q.type === 'yes_no'
        ? [answer.value ? 'yes' : 'no']
        : Array.isArray(answer.value)
          ? (answer.value as string[])
          : [answer.value as string];
    for (const action of q.actions) {
      if (!chosen.includes(action.when)) continue;
      if (action.addTagId) effects.tagIds.push(action.addTagId);
      if (action.setField) effects.fields[action.setField.fieldId] = action.setField.value;
      if (action.followUp) effects.followUps.push(action.followUp);
    }
  }
  return effects;
}

/** Applies tags and custom fields from answers (checked when the assignment was saved), through people. */
async function applyAnswerEffects(ctx: Ctx, person: { id: string; orgId: string }, effects: AnswerEffects) {
  if (effects.tagIds.length) await personEffects.addTags(ctx, person, effects.tagIds, 'call');
  if (Object.keys(effects.fields).length) {
    await personEffects.setCustomFieldValues(ctx, person, effects.fields, 'call');
  }
}

/**
 * Records the outcome of a call: the attempt row, the queue state, the lock released, and the
 * effects on the person (outdated phone, do-not-call, timeline, note). Idempotent per call id and
 * `clientId`.
 */
export async function recordCallOutcome(ctx: Ctx, callId: string, body: z.infer<typeof CallOutcomeBody>) {
  if (body.outcome !== 'reached' && (body.eventIds?.length || body.newsletter))
    throw new AppError('validation_failed', 'Event sign-ups and newsletter interest need a reached call.', [
      {
        path: body.eventIds?.length ? 'body.eventIds' : 'body.newsletter',
        message: 'only with outcome reached',
      },
    ]);
  if (body.outcome === 'call_back') {
    if (!body.callBackAt)
      throw new AppError('validation_failed', 'A call back needs a time.', [
        { path: 'body.callBackAt', message: 'required for call_back' },
      ]);
    if (new Date(body.callBackAt).getTime() <= Date.now())
      throw new AppError('validation_failed', 'The call-back time is in the past.', [
        { path: 'body.callBackAt', message: 'must be in the future' },
      ]);
  }
  const result = await ctx.db.transaction().execute(async (trx) => {
    const lock = await repo.findLockForUpdate(trx, callId);
    if (!lock) {
      const done = await repo.findCall(trx, callId);
      if (done && done.callerId === ctx.actor.userId) {
        if (done.clientId === body.clientId) return { repeated: true as const };
        throw new AppError('conflict', 'An outcome for this call was already recorded.');
      }
      if (done) throw new AppError('not_found', 'Call not found.');
      throw new AppError(
        'conflict',
        'This call is no longer yours: its lock expired and the person was given to another caller.',
      );
    }
    if (lock.callerId !== ctx.actor.userId) throw new AppError('not_found', 'Call not found.');
    const { assignment: a } = await requireCallerAssignment({ ...ctx, db: trx }, lock.assignmentId);
    const { questions } = await assignmentContent(trx, a);
    checkAnswers(questions, body.answers ?? []);
    const offered = new Set(a.eventIds);
    const events = [...new Set(body.eventIds ?? [])];
    const foreign = events.find((id) => !offered.has(id));
    if (foreign)
      throw new AppError('validation_failed', 'This event is not offered in the assignment.', [
        { path: 'body.eventIds', message: `${foreign} is not one of the assignment's events` },
      ]);
    const effects = answerEffects(questions, body.answers ?? []);
    // Free-text answers are marked: erasing the person removes them with the note (the counts stay).
    const freeText = new Set(questions.filter((q) => q.type === 'free_text').map((q) => q.id));
    const answers = (body.answers ?? []).map((x) => (freeText.has(x.questionId) ? { ...x, free: true } : x));
    const followUps = [body.followUp?.reason, ...effects.followUps].filter((r): r is string => !!r);
    const person = await repo.findTargetPerson(trx, lock.personId);
    if (!person) throw new AppError('not_found', 'Person not found.');
    const outcome = body.outcome;
    await repo.insertCall(trx, {
      id: lock.id,
      clientId: body.clientId,
      assignmentId: a.id,
      personId: person.id,
      orgId: person.orgId,
      callerId: ctx.actor.userId,
      startedAt: lock.claimedAt,
      outcome,
      callBackAt: body.callBackAt ?? null,
      answers,
      note: body.note || null,
      eventIds: events,
      newsletter: body.newsletter ?? false,
      followUpReason: followUps.length ? followUps.join('; ') : null,
    });
    await repo.deleteLock(trx, lock.id);
    // A bad number: mark it; with no valid number left the person waits like after no answer, so
    // that the queue row itself says so (a claim that read the phones before this sees the row).
    let noPhoneLeft = false;
    if (outcome === 'wrong_number' || outcome === 'number_outdated') {
      await personEffects.markPhonesOutdated({ ...ctx, db: trx }, person, body.phoneId, 'call');
      noPhoneLeft = (await repo.findValidPhones(trx, person.id)).length === 0;
    }
    await repo.upsertTarget(trx, {
      assignmentId: a.id,
      personId: person.id,
      attempt: true,
      outcome,
      done: DONE_OUTCOMES.has(outcome),
      reached: outcome === 'reached',
      cooldownHours: COOLDOWN_OUTCOMES.has(outcome) || noPhoneLeft ? a.cooldownHours : null,
      callBackAt: outcome === 'call_back' ? (body.callBackAt ?? null) : null,
      callBackCallerId: outcome === 'call_back' ? ctx.actor.userId : null,
    });
    if (outcome === 'do_not_call') await personEffects.setDoNotCall({ ...ctx, db: trx }, person, 'call');
    const txCtx = { ...ctx, db: trx };
    await timeline.add(txCtx, person.id, `call.${outcome}`, {
      assignmentId: a.id,
      assignmentTitle: a.title,
      callId: lock.id,
      callerName: ctx.actor.name ?? null,
      ...(body.callBackAt ? { callBackAt: body.callBackAt } : {}),
      // With the question texts, so the person's timeline reads on its own.
      ...(body.answers?.length
        ? {
            answers: body.answers.map((x) => ({
              questionId: x.questionId,
              question: questions.find((q) => q.id === x.questionId)?.text ?? x.questionId,
              value: x.value,
            })),
          }
        : {}),
      ...(events.length ? { eventIds: events } : {}),
      ...(body.newsletter ? { newsletter: true } : {}),
      ...(followUps.length ? { followUp: followUps.join('; ') } : {}),
    });
    await applyAnswerEffects(txCtx, person, effects);
    if (body.newsletter) {
      await requestConsent(txCtx, {
        personId: person.id,
        channel: 'newsletter',
        purpose: 'newsletter',
        orgId: a.orgId,
        source: 'call',
        sourceRef: lock.id,
        recordedBy: ctx.actor.userId,
        proof: { callId: lock.id, callerId: ctx.actor.userId },
      });
    }
    if (body.note) {
      const note = await insertNote(trx, {
        personId: person.id,
        authorId: ctx.actor.userId,
        text: body.note,
      });
      await timeline.add(txCtx, person.id, 'note.added', {
        noteId: note.id,
        text: body.note,
        callId: lock.id,
      });
    }
    return { repeated: false as const, orgId: person.orgId, personId: person.id, assignmentId: a.id };
  });
  if (!result.repeated)
    await audit.record(
      ctx,
      'call.recorded',
      { type: 'person', id: result.personId, orgId: result.orgId },
      { assignmentId: result.assignmentId, callId, outcome: body.outcome },
    );
  return { ok: true as const };
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
