import type { UnsubscribeInfo, UnsubscribeResult, UnsubscribeScope } from '../../shared/unsubscribe.ts';
import { audit } from '../audit/audit.service.ts';
import { hashToken } from '../auth/secrets.ts';
import { revokeConsent } from '../consents/consents.service.ts';
import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { findLinkTokenByHash } from '../links/links.repo.ts';
import { linkState } from '../links/links.service.ts';
import { timeline } from '../people/timeline.service.ts';
import { addressHash, getSuppressionSalt } from '../privacy/instance-keys.repo.ts';
import * as repo from './unsubscribe.repo.ts';

/**
 * Unsubscribing through a mail's link (`/u/:token`, RFC 8058 one-click as well): the choice is
 * "this purpose from this unit" (`unit_purpose`) or "everything" (`all`). It is written as a hashed
 * suppression (unsubscribe.repo.ts), so it survives erasure and re-imports; a newsletter
 * unsubscribe also withdraws the newsletter consent (consents.service revokeConsent). Doing it
 * twice changes nothing and answers the same.
 */

/** `m…@example.org`: enough to recognise one's address, nothing for anyone else. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '…';
  return `${email[0]}…${email.slice(at)}`;
}

async function resolve(db: Db, token: string) {
  const link = await findLinkTokenByHash(db, hashToken(token));
  if (link?.purpose !== 'unsubscribe') throw new AppError('not_found', 'Not found.');
  const target = await repo.findUnsubscribeTarget(db, link.subjectId);
  // The recipient row is gone (the person was erased, their addresses suppressed): nothing to show.
  if (!target) throw new AppError('not_found', 'Not found.');
  const hash = addressHash(await getSuppressionSalt(db), target.email);
  const existing = await repo.findUnsubscribes(db, hash);
  const scope: UnsubscribeScope | null = existing.some((s) => s.orgId === null && s.purpose === null)
    ? 'all'
    : existing.some((s) => s.orgId === target.orgId && s.purpose === target.purpose)
      ? 'unit_purpose'
      : null;
  return { link, target, hash, scope };
}

/** `GET /api/public/unsubscribe/:token`: what the page shows (404 for an unknown link). */
export async function describeUnsubscribe(ctx: BaseCtx, token: string): Promise<UnsubscribeInfo> {
  const { link, target, scope } = await resolve(ctx.db, token);
  return {
    state: linkState(link),
    orgName: target.orgName,
    purpose: target.purpose,
    maskedEmail: maskEmail(target.email),
    alreadyUnsubscribed: scope !== null,
    scope,
  };
}

/**
 * `POST /api/public/unsubscribe/:token {scope}` and the one-click `POST /u/:token` (scope
 * `unit_purpose`). A link that no longer works (revoked, expired) is 410 `token_invalid`.
 */
export async function unsubscribe(
  ctx: BaseCtx,
  token: string,
  scope: UnsubscribeScope,
  via: 'page' | 'one_click',
): Promise<UnsubscribeResult> {
  return ctx.db.transaction().execute(async (db) => {
    const { link, target, hash } = await resolve(db, token);
    const state = linkState(link);
    if (state !== 'valid' && state !== 'used_up')
      throw new AppError('token_invalid', 'This unsubscribe link no longer works.');
    const changed =
      (await repo.insertSuppressions(db, [
        {
          addressHash: hash,
          orgId: scope === 'all' ? null : target.orgId,
          purpose: scope === 'all' ? null : target.purpose,
          reason: 'unsubscribed',
        },
      ])) > 0;
    if (target.personId) {
      // The newsletter consent ends with the unsubscribe: of this unit, or every unit's for "everything".
      if (target.purpose === 'newsletter' || scope === 'all') {
        await revokeConsent(
          { ...ctx, db, actor: null },
          {
            personId: target.personId,
            channel: 'newsletter',
            purpose: 'newsletter',
            ...(scope === 'all' ? {} : { orgIds: [target.orgId] }),
            source: 'unsubscribe',
            sourceRef: target.mailingId,
            proof: { via, mailingId: target.mailingId },
          },
        );
      }
      if (changed) {
        await timeline.add({ db }, target.personId, 'mail.unsubscribed', {
          mailingId: target.mailingId,
          orgId: target.orgId,
          purpose: target.purpose,
          scope,
          via,
        });
        await audit.record(
          { ...ctx, db, actor: null },
          'mail.unsubscribed',
          { type: 'person', id: target.personId, orgId: target.orgId },
          { mailingId: target.mailingId, scope, via },
        );
      }
    }
    return { scope, changed, orgName: target.orgName, purpose: target.purpose };
  });
}
