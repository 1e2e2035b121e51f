import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, PageQuery, page } from '../../shared/common.ts';
import { OutboxItem, OutboxMessage } from '../../shared/mail.ts';
import { getOutboxMessage, listOutbox } from './mail.service.ts';

const tags = ['mail'];

export async function mailRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/outbox', {
    schema: { tags, querystring: PageQuery, response: { 200: page(OutboxItem) } },
    config: { permission: 'instance:manage' },
    handler: (req) => listOutbox(req.ctx, req.query.limit, req.query.cursor),
  });

  r.get('/api/outbox/:id', {
    schema: { tags, params: IdParams, response: { 200: OutboxMessage } },
    config: { permission: 'instance:manage' },
    handler: (req) => getOutboxMessage(req.ctx, req.params.id),
  });
}
