import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import type { Locale } from '../db/schema.ts';
import { issueLinkToken, issueLinkTokens, listLinkTokens } from '../links/links.service.ts';
import { consentTextOf, currentConsentText, withUnit } from './consent-texts.ts';
import * as repo from './consents.repo.ts';

/** How long a confirmation link works. */
export const CONFIRM_LINK_DAYS = 14;
/** A pending consent asked again gets a new mail only if the last one is older than this. */
export const RESEND_AFTER_MS = 24 * 3600_000;
/** "Send me a new link" from an expired page: at most one new mail per consent in this time. */
export const RENEW_AFTER_MS = 10 * 60_000;
/** Confirmation mails remembered in a pending consent's proof (link → mail), newest last. */
const KEEP_MAILS = 10;

/** Sources where the person asked for the newsletter themselves (a form, an event sign-up). */
const SELF_SERVICE: ReadonlySet<string> = new Set(['form', 'event']);

/**
 * Whether a confirmation mail for this consent may go to the target's address. Never without an
 * address, with do-not-email, or to a bounced address. When someone else recorded the wish (a
 * call, an import, by hand, the API), also not to an address that was erased, complained, or
 * unsubscribed from everything or from this unit's newsletter: a re-import or a stale list must not
 * mail them again. A person asking on a form or at an event themselves may subscribe again.
 */
export function mayMailConfirmation(
  target: { email: string | null; doNotEmail: boolean; suppressions: repo.AddressSuppression[] } | undefined,
  consent: Pick<repo.ConsentRow, 'source' | 'orgId' | 'purpose'>,
): target is { email: string; doNotEmail: boolean; suppressions: repo.AddressSuppression[] } {
  if (!target?.email || target.doNotEmail) return false;
  const self = SELF_SERVICE.has(consent.source);
  return !target.suppressions.some((s) => {
    if (s.reason === 'bounced') return true;
    if (self) return false;
    if (s.reason !== 'unsubscribed') return true;
    const everything = s.orgId === null && s.purpose === null;
    const thisNewsletter = s.purpose === consent.purpose && (s.orgId === null || s.orgId === consent.orgId);
    return everything || thisNewsletter;
  });
}

export type ConfirmationMail = { linkId: string; mailId: string; at: string; locale: Locale };

export const localeOf = (proof: Record<string, unknown>): Locale => (proof.locale === 'en' ? 'en' : 'de');

export function confirmationMailsOf(proof: Record<string, unknown>): ConfirmationMail[] {
  return Array.isArray(proof.confirmationMails) ? (proof.confirmationMails as ConfirmationMail[]) : [];
}

/** When the newest confirmation link of a consent was made (null: none yet). */
export async function lastConfirmationAt(db: Db, consentId: string): Promise<Date | null> {
  const [last] = await listLinkTokens(db, 'consent_confirm', [consentId], 1);
  return last?.createdAt ?? null;
}

/**
 * The double opt-in mail for a pending consent, in the caller's transaction: a single-use link
 * (`consent_confirm`, subject the consent, 14 days) to `${PUBLIC_URL}/c/TOKEN`, the unit's name and
 * the consent text, to the person's primary valid address. Nothing goes out where
 * `mayMailConfirmation` says no (the consent stays pending). The link and mail ids go into the consent's proof,
 * so the grant can name the mail it was confirmed from. True when a mail was stored.
 */
export async function sendConfirmationMail(
  ctx: BaseCtx & { actor?: { userId: string } | null },
  db: Db,
  consent: repo.ConsentRow,
): Promise<boolean> {
  const target = await repo.findMailTarget(db, consent.personId);
  if (!mayMailConfirmation(target, consent)) return false;
  const locale = localeOf(consent.proof);
  const unitName = (await repo.findOrgName(db, consent.orgId)) ?? 'Draht';
  const text =
    consentTextOf(consent.textVersion, locale)?.text ?? currentConsentText('newsletter', locale).text;
  const link = await issueLinkToken(db, {
    purpose: 'consent_confirm',
    subjectId: consent.id,
    expiresAt: new Date(Date.now() + CONFIRM_LINK_DAYS * 86400_000),
    maxUses: 1,
    createdBy: ctx.actor?.userId ?? null,
  });
  const mail = await ctx.mail.send(db, {
    to: target.email,
    locale,
    template: 'consentConfirmation',
    vars: {
      unitName,
      consentText: withUnit(text, unitName),
      link: `${ctx.config.publicUrl}/c/${link.token}`,
      days: CONFIRM_LINK_DAYS,
    },
  });
  const mails = [
    ...confirmationMailsOf(consent.proof),
    { linkId: link.id, mailId: mail.id, at: new Date().toISOString(), locale },
  ].slice(-KEEP_MAILS);
  const proof = { ...consent.proof, confirmationMails: mails };
  await repo.setConsentProof(db, consent.id, proof);
  consent.proof = proof;
  return true;
}

/**
 * `sendConfirmationMail` for many pending consents that got no link yet in this transaction (the new
 * consents of `requestConsents`): the addresses in one query, each unit's name once, the links in
 * one insert, then a mail per consent, and the proofs in one statement. Answers the ids of the
 * consents a mail was stored for.
 */
export async function sendConfirmationMails(
  ctx: BaseCtx & { actor?: { userId: string } | null },
  db: Db,
  consents: repo.ConsentRow[],
): Promise<Set<string>> {
  const targets = new Map(
    (await repo.findMailTargets(db, [...new Set(consents.map((c) => c.personId))])).map((t) => [t.id, t]),
  );
  const mailable = consents.flatMap((consent) => {
    const target = targets.get(consent.personId);
    return mayMailConfirmation(target, consent) ? [{ consent, email: target.email }] : [];
  });
  if (!mailable.length) return new Set();
  const expiresAt = new Date(Date.now() + CONFIRM_LINK_DAYS * 86400_000);
  const ids = mailable.map((m) => m.consent.id);
  const tokens = await issueLinkTokens(
    db,
    ids.map((subjectId) => ({
      purpose: 'consent_confirm' as const,
      subjectId,
      expiresAt,
      maxUses: 1,
      createdBy: ctx.actor?.userId ?? null,
    })),
  );
  // The newest link of each consent is the one just made (created_at is this transaction's time).
  const linkIds = new Map<string, string>();
  for (const l of await listLinkTokens(db, 'consent_confirm', ids, ids.length))
    if (!linkIds.has(l.subjectId)) linkIds.set(l.subjectId, l.id);
  const unitNames = new Map<string | null, string>();
  const proofs: { id: string; proof: Record<string, unknown> }[] = [];
  for (const [i, { consent, email }] of mailable.entries()) {
    if (!unitNames.has(consent.orgId))
      unitNames.set(consent.orgId, (await repo.findOrgName(db, consent.orgId)) ?? 'Draht');
    const unitName = unitNames.get(consent.orgId)!;
    const locale = localeOf(consent.proof);
    const text =
      consentTextOf(consent.textVersion, locale)?.text ?? currentConsentText('newsletter', locale).text;
    const mail = await ctx.mail.send(db, {
      to: email,
      locale,
      template: 'consentConfirmation',
      vars: {
        unitName,
        consentText: withUnit(text, unitName),
        link: `${ctx.config.publicUrl}/c/${tokens[i]}`,
        days: CONFIRM_LINK_DAYS,
      },
    });
    const mails = [
      ...confirmationMailsOf(consent.proof),
      { linkId: linkIds.get(consent.id)!, mailId: mail.id, at: new Date().toISOString(), locale },
    ].slice(-KEEP_MAILS);
    consent.proof = { ...consent.proof, confirmationMails: mails };
    proofs.push({ id: consent.id, proof: consent.proof });
  }
  await repo.setConsentProofs(db, proofs);
  return new Set(proofs.map((p) => p.id));
}
