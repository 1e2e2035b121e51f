import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * May be shown in a frame on other sites (public forms, event widgets on party websites):
     * CSP `frame-ancestors` from `EMBED_ORIGINS` (default `*`) and no `X-Frame-Options`.
     * Every other route keeps `frame-ancestors 'self'` and `X-Frame-Options: SAMEORIGIN`.
     */
    embeddable?: boolean;
  }
}

/** The app's Content-Security-Policy (helmet's defaults plus these). */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  styleSrc: ["'self'", "'unsafe-inline'"],
  scriptSrc: ["'self'"],
  connectSrc: ["'self'"],
  upgradeInsecureRequests: null,
};

/** `frame-ancestors` of an embeddable route: everyone, or our own origin plus the listed ones. */
export function frameAncestors(embedOrigins: string[]): string[] {
  return embedOrigins.includes('*') ? ['*'] : ["'self'", ...embedOrigins];
}

/**
 * Routes declaring `config.embeddable` get their own helmet settings (helmet reads
 * `config.helmet` per request). Register before the routes: onRoute hooks see only later routes.
 */
export function registerFramePolicy(app: FastifyInstance, embedOrigins: string[]): void {
  const helmet = {
    contentSecurityPolicy: {
      directives: { ...CSP_DIRECTIVES, frameAncestors: frameAncestors(embedOrigins) },
    },
    xFrameOptions: false,
  };
  app.addHook('onRoute', (route) => {
    // @fastify/helmet takes per-route settings from `config.helmet` (merged over the global ones).
    if (route.config?.embeddable) route.config = { ...route.config, helmet } as typeof route.config;
  });
}
