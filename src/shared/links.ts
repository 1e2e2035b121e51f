import { z } from 'zod';

/**
 * What a link token is for. Each purpose points at one kind of subject (`LINK_SUBJECT` on the
 * server); a new kind of emailed or shared link (unsubscribe, consent confirmation, survey, data
 * change) adds its purpose here.
 */
export const LINK_PURPOSES = [
  'invitation',
  'password_reset',
  'call_invite',
  /** A mail's unsubscribe link (subject: the mailing recipient row). */
  'unsubscribe',
  /** A double opt-in confirmation (subject: the pending consent). */
  'consent_confirm',
  /** A consent request mail's personal link (subject: the mailing recipient row). */
  'consent_request',
] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/** A link's own state, before its purpose's module has had its say (maker's grant, subject state). */
export const LINK_STATES = ['valid', 'expired', 'used_up', 'revoked'] as const;

/** `GET /api/public/links/:token`: what a link is for and whether it still works; no personal data. */
export const PublicLinkInfo = z.object({
  purpose: z.enum(LINK_PURPOSES),
  state: z.enum(LINK_STATES),
  expiresAt: z.string().nullable(),
});
export type PublicLinkInfo = z.infer<typeof PublicLinkInfo>;
