import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, PageQuery, page } from '../../shared/common.ts';
import {
  BulkTagsBody,
  NoteCreate,
  NoteView,
  PeopleListQuery,
  PersonCreate,
  PersonListItem,
  PersonUpdate,
  PersonView,
  SetTagsBody,
  TimelineEvent,
} from '../../shared/people.ts';
import * as service from './people.service.ts';

const tags = ['people'];

export async function peopleRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/people', {
    schema: { tags, querystring: PeopleListQuery, response: { 200: page(PersonListItem) } },
    config: { permission: 'people:read' },
    handler: (req) => service.listPeople(req.ctx, req.query),
  });

  r.post('/api/people', {
    schema: { tags, body: PersonCreate, response: { 201: PersonView } },
    config: { permission: 'people:write' },
    handler: async (req, reply) => reply.status(201).send(await service.createPerson(req.ctx, req.body)),
  });

  r.get('/api/people/:id', {
    schema: { tags, params: IdParams, response: { 200: PersonView } },
    config: { permission: 'people:read' },
    handler: (req) => service.getPerson(req.ctx, req.params.id),
  });

  r.patch('/api/people/:id', {
    schema: { tags, params: IdParams, body: PersonUpdate, response: { 200: PersonView } },
    config: { permission: 'people:write' },
    handler: (req) => service.updatePerson(req.ctx, req.params.id, req.body),
  });

  r.delete('/api/people/:id', {
    schema: { tags, params: IdParams, response: { 204: z.null() } },
    config: { permission: 'people:write' },
    handler: async (req, reply) => {
      await service.deletePerson(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/people/:id/timeline', {
    schema: { tags, params: IdParams, querystring: PageQuery, response: { 200: page(TimelineEvent) } },
    config: { permission: 'people:read' },
    handler: (req) => service.getTimeline(req.ctx, req.params.id, req.query.limit, req.query.cursor),
  });

  r.post('/api/people/:id/notes', {
    schema: { tags, params: IdParams, body: NoteCreate, response: { 201: NoteView } },
    config: { permission: 'people:write' },
    handler: async (req, reply) =>
      reply.status(201).send(await service.addNote(req.ctx, req.params.id, req.body.text)),
  });

  r.put('/api/people/:id/tags', {
    schema: { tags, params: IdParams, body: SetTagsBody, response: { 200: PersonView } },
    config: { permission: 'people:write' },
    handler: (req) => service.setTags(req.ctx, req.params.id, req.body.tagIds),
  });

  r.post('/api/people/bulk-tags', {
    schema: {
      tags,
      body: BulkTagsBody,
      response: { 200: z.object({ updated: z.number().int() }) },
    },
    config: { permission: 'people:write' },
    handler: (req) => service.bulkTag(req.ctx, req.body),
  });
}
