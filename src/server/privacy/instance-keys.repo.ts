import { createHash, randomBytes } from 'node:crypto';
import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Db } from '../db/database.ts';

/**
 * Keys made once per instance and shared by all its processes (`instance_keys`): the first one to
 * ask creates the key (insert … on conflict do nothing), everyone reads the same row afterwards.
 */
async function instanceKey(db: Db, name: string): Promise<string> {
  await db
    .insertInto('instanceKeys')
    .values({ name, value: randomBytes(32).toString('base64url') })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await db
    .selectFrom('instanceKeys')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return row.value;
}

const cache = new WeakMap<object, string>();

/**
 * The salt of every address and IP hash of this instance (suppression list, consent proof). Cached
 * per database handle: it never changes once made.
 */
export async function getSuppressionSalt(db: Db): Promise<string> {
  const cached = cache.get(db);
  if (cached) return cached;
  const salt = await instanceKey(db, 'suppression_salt');
  cache.set(db, salt);
  return salt;
}

/**
 * SHA-256 (hex) of a value with the instance salt: addresses lower-cased and trimmed, so the same
 * address always gives the same hash; used for IPs as they are.
 */
export function addressHash(salt: string, value: string): string {
  return createHash('sha256').update(`${salt}:${value.trim().toLowerCase()}`).digest('hex');
}

/**
 * The same hash as `addressHash`, computed in SQL over an address column or expression (reach,
 * freeze and the mail filters compare addresses with `mail_suppressions` this way). `salt` is the
 * value of getSuppressionSalt, or `SALT_SQL` where no value is at hand (a filter's pure compile).
 */
export function addressHashSql(
  salt: string | RawBuilder<unknown>,
  value: RawBuilder<unknown> | Expression<unknown>,
) {
  return sql<string>`encode(sha256(convert_to(${salt} || ':' || lower(trim(${value})), 'UTF8')), 'hex')`;
}

/** The salt as a subquery (null until the first getSuppressionSalt: then no hash matches anything). */
export const SALT_SQL = sql`(select value from instance_keys where name = 'suppression_salt')`;
