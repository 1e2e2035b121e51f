import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, page } from '../../shared/common.ts';
import {
  MailTemplate,
  MailTemplateCreate,
  MailTemplateUpdate,
  OrgMailSettings,
  OrgMailSettingsPut,
  SenderAddress,
  SenderAddressCreate,
} from '../../shared/mailings.ts';
import * as settings from './mail-settings.service.ts';

const tags = ['mailings'];

/** Senders (instance allow-list), a unit's mail settings and its templates. */
export async function mailSettingsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/mail/sender-addresses', {
    schema: { tags, response: { 200: page(SenderAddress) } },
    config: { permission: 'instance:manage' },
    handler: async (req) => ({ items: await settings.listSenderAddresses(req.ctx), nextCursor: null }),
  });

  r.post('/api/mail/sender-addresses', {
    schema: { tags, body: SenderAddressCreate, response: { 201: SenderAddress } },
    config: { permission: 'instance:manage' },
    handler: async (req, reply) =>
      reply.status(201).send(await settings.addSenderAddress(req.ctx, req.body.address)),
  });

  r.delete('/api/mail/sender-addresses/:id', {
    schema: { tags, params: IdParams, response: { 204: z.null() } },
    config: { permission: 'instance:manage' },
    handler: async (req, reply) => {
      await settings.removeSenderAddress(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/orgs/:id/mail-settings', {
    schema: { tags, params: IdParams, response: { 200: OrgMailSettings } },
    config: { permission: 'mail:send' },
    handler: (req) => settings.getMailSettings(req.ctx, req.params.id),
  });

  r.put('/api/orgs/:id/mail-settings', {
    schema: { tags, params: IdParams, body: OrgMailSettingsPut, response: { 200: OrgMailSettings } },
    config: { permission: 'mail:configure' },
    handler: (req) => settings.putMailSettings(req.ctx, req.params.id, req.body),
  });

  r.get('/api/mail/templates', {
    schema: { tags, querystring: z.strictObject({ orgId: z.uuid() }), response: { 200: page(MailTemplate) } },
    config: { permission: 'mail:send' },
    handler: (req) => settings.listTemplates(req.ctx, req.query.orgId),
  });

  r.post('/api/mail/templates', {
    schema: { tags, body: MailTemplateCreate, response: { 201: MailTemplate } },
    config: { permission: 'mail:send' },
    handler: async (req, reply) => reply.status(201).send(await settings.createTemplate(req.ctx, req.body)),
  });

  r.patch('/api/mail/templates/:id', {
    schema: { tags, params: IdParams, body: MailTemplateUpdate, response: { 200: MailTemplate } },
    config: { permission: 'mail:send' },
    handler: (req) => settings.updateTemplate(req.ctx, req.params.id, req.body),
  });

  r.delete('/api/mail/templates/:id', {
    schema: { tags, params: IdParams, response: { 204: z.null() } },
    config: { permission: 'mail:send' },
    handler: async (req, reply) => {
      await settings.deleteTemplate(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  });
}
