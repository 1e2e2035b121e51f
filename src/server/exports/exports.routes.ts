import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { ExportRequest } from '../../shared/exports.ts';
import { exportPeople } from './exports.service.ts';

export async function exportsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.post('/api/exports', {
    schema: {
      tags: ['exports'],
      body: ExportRequest,
      description: 'Returns the file (CSV or XLSX) as an attachment.',
    },
    config: { permission: 'people:export' },
    handler: async (req, reply) => {
      const file = await exportPeople(req.ctx, req.body);
      return reply
        .header('content-type', file.contentType)
        .header('content-disposition', `attachment; filename="${file.fileName}"`)
        .header('x-export-count', String(file.count))
        .send(file.body);
    },
  });
}
