import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // One table for every emailed or shared link (links/): what it is for, what it points at,
    // how long and how often it works. The token itself is only in the link; this keeps SHA-256.
    // The subject is named by type + id without a foreign key (a link may point at an invitation,
    // a user, an assignment, later a person or a mailing): the purpose's module checks it at use.
    `create table link_tokens (
      id uuid primary key default gen_random_uuid(),
      purpose text not null,
      subject_type text not null,
      subject_id uuid not null,
      token_hash text not null unique,
      expires_at timestamptz,
      max_uses integer check (max_uses >= 1),
      use_count integer not null default 0 check (use_count >= 0),
      revoked_at timestamptz,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      last_used_at timestamptz,
      check (max_uses is null or use_count <= max_uses)
    )`,
    `create index link_tokens_subject_idx on link_tokens (subject_type, subject_id)`,

    // Password resets: single use, the user as subject.
    `insert into link_tokens (purpose, subject_type, subject_id, token_hash, expires_at, max_uses,
       use_count, created_at, last_used_at)
     select 'password_reset', 'user', user_id, token_hash, expires_at, 1,
       case when used_at is null then 0 else 1 end, created_at, used_at
     from password_resets`,
    `drop table password_resets`,

    // Org invitations keep who is invited where with which role and when it was accepted; the
    // link's expiry, revocation and use move to their token.
    `insert into link_tokens (purpose, subject_type, subject_id, token_hash, expires_at, max_uses,
       use_count, revoked_at, created_by, created_at, last_used_at)
     select 'invitation', 'invitation', id, token_hash, expires_at, 1,
       case when accepted_at is null then 0 else 1 end, revoked_at, invited_by, created_at, accepted_at
     from invitations`,
    `alter table invitations drop column token_hash, drop column expires_at, drop column revoked_at`,

    // Caller invitation links become tokens with the assignment as subject (same ids, so the
    // organizers' list and revoke URLs stay valid).
    `insert into link_tokens (id, purpose, subject_type, subject_id, token_hash, expires_at, max_uses,
       use_count, revoked_at, created_by, created_at)
     select id, 'call_invite', 'call_assignment', assignment_id, token_hash, expires_at, max_uses,
       least(uses, coalesce(max_uses, uses)), revoked_at, created_by, created_at
     from call_invite_links`,
    `drop table call_invite_links`,
  ]);
}
