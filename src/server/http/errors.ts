import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiErrorBody, ErrorCode, ErrorDetail } from '../../shared/errors.ts';

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

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]): ApiErrorBody {
  return { error: details?.length ? { code, message, details } : { code, message } };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
      const retryAfter = err.details?.find((d) => d.path === 'retryAfterSeconds')?.message;
      if (retryAfter) reply.header('retry-after', retryAfter);
      return reply.status(err.status).send(errorBody(err.code, err.message, err.details));
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation.map((v) => {
        const where = v.instancePath.replace(/^\//, '').replaceAll('/', '.');
        const unknownKeys = (v.params as { issue?: { code?: string; keys?: string[] } }).issue;
        const path = unknownKeys?.code === 'unrecognized_keys' ? (unknownKeys.keys ?? []).join(', ') : where;
        return {
          path: `${err.validationContext ?? 'body'}${path ? `.${path}` : ''}`,
          message: v.message ?? 'invalid',
        };
      });
      return reply
        .status(400)
        .send(errorBody('validation_failed', `Invalid ${err.validationContext ?? 'request'}.`, details));
    }
    if (isResponseSerializationError(err)) {
      request.log.error({ err }, 'response did not match its schema');
      return reply.status(500).send(errorBody('internal_error', 'Internal error.'));
    }
    const dbError = databaseInputError(err);
    if (dbError) {
      request.log.warn({ sqlState: err.code }, 'database refused the input');
      return reply.status(dbError.status).send(errorBody(dbError.code, dbError.message));
    }
    if (err.statusCode === 429) {
      return reply
        .status(429)
        .send(errorBody('rate_limited', 'Too many requests. Please wait and try again.'));
    }
    if (err.statusCode === 413 || err.code === 'FST_REQ_FILE_TOO_LARGE') {
      return reply.status(413).send(errorBody('payload_too_large', 'The request is too large.'));
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      // Fastify's own client errors: malformed JSON, wrong content type, …
      return reply.status(err.statusCode).send(errorBody('validation_failed', err.message));
    }
    request.log.error({ err }, 'unhandled error');
    return reply.status(500).send(errorBody('internal_error', 'Internal error.'));
  });

  app.setNotFoundHandler((request, reply) => {
    reply
      .status(404)
      .send(errorBody('not_found', `No route ${request.method} ${request.url.split('?')[0]}.`));
  });
}

/**
 * Errors PostgreSQL raises about the *input* (SQLSTATE class 22: bad text, numbers or dates out of
 * range, NUL bytes; class 23: constraints) are the client's fault, never a 500. Services check what
 * they can first; this is the net under them. A missing referenced row answers like every other
 * unknown id.
 */
function databaseInputError(err: FastifyError): AppError | null {
  const state = typeof err.code === 'string' && 'severity' in err ? err.code : '';
  if (!/^2[23][0-9A-Z]{3}$/.test(state)) return null;
  if (state === '23505') return new AppError('conflict', 'This conflicts with an existing record.');
  if (state === '23503') return new AppError('not_found', NOT_FOUND_MESSAGE);
  return new AppError('validation_failed', 'The input was refused as invalid.');
}
