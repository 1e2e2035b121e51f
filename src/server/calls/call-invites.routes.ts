import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TokenParams } from '../../shared/auth.ts';
import {
  CallInviteAcceptBody,
  CallInviteAccepted,
  CallInviteLinkCreate,
  CallInviteLinkCreated,
  CallInviteLinkParams,
  CallInviteLinkView,
  CallInvitePreview,
} from '../../shared/calls.ts';
import { IdParams, page } from '../../shared/common.ts';
import { SESSION_COOKIE } from '../auth/auth.service.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import * as invites from './call-invites.service.ts';

const tags = ['calls'];

export async function callInviteRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // ---- organizers: links to one assignment ----

  r.post('/api/call-assignments/:id/invite-links', {
    schema: {
      tags,
      params: IdParams,
      body: CallInviteLinkCreate.optional(),
      response: { 201: CallInviteLinkCreated },
    },
    config: { permission: 'calls:manage' },
    handler: async (req, reply) =>
      reply.status(201).send(await invites.createInviteLink(req.ctx, req.params.id, req.body ?? {})),
  });

  r.get('/api/call-assignments/:id/invite-links', {
    schema: { tags, params: IdParams, response: { 200: page(CallInviteLinkView) } },
    config: { permission: 'calls:manage' },
    handler: (req) => invites.listInviteLinks(req.ctx, req.params.id),
  });

  r.delete('/api/call-assignments/:id/invite-links/:linkId', {
    schema: { tags, params: CallInviteLinkParams, response: { 204: z.null() } },
    config: { permission: 'calls:manage' },
    handler: async (req, reply) => {
      await invites.revokeInviteLink(req.ctx, req.params.id, req.params.linkId);
      return reply.status(204).send(null);
    },
  });

  // ---- public: whoever holds the link (rate limited like org invitations) ----

  r.get('/api/call-invites/:token', {
    schema: { tags, params: TokenParams, response: { 200: CallInvitePreview } },
    config: { public: true, secretParams: ['token'], rateLimit: { max: 30, timeWindow: '1 minute' } },
    handler: (req) => invites.previewInviteLink(req.baseCtx, req.params.token),
  });

  r.post('/api/call-invites/:token/accept', {
    schema: {
      tags,
      params: TokenParams,
      body: CallInviteAcceptBody.nullish(),
      response: { 200: CallInviteAccepted },
    },
    // Public: a new volunteer has no account yet; an empty body accepts as the signed-in user.
    config: { public: true, secretParams: ['token'], rateLimit: { max: 10, timeWindow: '1 minute' } },
    handler: async (req, reply) => {
      const { assignmentId, sessionToken } = await invites.acceptInviteLink(
        req.baseCtx,
        req.params.token,
        req.body,
        { token: req.cookies[SESSION_COOKIE], userAgent: req.headers['user-agent'] ?? null },
      );
      if (sessionToken) setSessionCookie(reply, req.baseCtx.config, sessionToken);
      return { assignmentId };
    },
  });
}
