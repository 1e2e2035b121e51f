import type { Db } from '../db/database.ts';
import * as repo from './calls.repo.ts';

/**
 * Recounts the campaign evaluation aggregates from the calls (`npm run draht -- aggregates
 * rebuild`): after a restore, a bulk load with the triggers off, or to prove them right. Writers
 * of calls wait while it runs; readers do not. Returns the rows it wrote.
 */
export async function rebuildCallAggregates(db: Db, assignmentIds?: string[]) {
  await repo.rebuildCallAggregates(db, assignmentIds);
  const s = await repo.snapshotCallAggregates(db);
  return { counts: s.counts.length, people: s.people.length, answers: s.answers.length };
}
