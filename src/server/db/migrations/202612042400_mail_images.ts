import type { Kysely } from 'kysely';
import { runStatements } from '../migrate.ts';

// biome-ignore lint/suspicious/noExplicitAny: migrations run against the schema as it was then
export async function up(db: Kysely<any>): Promise<void> {
  await runStatements(db, [
    // Images a unit uploads for its mailings, served publicly (mail programs load them) from
    // /api/public/mail-images/:id. Only PNG, JPEG, GIF and WebP (checked by their bytes), ≤ 2 MB.
    // The same bytes uploaded twice to one unit are one row (sha256).
    `create table mail_images (
      id uuid primary key default gen_random_uuid(),
      org_id uuid not null references org_units (id) on delete cascade,
      content_type text not null check (content_type in ('image/png', 'image/jpeg', 'image/gif', 'image/webp')),
      bytes bytea not null,
      byte_size integer not null check (byte_size > 0),
      width integer,
      height integer,
      sha256 text not null,
      created_by uuid references users (id) on delete set null,
      created_at timestamptz not null default now(),
      unique (org_id, sha256)
    )`,
    `create index mail_images_org_created_idx on mail_images (org_id, created_at desc)`,
  ]);
}
