import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import {
  CallCentreCreate,
  CallCentreCreated,
  CallCentreParams,
  CallCentreUpdate,
  CallCentreView,
  CampaignCreate,
  CampaignExportQuery,
  CampaignListQuery,
  CampaignStats,
  CampaignUpdate,
  CampaignView,
  Crosstab,
  CrosstabQuery,
  RegionalQuestionsAdd,
  StatsQuery,
} from '../../shared/campaigns.ts';
import { IdParams, page } from '../../shared/common.ts';
import * as stats from './campaign-stats.service.ts';
import * as campaigns from './campaigns.service.ts';

const tags = ['campaigns'];

export async function campaignsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/campaigns', {
    schema: { tags, body: CampaignCreate, response: { 201: CampaignView } },
    config: { permission: 'calls:manage' },
    handler: async (req, reply) => reply.status(201).send(await campaigns.createCampaign(req.ctx, req.body)),
  });

  r.get('/api/campaigns', {
    schema: { tags, querystring: CampaignListQuery, response: { 200: page(CampaignView) } },
    config: { permission: 'calls:manage' },
    handler: (req) => campaigns.listCampaigns(req.ctx, req.query.orgId),
  });

  r.get('/api/campaigns/:id', {
    schema: { tags, params: IdParams, response: { 200: CampaignView } },
    config: { permission: 'calls:manage' },
    handler: (req) => campaigns.getCampaign(req.ctx, req.params.id),
  });

  r.patch('/api/campaigns/:id', {
    schema: { tags, params: IdParams, body: CampaignUpdate, response: { 200: CampaignView } },
    config: { permission: 'calls:manage' },
    handler: (req) => campaigns.updateCampaign(req.ctx, req.params.id, req.body),
  });

  r.post('/api/campaigns/:id/call-centres', {
    schema: { tags, params: IdParams, body: CallCentreCreate, response: { 201: CallCentreCreated } },
    config: { permission: 'calls:manage' },
    handler: async (req, reply) =>
      reply.status(201).send(await campaigns.joinCallCentre(req.ctx, req.params.id, req.body)),
  });

  r.patch('/api/campaigns/:id/call-centres/:callCentreId', {
    schema: { tags, params: CallCentreParams, body: CallCentreUpdate, response: { 200: CallCentreView } },
    config: { permission: 'calls:manage' },
    handler: (req) => campaigns.updateCallCentre(req.ctx, req.params.id, req.params.callCentreId, req.body),
  });

  r.post('/api/campaigns/:id/call-centres/:callCentreId/questions', {
    schema: { tags, params: CallCentreParams, body: RegionalQuestionsAdd, response: { 201: CallCentreView } },
    config: { permission: 'calls:manage' },
    handler: async (req, reply) =>
      reply
        .status(201)
        .send(
          await campaigns.addRegionalQuestions(req.ctx, req.params.id, req.params.callCentreId, req.body),
        ),
  });

  r.get('/api/campaigns/:id/stats', {
    schema: { tags, params: IdParams, querystring: StatsQuery, response: { 200: CampaignStats } },
    config: { permission: 'calls:manage' },
    handler: (req) => stats.campaignStats(req.ctx, req.params.id, req.query),
  });

  r.get('/api/campaigns/:id/crosstab', {
    schema: { tags, params: IdParams, querystring: CrosstabQuery, response: { 200: Crosstab } },
    config: { permission: 'calls:manage' },
    handler: (req) => stats.campaignCrosstab(req.ctx, req.params.id, req.query),
  });

  r.get('/api/campaigns/:id/export', {
    schema: {
      tags,
      params: IdParams,
      querystring: CampaignExportQuery,
      description: 'The figures (or, with rows and columns, the crosstab) as CSV or XLSX.',
    },
    config: { permission: 'calls:manage' },
    handler: async (req, reply) => {
      const file = await stats.exportCampaign(req.ctx, req.params.id, req.query);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .send(file.body);
    },
  });
}
