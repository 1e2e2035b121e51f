import { type RawBuilder, type SqlBool, sql } from 'kysely';
import {
  AgeFilter,
  ContactFilter,
  FieldFilter,
  OrgUnitFilter,
  PERSON_FILTER_FIELDS,
  PostalCodeFilter,
  SourceFilter,
  StatusFilter,
} from '../../shared/queries.ts';
import { compileCondition } from '../queries/conditions.ts';
import { defineFilterKind, inSubtree } from '../queries/filter-kind.ts';

/** Smart-search filters over the person record itself (registered in queries/filter-registry.ts). */

const column = (field: string) => field.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

export const fieldFilter = defineFilterKind({
  kind: 'field',
  module: 'people',
  schema: FieldFilter,
  description: 'A person field compared by its type: text, date (also relative), yes/no.',
  compile: (f, c) => compileCondition(c.col(column(f.field)), PERSON_FILTER_FIELDS[f.field], f),
});

export const statusFilter = defineFilterKind({
  kind: 'status',
  module: 'people',
  schema: StatusFilter,
  description: 'Membership status is one of the given.',
  compile: (f, c) => sql<SqlBool>`${c.col('membership_status')} = any(${f.statuses}::text[])`,
});

export const orgUnitFilter = defineFilterKind({
  kind: 'orgUnit',
  module: 'people',
  schema: OrgUnitFilter,
  description: 'Home unit is the given one (exact) or lies in its subtree.',
  compile: (f, c) =>
    f.include === 'exact' ? sql<SqlBool>`${c.col('org_id')} = ${f.orgId}::uuid` : inSubtree(c, f.orgId),
});

export const postalCodeFilter = defineFilterKind({
  kind: 'postalCode',
  module: 'people',
  schema: PostalCodeFilter,
  description: 'Postal code in a list, starting with one of some prefixes, or in a range.',
  compile: (f, c) => {
    const code = c.col('postal_code');
    if (f.op === 'in') return sql<SqlBool>`${code} = any(${f.values ?? []}::text[])`;
    if (f.op === 'startsWith') {
      // One `like` per prefix so the text_pattern_ops index serves each of them.
      const likes = (f.values ?? []).map(
        (v) => sql<SqlBool>`${code} like ${`${v.replace(/[%_\\]/g, '\\$&')}%`}`,
      );
      return sql<SqlBool>`(${sql.join(likes, sql` or `)})`;
    }
    // The upper bound counts as a prefix: 01000 to 04 includes 04109.
    return sql<SqlBool>`(${code} >= ${f.from} and (${code} <= ${f.to} or ${code} like ${`${f.to}%`}))`;
  },
});

export const ageFilter = defineFilterKind({
  kind: 'age',
  module: 'people',
  schema: AgeFilter,
  description: 'Age in whole years from the birth date, between min and max inclusive.',
  compile: (f, c) => {
    const birth = c.col('birth_date');
    const parts: RawBuilder<SqlBool>[] = [];
    // Written as bounds on birth_date so its index serves the range.
    if (f.min !== undefined)
      parts.push(sql<SqlBool>`${birth} <= (current_date - make_interval(years => ${f.min}::int))::date`);
    if (f.max !== undefined)
      parts.push(sql<SqlBool>`${birth} > (current_date - make_interval(years => ${f.max + 1}::int))::date`);
    return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
  },
});

export const contactFilter = defineFilterKind({
  kind: 'contact',
  module: 'people',
  schema: ContactFilter,
  description: 'Has a valid email address, a valid phone number, or a valid mobile number.',
  compile: (f, c) =>
    f.channel === 'email'
      ? sql<SqlBool>`exists (select 1 from person_emails e where e.person_id = ${c.col('id')} and e.status = 'valid')`
      : sql<SqlBool>`exists (select 1 from person_phones ph where ph.person_id = ${c.col('id')} and ph.status = 'valid'${
          f.channel === 'mobile' ? sql` and ph.type = 'mobile'` : sql``
        })`,
});

export const sourceFilter = defineFilterKind({
  kind: 'source',
  module: 'people',
  schema: SourceFilter,
  description: 'Where the record came from: manual entry, import, form, call.',
  compile: (f, c) => sql<SqlBool>`${c.col('source')} = any(${f.sources}::text[])`,
});

export const peopleFilterKinds = [
  fieldFilter,
  statusFilter,
  orgUnitFilter,
  postalCodeFilter,
  ageFilter,
  contactFilter,
  sourceFilter,
];
