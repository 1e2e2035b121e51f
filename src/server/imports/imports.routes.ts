import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, page } from '../../shared/common.ts';
import {
  ImportAnalysis,
  ImportCreated,
  ImportListQuery,
  ImportMappingBody,
  ImportStartBody,
  ImportView,
} from '../../shared/imports.ts';
import { AppError } from '../errors.ts';
import * as service from './imports.service.ts';

const tags = ['imports'];

export async function importsRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  r.get('/api/imports', {
    schema: { tags, querystring: ImportListQuery, response: { 200: page(ImportView) } },
    config: { permission: 'people:import' },
    handler: (req) => service.listImports(req.ctx, req.query.orgId, req.query.limit),
  });

  // multipart/form-data: `orgId` (field) and `file` (CSV or XLSX); the size limit is IMPORT_MAX_BYTES.
  r.post('/api/imports', {
    schema: { tags, consumes: ['multipart/form-data'], response: { 201: ImportCreated } },
    config: { permission: 'people:import' },
    handler: async (req, reply) => {
      if (!req.isMultipart()) {
        throw new AppError(
          'validation_failed',
          'Send the file as multipart/form-data with fields orgId and file.',
          [{ path: 'body', message: 'multipart/form-data required', reason: 'multipart_required' }],
        );
      }
      const parts = (async function* () {
        for await (const part of req.parts()) {
          if (part.type === 'file')
            yield { kind: 'file' as const, fileName: part.filename, stream: part.file };
          else yield { kind: 'field' as const, name: part.fieldname, value: String(part.value) };
        }
      })();
      return reply.status(201).send(await service.createImport(req.ctx, parts));
    },
  });

  r.put('/api/imports/:id/mapping', {
    schema: { tags, params: IdParams, body: ImportMappingBody, response: { 200: ImportAnalysis } },
    config: { permission: 'people:import' },
    handler: (req) => service.setMapping(req.ctx, req.params.id, req.body),
  });

  r.post('/api/imports/:id/start', {
    schema: { tags, params: IdParams, body: ImportStartBody, response: { 202: ImportView } },
    config: { permission: 'people:import' },
    handler: async (req, reply) =>
      reply.status(202).send(await service.startImport(req.ctx, req.params.id, req.body ?? {})),
  });

  r.get('/api/imports/:id', {
    schema: { tags, params: IdParams, response: { 200: ImportView } },
    config: { permission: 'people:import' },
    handler: (req) => service.getImport(req.ctx, req.params.id),
  });

  // Discards an upload that was not started (409 once started); the stored file is deleted.
  r.delete('/api/imports/:id', {
    schema: { tags, params: IdParams, response: { 204: z.null() } },
    config: { permission: 'people:import' },
    handler: async (req, reply) => {
      await service.discardImport(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  });

  r.get('/api/imports/:id/errors.csv', {
    schema: { tags, params: IdParams },
    config: { permission: 'people:import' },
    handler: async (req, reply) => {
      const csv = await service.errorsCsv(req.ctx, req.params.id);
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${csv.fileName}"`)
        .send(csv.body);
    },
  });
}
