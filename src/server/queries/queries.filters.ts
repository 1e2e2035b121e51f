import { type SqlBool, sql } from 'kysely';
import { FilterGroup, SampleFilter, SavedQueryFilter } from '../../shared/queries.ts';
import { defineFilterKind, filterError, inSubtree } from './filter-kind.ts';

/** Lists referring to lists: at most this many levels. */
const MAX_REFERENCE_DEPTH = 5;

export const groupFilter = defineFilterKind({
  kind: 'group',
  module: 'queries',
  schema: FilterGroup,
  description: 'Combines its children with AND or OR; an empty group matches everyone.',
  async prepare(g, p) {
    for (const [i, child] of g.children.entries()) await p.prepareChild(child, `${p.path}.children.${i}`);
  },
  compile: (g, c) => {
    if (!g.children.length) return sql<SqlBool>`true`;
    const parts = g.children.map((child) =>
      c.compile(child, { andSiblings: g.op === 'and' ? g.children.filter((x) => x !== child) : [] }),
    );
    return sql<SqlBool>`(${sql.join(parts, g.op === 'and' ? sql` and ` : sql` or `)})`;
  },
});

/** A stable pseudo-random number in [0, 2^32) per person and seed. */
const hashOf = (idCol: unknown, seed: string) =>
  sql`('x' || substr(md5(${idCol}::text || ${seed}), 1, 8))::bit(32)::bigint`;

export const sampleFilter = defineFilterKind({
  kind: 'sample',
  module: 'queries',
  schema: SampleFilter,
  description:
    'A random but stable sample (same seed, same people): "percent" of everyone, or "size" people among those matching the other filters of its AND group.',
  compile: (f, c) => {
    if (f.percent !== undefined)
      return sql<SqlBool>`${hashOf(c.col('id'), f.seed)} < ${Math.floor((f.percent / 100) * 2 ** 32)}::bigint`;
    const s = c.freshAlias();
    const sub = { col: (column: string) => sql.raw(`${s}.${column}`) };
    const siblings = c.andSiblings.filter((x) => x.kind !== 'sample');
    const others = siblings.map((x) => c.compile(x, { alias: s, andSiblings: [] }));
    return sql<SqlBool>`${c.col('id')} in (select ${sub.col('id')} from people ${sql.raw(s)} where ${sql.join(
      [inSubtree(sub, c.scopeOrgId), ...others],
      sql` and `,
    )} order by md5(${sub.col('id')}::text || ${f.seed}), ${sub.col('id')} limit ${f.size}::int)`;
  },
});

export const savedQueryFilter = defineFilterKind({
  kind: 'savedQuery',
  module: 'queries',
  schema: SavedQueryFilter,
  description: 'The people of another saved list (include) or everyone but them (exclude).',
  async prepare(f, p) {
    if (p.stack.includes(f.queryId))
      throw filterError(
        p.path,
        f,
        `the list ${f.queryId} refers to itself (directly or through another list)`,
      );
    if (p.stack.length >= MAX_REFERENCE_DEPTH)
      throw filterError(p.path, f, `lists may refer to lists at most ${MAX_REFERENCE_DEPTH} levels deep`);
    const ref = p.queries.get(f.queryId) ?? (await p.loadQuery(f.queryId));
    if (!ref) throw filterError(p.path, f, `saved list ${f.queryId} not found`);
    p.queries.set(ref.id, ref);
    if (ref.mode === 'dynamic') await p.prepareReferenced(ref.filter, ref.id);
  },
  compile: (f, c) => {
    const ref = c.queries.get(f.queryId);
    if (!ref) throw new Error(`saved list ${f.queryId} was not prepared`);
    const members =
      ref.mode === 'snapshot'
        ? sql<SqlBool>`exists (select 1 from query_snapshot_members m where m.query_id = ${ref.id}::uuid and m.person_id = ${c.col('id')})`
        : sql<SqlBool>`(${inSubtree(c, ref.orgId)} and ${c.compile(ref.filter, { andSiblings: [] })})`;
    return f.mode === 'exclude' ? sql<SqlBool>`not coalesce(${members}, false)` : members;
  },
});

export const queryFilterKinds = [groupFilter, sampleFilter, savedQueryFilter];
