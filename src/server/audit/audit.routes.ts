import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { AuditEntryView, AuditQuery } from '../../shared/audit.ts';
import { page } from '../../shared/common.ts';
import { listAuditEntries } from './audit.service.ts';

export async function auditRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/audit', {
    schema: { tags: ['audit'], querystring: AuditQuery, response: { 200: page(AuditEntryView) } },
    config: { permission: 'audit:read' },
    handler: (req) => listAuditEntries(req.ctx, req.query),
  });
}
