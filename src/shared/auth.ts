import { z } from 'zod';
import { Email, IsoDate, Locale, Password } from './common.ts';
import { ROLES } from './permissions.ts';

export const UserView = z.object({
  id: z.uuid(),
  email: z.string(),
  name: z.string(),
  locale: Locale,
  isSuperadmin: z.boolean(),
  totpEnabled: z.boolean(),
});
export type UserView = z.infer<typeof UserView>;

export const LoginBody = z.strictObject({
  email: Email,
  password: z.string().min(1).max(200),
  totp: z.string().trim().min(6).max(32).optional(),
});
export const LoginResponse = z.object({ user: UserView });

export const MembershipRef = z.object({ orgId: z.uuid(), role: z.enum(ROLES) });
export const MeResponse = z.object({
  user: UserView,
  memberships: z.array(MembershipRef),
  instructionConfirmed: z.boolean(),
  currentInstructionVersion: z.number().int(),
});
export type MeResponse = z.infer<typeof MeResponse>;

export const UpdateMeBody = z.strictObject({
  name: z.string().trim().min(1).max(200).optional(),
  locale: Locale.optional(),
});

export const ChangePasswordBody = z.strictObject({
  currentPassword: z.string().max(200),
  newPassword: Password,
});

export const ConfirmInstructionBody = z.strictObject({ version: z.number().int().min(1) });

export const PasswordResetRequestBody = z.strictObject({ email: Email });
export const PasswordResetBody = z.strictObject({ password: Password });
export const TokenParams = z.strictObject({ token: z.string().min(10).max(200) });

export const TotpSetupResponse = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  qrCodeDataUrl: z.string(),
});
export const TotpEnableBody = z.strictObject({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'six digits'),
});
export const TotpEnableResponse = z.object({ recoveryCodes: z.array(z.string()) });
export const TotpDisableBody = z.strictObject({ password: z.string().max(200) });

export const ApiTokenCreateBody = z.strictObject({ name: z.string().trim().min(1).max(100) });
export const ApiTokenCreated = z.object({ id: z.uuid(), name: z.string(), token: z.string() });
export const ApiTokenView = z.object({
  id: z.uuid(),
  name: z.string(),
  createdAt: IsoDate,
  lastUsedAt: IsoDate.nullable(),
});
