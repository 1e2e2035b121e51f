import { authJobs } from './auth/auth.jobs.ts';
import { callsJobs } from './calls/calls.jobs.ts';
import { campaignsJobs } from './campaigns/campaigns.jobs.ts';
import { changesJobs } from './changes/changes.jobs.ts';
import { duplicatesJobs } from './duplicates/duplicates.jobs.ts';
import { importJobs } from './imports/imports.jobs.ts';
import { createJobLayer, type JobLayer, type JobModule } from './jobs/queue.ts';
import { mailJobs } from './mail/mail.jobs.ts';
import { mailDeliveryJobs } from './mail/mail-delivery.jobs.ts';
import { mailingsJobs } from './mail/mailings.jobs.ts';

/** Every domain's jobs (`<domain>.jobs.ts`), composed at the app root; a new module adds one line. */
export const JOB_MODULES: JobModule[] = [
  authJobs,
  mailJobs,
  duplicatesJobs,
  callsJobs,
  campaignsJobs,
  importJobs,
  changesJobs,
  mailingsJobs,
  mailDeliveryJobs,
];

/** The job layer of the app: inline until `start` (tests, CLI), pg-boss after it. */
export function createAppJobs(): JobLayer {
  return createJobLayer(JOB_MODULES);
}
