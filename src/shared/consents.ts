import { z } from 'zod';
import { IsoDate } from './common.ts';

/**
 * Consents (the API contract of `src/server/consents/`): what a person agreed to be contacted for,
 * by which unit, from which source, under which text — and the ledger of every change with the
 * double opt-in proof.
 */
export const CONSENT_CHANNELS = ['newsletter', 'email', 'phone', 'sms', 'post'] as const;
export const CONSENT_STATUSES = ['pending', 'granted', 'revoked'] as const;
export type ConsentStatus = (typeof CONSENT_STATUSES)[number];
/** Every source a consent can come from (calls, forms, imports, people, event sign-ups, consent requests, API). */
export const CONSENT_SOURCES = [
  'call',
  'form',
  'import',
  'manual',
  'event',
  'consent_request',
  'api',
] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];
/** What a person with an account may record by hand (`POST /api/people/:id/consents`). */
export const MANUAL_CONSENT_SOURCES = ['manual', 'event', 'form', 'call', 'import'] as const;
/** Purposes one can ask a consent for; `newsletter` is the newsletter channel. */
export const CONSENT_PURPOSES = ['newsletter'] as const;

/** One change in the ledger (`consent_events`). */
export const ConsentEventView = z.object({
  id: z.uuid(),
  at: IsoDate,
  status: z.enum(CONSENT_STATUSES),
  source: z.string(),
  sourceRef: z.string().nullable(),
  textVersion: z.string().nullable(),
  textHash: z.string().nullable(),
  /** Proof of the change: for a grant `{confirmedAt, mailId, ipHash}`, for a manual entry `{note}` … */
  proof: z.record(z.string(), z.unknown()),
  actorName: z.string().nullable(),
});
export type ConsentEventView = z.infer<typeof ConsentEventView>;

export const ConsentView = z.object({
  id: z.uuid(),
  channel: z.enum(CONSENT_CHANNELS),
  purpose: z.string(),
  orgId: z.uuid().nullable(),
  orgName: z.string().nullable(),
  status: z.enum(CONSENT_STATUSES),
  source: z.enum(CONSENT_SOURCES),
  textVersion: z.string().nullable(),
  textHash: z.string().nullable(),
  createdAt: IsoDate,
  /** When the current status began. */
  since: IsoDate,
  grantedAt: IsoDate.nullable(),
  confirmedAt: IsoDate.nullable(),
  revokedAt: IsoDate.nullable(),
  /** Oldest first. */
  history: z.array(ConsentEventView),
});
export type ConsentView = z.infer<typeof ConsentView>;

/** `GET /api/people/:id/consents` */
export const ConsentList = z.object({ items: z.array(ConsentView) });

/** `POST /api/people/:id/consents`: records a wish and starts the double opt-in. */
export const ConsentCreate = z.strictObject({
  purpose: z.enum(CONSENT_PURPOSES),
  orgId: z.uuid(),
  source: z.enum(MANUAL_CONSENT_SOURCES).default('manual'),
  note: z.string().trim().max(1000).optional(),
  /** The language of the confirmation mail (and of the consent text agreed to); default German. */
  locale: z.enum(['de', 'en']).optional(),
});

/**
 * What asking did: `requested` (now pending, confirmation mail sent if the person has an address),
 * `resent` (was pending: the mail went again), `pending` (was pending and a mail went in the last
 * 24 hours: nothing new), `granted` (already granted: never downgraded, no mail).
 */
export const CONSENT_REQUEST_OUTCOMES = ['requested', 'resent', 'pending', 'granted'] as const;
export const ConsentRequestResult = z.object({
  outcome: z.enum(CONSENT_REQUEST_OUTCOMES),
  /** Whether a confirmation mail went out (no valid address, or do-not-email: false). */
  mailed: z.boolean(),
  consent: ConsentView,
});

/** `POST /api/people/:id/consents/:consentId/revoke` */
export const ConsentRevoke = z.strictObject({ note: z.string().trim().max(1000).optional() });
export const ConsentParams = z.strictObject({ id: z.uuid(), consentId: z.uuid() });

/** Where `GET /c/:token` sends the visitor: `/p/consent?state=…`. */
export const CONSENT_LINK_STATES = ['confirmed', 'already', 'expired', 'invalid'] as const;
export type ConsentLinkState = (typeof CONSENT_LINK_STATES)[number];

/** Smart-search kind `consent`: the person's newsletter consent state for a unit. */
export const CONSENT_FILTER_STATUSES = ['granted', 'pending', 'revoked', 'none'] as const;
export const ConsentFilter = z
  .strictObject({
    kind: z.literal('consent'),
    not: z.boolean().optional(),
    channel: z.enum(['newsletter']).default('newsletter'),
    status: z.enum(CONSENT_FILTER_STATUSES),
    orgId: z.uuid().optional(),
  })
  .meta({
    description:
      "The newsletter consent for a unit (orgId, default the query's unit): granted = a granted consent of that unit or one above it (so its newsletter may reach the person); pending = none granted, one awaiting confirmation; revoked = only revoked ones; none = never asked.",
  });
export type ConsentFilter = z.infer<typeof ConsentFilter>;
