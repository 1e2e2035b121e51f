import { normalizeIP } from '@fastify/rate-limit';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Public forms: the name of a body field no human fills (a hidden "website" input). When it
     * holds anything the request is answered `202 {ok: true}` like an accepted submission and the
     * handler never runs (a bot learns nothing). Only under /api/public.
     */
    honeypot?: string;
  }
}

/** Where public endpoints live; everything under it is public by construction. */
export const PUBLIC_PREFIX = '/api/public';

/**
 * Short public page paths that go out in mails and on websites: `/p/…` (link pages), `/u/:token`
 * (unsubscribe), `/c/:token` (consent confirmation), `/e/:slug` (events), `/f/:slug` (forms),
 * `/o/:orgSlug/…` (a unit's public events). A GET there serves the public entry (`public.html`);
 * the few non-GET actions a mail program or a form posts straight to such a path (RFC 8058
 * one-click unsubscribe: `POST /u/:token`) are public routes registered through this plugin
 * without the prefix.
 */
export const PUBLIC_PAGE_PREFIXES = ['/p', '/u', '/c', '/e', '/f', '/o'] as const;

/** Whether a request path is a public page (served from the public entry, not the signed-in app). */
export function isPublicPagePath(url: string): boolean {
  return PUBLIC_PAGE_PREFIXES.some((p) => url === p || url.startsWith(`${p}/`) || url.startsWith(`${p}?`));
}

/** Every public route gets these unless it declares its own (`config.rateLimit`, `bodyLimit`). */
export const PUBLIC_DEFAULTS = {
  /** Per route and client address, counted in PostgreSQL (shared by all instances). */
  rateLimit: { max: 30, timeWindow: 60_000 },
  /** Public bodies are small forms: 16 KiB (the app's default is 1 MiB). */
  bodyLimit: 16 * 1024,
};

export type PublicRoutes = (app: FastifyInstance) => Promise<void>;

const filled = (v: unknown) => v !== undefined && v !== null && v !== '';

function honeypotHook(field: string) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const body = request.body as Record<string, unknown> | null | undefined;
    if (body && typeof body === 'object' && filled(body[field])) {
      request.log.info({ honeypot: field }, 'honeypot field filled: answered as accepted, nothing done');
      return reply.status(202).send({ ok: true });
    }
  };
}

/**
 * The public surface: an encapsulated plugin (register it with `prefix: PUBLIC_PREFIX`, or without
 * a prefix for actions on public page paths, `PUBLIC_PAGE_PREFIXES`) for
 * endpoints anyone may call without a session — event pages, sign-up and lead forms, unsubscribe,
 * consent confirmation, survey and data-change links. Routes registered inside it
 * - are public (`config.public` is set here; a `config.permission` is refused),
 * - are rate limited per route and client address through the app's database-backed store
 *   (`PUBLIC_DEFAULTS.rateLimit`, or the route's own `config.rateLimit`; `false` is refused),
 * - accept bodies up to `PUBLIC_DEFAULTS.bodyLimit` unless the route sets `bodyLimit` (413 above),
 * - may declare a honeypot body field (`config.honeypot`, see there),
 * - must declare secret path parameters in `config.secretParams` (checked app-wide, redacted
 *   from logs), and may be `config.embeddable` (frame-policy.ts).
 */
export const publicPlugin: FastifyPluginAsync<{ routes: PublicRoutes[] }> = async (app, opts) => {
  app.addHook('onRoute', (route) => {
    const where = `Public route ${[route.method].flat().join(',')} ${route.url}`;
    if (!route.url.startsWith(`${PUBLIC_PREFIX}/`) && !isPublicPagePath(route.url))
      throw new Error(`${where}: register it with prefix ${PUBLIC_PREFIX} (or below a public page path)`);
    const config = route.config ?? {};
    if (config.permission) throw new Error(`${where}: public routes declare no permission`);
    if (config.rateLimit === false) throw new Error(`${where}: public routes are always rate limited`);
    if (config.rateLimit === undefined) {
      // The root rate-limit plugin saw this route before this hook: add the default limiter here,
      // keyed per route and client address like the routes that declare their own limit.
      const limiter = app.rateLimit({
        ...PUBLIC_DEFAULTS.rateLimit,
        keyGenerator: (req) => `${req.routeOptions.method} ${req.routeOptions.url}|${normalizeIP(req.ip)}`,
      });
      route.onRequest = [route.onRequest ?? []].flat().concat(limiter);
    }
    if (config.honeypot) {
      const field = config.honeypot;
      const shape = (route.schema?.body as { shape?: Record<string, unknown> } | undefined)?.shape;
      if (!shape || !(field in shape))
        throw new Error(`${where}: the honeypot field ${field} must be in the body schema`);
      if (!(route.schema?.response as Record<number, unknown> | undefined)?.[202])
        throw new Error(`${where}: a route with a honeypot answers 202 {ok: true}; declare that response`);
      route.preValidation = [route.preValidation ?? []].flat().concat(honeypotHook(field));
    }
    route.bodyLimit ??= PUBLIC_DEFAULTS.bodyLimit;
    route.config = {
      ...config,
      public: true,
      rateLimit: config.rateLimit ?? PUBLIC_DEFAULTS.rateLimit,
    };
  });
  for (const routes of opts.routes) await app.register(routes);
};
