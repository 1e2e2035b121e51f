import { z } from 'zod';
import { LINK_STATES } from './links.ts';
import { MailingPurpose } from './mailings.ts';

/**
 * The unsubscribe link of every mailing (`/u/:token`, link purpose `unsubscribe`): the public page
 * reads `GET /api/public/unsubscribe/:token` and posts the choice; mail programs post the RFC 8058
 * one-click body (`List-Unsubscribe=One-Click`) to `POST /u/:token`.
 */
export const UNSUBSCRIBE_SCOPES = ['unit_purpose', 'all'] as const;
export const UnsubscribeScope = z.enum(UNSUBSCRIBE_SCOPES);
export type UnsubscribeScope = z.infer<typeof UnsubscribeScope>;

/** What the page shows; nothing personal but a masked address (`m…@example.org`). */
export const UnsubscribeInfo = z.object({
  state: z.enum(LINK_STATES),
  orgName: z.string(),
  purpose: MailingPurpose,
  maskedEmail: z.string(),
  /** Already unsubscribed: from this purpose of this unit, from everything, or not. */
  alreadyUnsubscribed: z.boolean(),
  scope: UnsubscribeScope.nullable(),
});
export type UnsubscribeInfo = z.infer<typeof UnsubscribeInfo>;

export const UnsubscribeRequest = z.strictObject({ scope: UnsubscribeScope });

export const UnsubscribeResult = z.object({
  scope: UnsubscribeScope,
  /** False when the address was already unsubscribed this way (the same answer twice). */
  changed: z.boolean(),
  orgName: z.string(),
  purpose: MailingPurpose,
});
export type UnsubscribeResult = z.infer<typeof UnsubscribeResult>;

/** RFC 8058: the form body a mail program posts for the one-click unsubscribe. */
export const OneClickBody = z.strictObject({ 'List-Unsubscribe': z.literal('One-Click') });
