import type { FastifyRequest } from 'fastify';

/** Path parameters whose names say they carry a secret; such a route must declare them. */
export const SECRET_PARAM_NAME = /token|secret/i;

/** A path segment that looks like one of our random tokens (256 bits base64url, maybe prefixed). */
const TOKEN_SEGMENT = /(?<=\/)[A-Za-z0-9_-]{40,}(?=[/?#]|$)/g;

/**
 * The URL as it may be logged: the values of the route's declared secret path parameters
 * (`config.secretParams`) are replaced by "…". For URLs no route matched, anything shaped like a
 * token is replaced as well.
 */
export function redactedUrl(request: FastifyRequest): string {
  let url = request.url;
  const secret = request.routeOptions?.config?.secretParams ?? [];
  const params = (request.params ?? {}) as Record<string, unknown>;
  for (const name of secret) {
    const value = params[name];
    if (typeof value !== 'string' || value === '') continue;
    url = url.split(encodeURIComponent(value)).join('…').split(value).join('…');
  }
  return url.replace(TOKEN_SEGMENT, '…');
}

export function serializeRequest(request: FastifyRequest) {
  return { method: request.method, url: redactedUrl(request), remoteAddress: request.ip };
}
