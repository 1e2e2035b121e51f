import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type Permission, touchesPersonalData } from '../../shared/permissions.ts';
import { actorFromApiToken, actorFromSession, SESSION_COOKIE } from '../auth/auth.service.ts';
import { holdsPermissionSomewhere } from '../auth/scope.ts';
import type { Config } from '../config.ts';
import type { BaseCtx, Ctx } from '../context.ts';
import type { Db } from '../db/database.ts';
import { AppError } from '../errors.ts';
import type { Jobs } from '../jobs/jobs.ts';
import type { MailService } from '../mail/mail.service.ts';
import { SECRET_PARAM_NAME } from './log-redaction.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The permission this route needs; checked before the handler runs. */
    permission?: Permission;
    /** Deliberately open to everyone (login, health, invitation links, the SPA's files). */
    public?: boolean;
    /** Path parameters that carry a secret (link tokens): their values never reach the log. */
    secretParams?: string[];
  }
  interface FastifyRequest {
    /** Context for public routes: no actor. */
    baseCtx: BaseCtx;
    /** Context for protected routes: the authenticated actor. */
    ctx: Ctx;
    sessionToken?: string;
  }
  interface FastifyInstance {
    /** Every registered route with its guard config (the route-guard test reads it). */
    routeTable: RouteEntry[];
  }
}

export interface RouteEntry {
  method: string | string[];
  url: string;
  config?: { permission?: Permission; public?: boolean; secretParams?: string[] };
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * CSRF protection without a token: browsers mark cross-site requests (Sec-Fetch-Site, Origin);
 * together with SameSite=Lax cookies a foreign page cannot make us act on a user's session.
 * Requests without those headers (API clients, tests) are not browser CSRF.
 */
function crossSite(request: FastifyRequest, config: Config): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    const o = new URL(origin);
    return o.host !== request.headers.host && o.origin !== new URL(config.publicUrl).origin;
  } catch {
    return true;
  }
}

export interface AuthDeps {
  db: Db;
  config: Config;
  mail: MailService;
  jobs: Jobs;
}

/**
 * Authentication on by default: every route must declare `config.permission` or `config.public`
 * (registration fails otherwise); the hook resolves the actor from the session cookie or a bearer
 * token, checks the permission and the data-protection instruction, and builds `request.ctx`.
 */
export const authPlugin = fp(async (app: FastifyInstance, deps: AuthDeps) => {
  app.decorateRequest('baseCtx', null as unknown as BaseCtx);
  app.decorateRequest('ctx', null as unknown as Ctx);

  // Checked when the app is ready, after plugins had their say (docs and SPA files mark their
  // routes public in their own onRoute hooks, which run after this one).
  const routes: RouteEntry[] = [];
  app.decorate('routeTable', routes);
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  app.addHook('onReady', async () => {
    for (const route of routes) {
      if (!route.config?.public && !route.config?.permission) {
        throw new Error(
          `Route ${route.method} ${route.url} declares neither config.permission nor config.public`,
        );
      }
      const undeclared = [...route.url.matchAll(/:(\w+)/g)]
        .map((m) => m[1])
        .filter((name) => SECRET_PARAM_NAME.test(name) && !route.config?.secretParams?.includes(name));
      if (undeclared.length) {
        throw new Error(
          `Route ${route.method} ${route.url}: declare the secret path parameter(s) ${undeclared.join(', ')} in config.secretParams`,
        );
      }
    }
  });

  app.addHook('onRequest', async (request) => {
    const baseCtx: BaseCtx = {
      db: deps.db,
      config: deps.config,
      mail: deps.mail,
      jobs: deps.jobs,
      log: request.log,
      ip: request.ip,
    };
    request.baseCtx = baseCtx;
    const cfg = request.routeOptions.config ?? {};
    const auth = request.headers.authorization;
    const bearer = typeof auth === 'string' && auth.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
    if (UNSAFE.has(request.method) && !bearer && crossSite(request, deps.config)) {
      throw new AppError('csrf_failed', 'Cross-site request refused.');
    }
    if (cfg.public || !cfg.permission) return;

    const sessionToken = request.cookies[SESSION_COOKIE];
    const actor = bearer
      ? await actorFromApiToken(baseCtx, bearer)
      : sessionToken
        ? await actorFromSession(baseCtx, sessionToken)
        : null;
    if (!actor) throw new AppError('not_authenticated', 'Please log in.');
    request.sessionToken = bearer ? undefined : sessionToken;
    if (!holdsPermissionSomewhere(actor, cfg.permission)) {
      throw new AppError('forbidden', 'Your role does not allow this.');
    }
    if (touchesPersonalData(cfg.permission) && !actor.instructionConfirmed) {
      throw new AppError(
        'instruction_required',
        'Please read and confirm the current data-protection instruction first.',
      );
    }
    request.ctx = { ...baseCtx, actor };
  });
});
