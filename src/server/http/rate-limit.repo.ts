import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Counts one request for `key` in its window (a new window starts when the old one ran out) and
 * answers the count so far and the milliseconds until the window resets. One statement: two
 * instances counting at once both see every request.
 */
export async function countRequest(db: Db, key: string, windowMs: number) {
  const { rows } = await sql<{ count: number; ttlMs: number }>`
    insert into rate_limit_counters as c (key, count, resets_at)
    values (${key}, 1, now() + ${windowMs} * interval '1 millisecond')
    on conflict (key) do update set
      count = case when c.resets_at <= now() then 1 else c.count + 1 end,
      resets_at = case when c.resets_at <= now() then excluded.resets_at else c.resets_at end
    returning count, greatest(0, ceil(extract(epoch from (resets_at - now())) * 1000))::integer as ttl_ms`.execute(
    db,
  );
  return { current: Number(rows[0].count), ttl: Number(rows[0].ttlMs) };
}

/** The count of `key` without counting (0 when its window ran out). */
export async function readRequestCount(db: Db, key: string) {
  const { rows } = await sql<{ count: number; ttlMs: number }>`
    select count, greatest(0, ceil(extract(epoch from (resets_at - now())) * 1000))::integer as ttl_ms
    from rate_limit_counters where key = ${key} and resets_at > now()`.execute(db);
  return rows[0] ? { current: Number(rows[0].count), ttl: Number(rows[0].ttlMs) } : { current: 0, ttl: 0 };
}

/** Housekeeping: windows that ran out. */
export function deleteExpiredCounters(db: Db) {
  return db.deleteFrom('rateLimitCounters').where('resetsAt', '<', new Date()).execute();
}
