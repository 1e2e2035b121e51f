import { type SqlBool, sql } from 'kysely';
import { MailHistoryFilter } from '../../shared/mailings.ts';
import { unitsInLineWith } from '../orgs/orgs.repo.ts';
import { addressHashSql, SALT_SQL } from '../privacy/instance-keys.repo.ts';
import { defineFilterKind, filterError } from '../queries/filter-kind.ts';
import { findMailingInLineWith } from './mailings.repo.ts';

/**
 * Smart-search kind `mailHistory` (registered in src/server/filter-kinds.ts): EXISTS subqueries by
 * person on the frozen recipient rows (mailing_recipients_person_idx), on the person's addresses
 * and on the hashed suppression list (its key index starts with the hash). Only mailings of the
 * query's unit, above or below it count; a sibling's mailing is a 400 in the prepare step.
 */
export const mailHistoryFilter = defineFilterKind({
  kind: 'mailHistory',
  module: 'mail',
  schema: MailHistoryFilter,
  description:
    'People by their mail history: received a mailing (one, or any of the unit, above or below it), an address bounced (in one mailing, or at all), or unsubscribed (from everything, or from the unit, one above or below it).',
  async prepare(f, p) {
    if (f.mailingId && !(await findMailingInLineWith(p.db, f.mailingId, p.orgId)))
      throw filterError(p.path, f, `mailing ${f.mailingId} is not available in this unit`);
  },
  compile: (f, c) => {
    const mailings = f.mailingId
      ? sql`mr.mailing_id = ${f.mailingId}::uuid`
      : sql`mr.mailing_id in (select m.id from mailings m where m.org_id in ${unitsInLineWith(c.scopeOrgId)})`;
    const recipient = (status: string) =>
      sql<SqlBool>`exists (select 1 from mailing_recipients mr
        where mr.person_id = ${c.col('id')} and mr.status = ${status} and ${mailings})`;
    const suppressed = (reason: string, extra = sql`true`) =>
      sql<SqlBool>`exists (select 1 from person_emails pe join mail_suppressions s
          on s.address_hash = ${addressHashSql(SALT_SQL, sql`pe.email`)}
        where pe.person_id = ${c.col('id')} and s.reason = ${reason} and ${extra})`;
    switch (f.event) {
      case 'received':
        return recipient('sent');
      case 'bounced':
        if (f.mailingId) return recipient('bounced');
        return sql<SqlBool>`(exists (select 1 from person_emails pe
            where pe.person_id = ${c.col('id')} and pe.status = 'bounced')
          or ${suppressed('bounced')})`;
      case 'unsubscribed':
        return suppressed(
          'unsubscribed',
          sql`(s.org_id is null or s.org_id in ${unitsInLineWith(c.scopeOrgId)})`,
        );
    }
  },
});

export const mailFilterKinds = [mailHistoryFilter];
