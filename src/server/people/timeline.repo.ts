import type { Db } from '../db/database.ts';

export function insertTimelineEvent(
  db: Db,
  row: { personId: string; kind: string; actorUserId: string | null; data: Record<string, unknown> },
) {
  return db
    .insertInto('timelineEvents')
    .values({ ...row, data: JSON.stringify(row.data) })
    .execute();
}
/** Many timeline entries in one insert (a mailing worker's batch). */
export function insertTimelineEvents(
  db: Db,
  rows: { personId: string; kind: string; actorUserId: string | null; data: Record<string, unknown> }[],
) {
  if (!rows.length) return Promise.resolve();
  return db
    .insertInto('timelineEvents')
    .values(rows.map((row) => ({ ...row, data: JSON.stringify(row.data) })))
    .execute();
}

export function findTimeline(db: Db, personId: string, limit: number, before?: { at: string; id: string }) {
  let q = db
    .selectFrom('timelineEvents as e')
    .leftJoin('users as u', 'u.id', 'e.actorUserId')
    .select(['e.id', 'e.at', 'e.kind', 'e.data', 'u.name as actorName'])
    .select((eb) => eb.cast<string>('e.at', 'text').as('atKey'))
    .where('e.personId', '=', personId);
  if (before) {
    q = q.where((eb) =>
      eb.or([
        eb('e.at', '<', eb.cast<Date>(eb.val(before.at), 'timestamptz')),
        eb.and([
          eb('e.at', '=', eb.cast<Date>(eb.val(before.at), 'timestamptz')),
          eb('e.id', '<', before.id),
        ]),
      ]),
    );
  }
  return q
    .orderBy('e.at', 'desc')
    .orderBy('e.id', 'desc')
    .limit(limit + 1)
    .execute();
}

export function insertChange(
  db: Db,
  change: {
    personId: string;
    orgId: string;
    kind: 'created' | 'updated' | 'departed' | 'moved';
    fields: string[];
    source: string;
  },
) {
  return db.insertInto('personChanges').values(change).execute();
}
