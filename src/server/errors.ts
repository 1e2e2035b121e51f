import type { ErrorCode, ErrorDetail } from '../shared/errors.ts';

const STATUS: Record<ErrorCode, number> = {
  validation_failed: 400,
  invalid_credentials: 401,
  totp_required: 401,
  not_authenticated: 401,
  forbidden: 403,
  instruction_required: 403,
  csrf_failed: 403,
  not_found: 404,
  conflict: 409,
  already_member: 409,
  email_taken: 409,
  invitation_invalid: 410,
  token_invalid: 410,
  payload_too_large: 413,
  rule_violation: 422,
  org_cycle: 422,
  rate_limited: 429,
  internal_error: 500,
};

/**
 * The one answer for anything not found: an unknown id and an id outside the actor's scope must be
 * byte-identical, so no `not_found` ever says what was looked for.
 */
export const NOT_FOUND_MESSAGE = 'Not found.';

/** The one error type services throw; the HTTP layer turns it into the API error shape. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  /** `message` of a `not_found` is for the reader of the code only: the answer is always NOT_FOUND_MESSAGE. */
  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(code === 'not_found' ? NOT_FOUND_MESSAGE : message);
    this.code = code;
    this.details = code === 'not_found' ? undefined : details;
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = () => new AppError('not_found', NOT_FOUND_MESSAGE);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('forbidden', message);
