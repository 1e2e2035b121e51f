import { z } from 'zod';
import { IsoDate } from './common.ts';

/**
 * The EasyMailer's API contract (server routes and web client use these schemas).
 * Purposes: `member_info` (members of the sending unit's subtree, no newsletter consent needed,
 * unsubscribe per unit and purpose honoured), `newsletter` (only people with a granted newsletter
 * consent of that unit or an ancestor), `consent_request` (an Einwilligungsanfrage: people without
 * consent get a personal link that grants it).
 */
export const MAILING_PURPOSES = ['member_info', 'newsletter', 'consent_request'] as const;
export const MailingPurpose = z.enum(MAILING_PURPOSES);
export type MailingPurpose = z.infer<typeof MailingPurpose>;

export const MAILING_STATUSES = ['draft', 'scheduled', 'sending', 'paused', 'sent', 'cancelled'] as const;
export const MailingStatus = z.enum(MAILING_STATUSES);
export type MailingStatus = z.infer<typeof MailingStatus>;

/** A single header line: CR/LF anywhere is a 400 (no header injection). */
export const HeaderText = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !/[\r\n]/.test(s), 'must be a single line (no line breaks)');

/** Placeholders a mail body or subject may use: `{{firstName}}` or `{{firstName|Fallback}}`. */
export const PLACEHOLDERS = ['firstName', 'lastName', 'fullName', 'email', 'orgName'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];
/**
 * Links the layout fills in: `{{unsubscribeUrl}}` (every mailing; the footer has it anyway) and
 * `{{consentUrl}}` (consent requests only: the personal link that grants the newsletter consent).
 */
export const LINK_PLACEHOLDERS = ['unsubscribeUrl', 'consentUrl'] as const;
/** The placeholders a mailing of this purpose may use; any other is refused at test and send (422). */
export function allowedPlaceholders(purpose: MailingPurpose): string[] {
  return [...PLACEHOLDERS, 'unsubscribeUrl', ...(purpose === 'consent_request' ? ['consentUrl'] : [])];
}

// ---- Senders -------------------------------------------------------------------------------

/** Admin-managed list of allowed From addresses (instance:manage). */
export const SenderAddress = z.object({ id: z.uuid(), address: z.string(), createdAt: IsoDate });
export const SenderAddressCreate = z.strictObject({ address: z.email().max(254) });

/** `GET/PUT /api/orgs/:id/mail-settings` (mail:configure). `inheritedFrom`: settings of an ancestor. */
export const OrgMailSettings = z.object({
  orgId: z.uuid(),
  senderName: z.string(),
  senderAddressId: z.uuid().nullable(),
  senderAddress: z.string().nullable(),
  replyTo: z.string().nullable(),
  footer: z.string(),
  inheritedFrom: z.uuid().nullable(),
  /** False while neither the unit nor a unit above it has settings (mailings are refused: footer_missing). */
  configured: z.boolean(),
  /** The From addresses the instance allows, to choose `senderAddressId` from. */
  allowedSenderAddresses: z.array(z.object({ id: z.uuid(), address: z.string() })),
});
export type OrgMailSettings = z.infer<typeof OrgMailSettings>;
export const OrgMailSettingsPut = z.strictObject({
  senderName: HeaderText(120),
  senderAddressId: z.uuid().nullable(),
  replyTo: z.email().max(254).nullable(),
  /** Imprint / postal address of the unit, plain text, shown under every mail. */
  footer: z.string().trim().min(10).max(2000),
});

// ---- Templates -----------------------------------------------------------------------------

export const MailTemplate = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  subject: z.string(),
  html: z.string(),
  updatedAt: IsoDate,
});
export const MailTemplateCreate = z.strictObject({
  orgId: z.uuid(),
  name: z.string().trim().min(1).max(200),
  subject: z.string().max(300).default(''),
  html: z.string().max(500_000).default(''),
});
/** `PATCH /api/mail/templates/:id`: only the fields sent change (no defaults here). */
export const MailTemplateUpdate = z
  .strictObject({
    name: z.string().trim().min(1).max(200),
    subject: z.string().max(300),
    html: z.string().max(500_000),
  })
  .partial();

// ---- Mailings ------------------------------------------------------------------------------

/** `POST /api/mailings` */
export const MailingCreate = z.strictObject({
  orgId: z.uuid(),
  subject: HeaderText(300),
  html: z.string().max(500_000),
  purpose: MailingPurpose,
  queryId: z.uuid(),
  senderId: z.uuid().optional(),
});
/** `PATCH /api/mailings/:id` (drafts and scheduled mailings only; a scheduled one goes back to draft). */
export const MailingUpdate = z
  .strictObject({
    subject: HeaderText(300),
    html: z.string().max(500_000),
    purpose: MailingPurpose,
    queryId: z.uuid(),
    senderId: z.uuid().nullable(),
  })
  .partial();

export const MailingProgress = z.object({
  status: MailingStatus,
  total: z.number().int(),
  sent: z.number().int(),
  failed: z.number().int(),
  remaining: z.number().int(),
  /** Messages per minute over the last minutes of sending; null before sending. */
  ratePerMinute: z.number().nullable(),
  /** Expected end at the current rate; null when not sending. */
  eta: IsoDate.nullable(),
  pausedReason: z.string().nullable(),
});
export type MailingProgress = z.infer<typeof MailingProgress>;

export const Mailing = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  orgName: z.string(),
  subject: z.string(),
  html: z.string(),
  purpose: MailingPurpose,
  queryId: z.uuid().nullable(),
  queryName: z.string().nullable(),
  senderId: z.uuid().nullable(),
  status: MailingStatus,
  scheduledAt: IsoDate.nullable(),
  startedAt: IsoDate.nullable(),
  finishedAt: IsoDate.nullable(),
  pausedReason: z.string().nullable(),
  total: z.number().int().nullable(),
  createdBy: z.string().nullable(),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  /**
   * Placeholders in subject or body this purpose does not know: a draft may hold them while being
   * written; test and send refuse them (422 `unknown_placeholder`).
   */
  unknownPlaceholders: z.array(z.string()),
});
export type Mailing = z.infer<typeof Mailing>;
export const MailingListItem = Mailing.omit({ html: true }).extend({ progress: MailingProgress.nullable() });
export const MailingListQuery = z.strictObject({
  orgId: z.uuid(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

export const REACH_EXCLUSIONS = [
  'noEmail',
  'bounced',
  'unsubscribed',
  'noConsent',
  'doNotContact',
  'suppressed',
  'duplicateAddress',
] as const;
export type ReachExclusion = (typeof REACH_EXCLUSIONS)[number];

/**
 * `GET /api/mailings/:id/reach`: every person of the list counted once, in the first exclusion
 * that applies (in REACH_EXCLUSIONS order), else reachable; `byOrg` by the person's unit.
 */
export const MailingReach = z.object({
  total: z.number().int(),
  reachable: z.number().int(),
  excluded: z.object(
    Object.fromEntries(REACH_EXCLUSIONS.map((k) => [k, z.number().int()])) as {
      [K in ReachExclusion]: z.ZodNumber;
    },
  ),
  byOrg: z.array(
    z.object({ orgId: z.uuid(), orgName: z.string(), total: z.number().int(), reachable: z.number().int() }),
  ),
});
export type MailingReach = z.infer<typeof MailingReach>;

/** `GET /api/mailings/:id/reach/people?reason=`: the people behind one number (people:read). */
export const ReachPeopleQuery = z.strictObject({
  reason: z.enum(['reachable', ...REACH_EXCLUSIONS]),
  orgId: z.uuid().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
});

/** One person behind a reach number: only id, name and unit. */
export const ReachPerson = z.object({
  id: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  orgId: z.uuid(),
  orgName: z.string(),
});

/** `GET /api/mailings/:id/preview?personId=`: the mail as this person would get it. */
export const MailingPreviewQuery = z.strictObject({ personId: z.uuid().optional() });
export const MailingPreview = z.object({
  subject: z.string(),
  html: z.string(),
  text: z.string(),
  from: z.string(),
  replyTo: z.string().nullable(),
});

/** `POST /api/mailings/:id/test` */
export const MailingTest = z.strictObject({ email: z.email().max(254) });
/** `POST /api/mailings/:id/send`: now, or scheduled `at`. */
export const MailingSend = z.strictObject({ at: IsoDate.optional() });

/**
 * `POST /api/consent-requests` (an Einwilligungsanfrage): a mailing of purpose consent_request with
 * a default text (de/en by the sender's language) and a personal confirmation button, started at
 * once, to the list's people without a granted or pending newsletter consent of the unit (or one
 * above it). Answers 201 with the Mailing.
 */
export const ConsentRequestCreate = z.strictObject({ orgId: z.uuid(), queryId: z.uuid() });

/**
 * Why a request to test or send a mailing was refused (422 rule_violation, `details[].reason`):
 * no footer/imprint for the unit, a placeholder the purpose does not know (`details[].placeholder`
 * is not sent; the message names it), nobody reachable, a From address not on the allow-list, or the
 * saved list is gone.
 */
export const MAILING_REFUSALS = [
  'footer_missing',
  'unknown_placeholder',
  'no_recipients',
  'sender_not_allowed',
  'list_missing',
] as const;

// ---- smart search ----------------------------------------------------------------------------

/**
 * Smart-search kind `mailHistory` (server: mail/mail.filters.ts):
 * - `{kind: 'mailHistory', event: 'received', mailingId?}`: got mailing X (a recipient row marked
 *   sent), or without mailingId any mailing of the unit, above or below it;
 * - `{kind: 'mailHistory', event: 'bounced', mailingId?}`: an address of the person bounced (marked
 *   bounced or on the suppression list as bounced), or with mailingId: bounced in that mailing;
 * - `{kind: 'mailHistory', event: 'unsubscribed'}`: an address of the person unsubscribed (from
 *   everything, or from the unit, one above or below it).
 * `not: true` negates as everywhere.
 */
export const MAIL_HISTORY_EVENTS = ['received', 'bounced', 'unsubscribed'] as const;
export const MailHistoryFilter = z
  .strictObject({
    kind: z.literal('mailHistory'),
    not: z.boolean().optional(),
    event: z.enum(MAIL_HISTORY_EVENTS),
    mailingId: z.uuid().optional(),
  })
  .refine((f) => !(f.mailingId && f.event === 'unsubscribed'), {
    message: 'mail history "unsubscribed" takes no "mailingId"',
    path: ['mailingId'],
  })
  .meta({
    description:
      'People by their mail history: received a mailing (one, or any of the unit, above or below it), an address bounced (in one mailing or at all), or unsubscribed.',
  });
export type MailHistoryFilter = z.infer<typeof MailHistoryFilter>;
