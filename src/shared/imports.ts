import { z } from 'zod';
import { IsoDate } from './common.ts';

/** Columns of a person a file column can be mapped to (besides `field:<id>` and `tag:<id>`). */
export const IMPORT_TARGETS = [
  'firstName',
  'lastName',
  'title',
  'gender',
  'email',
  'phone',
  'mobile',
  'memberNumber',
  'postalCode',
  'city',
  'street',
  'houseNumber',
  'birthDate',
  'joinedOn',
  'leftOn',
  'membershipStatus',
  'org',
  /** Yes/no per row: "yes" starts a newsletter double opt-in (pending + one confirmation mail). */
  'newsletterConsent',
] as const;
export type ImportTarget = (typeof IMPORT_TARGETS)[number];

/** A mapping target: a person column, a custom field (`field:<uuid>`) or a tag (`tag:<uuid>`). */
export const ImportTargetValue = z.union([
  z.enum(IMPORT_TARGETS),
  z.string().regex(/^(field|tag):[0-9a-f-]{36}$/i, 'field:<id> or tag:<id>'),
]);

/** Source column name → target, or null to ignore the column. */
export const ImportMapping = z.record(z.string().max(200), ImportTargetValue.nullable());
export type ImportMapping = z.infer<typeof ImportMapping>;

/**
 * create: only new people; update: create and update (match by member number, else email, else
 * first + last name + birth date); sync: like update, and members of the unit's subtree missing
 * from the file become former members (after confirmation).
 */
export const IMPORT_MODES = ['create', 'update', 'sync'] as const;
export const ImportMode = z.enum(IMPORT_MODES);
export type ImportMode = z.infer<typeof ImportMode>;

/** Uploads not started for this many days are deleted by the daily cleanup. */
export const STALE_UPLOAD_DAYS = 7;

export const IMPORT_STATUSES = ['pending', 'running', 'done', 'failed'] as const;

/** Problem codes of a row; the web and the error CSV translate them. */
export const IMPORT_PROBLEMS = [
  'missing_name',
  'invalid_email',
  'invalid_date',
  'invalid_phone',
  'invalid_status',
  'invalid_number',
  'invalid_choice',
  'invalid_consent',
  'too_long',
  'unknown_org',
  'ambiguous_org',
  'duplicate_member_number',
  'member_number_out_of_scope',
  'ambiguous_match',
  'same_person_twice',
  'broken_row',
] as const;
export type ImportProblem = (typeof IMPORT_PROBLEMS)[number];

export const ImportRowError = z.object({
  rowNumber: z.number().int(),
  column: z.string().nullable(),
  problem: z.enum(IMPORT_PROBLEMS),
  value: z.string().nullable(),
});
export type ImportRowError = z.infer<typeof ImportRowError>;

/** A row as it will be stored: values by target (display text), and its problems. */
export const ImportPreviewRow = z.object({
  rowNumber: z.number().int(),
  values: z.record(z.string(), z.string().nullable()),
  errors: z.array(ImportRowError),
});
export type ImportPreviewRow = z.infer<typeof ImportPreviewRow>;

/** The check of the whole file under a mapping. */
/**
 * Hints about the mapping, not row problems (nothing is skipped for them): usual columns missing,
 * or a column whose values look like something else than what it is mapped to.
 */
export const IMPORT_WARNINGS = [
  /** Neither first nor last name is mapped: every row would be skipped. */
  'no_name_column',
  /** Only a last name (or only a first name) is mapped: `column` may hold the other or full names. */
  'no_first_name_column',
  'no_last_name_column',
  /** No email, phone or mobile column: the people cannot be contacted. */
  'no_contact_column',
  /** update/sync without member number, email or name + birth date: every row becomes a new person. */
  'no_match_column',
  /** The values of `column` look like `looksLike` (mapped to `target`, or not mapped: target null). */
  'values_look_like',
] as const;
export const IMPORT_VALUE_KINDS = ['email', 'phone', 'postalCode', 'date', 'fullName'] as const;
export const ImportWarning = z.object({
  kind: z.enum(IMPORT_WARNINGS),
  column: z.string().nullable(),
  target: z.string().nullable(),
  looksLike: z.enum(IMPORT_VALUE_KINDS).nullable(),
});
export type ImportWarning = z.infer<typeof ImportWarning>;

export const ImportAnalysis = z.object({
  mapping: ImportMapping,
  mode: ImportMode,
  total: z.number().int(),
  preview: z.array(ImportPreviewRow),
  /** The first 500 problems of the whole file. */
  errors: z.array(ImportRowError),
  /** Rows with at least one problem (they will be skipped). */
  errorRows: z.number().int(),
  /** In sync mode: members of the subtree absent from the file, who would become former members. */
  departures: z.number().int().nullable(),
  warnings: z.array(ImportWarning),
});
export type ImportAnalysis = z.infer<typeof ImportAnalysis>;

export const ImportCreated = ImportAnalysis.extend({
  id: z.uuid(),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  encoding: z.string().nullable(),
  delimiter: z.string().nullable(),
  /** Row number of the header in the file (1-based, as a spreadsheet shows it). */
  headerRow: z.number().int(),
  columns: z.array(z.string()),
  /** The first data rows as they are in the file (cells by column), to show beside the mapping. */
  samples: z.array(z.array(z.string())),
  suggestedMapping: ImportMapping,
});
export type ImportCreated = z.infer<typeof ImportCreated>;

export const ImportMappingBody = z.strictObject({
  mapping: ImportMapping,
  mode: ImportMode.default('update'),
});

/** The most a stated legal basis of imported newsletter consents may hold. */
export const CONSENT_LEGAL_BASIS_MAX = 500;

/**
 * Sync mode needs the number of departures the user saw and confirmed. With a mapped
 * `newsletterConsent` column the organizer states the legal basis (required, e.g. "Die
 * Einwilligungen liegen schriftlich vor …") and may name the unit the consents are for (default:
 * the import's unit).
 */
export const ImportStartBody = z
  .strictObject({
    confirmDepartures: z.number().int().min(0).optional(),
    consentLegalBasis: z.string().trim().min(1).max(CONSENT_LEGAL_BASIS_MAX).optional(),
    consentOrgId: z.uuid().optional(),
  })
  .default({});

export const ImportView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  orgName: z.string(),
  fileName: z.string(),
  format: z.enum(['csv', 'xlsx']),
  mode: ImportMode,
  status: z.enum(IMPORT_STATUSES),
  total: z.number().int(),
  processed: z.number().int(),
  created: z.number().int(),
  updated: z.number().int(),
  unchanged: z.number().int(),
  departed: z.number().int(),
  failed: z.number().int(),
  departuresConfirmed: z.number().int().nullable(),
  /** Newsletter consent column: the stated legal basis, the consents' unit, double opt-ins started. */
  consentLegalBasis: z.string().nullable(),
  consentOrgId: z.uuid().nullable(),
  consentsRequested: z.number().int(),
  rowsPerSecond: z.number().nullable(),
  etaSeconds: z.number().nullable(),
  message: z.string().nullable(),
  createdByName: z.string().nullable(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
});
export type ImportView = z.infer<typeof ImportView>;

export const ImportListQuery = z.strictObject({
  orgId: z.uuid(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
