import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TokenParams } from '../../shared/auth.ts';
import {
  OneClickBody,
  UnsubscribeInfo,
  UnsubscribeRequest,
  UnsubscribeResult,
} from '../../shared/unsubscribe.ts';
import { AppError } from '../errors.ts';
import { describeUnsubscribe, unsubscribe } from './unsubscribe.service.ts';

const tags = ['public'];

/**
 * Mail programs post the one-click unsubscribe from their own servers (one address for many
 * people), so these routes allow more per address than the public default.
 */
const rateLimit = { max: 300, timeWindow: 60_000 };

/** Below /api/public: what the unsubscribe page shows, and the choice posted from it. */
export async function unsubscribePublicRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/unsubscribe/:token', {
    schema: { tags, params: TokenParams, response: { 200: UnsubscribeInfo } },
    config: { secretParams: ['token'], rateLimit },
    handler: (req) => describeUnsubscribe(req.baseCtx, req.params.token),
  });

  r.post('/unsubscribe/:token', {
    schema: { tags, params: TokenParams, body: UnsubscribeRequest, response: { 200: UnsubscribeResult } },
    config: { secretParams: ['token'], rateLimit },
    handler: (req) => unsubscribe(req.baseCtx, req.params.token, req.body.scope, 'page'),
  });
}

/**
 * `POST /u/:token` with `List-Unsubscribe=One-Click` (RFC 8058, form-encoded): what a mail
 * program's "unsubscribe" button sends. Unsubscribes from this purpose of this unit and answers
 * 200 at once; no redirect, no page.
 */
export async function unsubscribePageActions(app: FastifyInstance) {
  // Only in this plugin's scope: the rest of the app takes JSON only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.post('/u/:token', {
    schema: {
      tags,
      params: TokenParams,
      // Form-encoded (parsed above) or multipart/form-data (read in the handler): RFC 8058 allows both.
      body: OneClickBody.nullish(),
      response: { 200: z.object({ ok: z.literal(true) }) },
    },
    config: { secretParams: ['token'], rateLimit },
    handler: async (req) => {
      let oneClick = req.body?.['List-Unsubscribe'] === 'One-Click';
      if (!req.body && req.isMultipart()) {
        for await (const part of req.parts()) {
          if (part.type === 'field' && part.fieldname === 'List-Unsubscribe' && part.value === 'One-Click')
            oneClick = true;
        }
      }
      if (!oneClick)
        throw new AppError('validation_failed', 'Post List-Unsubscribe=One-Click (RFC 8058).', [
          { path: 'body.List-Unsubscribe', message: 'must be One-Click', reason: 'one_click_required' },
        ]);
      await unsubscribe(req.baseCtx, req.params.token, 'unit_purpose', 'one_click');
      return { ok: true as const };
    },
  });
}
