import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorDetail } from '../../shared/errors.ts';
import { AppError } from '../errors.ts';

/** Where a NUL character sits in parsed input (`querystring.search`, `body.emails.0.email`), if anywhere. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (depth > 32 || value === null || typeof value !== 'object') return null;
  for (const [key, child] of Object.entries(value)) {
    if (key.includes('\u0000')) return path;
    const found = findNul(child, `${path}.${key}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Input checks every route gets before its schema: no string anywhere (path, query, body) may hold
 * a NUL character — PostgreSQL cannot store one, and it is never a real name, search or address.
 */
async function rejectNulInput(request: FastifyRequest) {
  const details: ErrorDetail[] = [];
  for (const [where, value] of [
    ['params', request.params],
    ['querystring', request.query],
    ['body', request.body],
  ] as const) {
    const path = findNul(value, where);
    if (path) details.push({ path, message: 'must not contain NUL characters' });
  }
  if (details.length) throw new AppError('validation_failed', 'Invalid request.', details);
}

/**
 * Nothing under /api/ is stored by browsers or proxies: answers hold personal data. Downloads are
 * `private, no-store` as well. The static API docs are the exception.
 */
async function noStoreForApi(request: FastifyRequest, reply: FastifyReply) {
  if (!request.url.startsWith('/api/') || request.url.startsWith('/api/docs')) return;
  reply.header('cache-control', reply.hasHeader('content-disposition') ? 'private, no-store' : 'no-store');
}

export function registerEdgeChecks(app: FastifyInstance): void {
  app.addHook('preValidation', rejectNulInput);
  app.addHook('onSend', async (request, reply, payload) => {
    await noStoreForApi(request, reply);
    return payload;
  });
}
