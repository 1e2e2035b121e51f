import type { z } from 'zod';
import type { ConsentRequestCreate } from '../../shared/mailings.ts';
import { audit } from '../audit/audit.service.ts';
import { loadActor } from '../auth/auth.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { BaseCtx, Ctx } from '../context.ts';
import { AppError } from '../errors.ts';
import { requireQuery } from '../queries/queries.service.ts';
import { consentRequestText } from './consent-request-text.ts';
import { messageIdHost } from './mail.service.ts';
import { type CompiledContent, compileMailing } from './mail-compose.ts';
import * as reachRepo from './mail-reach.repo.ts';
import { effectiveSettings } from './mail-settings.service.ts';
import * as repo from './mailings.repo.ts';
import {
  getMailing,
  getProgress,
  reachFromCounts,
  reachParams,
  refusal,
  requireMailing,
  requireSendable,
} from './mailings.service.ts';

/**
 * A mailing's life: draft → scheduled → sending → sent (the worker) or paused / cancelled.
 * Starting freezes the recipients (mail-reach.repo freezeRecipients: the reach statement's
 * reachable people, one row each with a fixed Message-ID) in the same transaction that sets
 * `sending` and sends the delivery job `mailing-deliver` (the worker: mail-delivery.jobs.ts).
 */

export const MAILING_START_JOB = 'mailing-start';
export const MAILINGS_DUE_JOB = 'mailings-due';

const conflict = (message: string) => new AppError('conflict', message);
/** States of a mailing not started yet (started_at null; paused: paused while scheduled). */
const NOT_STARTED: string[] = ['draft', 'scheduled', 'paused'];

/**
 * The mail laid out (MJML, plain text, the unit's footer) with its placeholders still in it,
 * frozen on the mailing when it starts: the delivery worker only fills in the placeholders
 * (mail-placeholders.ts) and never loads the compose libraries. Locale `de` for the footer's
 * unsubscribe line, as the worker always laid it out.
 */
async function frozenContent(ctx: BaseCtx, m: repo.MailingRecord, footer: string): Promise<CompiledContent> {
  const compiled = await compileMailing(m, {
    footer,
    orgName: m.orgName,
    locale: 'de',
    publicUrl: ctx.config.publicUrl,
  });
  return compiled.content;
}

/**
 * Starts sending now: checks (422 footer_missing / unknown_placeholder / no_recipients), then in
 * ONE transaction locks the mailing (409 unless draft/scheduled/paused-before-start), freezes the
 * recipients and the laid-out content (compiled_subject/html/text), sets status, total and
 * started_at and sends the delivery job.
 */
export async function startMailing(ctx: Ctx, id: string) {
  const m = await requireMailing(ctx, id);
  if (m.startedAt || !NOT_STARTED.includes(m.status)) throw conflict('This mailing was started already.');
  const settings = await requireSendable(ctx, m);
  const params = await reachParams(ctx, m);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.lockMailing(trx, id);
    if (!row || row.startedAt || !NOT_STARTED.includes(row.status))
      throw conflict('This mailing was started already.');
    // The content as locked (an edit may have landed since it was read above), laid out once.
    const locked = await repo.findMailing(trx, id);
    if (!locked) throw conflict('This mailing was started already.');
    const content = await frozenContent(ctx, locked, settings.footer);
    const total = await reachRepo.freezeRecipients(trx, {
      ...params,
      mailingId: id,
      messageIdHost: messageIdHost(ctx.config.publicUrl),
    });
    if (total === 0) throw refusal('no_recipients', 'Nobody on the list can be reached.');
    await repo.updateMailing(trx, id, {
      status: 'sending',
      startedAt: new Date(),
      total,
      pausedReason: null,
      compiledSubject: content.subject,
      compiledHtml: content.html,
      compiledText: content.text,
    });
    await ctx.jobs.send('mailing-deliver', { mailingId: id }, { key: id, db: trx });
    await audit.record(
      { ...ctx, db: trx },
      'mailing.sent',
      { type: 'mailing', id, orgId: m.orgId },
      { total },
    );
  });
  return getMailing(ctx, id);
}

/** `POST /api/mailings/:id/send {at?}`: a time in the future schedules, otherwise it starts now. */
export async function sendMailing(ctx: Ctx, id: string, at?: string) {
  const when = at ? new Date(at) : undefined;
  if (!when || when.getTime() <= Date.now()) return startMailing(ctx, id);
  const m = await requireMailing(ctx, id);
  if (m.startedAt || !NOT_STARTED.includes(m.status)) throw conflict('This mailing was started already.');
  await requireSendable(ctx, m);
  const reach = reachFromCounts(await reachRepo.countReach(ctx.db, await reachParams(ctx, m)));
  if (reach.reachable === 0) throw refusal('no_recipients', 'Nobody on the list can be reached.');
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.lockMailing(trx, id);
    if (!row || row.startedAt || !NOT_STARTED.includes(row.status))
      throw conflict('This mailing was started already.');
    await repo.updateMailing(trx, id, { status: 'scheduled', scheduledAt: when, pausedReason: null });
    // On time when a worker is idle; the minutely due check starts it otherwise (or after a reschedule).
    await ctx.jobs.send(
      MAILING_START_JOB,
      { mailingId: id, userId: ctx.actor.userId },
      { key: id, startAfter: when, db: trx },
    );
    await audit.record(
      { ...ctx, db: trx },
      'mailing.scheduled',
      { type: 'mailing', id, orgId: m.orgId },
      { at: when.toISOString() },
    );
  });
  return getMailing(ctx, id);
}

export async function pauseMailing(ctx: Ctx, id: string) {
  const m = await requireMailing(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.lockMailing(trx, id);
    if (!row || (row.status !== 'sending' && row.status !== 'scheduled'))
      throw conflict('Only a sending or scheduled mailing can be paused.');
    await repo.updateMailing(trx, id, { status: 'paused', pausedReason: null });
    await audit.record({ ...ctx, db: trx }, 'mailing.paused', { type: 'mailing', id, orgId: m.orgId });
  });
  return getProgress(ctx, id);
}

/** Paused → sending again (the worker continues with the rows still queued); not started yet → scheduled or started. */
export async function resumeMailing(ctx: Ctx, id: string) {
  const m = await requireMailing(ctx, id);
  if (m.status !== 'paused') throw conflict('Only a paused mailing can be resumed.');
  if (!m.startedAt) {
    // Paused before its time: back to its schedule, or out now when that has passed.
    if (m.scheduledAt && m.scheduledAt.getTime() > Date.now()) {
      await sendMailing(ctx, id, m.scheduledAt.toISOString());
      return getProgress(ctx, id);
    }
    await startMailing(ctx, id);
    return getProgress(ctx, id);
  }
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.lockMailing(trx, id);
    if (!row || row.status !== 'paused') throw conflict('Only a paused mailing can be resumed.');
    await repo.updateMailing(trx, id, { status: 'sending', pausedReason: null });
    await ctx.jobs.send('mailing-deliver', { mailingId: id }, { key: id, db: trx });
    await audit.record({ ...ctx, db: trx }, 'mailing.resumed', { type: 'mailing', id, orgId: m.orgId });
  });
  return getProgress(ctx, id);
}

/** Cancels: rows still queued become cancelled (a row being sent this moment finishes). */
export async function cancelMailing(ctx: Ctx, id: string) {
  const m = await requireMailing(ctx, id);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.lockMailing(trx, id);
    if (!row || row.status === 'sent' || row.status === 'cancelled')
      throw conflict('This mailing is finished already.');
    const cancelled = await repo.cancelQueuedRecipients(trx, id);
    await repo.updateMailing(trx, id, { status: 'cancelled', finishedAt: new Date() });
    await audit.record(
      { ...ctx, db: trx },
      'mailing.cancelled',
      { type: 'mailing', id, orgId: m.orgId },
      { cancelledRecipients: cancelled },
    );
  });
  return getProgress(ctx, id);
}

// ---- consent requests ----------------------------------------------------------------------------

/**
 * An Einwilligungsanfrage: a consent_request mailing with the default text in the sender's
 * language, started at once. Checked before anything is written, so a refusal leaves no draft.
 */
export async function createConsentRequest(ctx: Ctx, input: z.infer<typeof ConsentRequestCreate>) {
  const org = await requireOrgPermission(ctx, input.orgId, 'mail:send');
  await requireQuery(ctx, input.queryId);
  const settings = await effectiveSettings(ctx.db, input.orgId);
  if (!settings?.footer.trim())
    throw refusal('footer_missing', 'The unit has no mail footer (imprint, postal address) yet.');
  const text = consentRequestText(ctx.actor.locale, org.name);
  const params = await reachParams(ctx, {
    orgId: input.orgId,
    purpose: 'consent_request',
    queryId: input.queryId,
  });
  if (reachFromCounts(await reachRepo.countReach(ctx.db, params)).reachable === 0)
    throw refusal('no_recipients', 'Everyone on the list has a consent or cannot be reached.');
  const { id } = await repo.insertMailing(ctx.db, {
    orgId: input.orgId,
    subject: text.subject,
    html: text.html,
    purpose: 'consent_request',
    queryId: input.queryId,
    senderAddressId: null,
    createdBy: ctx.actor.userId,
  });
  await audit.record(
    ctx,
    'mailing.created',
    { type: 'mailing', id, orgId: input.orgId },
    {
      purpose: 'consent_request',
      queryId: input.queryId,
    },
  );
  return startMailing(ctx, id);
}

// ---- scheduled starts (jobs) ---------------------------------------------------------------------

/**
 * Starts a scheduled mailing whose time has come, as the user who scheduled it (their scope and
 * role are checked again now). When that fails, the mailing pauses with the reason, visible in
 * its progress; started already / not due / not scheduled: nothing happens.
 */
export async function startDueMailing(ctx: BaseCtx, mailingId: string, userId: string | null) {
  const m = await repo.findMailing(ctx.db, mailingId);
  if (!m || m.status !== 'scheduled' || !m.scheduledAt || m.scheduledAt.getTime() > Date.now()) return;
  const actor = userId ? await loadActor(ctx, userId, 'session') : null;
  const pause = (reason: string) =>
    repo.updateMailing(ctx.db, mailingId, { status: 'paused', pausedReason: reason });
  if (!actor) return pause('scheduler_gone');
  try {
    await startMailing({ ...ctx, actor }, mailingId);
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    if (err.code === 'conflict') return;
    await pause(err.details?.[0]?.reason ?? (err.code === 'rule_violation' ? 'refused' : 'not_allowed'));
  }
}

/** The minutely due check: every scheduled mailing whose time has passed. */
export async function startDueMailings(ctx: BaseCtx, now = new Date()) {
  for (const { id } of await repo.findDueMailings(ctx.db, now)) {
    const m = await repo.findMailing(ctx.db, id);
    await startDueMailing(ctx, id, m?.createdById ?? null);
  }
}
