/**
 * Every table has exactly one owning domain (a folder under src/server): only that domain's code
 * writes it. Others call the owner's service, or a repo function it exports for the purpose.
 * `test/architecture.test.ts` fails for a table missing here and for a write outside its owner.
 */
export const TABLE_OWNERS: Record<string, string> = {
  users: 'auth',
  sessions: 'auth',
  api_tokens: 'auth',
  totp_recovery_codes: 'auth',
  login_failures: 'auth',
  org_units: 'orgs',
  org_tree: 'orgs',
  memberships: 'memberships',
  invitations: 'memberships',
  instruction_versions: 'instruction',
  instruction_confirmations: 'instruction',
  audit_log: 'audit',
  mail_messages: 'mail',
  people: 'people',
  person_emails: 'people',
  person_phones: 'people',
  notes: 'people',
  timeline_events: 'people',
  person_changes: 'people',
  person_redirects: 'people',
  custom_fields: 'fields',
  tags: 'tags',
  person_tags: 'tags',
  imports: 'imports',
  import_file_chunks: 'imports',
  import_errors: 'imports',
  import_seen: 'imports',
  duplicate_candidates: 'duplicates',
  duplicate_scans: 'duplicates',
  queries: 'queries',
  query_snapshot_members: 'queries',
  call_assignments: 'calls',
  call_assignment_callers: 'calls',
  call_locks: 'calls',
  call_targets: 'calls',
  calls: 'calls',
  consents: 'consents',
  import_error_rows: 'imports',
  campaigns: 'campaigns',
  campaign_question_versions: 'campaigns',
  call_centres: 'campaigns',
  rate_limit_counters: 'http',
  link_tokens: 'links',
  consent_events: 'consents',
  instance_keys: 'privacy',
  mail_sender_addresses: 'mail',
  org_mail_settings: 'mail',
  mail_templates: 'mail',
  mailings: 'mail',
  mailing_recipients: 'mail',
  mail_suppressions: 'mail',
  change_digests: 'changes',
  change_digest_recipients: 'changes',
};

/**
 * Deliberate writes outside the owner, each with its reason. Adding one is a decision: say why.
 * Keys: `<file under src/server> <table>`.
 */
export const WRITE_EXCEPTIONS: Record<string, string> = {
  'imports/imports.repo.ts people':
    'an import batch is one statement over unnest arrays for throughput (bench/RESULTS.md); it writes the change log and timeline in the same statement',
  'imports/imports.repo.ts person_emails': 'the same import batch statement',
  'imports/imports.repo.ts person_phones': 'the same import batch statement',
  'imports/imports.repo.ts person_tags': 'the same import batch statement',
  'imports/imports.repo.ts timeline_events': 'the same import batch statement and the sync departures',
  'imports/imports.repo.ts person_changes': 'the same import batch statement and the sync departures',
  'demo/people-generator.ts people': 'demo and benchmark data generator, a tool rather than a domain',
  'demo/people-generator.ts person_emails': 'demo and benchmark data generator',
  'demo/people-generator.ts person_phones': 'demo and benchmark data generator',
};
