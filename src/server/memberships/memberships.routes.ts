import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LoginResponse, TokenParams } from '../../shared/auth.ts';
import { IdParams, page } from '../../shared/common.ts';
import {
  InvitationAcceptBody,
  InvitationCreateBody,
  InvitationPreview,
  InvitationView,
  MembershipListQuery,
  MembershipParams,
  MembershipUpdateBody,
  MembershipView,
} from '../../shared/orgs.ts';
import { setSessionCookie } from '../http/session-cookie.ts';
import * as service from './memberships.service.ts';

const tags = ['memberships'];

export async function membershipsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/orgs/:id/memberships', {
    schema: {
      tags,
      params: IdParams,
      querystring: MembershipListQuery,
      response: { 200: page(MembershipView) },
    },
    config: { permission: 'memberships:read' },
    handler: (req) => service.listMemberships(req.ctx, req.params.id, req.query),
  });

  r.patch('/api/orgs/:id/memberships/:userId', {
    schema: { tags, params: MembershipParams, body: MembershipUpdateBody, response: { 204: z.null() } },
    config: { permission: 'memberships:write' },
    handler: async (req, reply) => {
      await service.changeRole(req.ctx, req.params.id, req.params.userId, req.body.role);
      return reply.status(204).send(null);
    },
  });

  r.delete('/api/orgs/:id/memberships/:userId', {
    schema: { tags, params: MembershipParams, response: { 204: z.null() } },
    config: { permission: 'memberships:write' },
    handler: async (req, reply) => {
      await service.removeMembership(req.ctx, req.params.id, req.params.userId);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/orgs/:id/invitations', {
    schema: { tags, params: IdParams, response: { 200: page(InvitationView) } },
    config: { permission: 'memberships:read' },
    handler: (req) => service.listInvitations(req.ctx, req.params.id),
  });

  r.post('/api/orgs/:id/invitations', {
    schema: {
      tags,
      params: IdParams,
      body: InvitationCreateBody,
      response: { 201: z.object({ id: z.uuid() }) },
    },
    // Organizers invite callers, admins any role: the service decides per role.
    config: { permission: 'memberships:invite' },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(await service.inviteToOrg(req.ctx, req.params.id, req.body.email, req.body.role)),
  });

  r.delete('/api/invitations/:id', {
    schema: { tags, params: IdParams, response: { 204: z.null() } },
    config: { permission: 'memberships:invite' },
    handler: async (req, reply) => {
      await service.revokeInvitation(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/invitations/:token', {
    schema: { tags, params: TokenParams, response: { 200: InvitationPreview } },
    config: { public: true, secretParams: ['token'], rateLimit: { max: 30, timeWindow: '1 minute' } },
    handler: (req) => service.previewInvitation(req.baseCtx, req.params.token),
  });

  r.post('/api/invitations/:token/accept', {
    schema: { tags, params: TokenParams, body: InvitationAcceptBody, response: { 200: LoginResponse } },
    config: { public: true, secretParams: ['token'], rateLimit: { max: 10, timeWindow: '1 minute' } },
    handler: async (req, reply) => {
      const { user, sessionToken } = await service.acceptInvitation(
        req.baseCtx,
        req.params.token,
        req.body,
        req.headers['user-agent'] ?? null,
      );
      setSessionCookie(reply, req.baseCtx.config, sessionToken);
      return { user };
    },
  });
}
