import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const tagsPrivacy: DomainPrivacy = {
  domain: 'tags',
  tables: [
    {
      table: 'person_tags',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: ['tag_id'],
      purpose: 'Grouping people for lists, campaigns and the call queue.',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { section: 'tags', columns: ['tag_id', 'created_at'] },
      retention: { kind: 'until_erased' },
    },
  ],
  notPersonal: [{ table: 'tags', reason: 'a tag name of a unit (its definition), not a person' }],
};
