import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { IdParams } from '../../shared/common.ts';
import { readPublicMailImage } from './mail-images.service.ts';

const tags = ['public'];

/**
 * An image's bytes never change (a new upload is a new id), so mail programs and proxies may keep
 * them for a year. This replaces the `no-store` every /api/ answer gets (http/edge.ts): route-level
 * onSend hooks run after the app's, so this header is the one sent — on purpose, and only here.
 */
const CACHE_FOREVER = 'public, max-age=31536000, immutable';

/**
 * Below /api/public: `GET /mail-images/:id`, the images of mailings, loaded by mail programs (often
 * through their providers' image proxies, many requests from one address: 600 a minute). Served
 * with the stored type, `nosniff`, a CSP that allows nothing (opened on its own, the file can run
 * nothing) and a cross-origin resource policy, so webmail on other sites may show it.
 */
export async function mailImagesPublicRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/mail-images/:id', {
    schema: { tags, params: IdParams },
    config: { rateLimit: { max: 600, timeWindow: 60_000 } },
    onSend: async (_req, reply, payload) => {
      if (reply.statusCode === 200) reply.header('cache-control', CACHE_FOREVER);
      return payload;
    },
    handler: async (req, reply) => {
      const image = await readPublicMailImage(req.baseCtx, req.params.id);
      return reply
        .header('content-type', image.contentType)
        .header('x-content-type-options', 'nosniff')
        .header('content-security-policy', "default-src 'none'")
        .header('cross-origin-resource-policy', 'cross-origin')
        .send(image.bytes);
    },
  });
}
