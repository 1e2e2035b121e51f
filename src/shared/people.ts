import { z } from 'zod';
import { IsoDate } from './common.ts';

export const MEMBERSHIP_STATUSES = ['member', 'supporter', 'interested', 'former'] as const;
export const MembershipStatus = z.enum(MEMBERSHIP_STATUSES);
export const PHONE_TYPES = ['mobile', 'landline'] as const;
export const PHONE_STATUSES = ['valid', 'invalid', 'outdated'] as const;
export const EMAIL_STATUSES = ['valid', 'bounced', 'invalid'] as const;
export const PERSON_SOURCES = ['manual', 'import', 'form', 'call'] as const;

/** The plain (single-value) fields of a person: edited, merged and shown by name. */
export const PERSON_SIMPLE_FIELDS = [
  'firstName',
  'lastName',
  'title',
  'gender',
  'pronouns',
  'birthDate',
  'street',
  'houseNumber',
  'postalCode',
  'city',
  'country',
  'memberNumber',
  'membershipStatus',
  'joinedOn',
  'leftOn',
  'doNotCall',
  'doNotEmail',
  'doNotPost',
] as const;
export type PersonSimpleField = (typeof PERSON_SIMPLE_FIELDS)[number];

const PlainDate = z.iso.date();
const optionalText = (max: number) => z.string().trim().max(max).nullable().optional();

export const EmailInput = z.strictObject({
  email: z.email().max(254),
  isPrimary: z.boolean().optional(),
  status: z.enum(EMAIL_STATUSES).optional(),
});
export const PhoneInput = z.strictObject({
  number: z.string().trim().min(3).max(40),
  type: z.enum(PHONE_TYPES).optional(),
  isPrimary: z.boolean().optional(),
  status: z.enum(PHONE_STATUSES).optional(),
});

/** A custom field value: text, number, date (YYYY-MM-DD), yes/no, or chosen option(s). */
export const CustomFieldValue = z.union([
  z.string().max(2000),
  z.number(),
  z.boolean(),
  z.array(z.string().max(200)).max(50),
  z.null(),
]);

export const PersonFields = {
  firstName: z.string().trim().max(200),
  lastName: z.string().trim().max(200),
  title: optionalText(50),
  gender: optionalText(50),
  pronouns: optionalText(50),
  birthDate: PlainDate.nullable().optional(),
  street: optionalText(200),
  houseNumber: optionalText(20),
  postalCode: z.string().trim().max(10).nullable().optional(),
  city: optionalText(200),
  country: z.string().trim().length(2).optional(),
  memberNumber: z.string().trim().min(1).max(50).nullable().optional(),
  membershipStatus: MembershipStatus.optional(),
  joinedOn: PlainDate.nullable().optional(),
  leftOn: PlainDate.nullable().optional(),
  homeOrgId: z.uuid().nullable().optional(),
  doNotCall: z.boolean().optional(),
  doNotEmail: z.boolean().optional(),
  doNotPost: z.boolean().optional(),
  emails: z.array(EmailInput).max(20).optional(),
  phones: z.array(PhoneInput).max(20).optional(),
  customFields: z.record(z.uuid(), CustomFieldValue).optional(),
};

export const PersonCreate = z
  .strictObject({
    ...PersonFields,
    firstName: PersonFields.firstName.default(''),
    lastName: PersonFields.lastName.default(''),
    orgId: z.uuid(),
    sourceDetail: optionalText(200),
  })
  .refine((p) => p.firstName.length + p.lastName.length > 0, {
    message: 'a first or last name is required',
    path: ['lastName'],
  });
export const PersonUpdate = z.strictObject(PersonFields).partial();

export const EmailView = z.object({
  id: z.uuid(),
  email: z.string(),
  isPrimary: z.boolean(),
  status: z.enum(EMAIL_STATUSES),
});
export const PhoneView = z.object({
  id: z.uuid(),
  raw: z.string(),
  e164: z.string().nullable(),
  type: z.enum(PHONE_TYPES),
  status: z.enum(PHONE_STATUSES),
  isPrimary: z.boolean(),
});
export const TagRef = z.object({
  id: z.uuid(),
  name: z.string(),
  color: z.string(),
  group: z.string().nullable(),
});

export const PersonView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  orgName: z.string(),
  homeOrgId: z.uuid().nullable(),
  firstName: z.string(),
  lastName: z.string(),
  title: z.string().nullable(),
  gender: z.string().nullable(),
  pronouns: z.string().nullable(),
  birthDate: z.string().nullable(),
  street: z.string().nullable(),
  houseNumber: z.string().nullable(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  country: z.string(),
  memberNumber: z.string().nullable(),
  membershipStatus: MembershipStatus,
  joinedOn: z.string().nullable(),
  leftOn: z.string().nullable(),
  doNotCall: z.boolean(),
  doNotEmail: z.boolean(),
  doNotPost: z.boolean(),
  source: z.string(),
  sourceDetail: z.string().nullable(),
  emails: z.array(EmailView),
  phones: z.array(PhoneView),
  tags: z.array(TagRef),
  customFields: z.record(z.string(), CustomFieldValue),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  /** Set when the write could not do all it asked (a postal code of a unit outside the actor's). */
  warnings: z
    .array(z.object({ code: z.enum(['postal_code_outside_scope']), message: z.string() }))
    .optional(),
});
export type PersonView = z.infer<typeof PersonView>;

/** One row of the people list: enough to find and recognise someone, nothing more. */
export const PersonListItem = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  firstName: z.string(),
  lastName: z.string(),
  postalCode: z.string().nullable(),
  city: z.string().nullable(),
  memberNumber: z.string().nullable(),
  membershipStatus: MembershipStatus,
  email: z.string().nullable(),
  phone: z.string().nullable(),
  tagIds: z.array(z.uuid()),
  createdAt: IsoDate,
});
export type PersonListItem = z.infer<typeof PersonListItem>;

export const PEOPLE_SORTS = ['name', '-name', 'created', '-created', 'postalCode', '-postalCode'] as const;
export const PeopleListQuery = z.strictObject({
  orgId: z.uuid(),
  search: z.string().trim().max(200).optional(),
  tag: z.uuid().optional(),
  status: MembershipStatus.optional(),
  sort: z.enum(PEOPLE_SORTS).default('name'),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(500).optional(),
});

export const NoteCreate = z.strictObject({ text: z.string().trim().min(1).max(10_000) });
export const NoteView = z.object({
  id: z.uuid(),
  text: z.string(),
  authorName: z.string().nullable(),
  createdAt: IsoDate,
});
export const TimelineEvent = z.object({
  id: z.uuid(),
  at: IsoDate,
  kind: z.string(),
  actorName: z.string().nullable(),
  data: z.record(z.string(), z.unknown()),
});
export const SetTagsBody = z.strictObject({ tagIds: z.array(z.uuid()).max(200) });
/** Adds and/or removes tags on many people at once (the people list's bulk bar). */
export const BulkTagsBody = z.strictObject({
  orgId: z.uuid(),
  personIds: z.array(z.uuid()).min(1).max(10_000),
  addTagIds: z.array(z.uuid()).max(50).default([]),
  removeTagIds: z.array(z.uuid()).max(50).default([]),
});

export const CUSTOM_FIELD_TYPES = [
  'text',
  'number',
  'date',
  'boolean',
  'single_choice',
  'multiple_choice',
] as const;
export const CustomFieldCreate = z
  .strictObject({
    key: z
      .string()
      .trim()
      .regex(/^[a-z][a-z0-9_]{0,49}$/, 'lower-case letters, digits and _ (start with a letter)')
      .optional(),
    label: z.string().trim().min(1).max(100),
    type: z.enum(CUSTOM_FIELD_TYPES),
    options: z.array(z.string().trim().min(1).max(100)).max(100).optional(),
  })
  .refine((f) => !f.type.endsWith('_choice') || (f.options?.length ?? 0) > 0, {
    message: 'choice fields need at least one option',
    path: ['options'],
  });
export const CustomFieldView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  key: z.string(),
  label: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(z.string()),
});
export type CustomFieldView = z.infer<typeof CustomFieldView>;

export const TAG_COLORS = [
  'gray',
  'red',
  'pink',
  'grape',
  'violet',
  'indigo',
  'blue',
  'cyan',
  'teal',
  'green',
  'lime',
  'yellow',
  'orange',
] as const;
export const TagCreate = z.strictObject({
  name: z.string().trim().min(1).max(60),
  color: z.enum(TAG_COLORS).default('gray'),
  group: z.string().trim().min(1).max(60).nullable().optional(),
});
export const TagView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  name: z.string(),
  color: z.string(),
  group: z.string().nullable(),
});
