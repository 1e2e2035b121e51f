import type { DomainPrivacy } from './catalogue.ts';

export const privacyPrivacy: DomainPrivacy = {
  domain: 'privacy',
  tables: [],
  notPersonal: [
    { table: 'instance_keys', reason: 'random keys of the instance (e.g. the salt of suppression hashes)' },
  ],
};
