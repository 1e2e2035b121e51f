import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Condition, ConditionType } from '../../shared/queries.ts';

const likeEscape = (v: string) => v.replace(/[%_\\]/g, '\\$&');

/**
 * The SQL of one comparison on `expr` (a column or a custom-field expression) by value type.
 * Date bounds work for `date` and `timestamptz` alike: `>= from` and `< to + 1 day`.
 */
export function compileCondition(
  expr: RawBuilder<unknown>,
  type: ConditionType,
  c: Condition,
): RawBuilder<SqlBool> {
  if (c.op === 'empty' || c.op === 'notEmpty') {
    const empty =
      type === 'text' || type === 'single_choice'
        ? sql<SqlBool>`coalesce(${expr}::text, '') = ''`
        : sql<SqlBool>`${expr} is null`;
    return c.op === 'empty' ? empty : sql<SqlBool>`not (${empty})`;
  }
  switch (type) {
    case 'text':
      if (c.op === 'equals') return sql<SqlBool>`lower(${expr}) = lower(${String(c.value)})`;
      if (c.op === 'contains') return sql<SqlBool>`${expr} ilike ${`%${likeEscape(String(c.value))}%`}`;
      return sql<SqlBool>`${expr} ilike ${`${likeEscape(String(c.value))}%`}`;
    case 'single_choice':
      return sql<SqlBool>`${expr} = ${String(c.value)}`;
    case 'multiple_choice':
      return sql<SqlBool>`${expr} @> jsonb_build_array(${String(c.value)}::text)`;
    case 'boolean':
      return sql<SqlBool>`${expr} = ${Boolean(c.value)}::boolean`;
    case 'number': {
      if (c.op === 'equals') return sql<SqlBool>`${expr} = ${Number(c.value)}::numeric`;
      const parts: RawBuilder<SqlBool>[] = [];
      if (c.from !== undefined) parts.push(sql<SqlBool>`${expr} >= ${Number(c.from)}::numeric`);
      if (c.to !== undefined) parts.push(sql<SqlBool>`${expr} <= ${Number(c.to)}::numeric`);
      return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
    }
    case 'date': {
      if (c.op === 'withinLastDays')
        return sql<SqlBool>`(${expr} >= current_date - ${c.days}::int and ${expr} < current_date + 1)`;
      if (c.op === 'moreThanDaysAgo') return sql<SqlBool>`${expr} < current_date - ${c.days}::int`;
      const from = c.op === 'equals' ? c.value : c.from;
      const to = c.op === 'equals' ? c.value : c.to;
      const parts: RawBuilder<SqlBool>[] = [];
      if (from !== undefined) parts.push(sql<SqlBool>`${expr} >= ${String(from)}::date`);
      if (to !== undefined) parts.push(sql<SqlBool>`${expr} < ${String(to)}::date + 1`);
      return sql<SqlBool>`(${sql.join(parts, sql` and `)})`;
    }
  }
}
