import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { TokenParams } from '../../shared/auth.ts';
import { Ok } from '../../shared/common.ts';
import { grantConsentFromLink, renewConsentLink } from './consents.service.ts';

const tags = ['public'];
const LinkParams = z.strictObject({ token: z.string().max(500) });

/**
 * The consent link in a mail, straight on the page path (PUBLIC_PAGE_ACTIONS): `GET /c/:token`
 * confirms (double opt-in link) or grants (consent request link) and sends the visitor on to the
 * page that says what happened, `/p/consent?state=confirmed|already|expired|invalid`. An expired
 * link's token travels in the fragment (never sent to a server, never logged) so the page can ask
 * for a new one.
 */
export async function consentLinkRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  r.get('/c/:token', {
    // Any token shape: a link mangled by a mail program ends on the friendly "invalid" page.
    schema: { tags, params: LinkParams, response: { 303: z.null() } },
    config: { secretParams: ['token'] },
    // A HEAD (link checkers, mail scanners) must not confirm anything: no HEAD twin of this GET.
    exposeHeadRoute: false,
    handler: async (req, reply) => {
      const state = await grantConsentFromLink(req.baseCtx, req.params.token);
      const renew = state === 'expired' ? `#${encodeURIComponent(req.params.token)}` : '';
      return reply
        .header('cache-control', 'no-store')
        .header('referrer-policy', 'no-referrer')
        .redirect(`/p/consent?state=${state}${renew}`, 303);
    },
  });
}

/** Below /api/public: "send me a new link" from the expired page. */
export async function consentsPublicRoutes(app: FastifyInstance) {
  const r = app.withTypeProvider<ZodTypeProvider>();
  // The same answer for unknown, used and renewed links (a bot learns nothing); strictly limited.
  r.post('/consents/renew/:token', {
    schema: { tags, params: TokenParams, response: { 202: Ok } },
    config: { secretParams: ['token'], rateLimit: { max: 5, timeWindow: 60_000 } },
    handler: async (req, reply) => {
      await renewConsentLink(req.baseCtx, req.params.token);
      return reply.status(202).send({ ok: true as const });
    },
  });
}
