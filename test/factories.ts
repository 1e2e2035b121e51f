import { randomUUID } from 'node:crypto';
import * as authRepo from '../src/server/auth/auth.repo.ts';
import { createSession } from '../src/server/auth/auth.service.ts';
import { hashPassword, readableCode } from '../src/server/auth/secrets.ts';
import type { BaseCtx } from '../src/server/context.ts';
import type { Db } from '../src/server/db/database.ts';
import { currentInstructionVersion, insertConfirmation } from '../src/server/instruction/instruction.repo.ts';
import { insertMembership } from '../src/server/memberships/memberships.repo.ts';
import { insertOrg } from '../src/server/orgs/orgs.repo.ts';
import type { Role } from '../src/shared/permissions.ts';
import { type Client, clientFor, type TestApp } from './app.ts';

export type OrgTree = Awaited<ReturnType<typeof makeOrgTree>>;

/**
 * A small party: Bund → Land A (Kreis A1 → Ort A1a, Ort A1b; Kreis A2 → Ort A2a),
 * Land B (Kreis B1 → Ort B1a), and a working group under the Bund.
 */
export async function makeOrgTree(db: Db) {
  let n = 0;
  const org = async (
    name: string,
    kind: 'federal' | 'state' | 'district' | 'local' | 'group',
    parentId: string | null,
    postalCodes: string[] = [],
  ) =>
    (
      await insertOrg(db, {
        name,
        kind,
        parentId,
        postalCodes,
        slug: `${name.toLowerCase().replace(/\W+/g, '-')}-${++n}`,
      })
    ).id;
  const bund = await org('Bund', 'federal', null);
  const landA = await org('Land A', 'state', bund, ['01', '04']);
  const kreisA1 = await org('Kreis A1', 'district', landA, ['010']);
  const ortA1a = await org('Ort A1a', 'local', kreisA1, ['01067']);
  const ortA1b = await org('Ort A1b', 'local', kreisA1, ['01069']);
  const kreisA2 = await org('Kreis A2', 'district', landA, ['041']);
  const ortA2a = await org('Ort A2a', 'local', kreisA2, ['04109']);
  const landB = await org('Land B', 'state', bund, ['99']);
  const kreisB1 = await org('Kreis B1', 'district', landB, ['990']);
  const ortB1a = await org('Ort B1a', 'local', kreisB1, ['99084']);
  const group = await org('AG Test', 'group', bund);
  return { bund, landA, kreisA1, ortA1a, ortA1b, kreisA2, ortA2a, landB, kreisB1, ortB1a, group };
}

let userSeq = 0;

export async function makeUser(
  db: Db,
  opts: {
    email?: string;
    name?: string;
    password?: string;
    superadmin?: boolean;
    memberships?: { orgId: string; role: Role }[];
    /** Confirm the current data-protection instruction (default true). */
    confirmed?: boolean;
  } = {},
) {
  const email = opts.email ?? `user${++userSeq}-${readableCode(6)}@example.org`;
  const password = opts.password ?? 'correct horse battery';
  const user = await authRepo.insertUser(db, {
    email,
    name: opts.name ?? `Test User ${userSeq}`,
    passwordHash: await hashPassword(password),
    isSuperadmin: opts.superadmin ?? false,
  });
  for (const m of opts.memberships ?? []) {
    await insertMembership(db, { userId: user.id, orgId: m.orgId, role: m.role, createdBy: null });
  }
  if (opts.confirmed ?? true) {
    const current = await currentInstructionVersion(db);
    await insertConfirmation(db, user.id, current!.version);
  }
  return { ...user, password };
}

/** A signed-in client for a new user with `role` in `orgId` (or a superadmin). */
export async function loginAs(
  t: TestApp,
  role: Role | 'superadmin',
  orgId?: string,
  opts: { confirmed?: boolean; email?: string } = {},
): Promise<Client> {
  const user = await makeUser(t.db, {
    superadmin: role === 'superadmin',
    memberships: role === 'superadmin' ? [] : [{ orgId: orgId!, role }],
    confirmed: opts.confirmed,
    email: opts.email,
  });
  const ctx: BaseCtx = { db: t.db, config: t.config, mail: t.mail, jobs: t.jobs, log: t.app.log, ip: null };
  const cookie = await createSession(ctx, { userId: user.id, secondFactor: 'none' }, 'vitest');
  return clientFor(t.app, { userId: user.id, email: user.email }, { cookie });
}

const allDay = [{ from: '00:00', to: '24:00' }];
/** Calling hours open around the clock: call tests do not depend on the time they run at. */
export const ALWAYS_OPEN = {
  mon: allDay,
  tue: allDay,
  wed: allDay,
  thu: allDay,
  fri: allDay,
  sat: allDay,
  sun: allDay,
};

/**
 * A saved list "everyone in <city>" of the unit and an open call assignment on it, callable
 * around the clock, created by `by` (an organizer of the unit). Fails the test on any refusal.
 */
export async function makeCityAssignment(
  by: Client,
  orgId: string,
  city: string,
  body: Record<string, unknown> = {},
) {
  const list = await by.post('/api/queries', {
    orgId,
    name: `Liste ${city}`,
    filter: { kind: 'field', field: 'city', op: 'equals', value: city },
  });
  if (list.statusCode !== 201) throw new Error(`list: ${list.statusCode} ${list.body}`);
  const res = await by.post('/api/call-assignments', {
    orgId,
    title: `Anrufe ${city}`,
    targetQueryId: list.json().id,
    callingHours: ALWAYS_OPEN,
    status: 'open',
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`assignment: ${res.statusCode} ${res.body}`);
  return res.json() as { id: string; targetQueryId: string } & Record<string, unknown>;
}

/**
 * A person created through the API by `by` in `orgId` (a callable one: with a mobile number unless
 * `body` says otherwise). Fails the test on any refusal; returns the new id.
 */
export async function makePerson(
  by: Client,
  orgId: string,
  body: Record<string, unknown> = {},
): Promise<string> {
  const res = await by.post('/api/people', {
    orgId,
    firstName: 'Vera',
    lastName: `Person-${randomUUID().slice(0, 6)}`,
    phones: [{ number: '0171 1234567' }],
    ...body,
  });
  if (res.statusCode !== 201) throw new Error(`person: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}
