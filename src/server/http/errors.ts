import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import type { ApiErrorBody, ErrorCode, ErrorDetail } from '../../shared/errors.ts';
import { AppError, NOT_FOUND_MESSAGE } from '../errors.ts';

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
