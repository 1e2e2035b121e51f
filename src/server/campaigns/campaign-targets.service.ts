import type { FilterNode } from '../../shared/queries.ts';
import { compileFilterIn } from '../calls/call-assignments.service.ts';
import type { BaseCtx } from '../context.ts';
import type { Db } from '../db/database.ts';
import * as targets from './campaign-targets.repo.ts';
import { findCampaign } from './campaigns.repo.ts';

/**
 * Target figures of a whole campaign (targets, attempted, reached, remaining, no valid phone,
 * do-not-call) per unit: one statement over the campaign's people, stored, and summed per region
 * on every dashboard read (ARCHITECTURE "Evaluation aggregates"). The job
 * `campaign-targets-refresh` recounts a campaign a few seconds after outcomes and every open
 * campaign every minute (people who joined or changed meanwhile); a change of the campaign's
 * target, rules or call centres drops the stored figures, so the next read recounts at once.
 */

export const CAMPAIGN_TARGETS_JOB = 'campaign-targets-refresh';
/** Seconds after an outcome before the recount: outcomes in between are counted by the same run. */
export const REFRESH_DELAY_SECONDS = 5;

/** Recounts the campaign's target figures and stores them. */
export async function refreshCampaignTargets(db: Db, campaignId: string) {
  const campaign = await findCampaign(db, campaignId);
  if (!campaign) return;
  const computedAt = new Date();
  const rows = await targets.countCampaignTargetsByUnit(db, {
    campaignId,
    orgId: campaign.orgId,
    target: await compileFilterIn(db, campaign.orgId, campaign.targetFilter as FilterNode),
  });
  await targets.storeTargetSnapshot(db, campaignId, computedAt, rows);
}

/** Recounts every open campaign (the minutely schedule). */
export async function refreshOpenCampaignTargets(db: Db) {
  for (const id of await targets.findOpenCampaignIds(db)) await refreshCampaignTargets(db, id);
}

/** The target figures of the people in `orgId`'s subtree (counted now if none are stored). */
export async function campaignTargetFigures(db: Db, campaignId: string, orgId: string) {
  if (!(await targets.findTargetSnapshot(db, campaignId))) await refreshCampaignTargets(db, campaignId);
  return targets.sumTargetSnapshot(db, campaignId, orgId);
}

/** After an outcome in one of the campaign's assignments: recount in a few seconds. */
export async function campaignTargetsChanged(ctx: BaseCtx, campaignId: string) {
  await ctx.jobs.send(
    CAMPAIGN_TARGETS_JOB,
    { campaignId },
    { key: `campaign:${campaignId}`, startAfter: REFRESH_DELAY_SECONDS },
  );
}
