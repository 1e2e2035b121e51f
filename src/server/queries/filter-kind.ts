import { type RawBuilder, type SqlBool, sql } from 'kysely';
import type { z } from 'zod';
import type { FilterKind, FilterNode } from '../../shared/queries.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';

/** A custom field as a filter needs it. */
export interface FilterField {
  id: string;
  orgId: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'single_choice' | 'multiple_choice';
  options: string[];
}

/** A saved list another filter refers to. */
export interface FilterQueryRef {
  id: string;
  orgId: string;
  mode: 'dynamic' | 'snapshot';
  filter: FilterNode;
}

/**
 * What the preparation step knows: it runs before compilation, checks what needs the database
 * (a custom field of this unit? a saved list in scope? a cycle?) and loads it, so compiling is
 * a pure function afterwards.
 */
export interface PrepareCtx {
  db: Db;
  /** The unit the query runs in: nothing outside its subtree ever matches. */
  orgId: string;
  /** Where the node sits in the request, e.g. `filter.children.2`. */
  path: string;
  fields: Map<string, FilterField>;
  queries: Map<string, FilterQueryRef>;
  /** Saved lists on the way from the root to here (to find a list referring to itself). */
  stack: string[];
  /** Loads a saved list the actor may read, else undefined. */
  loadQuery(id: string): Promise<FilterQueryRef | undefined>;
  /** Prepares a filter found elsewhere (a referenced list's), with `queryId` on the stack. */
  prepareReferenced(filter: FilterNode, queryId: string): Promise<void>;
  /** Prepares a child node at `path`. */
  prepareChild(node: FilterNode, path: string): Promise<void>;
}

export interface CompileCtx {
  /** Alias of the people row being tested (`p`, or a subquery's). Never user input. */
  alias: string;
  /** A column of that row, e.g. `col('postal_code')`. Only ever called with fixed names. */
  col(column: string): RawBuilder<unknown>;
  /** The subtree every match lies in. */
  scopeOrgId: string;
  fields: ReadonlyMap<string, FilterField>;
  queries: ReadonlyMap<string, FilterQueryRef>;
  /** The other children of the AND group this node is in (a sized sample draws among them). */
  andSiblings: FilterNode[];
  compile(node: FilterNode, opts?: { alias?: string; andSiblings?: FilterNode[] }): RawBuilder<SqlBool>;
  /** A fresh alias for a subquery over people. */
  freshAlias(): string;
}

export interface FilterKindDef<K extends FilterKind = FilterKind> {
  kind: K;
  /** The module that owns it (people, tags, fields, queries; later calls, surveys, events, mail). */
  module: string;
  schema: z.ZodType;
  description: string;
  prepare?(node: Extract<FilterNode, { kind: K }>, p: PrepareCtx): Promise<void>;
  compile(node: Extract<FilterNode, { kind: K }>, c: CompileCtx): RawBuilder<SqlBool>;
}

export function defineFilterKind<K extends FilterKind>(def: FilterKindDef<K>): FilterKindDef<K> {
  return def;
}

/** A 400 naming the filter: where it sits, its kind, and what is wrong. */
export function filterError(path: string, node: { kind: string }, problem: string): AppError {
  const message = `Filter ${path} (${node.kind}): ${problem}`;
  return new AppError('validation_failed', message, [{ path: `body.${path}`, message }]);
}

/** The people of a unit's subtree, as a condition on `alias.org_id`. */
export function inSubtree(c: { col(column: string): RawBuilder<unknown> }, orgId: string) {
  return sql<SqlBool>`${c.col('org_id')} in (select descendant_id from org_tree where ancestor_id = ${orgId}::uuid)`;
}
