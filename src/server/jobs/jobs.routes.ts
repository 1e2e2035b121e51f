import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams, Ok, page } from '../../shared/common.ts';
import { FailedJob, FailedJobsQuery } from '../../shared/jobs.ts';
import { listFailedJobs, retryFailedJob } from './jobs.service.ts';

const tags = ['jobs'];

export async function jobsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/jobs/failed', {
    schema: { tags, querystring: FailedJobsQuery, response: { 200: page(FailedJob) } },
    config: { permission: 'instance:manage' },
    handler: (req) => listFailedJobs(req.ctx, req.query.limit, req.query.cursor),
  });

  r.post('/api/jobs/failed/:id/retry', {
    schema: { tags, params: IdParams, response: { 200: Ok } },
    config: { permission: 'instance:manage' },
    handler: (req) => retryFailedJob(req.ctx, req.params.id),
  });
}
