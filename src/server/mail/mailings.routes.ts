import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok, page } from '../../shared/common.ts';
import {
  ConsentRequestCreate,
  Mailing,
  MailingCreate,
  MailingListItem,
  MailingListQuery,
  MailingPreview,
  MailingPreviewQuery,
  MailingProgress,
  MailingReach,
  MailingSend,
  MailingTest,
  MailingUpdate,
  ReachPeopleQuery,
  ReachPerson,
} from '../../shared/mailings.ts';
import * as lifecycle from './mailing-lifecycle.service.ts';
import * as mailings from './mailings.service.ts';

const tags = ['mailings'];

export async function mailingsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/mailings', {
    schema: { tags, body: MailingCreate, response: { 201: Mailing } },
    config: { permission: 'mail:send' },
    handler: async (req, reply) => reply.status(201).send(await mailings.createMailing(req.ctx, req.body)),
  });

  r.get('/api/mailings', {
    schema: { tags, querystring: MailingListQuery, response: { 200: page(MailingListItem) } },
    config: { permission: 'mail:send' },
    handler: (req) => mailings.listMailings(req.ctx, req.query),
  });

  r.get('/api/mailings/:id', {
    schema: { tags, params: IdParams, response: { 200: Mailing } },
    config: { permission: 'mail:send' },
    handler: (req) => mailings.getMailing(req.ctx, req.params.id),
  });

  r.patch('/api/mailings/:id', {
    schema: { tags, params: IdParams, body: MailingUpdate, response: { 200: Mailing } },
    config: { permission: 'mail:send' },
    handler: (req) => mailings.updateMailing(req.ctx, req.params.id, req.body),
  });

  r.get('/api/mailings/:id/reach', {
    schema: { tags, params: IdParams, response: { 200: MailingReach } },
    config: { permission: 'mail:send' },
    handler: (req) => mailings.getReach(req.ctx, req.params.id),
  });

  r.get('/api/mailings/:id/reach/people', {
    schema: { tags, params: IdParams, querystring: ReachPeopleQuery, response: { 200: page(ReachPerson) } },
    config: { permission: 'people:read' },
    handler: (req) => mailings.listReachPeople(req.ctx, req.params.id, req.query),
  });

  r.get('/api/mailings/:id/preview', {
    schema: { tags, params: IdParams, querystring: MailingPreviewQuery, response: { 200: MailingPreview } },
    config: { permission: 'mail:send' },
    handler: (req) => mailings.previewMailing(req.ctx, req.params.id, req.query.personId),
  });

  r.post('/api/mailings/:id/test', {
    schema: { tags, params: IdParams, body: MailingTest, response: { 200: Ok } },
    config: { permission: 'mail:send' },
    handler: (req) => mailings.sendTestMailing(req.ctx, req.params.id, req.body.email),
  });

  r.post('/api/mailings/:id/send', {
    schema: { tags, params: IdParams, body: MailingSend.nullish(), response: { 200: Mailing } },
    config: { permission: 'mail:send' },
    handler: (req) => lifecycle.sendMailing(req.ctx, req.params.id, req.body?.at),
  });

  r.post('/api/mailings/:id/pause', {
    schema: { tags, params: IdParams, response: { 200: MailingProgress } },
    config: { permission: 'mail:send' },
    handler: (req) => lifecycle.pauseMailing(req.ctx, req.params.id),
  });

  r.post('/api/mailings/:id/resume', {
    schema: { tags, params: IdParams, response: { 200: MailingProgress } },
    config: { permission: 'mail:send' },
    handler: (req) => lifecycle.resumeMailing(req.ctx, req.params.id),
  });

  r.post('/api/mailings/:id/cancel', {
    schema: { tags, params: IdParams, response: { 200: MailingProgress } },
    config: { permission: 'mail:send' },
    handler: (req) => lifecycle.cancelMailing(req.ctx, req.params.id),
  });

  r.get('/api/mailings/:id/progress', {
    schema: { tags, params: IdParams, response: { 200: MailingProgress } },
    config: { permission: 'mail:send' },
    handler: (req) => mailings.getProgress(req.ctx, req.params.id),
  });

  r.post('/api/consent-requests', {
    schema: { tags, body: ConsentRequestCreate, response: { 201: Mailing } },
    config: { permission: 'mail:send' },
    handler: async (req, reply) =>
      reply.status(201).send(await lifecycle.createConsentRequest(req.ctx, req.body)),
  });
}
