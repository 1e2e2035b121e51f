import { z } from 'zod';
import { Email, IsoDate } from './common.ts';
import { ROLES } from './permissions.ts';

export const ORG_KINDS = ['federal', 'state', 'district', 'local', 'group'] as const;
export const OrgKind = z.enum(ORG_KINDS);

/** A catchment entry: a full German postal code (5 digits) or a prefix of one (1–4 digits). */
export const PostalCodes = z
  .array(
    z
      .string()
      .trim()
      .regex(/^\d{1,5}$/, 'a postal code or prefix: 1 to 5 digits'),
  )
  .max(2000)
  .transform((codes) => [...new Set(codes)].sort());

export const OrgView = z.object({
  id: z.uuid(),
  parentId: z.uuid().nullable(),
  name: z.string(),
  kind: OrgKind,
  slug: z.string(),
  postalCodes: z.array(z.string()),
  timeZone: z.string(),
  archived: z.boolean(),
});
export type OrgView = z.infer<typeof OrgView>;

export const OrgListQuery = z.strictObject({
  includeArchived: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export const OrgCreateBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  kind: OrgKind,
  parentId: z.uuid().nullable(),
  postalCodes: PostalCodes.optional(),
});
export const OrgUpdateBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  kind: OrgKind.optional(),
  parentId: z.uuid().optional(),
  postalCodes: PostalCodes.optional(),
  archived: z.boolean().optional(),
});

export const MembershipView = z.object({
  userId: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: z.enum(ROLES),
  createdAt: IsoDate,
});
export const MembershipListQuery = z.strictObject({
  subtree: z
    .enum(['true', 'false'])
    .transform((v) => v === 'true')
    .optional(),
});
export const MembershipParams = z.strictObject({ id: z.uuid(), userId: z.uuid() });
export const MembershipUpdateBody = z.strictObject({ role: z.enum(ROLES) });

export const InvitationCreateBody = z.strictObject({ email: Email, role: z.enum(ROLES) });
export const InvitationView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  email: z.string(),
  role: z.enum(ROLES),
  createdAt: IsoDate,
  expiresAt: IsoDate,
  status: z.enum(['pending', 'accepted', 'expired', 'revoked']),
});
export const InvitationPreview = z.object({
  orgName: z.string(),
  role: z.enum(ROLES),
  email: z.string(),
  existingUser: z.boolean(),
});
export const InvitationAcceptBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  password: z.string().min(1).max(200),
  /** The second factor of an existing account that has one (TOTP or recovery code). */
  totp: z.string().trim().min(1).max(50).optional(),
});

/** "Would these postal codes break a catchment rule?" — asked by the unit form before saving. */
export const CatchmentCheckBody = z.strictObject({
  /** The unit being edited; absent for a new unit. */
  orgId: z.uuid().optional(),
  /** The (new) parent; absent: the edited unit's current parent. */
  parentId: z.uuid().nullable().optional(),
  name: z.string().trim().max(200).optional(),
  postalCodes: PostalCodes,
});

export const CatchmentProblemView = z.object({
  /** outside_parent: the code lies outside the parent's catchment; overlap: another branch holds it. */
  kind: z.enum(['outside_parent', 'overlap']),
  code: z.string(),
  unitName: z.string(),
  /** The parent (outside_parent) or the other branch's unit (overlap). */
  otherUnitName: z.string(),
  otherCode: z.string().optional(),
});
export type CatchmentProblemView = z.infer<typeof CatchmentProblemView>;

export const CatchmentCheckResult = z.object({ problems: z.array(CatchmentProblemView) });
