import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const changesPrivacy: DomainPrivacy = {
  domain: 'changes',
  tables: [
    {
      table: 'change_digest_recipients',
      subject: 'user',
      subjectColumns: ['user_id'],
      personalColumns: ['org_id'],
      purpose: 'Which users a unit chose to get its data-change digests (counts only, never names).',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { section: 'change_digests', columns: ['org_id'] },
      retention: { kind: 'until_erased' },
    },
  ],
  notPersonal: [
    {
      table: 'change_digests',
      reason:
        "a unit's digest frequency and how far its changes were reported; the editor is set null with the account",
    },
  ],
};
