import type { DomainPrivacy } from '../privacy/catalogue.ts';

/**
 * User accounts. Account deletion is not built yet: the rules below are what the foreign keys do
 * when a `users` row is deleted (sessions, tokens, codes, memberships go; authorship is set null).
 */
export const authPrivacy: DomainPrivacy = {
  domain: 'auth',
  tables: [
    {
      table: 'users',
      subject: 'user',
      subjectColumns: ['id'],
      personalColumns: ['email', 'name', 'locale', 'password_hash', 'totp_secret', 'totp_pending_secret'],
      purpose: 'Accounts of volunteers, organizers and admins: signing in, roles, contact.',
      erasure: { action: 'erase', by: 'service', note: 'account deletion (not built yet) deletes the row' },
      access: { section: 'account', columns: ['email', 'name', 'locale', 'totp_enabled_at', 'created_at'] },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'sessions',
      subject: 'user',
      subjectColumns: ['user_id'],
      personalColumns: ['user_agent', 'last_seen_at'],
      purpose: 'Keeping a user signed in; the user agent lets them recognise their sessions.',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { section: 'sessions', columns: ['created_at', 'last_seen_at', 'user_agent'] },
      retention: {
        kind: 'rules',
        rules: [{ days: 0, from: 'expires_at', action: 'delete_rows', job: 'auth-cleanup' }],
      },
    },
    {
      table: 'api_tokens',
      subject: 'user',
      subjectColumns: ['user_id'],
      personalColumns: ['name', 'last_used_at'],
      purpose: 'Personal API tokens of a user.',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { section: 'api_tokens', columns: ['name', 'created_at', 'last_used_at'] },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'totp_recovery_codes',
      subject: 'user',
      subjectColumns: ['user_id'],
      personalColumns: ['code_hash'],
      purpose: 'Recovery codes of the second sign-in factor (hashed).',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { none: 'hashes of secrets only' },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'login_failures',
      subject: 'address',
      subjectColumns: [],
      personalColumns: ['key'],
      purpose: 'Throttling password guessing per account email and per IP address.',
      erasure: { action: 'keep', reason: 'expires within 15 minutes; keyed by address, not by a person' },
      access: { none: 'kept for 15 minutes only' },
      retention: {
        kind: 'short_lived',
        note: 'deleted hourly after the 15-minute counting window (auth-cleanup)',
      },
    },
  ],
};
