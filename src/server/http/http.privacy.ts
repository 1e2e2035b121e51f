import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const httpPrivacy: DomainPrivacy = {
  domain: 'http',
  tables: [
    {
      table: 'rate_limit_counters',
      subject: 'address',
      subjectColumns: [],
      personalColumns: ['key'],
      purpose: 'Rate limits per route and client IP address, shared by every instance.',
      erasure: {
        action: 'keep',
        reason: 'a counter per IP that expires with its window; no person is named',
      },
      access: { none: 'counters live for one rate-limit window' },
      retention: { kind: 'short_lived', note: 'deleted hourly once the window ran out (auth-cleanup)' },
    },
  ],
};
