import { z } from 'zod';
import { MembershipStatus } from './people.ts';

/** Columns a people export may contain (the user picks; default: name, contact, address). */
export const EXPORT_COLUMNS = [
  'firstName',
  'lastName',
  'title',
  'email',
  'phone',
  'mobile',
  'street',
  'houseNumber',
  'postalCode',
  'city',
  'country',
  'memberNumber',
  'membershipStatus',
  'birthDate',
  'joinedOn',
  'leftOn',
  'org',
  'tags',
  'doNotCall',
  'doNotEmail',
  'createdAt',
] as const;
export type ExportColumn = (typeof EXPORT_COLUMNS)[number];
export const DEFAULT_EXPORT_COLUMNS: ExportColumn[] = [
  'firstName',
  'lastName',
  'email',
  'phone',
  'street',
  'houseNumber',
  'postalCode',
  'city',
];

/**
 * Which people: the people-list filter (search, tag, status), explicit ids, or a saved list
 * (`queryId`), always inside orgId's subtree.
 */
export const ExportRequest = z
  .strictObject({
    orgId: z.uuid(),
    filter: z
      .strictObject({
        search: z.string().trim().max(200).optional(),
        tag: z.uuid().optional(),
        status: MembershipStatus.optional(),
      })
      .optional(),
    personIds: z.array(z.uuid()).min(1).max(100_000).optional(),
    queryId: z.uuid().optional(),
    columns: z
      .array(z.enum(EXPORT_COLUMNS))
      .min(1)
      .max(EXPORT_COLUMNS.length)
      .default(DEFAULT_EXPORT_COLUMNS),
    format: z.enum(['csv', 'xlsx']),
    /** CSV only: ';' opens directly in German Excel. */
    delimiter: z.enum([',', ';']).default(';'),
  })
  .refine((r) => [r.filter, r.personIds, r.queryId].filter(Boolean).length <= 1, {
    message: 'give one of filter, personIds or queryId',
    path: ['personIds'],
  });
