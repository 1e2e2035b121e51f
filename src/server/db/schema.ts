import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** Kysely's view of the tables (camelCase; the CamelCasePlugin maps to snake_case). */
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Json = ColumnType<Record<string, unknown>, string | undefined, string>;

export type Role = 'admin' | 'organizer' | 'caller';
export type OrgKind = 'federal' | 'state' | 'district' | 'local' | 'group';
export type Locale = 'de' | 'en';

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: Generated<string>;
  passwordHash: string | null;
  locale: Generated<Locale>;
  isSuperadmin: Generated<boolean>;
  totpSecret: string | null;
  totpPendingSecret: string | null;
  totpEnabledAt: Timestamp | null;
  disabledAt: Timestamp | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface OrgUnitsTable {
  id: Generated<string>;
  parentId: string | null;
  kind: OrgKind;
  name: string;
  slug: string;
  postalCodes: Generated<string[]>;
  timeZone: Generated<string>;
  archivedAt: Timestamp | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface OrgTreeTable {
  ancestorId: string;
  descendantId: string;
  depth: number;
}

export interface MembershipsTable {
  userId: string;
  orgId: string;
  role: Role;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export interface SessionsTable {
  id: string;
  userId: string;
  createdAt: CreatedAt;
  lastSeenAt: Timestamp;
  expiresAt: Timestamp;
  userAgent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  userId: string;
  name: string;
  tokenHash: string;
  lastUsedAt: Timestamp | null;
  createdAt: CreatedAt;
}

export interface TotpRecoveryCodesTable {
  userId: string;
  codeHash: string;
  usedAt: Timestamp | null;
}

export interface LoginFailuresTable {
  id: Generated<number>;
  key: string;
  at: CreatedAt;
}

export interface RateLimitCountersTable {
  key: string;
  count: number;
  resetsAt: Timestamp;
}

/** Every emailed or shared link (links/): purpose, subject, expiry, uses; the token only hashed. */
export interface LinkTokensTable {
  id: Generated<string>;
  purpose: string;
  subjectType: string;
  subjectId: string;
  tokenHash: string;
  /** Null: the link does not expire (e.g. unsubscribe). */
  expiresAt: Timestamp | null;
  /** Null: any number of uses. */
  maxUses: number | null;
  useCount: Generated<number>;
  revokedAt: Timestamp | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  lastUsedAt: Timestamp | null;
}

export interface InvitationsTable {
  id: Generated<string>;
  orgId: string;
  email: string;
  role: Role;
  invitedBy: string | null;
  createdAt: CreatedAt;
  acceptedAt: Timestamp | null;
  acceptedUserId: string | null;
}

export interface InstructionVersionsTable {
  version: number;
  text: string;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export interface InstructionConfirmationsTable {
  userId: string;
  version: number;
  confirmedAt: CreatedAt;
}

export interface AuditLogTable {
  id: Generated<string>;
  at: CreatedAt;
  actorUserId: string | null;
  orgId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  details: Json;
  ip: string | null;
}

export type MailStatus = 'queued' | 'sent' | 'failed' | 'outbox';

export interface MailMessagesTable {
  id: Generated<string>;
  createdAt: CreatedAt;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody: string | null;
  template: string;
  status: MailStatus;
  attempts: Generated<number>;
  sentAt: Timestamp | null;
  error: string | null;
}

type PlainDate = ColumnType<string, string | null | undefined, string | null>;
type Jsonb<T> = ColumnType<T, string | undefined, string>;

export type MembershipStatus = 'member' | 'supporter' | 'interested' | 'former';

export interface PeopleTable {
  id: Generated<string>;
  orgId: string;
  homeOrgId: string | null;
  firstName: Generated<string>;
  lastName: Generated<string>;
  title: string | null;
  gender: string | null;
  pronouns: string | null;
  birthDate: PlainDate | null;
  street: string | null;
  houseNumber: string | null;
  postalCode: string | null;
  city: string | null;
  country: Generated<string>;
  memberNumber: string | null;
  membershipStatus: Generated<MembershipStatus>;
  joinedOn: PlainDate | null;
  leftOn: PlainDate | null;
  doNotCall: Generated<boolean>;
  doNotEmail: Generated<boolean>;
  doNotPost: Generated<boolean>;
  source: Generated<string>;
  sourceDetail: string | null;
  customFields: Jsonb<Record<string, unknown>>;
  searchText: Generated<string>;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface PersonEmailsTable {
  id: Generated<string>;
  personId: string;
  email: string;
  isPrimary: Generated<boolean>;
  status: Generated<'valid' | 'bounced' | 'invalid'>;
}

export interface PersonPhonesTable {
  id: Generated<string>;
  personId: string;
  raw: string;
  e164: string | null;
  type: Generated<'mobile' | 'landline'>;
  status: Generated<'valid' | 'invalid' | 'outdated'>;
  isPrimary: Generated<boolean>;
}

export interface CustomFieldsTable {
  id: Generated<string>;
  orgId: string;
  key: string;
  label: string;
  type: 'text' | 'number' | 'date' | 'boolean' | 'single_choice' | 'multiple_choice';
  options: Jsonb<string[]>;
  createdAt: CreatedAt;
}

export interface TagsTable {
  id: Generated<string>;
  orgId: string;
  name: string;
  color: Generated<string>;
  groupName: string | null;
  createdAt: CreatedAt;
}

export interface PersonTagsTable {
  personId: string;
  tagId: string;
  createdAt: CreatedAt;
}

export interface NotesTable {
  id: Generated<string>;
  personId: string;
  authorId: string | null;
  text: string;
  createdAt: CreatedAt;
}

export interface TimelineEventsTable {
  id: Generated<string>;
  personId: string;
  at: CreatedAt;
  kind: string;
  actorUserId: string | null;
  data: Json;
}

export interface PersonChangesTable {
  id: Generated<string>;
  personId: string;
  orgId: string;
  kind: 'created' | 'updated' | 'departed' | 'moved';
  fields: Generated<string[]>;
  source: string;
  at: CreatedAt;
  notifiedAt: Timestamp | null;
  /** For 'moved': the unit the person left (filled from fields[1] by a trigger when not given). */
  fromOrgId: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface PersonRedirectsTable {
  oldId: string;
  newId: string;
}

export interface DuplicateCandidatesTable {
  id: Generated<string>;
  personA: string;
  personB: string;
  score: number;
  reasons: string[];
  status: Generated<'open' | 'merged' | 'dismissed'>;
  scannedAt: Generated<Date>;
  decidedAt: Date | null;
  decidedBy: string | null;
  createdAt: CreatedAt;
}

export interface DuplicateScansTable {
  id: Generated<string>;
  orgId: string;
  requestedBy: string | null;
  status: Generated<'queued' | 'running' | 'done' | 'failed'>;
  pairs: number | null;
  error: string | null;
  createdAt: CreatedAt;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export type ImportStatus = 'uploading' | 'pending' | 'running' | 'done' | 'failed';

export interface ImportsTable {
  id: Generated<string>;
  orgId: string | null;
  createdBy: string | null;
  fileName: string;
  fileSize: Generated<number>;
  format: Generated<'csv' | 'xlsx'>;
  encoding: string | null;
  delimiter: string | null;
  headerRow: Generated<number>;
  columns: Generated<string[]>;
  suggestedMapping: Jsonb<Record<string, string | null>>;
  mapping: Jsonb<Record<string, string | null>>;
  mode: Generated<'create' | 'update' | 'sync'>;
  status: Generated<ImportStatus>;
  total: Generated<number>;
  errorRows: Generated<number>;
  duplicateMemberNumbers: Generated<string[]>;
  departures: number | null;
  departuresConfirmed: number | null;
  /** Newsletter consent column (202612042410): the stated legal basis, the consents' unit, double opt-ins started. */
  consentLegalBasis: string | null;
  consentOrgId: string | null;
  consentsRequested: Generated<number>;
  nextRow: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  departed: Generated<number>;
  failed: Generated<number>;
  message: string | null;
  lockedUntil: Timestamp | null;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface ImportFileChunksTable {
  importId: string;
  seq: number;
  data: Uint8Array;
}

export interface ImportErrorsTable {
  importId: string;
  rowNumber: number;
  columnName: string | null;
  problem: string;
  value: string | null;
}

/** The original cells of a skipped row (the error CSV shows them after the file is deleted). */
export interface ImportErrorRowsTable {
  importId: string;
  rowNumber: number;
  cells: string[];
}

export interface ImportSeenTable {
  importId: string;
  personId: string;
}

export interface QueriesTable {
  id: Generated<string>;
  orgId: string;
  ownerId: string | null;
  name: string;
  description: string | null;
  mode: 'dynamic' | 'snapshot';
  filter: Jsonb<unknown>;
  snapshotAt: Timestamp | null;
  snapshotCount: number | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface QuerySnapshotMembersTable {
  queryId: string;
  personId: string;
}

export interface CallAssignmentsTable {
  id: Generated<string>;
  orgId: string;
  title: string;
  description: string | null;
  targetQueryId: string | null;
  visibleFields: Generated<string[]>;
  script: Generated<string>;
  questions: Jsonb<unknown[]>;
  maxAttempts: Generated<number>;
  cooldownHours: Generated<number>;
  callingHours: Jsonb<unknown>;
  lockMinutes: Generated<number>;
  startsOn: PlainDate | null;
  endsOn: PlainDate | null;
  status: Generated<'draft' | 'open' | 'paused' | 'closed'>;
  goalQueryId: string | null;
  campaignId: string | null;
  reachedElsewhereDays: Generated<number>;
  eventIds: Generated<string[]>;
  showPreviousNotes: Generated<boolean>;
  callCentreId: string | null;
  excludedOrgIds: Generated<string[]>;
  targetsSyncedAt: Timestamp | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface CallAssignmentCallersTable {
  assignmentId: string;
  userId: string;
  prioritisedTagIds: Generated<string[]>;
  excludedTagIds: Generated<string[]>;
  createdAt: CreatedAt;
}

export interface CallLocksTable {
  id: string;
  assignmentId: string;
  personId: string;
  callerId: string;
  claimedAt: Generated<Date>;
  lockedUntil: Timestamp;
}

export interface CallTargetsTable {
  assignmentId: string;
  personId: string;
  attempts: Generated<number>;
  lastAttemptAt: Timestamp | null;
  lastOutcome: string | null;
  done: Generated<boolean>;
  reached: Generated<boolean>;
  cooldownUntil: Timestamp | null;
  callBackAt: Timestamp | null;
  callBackCallerId: string | null;
}

export interface CallsTable {
  id: string;
  clientId: string;
  assignmentId: string;
  personId: string | null;
  orgId: string | null;
  callerId: string | null;
  startedAt: Timestamp;
  endedAt: Generated<Date>;
  outcome: string;
  callBackAt: Timestamp | null;
  answers: Jsonb<unknown[]>;
  note: string | null;
  eventIds: Generated<string[]>;
  newsletter: Generated<boolean>;
  followUpReason: string | null;
  followUpResolvedAt: Timestamp | null;
  followUpResolvedBy: string | null;
}

/** Evaluation aggregates of calls (migration …_call_aggregates), kept by triggers on calls. */
export interface CallCountsTable {
  assignmentId: string;
  orgId: string;
  dim: 'day' | 'hour' | 'outcome' | 'caller' | 'caller_all' | 'people';
  key: string;
  calls: number;
  reached: number;
  eventSignUps: number;
  newsletter: number;
  followUpsOpen: number;
}

export interface CallPeopleTable {
  assignmentId: string;
  orgId: string;
  personKey: string;
  calls: number;
  units: Generated<number>;
}

export interface CallAnswerCountsTable {
  assignmentId: string;
  orgId: string;
  questionId: string;
  value: string | null;
  answered: number;
  count: number;
}

/** Target figures of a campaign per unit, computed by the job campaign-targets-refresh. */
export interface CampaignTargetSnapshotsTable {
  campaignId: string;
  computedAt: Timestamp;
}

export interface CampaignTargetCountsTable {
  campaignId: string;
  orgId: string;
  counts: Jsonb<Record<string, number>>;
}

export interface CampaignsTable {
  id: Generated<string>;
  orgId: string;
  title: string;
  description: string | null;
  startsAt: Timestamp | null;
  endsAt: Timestamp | null;
  script: Generated<string>;
  questions: Jsonb<unknown[]>;
  targetFilter: Jsonb<unknown>;
  rules: Jsonb<unknown>;
  visibleFields: string[];
  allowOptIn: Generated<boolean>;
  status: Generated<'draft' | 'open' | 'paused' | 'closed'>;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface CampaignQuestionVersionsTable {
  campaignId: string;
  questionId: string;
  version: number;
  callCentreId: string | null;
  definition: Jsonb<unknown>;
  createdAt: CreatedAt;
}

export interface CallCentresTable {
  id: Generated<string>;
  campaignId: string;
  orgId: string;
  splitBy: Generated<'none' | 'district' | 'local'>;
  questions: Jsonb<unknown[]>;
  scriptAddendum: Generated<string>;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export interface ConsentsTable {
  id: Generated<string>;
  personId: string;
  channel: 'newsletter' | 'email' | 'phone' | 'sms' | 'post';
  purpose: Generated<string>;
  orgId: string | null;
  textVersion: string | null;
  proof: Json;
  grantedAt: Timestamp | null;
  revokedAt: Timestamp | null;
  status: ConsentStatus;
  source: ConsentSource;
  sourceRef: string | null;
  textHash: string | null;
  recordedBy: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
  confirmedAt: Timestamp | null;
}

export type ConsentSource = 'call' | 'form' | 'import' | 'manual' | 'event' | 'consent_request' | 'api';
export type ConsentStatus = 'pending' | 'granted' | 'revoked';

/** The consent ledger: one row per change of a consent (mailer migration). */
export interface ConsentEventsTable {
  id: Generated<string>;
  consentId: string;
  personId: string;
  at: CreatedAt;
  status: ConsentStatus;
  source: string;
  sourceRef: string | null;
  textVersion: string | null;
  textHash: string | null;
  proof: Json;
  actorUserId: string | null;
}

export interface InstanceKeysTable {
  name: string;
  value: string;
  createdAt: CreatedAt;
}

export interface MailSenderAddressesTable {
  id: Generated<string>;
  address: string;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export interface OrgMailSettingsTable {
  orgId: string;
  senderName: string;
  senderAddressId: string | null;
  replyTo: string | null;
  footer: string;
  updatedBy: string | null;
  updatedAt: UpdatedAt;
}

export interface MailTemplatesTable {
  id: Generated<string>;
  orgId: string;
  name: string;
  subject: Generated<string>;
  html: Generated<string>;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

/** Images a unit uploads for its mailings (202612042400), served at /api/public/mail-images/:id. */
export interface MailImagesTable {
  id: Generated<string>;
  orgId: string;
  contentType: 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';
  bytes: Uint8Array;
  byteSize: number;
  width: number | null;
  height: number | null;
  sha256: string;
  createdBy: string | null;
  createdAt: CreatedAt;
}

export type MailingPurpose = 'member_info' | 'newsletter' | 'consent_request';
export type MailingStatus = 'draft' | 'scheduled' | 'sending' | 'paused' | 'sent' | 'cancelled';

export interface MailingsTable {
  id: Generated<string>;
  orgId: string;
  subject: string;
  html: Generated<string>;
  purpose: MailingPurpose;
  queryId: string | null;
  senderAddressId: string | null;
  status: Generated<MailingStatus>;
  scheduledAt: Timestamp | null;
  startedAt: Timestamp | null;
  finishedAt: Timestamp | null;
  pausedReason: string | null;
  total: number | null;
  /** The laid-out mail with placeholders, frozen when sending starts (null before). */
  compiledSubject: string | null;
  compiledHtml: string | null;
  compiledText: string | null;
  createdBy: string | null;
  createdAt: CreatedAt;
  updatedAt: UpdatedAt;
}

export type MailingRecipientStatus = 'queued' | 'sending' | 'sent' | 'failed' | 'bounced' | 'cancelled';

export interface MailingRecipientsTable {
  id: Generated<string>;
  mailingId: string;
  personId: string | null;
  orgId: string | null;
  email: string;
  domain: string;
  messageId: string;
  status: Generated<MailingRecipientStatus>;
  attempts: Generated<number>;
  nextAttemptAt: Generated<Timestamp>;
  claimedAt: Timestamp | null;
  sentAt: Timestamp | null;
  error: string | null;
}

export interface MailSuppressionsTable {
  id: Generated<string>;
  addressHash: string;
  orgId: string | null;
  purpose: string | null;
  reason: 'unsubscribed' | 'bounced' | 'erased' | 'complaint';
  createdAt: CreatedAt;
}

export interface ChangeDigestsTable {
  orgId: string;
  frequency: Generated<'off' | 'immediate' | 'daily' | 'weekly'>;
  lastDigestUntil: Timestamp | null;
  lastSentAt: Timestamp | null;
  updatedBy: string | null;
  updatedAt: UpdatedAt;
}

export interface ChangeDigestRecipientsTable {
  orgId: string;
  userId: string;
}

export interface Database {
  callAssignments: CallAssignmentsTable;
  callAssignmentCallers: CallAssignmentCallersTable;
  callLocks: CallLocksTable;
  callTargets: CallTargetsTable;
  calls: CallsTable;
  callCounts: CallCountsTable;
  callPeople: CallPeopleTable;
  callAnswerCounts: CallAnswerCountsTable;
  campaignTargetSnapshots: CampaignTargetSnapshotsTable;
  campaignTargetCounts: CampaignTargetCountsTable;
  consents: ConsentsTable;
  campaigns: CampaignsTable;
  campaignQuestionVersions: CampaignQuestionVersionsTable;
  callCentres: CallCentresTable;
  queries: QueriesTable;
  querySnapshotMembers: QuerySnapshotMembersTable;
  duplicateCandidates: DuplicateCandidatesTable;
  duplicateScans: DuplicateScansTable;
  imports: ImportsTable;
  importFileChunks: ImportFileChunksTable;
  importErrors: ImportErrorsTable;
  importErrorRows: ImportErrorRowsTable;
  importSeen: ImportSeenTable;
  people: PeopleTable;
  personEmails: PersonEmailsTable;
  personPhones: PersonPhonesTable;
  customFields: CustomFieldsTable;
  tags: TagsTable;
  personTags: PersonTagsTable;
  notes: NotesTable;
  timelineEvents: TimelineEventsTable;
  personChanges: PersonChangesTable;
  personRedirects: PersonRedirectsTable;
  users: UsersTable;
  orgUnits: OrgUnitsTable;
  orgTree: OrgTreeTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  apiTokens: ApiTokensTable;
  totpRecoveryCodes: TotpRecoveryCodesTable;
  loginFailures: LoginFailuresTable;
  rateLimitCounters: RateLimitCountersTable;
  linkTokens: LinkTokensTable;
  invitations: InvitationsTable;
  instructionVersions: InstructionVersionsTable;
  instructionConfirmations: InstructionConfirmationsTable;
  auditLog: AuditLogTable;
  mailMessages: MailMessagesTable;
  consentEvents: ConsentEventsTable;
  instanceKeys: InstanceKeysTable;
  mailSenderAddresses: MailSenderAddressesTable;
  orgMailSettings: OrgMailSettingsTable;
  mailTemplates: MailTemplatesTable;
  mailImages: MailImagesTable;
  mailings: MailingsTable;
  mailingRecipients: MailingRecipientsTable;
  mailSuppressions: MailSuppressionsTable;
  changeDigests: ChangeDigestsTable;
  changeDigestRecipients: ChangeDigestRecipientsTable;
}

export type User = Selectable<UsersTable>;
export type OrgUnit = Selectable<OrgUnitsTable>;
export type NewOrgUnit = Insertable<OrgUnitsTable>;
export type MailMessage = Selectable<MailMessagesTable>;
