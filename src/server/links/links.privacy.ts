import type { DomainPrivacy } from '../privacy/catalogue.ts';

/**
 * Link tokens name no person by content (only a hash, a purpose and the subject's id); the user who
 * made a link is recorded for the rule that a link works only while its maker may still grant it.
 */
export const linksPrivacy: DomainPrivacy = {
  domain: 'links',
  tables: [
    {
      table: 'link_tokens',
      subject: 'user',
      subjectColumns: ['created_by'],
      personalColumns: [],
      purpose:
        'Emailed and shared links (invitations, password resets, caller links): who made them, for what, how often used.',
      erasure: { action: 'anonymise', columns: { created_by: 'null' }, by: 'foreign_key' },
      access: {
        section: 'links',
        columns: ['purpose', 'created_at', 'expires_at', 'use_count', 'revoked_at'],
      },
      retention: { kind: 'until_erased' },
    },
  ],
};
