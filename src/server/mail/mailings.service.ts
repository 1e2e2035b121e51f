import type { z } from 'zod';
import type { ErrorDetail } from '../../shared/errors.ts';
import {
  type Mailing,
  type MailingCreate,
  type MailingListQuery,
  type MailingProgress,
  type MailingReach,
  type MailingUpdate,
  REACH_EXCLUSIONS,
  type ReachExclusion,
  type ReachPeopleQuery,
} from '../../shared/mailings.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError, notFound } from '../errors.ts';
import { CURSORS, decodeCursor, pageOf } from '../pagination.ts';
import { requirePerson } from '../people/people.service.ts';
import { getSuppressionSalt } from '../privacy/instance-keys.repo.ts';
import { compileSavedQuery, requireQuery } from '../queries/queries.service.ts';
import { MAIL_DELIVERY_JOB } from './mail.jobs.ts';
import * as mailRepo from './mail.repo.ts';
import { compileMailing, type RecipientVars, sanitizeMailHtml, unknownPlaceholders } from './mail-compose.ts';
import * as reachRepo from './mail-reach.repo.ts';
import { formatSender, mailSenderOf } from './mail-sender.ts';
import { findSenderAddress } from './mail-settings.repo.ts';
import { effectiveSettings } from './mail-settings.service.ts';
import * as repo from './mailings.repo.ts';

/**
 * Mailings of a unit: compose, reach, preview and test (sending and its states:
 * mailing-lifecycle.service.ts). Scope: `mail:send` on the mailing's unit for every id; out of
 * scope answers exactly like unknown (404).
 *
 * What the delivery worker (mail-delivery.*) and the consent module use from here and next door:
 * - `compileMailing(mailing, settings)` (mail-compose.ts) → `{ render(vars) → {subject, html, text} }`,
 *   mailing `{id, updatedAt, subject, html, purpose}`, settings `{footer, orgName, locale?}`, vars
 *   `{firstName, lastName, email, orgName, unsubscribeUrl, consentUrl?}` (consentUrl: consent
 *   requests only); compiled once per mailing version, values HTML-escaped, CR/LF stripped from the
 *   subject; `unknownPlaceholders`, `sanitizeMailHtml` beside it;
 * - `findEffectiveSettings(db, orgId)` (mail-settings.repo.ts; `effectiveSettings` in the service):
 *   the footer, sender name/address and reply-to in force for a unit (own or inherited);
 * - `addressHash(salt, email)`, `addressHashSql(salt, expr)`, `getSuppressionSalt(db)`, `SALT_SQL`
 *   (privacy/instance-keys.repo.ts): the suppression hash in JS and in SQL, always the same value;
 * - the recipient rows are frozen by `startMailing` (mailing-lifecycle.service.ts), which sets
 *   `sending`, `total`, `started_at` and sends `mailing-deliver {mailingId}` (key: the mailing id)
 *   in the same transaction; pause/resume/cancel change `mailings.status` under a row lock
 *   (a user's pause leaves `paused_reason` null).
 */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function toMailingView(m: repo.MailingRecord): Mailing {
  return {
    id: m.id,
    orgId: m.orgId,
    orgName: m.orgName,
    subject: m.subject,
    html: m.html,
    purpose: m.purpose,
    queryId: m.queryId,
    queryName: m.queryName,
    senderId: m.senderId,
    status: m.status,
    scheduledAt: iso(m.scheduledAt),
    startedAt: iso(m.startedAt),
    finishedAt: iso(m.finishedAt),
    pausedReason: m.pausedReason,
    total: m.total,
    createdBy: m.createdBy,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
    unknownPlaceholders: unknownPlaceholders(m),
  };
}

/** A mailing the actor may work on with `permission` on its unit, else 404 (unknown and out of scope alike). */
export async function requireMailing(
  ctx: Ctx,
  id: string,
  permission: 'mail:send' | 'people:read' = 'mail:send',
): Promise<repo.MailingRecord> {
  const m = await repo.findMailing(ctx.db, id);
  if (!m) throw notFound();
  try {
    await requireOrgPermission(ctx, m.orgId, permission);
  } catch (err) {
    if (err instanceof AppError && err.code === 'not_found') throw notFound();
    throw err;
  }
  return m;
}

export const refusal = (reason: string, message: string, extra: Partial<ErrorDetail> = {}) =>
  new AppError('rule_violation', message, [{ path: 'mailing', message, reason, ...extra }]);

async function requireAllowedSender(db: Db, senderId: string | null | undefined) {
  if (senderId && !(await findSenderAddress(db, senderId)))
    throw new AppError('rule_violation', 'This sender address is not allowed.', [
      { path: 'body.senderId', message: 'not an allowed sender address', reason: 'sender_not_allowed' },
    ]);
}

// ---- CRUD --------------------------------------------------------------------------------------

export async function createMailing(ctx: Ctx, input: z.infer<typeof MailingCreate>) {
  await requireOrgPermission(ctx, input.orgId, 'mail:send');
  await requireQuery(ctx, input.queryId);
  await requireAllowedSender(ctx.db, input.senderId);
  const { id } = await repo.insertMailing(ctx.db, {
    orgId: input.orgId,
    subject: input.subject,
    // Stored as it will be sent: what the allow-list removes is gone from the draft too.
    html: sanitizeMailHtml(input.html),
    purpose: input.purpose,
    queryId: input.queryId,
    senderAddressId: input.senderId ?? null,
    createdBy: ctx.actor.userId,
  });
  await audit.record(
    ctx,
    'mailing.created',
    { type: 'mailing', id, orgId: input.orgId },
    { purpose: input.purpose, queryId: input.queryId },
  );
  return getMailing(ctx, id);
}

export async function getMailing(ctx: Ctx, id: string) {
  return toMailingView(await requireMailing(ctx, id));
}

export async function listMailings(ctx: Ctx, q: z.infer<typeof MailingListQuery>) {
  await requireOrgPermission(ctx, q.orgId, 'mail:send');
  const after = decodeCursor(q.cursor, CURSORS.atId);
  const rows = await repo.listMailings(
    ctx.db,
    q.orgId,
    q.limit,
    after ? { at: after[0], id: after[1] } : undefined,
  );
  const { items, nextCursor } = pageOf(rows, q.limit, (r) => [r.createdKey, r.id]);
  const counts = new Map(
    (
      await repo.countRecipients(
        ctx.db,
        items.filter((m) => m.total !== null).map((m) => m.id),
      )
    ).map((c) => [c.mailingId, c]),
  );
  return {
    items: items.map((m) => {
      const { html: _html, ...view } = toMailingView(m);
      return { ...view, progress: m.total === null ? null : progressOf(m, counts.get(m.id)) };
    }),
    nextCursor,
  };
}

export async function updateMailing(ctx: Ctx, id: string, patch: z.infer<typeof MailingUpdate>) {
  const m = await requireMailing(ctx, id);
  if (patch.queryId) await requireQuery(ctx, patch.queryId);
  await requireAllowedSender(ctx.db, patch.senderId);
  await ctx.db.transaction().execute(async (trx) => {
    const row = await repo.lockMailing(trx, id);
    if (!row || (row.status !== 'draft' && row.status !== 'scheduled'))
      throw new AppError('conflict', 'Only drafts and scheduled mailings can be changed.');
    const { senderId, ...rest } = patch;
    await repo.updateMailing(trx, id, {
      ...rest,
      ...(rest.html !== undefined ? { html: sanitizeMailHtml(rest.html) } : {}),
      ...(senderId !== undefined ? { senderAddressId: senderId } : {}),
      // A scheduled mailing that changes goes back to draft: it is scheduled again on purpose.
      ...(row.status === 'scheduled' ? { status: 'draft', scheduledAt: null } : {}),
    });
    await audit.record(
      { ...ctx, db: trx },
      'mailing.updated',
      { type: 'mailing', id, orgId: m.orgId },
      { fields: Object.keys(patch) },
    );
  });
  return getMailing(ctx, id);
}

// ---- progress ----------------------------------------------------------------------------------

export function progressOf(
  m: Pick<repo.MailingRecord, 'status' | 'total' | 'startedAt' | 'pausedReason'>,
  c: repo.RecipientCounts | undefined,
  now = new Date(),
): MailingProgress {
  const sent = c?.sent ?? 0;
  const remaining = (c?.queued ?? 0) + (c?.sending ?? 0);
  let ratePerMinute: number | null = null;
  if (m.startedAt && c) {
    const minutes = Math.min(
      repo.RATE_WINDOW_MINUTES,
      Math.max((now.getTime() - m.startedAt.getTime()) / 60_000, 1 / 60),
    );
    ratePerMinute = Math.round((c.recentlySent / minutes) * 10) / 10;
  }
  const eta =
    m.status === 'sending' && ratePerMinute && remaining > 0
      ? new Date(now.getTime() + (remaining / ratePerMinute) * 60_000).toISOString()
      : null;
  return {
    status: m.status,
    total: m.total ?? 0,
    sent,
    failed: (c?.failed ?? 0) + (c?.bounced ?? 0),
    remaining,
    ratePerMinute,
    eta,
    pausedReason: m.pausedReason,
  };
}

export async function getProgress(ctx: Ctx, id: string): Promise<MailingProgress> {
  const m = await requireMailing(ctx, id);
  const [c] = await repo.countRecipients(ctx.db, [id]);
  return progressOf(m, c);
}

// ---- reach -------------------------------------------------------------------------------------

/** The reach statement's inputs for a mailing: its unit and purpose, its list's condition, the salt. */
export async function reachParams(
  ctx: Ctx,
  m: Pick<repo.MailingRecord, 'orgId' | 'purpose' | 'queryId'> & { queryId: string | null },
): Promise<reachRepo.ReachParams> {
  if (!m.queryId) throw refusal('list_missing', 'The saved list of this mailing was deleted.');
  const { where } = await compileSavedQuery(ctx, m.queryId);
  return { mailingOrgId: m.orgId, purpose: m.purpose, where, salt: await getSuppressionSalt(ctx.db) };
}

export function reachFromCounts(rows: reachRepo.ReachCountRow[]): MailingReach {
  const excluded = Object.fromEntries(REACH_EXCLUSIONS.map((k) => [k, 0])) as Record<ReachExclusion, number>;
  const byOrg = new Map<string, { orgId: string; orgName: string; total: number; reachable: number }>();
  let total = 0;
  let reachable = 0;
  for (const r of rows) {
    total += r.n;
    if (r.reason) excluded[r.reason] += r.n;
    else reachable += r.n;
    const o = byOrg.get(r.orgId) ?? { orgId: r.orgId, orgName: r.orgName, total: 0, reachable: 0 };
    o.total += r.n;
    if (!r.reason) o.reachable += r.n;
    byOrg.set(r.orgId, o);
  }
  return {
    total,
    reachable,
    excluded,
    byOrg: [...byOrg.values()].sort(
      (a, b) => a.orgName.localeCompare(b.orgName) || a.orgId.localeCompare(b.orgId),
    ),
  };
}

export async function getReach(ctx: Ctx, id: string): Promise<MailingReach> {
  const m = await requireMailing(ctx, id);
  return reachFromCounts(await reachRepo.countReach(ctx.db, await reachParams(ctx, m)));
}

export async function listReachPeople(ctx: Ctx, id: string, q: z.infer<typeof ReachPeopleQuery>) {
  const m = await requireMailing(ctx, id, 'people:read');
  const after = decodeCursor(q.cursor, CURSORS.textTextId);
  const rows = await reachRepo.listReachPeople(ctx.db, await reachParams(ctx, m), {
    reason: q.reason === 'reachable' ? null : q.reason,
    orgId: q.orgId,
    limit: q.limit,
    after,
  });
  const page = pageOf(rows, q.limit, (r) => [r.lastName, r.firstName, r.id]);
  await audit.record(
    ctx,
    'mailing.reach_people_viewed',
    { type: 'mailing', id, orgId: m.orgId },
    {
      reason: q.reason,
      count: page.items.length,
    },
  );
  return page;
}

// ---- compose, preview, test --------------------------------------------------------------------

const SAMPLE_LINK = (ctx: Ctx, path: string) => `${ctx.config.publicUrl}/${path}/preview`;

/** What a mailing needs before a test or a send, else 422 naming the problem. */
export async function requireSendable(ctx: Ctx, m: repo.MailingRecord) {
  const settings = await effectiveSettings(ctx.db, m.orgId);
  if (!settings?.footer.trim())
    throw refusal('footer_missing', 'The unit has no mail footer (imprint, postal address) yet.');
  const unknown = unknownPlaceholders(m);
  if (unknown.length)
    throw new AppError(
      'rule_violation',
      `Unknown placeholder: ${unknown.map((u) => `{{${u}}}`).join(', ')}.`,
      unknown.map((u) => ({
        path: 'mailing.html',
        message: `unknown placeholder {{${u}}}`,
        reason: 'unknown_placeholder',
      })),
    );
  await requireAllowedSender(ctx.db, m.senderId);
  return settings;
}

export async function previewMailing(ctx: Ctx, id: string, personId?: string) {
  const m = await requireMailing(ctx, id);
  const settings = await effectiveSettings(ctx.db, m.orgId);
  let vars: RecipientVars = {
    ...actorVars(ctx),
    orgName: m.orgName,
    unsubscribeUrl: SAMPLE_LINK(ctx, 'u'),
    consentUrl: SAMPLE_LINK(ctx, 'c'),
  };
  if (personId) {
    await requirePerson(ctx, personId);
    const p = await repo.findPersonForPreview(ctx.db, personId);
    if (!p) throw notFound();
    vars = { ...vars, firstName: p.firstName, lastName: p.lastName, email: p.email ?? '' };
    await audit.record(
      ctx,
      'mailing.previewed',
      { type: 'person', id: personId, orgId: p.orgId },
      { mailingId: id },
    );
  }
  const compiled = await compileMailing(m, {
    footer: settings?.footer ?? '',
    orgName: m.orgName,
    locale: ctx.actor.locale,
    publicUrl: ctx.config.publicUrl,
  });
  const sender = m.senderId ? await findSenderAddress(ctx.db, m.senderId) : undefined;
  const from = mailSenderOf(ctx.config.mailFrom, m.orgName, settings, sender?.address);
  return { ...compiled.render(vars), from: formatSender(from), replyTo: from.replyTo };
}

function actorVars(ctx: Ctx) {
  const [firstName, ...rest] = ctx.actor.name.trim().split(/\s+/);
  return { firstName: firstName ?? '', lastName: rest.join(' '), email: ctx.actor.email };
}

/** One mail to `email` with "[Test]" before the subject, through the transactional mail path. */
export async function sendTestMailing(ctx: Ctx, id: string, email: string) {
  const m = await requireMailing(ctx, id);
  const settings = await requireSendable(ctx, m);
  const reach = reachFromCounts(await reachRepo.countReach(ctx.db, await reachParams(ctx, m)));
  if (reach.reachable === 0) throw refusal('no_recipients', 'Nobody on the list can be reached.');
  const compiled = await compileMailing(m, {
    footer: settings.footer,
    orgName: m.orgName,
    locale: ctx.actor.locale,
    publicUrl: ctx.config.publicUrl,
  });
  const r = compiled.render({
    ...actorVars(ctx),
    email,
    orgName: m.orgName,
    unsubscribeUrl: SAMPLE_LINK(ctx, 'u'),
    consentUrl: SAMPLE_LINK(ctx, 'c'),
  });
  await ctx.db.transaction().execute(async (trx) => {
    // The transactional path (mail_messages, outbox or the mail-deliver sweep): one message.
    await mailRepo.insertMessage(trx, {
      toAddress: email,
      subject: `[Test] ${r.subject}`,
      textBody: r.text,
      htmlBody: r.html,
      template: 'mailing_test',
      status: ctx.config.smtpUrl ? 'queued' : 'outbox',
    });
    if (ctx.config.smtpUrl) await ctx.jobs.send(MAIL_DELIVERY_JOB, {}, { db: trx });
    await audit.record({ ...ctx, db: trx }, 'mailing.test_sent', { type: 'mailing', id, orgId: m.orgId });
  });
  return { ok: true as const };
}
