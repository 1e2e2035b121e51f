/** Every error code the API answers with; the web translates each one (l10n key `errors.<code>`). */
export const ERROR_CODES = [
  'validation_failed',
  'invalid_credentials',
  'totp_required',
  'not_authenticated',
  'forbidden',
  'instruction_required',
  'csrf_failed',
  'not_found',
  'conflict',
  'already_member',
  'email_taken',
  'invitation_invalid',
  'token_invalid',
  'payload_too_large',
  'rule_violation',
  'org_cycle',
  'rate_limited',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDetail {
  path: string;
  message: string;
  /** Machine-readable reason (snake_case) the web translates as `errors.reasons.<reason>`. */
  reason?: string;
}

export interface ApiErrorBody {
  error: { code: ErrorCode; message: string; details?: ErrorDetail[] };
}
