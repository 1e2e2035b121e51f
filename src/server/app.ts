import fs from 'node:fs';
import path from 'node:path';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import { auditRoutes } from './audit/audit.routes.ts';
import { authRoutes } from './auth/auth.routes.ts';
import { callInviteRoutes } from './calls/call-invites.routes.ts';
import { callsRoutes } from './calls/calls.routes.ts';
import { campaignsRoutes } from './campaigns/campaigns.routes.ts';
import { changesRoutes } from './changes/changes.routes.ts';
import type { Config } from './config.ts';
import { consentLinkRoutes, consentsPublicRoutes } from './consents/consents.public.ts';
import { consentsRoutes } from './consents/consents.routes.ts';
import type { DatabaseHandle } from './db/database.ts';
import { duplicatesRoutes } from './duplicates/duplicates.routes.ts';
import { exportsRoutes } from './exports/exports.routes.ts';
import { fieldsRoutes } from './fields/fields.routes.ts';
import { registerAllFilterKinds } from './filter-kinds.ts';
import { authPlugin } from './http/auth.plugin.ts';
import { registerEdgeChecks } from './http/edge.ts';
import { errorBody, registerErrorHandling } from './http/errors.ts';
import { CSP_DIRECTIVES, registerFramePolicy } from './http/frame-policy.ts';
import { serializeRequest } from './http/log-redaction.ts';
import { isPublicPagePath, PUBLIC_PREFIX, type PublicRoutes, publicPlugin } from './http/public.plugin.ts';
import { postgresRateLimitStore } from './http/rate-limit-store.ts';
import { importsRoutes } from './imports/imports.routes.ts';
import { instructionRoutes } from './instruction/instruction.routes.ts';
import { createAppJobs } from './job-modules.ts';
import { jobsRoutes } from './jobs/jobs.routes.ts';
import type { JobLayer } from './jobs/queue.ts';
import { linksPublicRoutes } from './links/links.public.ts';
import { mailRoutes } from './mail/mail.routes.ts';
import type { MailService } from './mail/mail.service.ts';
import { mailImagesPublicRoutes } from './mail/mail-images.public.ts';
import { mailImagesRoutes } from './mail/mail-images.routes.ts';
import { mailSettingsRoutes } from './mail/mail-settings.routes.ts';
import { mailingsRoutes } from './mail/mailings.routes.ts';
import { unsubscribePageActions, unsubscribePublicRoutes } from './mail/unsubscribe.public.ts';
import { membershipsRoutes } from './memberships/memberships.routes.ts';
import { orgsRoutes } from './orgs/orgs.routes.ts';
import { peopleRoutes } from './people/people.routes.ts';
import { queriesRoutes } from './queries/queries.routes.ts';
import { tagsRoutes } from './tags/tags.routes.ts';

export const VERSION: string = JSON.parse(
  fs.readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
).version;

export const WEB_DIST = path.resolve(new URL('../../dist/web', import.meta.url).pathname);

/** Every domain's routes; a new module adds one line here. */
const DOMAIN_ROUTES = [
  authRoutes,
  orgsRoutes,
  membershipsRoutes,
  instructionRoutes,
  auditRoutes,
  mailRoutes,
  mailSettingsRoutes,
  mailImagesRoutes,
  mailingsRoutes,
  jobsRoutes,
  peopleRoutes,
  consentsRoutes,
  tagsRoutes,
  fieldsRoutes,
  exportsRoutes,
  duplicatesRoutes,
  importsRoutes,
  queriesRoutes,
  callsRoutes,
  callInviteRoutes,
  campaignsRoutes,
  changesRoutes,
];

/** Every domain's public endpoints (`<domain>.public.ts`, paths below /api/public, no session). */
const PUBLIC_ROUTES = [
  unsubscribePublicRoutes,
  linksPublicRoutes,
  consentsPublicRoutes,
  mailImagesPublicRoutes,
];

/**
 * Public actions posted straight to a public page path (`PUBLIC_PAGE_PREFIXES`), e.g. the RFC 8058
 * one-click unsubscribe `POST /u/:token`; same rules as PUBLIC_ROUTES, no prefix.
 */
const PUBLIC_PAGE_ACTIONS: PublicRoutes[] = [unsubscribePageActions, consentLinkRoutes];

export interface AppDeps {
  database: DatabaseHandle;
  config: Config;
  mail: MailService;
  /** The job layer (runtime starts it); without one the app gets an inline layer (tests). */
  jobs?: JobLayer;
  /** `false`: no logging at all. Otherwise logs go to `logStream` (default stdout) at the config's level. */
  logger?: false;
  logStream?: { write(line: string): void };
}

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  registerAllFilterKinds();
  const app = Fastify({
    logger:
      deps.logger === false
        ? false
        : {
            level: deps.config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'res.headers["set-cookie"]'],
            serializers: { req: serializeRequest },
            ...(deps.logStream ? { stream: deps.logStream } : {}),
          },
    trustProxy: deps.config.trustProxy,
    // Malformed URLs and over-long path parameters answer in the API's error shape as well.
    frameworkErrors: (err, _request, reply) => {
      (reply as FastifyReply)
        .status(err.statusCode === 414 ? 414 : 400)
        .send(
          errorBody('validation_failed', 'Invalid request path.', [{ path: 'params', message: err.code }]),
        );
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  registerErrorHandling(app);
  registerEdgeChecks(app);

  await app.register(cookie);
  await app.register(helmet, { contentSecurityPolicy: { directives: CSP_DIRECTIVES } });
  // frame-ancestors 'self' everywhere, except on routes that declare `config.embeddable`.
  registerFramePolicy(app, deps.config.embedOrigins);
  // Limits hold across instances: the counters live in the database.
  await app.register(rateLimit, { global: false, store: postgresRateLimitStore(deps.database.db) });
  // Uploads (imports): streamed, one file, size-limited; a larger file is a 413 before it is stored.
  await app.register(multipart, {
    limits: { fileSize: deps.config.importMaxBytes, files: 1, fields: 10, fieldSize: 10_000, parts: 20 },
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Draht API',
        version: VERSION,
        description: 'Organizing platform API. Auth: session cookie or Bearer token.',
      },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'draht_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });

  // Everything registered from here on passes the guard: permission or public, nothing else.
  // Jobs run with the same context as requests, without an actor.
  const jobs = deps.jobs ?? createAppJobs();
  jobs.bind((db) => ({
    db: db ?? deps.database.db,
    config: deps.config,
    mail: deps.mail,
    jobs,
    log: app.log,
    ip: null,
  }));
  await app.register(authPlugin, { db: deps.database.db, config: deps.config, mail: deps.mail, jobs });

  await app.register(async (docs) => {
    docs.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await docs.register(swaggerUi, { routePrefix: '/api/docs', staticCSP: true });
    docs.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  });

  app.get('/api/health', {
    schema: {
      tags: ['health'],
      response: {
        200: z.object({
          status: z.literal('ok'),
          database: z.enum(['pglite', 'postgres']),
          version: z.string(),
        }),
      },
    },
    config: { public: true },
    handler: async () => {
      await sql`select 1`.execute(deps.database.db);
      return { status: 'ok' as const, database: deps.database.kind, version: VERSION };
    },
  });

  for (const routes of DOMAIN_ROUTES) await app.register(routes);
  await app.register(publicPlugin, { prefix: PUBLIC_PREFIX, routes: PUBLIC_ROUTES });
  await app.register(publicPlugin, { routes: PUBLIC_PAGE_ACTIONS });

  await registerWebApp(app);
  return app;
}

/**
 * Serves the built web app: its files, `public.html` for public pages (`PUBLIC_PAGE_PREFIXES`) and index.html for
 * every other non-API GET (client routing). The build writes `.br` and `.gz` beside each text file;
 * they are sent to browsers that accept them (`preCompressed`, `Vary: Accept-Encoding`). Files
 * under `/assets/` carry a content hash in their name and are cached for a year (`immutable`);
 * the HTML pages are revalidated on every load (`no-cache`), so a new build is picked up at once.
 */
async function registerWebApp(app: FastifyInstance) {
  const indexPath = path.join(WEB_DIST, 'index.html');
  if (!fs.existsSync(indexPath)) return;
  const hasPublicEntry = fs.existsSync(path.join(WEB_DIST, 'public.html'));
  const assetsDir = path.join(WEB_DIST, 'assets') + path.sep;
  await app.register(async (web) => {
    web.addHook('onRoute', (route) => {
      route.config = { ...route.config, public: true };
    });
    await web.register(fastifyStatic, {
      root: WEB_DIST,
      wildcard: false,
      index: false,
      preCompressed: true,
      cacheControl: false,
      setHeaders: (reply, filePath) => {
        const cache = filePath.startsWith(assetsDir)
          ? 'public, max-age=31536000, immutable'
          : /\.html(\.br|\.gz)?$/.test(filePath)
            ? 'no-cache'
            : 'public, max-age=3600';
        reply.header('cache-control', cache);
      },
    });
    web.get('/*', (req, reply) => {
      if (req.url.startsWith('/api/')) {
        return reply
          .status(404)
          .send({ error: { code: 'not_found', message: `No route GET ${req.url.split('?')[0]}.` } });
      }
      return reply.sendFile(isPublicPagePath(req.url) && hasPublicEntry ? 'public.html' : 'index.html');
    });
  });
}
