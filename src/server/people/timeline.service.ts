import type { Db } from '../db/database.ts';
import { insertChange, insertTimelineEvent, insertTimelineEvents } from './timeline.repo.ts';

/**
 * The person's timeline: every module records what happened with one call,
 * `timeline.add(ctx, personId, 'call.reached', {...})`. Data holds ids and short facts, not copies
 * of personal data.
 */
export const timeline = {
  add(
    ctx: { db: Db; actor?: { userId: string } | null },
    personId: string,
    kind: string,
    data: Record<string, unknown> = {},
  ) {
    return insertTimelineEvent(ctx.db, { personId, kind, actorUserId: ctx.actor?.userId ?? null, data });
  },
  /** Many entries at once, in one insert (background work over batches, e.g. a mailing's delivery). */
  addMany(
    ctx: { db: Db; actor?: { userId: string } | null },
    entries: { personId: string; kind: string; data?: Record<string, unknown> }[],
  ) {
    return insertTimelineEvents(
      ctx.db,
      entries.map((e) => ({
        personId: e.personId,
        kind: e.kind,
        actorUserId: ctx.actor?.userId ?? null,
        data: e.data ?? {},
      })),
    );
  },
};

/** A change event for data-change mails: created, updated (fields), departed, moved. */
export function recordChange(
  db: Db,
  change: {
    personId: string;
    orgId: string;
    kind: 'created' | 'updated' | 'departed' | 'moved';
    fields?: string[];
    source: string;
  },
) {
  return insertChange(db, { ...change, fields: change.fields ?? [] });
}
