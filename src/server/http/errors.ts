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

/** The one error type services throw; the HTTP layer turns it into the API error shape. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetail[];
  constructor(code: ErrorCode, message: string, details?: ErrorDetail[]) {
    super(message);
    this.code = code;
    this.details = details;
  }
  get status(): number {
    return STATUS[this.code];
  }
}

export const notFound = (what = 'Resource') => new AppError('not_found', `${what} not found.`);
export const forbidden = (message = 'You are not allowed to do this.') => new AppError('forbidden', message);

export function errorBody(code: ErrorCode, message: string, details?: ErrorDetail[]): ApiErrorBody {
  return { error: details?.length ? { code, message, details } : { code, message } };
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    if (err instanceof AppError) {
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
