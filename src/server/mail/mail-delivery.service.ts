import { setTimeout as sleep } from 'node:timers/promises';
import type { SendMailOptions } from 'nodemailer';
import type { Config } from '../config.ts';
import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { type IssueLinkToken, issueLinkTokens } from '../links/links.service.ts';
import { markEmailsBounced } from '../people/people.repo.ts';
import { timeline } from '../people/timeline.service.ts';
import * as repo from './mail-delivery.repo.ts';
import { type CompiledMailing, placeholderRenderer } from './mail-placeholders.ts';
import { mailSenderOf } from './mail-sender.ts';
import { findEffectiveSettings } from './mail-settings.repo.ts';
import { suppressAddresses } from './unsubscribe.repo.ts';

/**
 * Sending a mailing (job `mailing-deliver`, mail-delivery.jobs.ts). Its recipient rows were frozen
 * with a fixed Message-ID when sending started; here a worker
 *
 * 1. claims a small batch of due `queued` rows (`FOR UPDATE SKIP LOCKED`, within the rate limits),
 *    marks them `sending`, issues their unsubscribe (and consent request) links, and COMMITS;
 * 2. sends them through the process's one pooled SMTP transport (or into the built-in outbox),
 *    while the next batch is claimed;
 * 3. records the answers per batch: `sent` (+ a timeline entry), 5xx → `bounced` (the address is
 *    marked bounced and suppressed), 4xx or a dropped connection → `queued` again with backoff,
 *    `failed` after the last attempt. An unreachable server for a whole batch pauses the mailing
 *    (`smtp_unavailable: …`) and a job later resumes it.
 *
 * A row marked `sent` is never claimed again; a crash leaves at most the claimed rows in `sending`,
 * which the sweeper queues again after DELIVERY.staleSeconds (the only possible duplicates).
 */

export const DELIVERY = {
  /** Rows per claim (and per result write). */
  batchSize: 100,
  /** A job run stops after this long and sends itself again (other mailings get their turn). */
  runBudgetMs: 60_000,
  /** Attempts per row before it is `failed`. */
  maxAttempts: 5,
  /** First retry delay after a temporary failure; doubles per attempt (at most an hour). */
  retryBaseSeconds: 60,
  /** After the SMTP server was unreachable, the next try this much later. */
  smtpRetrySeconds: 120,
  /** Rows `sending` for longer than this belonged to a worker that died. */
  staleSeconds: 300,
  /** Unsubscribe links work this long. */
  unsubscribeDays: 400,
  /** Consent request links work this long (single use). */
  consentRequestDays: 30,
};
export type DeliveryOptions = Partial<typeof DELIVERY> & {
  /** Filled with where the time went (the bench reads it). */
  stats?: DeliveryStats;
};

export interface DeliveryStats {
  batches: number;
  /** Waiting for a claim that was not ready when the previous batch was done. */
  claimWaitMs: number;
  /** Rendering and the SMTP conversations. */
  sendMs: number;
  /** Writing the results. */
  recordMs: number;
}

/** The reason a mailing the worker paused itself carries (and resumes from). */
export const SMTP_UNAVAILABLE = 'smtp_unavailable';

export interface DeliveryResult {
  outcome: 'finished' | 'stopped' | 'paused' | 'waiting' | 'budget' | 'not_found';
  sent: number;
  bounced: number;
  retried: number;
  /** When the job should look again (rows waiting for a retry, the run's budget spent, SMTP down). */
  nextRunAt: Date | null;
}

type Mailing = NonNullable<Awaited<ReturnType<typeof repo.findMailingForDelivery>>>;

interface Sender {
  from: { name: string; address: string };
  replyTo: string | undefined;
  /** The address of the mailto unsubscribe. */
  mailto: string;
}

interface Claimed {
  stopped: boolean;
  rows: (repo.ClaimedRow & {
    unsubscribeToken: string;
    consentToken: string | null;
    firstName: string;
    lastName: string;
  })[];
}

function senderOf(
  config: Config,
  mailing: Mailing,
  settings: { senderName: string; senderAddress: string | null; replyTo: string | null } | undefined,
): Sender {
  const s = mailSenderOf(config.mailFrom, mailing.orgName, settings, mailing.senderAddress);
  return { from: { name: s.name, address: s.address }, replyTo: s.replyTo ?? undefined, mailto: s.address };
}

const days = (n: number) => new Date(Date.now() + n * 86_400_000);

/**
 * The per-recipient renderer of the content frozen when sending started (compiled_subject/html/
 * text): placeholders only, no compose libraries in this process. A mailing started before that
 * column existed (or written straight into `sending`) is laid out here once, loading
 * mail-compose.ts on demand.
 */
async function renderer(ctx: BaseCtx, mailing: Mailing, footer: string): Promise<CompiledMailing> {
  const { compiledSubject: subject, compiledHtml: html, compiledText: text } = mailing;
  if (subject !== null && html !== null && text !== null) return placeholderRenderer({ subject, html, text });
  const { compileMailing } = await import('./mail-compose.ts');
  return compileMailing(
    {
      id: mailing.id,
      updatedAt: mailing.updatedAt,
      subject: mailing.subject,
      html: mailing.html,
      purpose: mailing.purpose,
    },
    { footer, orgName: mailing.orgName, locale: 'de', publicUrl: ctx.config.publicUrl },
  );
}

/** Claims the next batch in its own transaction (committed before anything is sent). */
async function claimBatch(ctx: BaseCtx, mailing: Mailing, o: typeof DELIVERY): Promise<Claimed> {
  return ctx.db.transaction().execute(async (db) => {
    const st = await repo.mailingStatus(db, mailing.id, true);
    if (st?.status !== 'sending') return { stopped: true, rows: [] };
    const rows = await claimWithinRates(db, ctx.config, mailing.id, o.batchSize);
    if (!rows.length) return { stopped: false, rows: [] };
    const links: IssueLinkToken[] = rows.map((r) => ({
      purpose: 'unsubscribe',
      subjectId: r.id,
      expiresAt: days(o.unsubscribeDays),
      maxUses: null,
      createdBy: null,
    }));
    const consent = mailing.purpose === 'consent_request';
    if (consent)
      for (const r of rows)
        links.push({
          purpose: 'consent_request',
          subjectId: r.id,
          expiresAt: days(o.consentRequestDays),
          maxUses: 1,
          createdBy: null,
        });
    const tokens = await issueLinkTokens(db, links);
    // The names for the placeholders, read here: the claim runs while the batch before goes out.
    const names = new Map(
      (
        await repo.findRecipientNames(
          db,
          rows.flatMap((r) => (r.personId ? [r.personId] : [])),
        )
      ).map((p) => [p.id, p]),
    );
    return {
      stopped: false,
      rows: rows.map((r, i) => ({
        ...r,
        firstName: (r.personId && names.get(r.personId)?.firstName) || '',
        lastName: (r.personId && names.get(r.personId)?.lastName) || '',
        unsubscribeToken: tokens[i],
        consentToken: consent ? tokens[rows.length + i] : null,
      })),
    };
  });
}

/**
 * Up to `size` due rows, within MAIL_RATE_PER_SECOND and MAIL_DOMAIN_RATES: the claims of the last
 * second over all mailings and instances are counted under an advisory lock, so N workers together
 * stay within the limits.
 */
async function claimWithinRates(db: Db, config: Config, mailingId: string, size: number) {
  const rates = config.mailDomainRates;
  const limited = Object.keys(rates);
  if (!config.mailRatePerSecond && !limited.length) return repo.claimRows(db, mailingId, size);
  await repo.lockRateCounters(db);
  const recent = await repo.recentClaims(db, limited);
  let budget = config.mailRatePerSecond
    ? Math.min(size, Math.floor(config.mailRatePerSecond - recent.total))
    : size;
  if (budget <= 0) return [];
  const rows = await repo.claimRows(db, mailingId, budget, { excludeDomains: limited });
  budget -= rows.length;
  for (const domain of limited) {
    if (budget <= 0) break;
    const quota = Math.min(budget, Math.floor(rates[domain] - (recent.byDomain.get(domain) ?? 0)));
    if (quota <= 0) continue;
    const got = await repo.claimRows(db, mailingId, quota, { domain });
    rows.push(...got);
    budget -= got.length;
  }
  return rows;
}

type Outcome = { kind: 'sent' } | { kind: 'bounced' | 'retry' | 'unreachable'; error: string };

const CONNECTION_ERRORS = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ECONNREFUSED',
  'ECONNRESET',
]);

/** 5xx: permanent; 4xx: temporary; no answer at all (refused, timed out, DNS): unreachable. */
export function classifySmtpError(err: unknown): Outcome {
  const e = err as { responseCode?: number; code?: string; message?: string; response?: string };
  const error = String(e?.response ?? e?.message ?? err).slice(0, 500);
  if (typeof e?.responseCode === 'number') {
    if (e.responseCode >= 500) return { kind: 'bounced', error };
    if (e.responseCode === 421) return { kind: 'unreachable', error };
    return { kind: 'retry', error };
  }
  if (e?.code && CONNECTION_ERRORS.has(e.code)) return { kind: 'unreachable', error };
  return { kind: 'retry', error };
}

interface BatchOutcome {
  sent: number;
  bounced: number;
  retried: number;
  /** Nothing of the batch reached the server: the reason. */
  unreachable: string | null;
}

/**
 * Renders and sends one claimed batch; its results are written after `previous` (the batch
 * before), in the background: `recorded` settles when they are committed, while the next batch
 * already goes out.
 */
async function deliverBatch(
  ctx: BaseCtx,
  mailing: Mailing,
  compiled: CompiledMailing,
  sender: Sender,
  batch: Claimed['rows'],
  o: typeof DELIVERY & { stats?: DeliveryStats },
  previous: Promise<void>,
): Promise<BatchOutcome & { recorded: Promise<void> }> {
  const base = ctx.config.publicUrl;
  // Rendered when its turn comes: only the messages in flight are held in memory.
  const messageFor = (r: Claimed['rows'][number]) => {
    const unsubscribeUrl = `${base}/u/${r.unsubscribeToken}`;
    const rendered = compiled.render({
      firstName: r.firstName,
      lastName: r.lastName,
      email: r.email,
      orgName: mailing.orgName,
      unsubscribeUrl,
      ...(r.consentToken ? { consentUrl: `${base}/c/${r.consentToken}` } : {}),
    });
    const message: SendMailOptions = {
      from: sender.from,
      to: r.email,
      ...(sender.replyTo ? { replyTo: sender.replyTo } : {}),
      subject: rendered.subject,
      text: rendered.text,
      html: rendered.html,
      messageId: r.messageId.startsWith('<') ? r.messageId : `<${r.messageId}>`,
      headers: {
        'List-Unsubscribe': `<${unsubscribeUrl}>, <mailto:${sender.mailto}?subject=unsubscribe-${r.unsubscribeToken}>`,
        'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      },
    };
    return { message, rendered };
  };

  const startedAt = performance.now();
  const transport = ctx.mail.transport;
  const outcomes: Outcome[] = new Array(batch.length);
  if (!transport) {
    // The built-in outbox: the mail as it would have gone out, readable at /api/outbox/:id.
    await repo.insertOutboxMessages(
      ctx.db,
      batch.map((r) => {
        const { rendered } = messageFor(r);
        return {
          toAddress: r.email,
          subject: rendered.subject,
          textBody: rendered.text,
          htmlBody: rendered.html,
        };
      }),
    );
    outcomes.fill({ kind: 'sent' });
  } else {
    // Two sends per pooled connection in flight: the pool stays busy, memory stays small.
    let next = 0;
    const lane = async () => {
      while (next < batch.length) {
        const i = next++;
        outcomes[i] = await transport.sendMail(messageFor(batch[i]).message).then(
          (): Outcome => ({ kind: 'sent' }),
          (err: unknown) => classifySmtpError(err),
        );
      }
    };
    await Promise.all(Array.from({ length: Math.min(batch.length, ctx.mail.poolSize * 2) }, lane));
  }

  const sentAt = performance.now();
  const sent: Claimed['rows'] = [];
  const bounced: { id: string; error: string }[] = [];
  const retry: { id: string; error: string }[] = [];
  const unreachable: { id: string; error: string }[] = [];
  outcomes.forEach((x, i) => {
    const row = batch[i];
    if (x.kind === 'sent') sent.push(row);
    else if (x.kind === 'bounced') bounced.push({ id: row.id, error: x.error });
    else if (x.kind === 'retry') retry.push({ id: row.id, error: x.error });
    else unreachable.push({ id: row.id, error: x.error });
  });
  const down = unreachable.length === batch.length;

  const write = () =>
    ctx.db.transaction().execute(async (db) => {
      await repo.markSent(
        db,
        sent.map((r) => r.id),
      );
      const received = sent.flatMap((r) =>
        r.personId
          ? [
              {
                personId: r.personId,
                kind: 'mailing.received',
                data: { mailingId: mailing.id, subject: mailing.subject },
              },
            ]
          : [],
      );
      await timeline.addMany({ db }, received);
      if (bounced.length) await recordBounces(db, mailing.id, await repo.markBounced(db, bounced));
      if (down) {
        // The server is away: the rows were not tried, they wait as they were.
        await repo.releaseRows(
          db,
          unreachable.map((r) => r.id),
        );
      } else {
        await repo.markRetry(db, [...retry, ...unreachable], o.retryBaseSeconds, o.maxAttempts);
      }
    });
  if (o.stats) {
    o.stats.sendMs += sentAt - startedAt;
    o.stats.batches++;
  }
  const recorded = previous.then(async () => {
    const from = performance.now();
    await write();
    if (o.stats) o.stats.recordMs += performance.now() - from;
  });
  // Awaited by the caller later; this keeps a failure from counting as unhandled meanwhile.
  recorded.catch(() => {});

  return {
    sent: sent.length,
    bounced: bounced.length,
    retried: down ? 0 : retry.length + unreachable.length,
    unreachable: down ? (unreachable[0]?.error ?? 'unreachable') : null,
    recorded,
  };
}

/** A 5xx: the address is bounced on every person holding it, suppressed, and noted on the timeline. */
async function recordBounces(db: Db, mailingId: string, rows: { email: string; personId: string | null }[]) {
  if (!rows.length) return;
  const emails = rows.map((r) => r.email);
  await suppressAddresses(db, emails, 'bounced');
  const people = new Set([
    ...(await markEmailsBounced(db, emails)),
    ...rows.flatMap((r) => (r.personId ? [r.personId] : [])),
  ]);
  await timeline.addMany(
    { db },
    [...people].map((personId) => ({ personId, kind: 'mail.bounced', data: { mailingId } })),
  );
}

/**
 * One run of the delivery of a mailing: batches until nothing is due, the mailing is no longer
 * `sending` (paused or cancelled between batches), the SMTP server is unreachable, or the run's
 * budget is spent. Safe to run several times at once (rows are claimed with SKIP LOCKED).
 */
export async function deliverMailing(
  ctx: BaseCtx,
  mailingId: string,
  options: DeliveryOptions = {},
): Promise<DeliveryResult> {
  const o = { ...DELIVERY, ...options };
  const result: DeliveryResult = { outcome: 'stopped', sent: 0, bounced: 0, retried: 0, nextRunAt: null };
  const mailing = await repo.findMailingForDelivery(ctx.db, mailingId);
  if (!mailing) return { ...result, outcome: 'not_found' };
  // Paused by the worker because the server was away: try again.
  if (mailing.status === 'paused' && mailing.pausedReason?.startsWith(SMTP_UNAVAILABLE)) {
    if (await repo.resumeMailing(ctx.db, mailing.id, SMTP_UNAVAILABLE)) mailing.status = 'sending';
  }
  if (mailing.status !== 'sending') return result;

  const settings = await findEffectiveSettings(ctx.db, mailing.orgId);
  const sender = senderOf(ctx.config, mailing, settings);
  const compiled = await renderer(ctx, mailing, settings?.footer ?? '');
  const deadline = Date.now() + o.runBudgetMs;
  // The results of the last batch sent, being written while the next one goes out.
  let recording: Promise<void> = Promise.resolve();
  try {
    let next: Promise<Claimed> | null = claimBatch(ctx, mailing, o);
    while (next) {
      const waitFrom = performance.now();
      const batch: Claimed = await next;
      if (o.stats) o.stats.claimWaitMs += performance.now() - waitFrom;
      next = null;
      if (batch.stopped) return { ...result, outcome: 'stopped' };
      if (!batch.rows.length) {
        await recording;
        const left = await repo.remainingOf(ctx.db, mailing.id);
        if (!left.queued && !left.sending) {
          await repo.finishMailing(ctx.db, mailing.id);
          return { ...result, outcome: 'finished' };
        }
        // Only rows other workers are sending: they finish the mailing (or the sweeper requeues them).
        if (!left.queued) return { ...result, outcome: 'waiting' };
        const dueIn = (left.nextAttemptAt?.getTime() ?? Date.now()) - Date.now();
        if (dueIn > 2000 || Date.now() + Math.max(dueIn, 0) > deadline) {
          return { ...result, outcome: 'waiting', nextRunAt: new Date(Date.now() + Math.max(dueIn, 0)) };
        }
        // Due but not claimable right now (a rate limit is reached, or others hold them): a moment.
        await sleep(Math.min(Math.max(dueIn, 100), 250));
        next = claimBatch(ctx, mailing, o);
        continue;
      }
      const goOn = Date.now() < deadline;
      // The next batch is claimed while this one goes out.
      if (goOn) next = claimBatch(ctx, mailing, o);
      let done: Awaited<ReturnType<typeof deliverBatch>>;
      try {
        done = await deliverBatch(ctx, mailing, compiled, sender, batch.rows, o, recording);
      } catch (err) {
        await releaseClaimed(ctx, next);
        throw err;
      }
      recording = done.recorded;
      result.sent += done.sent;
      result.bounced += done.bounced;
      result.retried += done.retried;
      if (done.unreachable) {
        await releaseClaimed(ctx, next);
        await recording;
        await repo.pauseMailing(ctx.db, mailing.id, `${SMTP_UNAVAILABLE}: ${done.unreachable}`);
        return { ...result, outcome: 'paused', nextRunAt: new Date(Date.now() + o.smtpRetrySeconds * 1000) };
      }
      if (!goOn) return { ...result, outcome: 'budget', nextRunAt: new Date() };
    }
    return result;
  } finally {
    // Every result is written before the run ends (a failure to write is the run's failure).
    await recording;
  }
}

/** A batch claimed ahead that will not be sent now: back to the queue untouched. */
async function releaseClaimed(ctx: BaseCtx, pending: Promise<Claimed> | null) {
  if (!pending) return;
  const claimed = await pending.catch(() => null);
  if (claimed?.rows.length)
    await repo.releaseRows(
      ctx.db,
      claimed.rows.map((r) => r.id),
    );
}

/**
 * The minutely sweep: rows a dead worker left `sending` are queued again; mailings with due rows
 * and mailings paused for an unreachable server get a delivery job (coalesced per mailing with one
 * already waiting). Answers the mailings nudged.
 */
export async function sweepMailings(ctx: BaseCtx, options: DeliveryOptions = {}) {
  const o = { ...DELIVERY, ...options };
  const requeued = await repo.requeueStale(ctx.db, o.staleSeconds, o.maxAttempts);
  const nudge = new Set([
    ...requeued,
    ...(await repo.mailingsToNudge(ctx.db, SMTP_UNAVAILABLE)).map((m) => m.id),
  ]);
  return { requeued, nudge: [...nudge] };
}
