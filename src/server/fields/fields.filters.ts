import { type RawBuilder, sql } from 'kysely';
import { type ConditionType, CustomFieldFilter, conditionProblem } from '../../shared/queries.ts';
import { compileCondition } from '../queries/conditions.ts';
import { defineFilterKind, type FilterField, filterError } from '../queries/filter-kind.ts';
import { findFieldInLineWith } from './fields.repo.ts';

/** The typed value of a custom field in `people.custom_fields`; null where the stored value has another type. */
function customValue(field: FilterField, col: RawBuilder<unknown>): RawBuilder<unknown> {
  const json = sql`(${col} -> ${field.id}::text)`;
  const text = sql`(${col} ->> ${field.id}::text)`;
  switch (field.type) {
    case 'text':
    case 'single_choice':
      return text;
    case 'number':
      return sql`(case when jsonb_typeof(${json}) = 'number' then ${text}::numeric end)`;
    case 'boolean':
      return sql`(case when jsonb_typeof(${json}) = 'boolean' then ${text}::boolean end)`;
    case 'date':
      return sql`(case when ${text} ~ ${'^\\d{4}-\\d{2}-\\d{2}$'} then ${text}::date end)`;
    case 'multiple_choice':
      return sql`nullif(${json}, '[]'::jsonb)`;
  }
}

/** Smart-search filter over custom fields (registered in queries/filter-registry.ts). */
export const customFieldFilter = defineFilterKind({
  kind: 'customField',
  module: 'fields',
  schema: CustomFieldFilter,
  description: "A custom field of the unit, above or below it, compared by the field's type.",
  async prepare(f, p) {
    const field = await findFieldInLineWith(p.db, f.fieldId, p.orgId);
    if (!field) throw filterError(p.path, f, `custom field ${f.fieldId} is not available in this unit`);
    const view: FilterField = { ...field, options: field.options ?? [] };
    const problem = conditionProblem(view.type as ConditionType, f, view.options);
    if (problem) throw filterError(p.path, f, `field "${view.label}": ${problem}`);
    p.fields.set(view.id, view);
  },
  compile: (f, c) => {
    const field = c.fields.get(f.fieldId);
    if (!field) throw new Error(`custom field ${f.fieldId} was not prepared`);
    return compileCondition(customValue(field, c.col('custom_fields')), field.type, f);
  },
});

export const fieldFilterKinds = [customFieldFilter];
