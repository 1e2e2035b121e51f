import type { DigestCounts, DigestFrequency } from '../../shared/changes.ts';
import type { BaseCtx } from '../context.ts';
import * as repo from './changes.repo.ts';
import { digestRecipients } from './changes.service.ts';

/**
 * Changes younger than this are left for the next run: a change's `at` is its transaction's start,
 * so a transaction that began before a run and commits just after it is still reported once.
 */
export const DIGEST_SETTLE_MS = 60_000;
/** Immediate digests wait until the unit has been quiet this long (an import is one mail) … */
export const IMMEDIATE_QUIET_MS = 5 * 60_000;
/** … but no longer than this after the first unreported change. */
export const IMMEDIATE_MAX_WAIT_MS = 60 * 60_000;
/** The first digest of a unit covers at most this much (nothing reported before). */
const FIRST_WINDOW_MS: Record<DigestFrequency, number> = {
  off: 0,
  immediate: 86_400_000,
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
};

export function digestCounts(c: repo.ChangeCounts): DigestCounts {
  return {
    created: c.byKind.created ?? 0,
    movedIn: c.byKind.moved_in ?? 0,
    movedOut: c.byKind.moved_out ?? 0,
    movedWithin: c.byKind.moved_within ?? 0,
    departed: c.byKind.departed ?? 0,
    contactChanged: c.contactChanged,
  };
}

const total = (d: DigestCounts) => Object.values(d).reduce((a, b) => a + b, 0);

/**
 * One digest run for every unit of the frequency: each unit's responsible persons get one mail with
 * the counts of its subtree since the last digest (never names) and a link to the change list.
 * Per unit one transaction holds the claimed state row, the mails and the new `last_digest_until`:
 * a retry or a second instance reports nothing twice, a crash loses nothing.
 */
export async function runChangeDigests(
  ctx: BaseCtx,
  frequency: Exclude<DigestFrequency, 'off'>,
  now = new Date(),
) {
  const until = new Date(now.getTime() - DIGEST_SETTLE_MS);
  let mails = 0;
  for (const orgId of await repo.findDigestUnits(ctx.db, frequency)) {
    mails += await ctx.db.transaction().execute(async (trx) => {
      const state = await repo.claimDigestRow(trx, orgId);
      if (!state || state.frequency !== frequency) return 0;
      const from = state.lastDigestUntil
        ? new Date(state.lastDigestUntil)
        : new Date(until.getTime() - FIRST_WINDOW_MS[frequency]);
      if (from >= until) return 0;
      // Immediate: is the unit quiet? Judged on everything up to now, the settle minute included.
      const immediate = frequency === 'immediate';
      let counts = await repo.countChanges(trx, orgId, from, immediate ? now : until);
      if (immediate && counts.lastAt) {
        const busy = counts.lastAt.getTime() > now.getTime() - IMMEDIATE_QUIET_MS;
        if (busy && counts.firstAt!.getTime() > now.getTime() - IMMEDIATE_MAX_WAIT_MS) return 0;
        if (counts.lastAt >= until) counts = await repo.countChanges(trx, orgId, from, until);
      }
      const d = digestCounts(counts);
      const { recipients } = total(d) ? await digestRecipients(trx, orgId) : { recipients: [] };
      const orgName = recipients.length ? ((await repo.findOrgName(trx, orgId)) ?? '') : '';
      const link = `${ctx.config.publicUrl}/orgs/${orgId}/changes?from=${encodeURIComponent(
        from.toISOString(),
      )}&to=${encodeURIComponent(until.toISOString())}`;
      for (const r of recipients) {
        await ctx.mail.send(trx, {
          to: r.email,
          locale: r.locale,
          template: 'changeDigest',
          vars: { orgName, link, ...d },
        });
      }
      await repo.markDigested(trx, orgId, until, recipients.length > 0);
      return recipients.length;
    });
  }
  return mails;
}
