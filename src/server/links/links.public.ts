import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { TokenParams } from '../../shared/auth.ts';
import { PublicLinkInfo } from '../../shared/links.ts';
import * as links from './links.service.ts';

const tags = ['public'];

/** Public endpoints of link tokens (below /api/public: no session, rate limited by the plugin). */
export async function linksPublicRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();

  // What a link is for and whether it still works (for the public link page); 404 when unknown.
  r.get('/links/:token', {
    schema: { tags, params: TokenParams, response: { 200: PublicLinkInfo } },
    config: { secretParams: ['token'] },
    handler: (req) => links.describeLinkToken(req.baseCtx, req.params.token),
  });
}
