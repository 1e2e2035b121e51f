import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { ConsentFilter } from '../../shared/consents.ts';
import { defineFilterKind, filterError } from '../queries/filter-kind.ts';
import { isInLineWith } from './consents.repo.ts';

/**
 * Smart-search filter over consents (registered in src/server/filter-kinds.ts). The newsletter
 * consent "for a unit" is any consent row of that unit or a unit above it — exactly what lets the
 * unit's newsletter reach the person (the mailer's reach counts the same way). The four statuses
 * partition everyone: granted (one granted), pending (none granted, one awaiting confirmation),
 * revoked (only revoked ones), none (never asked). EXISTS subqueries on the consents key index.
 */
export const consentFilter = defineFilterKind({
  kind: 'consent',
  module: 'consents',
  schema: ConsentFilter,
  description:
    "Newsletter consent for a unit (default the query's unit; a consent of that unit or one above it counts): granted, pending (awaiting the double opt-in), revoked, or none.",
  async prepare(f, p) {
    if (f.orgId && !(await isInLineWith(p.db, f.orgId, p.orgId)))
      throw filterError(p.path, f, `unit ${f.orgId} is not available in this unit`);
  },
  compile: (f, c) => {
    const unit = f.orgId ?? c.scopeOrgId;
    const exists = (statuses: string[]): RawBuilder<SqlBool> =>
      sql<SqlBool>`exists (select 1 from consents cs
        where cs.person_id = ${c.col('id')} and cs.channel = ${f.channel} and cs.purpose = 'newsletter'
          and cs.status = any(${statuses}::text[])
          and cs.org_id in (select ancestor_id from org_tree where descendant_id = ${unit}::uuid))`;
    switch (f.status) {
      case 'granted':
        return exists(['granted']);
      case 'pending':
        return sql<SqlBool>`(${exists(['pending'])} and not ${exists(['granted'])})`;
      case 'revoked':
        return sql<SqlBool>`(${exists(['revoked'])} and not ${exists(['granted', 'pending'])})`;
      case 'none':
        return sql<SqlBool>`not ${exists(['granted', 'pending', 'revoked'])}`;
    }
  },
});

export const consentFilterKinds = [consentFilter];
