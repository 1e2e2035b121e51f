/**
 * The calls domain's SQL, split along its seams; `import * as repo from './calls.repo.ts'` sees all.
 * - call-assignments.repo.ts: assignments, callers, campaign assignments
 * - call-queue.repo.ts: claims, locks, materialised targets, the target person, "log a call"
 * - call-records.repo.ts: call records, queue state after an outcome, progress, organizer views
 * - call-aggregates.repo.ts: the evaluation aggregates (rebuild, snapshot)
 */

export * from './call-aggregates.repo.ts';
export * from './call-assignments.repo.ts';
export * from './call-queue.repo.ts';
export * from './call-records.repo.ts';
