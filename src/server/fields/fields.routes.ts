import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../shared/common.ts';
import { CustomFieldCreate, CustomFieldView } from '../../shared/people.ts';
import * as service from './fields.service.ts';

export async function fieldsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/orgs/:id/fields', {
    schema: { tags: ['fields'], params: IdParams, response: { 200: page(CustomFieldView) } },
    config: { permission: 'people:read' },
    handler: (req) => service.listFields(req.ctx, req.params.id),
  });

  r.post('/api/orgs/:id/fields', {
    schema: {
      tags: ['fields'],
      params: IdParams,
      body: CustomFieldCreate,
      response: { 201: CustomFieldView },
    },
    config: { permission: 'people:configure' },
    handler: async (req, reply) =>
      reply.status(201).send(await service.createField(req.ctx, req.params.id, req.body)),
  });
}
