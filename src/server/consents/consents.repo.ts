import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export interface ConsentRequest {
  personId: string;
  channel: 'newsletter' | 'email' | 'phone' | 'sms' | 'post';
  purpose: string;
  orgId: string | null;
  source: 'call' | 'form' | 'import' | 'manual';
  sourceRef: string | null;
  recordedBy: string | null;
  textVersion?: string | null;
  proof?: Record<string, unknown>;
}

/**
 * A pending consent (double opt-in still to come), unless the person already has one for this
 * channel and purpose that is pending or granted; a revoked one is asked again. True when recorded.
 */
export async function insertPendingConsent(db: Db, c: ConsentRequest): Promise<boolean> {
  const res = await sql`
    insert into consents (person_id, channel, purpose, org_id, status, source, source_ref, recorded_by,
                          text_version, proof)
    values (${c.personId}::uuid, ${c.channel}, ${c.purpose}, ${c.orgId}::uuid, 'pending', ${c.source},
            ${c.sourceRef}, ${c.recordedBy}::uuid, ${c.textVersion ?? null}, ${JSON.stringify(c.proof ?? {})}::jsonb)
    on conflict (person_id, channel, purpose) do update
      set status = 'pending', source = excluded.source, source_ref = excluded.source_ref,
          recorded_by = excluded.recorded_by, org_id = excluded.org_id,
          text_version = excluded.text_version, proof = excluded.proof,
          revoked_at = null, updated_at = now()
      where consents.status = 'revoked'`.execute(db);
  return Number(res.numAffectedRows ?? 0) > 0;
}

export function findConsentsOfPerson(db: Db, personId: string) {
  return db
    .selectFrom('consents')
    .selectAll()
    .where('personId', '=', personId)
    .orderBy('createdAt')
    .execute();
}
