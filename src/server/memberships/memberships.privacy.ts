import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const membershipsPrivacy: DomainPrivacy = {
  domain: 'memberships',
  tables: [
    {
      table: 'memberships',
      subject: 'user',
      subjectColumns: ['user_id'],
      personalColumns: ['role', 'org_id', 'created_by'],
      purpose: 'Which roles a user holds in which units (what they may see and do).',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { section: 'roles', columns: ['org_id', 'role', 'created_at'] },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'invitations',
      subject: 'address',
      subjectColumns: [],
      personalColumns: ['email', 'invited_by', 'accepted_user_id'],
      purpose: 'Invitations of new users by email, and who accepted them.',
      erasure: {
        action: 'keep',
        reason: 'record of who was given access to personal data by whom (Art. 5(2))',
      },
      access: { section: 'invitations', columns: ['email', 'org_id', 'role', 'created_at', 'accepted_at'] },
      retention: {
        kind: 'kept',
        reason: 'accountability for access grants; the later retention engine may limit it',
      },
    },
  ],
};
