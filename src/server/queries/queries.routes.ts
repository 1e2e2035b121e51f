import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, PageQuery, page } from '../../shared/common.ts';
import { PersonListItem } from '../../shared/people.ts';
import {
  FilterKindsResponse,
  QueryCreate,
  QueryListQuery,
  QueryMembersAdded,
  QueryMembersBody,
  QueryMembersRemoved,
  QueryPreview,
  QueryPreviewBody,
  QueryUpdate,
  QueryView,
} from '../../shared/queries.ts';
import * as service from './queries.service.ts';

const tags = ['queries'];
/** The filter is typed by the shared union; responses echo it as stored. */
const QueryViewOut = QueryView.extend({ filter: z.record(z.string(), z.unknown()) });

export async function queriesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/queries/filter-kinds', {
    schema: { tags, response: { 200: FilterKindsResponse } },
    config: { permission: 'people:read' },
    handler: () => service.listFilterKinds(),
  });

  r.post('/api/queries/preview', {
    schema: {
      tags,
      body: QueryPreviewBody,
      response: { 200: QueryPreview },
      description: 'How many people of the unit match the filter, and the first few by name.',
    },
    config: { permission: 'people:read' },
    handler: (req) => service.previewQuery(req.ctx, req.body),
  });

  r.get('/api/queries', {
    schema: { tags, querystring: QueryListQuery, response: { 200: page(QueryViewOut) } },
    config: { permission: 'people:read' },
    handler: (req) => service.listQueries(req.ctx, req.query.orgId),
  });

  r.post('/api/queries', {
    schema: { tags, body: QueryCreate, response: { 201: QueryViewOut } },
    config: { permission: 'people:write' },
    handler: async (req, reply) => reply.status(201).send(await service.createQuery(req.ctx, req.body)),
  });

  r.get('/api/queries/:id', {
    schema: { tags, params: IdParams, response: { 200: QueryViewOut } },
    config: { permission: 'people:read' },
    handler: (req) => service.getQuery(req.ctx, req.params.id),
  });

  r.patch('/api/queries/:id', {
    schema: { tags, params: IdParams, body: QueryUpdate, response: { 200: QueryViewOut } },
    config: { permission: 'people:write' },
    handler: (req) => service.updateQuery(req.ctx, req.params.id, req.body),
  });

  r.delete('/api/queries/:id', {
    schema: { tags, params: IdParams, response: { 204: z.null() } },
    config: { permission: 'people:write' },
    handler: async (req, reply) => {
      await service.deleteQuery(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/queries/:id/people', {
    schema: { tags, params: IdParams, querystring: PageQuery, response: { 200: page(PersonListItem) } },
    config: { permission: 'people:read' },
    handler: (req) => service.listQueryPeople(req.ctx, req.params.id, req.query),
  });

  r.post('/api/queries/:id/members', {
    schema: {
      tags,
      params: IdParams,
      body: QueryMembersBody,
      response: { 200: QueryMembersAdded },
      description:
        "Adds people to a snapshot list (422 for a dynamic list). Ids outside the list's unit are ignored; `added` counts the new members.",
    },
    config: { permission: 'people:write' },
    handler: (req) => service.addQueryMembers(req.ctx, req.params.id, req.body.personIds),
  });

  // A POST sub-resource rather than DELETE with a body: no route here takes a DELETE body.
  r.post('/api/queries/:id/members/remove', {
    schema: {
      tags,
      params: IdParams,
      body: QueryMembersBody,
      response: { 200: QueryMembersRemoved },
      description:
        'Removes people from a snapshot list (422 for a dynamic list); `removed` counts the former members.',
    },
    config: { permission: 'people:write' },
    handler: (req) => service.removeQueryMembers(req.ctx, req.params.id, req.body.personIds),
  });
}
