import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../shared/common.ts';
import {
  ConsentCreate,
  ConsentList,
  ConsentParams,
  ConsentRequestResult,
  ConsentRevoke,
  ConsentView,
} from '../../shared/consents.ts';
import * as service from './consent-records.service.ts';

const tags = ['consents'];

export async function consentsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // A person's consents with their ledger (profile card).
  r.get('/api/people/:id/consents', {
    schema: { tags, params: IdParams, response: { 200: ConsentList } },
    config: { permission: 'people:read' },
    handler: (req) => service.listConsents(req.ctx, req.params.id),
  });

  // Records a wish by hand and starts the double opt-in: 201 when a consent became pending, 200
  // when it already was pending or granted (never downgraded).
  r.post('/api/people/:id/consents', {
    schema: {
      tags,
      params: IdParams,
      body: ConsentCreate,
      response: { 200: ConsentRequestResult, 201: ConsentRequestResult },
    },
    config: { permission: 'people:write' },
    handler: async (req, reply) => {
      const { created, ...result } = await service.recordConsentRequest(req.ctx, req.params.id, req.body);
      return reply.status(created ? 201 : 200).send(result);
    },
  });

  r.post('/api/people/:id/consents/:consentId/revoke', {
    schema: { tags, params: ConsentParams, body: ConsentRevoke, response: { 200: ConsentView } },
    config: { permission: 'people:write' },
    handler: (req) =>
      service.revokeConsentByHand(req.ctx, req.params.id, req.params.consentId, req.body.note),
  });
}
