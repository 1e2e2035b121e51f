import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const instructionPrivacy: DomainPrivacy = {
  domain: 'instruction',
  tables: [
    {
      table: 'instruction_confirmations',
      subject: 'user',
      subjectColumns: ['user_id'],
      personalColumns: ['version', 'confirmed_at'],
      purpose: 'Proof that a user confirmed the data-protection instruction before touching personal data.',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { section: 'instruction', columns: ['version', 'confirmed_at'] },
      retention: { kind: 'until_erased' },
    },
  ],
  notPersonal: [{ table: 'instruction_versions', reason: 'the instruction text itself, not about a person' }],
};
