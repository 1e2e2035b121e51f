import type { ConsentLinkState } from '../../shared/consents.ts';
import { audit } from '../audit/audit.service.ts';
import { hashToken } from '../auth/secrets.ts';
import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import type { ConsentSource, Locale } from '../db/schema.ts';
import { findLinkTokenByHash } from '../links/links.repo.ts';
import { consumeLinkToken, linkState, revokeLinkToken } from '../links/links.service.ts';
import { transactionalMessageId } from '../mail/mail.service.ts';
import { timeline } from '../people/timeline.service.ts';
import { addressHash, getSuppressionSalt } from '../privacy/instance-keys.repo.ts';
import {
  confirmationMailsOf,
  lastConfirmationAt,
  RENEW_AFTER_MS,
  RESEND_AFTER_MS,
  sendConfirmationMail,
  sendConfirmationMails,
} from './consent-mail.ts';
import { currentConsentText, textHash } from './consent-texts.ts';
import * as repo from './consents.repo.ts';

/**
 * The owner of `consents` and its ledger `consent_events`: every module that learns of a wish to
 * be contacted (a call, a form, an import, an event sign-up, a person recording it by hand)
 * records it here with `requestConsent`; the unsubscribe page withdraws it with `revokeConsent`;
 * the confirmation link grants it. Every change of a consent writes one ledger row in the same
 * transaction (status, source, text version and hash, proof, actor), and a timeline entry.
 *
 * These functions do no scope checks: their callers (calls, forms, the mailer, the people-facing
 * API in consent-records.service.ts) have done theirs.
 */

type ConsentCtx = BaseCtx & { actor?: { userId: string } | null };

export interface ConsentRequest {
  personId: string;
  channel: repo.ConsentChannel;
  purpose: string;
  orgId: string | null;
  source: ConsentSource;
  sourceRef: string | null;
  recordedBy: string | null;
  /** A text of the caller's own (a form's): its version and the hash of its exact wording. */
  textVersion?: string | null;
  textHash?: string | null;
  /** The language of the confirmation mail (default German). */
  locale?: Locale;
  proof?: Record<string, unknown>;
}

export type ConsentRequestOutcome = 'requested' | 'resent' | 'pending' | 'granted';

/** The caller's transaction, or a new one. */
export function inTransaction<T>(db: Db, work: (db: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

const ledger = (
  db: Db,
  consent: repo.ConsentRow,
  e: { source: string; sourceRef: string | null; proof: Record<string, unknown>; actorUserId: string | null },
) =>
  repo.insertConsentEvent(db, {
    consentId: consent.id,
    personId: consent.personId,
    status: consent.status,
    textVersion: consent.textVersion,
    textHash: consent.textHash,
    ...e,
  });

/**
 * Records a wish to be contacted and starts the double opt-in. A new consent (or a revoked one
 * asked again) becomes `pending` — whatever the source: call, API, import without proof, manual,
 * event or form — with a ledger row, a timeline entry and ONE confirmation mail (consent-mail.ts)
 * in the same transaction. A granted consent is never downgraded and gets no mail. A pending one
 * asked again gets a new mail only when the last went out more than 24 hours ago (a second
 * sign-up may mean the first mail was lost; more often would let anyone flood an inbox).
 */
export async function requestConsent(
  ctx: ConsentCtx,
  request: ConsentRequest,
): Promise<{ consentId: string; outcome: ConsentRequestOutcome; mailed: boolean }> {
  const locale = request.locale ?? 'de';
  const text = request.textVersion
    ? { version: request.textVersion, hash: request.textHash ?? null }
    : request.channel === 'newsletter'
      ? currentConsentText('newsletter', locale)
      : { version: null, hash: null };
  const proof = { ...(request.proof ?? {}), locale };
  return inTransaction(ctx.db, async (db) => {
    const txCtx = { ...ctx, db };
    const state = {
      status: 'pending' as const,
      source: request.source,
      sourceRef: request.sourceRef,
      recordedBy: request.recordedBy,
      textVersion: text.version,
      textHash: text.hash,
      proof,
    };
    const { row, created } = await repo.claimConsent(
      db,
      {
        personId: request.personId,
        channel: request.channel,
        purpose: request.purpose,
        orgId: request.orgId,
      },
      { ...state, granted: false },
    );
    if (!created && row.status === 'granted') return { consentId: row.id, outcome: 'granted', mailed: false };
    if (!created && row.status === 'pending') {
      const last = await lastConfirmationAt(db, row.id);
      if (last && Date.now() - last.getTime() < RESEND_AFTER_MS)
        return { consentId: row.id, outcome: 'pending', mailed: false };
      const mailed = await sendConfirmationMail(txCtx, db, row);
      return { consentId: row.id, outcome: mailed ? 'resent' : 'pending', mailed };
    }
    const consent = created ? row : await repo.setConsentState(db, row.id, state);
    await ledger(db, consent, {
      source: request.source,
      sourceRef: request.sourceRef,
      proof,
      actorUserId: ctx.actor?.userId ?? null,
    });
    await timeline.add(txCtx, consent.personId, 'consent.requested', {
      channel: consent.channel,
      purpose: consent.purpose,
      orgId: consent.orgId,
      source: request.source,
    });
    const mailed = await sendConfirmationMail(txCtx, db, consent);
    return { consentId: consent.id, outcome: 'requested', mailed };
  });
}

/**
 * `requestConsent` for many people in few statements (an import's batch): the new consents in one
 * insert, their ledger rows and timeline entries in one each, the confirmation mails with one
 * address query (consent-mail.ts `sendConfirmationMails`). Keys that already have a consent go
 * through `requestConsent` one by one — or, with `existing: 'leave'`, are left exactly as they are
 * (outcome `existing`: no resend, a revoked consent is not asked again; what an import does, so a
 * re-import or a stale file never mails anyone twice nor re-asks someone who withdrew). Answers
 * per request, in order.
 */
export async function requestConsents(
  ctx: ConsentCtx,
  requests: ConsentRequest[],
  opts: { existing?: 'ask_again' | 'leave' } = {},
): Promise<{ consentId: string | null; outcome: ConsentRequestOutcome | 'existing'; mailed: boolean }[]> {
  const keyOf = (r: { personId: string; channel: string; purpose: string; orgId: string | null }) =>
    `${r.personId}|${r.channel}|${r.purpose}|${r.orgId ?? ''}`;
  const fresh = [...new Map(requests.map((r) => [keyOf(r), r])).values()].map((r) => {
    const locale = r.locale ?? 'de';
    const text = r.textVersion
      ? { version: r.textVersion, hash: r.textHash ?? null }
      : r.channel === 'newsletter'
        ? currentConsentText('newsletter', locale)
        : { version: null, hash: null };
    return {
      personId: r.personId,
      channel: r.channel,
      purpose: r.purpose,
      orgId: r.orgId,
      status: 'pending' as const,
      source: r.source,
      sourceRef: r.sourceRef,
      recordedBy: r.recordedBy,
      textVersion: text.version,
      textHash: text.hash,
      proof: { ...(r.proof ?? {}), locale },
    };
  });
  return inTransaction(ctx.db, async (db) => {
    const txCtx = { ...ctx, db };
    const created = await repo.insertNewConsents(db, fresh);
    const requested = new Map(fresh.map((f) => [keyOf(f), f]));
    await repo.insertConsentEvents(
      db,
      created.map((c) => {
        const f = requested.get(keyOf(c))!;
        return {
          consentId: c.id,
          personId: c.personId,
          status: c.status,
          source: f.source,
          sourceRef: f.sourceRef,
          textVersion: c.textVersion,
          textHash: c.textHash,
          proof: f.proof,
          actorUserId: ctx.actor?.userId ?? null,
        };
      }),
    );
    await timeline.addMany(
      txCtx,
      created.map((c) => ({
        personId: c.personId,
        kind: 'consent.requested',
        data: { channel: c.channel, purpose: c.purpose, orgId: c.orgId, source: c.source },
      })),
    );
    const mailed = await sendConfirmationMails(txCtx, db, created);
    const results = new Map<string, Awaited<ReturnType<typeof requestConsents>>[number]>(
      created.map((c) => [keyOf(c), { consentId: c.id, outcome: 'requested', mailed: mailed.has(c.id) }]),
    );
    for (const r of requests) {
      if (results.has(keyOf(r))) continue;
      results.set(
        keyOf(r),
        opts.existing === 'leave'
          ? { consentId: null, outcome: 'existing', mailed: false }
          : await requestConsent(txCtx, r),
      );
    }
    return requests.map((r) => results.get(keyOf(r))!);
  });
}

export interface ConsentRevocation {
  personId: string;
  channel?: repo.ConsentChannel;
  purpose?: string;
  /** The units whose consents end; omitted: every unit's. */
  orgIds?: string[];
  /** Exactly these consents (of the person) instead. */
  consentIds?: string[];
  /** Where the revocation came from, for the ledger: `unsubscribe`, `manual`, `erasure` … */
  source: string;
  sourceRef?: string | null;
  proof?: Record<string, unknown>;
}

/**
 * Withdraws granted and pending consents (newsletter by default) of a person: status `revoked`,
 * a ledger row and a timeline entry each, their open confirmation links revoked — in the caller's
 * transaction or a new one. The unsubscribe page calls this (source `unsubscribe`, without an
 * actor). Answers how many consents ended.
 */
export async function revokeConsent(ctx: ConsentCtx, r: ConsentRevocation): Promise<number> {
  return inTransaction(ctx.db, async (db) => {
    const rows = await repo.lockLiveConsents(db, {
      personId: r.personId,
      channel: r.channel ?? 'newsletter',
      purpose: r.purpose ?? 'newsletter',
      orgIds: r.orgIds,
    });
    const chosen = r.consentIds ? rows.filter((c) => r.consentIds!.includes(c.id)) : rows;
    const proof = { ...(r.proof ?? {}), revokedAt: new Date().toISOString() };
    for (const row of chosen) {
      const consent = await repo.setConsentState(db, row.id, {
        status: 'revoked',
        source: row.source,
        sourceRef: row.sourceRef,
        textVersion: row.textVersion,
        textHash: row.textHash,
        proof,
      });
      await ledger(db, consent, {
        source: r.source,
        sourceRef: r.sourceRef ?? null,
        proof,
        actorUserId: ctx.actor?.userId ?? null,
      });
      await timeline.add({ ...ctx, db }, consent.personId, 'consent.revoked', {
        channel: consent.channel,
        purpose: consent.purpose,
        orgId: consent.orgId,
        source: r.source,
      });
    }
    if (chosen.length)
      await revokeLinkToken(db, { purpose: 'consent_confirm', subjectIds: chosen.map((c) => c.id) });
    return chosen.length;
  });
}

/** The visitor's IP as proof: only its salted hash. */
async function ipHashOf(ctx: BaseCtx, db: Db): Promise<string | null> {
  return ctx.ip ? addressHash(await getSuppressionSalt(db), ctx.ip) : null;
}

async function grant(
  ctx: BaseCtx,
  db: Db,
  consent: repo.ConsentRow,
  how: { source: string; sourceRef: string | null; proof: Record<string, unknown> },
) {
  const granted = await repo.setConsentState(db, consent.id, {
    status: 'granted',
    source: consent.source,
    sourceRef: consent.sourceRef,
    textVersion: consent.textVersion,
    textHash: consent.textHash,
    proof: how.proof,
  });
  await ledger(db, granted, { ...how, actorUserId: null });
  await timeline.add({ db }, granted.personId, 'consent.granted', {
    channel: granted.channel,
    purpose: granted.purpose,
    orgId: granted.orgId,
    source: how.source,
  });
  // Without the visitor's IP: the consent's proof keeps only its hash, the audit log none of it.
  await audit.record(
    { ...ctx, db, actor: null, ip: null },
    'consent.granted',
    { type: 'person', id: granted.personId, orgId: granted.orgId },
    { consentId: granted.id, source: how.source },
  );
}

type Link = NonNullable<Awaited<ReturnType<typeof findLinkTokenByHash>>>;

/**
 * `GET /c/:token`: a double opt-in link (`consent_confirm`) grants its pending consent; a consent
 * request link (`consent_request`, in a mail of a consent-request mailing) grants a newsletter
 * consent of the mailing's unit for its recipient — the click on a personal link in a mail sent to
 * that address is the opt-in proof. The link's use is taken in the same transaction. Answers what
 * the visitor is shown: confirmed, already (clicked before), expired (a new link can be asked
 * for), invalid.
 */
export async function grantConsentFromLink(ctx: BaseCtx, token: string): Promise<ConsentLinkState> {
  const link = await findLinkTokenByHash(ctx.db, hashToken(token));
  if (link?.purpose === 'consent_confirm') return confirmDoubleOptIn(ctx, link);
  if (link?.purpose === 'consent_request') return grantFromConsentRequest(ctx, link);
  return 'invalid';
}

function confirmDoubleOptIn(ctx: BaseCtx, link: Link): Promise<ConsentLinkState> {
  return ctx.db.transaction().execute(async (db) => {
    const consent = await repo.lockConsent(db, link.subjectId);
    if (!consent || consent.status === 'revoked') return 'invalid';
    if (consent.status === 'granted') return 'already';
    const state = linkState(link);
    if (state === 'expired') return 'expired';
    if (state !== 'valid' || !(await consumeLinkToken(db, link.id))) return 'invalid';
    const mail = confirmationMailsOf(consent.proof).find((m) => m.linkId === link.id);
    await grant(ctx, db, consent, {
      source: 'confirmation_link',
      sourceRef: link.id,
      proof: {
        confirmedAt: new Date().toISOString(),
        mailId: mail?.mailId ?? null,
        messageId: mail ? transactionalMessageId(ctx.config.publicUrl, mail.mailId) : null,
        mailSentAt: mail?.at ?? null,
        ipHash: await ipHashOf(ctx, db),
        request: { ...consent.proof, confirmationMails: undefined },
      },
    });
    return 'confirmed';
  });
}

function grantFromConsentRequest(ctx: BaseCtx, link: Link): Promise<ConsentLinkState> {
  return ctx.db.transaction().execute(async (db) => {
    const r = await repo.findConsentRequestRecipient(db, link.subjectId);
    if (!r?.personId || r.purpose !== 'consent_request') return 'invalid';
    const key = {
      personId: r.personId,
      channel: 'newsletter' as const,
      purpose: 'newsletter',
      orgId: r.orgId,
    };
    const usable = linkState(link) === 'valid' && (await consumeLinkToken(db, link.id));
    if (!usable) {
      const existing = await repo.findConsentByKey(db, key);
      if (existing?.status === 'granted') return 'already';
      return linkState(link) === 'expired' ? 'expired' : 'invalid';
    }
    const text = currentConsentText('newsletter', 'de');
    const proof = {
      source: 'consent_request',
      mailingId: r.mailingId,
      messageId: r.messageId,
      confirmedAt: new Date().toISOString(),
      ipHash: await ipHashOf(ctx, db),
    };
    const { row, created } = await repo.claimConsent(db, key, {
      status: 'pending',
      source: 'consent_request',
      sourceRef: r.mailingId,
      recordedBy: null,
      textVersion: text.version,
      textHash: text.hash,
      proof,
      granted: false,
    });
    if (row.status === 'granted') return 'already';
    // A consent asked for before (pending or revoked) now comes from this request, under today's text.
    const asked = created
      ? row
      : await repo.setConsentState(db, row.id, {
          status: row.status,
          source: 'consent_request',
          sourceRef: r.mailingId,
          textVersion: text.version,
          textHash: text.hash,
          proof: row.proof,
        });
    await grant(ctx, db, asked, { source: 'consent_request', sourceRef: r.mailingId, proof });
    return 'confirmed';
  });
}

/**
 * "Send me a new link" on the expired page: a pending consent's confirmation mail goes again (at
 * most once in ten minutes per consent); an expired consent request link becomes a double opt-in
 * (pending consent, confirmation mail). Unknown or used links do nothing; the caller answers the
 * same either way.
 */
export async function renewConsentLink(ctx: BaseCtx, token: string): Promise<void> {
  const link = await findLinkTokenByHash(ctx.db, hashToken(token));
  if (link?.purpose === 'consent_confirm') {
    await ctx.db.transaction().execute(async (db) => {
      const consent = await repo.lockConsent(db, link.subjectId);
      if (consent?.status !== 'pending') return;
      const last = await lastConfirmationAt(db, consent.id);
      if (last && Date.now() - last.getTime() < RENEW_AFTER_MS) return;
      await sendConfirmationMail({ ...ctx, db }, db, consent);
    });
  } else if (link?.purpose === 'consent_request' && linkState(link) === 'expired') {
    const r = await repo.findConsentRequestRecipient(ctx.db, link.subjectId);
    if (!r?.personId || r.purpose !== 'consent_request') return;
    await requestConsent(ctx, {
      personId: r.personId,
      channel: 'newsletter',
      purpose: 'newsletter',
      orgId: r.orgId,
      source: 'consent_request',
      sourceRef: r.mailingId,
      recordedBy: null,
      proof: { mailingId: r.mailingId, renewedFrom: 'expired_consent_request_link' },
    });
  }
}

/** sha256 of a text, for callers that bring their own wording (forms). */
export const consentTextHash = textHash;

const STRENGTH = { granted: 0, pending: 1, revoked: 2 } as const;

/**
 * Before two people are merged (duplicates/merge.service.ts, in its transaction, before the
 * references move): per channel, purpose and unit one consent survives — the strongest (granted,
 * then pending, then revoked; on a tie the kept person's, then the newest) — and takes over the
 * others' ledger rows, so a granted consent of the duplicate is not lost to the kept person's
 * pending one and the history stays whole. The others' open confirmation links are revoked.
 */
export async function settleConsentsForMerge(db: Db, keepId: string, mergedIds: string[]): Promise<void> {
  const rows = await repo.lockConsentsOfPeople(db, [keepId, ...mergedIds]);
  const groups = Map.groupBy(rows, (c) => `${c.channel}|${c.purpose}|${c.orgId ?? ''}`);
  const folded: string[] = [];
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const [best, ...rest] = group.sort(
      (a, b) =>
        STRENGTH[a.status] - STRENGTH[b.status] ||
        Number(b.personId === keepId) - Number(a.personId === keepId) ||
        b.updatedAt.getTime() - a.updatedAt.getTime(),
    );
    const ids = rest.map((c) => c.id);
    await repo.foldConsentsInto(db, best!.id, ids);
    folded.push(...ids);
  }
  if (folded.length) await revokeLinkToken(db, { purpose: 'consent_confirm', subjectIds: folded });
}
