import { z } from 'zod';
import { IsoDate } from './common.ts';

/**
 * Data-change mails (issue 14, point 7): the change list of a unit and its digest settings.
 * Kinds are relative to the unit looked at: a `moved` event of the change log is `moved_in` for
 * the new unit's subtree, `moved_out` for the old one's and `moved_within` where both lie inside.
 */
export const CHANGE_KINDS = [
  'created',
  'updated',
  'departed',
  'moved_in',
  'moved_out',
  'moved_within',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Fields whose change counts as "changed contact data" in the digest. */
export const CONTACT_FIELDS = [
  'firstName',
  'lastName',
  'title',
  'street',
  'houseNumber',
  'postalCode',
  'city',
  'country',
  'emails',
  'phones',
] as const;

export const DIGEST_FREQUENCIES = ['off', 'immediate', 'daily', 'weekly'] as const;
export type DigestFrequency = (typeof DIGEST_FREQUENCIES)[number];

/** What a digest mail counts (never who). */
export const DigestCounts = z.object({
  created: z.number().int(),
  movedIn: z.number().int(),
  movedOut: z.number().int(),
  movedWithin: z.number().int(),
  departed: z.number().int(),
  contactChanged: z.number().int(),
});
export type DigestCounts = z.infer<typeof DigestCounts>;

const When = IsoDate.or(z.iso.date());

export const ChangeListQuery = z
  .strictObject({
    from: When,
    to: When,
    kind: z.enum(CHANGE_KINDS).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    cursor: z.string().max(200).optional(),
  })
  .refine((q) => boundOf(q.to, 'to') > boundOf(q.from, 'from'), {
    path: ['to'],
    message: 'must be after from',
  });

/** A bare date as `from` starts at its midnight (UTC), as `to` includes that whole day. */
export function boundOf(value: string, side: 'from' | 'to'): number {
  const t = Date.parse(value);
  return value.length === 10 && side === 'to' ? t + 86_400_000 : t;
}

export const ChangeItem = z.object({
  id: z.uuid(),
  kind: z.enum(CHANGE_KINDS),
  at: IsoDate,
  /** Only where the actor may read the person now; moved-out people never carry more than this. */
  person: z.object({ id: z.uuid(), name: z.string() }).nullable(),
  /** Names of the changed fields (never values); empty for moves and people who moved out. */
  fields: z.array(z.string()),
  source: z.string(),
  /** For moves: the other unit (where they came from / went to), null when not visible to the actor. */
  otherOrg: z.object({ id: z.uuid(), name: z.string() }).nullable(),
});
export type ChangeItem = z.infer<typeof ChangeItem>;

export const ChangeList = z.object({
  items: z.array(ChangeItem),
  nextCursor: z.string().nullable(),
  /** Counts per kind over the whole range (not only this page). */
  counts: z.record(z.enum(CHANGE_KINDS), z.number().int()),
});
export type ChangeList = z.infer<typeof ChangeList>;

export const ChangeDigestBody = z.strictObject({
  frequency: z.enum(DIGEST_FREQUENCIES),
  /** Chosen responsible persons; empty = the unit's admins. Each must hold a role on the unit or above. */
  recipientUserIds: z.array(z.uuid()).max(50),
});

export const DigestUser = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  role: z.enum(['admin', 'organizer', 'caller']),
  orgId: z.uuid(),
  orgName: z.string(),
});

export const ChangeDigestView = z.object({
  orgId: z.uuid(),
  frequency: z.enum(DIGEST_FREQUENCIES),
  recipientUserIds: z.array(z.uuid()),
  /** Who gets the digest now (the chosen ones, else the unit's admins). */
  effectiveRecipients: z.array(DigestUser),
  /** Users who may be chosen: a role on the unit or a unit above it. */
  candidates: z.array(DigestUser),
  /** Everything up to this time has been reported (null: nothing sent yet). */
  lastDigestUntil: IsoDate.nullable(),
});
export type ChangeDigestView = z.infer<typeof ChangeDigestView>;
