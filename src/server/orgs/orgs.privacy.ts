import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const orgsPrivacy: DomainPrivacy = {
  domain: 'orgs',
  tables: [],
  notPersonal: [{ table: 'org_units', reason: 'the name of a party unit, not of a person' }],
};
