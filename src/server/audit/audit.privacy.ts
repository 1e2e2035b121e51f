import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const auditPrivacy: DomainPrivacy = {
  domain: 'audit',
  tables: [
    {
      table: 'audit_log',
      subject: 'person',
      subjectColumns: ['target_id'],
      subjectWhere: { target_type: 'person' },
      personalColumns: ['actor_user_id', 'ip', 'details'],
      purpose: 'Who read, exported, changed or erased whose data, and from where (Art. 5(2), 32).',
      erasure: {
        action: 'keep',
        reason:
          'accountability: the entries name the person only by id and hold no personal content; the erasure itself is recorded here (person.deleted)',
      },
      access: { section: 'audit', columns: ['at', 'action', 'actor_user_id', 'org_id'] },
      retention: {
        kind: 'kept',
        reason: 'accountability; the later retention engine sets a limit per action',
      },
    },
  ],
};
