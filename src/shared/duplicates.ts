import { z } from 'zod';
import { IsoDate } from './common.ts';
import { PERSON_SIMPLE_FIELDS, PersonView } from './people.ts';

/** Why a pair looks like one person. */
export const DUPLICATE_REASONS = ['email', 'phone', 'name_birth_date', 'name_postal_code'] as const;
export const DuplicateReason = z.enum(DUPLICATE_REASONS);
export type DuplicateReason = z.infer<typeof DuplicateReason>;

export const DUPLICATE_STATUSES = ['open', 'merged', 'dismissed'] as const;

/** The fields of a person a merge can take from either side (`fields` of the merge request). */
export const MERGE_FIELDS = PERSON_SIMPLE_FIELDS;
export const MergeField = z.enum(MERGE_FIELDS);
export type MergeField = z.infer<typeof MergeField>;

/** One side of a candidate pair: what a person needs to compare two records side by side. */
export const PersonSummary = PersonView.pick({
  id: true,
  orgId: true,
  orgName: true,
  firstName: true,
  lastName: true,
  title: true,
  gender: true,
  pronouns: true,
  birthDate: true,
  street: true,
  houseNumber: true,
  postalCode: true,
  city: true,
  country: true,
  memberNumber: true,
  membershipStatus: true,
  joinedOn: true,
  leftOn: true,
  doNotCall: true,
  doNotEmail: true,
  doNotPost: true,
  source: true,
  createdAt: true,
}).extend({
  emails: z.array(z.object({ email: z.string(), isPrimary: z.boolean() })),
  phones: z.array(z.object({ raw: z.string(), e164: z.string().nullable(), isPrimary: z.boolean() })),
  tags: z.array(z.object({ id: z.uuid(), name: z.string(), color: z.string() })),
});
export type PersonSummary = z.infer<typeof PersonSummary>;

export const DuplicateCandidate = z.object({
  id: z.uuid(),
  score: z.number(),
  reasons: z.array(DuplicateReason),
  status: z.enum(DUPLICATE_STATUSES),
  scannedAt: IsoDate,
  a: PersonSummary,
  b: PersonSummary,
});
export type DuplicateCandidate = z.infer<typeof DuplicateCandidate>;

export const DuplicateListQuery = z.strictObject({
  orgId: z.uuid(),
  status: z.enum(DUPLICATE_STATUSES).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const DuplicateScanRequest = z.strictObject({ orgId: z.uuid() });
export const DuplicateScanQuery = z.strictObject({ orgId: z.uuid() });

export const DuplicateScanView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  pairs: z.number().int().nullable(),
  createdAt: IsoDate,
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
});
export type DuplicateScanView = z.infer<typeof DuplicateScanView>;

export const DismissResult = z.object({ id: z.uuid(), status: z.enum(DUPLICATE_STATUSES) });

/**
 * Merge `mergeIds` into `keepId`. `fields` names, per field, the person whose value is kept;
 * fields not named keep the value of `keepId`, or take the first non-empty one of the others.
 */
export const MergeRequest = z
  .strictObject({
    keepId: z.uuid(),
    mergeIds: z.array(z.uuid()).min(1).max(20),
    fields: z.partialRecord(MergeField, z.uuid()).default({}),
  })
  .refine((m) => !m.mergeIds.includes(m.keepId), {
    message: 'keepId must not be one of mergeIds',
    path: ['mergeIds'],
  })
  .refine((m) => new Set(m.mergeIds).size === m.mergeIds.length, {
    message: 'mergeIds must be distinct',
    path: ['mergeIds'],
  })
  .refine(
    (m) => Object.values(m.fields).every((id) => id === m.keepId || m.mergeIds.includes(id as string)),
    {
      message: 'every field must name keepId or one of mergeIds',
      path: ['fields'],
    },
  );
export type MergeRequest = z.infer<typeof MergeRequest>;

/** Before saving a new person: does someone with these addresses, numbers or this name exist? */
export const DuplicateCheckRequest = z.strictObject({
  orgId: z.uuid(),
  emails: z.array(z.string().max(320)).max(20).default([]),
  phones: z.array(z.string().max(60)).max(20).default([]),
  firstName: z.string().max(200).default(''),
  lastName: z.string().max(200).default(''),
});

export const DUPLICATE_CHECK_REASONS = ['email', 'phone', 'name'] as const;
export const DuplicateCheckMatch = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  orgName: z.string(),
  firstName: z.string(),
  lastName: z.string(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  /** What matched: the same email address, the same phone number, the same first and last name. */
  reasons: z.array(z.enum(DUPLICATE_CHECK_REASONS)),
});
export type DuplicateCheckMatch = z.infer<typeof DuplicateCheckMatch>;
export const DuplicateCheckResult = z.object({ matches: z.array(DuplicateCheckMatch) });
