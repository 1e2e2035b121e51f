import { type RawBuilder, type SqlBool, sql } from 'kysely';
import { z } from 'zod';
import { CUSTOM_FIELD_TYPES } from '../../shared/people.ts';
import {
  describeFilterIssue,
  type FilterKind,
  type FilterNode,
  MAX_FILTER_DEPTH,
  MAX_FILTER_NODES,
  OPERATORS_BY_TYPE,
  PERSON_FILTER_FIELDS,
  QueryFilter,
} from '../../shared/queries.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { CompileCtx, FilterField, FilterKindDef, FilterQueryRef, PrepareCtx } from './filter-kind.ts';
import { filterError } from './filter-kind.ts';

/**
 * The filter registry: every module contributes its kinds (schema, SQL builder, description) from
 * its own `*.filters.ts`; they are composed once at the root (`src/server/filter-kinds.ts`, called
 * when the app or a tool starts), so this module imports no domain and no domain imports it back
 * through its filters. Every kind of the shared union must be registered.
 */
const REGISTRY = new Map<FilterKind, FilterKindDef>();
let ALL: FilterKindDef[] = [];
/** Every kind of the shared union (a type error when one is missing); each must be registered. */
const KINDS: Record<FilterKind, true> = {
  group: true,
  field: true,
  customField: true,
  status: true,
  orgUnit: true,
  postalCode: true,
  age: true,
  contact: true,
  tags: true,
  source: true,
  sample: true,
  savedQuery: true,
  callHistory: true,
  callAnswer: true,
  consent: true,
  mailHistory: true,
};

/** Installs the kinds of all modules (the root composition calls this once; again is a no-op). */
export function registerFilterKinds(defs: FilterKindDef[]): void {
  if (ALL.length) return;
  for (const kind of Object.keys(KINDS))
    if (!defs.some((d) => d.kind === kind)) throw new Error(`filter kind ${kind} is not registered`);
  ALL = defs;
  for (const d of defs) REGISTRY.set(d.kind, d);
}

function kindOf(node: FilterNode): FilterKindDef {
  if (!ALL.length)
    throw new Error('Filter kinds are not registered: call registerAllFilterKinds() at start.');
  const def = REGISTRY.get(node.kind);
  if (!def) throw filterError('filter', node, 'unknown filter kind');
  return def;
}

/** Parses a filter from the wire; a problem is a 400 whose message names the filter node. */
export function parseFilter(raw: unknown): FilterNode {
  const result = QueryFilter.safeParse(raw);
  if (result.success) return result.data;
  const details = result.error.issues.map((issue) => {
    const { path, kind } = describeFilterIssue(raw, issue.path);
    const rest = issue.path.slice(path.split('.').length - 1).join('.');
    return {
      path: `body.${path}${rest ? `.${rest}` : ''}`,
      message: `Filter ${path} (${kind}): ${issue.message}`,
    };
  });
  throw new AppError('validation_failed', details[0].message, details);
}

/** Everything compilation needs from the database, checked and loaded. */
export interface PreparedFilter {
  orgId: string;
  filter: FilterNode;
  fields: Map<string, FilterField>;
  queries: Map<string, FilterQueryRef>;
}

/** Including other lists may not blow a filter up beyond this many nodes in total. */
const MAX_EXPANDED_NODES = MAX_FILTER_NODES * 10;

/**
 * Checks a parsed filter against the database (custom fields and tags of this unit, saved lists
 * in scope, no list referring to itself) and loads what compiling needs. Problems are 400s naming
 * the filter by its path.
 */
export async function prepareFilter(opts: {
  db: Db;
  orgId: string;
  filter: FilterNode;
  /** The list being saved, if any: referring to it is a cycle. */
  selfId?: string;
  loadQuery(id: string): Promise<FilterQueryRef | undefined>;
}): Promise<PreparedFilter> {
  const fields = new Map<string, FilterField>();
  const queries = new Map<string, FilterQueryRef>();
  let expanded = 0;
  // Inside an included list, problems are reported at the filter that includes it (`fixedPath`).
  const visit = async (
    node: FilterNode,
    path: string,
    stack: string[],
    depth: number,
    fixedPath?: string,
  ): Promise<void> => {
    if (++expanded > MAX_EXPANDED_NODES)
      throw filterError(
        path,
        node,
        `the filter and the lists it includes have more than ${MAX_EXPANDED_NODES} conditions`,
      );
    if (depth > MAX_FILTER_DEPTH * 6) throw filterError(path, node, 'the filter is nested too deeply');
    const def = kindOf(node);
    const p: PrepareCtx = {
      db: opts.db,
      orgId: opts.orgId,
      path,
      fields,
      queries,
      stack,
      loadQuery: opts.loadQuery,
      prepareReferenced: (filter, queryId) => visit(filter, path, [...stack, queryId], depth + 1, path),
      prepareChild: (child, childPath) => visit(child, fixedPath ?? childPath, stack, depth + 1, fixedPath),
    };
    await def.prepare?.(node as never, p);
  };
  await visit(opts.filter, 'filter', opts.selfId ? [opts.selfId] : [], 1);
  return { orgId: opts.orgId, filter: opts.filter, fields, queries };
}

/**
 * Compiles a prepared filter to one SQL condition on the people row `alias` (default `p`). User
 * input reaches SQL only as parameters. The caller intersects it with the scope (peopleFilter does).
 */
export function compileFilter(prepared: PreparedFilter, alias = 'p'): RawBuilder<SqlBool> {
  let aliases = 0;
  const make = (a: string, andSiblings: FilterNode[]): CompileCtx => {
    const c: CompileCtx = {
      alias: a,
      col: (column) => sql.raw(`${a}.${column}`),
      scopeOrgId: prepared.orgId,
      fields: prepared.fields,
      queries: prepared.queries,
      andSiblings,
      freshAlias: () => `s${++aliases}`,
      compile: (node, o = {}) => {
        const inner = make(o.alias ?? a, o.andSiblings ?? []);
        const expr = kindOf(node).compile(node as never, inner);
        // Negation treats "unknown" (a NULL column) as "does not match", so NOT includes those people.
        return node.not ? sql<SqlBool>`not coalesce(${expr}, false)` : expr;
      },
    };
    return c;
  };
  return make(alias, []).compile(prepared.filter);
}

/** The registered kinds with their option schemas (JSON Schema), for the UI and API users. */
export function describeFilterKinds() {
  return {
    items: ALL.map((d) => ({
      kind: d.kind,
      module: d.module,
      description: d.description,
      schema: z.toJSONSchema(d.schema, { io: 'input', unrepresentable: 'any', cycles: 'ref' }) as Record<
        string,
        unknown
      >,
    })),
    operatorsByType: OPERATORS_BY_TYPE as Record<string, string[]>,
    personFields: PERSON_FILTER_FIELDS as Record<string, string>,
    customFieldTypes: [...CUSTOM_FIELD_TYPES],
    limits: { depth: MAX_FILTER_DEPTH, nodes: MAX_FILTER_NODES },
  };
}
