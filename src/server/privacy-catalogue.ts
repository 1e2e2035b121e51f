import { auditPrivacy } from './audit/audit.privacy.ts';
import { authPrivacy } from './auth/auth.privacy.ts';
import { callsPrivacy } from './calls/calls.privacy.ts';
import { changesPrivacy } from './changes/changes.privacy.ts';
import { consentsPrivacy } from './consents/consents.privacy.ts';
import { duplicatesPrivacy } from './duplicates/duplicates.privacy.ts';
import { httpPrivacy } from './http/http.privacy.ts';
import { importsPrivacy } from './imports/imports.privacy.ts';
import { instructionPrivacy } from './instruction/instruction.privacy.ts';
import { linksPrivacy } from './links/links.privacy.ts';
import { mailPrivacy } from './mail/mail.privacy.ts';
import { membershipsPrivacy } from './memberships/memberships.privacy.ts';
import { orgsPrivacy } from './orgs/orgs.privacy.ts';
import { peoplePrivacy } from './people/people.privacy.ts';
import type { DomainPrivacy, PrivacyDeclaration } from './privacy/catalogue.ts';
import { privacyPrivacy } from './privacy/privacy.privacy.ts';
import { queriesPrivacy } from './queries/queries.privacy.ts';
import { tagsPrivacy } from './tags/tags.privacy.ts';

/**
 * The privacy catalogue of the whole system, composed at the root (like filter-kinds.ts): one
 * `<domain>.privacy.ts` per domain that owns personal data. A new domain adds its line here;
 * `privacy/catalogue.test.ts` fails while a table with personal data is declared nowhere.
 */
export const privacyCatalogue: DomainPrivacy[] = [
  peoplePrivacy,
  tagsPrivacy,
  consentsPrivacy,
  callsPrivacy,
  queriesPrivacy,
  duplicatesPrivacy,
  importsPrivacy,
  mailPrivacy,
  authPrivacy,
  membershipsPrivacy,
  instructionPrivacy,
  auditPrivacy,
  httpPrivacy,
  linksPrivacy,
  orgsPrivacy,
  privacyPrivacy,
  changesPrivacy,
];

/** Every declaration, by table. */
export function privacyDeclarations(): PrivacyDeclaration[] {
  return privacyCatalogue.flatMap((d) => d.tables);
}

/** The declarations of the tables holding a person's data (what erasure and the access report walk). */
export function personTables(): PrivacyDeclaration[] {
  return privacyDeclarations().filter((t) => t.subject === 'person');
}
