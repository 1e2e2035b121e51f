import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ApiTokenCreateBody,
  ApiTokenCreated,
  ApiTokenView,
  ChangePasswordBody,
  ConfirmInstructionBody,
  LoginBody,
  LoginResponse,
  MeResponse,
  PasswordResetBody,
  PasswordResetRequestBody,
  TokenParams,
  TotpDisableBody,
  TotpEnableBody,
  TotpEnableResponse,
  TotpSetupResponse,
  UpdateMeBody,
} from '../../shared/auth.ts';
import { IdParams, Ok, page } from '../../shared/common.ts';
import { clearSessionCookie, setSessionCookie } from '../http/session-cookie.ts';
import { confirmInstruction } from '../instruction/instruction.service.ts';
import * as service from './auth.service.ts';

const tags = ['auth'];
const publicLimit = { max: 30, timeWindow: '1 minute' };

export async function authRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/auth/login', {
    schema: { tags, body: LoginBody, response: { 200: LoginResponse } },
    // Brute force is stopped by the failure counter in the service (per IP and per account, shared
    // by all instances); a plain request limit here would also throttle offices behind one NAT.
    config: { public: true },
    handler: async (req, reply) => {
      const { user, sessionToken } = await service.login(
        req.baseCtx,
        req.body,
        req.headers['user-agent'] ?? null,
      );
      setSessionCookie(reply, req.baseCtx.config, sessionToken);
      return { user };
    },
  });

  r.post('/api/auth/logout', {
    schema: { tags, response: { 200: Ok } },
    config: { public: true },
    handler: async (req, reply) => {
      await service.logout(req.baseCtx, req.cookies.draht_session);
      clearSessionCookie(reply, req.baseCtx.config);
      return { ok: true as const };
    },
  });

  r.get('/api/auth/me', {
    schema: { tags, response: { 200: MeResponse } },
    config: { permission: 'account:self' },
    handler: (req) => service.me(req.ctx),
  });

  r.patch('/api/auth/me', {
    schema: { tags, body: UpdateMeBody, response: { 200: MeResponse } },
    config: { permission: 'account:self' },
    handler: (req) => service.updateMe(req.ctx, req.body),
  });

  r.post('/api/auth/password', {
    schema: { tags, body: ChangePasswordBody, response: { 200: Ok } },
    config: { permission: 'account:self' },
    handler: async (req) => {
      await service.changePassword(req.ctx, req.body.currentPassword, req.body.newPassword, req.sessionToken);
      return { ok: true as const };
    },
  });

  r.post('/api/auth/confirm-instruction', {
    schema: { tags, body: ConfirmInstructionBody, response: { 200: Ok } },
    config: { permission: 'account:self' },
    handler: (req) => confirmInstruction(req.ctx, req.body.version),
  });

  r.post('/api/auth/password-reset', {
    schema: { tags, body: PasswordResetRequestBody, response: { 202: Ok } },
    config: { public: true, rateLimit: { max: 5, timeWindow: '15 minutes' } },
    handler: async (req, reply) => {
      await service.requestPasswordReset(req.baseCtx, req.body.email);
      return reply.status(202).send({ ok: true as const });
    },
  });

  r.post('/api/auth/password-reset/:token', {
    schema: { tags, params: TokenParams, body: PasswordResetBody, response: { 200: Ok } },
    config: { public: true, secretParams: ['token'], rateLimit: publicLimit },
    handler: async (req) => {
      await service.resetPassword(req.baseCtx, req.params.token, req.body.password);
      return { ok: true as const };
    },
  });

  r.post('/api/auth/totp/setup', {
    schema: { tags, response: { 200: TotpSetupResponse } },
    config: { permission: 'account:self' },
    handler: (req) => service.startTotpSetup(req.ctx),
  });

  r.post('/api/auth/totp/enable', {
    schema: { tags, body: TotpEnableBody, response: { 200: TotpEnableResponse } },
    config: { permission: 'account:self' },
    handler: (req) => service.enableTotp(req.ctx, req.body.code),
  });

  r.post('/api/auth/totp/disable', {
    schema: { tags, body: TotpDisableBody, response: { 200: Ok } },
    config: { permission: 'account:self' },
    handler: async (req) => {
      await service.disableTotp(req.ctx, req.body.password);
      return { ok: true as const };
    },
  });

  r.post('/api/tokens', {
    schema: { tags: ['tokens'], body: ApiTokenCreateBody, response: { 201: ApiTokenCreated } },
    config: { permission: 'account:self' },
    handler: async (req, reply) =>
      reply.status(201).send(await service.createApiToken(req.ctx, req.body.name)),
  });

  r.get('/api/tokens', {
    schema: { tags: ['tokens'], response: { 200: page(ApiTokenView) } },
    config: { permission: 'account:self' },
    handler: async (req) => ({ items: await service.listApiTokens(req.ctx), nextCursor: null }),
  });

  r.delete('/api/tokens/:id', {
    schema: { tags: ['tokens'], params: IdParams, response: { 204: z.null() } },
    config: { permission: 'account:self' },
    handler: async (req, reply) => {
      await service.revokeApiToken(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  });
}
