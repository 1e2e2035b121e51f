import { z } from 'zod';
import { Email, IsoDate, Locale, Password } from './common.ts';

/**
 * Phone campaigns: call assignments, the call queue and call outcomes. A caller sees only the
 * current target and only the fields the assignment allows; the server builds that view.
 */

/** Person fields an assignment may show to its callers. */
export const CALL_VISIBLE_FIELDS = [
  'firstName',
  'lastName',
  'title',
  'pronouns',
  'phones',
  'postalCode',
  'city',
  'street',
  'houseNumber',
  'emails',
  'birthDate',
  'memberNumber',
  'membershipStatus',
  'joinedOn',
  'orgName',
] as const;
export type CallVisibleField = (typeof CALL_VISIBLE_FIELDS)[number];
export const DEFAULT_VISIBLE_FIELDS: CallVisibleField[] = [
  'firstName',
  'lastName',
  'phones',
  'postalCode',
  'city',
];

export const CALL_OUTCOMES = [
  'reached',
  'no_answer',
  'busy',
  'voicemail',
  'call_back',
  'wrong_number',
  'number_outdated',
  'not_interested',
  'do_not_call',
  'other',
] as const;
export type CallOutcome = (typeof CALL_OUTCOMES)[number];

export const CALL_ASSIGNMENT_STATUSES = ['draft', 'open', 'paused', 'closed'] as const;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const Time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'a time HH:MM');
export const CallingWindow = z
  .strictObject({ from: Time, to: Time })
  .refine((w) => w.from < w.to, 'from must be before to');
/** Per weekday the windows in the unit's time zone; a missing or empty day is closed. */
export const CallingHours = z.strictObject({
  mon: z.array(CallingWindow).max(4).default([]),
  tue: z.array(CallingWindow).max(4).default([]),
  wed: z.array(CallingWindow).max(4).default([]),
  thu: z.array(CallingWindow).max(4).default([]),
  fri: z.array(CallingWindow).max(4).default([]),
  sat: z.array(CallingWindow).max(4).default([]),
  sun: z.array(CallingWindow).max(4).default([]),
});
export type CallingHours = z.infer<typeof CallingHours>;

const weekday = [{ from: '10:00', to: '20:30' }];
export const DEFAULT_CALLING_HOURS: CallingHours = {
  mon: weekday,
  tue: weekday,
  wed: weekday,
  thu: weekday,
  fri: weekday,
  sat: [{ from: '10:00', to: '18:00' }],
  sun: [],
};

const QuestionBase = {
  /** Stable id answers refer to; generated (`q1`, `q2` …) when left out. */
  id: z
    .string()
    .regex(/^[\w-]{1,40}$/)
    .optional(),
  text: z.string().trim().min(1).max(500),
};
const Options = z.array(z.string().trim().min(1).max(200)).min(1).max(30);
/**
 * What choosing an answer does to the person: add a tag, set a custom field, or flag them for an
 * organizer (a follow-up with this reason). `when` is the option text (choice questions) or
 * `yes` / `no` (yes/no questions).
 */
export const AnswerAction = z
  .strictObject({
    when: z.string().trim().min(1).max(200),
    addTagId: z.uuid().optional(),
    setField: z.strictObject({ fieldId: z.uuid(), value: z.unknown() }).optional(),
    followUp: z.string().trim().min(1).max(500).optional(),
  })
  .refine((a) => a.addTagId || a.setField || a.followUp, 'an action needs a tag, a field or a follow-up');
export type AnswerAction = z.infer<typeof AnswerAction>;
const Actions = z.array(AnswerAction).max(60).optional();
export const CallQuestion = z.discriminatedUnion('type', [
  z.strictObject({ ...QuestionBase, type: z.literal('single_choice'), options: Options, actions: Actions }),
  z.strictObject({ ...QuestionBase, type: z.literal('multiple_choice'), options: Options, actions: Actions }),
  z.strictObject({ ...QuestionBase, type: z.literal('yes_no'), actions: Actions }),
  z.strictObject({
    ...QuestionBase,
    type: z.literal('scale'),
    min: z.number().int().min(-100).max(100).default(1),
    max: z.number().int().min(-100).max(100).default(5),
  }),
  z.strictObject({ ...QuestionBase, type: z.literal('free_text') }),
]);
export type CallQuestion = z.infer<typeof CallQuestion> & { id: string };

const PlainDate = z.iso.date();

const AssignmentFields = {
  title: z.string().trim().min(1).max(200),
  description: z.string().max(5000).nullable().optional(),
  targetQueryId: z.uuid(),
  visibleFields: z.array(z.enum(CALL_VISIBLE_FIELDS)).max(CALL_VISIBLE_FIELDS.length).optional(),
  script: z.string().max(20000).optional(),
  questions: z.array(CallQuestion).max(50).optional(),
  maxAttempts: z.number().int().min(1).max(50).optional(),
  cooldownHours: z.number().int().min(0).max(8760).optional(),
  callingHours: CallingHours.optional(),
  lockMinutes: z.number().int().min(1).max(240).optional(),
  startsOn: PlainDate.nullable().optional(),
  endsOn: PlainDate.nullable().optional(),
  status: z.enum(CALL_ASSIGNMENT_STATUSES).optional(),
  /** Done when: people in this list leave the queue (besides those reached here). */
  goalQueryId: z.uuid().nullable().optional(),
  /** Skip people reached by another open assignment of the same campaign in the last N days (0 = off). */
  reachedElsewhereDays: z.number().int().min(0).max(3650).optional(),
  /** Events callers may invite to (ids of the events module). */
  eventIds: z.array(z.uuid()).max(20).optional(),
  /** Callers see the notes of earlier attempts in this assignment. */
  showPreviousNotes: z.boolean().optional(),
};

export const CallAssignmentCreate = z.strictObject({ orgId: z.uuid(), ...AssignmentFields });
export const CallAssignmentUpdate = z.strictObject({
  ...AssignmentFields,
  title: AssignmentFields.title.optional(),
  targetQueryId: AssignmentFields.targetQueryId.optional(),
});
export const CallAssignmentListQuery = z.strictObject({ orgId: z.uuid() });

/** A question as stored and sent back (the full shape is CallQuestion). */
export const StoredQuestion = z.looseObject({ id: z.string(), type: z.string(), text: z.string() });

export const CallAssignmentCaller = z.object({
  userId: z.uuid(),
  name: z.string(),
  email: z.string(),
  prioritisedTagIds: z.array(z.uuid()),
  excludedTagIds: z.array(z.uuid()),
});

export const CallAssignmentView = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  title: z.string(),
  description: z.string().nullable(),
  /** The saved list called; null for assignments a campaign generated (they call its target). */
  targetQueryId: z.uuid().nullable(),
  visibleFields: z.array(z.string()),
  script: z.string(),
  questions: z.array(StoredQuestion),
  maxAttempts: z.number(),
  cooldownHours: z.number(),
  callingHours: CallingHours,
  lockMinutes: z.number(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  status: z.enum(CALL_ASSIGNMENT_STATUSES),
  goalQueryId: z.uuid().nullable(),
  campaignId: z.uuid().nullable(),
  callCentreId: z.uuid().nullable(),
  /** Campaign assignments: the national and regional questions and script callers also get. */
  inherited: z
    .object({ script: z.string(), questions: z.array(StoredQuestion), campaignTitle: z.string() })
    .nullable(),
  reachedElsewhereDays: z.number(),
  eventIds: z.array(z.uuid()),
  showPreviousNotes: z.boolean(),
  callers: z.array(CallAssignmentCaller),
  createdAt: IsoDate,
  updatedAt: IsoDate,
});
export type CallAssignmentView = z.infer<typeof CallAssignmentView>;

/**
 * What a caller sees of their assignments (`GET /api/me/call-assignments`: the open ones;
 * `GET /api/me/call-assignments/:id`: one in any status, so a paused one can say so).
 */
export const MyCallAssignment = z.object({
  id: z.uuid(),
  orgId: z.uuid(),
  orgName: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  status: z.enum(CALL_ASSIGNMENT_STATUSES),
});

export const CallerAdd = z.strictObject({
  userId: z.uuid(),
  prioritisedTagIds: z.array(z.uuid()).max(50).optional(),
  excludedTagIds: z.array(z.uuid()).max(50).optional(),
});
export const CallerParams = z.strictObject({ id: z.uuid(), userId: z.uuid() });

export const CallTargetPhone = z.object({
  id: z.uuid(),
  raw: z.string(),
  e164: z.string().nullable(),
  type: z.string(),
});

/** The target as the caller sees it: the id plus only the assignment's visible fields. */
export const CallTargetPerson = z.object({
  id: z.uuid(),
  firstName: z.string().optional(),
  lastName: z.string().optional(),
  title: z.string().nullable().optional(),
  pronouns: z.string().nullable().optional(),
  phones: z.array(CallTargetPhone).optional(),
  postalCode: z.string().nullable().optional(),
  city: z.string().nullable().optional(),
  street: z.string().nullable().optional(),
  houseNumber: z.string().nullable().optional(),
  emails: z.array(z.string()).optional(),
  birthDate: z.string().nullable().optional(),
  memberNumber: z.string().nullable().optional(),
  membershipStatus: z.string().optional(),
  joinedOn: z.string().nullable().optional(),
  orgName: z.string().optional(),
});

export const NEXT_EMPTY_REASONS = ['queue_empty', 'outside_calling_hours', 'assignment_closed'] as const;

export const NextCallResponse = z.object({
  call: z
    .object({
      id: z.uuid(),
      assignmentId: z.uuid(),
      person: CallTargetPerson,
      lockExpiresAt: IsoDate,
      history: z.array(
        z.object({ at: IsoDate, outcome: z.enum(CALL_OUTCOMES), note: z.string().nullable().optional() }),
      ),
      script: z.string(),
      questions: z.array(StoredQuestion),
      eventIds: z.array(z.uuid()),
    })
    .nullable(),
  reason: z.enum(NEXT_EMPTY_REASONS).optional(),
  nextOpenAt: IsoDate.optional(),
});
export type NextCallResponse = z.infer<typeof NextCallResponse>;

export const CallOutcomeBody = z.strictObject({
  /** Client-generated id: the same outcome sent again is answered the same, nothing doubled. */
  clientId: z.string().min(1).max(100),
  outcome: z.enum(CALL_OUTCOMES),
  callBackAt: IsoDate.optional(),
  answers: z
    .array(z.strictObject({ questionId: z.string().max(40), value: z.unknown() }))
    .max(50)
    .optional(),
  note: z.string().trim().max(5000).optional(),
  /** wrong_number / number_outdated: the dialled phone; without it every valid phone is marked outdated. */
  phoneId: z.uuid().optional(),
  /** An organizer should get back to the person (appears in the assignment's follow-up list). */
  followUp: z.strictObject({ reason: z.string().trim().min(1).max(1000) }).optional(),
  /** Events of the assignment the person accepted the invitation to (reached calls only). */
  eventIds: z.array(z.uuid()).max(20).optional(),
  /** The person wants the newsletter: recorded as consent pending confirmation, source "call". */
  newsletter: z.boolean().optional(),
});
export const CallSkipBody = z.strictObject({ reason: z.string().max(500).optional() });
export const LockResponse = z.object({ lockExpiresAt: IsoDate });

/**
 * The figures about an assignment's people, each defined once. The server computes them in one
 * place (`targetCategory` in `src/server/calls/calls.repo.ts`, used by the progress endpoint and the
 * campaign evaluation); the UI explains them with `progress.help.<figure>` (l10n).
 *
 * `targets`: the people the assignment is about — everyone in its target list within the unit's
 * subtree now, plus everyone already called in this assignment who has since left the list (for
 * example a list "has a phone number" after their number was marked wrong). Nobody who was called
 * silently drops out of the figures; people erased or moved out of the unit do.
 *
 * Every target is in exactly one category; the first that applies, in this order:
 */
export const TARGET_CATEGORIES = [
  /** Reached in this assignment, or in the goal list (when the assignment has one). */
  'goalMet',
  /** Asked not to be called (in this assignment or anywhere else), and the goal is not met. */
  'doNotCall',
  /** Reached recently by another open assignment of the same campaign (or another call centre's). */
  'reachedElsewhere',
  /** Finished here without being reached: said "not interested" (or do-not-call, since lifted). */
  'declined',
  /** Has no valid phone number (any more, e.g. after "wrong number"). */
  'noValidPhone',
  /** Called here before, but no longer in the target list: the queue does not offer them. */
  'leftList',
  /** Every attempt used up (`maxAttempts`) and no call-back agreed. */
  'maxAttempts',
  /** Called at least once, will be called again (possibly after a cooldown or at a call-back time). */
  'inProgress',
  /** Never called in this assignment yet. */
  'notCalledYet',
] as const;
export type TargetCategory = (typeof TARGET_CATEGORIES)[number];
/** `done`: nobody calls them again because the work with them is finished. */
export const DONE_CATEGORIES = [
  'goalMet',
  'reachedElsewhere',
  'declined',
] as const satisfies TargetCategory[];
/** Not callable (any more) although not done. */
export const BLOCKED_CATEGORIES = [
  'doNotCall',
  'noValidPhone',
  'leftList',
  'maxAttempts',
] as const satisfies TargetCategory[];
/** `remaining`: the queue will still offer them. */
export const REMAINING_CATEGORIES = ['inProgress', 'notCalledYet'] as const satisfies TargetCategory[];
export type TargetCategoryCounts = Record<TargetCategory, number>;

/** `done` and `remaining` from the category counts (the only place they are summed). */
export function targetTotals(c: TargetCategoryCounts) {
  const sum = (keys: readonly TargetCategory[]) => keys.reduce((n, k) => n + c[k], 0);
  return {
    targets: sum(TARGET_CATEGORIES),
    done: sum(DONE_CATEGORIES),
    remaining: sum(REMAINING_CATEGORIES),
  };
}

/**
 * Progress of an assignment for its organizers. The categories (see TARGET_CATEGORIES) partition
 * `targets`: `done` (goalMet + reachedElsewhere + declined) + doNotCall + noValidPhone + leftList +
 * maxAttempts + `remaining` (inProgress + notCalledYet) = targets. Across the categories:
 * `attempted` = targets called at least once here; `reached` = targets reached here (part of
 * goalMet); `cooldown` / `callBackLater` = the part of `remaining` waiting for a cooldown or a
 * call-back time. People are counted apart from calls: `calls`, `byOutcome` and `byCaller` count
 * recorded calls (one person may have several; a call's outcome stays as recorded, while the
 * person's category follows their state now).
 */
export const CallProgress = z.object({
  targets: z.number().int(),
  attempted: z.number().int(),
  done: z.number().int(),
  reached: z.number().int(),
  goalMet: z.number().int(),
  reachedElsewhere: z.number().int(),
  declined: z.number().int(),
  remaining: z.number().int(),
  doNotCall: z.number().int(),
  noValidPhone: z.number().int(),
  leftList: z.number().int(),
  maxAttempts: z.number().int(),
  inProgress: z.number().int(),
  notCalledYet: z.number().int(),
  cooldown: z.number().int(),
  callBackLater: z.number().int(),
  calls: z.number().int(),
  openFollowUps: z.number().int(),
  byOutcome: z.record(z.enum(CALL_OUTCOMES), z.number().int()),
  byCaller: z.array(
    z.object({
      callerId: z.uuid().nullable(),
      name: z.string().nullable(),
      calls: z.number().int(),
      reached: z.number().int(),
      lastCallAt: IsoDate.nullable(),
    }),
  ),
  lastCallAt: IsoDate.nullable(),
});
export type CallProgress = z.infer<typeof CallProgress>;

/** A call in the organizer's views (recent calls, follow-ups): the person by name only. */
export const CallRecordView = z.object({
  id: z.uuid(),
  at: IsoDate,
  outcome: z.enum(CALL_OUTCOMES),
  personId: z.uuid().nullable(),
  personName: z.string().nullable(),
  callerId: z.uuid().nullable(),
  callerName: z.string().nullable(),
  note: z.string().nullable(),
  answers: z.array(z.object({ questionId: z.string(), value: z.unknown() })),
  eventIds: z.array(z.uuid()),
  newsletter: z.boolean(),
  followUpReason: z.string().nullable(),
  followUpResolvedAt: IsoDate.nullable(),
});
export type CallRecordView = z.infer<typeof CallRecordView>;
export const CallListQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const FollowUpListQuery = z.strictObject({
  state: z.enum(['open', 'resolved', 'all']).default('open'),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

/** "Log a call": a caller finds a person among the assignment's targets who called back on their own. */
export const TargetSearchQuery = z.strictObject({ q: z.string().trim().min(2).max(100) });
export const TargetSearchResult = z.object({
  items: z.array(z.object({ id: z.uuid(), name: z.string(), postalCode: z.string().nullable() })),
});
export const ClaimPersonBody = z.strictObject({ personId: z.uuid() });

/** The caller's own figures in an assignment: today (in the unit's time zone) or since a time. */
export const MyCallStatsQuery = z.strictObject({ since: IsoDate.optional() });
export const MyCallStats = z.object({
  calls: z.number().int(),
  reached: z.number().int(),
  eventSignUps: z.number().int(),
  newsletter: z.number().int(),
  since: IsoDate,
});

// ---- invitation links: a new volunteer registers as a caller of one assignment ----

/** At most a year ahead; default 14 days. `maxUses` null or left out = unlimited. */
export const CallInviteLinkCreate = z.strictObject({
  expiresAt: IsoDate.optional(),
  maxUses: z.number().int().min(1).max(10000).nullable().optional(),
});
export const CallInviteLinkCreated = z.object({
  id: z.uuid(),
  /** The link to hand out; its token is shown only here, the server keeps its hash. */
  url: z.string(),
  expiresAt: IsoDate,
  maxUses: z.number().int().nullable(),
});
export const CallInviteLinkView = z.object({
  id: z.uuid(),
  expiresAt: IsoDate,
  maxUses: z.number().int().nullable(),
  uses: z.number().int(),
  revokedAt: IsoDate.nullable(),
  createdAt: IsoDate,
});
export type CallInviteLinkView = z.infer<typeof CallInviteLinkView>;
export const CallInviteLinkParams = z.strictObject({ id: z.uuid(), linkId: z.uuid() });
export const CallInvitePreview = z.object({ assignmentTitle: z.string(), orgName: z.string() });
/**
 * A new account (`name`, `email`, `password` together), or empty for the signed-in user.
 * A registration without all three fields is a 400 naming the missing ones.
 */
export const CallInviteAcceptBody = z.strictObject({
  name: z.string().trim().min(1, 'required').max(200).optional(),
  email: Email.optional(),
  password: Password.optional(),
  locale: Locale.optional(),
});
export const CallInviteAccepted = z.object({ assignmentId: z.uuid() });
