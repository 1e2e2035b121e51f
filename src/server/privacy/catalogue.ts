/**
 * The privacy catalogue: for every table that holds personal data, one declaration in the owning
 * domain's `<domain>.privacy.ts` says whose data it is, why it is kept, what erasure (Art. 17
 * GDPR) does with it, what it adds to an access report (Art. 15) and how long it is kept.
 *
 * The catalogue *says* what happens; the database and the jobs *do* it (foreign-key cascades,
 * triggers, the people service, retention jobs). `catalogue.test.ts` holds the two together: it
 * fails when a table with personal data has no declaration, when a declaration names a table or
 * column that does not exist, and when erasing a person through the API does something else than
 * the declarations say. The access report, the erasure UI and the retention engine of the
 * data-protection module read this list instead of knowing the tables themselves.
 *
 * Table and column names are the SQL ones (snake_case), as `information_schema` lists them.
 */

/** Whose data a table holds. */
export type PrivacySubject =
  /** A person of the membership database (`people`): erased by `DELETE /api/people/:id`. */
  | 'person'
  /** A user account (volunteer, organizer, admin). Account deletion is not built yet. */
  | 'user'
  /** Someone known only by an address (a mail recipient, a client IP): no id to look them up by. */
  | 'address';

/** How the database carries out an erasure rule (so nobody has to search for it). */
export type ErasureMechanism =
  /** `on delete cascade` / `on delete set null` foreign keys on the subject's row. */
  | 'foreign_key'
  /** A `before delete` trigger on `people` (migrations `…_campaigns`, `…_privacy`). */
  | 'trigger'
  /** Code in the service that erases (named in `note`). */
  | 'service';

/** What clearing a column means: `null` (or '' / '{}' for not-null columns), or a partial scrub. */
export type ClearedAs =
  | 'null'
  /** A jsonb array of call answers: the entries marked `free: true` (free text) are dropped. */
  | 'free_text_answers';

export type ErasureRule =
  /** Every row naming the subject is deleted. */
  | { action: 'erase'; by: ErasureMechanism; note?: string }
  /** The rows stay (counts, statistics); these columns are cleared. */
  | { action: 'anonymise'; columns: Record<string, ClearedAs>; by: ErasureMechanism; note?: string }
  /** The rows stay as they are, for this reason (a legal duty, accountability, no personal content). */
  | { action: 'keep'; reason: string };

/** One clean-up of a retention default, carried out by a scheduled job. */
export interface RetentionRule {
  /** Days after `from` … */
  days: number;
  /** … (a timestamp column of the table, or of the parent row named in `note`) … */
  from: string;
  /** … the rows are deleted, or only these columns are cleared. */
  action: 'delete_rows' | { clear: string[] };
  /** Which rows (in words), when not all of them. */
  where?: string;
  /** The job that applies it (`<domain>.jobs.ts`). */
  job: string;
  note?: string;
}

export type Retention =
  /** Kept while the subject exists; erasure removes it (the default for a membership database). */
  | { kind: 'until_erased' }
  /** Removed by the owner's own lifecycle before erasure (e.g. a claim released after minutes). */
  | { kind: 'short_lived'; note: string }
  | { kind: 'rules'; rules: RetentionRule[] }
  /** Kept without a deadline, for this reason. */
  | { kind: 'kept'; reason: string };

export interface PrivacyDeclaration {
  /** The table (SQL name). Its owner is the domain whose `<domain>.privacy.ts` declares it. */
  table: string;
  subject: PrivacySubject;
  /**
   * The columns that name the subject: erasure and the access report find a subject's rows by
   * them (any of them equal to the subject's id). Empty for `address` subjects.
   */
  subjectColumns: string[];
  /** With `subjectColumns`, only rows where these columns have these values (e.g. target_type). */
  subjectWhere?: Record<string, string>;
  /** Columns holding personal data besides the subject columns (names, addresses, free text, IPs…). */
  personalColumns: string[];
  /** Why the data is processed (Art. 5(1)(b), 13(1)(c)). */
  purpose: string;
  erasure: ErasureRule;
  /**
   * What the table contributes to an Art. 15 access report: a section label (an i18n-ready key
   * of the later report) and the columns shown; or why it adds nothing.
   */
  access: { section: string; columns: string[] } | { none: string };
  retention: Retention;
}

/** A table that a column name makes look personal but is not, and why (checked by the test too). */
export interface NotPersonal {
  table: string;
  reason: string;
}

/** A domain's part of the catalogue (exported from its `<domain>.privacy.ts`). */
export interface DomainPrivacy {
  domain: string;
  tables: PrivacyDeclaration[];
  notPersonal?: NotPersonal[];
}

export const DAY_MS = 24 * 3600 * 1000;

/** The instant `days` before `now` (retention jobs delete what is older). */
export function daysBefore(now: Date, days: number): Date {
  return new Date(now.getTime() - days * DAY_MS);
}
