import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ChangeDigestBody, ChangeDigestView, ChangeList, ChangeListQuery } from '../../shared/changes.ts';
import { IdParams } from '../../shared/common.ts';
import * as service from './changes.service.ts';

const tags = ['changes'];

export async function changesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // The change list behind the data-change mails (issue 14): people:read on the unit.
  r.get('/api/orgs/:id/changes', {
    schema: { tags, params: IdParams, querystring: ChangeListQuery, response: { 200: ChangeList } },
    config: { permission: 'people:read' },
    handler: (req) => service.listChanges(req.ctx, req.params.id, req.query),
  });

  r.get('/api/orgs/:id/change-digest', {
    schema: { tags, params: IdParams, response: { 200: ChangeDigestView } },
    config: { permission: 'mail:configure' },
    handler: (req) => service.getDigestSettings(req.ctx, req.params.id),
  });

  r.put('/api/orgs/:id/change-digest', {
    schema: { tags, params: IdParams, body: ChangeDigestBody, response: { 200: ChangeDigestView } },
    config: { permission: 'mail:configure' },
    handler: (req) => service.saveDigestSettings(req.ctx, req.params.id, req.body),
  });
}
