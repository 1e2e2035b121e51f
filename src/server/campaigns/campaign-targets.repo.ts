import { type Expression, type SqlBool, sql } from 'kysely';
import { TARGET_CATEGORIES, type TargetCategoryCounts, targetTotals } from '../../shared/calls.ts';
import { categoryCounts, targetCategory, targetMembership } from '../calls/calls.repo.ts';
import type { Db } from '../db/database.ts';

/**
 * Target figures of a campaign: computed per unit by one statement over its people (the job
 * `campaign-targets-refresh`), stored in `campaign_target_counts`, summed per region when the
 * dashboard asks (ARCHITECTURE "Evaluation aggregates").
 */

export type TargetUnitCounts = TargetCategoryCounts & { attempted: number; reached: number };

/**
 * Target figures of a whole campaign in one statement, per unit the people live in: the people of
 * the region who match the campaign's target (or were called in it) and live in a call centre's
 * (or an assignment's) subtree, with their queue state summed over the campaign's assignments (a
 * person belongs to one call centre). The categories are an assignment's (`targetCategory`), with
 * "reached in any of the campaign's assignments" as the goal.
 */
export async function countCampaignTargetsByUnit(
  db: Db,
  o: { campaignId: string; orgId: string; target: Expression<SqlBool> },
) {
  const member = targetMembership(o.target, sql`coalesce(q.attempts, 0)`);
  const res = await sql<TargetUnitCounts & { orgId: string }>`
    with units as (
      select org_id from call_centres where campaign_id = ${o.campaignId}::uuid
      union select org_id from call_assignments where campaign_id = ${o.campaignId}::uuid
    ), queue as (
      select t.person_id, sum(t.attempts)::int as attempts, bool_or(t.done) as done,
             bool_or(t.reached) as reached, bool_or(t.call_back_at is not null) as call_back,
             min(a.max_attempts) as max_attempts
      from call_targets t join call_assignments a on a.id = t.assignment_id
      where a.campaign_id = ${o.campaignId}::uuid
      group by t.person_id
    ), s as (
      select p.org_id, coalesce(q.attempts, 0) as attempts, coalesce(q.done, false) as done_here,
             coalesce(q.reached, false) as reached, coalesce(q.reached, false) as goal_met,
             false as reached_elsewhere, coalesce(q.call_back, false) as call_back,
             ${member.inList} as in_list, q.max_attempts, p.do_not_call,
             exists (select 1 from person_phones ph where ph.person_id = p.id and ph.status = 'valid') as has_phone
      from people p
      left join queue q on q.person_id = p.id
      where p.org_id in (select descendant_id from org_tree where ancestor_id = ${o.orgId}::uuid)
        and p.org_id in (select t.descendant_id from org_tree t join units u on u.org_id = t.ancestor_id)
        and ${member.where}
    ), c as (
      select *, ${targetCategory} as category from s
    )
    select org_id as "orgId", ${categoryCounts},
           (count(*) filter (where attempts > 0))::int as attempted,
           (count(*) filter (where reached))::int as reached
    from c group by org_id`.execute(db);
  return res.rows;
}

export function findTargetSnapshot(db: Db, campaignId: string) {
  return db
    .selectFrom('campaignTargetSnapshots')
    .select('computedAt')
    .where('campaignId', '=', campaignId)
    .executeTakeFirst();
}

/**
 * Stores the figures computed from `computedAt` on, unless a newer computation is stored already
 * (two refreshes at once: the snapshot row serialises them, the later start wins).
 */
export async function storeTargetSnapshot(
  db: Db,
  campaignId: string,
  computedAt: Date,
  rows: (TargetUnitCounts & { orgId: string })[],
) {
  await db.transaction().execute(async (trx) => {
    const won = await sql<{ campaignId: string }>`
      insert into campaign_target_snapshots (campaign_id, computed_at) values (${campaignId}::uuid, ${computedAt})
      on conflict (campaign_id) do update set computed_at = excluded.computed_at
        where campaign_target_snapshots.computed_at < excluded.computed_at
      returning campaign_id as "campaignId"`.execute(trx);
    if (!won.rows.length) return;
    // Updated in place (counts has no index: the new version stays on its page); units gone go.
    let gone = trx.deleteFrom('campaignTargetCounts').where('campaignId', '=', campaignId);
    if (rows.length)
      gone = gone.where(
        'orgId',
        'not in',
        rows.map((r) => r.orgId),
      );
    await gone.execute();
    if (rows.length)
      await trx
        .insertInto('campaignTargetCounts')
        .values(rows.map(({ orgId, ...counts }) => ({ campaignId, orgId, counts: JSON.stringify(counts) })))
        .onConflict((oc) =>
          oc
            .columns(['campaignId', 'orgId'])
            .doUpdateSet({ counts: sql`excluded.counts` })
            .where(sql<SqlBool>`campaign_target_counts.counts is distinct from excluded.counts`),
        )
        .execute();
  });
}

/** The stored figures of the people living in `orgId`'s subtree, summed. */
export async function sumTargetSnapshot(db: Db, campaignId: string, orgId: string) {
  const rows = await db
    .selectFrom('campaignTargetCounts')
    .select('counts')
    .where('campaignId', '=', campaignId)
    .where('orgId', 'in', (eb) =>
      eb.selectFrom('orgTree').select('descendantId').where('ancestorId', '=', orgId),
    )
    .execute();
  const sum = Object.fromEntries(
    [...TARGET_CATEGORIES, 'attempted', 'reached'].map((k) => [k, 0]),
  ) as TargetUnitCounts;
  for (const r of rows)
    for (const k of Object.keys(sum) as (keyof TargetUnitCounts)[]) sum[k] += r.counts[k] ?? 0;
  return { ...sum, ...targetTotals(sum) };
}

/** Open campaigns (their target figures are refreshed every minute). */
export async function findOpenCampaignIds(db: Db) {
  const rows = await db.selectFrom('campaigns').select('id').where('status', '=', 'open').execute();
  return rows.map((r) => r.id);
}

/** Forgets the stored figures (the target, rules or call centres changed): the next read recounts. */
export async function deleteTargetSnapshot(db: Db, campaignId: string) {
  await db.deleteFrom('campaignTargetSnapshots').where('campaignId', '=', campaignId).execute();
}
