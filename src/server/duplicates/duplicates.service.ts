import type { z } from 'zod';
import type {
  DuplicateCandidate,
  DuplicateListQuery,
  DuplicateReason,
  DuplicateScanView,
  PersonSummary,
} from '../../shared/duplicates.ts';
import { audit } from '../audit/audit.service.ts';
import { requireOrgPermission } from '../auth/scope.ts';
import type { Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import { CURSORS, decodeCursor, pageOf } from '../pagination.ts';
import * as peopleRepo from '../people/people.repo.ts';
import { requirePerson } from '../people/people.service.ts';
import * as repo from './duplicates.repo.ts';

/** Scans the subtree of a unit in one transaction; returns the number of candidate pairs found. */
export function scanDuplicates(db: Db, rootOrgId: string): Promise<number> {
  return db.transaction().execute((trx) => repo.scanSubtree(trx, rootOrgId));
}

/** Runs queued scan requests until none is left (the job's body). */
export async function runQueuedScans(db: Db): Promise<number> {
  await repo.requeueStaleScans(db);
  let done = 0;
  for (;;) {
    const scan = await repo.claimQueuedScan(db);
    if (!scan) return done;
    try {
      const pairs = await scanDuplicates(db, scan.orgId);
      await repo.finishScan(db, scan.id, { pairs });
    } catch (err) {
      await repo.finishScan(db, scan.id, { error: (err as Error).message ?? String(err) });
    }
    done++;
  }
}

/** Nightly: queues a scan of every top unit (the whole instance) and runs it. */
export async function scanEverything(db: Db): Promise<void> {
  for (const root of await repo.findRootOrgIds(db)) {
    if (!(await repo.findQueuedScan(db, root.id)))
      await repo.insertScan(db, { orgId: root.id, requestedBy: null });
  }
  await runQueuedScans(db);
}

function toScanView(s: NonNullable<Awaited<ReturnType<typeof repo.findLatestScan>>>): DuplicateScanView {
  return {
    id: s.id,
    orgId: s.orgId,
    status: s.status,
    pairs: s.pairs,
    createdAt: s.createdAt.toISOString(),
    startedAt: s.startedAt?.toISOString() ?? null,
    finishedAt: s.finishedAt?.toISOString() ?? null,
  };
}

/** Queues a scan of the unit's subtree (or returns the one already waiting). */
export async function requestScan(ctx: Ctx, orgId: string): Promise<DuplicateScanView> {
  await requireOrgPermission(ctx, orgId, 'people:write');
  const scan =
    (await repo.findQueuedScan(ctx.db, orgId)) ??
    (await repo.insertScan(ctx.db, { orgId, requestedBy: ctx.actor.userId }));
  await audit.record(ctx, 'duplicates.scan_requested', { type: 'org', id: orgId, orgId });
  // With a queue a worker scans soon; without one (tests, CLI) the job runs here and we answer with its result.
  const sent = await ctx.jobs.send('duplicates-scan', { orgId }, { key: `org:${orgId}` });
  return toScanView(sent.ranInline ? await repo.findScan(ctx.db, scan.id) : scan);
}

export async function latestScan(ctx: Ctx, orgId: string): Promise<{ scan: DuplicateScanView | null }> {
  await requireOrgPermission(ctx, orgId, 'people:read');
  const scan = await repo.findLatestScan(ctx.db, orgId);
  return { scan: scan ? toScanView(scan) : null };
}

/** Loads the side-by-side summaries of the given people. */
async function summaries(db: Db, ids: string[]): Promise<Map<string, PersonSummary>> {
  const [people, emails, phones, tags] = await Promise.all([
    peopleRepo.findPeople(db, ids),
    peopleRepo.findEmails(db, ids),
    peopleRepo.findPhones(db, ids),
    peopleRepo.findTagsOfPeople(db, ids),
  ]);
  const result = new Map<string, PersonSummary>();
  for (const p of people) {
    result.set(p.id, {
      ...p,
      createdAt: p.createdAt.toISOString(),
      emails: emails
        .filter((e) => e.personId === p.id)
        .map((e) => ({ email: e.email, isPrimary: e.isPrimary })),
      phones: phones
        .filter((x) => x.personId === p.id)
        .map((x) => ({ raw: x.raw, e164: x.e164, isPrimary: x.isPrimary })),
      tags: tags.filter((t) => t.personId === p.id).map((t) => ({ id: t.id, name: t.name, color: t.color })),
    });
  }
  return result;
}

/** Candidate pairs of a unit's subtree: both people must lie in it. */
export async function listCandidates(ctx: Ctx, q: z.infer<typeof DuplicateListQuery>) {
  await requireOrgPermission(ctx, q.orgId, 'people:read');
  const after = decodeCursor(q.cursor, CURSORS.scoreId);
  const rows = await repo.listCandidates(ctx.db, {
    rootOrgId: q.orgId,
    status: q.status,
    after: after ? { score: Number(after[0]), id: String(after[1]) } : undefined,
    limit: q.limit,
  });
  const { items, nextCursor } = pageOf(rows, q.limit, (r) => [r.score, r.id]);
  const people = await summaries(ctx.db, [...new Set(items.flatMap((r) => [r.personA, r.personB]))]);
  return {
    items: items.map(
      (r): DuplicateCandidate => ({
        id: r.id,
        score: r.score,
        reasons: r.reasons as DuplicateReason[],
        status: r.status,
        scannedAt: r.scannedAt.toISOString(),
        a: people.get(r.personA)!,
        b: people.get(r.personB)!,
      }),
    ),
    nextCursor,
  };
}

/** "Not the same person": the pair stays dismissed through later scans. */
export async function dismissCandidate(ctx: Ctx, id: string) {
  const candidate = await repo.findCandidate(ctx.db, id);
  if (!candidate) throw new AppError('not_found', 'Duplicate candidate not found.');
  const a = await requirePerson(ctx, candidate.personA, 'people:read');
  const b = await requirePerson(ctx, candidate.personB, 'people:read');
  // Both must be the people of the pair (not followed redirects) and writable by the actor.
  if (a.id !== candidate.personA || b.id !== candidate.personB) {
    throw new AppError('not_found', 'Duplicate candidate not found.');
  }
  await requirePerson(ctx, a.id, 'people:write');
  await requirePerson(ctx, b.id, 'people:write');
  if (candidate.status === 'merged') throw new AppError('conflict', 'These people were merged already.');
  await ctx.db.transaction().execute(async (trx) => {
    await repo.setCandidateStatus(trx, id, 'dismissed', ctx.actor.userId);
    await audit.record(
      { ...ctx, db: trx },
      'duplicates.dismissed',
      { type: 'duplicate_candidate', id, orgId: a.orgId },
      { personIds: [a.id, b.id] },
    );
  });
  return { id, status: 'dismissed' as const };
}
