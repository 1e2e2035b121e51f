import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const queriesPrivacy: DomainPrivacy = {
  domain: 'queries',
  tables: [
    {
      table: 'query_snapshot_members',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: [],
      purpose: 'The people a snapshot list held when it was taken.',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { section: 'lists', columns: ['query_id'] },
      retention: { kind: 'until_erased' },
    },
  ],
  notPersonal: [{ table: 'queries', reason: 'name and description of a saved list, not of a person' }],
};
