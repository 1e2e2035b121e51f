import type { JobModule, NoPayload } from '../jobs/queue.ts';
import { IMPORT_RETENTION_JOB } from './imports.privacy.ts';
import { deleteExpiredImportDetails, deleteStaleUploads } from './imports.service.ts';
import { runPendingImports } from './run-import.ts';

export const IMPORT_RUN_JOB = 'import-run';
export const IMPORT_STALE_CLEANUP_JOB = 'import-stale-cleanup';

declare module '../jobs/jobs.ts' {
  interface JobPayloads {
    /** Sent with the key `import:<id>` when an import starts; the schedule sends it without one. */
    'import-run': { importId?: string };
    'import-stale-cleanup': NoPayload;
    'import-retention': NoPayload;
  }
}

export const importJobs = {
  /**
   * Runs started imports (claimed with a lease, so two runs never work on the same import); the
   * minutely run resumes imports of an instance that crashed. Without a queue (tests, CLI) a started
   * import waits for that run.
   */
  [IMPORT_RUN_JOB]: {
    schedule: { cron: '* * * * *', payload: {} },
    run: (_payload, ctx) => runPendingImports(ctx),
  },
  /** Daily: uploads nobody started for STALE_UPLOAD_DAYS are deleted with their stored files. */
  [IMPORT_STALE_CLEANUP_JOB]: {
    schedule: { cron: '23 3 * * *', payload: {} },
    run: async (_payload, ctx) => {
      const deleted = await deleteStaleUploads(ctx.db);
      if (deleted) ctx.log.info({ deleted }, 'deleted stale import uploads');
    },
  },
  /**
   * Daily: the problems of skipped rows of imports that finished IMPORT_ERRORS_RETENTION_DAYS ago
   * (imports.privacy.ts).
   */
  [IMPORT_RETENTION_JOB]: {
    schedule: { cron: '29 3 * * *', payload: {} },
    run: async (_payload, ctx) => {
      const cleaned = await deleteExpiredImportDetails(ctx.db);
      if (cleaned) ctx.log.info({ cleaned }, 'deleted row problems of finished imports (retention)');
    },
  },
} satisfies JobModule;
