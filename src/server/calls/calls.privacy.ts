import type { DomainPrivacy } from '../privacy/catalogue.ts';

export const callsPrivacy: DomainPrivacy = {
  domain: 'calls',
  tables: [
    {
      table: 'calls',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: [
        'note',
        'follow_up_reason',
        'answers',
        'newsletter',
        'event_ids',
        'caller_id',
        'org_id',
      ],
      purpose: 'Phone campaigns: what each call attempt produced, and the campaign figures built on it.',
      erasure: {
        action: 'anonymise',
        columns: { person_id: 'null', note: 'null', follow_up_reason: 'null', answers: 'free_text_answers' },
        by: 'trigger',
        note: 'scrub_calls_of_erased_person (before delete on people) clears the texts; the person_id foreign key is on delete set null. Outcome, time, unit and choice answers stay so campaign counts survive.',
      },
      access: {
        section: 'calls',
        columns: ['ended_at', 'outcome', 'answers', 'note', 'newsletter', 'event_ids', 'follow_up_reason'],
      },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'call_targets',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: ['attempts', 'last_attempt_at', 'last_outcome', 'done', 'reached', 'call_back_at'],
      purpose: 'Queue state of the person in a call assignment (attempts, cooldown, call-back time).',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: {
        section: 'call_queue',
        columns: ['attempts', 'last_attempt_at', 'last_outcome', 'call_back_at'],
      },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'call_locks',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: ['caller_id'],
      purpose: 'The claim of a caller on the person while the call is made.',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { none: 'a claim lasts minutes (lock_minutes) and is released by the outcome' },
      retention: {
        kind: 'short_lived',
        note: 'deleted by the outcome or skip; expired claims are taken over',
      },
    },
    {
      table: 'call_assignment_callers',
      subject: 'user',
      subjectColumns: ['user_id'],
      personalColumns: ['prioritised_tag_ids', 'excluded_tag_ids'],
      purpose: 'Which volunteers call for an assignment.',
      erasure: { action: 'erase', by: 'foreign_key' },
      access: { section: 'caller_assignments', columns: ['assignment_id', 'created_at'] },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'call_people',
      subject: 'person',
      subjectColumns: ['person_key'],
      personalColumns: ['calls'],
      purpose:
        'Evaluation aggregate: how many calls each person got per assignment and unit (people called per region).',
      erasure: {
        action: 'erase',
        by: 'trigger',
        note: 'calls.person_id is set null on erasure; the aggregate trigger on calls then counts those calls under their call ids (one person each, as before the aggregates).',
      },
      access: { none: 'a count derived from the calls, which the report lists (section calls)' },
      retention: { kind: 'until_erased' },
    },
    {
      table: 'call_counts',
      subject: 'user',
      subjectColumns: ['key'],
      subjectWhere: { dim: 'caller' },
      personalColumns: ['calls', 'reached'],
      purpose: 'Evaluation aggregate: calls per assignment, unit and day, hour, outcome or caller.',
      erasure: {
        action: 'anonymise',
        columns: { key: 'null' },
        by: 'trigger',
        note: "calls.caller_id is set null with the account; the aggregate trigger on calls moves the caller's counts to the key '' (no caller).",
      },
      access: { none: 'counts derived from the calls the caller made (calls.caller_id)' },
      retention: { kind: 'until_erased' },
    },
  ],
  notPersonal: [
    {
      table: 'call_answer_counts',
      reason:
        'counts of choice answers per assignment, unit, question and option over all people called; free-text answers count only as answered, their text is never stored here',
    },
  ],
};
