import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const consentsPrivacy: DomainPrivacy = {
  domain: 'consents',
  tables: [
    {
      table: 'consents',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: [
        'channel',
        'purpose',
        'status',
        'source',
        'source_ref',
        'recorded_by',
        'text_version',
        'text_hash',
        'proof',
        'confirmed_at',
        'granted_at',
        'revoked_at',
      ],
      purpose:
        'Proof of what the person agreed to be contacted for, by which unit, under which text (Art. 7(1)), and revocations; the proof holds only a salted hash of the confirming IP.',
      erasure: {
        action: 'erase',
        by: 'foreign_key',
        note: 'the later suppression list keeps a hash of the address so an erased person is not re-added',
      },
      access: {
        section: 'consents',
        columns: [
          'channel',
          'purpose',
          'status',
          'source',
          'text_version',
          'text_hash',
          'proof',
          'created_at',
          'granted_at',
          'revoked_at',
        ],
      },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'consent_events',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: [
        'actor_user_id',
        'status',
        'source',
        'source_ref',
        'text_version',
        'text_hash',
        'proof',
      ],
      purpose:
        'The ledger of every change of a consent: who, when, from where, under which text, with the double opt-in proof.',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: {
        section: 'consents',
        columns: ['at', 'status', 'source', 'text_version', 'text_hash', 'proof'],
      },
      retention: { kind: 'until_erased' },
    },
  ],
};
