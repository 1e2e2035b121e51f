import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import { Migrator } from 'kysely/migration';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestApp, type TestApp } from '../../../test/app.ts';
import { makeOrgTree, makeUser } from '../../../test/factories.ts';
import { withDatabase } from '../../../test/global-setup.ts';
import { hashToken, newToken } from '../auth/secrets.ts';
import { type DatabaseHandle, newPGlite, openPGlite, openPostgres } from '../db/database.ts';
import { migrations } from '../db/migrations/index.ts';
import { ensureDefaultInstruction } from '../instruction/instruction.service.ts';
import * as links from './links.service.ts';

let t: TestApp;

beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

describe('link tokens', () => {
  it('keeps only the SHA-256 of a token and finds it by token and purpose', async () => {
    const user = await makeUser(t.db);
    const issued = await links.issueLinkToken(t.db, {
      purpose: 'password_reset',
      subjectId: user.id,
      expiresAt: new Date(Date.now() + 3600_000),
      maxUses: 1,
      createdBy: null,
    });
    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const row = await t.db
      .selectFrom('linkTokens')
      .selectAll()
      .where('id', '=', issued.id)
      .executeTakeFirstOrThrow();
    expect(row.tokenHash).toBe(hashToken(issued.token));
    expect(JSON.stringify(row)).not.toContain(issued.token);
    expect(row).toMatchObject({
      purpose: 'password_reset',
      subjectType: 'user',
      subjectId: user.id,
      useCount: 0,
    });
    expect((await links.findUsableLinkToken(t.db, issued.token, 'password_reset'))?.id).toBe(issued.id);
    // Single purpose: the same token is nothing for another purpose.
    expect(await links.findUsableLinkToken(t.db, issued.token, 'invitation')).toBeUndefined();
  });

  it('counts uses atomically: five concurrent uses of a two-use link, two succeed', async () => {
    const user = await makeUser(t.db);
    const { id, token } = await links.issueLinkToken(t.db, {
      purpose: 'call_invite',
      subjectId: user.id,
      expiresAt: new Date(Date.now() + 3600_000),
      maxUses: 2,
      createdBy: user.id,
    });
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.db.transaction().execute((trx) => links.consumeLinkToken(trx, id))),
    );
    expect(results.filter(Boolean)).toHaveLength(2);
    const row = await t.db
      .selectFrom('linkTokens')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.useCount).toBe(2);
    expect(row.lastUsedAt).toBeInstanceOf(Date);
    expect(await links.findUsableLinkToken(t.db, token, 'call_invite')).toBeUndefined();
  });

  it('no expiry means no expiry; revoked and expired links are not usable', async () => {
    const user = await makeUser(t.db);
    const issue = (expiresAt: Date | null) =>
      links.issueLinkToken(t.db, {
        purpose: 'call_invite',
        subjectId: user.id,
        expiresAt,
        maxUses: null,
        createdBy: null,
      });
    const forever = await issue(null);
    expect(await links.consumeLinkToken(t.db, forever.id)).toBe(true);
    expect(await links.consumeLinkToken(t.db, forever.id)).toBe(true);
    const expired = await issue(new Date(Date.now() - 1000));
    expect(await links.findUsableLinkToken(t.db, expired.token, 'call_invite')).toBeUndefined();
    expect(await links.consumeLinkToken(t.db, expired.id)).toBe(false);
    const revoked = await issue(new Date(Date.now() + 3600_000));
    expect(
      await links.revokeLinkToken(t.db, { purpose: 'call_invite', subjectIds: [user.id], id: revoked.id }),
    ).toBe(true);
    // Only links of the named subject and purpose are touched.
    expect(
      await links.revokeLinkToken(t.db, { purpose: 'invitation', subjectIds: [user.id], id: forever.id }),
    ).toBe(false);
    expect(await links.consumeLinkToken(t.db, revoked.id)).toBe(false);
    expect(await links.findUsableLinkToken(t.db, forever.token, 'call_invite')).toBeDefined();
  });
});

/** An empty database of the kind the run uses (PGlite or PostgreSQL). */
async function emptyDatabase(): Promise<DatabaseHandle> {
  const tpl = inject('dbTemplate');
  if (tpl.kind === 'pglite') return openPGlite(newPGlite());
  const name = `draht_links_${randomBytes(6).toString('hex')}`;
  const admin = await openPostgres(tpl.url, 1);
  await sql.raw(`create database ${name}`).execute(admin.db);
  const handle = await openPostgres(withDatabase(tpl.url, name), 5);
  return {
    ...handle,
    async close() {
      await handle.close();
      await sql.raw(`drop database if exists ${name} with (force)`).execute(admin.db);
      await admin.close();
    },
  };
}

describe('migration 202612040200_link_tokens', () => {
  it('moves existing invitations, password resets and caller links onto link_tokens; their links keep working', async () => {
    const database = await emptyDatabase();
    try {
      const migrator = new Migrator({
        db: database.db,
        provider: { getMigrations: async () => migrations },
        migrationTableName: 'draht_migrations',
        migrationLockTableName: 'draht_migrations_lock',
      });
      expect((await migrator.migrateTo('202612040100_rate_limits')).error).toBeUndefined();
      await ensureDefaultInstruction(database.db);
      const orgs = await makeOrgTree(database.db);
      const admin = await makeUser(database.db, { memberships: [{ orgId: orgs.kreisA1, role: 'admin' }] });
      const user = await makeUser(database.db);
      const tokens = {
        invitation: newToken(),
        reset: newToken(),
        usedReset: newToken(),
        callLink: newToken(),
      };
      const day = 24 * 3600 * 1000;
      await sql`insert into invitations (org_id, email, role, token_hash, invited_by, expires_at)
        values (${orgs.kreisA1}, 'alt@example.org', 'caller', ${hashToken(tokens.invitation)}, ${admin.id},
          ${new Date(Date.now() + day)})`.execute(database.db);
      await sql`insert into password_resets (token_hash, user_id, expires_at, used_at) values
        (${hashToken(tokens.reset)}, ${user.id}, ${new Date(Date.now() + 3600_000)}, null),
        (${hashToken(tokens.usedReset)}, ${user.id}, ${new Date(Date.now() + 3600_000)}, now())`.execute(
        database.db,
      );
      const query = (
        await sql<{ id: string }>`insert into queries (org_id, name, filter)
          values (${orgs.kreisA1}, 'Alle', '{"kind":"status","statuses":["member"]}') returning id`.execute(
          database.db,
        )
      ).rows[0];
      const assignment = (
        await sql<{
          id: string;
        }>`insert into call_assignments (org_id, title, target_query_id, calling_hours, status, created_by)
          values (${orgs.kreisA1}, 'Altes Telefonieren', ${query.id}, '{}', 'open', ${admin.id}) returning id`.execute(
          database.db,
        )
      ).rows[0];
      const callLink = (
        await sql<{ id: string }>`insert into call_invite_links
          (assignment_id, token_hash, expires_at, max_uses, uses, created_by)
          values (${assignment.id}, ${hashToken(tokens.callLink)}, ${new Date(Date.now() + day)}, 3, 1, ${admin.id})
          returning id`.execute(database.db)
      ).rows[0];

      expect((await migrator.migrateToLatest()).error).toBeUndefined();
      const moved = await database.db
        .selectFrom('linkTokens')
        .select(['id', 'purpose', 'subjectType', 'maxUses', 'useCount', 'createdBy'])
        .orderBy('purpose')
        .orderBy('useCount')
        .execute();
      expect(moved).toEqual([
        {
          id: callLink.id,
          purpose: 'call_invite',
          subjectType: 'call_assignment',
          maxUses: 3,
          useCount: 1,
          createdBy: admin.id,
        },
        {
          id: expect.any(String),
          purpose: 'invitation',
          subjectType: 'invitation',
          maxUses: 1,
          useCount: 0,
          createdBy: admin.id,
        },
        {
          id: expect.any(String),
          purpose: 'password_reset',
          subjectType: 'user',
          maxUses: 1,
          useCount: 0,
          createdBy: null,
        },
        {
          id: expect.any(String),
          purpose: 'password_reset',
          subjectType: 'user',
          maxUses: 1,
          useCount: 1,
          createdBy: null,
        },
      ]);

      const app = await createTestApp({ database });
      try {
        const get = (url: string) => app.app.inject({ method: 'GET', url });
        expect((await get(`/api/invitations/${tokens.invitation}`)).json()).toMatchObject({
          email: 'alt@example.org',
        });
        expect((await get(`/api/call-invites/${tokens.callLink}`)).json()).toEqual({
          assignmentTitle: 'Altes Telefonieren',
          orgName: expect.any(String),
        });
        const reset = (token: string) =>
          app.app.inject({
            method: 'POST',
            url: `/api/auth/password-reset/${token}`,
            payload: { password: 'ganz neu 12345' },
          });
        expect((await reset(tokens.usedReset)).statusCode).toBe(410);
        expect((await reset(tokens.reset)).statusCode).toBe(200);
        expect((await reset(tokens.reset)).statusCode).toBe(410);
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
    }
  });
});
