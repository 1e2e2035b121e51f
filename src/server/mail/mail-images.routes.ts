import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { IdParams, page } from '../../shared/common.ts';
import {
  MAIL_IMAGE_MAX_BYTES,
  MailImage,
  MailImageCreated,
  MailImageListQuery,
} from '../../shared/mail-images.ts';
import { AppError } from '../errors.ts';
import * as service from './mail-images.service.ts';

const tags = ['mailings'];

/** A unit's images for its mailings: upload, list for reuse, delete (served by mail-images.public.ts). */
export async function mailImagesRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // multipart/form-data with one file (any field name); at most 2 MB (413 above).
  r.post('/api/mail/images', {
    schema: {
      tags,
      querystring: z.strictObject({ orgId: z.uuid() }),
      consumes: ['multipart/form-data'],
      response: { 200: MailImageCreated, 201: MailImageCreated },
    },
    config: { permission: 'mail:send' },
    handler: async (req, reply) => {
      if (!req.isMultipart()) {
        throw new AppError('validation_failed', 'Send the image as multipart/form-data with a field file.', [
          { path: 'body', message: 'multipart/form-data required', reason: 'multipart_required' },
        ]);
      }
      const { id, url, created } = await service.uploadMailImage(req.ctx, req.query.orgId, async () => {
        const file = await req.file({ limits: { fileSize: MAIL_IMAGE_MAX_BYTES, files: 1 } });
        if (!file) return null;
        try {
          return await file.toBuffer();
        } catch (err) {
          if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') throw service.imageTooLarge();
          throw err;
        }
      });
      return reply.status(created ? 201 : 200).send({ id, url });
    },
  });

  r.get('/api/mail/images', {
    schema: { tags, querystring: MailImageListQuery, response: { 200: page(MailImage) } },
    config: { permission: 'mail:send' },
    handler: (req) => service.listMailImages(req.ctx, req.query.orgId, req.query.limit),
  });

  r.delete('/api/mail/images/:id', {
    schema: { tags, params: IdParams, response: { 204: z.null() } },
    config: { permission: 'mail:send' },
    handler: async (req, reply) => {
      await service.deleteMailImage(req.ctx, req.params.id);
      return reply.status(204).send(null);
    },
  });
}
