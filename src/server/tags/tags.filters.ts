import { type SqlBool, sql } from 'kysely';
import { TagsFilter } from '../../shared/queries.ts';
import { defineFilterKind, filterError } from '../queries/filter-kind.ts';
import { findTagIdsInLineWith } from './tags.repo.ts';

/** Smart-search filter over tags (registered in queries/filter-registry.ts). */
export const tagsFilter = defineFilterKind({
  kind: 'tags',
  module: 'tags',
  schema: TagsFilter,
  description: 'Has any, all or none of the given tags.',
  async prepare(f, p) {
    // Tags defined at the unit, above it or below it; a sibling's tag is a mistake worth a 400.
    const known = new Set(await findTagIdsInLineWith(p.db, f.tagIds, p.orgId));
    const unknown = f.tagIds.filter((id) => !known.has(id));
    if (unknown.length) throw filterError(p.path, f, `tag ${unknown[0]} is not available in this unit`);
  },
  compile: (f, c) => {
    const has = (ids: string[]) =>
      ids.length === 1
        ? sql<SqlBool>`exists (select 1 from person_tags pt where pt.person_id = ${c.col('id')} and pt.tag_id = ${ids[0]}::uuid)`
        : sql<SqlBool>`exists (select 1 from person_tags pt where pt.person_id = ${c.col('id')} and pt.tag_id = any(${ids}::uuid[]))`;
    if (f.match === 'any') return has(f.tagIds);
    if (f.match === 'none') return sql<SqlBool>`not ${has(f.tagIds)}`;
    return sql<SqlBool>`(${sql.join(
      [...new Set(f.tagIds)].map((id) => has([id])),
      sql` and `,
    )})`;
  },
});

export const tagFilterKinds = [tagsFilter];
