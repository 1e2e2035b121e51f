import type { JobModule } from '../jobs/queue.ts';
import {
  CAMPAIGN_TARGETS_JOB,
  refreshCampaignTargets,
  refreshOpenCampaignTargets,
} from './campaign-targets.service.ts';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    /** One campaign (after outcomes), or every open one (the schedule). */
    'campaign-targets-refresh': { campaignId?: string };
  }
}

export const campaignsJobs = {
  /**
   * Target figures of the dashboard (campaign-targets.service.ts): a few seconds after outcomes
   * (keyed per campaign, so a burst of outcomes is one recount) and every minute for open
   * campaigns. Inline without a queue, so tests and the CLI see figures at once.
   */
  [CAMPAIGN_TARGETS_JOB]: {
    schedule: { cron: '* * * * *', payload: {} },
    inline: true,
    run: (payload, ctx) =>
      payload.campaignId
        ? refreshCampaignTargets(ctx.db, payload.campaignId)
        : refreshOpenCampaignTargets(ctx.db),
  },
} satisfies JobModule;
