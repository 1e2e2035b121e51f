import type { BaseCtx } from '../context.ts';
import type { JobDefinition } from '../jobs/queue.ts';
import { IMPORT_RETENTION_JOB } from './imports.privacy.ts';
import { deleteExpiredImportDetails, deleteStaleUploads } from './imports.service.ts';
import { runPendingImports } from './run-import.ts';

export const IMPORT_RUN_JOB = 'import-run';

let wake: (() => void) | undefined;

/**
 * The process's job queue registers here (runtime.ts), so starting an import queues the job at
 * once, like mail's onQueued hook. Without a queue (tests, CLI) nothing happens and the minutely
 * run picks the import up.
 */
export function onImportStarted(fn: (() => void) | undefined) {
  wake = fn;
}

export function importStarted() {
  wake?.();
}

/**
 * Runs started imports; the minutely run resumes imports of an instance that crashed. Daily,
 * uploads nobody started for STALE_UPLOAD_DAYS are deleted with their stored files, and the
 * problems of skipped rows of imports that finished IMPORT_ERRORS_RETENTION_DAYS ago (imports.privacy.ts).
 */
export function importJobs(ctx: BaseCtx): JobDefinition[] {
  return [
    {
      name: IMPORT_RUN_JOB,
      cron: '* * * * *',
      run: () => runPendingImports(ctx),
    },
    {
      name: 'import-stale-cleanup',
      cron: '23 3 * * *',
      run: async () => {
        const deleted = await deleteStaleUploads(ctx.db);
        if (deleted) ctx.log.info({ deleted }, 'deleted stale import uploads');
      },
    },
    {
      name: IMPORT_RETENTION_JOB,
      cron: '29 3 * * *',
      run: async () => {
        const cleaned = await deleteExpiredImportDetails(ctx.db);
        if (cleaned) ctx.log.info({ cleaned }, 'deleted row problems of finished imports (retention)');
      },
    },
  ];
}
