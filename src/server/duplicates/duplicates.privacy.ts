import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const duplicatesPrivacy: DomainPrivacy = {
  domain: 'duplicates',
  tables: [
    {
      table: 'duplicate_candidates',
      subject: 'person',
      subjectColumns: ['person_a', 'person_b'],
      personalColumns: ['reasons', 'score', 'decided_by'],
      purpose: 'Pairs of records that may be the same person, for organizers to merge or dismiss.',
      erasure: {
        action: 'erase',
        by: 'trigger',
        note: 'erase_person_traces (202612040300_privacy); a merged pair stays while its other person exists',
      },
      access: { section: 'duplicates', columns: ['person_a', 'person_b', 'status', 'reasons'] },
      retention: { kind: 'until_erased' },
    },
  ],
};
