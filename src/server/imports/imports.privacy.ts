import type { DomainPrivacy } from '../privacy/catalogue.ts';

/** Problems of skipped rows (with their values and original cells) are kept this long after the import finished. */
export const IMPORT_ERRORS_RETENTION_DAYS = 30;
export const IMPORT_RETENTION_JOB = 'import-retention';

const afterFinished = {
  days: IMPORT_ERRORS_RETENTION_DAYS,
  from: 'imports.finished_at',
  action: 'delete_rows',
  job: IMPORT_RETENTION_JOB,
} as const;

export const importsPrivacy: DomainPrivacy = {
  domain: 'imports',
  tables: [
    {
      table: 'import_file_chunks',
      subject: 'address',
      subjectColumns: [],
      personalColumns: ['data'],
      purpose: 'The uploaded member file, readable by every instance while the import runs (resumable).',
      erasure: {
        action: 'keep',
        reason: 'the raw file is not linked to people; it is deleted when the import finishes or fails',
      },
      access: { none: 'the raw file lives only until its import finished' },
      retention: {
        kind: 'short_lived',
        note: 'deleted when the import finishes or fails (run-import.ts); files of uploads never started go after STALE_UPLOAD_DAYS (import-stale-cleanup), older finished ones by import-retention',
      },
    },
    {
      table: 'import_errors',
      subject: 'address',
      subjectColumns: [],
      personalColumns: ['value', 'column_name'],
      purpose: 'Problems of skipped rows, so the organizer can fix the file and import again.',
      erasure: { action: 'keep', reason: 'rows of a file that were not imported are not linked to a person' },
      access: { none: 'not linked to a person' },
      retention: { kind: 'rules', rules: [{ ...afterFinished, note: 'finished_at of the import' }] },
    },
    {
      table: 'import_error_rows',
      subject: 'address',
      subjectColumns: [],
      personalColumns: ['cells'],
      purpose:
        'The original cells of skipped rows for the error CSV (the file itself is deleted at the end).',
      erasure: { action: 'keep', reason: 'rows of a file that were not imported are not linked to a person' },
      access: { none: 'not linked to a person' },
      retention: { kind: 'rules', rules: [{ ...afterFinished, note: 'finished_at of the import' }] },
    },
    {
      table: 'import_seen',
      subject: 'person',
      subjectColumns: ['person_id'],
      personalColumns: [],
      purpose: 'People a running import matched (same-person-twice check, sync departures).',
      erasure: { action: 'erase', by: 'trigger', note: 'erase_person_traces (202612040300_privacy)' },
      access: { none: 'working state of a running import only' },
      retention: { kind: 'short_lived', note: 'deleted when the import finishes or fails (run-import.ts)' },
    },
    {
      table: 'imports',
      subject: 'user',
      subjectColumns: ['created_by'],
      personalColumns: ['duplicate_member_numbers'],
      purpose: 'The import runs of a unit: who imported which file when, with which result.',
      erasure: { action: 'anonymise', columns: { created_by: 'null' }, by: 'foreign_key' },
      access: { section: 'imports', columns: ['file_name', 'created_at', 'status', 'total'] },
      retention: {
        kind: 'rules',
        rules: [{ ...afterFinished, action: { clear: ['duplicate_member_numbers'] }, from: 'finished_at' }],
      },
    },
  ],
};
