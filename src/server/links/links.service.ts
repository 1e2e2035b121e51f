import type { LinkPurpose, PublicLinkInfo } from '../../shared/links.ts';
import { hashToken, newToken } from '../auth/secrets.ts';
import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import * as repo from './links.repo.ts';

/**
 * Link tokens: the one way to make an emailed or shared link (invitations, password resets,
 * caller invitation links; later unsubscribe, consent, survey and data-change links). A token is
 * random (256 bits), single-purpose, stored as its SHA-256 only, may expire, may be limited to N
 * uses (counted atomically) and may be revoked.
 *
 * These functions take a Kysely executor (the db or the caller's transaction), because they are
 * building blocks inside the owning module's transaction. What a link *grants* stays with the
 * module of its purpose: it checks the subject (an invitation still open, an assignment not
 * closed) and that the link's maker may still grant it.
 */

/** The kind of subject each purpose points at. */
export const LINK_SUBJECT: Record<LinkPurpose, string> = {
  invitation: 'invitation',
  password_reset: 'user',
  call_invite: 'call_assignment',
  unsubscribe: 'mailing_recipient',
  consent_confirm: 'consent',
  consent_request: 'mailing_recipient',
};

export interface IssueLinkToken {
  purpose: LinkPurpose;
  /** The id of the purpose's subject (`LINK_SUBJECT`). */
  subjectId: string;
  /** Null: the link does not expire. */
  expiresAt: Date | null;
  /** 1 = single use; null = any number of uses. */
  maxUses: number | null;
  createdBy: string | null;
}

/** Makes a link token. The token is in the answer only; put it into the link and forget it. */
export async function issueLinkToken(db: Db, input: IssueLinkToken) {
  const token = newToken();
  const row = await repo.insertLinkToken(db, {
    purpose: input.purpose,
    subjectType: LINK_SUBJECT[input.purpose],
    subjectId: input.subjectId,
    tokenHash: hashToken(token),
    expiresAt: input.expiresAt,
    maxUses: input.maxUses,
    createdBy: input.createdBy,
  });
  return { token, ...row };
}

/**
 * Makes many link tokens in one insert (a mailing worker's batch); the answer has the tokens in the
 * order of `inputs`.
 */
export async function issueLinkTokens(db: Db, inputs: IssueLinkToken[]): Promise<string[]> {
  const tokens = inputs.map(() => newToken());
  await repo.insertLinkTokens(
    db,
    inputs.map((input, i) => ({
      purpose: input.purpose,
      subjectType: LINK_SUBJECT[input.purpose],
      subjectId: input.subjectId,
      tokenHash: hashToken(tokens[i]),
      expiresAt: input.expiresAt,
      maxUses: input.maxUses,
      createdBy: input.createdBy,
    })),
  );
  return tokens;
}

/** The link of this token and purpose if it works right now (not revoked, not expired, uses left). */
export function findUsableLinkToken(db: Db, token: string, purpose: LinkPurpose) {
  return repo.findUsableLinkTokenByHash(db, hashToken(token), purpose);
}

/**
 * Takes one use of a link, atomically (concurrent uses never exceed `maxUses`). False when the
 * link was used up, revoked or expired in the meantime: the caller refuses and rolls back.
 */
export async function consumeLinkToken(db: Db, id: string): Promise<boolean> {
  return Boolean(await repo.consumeLinkToken(db, id));
}

/**
 * Revokes one link of a subject (`id`) or every link of the subjects. False when no link matched
 * (revoking a revoked link again is true).
 */
export async function revokeLinkToken(
  db: Db,
  where: { purpose: LinkPurpose; subjectIds: string[]; id?: string },
): Promise<boolean> {
  return (await repo.revokeLinkTokens(db, where)) > 0;
}

/** The links of subjects (organizers' lists: uses, expiry, revocation), newest first. */
export function listLinkTokens(db: Db, purpose: LinkPurpose, subjectIds: string[], limit?: number) {
  return repo.findLinkTokensOf(db, purpose, subjectIds, limit);
}

export function deleteExpiredLinkTokens(db: Db, purposes: LinkPurpose[], before = new Date()) {
  return repo.deleteExpiredLinkTokens(db, purposes, before);
}

type LinkState = PublicLinkInfo['state'];

export function linkState(
  l: { revokedAt: Date | null; expiresAt: Date | null; maxUses: number | null; useCount: number },
  now = Date.now(),
): LinkState {
  if (l.revokedAt) return 'revoked';
  if (l.expiresAt && l.expiresAt.getTime() <= now) return 'expired';
  if (l.maxUses !== null && l.useCount >= l.maxUses) return 'used_up';
  return 'valid';
}

/**
 * For the public link page: what a token is for and whether the link itself still works, without
 * its subject or anything personal. An unknown token is 404. `valid` is the link's own state; the
 * purpose's endpoint has the last word (e.g. an invitation whose sender lost their role).
 */
export async function describeLinkToken(ctx: BaseCtx, token: string): Promise<PublicLinkInfo> {
  const link = await repo.findLinkTokenByHash(ctx.db, hashToken(token));
  if (!link) throw new AppError('not_found', 'Not found.');
  return {
    purpose: link.purpose as LinkPurpose,
    state: linkState(link),
    expiresAt: link.expiresAt?.toISOString() ?? null,
  };
}
