import type { z } from 'zod';
import type { CallOutcome, CallOutcomeBody, CallQuestion } from '../../shared/calls.ts';
import { audit } from '../audit/audit.service.ts';
import { campaignTargetsChanged } from '../campaigns/campaign-targets.service.ts';
import { requestConsent } from '../consents/consents.service.ts';
import type { Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { insertNote } from '../people/people.repo.ts';
import * as personEffects from '../people/person-effects.service.ts';
import { timeline } from '../people/timeline.service.ts';
import { assignmentContent, requireCallerAssignment } from './call-assignments.service.ts';
import * as repo from './calls.repo.ts';

/**
 * Recording what happened on a call: the attempt row, the queue state, the claim released, and the
 * effects on the person (outdated phone, do-not-call, answer actions, newsletter consent, note,
 * timeline) — all in one transaction, idempotent per call id and clientId.
 */
/** Outcomes after which the person waits `cooldownHours` before the next attempt. */
const COOLDOWN_OUTCOMES = new Set<CallOutcome>(['no_answer', 'busy', 'voicemail', 'other']);
/** Outcomes after which the person leaves the assignment's queue. */
const DONE_OUTCOMES = new Set<CallOutcome>(['reached', 'not_interested', 'do_not_call']);
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
    // The call row last: its aggregate triggers lock the shared count rows of the assignment and
    // unit (ARCHITECTURE "Evaluation aggregates"), so they are held only until the commit.
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
    return {
      repeated: false as const,
      orgId: person.orgId,
      personId: person.id,
      assignmentId: a.id,
      campaignId: a.campaignId,
    };
  });
  if (!result.repeated) {
    await audit.record(
      ctx,
      'call.recorded',
      { type: 'person', id: result.personId, orgId: result.orgId },
      { assignmentId: result.assignmentId, callId, outcome: body.outcome },
    );
    // The call counts are current already (triggers on calls); the target figures follow in seconds.
    if (result.campaignId) await campaignTargetsChanged(ctx, result.campaignId);
  }
  return { ok: true as const };
}
