import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, page } from '../../shared/common.ts';
import {
  CatchmentCheckBody,
  CatchmentCheckResult,
  OrgCreateBody,
  OrgListQuery,
  OrgUpdateBody,
  OrgView,
} from '../../shared/orgs.ts';
import * as service from './orgs.service.ts';

const tags = ['orgs'];

export async function orgsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/orgs', {
    schema: { tags, querystring: OrgListQuery, response: { 200: page(OrgView) } },
    config: { permission: 'orgs:read' },
    handler: (req) => service.listOrgs(req.ctx, req.query),
  });

  r.post('/api/orgs', {
    schema: { tags, body: OrgCreateBody, response: { 201: OrgView } },
    config: { permission: 'orgs:write' },
    handler: async (req, reply) => reply.status(201).send(await service.createOrg(req.ctx, req.body)),
  });

  // The unit form asks before saving; saving runs the same checks and refuses what this reports.
  r.post('/api/orgs/catchment-check', {
    schema: { tags, body: CatchmentCheckBody, response: { 200: CatchmentCheckResult } },
    config: { permission: 'orgs:write' },
    handler: (req) => service.checkCatchment(req.ctx, req.body),
  });

  r.get('/api/orgs/:id', {
    schema: { tags, params: IdParams, response: { 200: OrgView } },
    config: { permission: 'orgs:read' },
    handler: (req) => service.getOrg(req.ctx, req.params.id),
  });

  r.patch('/api/orgs/:id', {
    schema: { tags, params: IdParams, body: OrgUpdateBody, response: { 200: OrgView } },
    config: { permission: 'orgs:write' },
    handler: (req) => service.updateOrg(req.ctx, req.params.id, req.body),
  });
}
