import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../shared/common.ts';
import { TagCreate, TagView } from '../../shared/people.ts';
import * as service from './tags.service.ts';

export async function tagsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/orgs/:id/tags', {
    schema: { tags: ['tags'], params: IdParams, response: { 200: page(TagView) } },
    config: { permission: 'people:read' },
    handler: (req) => service.listTags(req.ctx, req.params.id),
  });

  r.post('/api/orgs/:id/tags', {
    schema: { tags: ['tags'], params: IdParams, body: TagCreate, response: { 201: TagView } },
    config: { permission: 'people:write' },
    handler: async (req, reply) =>
      reply.status(201).send(await service.createTag(req.ctx, req.params.id, req.body)),
  });
}
