import { callFilterKinds } from './calls/calls.filters.ts';
import { consentFilterKinds } from './consents/consents.filters.ts';
import { fieldFilterKinds } from './fields/fields.filters.ts';
import { mailFilterKinds } from './mail/mail.filters.ts';
import { peopleFilterKinds } from './people/people.filters.ts';
import type { FilterKindDef } from './queries/filter-kind.ts';
import { registerFilterKinds } from './queries/filter-registry.ts';
import { queryFilterKinds } from './queries/queries.filters.ts';
import { tagFilterKinds } from './tags/tags.filters.ts';

/**
 * The smart-search filter kinds of every module, composed at the root: a new module adds its
 * `*.filters.ts` here. Called by buildApp and by tools that compile filters without an app.
 */
export function registerAllFilterKinds(): void {
  registerFilterKinds([
    ...queryFilterKinds,
    ...peopleFilterKinds,
    ...tagFilterKinds,
    ...fieldFilterKinds,
    ...callFilterKinds,
    ...consentFilterKinds,
    ...mailFilterKinds,
  ] as FilterKindDef[]);
}
