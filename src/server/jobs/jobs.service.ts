import { audit } from '../audit/audit.service.ts';
import { requireSuperadmin } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import { AppError, notFound } from '../errors.ts';

/** Failed jobs after their last retry, oldest first (instance administrators only). */
export async function listFailedJobs(ctx: Ctx, limit: number, cursor?: string) {
  requireSuperadmin(ctx);
  let rows: Awaited<ReturnType<Ctx['jobs']['listFailed']>>;
  try {
    rows = await ctx.jobs.listFailed(limit + 1, cursor);
  } catch (err) {
    // pg-boss refuses an `after` job that no longer exists (retried or expired meanwhile).
    if (cursor)
      throw new AppError('validation_failed', 'Invalid cursor.', [{ path: 'query.cursor', message: 'gone' }]);
    throw err;
  }
  const items = rows.slice(0, limit);
  return {
    items: items.map((j) => ({
      ...j,
      queuedAt: j.queuedAt.toISOString(),
      failedAt: j.failedAt.toISOString(),
    })),
    nextCursor: rows.length > limit ? items[items.length - 1].id : null,
  };
}

/** Puts a dead-lettered job back into its queue (with fresh retries). */
export async function retryFailedJob(ctx: Ctx, id: string) {
  requireSuperadmin(ctx);
  if (!(await ctx.jobs.retryFailed(id))) throw notFound();
  await audit.record(ctx, 'jobs.failed_retried', { type: 'job', id });
  return { ok: true as const };
}
