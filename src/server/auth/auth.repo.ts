import { sql } from 'kysely';
import type { Db } from '../db/database.ts';

export function findUserByEmail(db: Db, email: string) {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql<string>`lower(email)`, '=', email.toLowerCase())
    .executeTakeFirst();
}

export function findUserById(db: Db, id: string) {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

export function insertUser(
  db: Db,
  row: { email: string; name: string; passwordHash: string; isSuperadmin?: boolean; locale?: 'de' | 'en' },
) {
  return db.insertInto('users').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateUser(
  db: Db,
  id: string,
  patch: Partial<{
    name: string;
    passwordHash: string;
    locale: 'de' | 'en';
    totpSecret: string | null;
    totpPendingSecret: string | null;
    totpEnabledAt: Date | null;
  }>,
) {
  return db
    .updateTable('users')
    .set({ ...patch, updatedAt: new Date() })
    .where('id', '=', id)
    .execute();
}

/** The actor of a request: user, memberships and whether the current instruction is confirmed. */
export async function loadActorRows(db: Db, userId: string) {
  const user = await db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'locale', 'isSuperadmin', 'disabledAt', 'totpEnabledAt'])
    .select(
      sql<boolean>`exists (
        select 1 from instruction_confirmations c
        where c.user_id = users.id and c.version = (select max(version) from instruction_versions))`.as(
        'instructionConfirmed',
      ),
    )
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return undefined;
  const memberships = await db
    .selectFrom('memberships')
    .innerJoin('orgUnits', 'orgUnits.id', 'memberships.orgId')
    .select(['memberships.orgId', 'memberships.role'])
    .where('memberships.userId', '=', userId)
    .where('orgUnits.archivedAt', 'is', null)
    .execute();
  return { user, memberships };
}

// Sessions ----------------------------------------------------------------------------------------

export function insertSession(
  db: Db,
  row: { id: string; userId: string; expiresAt: Date; userAgent: string | null },
) {
  return db
    .insertInto('sessions')
    .values({ ...row, lastSeenAt: new Date() })
    .execute();
}

export function findLiveSession(db: Db, id: string) {
  return db
    .selectFrom('sessions')
    .select(['id', 'userId', 'lastSeenAt', 'expiresAt'])
    .where('id', '=', id)
    .where('expiresAt', '>', new Date())
    .executeTakeFirst();
}

export function touchSession(db: Db, id: string, expiresAt: Date) {
  return db.updateTable('sessions').set({ lastSeenAt: new Date(), expiresAt }).where('id', '=', id).execute();
}

export function deleteSession(db: Db, id: string) {
  return db.deleteFrom('sessions').where('id', '=', id).execute();
}

export function deleteSessionsOfUser(db: Db, userId: string, exceptId?: string) {
  let q = db.deleteFrom('sessions').where('userId', '=', userId);
  if (exceptId) q = q.where('id', '!=', exceptId);
  return q.execute();
}

// API tokens --------------------------------------------------------------------------------------

export function insertApiToken(db: Db, row: { userId: string; name: string; tokenHash: string }) {
  return db
    .insertInto('apiTokens')
    .values(row)
    .returning(['id', 'name', 'createdAt'])
    .executeTakeFirstOrThrow();
}

export function listApiTokens(db: Db, userId: string) {
  return db
    .selectFrom('apiTokens')
    .select(['id', 'name', 'createdAt', 'lastUsedAt'])
    .where('userId', '=', userId)
    .orderBy('createdAt', 'desc')
    .execute();
}

export function deleteApiToken(db: Db, userId: string, id: string) {
  return db.deleteFrom('apiTokens').where('userId', '=', userId).where('id', '=', id).executeTakeFirst();
}

export function findApiToken(db: Db, tokenHash: string) {
  return db
    .selectFrom('apiTokens')
    .select(['id', 'userId', 'lastUsedAt'])
    .where('tokenHash', '=', tokenHash)
    .executeTakeFirst();
}

export function touchApiToken(db: Db, id: string) {
  return db.updateTable('apiTokens').set({ lastUsedAt: new Date() }).where('id', '=', id).execute();
}

// Login failures (rate limit shared by all instances) --------------------------------------------

/** Per key: failures since `since` and when the last one was. */
export async function failureStats(
  db: Db,
  keys: string[],
  since: Date,
): Promise<Record<string, { count: number; lastAt: Date }>> {
  const rows = await db
    .selectFrom('loginFailures')
    .select(['key', (eb) => eb.fn.countAll<number>().as('n'), (eb) => eb.fn.max('at').as('lastAt')])
    .where('key', 'in', keys)
    .where('at', '>', since)
    .groupBy('key')
    .execute();
  return Object.fromEntries(rows.map((r) => [r.key, { count: Number(r.n), lastAt: new Date(r.lastAt) }]));
}

export async function recordFailures(db: Db, keys: string[]) {
  await db
    .insertInto('loginFailures')
    .values(keys.map((key) => ({ key })))
    .execute();
}

export function clearFailures(db: Db, key: string) {
  return db.deleteFrom('loginFailures').where('key', '=', key).execute();
}

// TOTP recovery codes -----------------------------------------------------------------------------

export async function replaceRecoveryCodes(db: Db, userId: string, codeHashes: string[]) {
  await db.deleteFrom('totpRecoveryCodes').where('userId', '=', userId).execute();
  if (codeHashes.length)
    await db
      .insertInto('totpRecoveryCodes')
      .values(codeHashes.map((codeHash) => ({ userId, codeHash })))
      .execute();
}

export function consumeRecoveryCode(db: Db, userId: string, codeHash: string) {
  return db
    .updateTable('totpRecoveryCodes')
    .set({ usedAt: new Date() })
    .where('userId', '=', userId)
    .where('codeHash', '=', codeHash)
    .where('usedAt', 'is', null)
    .executeTakeFirst();
}

/** Housekeeping: expired sessions, login failures outside the counting window. */
export async function deleteExpiredAuthRows(db: Db, failuresBefore: Date) {
  const now = new Date();
  await db.deleteFrom('sessions').where('expiresAt', '<', now).execute();
  await db.deleteFrom('loginFailures').where('at', '<', failuresBefore).execute();
}
