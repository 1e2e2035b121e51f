import type { Db } from '../db/database.ts';

export function currentInstructionVersion(db: Db) {
  return db
    .selectFrom('instructionVersions')
    .select(['version', 'text', 'createdAt'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}

export function insertInstructionVersion(
  db: Db,
  row: { version: number; text: string; createdBy: string | null },
) {
  return db
    .insertInto('instructionVersions')
    .values(row)
    .returning(['version', 'text', 'createdAt'])
    .executeTakeFirstOrThrow();
}

export function insertConfirmation(db: Db, userId: string, version: number) {
  return db
    .insertInto('instructionConfirmations')
    .values({ userId, version })
    .onConflict((oc) => oc.columns(['userId', 'version']).doNothing())
    .execute();
}

/** Users with a role in the given units, with their latest confirmation. */
export function findConfirmations(db: Db, orgIds: string[]) {
  return db
    .selectFrom('memberships as m')
    .innerJoin('users as u', 'u.id', 'm.userId')
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('instructionConfirmations as c')
          .select(['c.version', 'c.confirmedAt'])
          .whereRef('c.userId', '=', 'u.id')
          .orderBy('c.version', 'desc')
          .limit(1)
          .as('c'),
      (join) => join.onTrue(),
    )
    .select(['u.id as userId', 'u.name', 'u.email', 'm.orgId', 'm.role', 'c.version', 'c.confirmedAt'])
    .where('m.orgId', 'in', orgIds)
    .orderBy('u.name')
    .execute();
}
