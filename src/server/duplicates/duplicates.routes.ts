import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, page } from '../../shared/common.ts';
import {
  DismissResult,
  DuplicateCandidate,
  DuplicateCheckRequest,
  DuplicateCheckResult,
  DuplicateListQuery,
  DuplicateScanQuery,
  DuplicateScanRequest,
  DuplicateScanView,
  MergeRequest,
} from '../../shared/duplicates.ts';
import { PersonView } from '../../shared/people.ts';
import { checkForDuplicates } from './duplicate-check.service.ts';
import * as service from './duplicates.service.ts';
import { mergePeople } from './merge.service.ts';

const tags = ['duplicates'];

export async function duplicatesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/duplicates', {
    schema: { tags, querystring: DuplicateListQuery, response: { 200: page(DuplicateCandidate) } },
    config: { permission: 'people:read' },
    handler: (req) => service.listCandidates(req.ctx, req.query),
  });

  r.post('/api/duplicates/scan', {
    schema: { tags, body: DuplicateScanRequest, response: { 202: DuplicateScanView } },
    config: { permission: 'people:write' },
    handler: async (req, reply) => reply.status(202).send(await service.requestScan(req.ctx, req.body.orgId)),
  });

  r.get('/api/duplicates/scan', {
    schema: {
      tags,
      querystring: DuplicateScanQuery,
      response: { 200: z.object({ scan: DuplicateScanView.nullable() }) },
    },
    config: { permission: 'people:read' },
    handler: (req) => service.latestScan(req.ctx, req.query.orgId),
  });

  r.post('/api/duplicates/:id/dismiss', {
    schema: { tags, params: IdParams, response: { 200: DismissResult } },
    config: { permission: 'people:write' },
    handler: (req) => service.dismissCandidate(req.ctx, req.params.id),
  });

  // Asked by the create form before saving; matches only people the actor may read.
  r.post('/api/people/duplicate-check', {
    schema: { tags, body: DuplicateCheckRequest, response: { 200: DuplicateCheckResult } },
    config: { permission: 'people:write' },
    handler: (req) => checkForDuplicates(req.ctx, req.body),
  });

  r.post('/api/people/merge', {
    schema: { tags, body: MergeRequest, response: { 200: PersonView } },
    config: { permission: 'people:write' },
    handler: (req) => mergePeople(req.ctx, req.body),
  });
}
