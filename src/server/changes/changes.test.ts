import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';
import type { ChangeItem, ChangeList } from '../../shared/changes.ts';
import type { BaseCtx } from '../context.ts';
import { runChangeDigests } from './change-digest.service.ts';

let t: TestApp;
let orgs: OrgTree;
let ctx: BaseCtx;
let organizerLand: Client;
let adminA1: Client;
let adminA2: Client;
let adminB1: Client;

const RANGE = () => {
  const now = Date.now();
  return `from=${new Date(now - 86_400_000).toISOString()}&to=${new Date(now + 86_400_000).toISOString()}`;
};
const list = async (c: Client, orgId: string, extra = '') => {
  const res = await c.get(`/api/orgs/${orgId}/changes?${RANGE()}${extra}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as ChangeList;
};
const kindsOf = (items: ChangeItem[], personId: string) =>
  items.filter((i) => i.person?.id === personId).map((i) => i.kind);

/** Moves the clock forward: the change log and the digest state age by `ms`. */
async function advance(ms: number) {
  const interval = `${Math.round(ms / 1000)} seconds`;
  await sql`update person_changes set at = at - ${interval}::interval`.execute(t.db);
  await sql`update change_digests set last_digest_until = last_digest_until - ${interval}::interval`.execute(
    t.db,
  );
}
const digestMails = () =>
  t.db
    .selectFrom('mailMessages')
    .select(['toAddress', 'subject', 'textBody', 'htmlBody'])
    .where('template', '=', 'changeDigest')
    .orderBy('createdAt')
    .execute();

const people = {
  greta: {
    firstName: 'Greta',
    lastName: 'Geheimnis',
    email: 'greta.geheim@example.org',
    postalCode: '01067',
  },
  otto: { firstName: 'Otto', lastName: 'Obskur', email: 'otto.obskur@example.org', postalCode: '01069' },
  paula: { firstName: 'Paula', lastName: 'Privat', email: 'paula.privat@example.org', postalCode: '01067' },
};
const ids: Record<keyof typeof people, string> = { greta: '', otto: '', paula: '' };

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  ctx = { db: t.db, config: t.config, mail: t.mail, jobs: t.jobs, log: t.app.log, ip: null };
  organizerLand = await loginAs(t, 'organizer', orgs.landA);
  adminA1 = await loginAs(t, 'admin', orgs.kreisA1);
  adminA2 = await loginAs(t, 'admin', orgs.kreisA2);
  adminB1 = await loginAs(t, 'admin', orgs.kreisB1);
  for (const [key, p] of Object.entries(people) as [keyof typeof people, (typeof people)['greta']][]) {
    const res = await organizerLand.post('/api/people', {
      orgId: orgs.kreisA1,
      firstName: p.firstName,
      lastName: p.lastName,
      postalCode: p.postalCode,
      membershipStatus: 'member',
      emails: [{ email: p.email }],
    });
    expect(res.statusCode, res.body).toBe(201);
    ids[key] = res.json().id;
  }
  // Greta moves to Leipzig (Kreis A2), Otto leaves, Paula gets a new address.
  expect((await organizerLand.patch(`/api/people/${ids.greta}`, { postalCode: '04109' })).json().orgId).toBe(
    orgs.ortA2a,
  );
  await organizerLand.patch(`/api/people/${ids.otto}`, { membershipStatus: 'former', leftOn: '2026-11-30' });
  await organizerLand.patch(`/api/people/${ids.paula}`, { emails: [{ email: 'paula.neu@example.org' }] });
});
afterAll(() => t.close());

describe('change list', () => {
  it('records the move with the old unit, so both units see it', async () => {
    const moved = await t.db
      .selectFrom('personChanges')
      .select(['orgId', 'fromOrgId'])
      .where('personId', '=', ids.greta)
      .where('kind', '=', 'moved')
      .execute();
    expect(moved).toEqual([{ orgId: orgs.ortA2a, fromOrgId: orgs.ortA1a }]);
    // Writers that only put the old unit in fields[1] (import batches, merges) get it filled too.
    const { rows } = await sql<{ id: string; fromOrgId: string }>`insert into person_changes
      (person_id, org_id, kind, fields, source)
      values (${ids.greta}, ${orgs.ortA2a}, 'moved', array[${orgs.ortA1a}::text], 'import')
      returning id, from_org_id`.execute(t.db);
    expect(rows[0].fromOrgId).toBe(orgs.ortA1a);
    await t.db.deleteFrom('personChanges').where('id', '=', rows[0].id).execute();
  });

  it('shows the old unit its people, the move out without the person, and no values', async () => {
    const res = await list(adminA1, orgs.kreisA1);
    expect(kindsOf(res.items, ids.otto).sort()).toEqual(['created', 'departed', 'updated']);
    expect(kindsOf(res.items, ids.paula).sort()).toEqual(['created', 'updated']);
    // Greta lives in Kreis A2 now: Kreis A1 sees that someone moved out, not who, nor where to.
    const out = res.items.filter((i) => i.kind === 'moved_out');
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ person: null, otherOrg: null, fields: [] });
    expect(res.items.some((i) => i.person?.id === ids.greta)).toBe(false);
    expect(res.counts).toMatchObject({ created: 3, departed: 1, moved_out: 1, moved_in: 0 });
    const paulaUpdate = res.items.find((i) => i.person?.id === ids.paula && i.kind === 'updated');
    expect(paulaUpdate?.fields).toEqual(['emails']);
    expect(JSON.stringify(res)).not.toContain('@example.org');
  });

  it('shows the new unit the move in with the person, and the unit above the move within', async () => {
    const a2 = await list(adminA2, orgs.kreisA2);
    expect(a2.items.map((i) => i.kind).sort()).toEqual(['moved_in', 'updated']);
    expect(a2.items.find((i) => i.kind === 'moved_in')).toMatchObject({
      person: { id: ids.greta, name: 'Greta Geheimnis' },
      otherOrg: null,
    });
    const land = await list(organizerLand, orgs.landA, '&kind=moved_within');
    expect(land.items).toHaveLength(1);
    expect(land.items[0]).toMatchObject({
      person: { id: ids.greta },
      otherOrg: { id: orgs.ortA1a, name: 'Ort A1a' },
    });
    expect(land.counts.moved_within).toBe(1);
  });

  it('shows a sibling unit nothing, answers 404 for a foreign unit and audit-logs the views', async () => {
    expect((await list(adminB1, orgs.kreisB1)).items).toEqual([]);
    const foreign = await adminB1.get(`/api/orgs/${orgs.kreisA1}/changes?${RANGE()}`);
    expect(foreign.statusCode).toBe(404);
    const unknown = await adminB1.get(`/api/orgs/00000000-0000-4000-8000-000000000000/changes?${RANGE()}`);
    expect(unknown.body).toBe(foreign.body);
    const logged = await t.db
      .selectFrom('auditLog')
      .select(['details'])
      .where('action', '=', 'changes.viewed')
      .where('actorUserId', '=', adminA2.userId)
      .execute();
    expect(logged[0].details).toMatchObject({ personIds: [ids.greta] });
  });

  it('validates from/to and pages with a cursor', async () => {
    const bad = async (q: string) => (await adminA1.get(`/api/orgs/${orgs.kreisA1}/changes?${q}`)).statusCode;
    expect(await bad('')).toBe(400);
    expect(await bad('from=yesterday&to=2026-12-01')).toBe(400);
    expect(await bad('from=2026-12-02T00:00:00Z&to=2026-12-01T00:00:00Z')).toBe(400);
    expect(await bad('from=2026-12-01&to=2026-12-01')).toBe(200); // a bare `to` includes its day
    const first = await list(adminA1, orgs.kreisA1, '&limit=2');
    expect(first.items).toHaveLength(2);
    const second = await list(adminA1, orgs.kreisA1, `&limit=50&cursor=${first.nextCursor}`);
    const all = await list(adminA1, orgs.kreisA1);
    expect([...first.items, ...second.items].map((i) => i.id)).toEqual(all.items.map((i) => i.id));
  });

  it('is described in the OpenAPI document', async () => {
    const doc = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(doc.statusCode).toBe(200);
    expect(Object.keys(doc.json().paths)).toEqual(
      expect.arrayContaining(['/api/orgs/{id}/changes', '/api/orgs/{id}/change-digest']),
    );
  });

  it('records moves by a catchment change', async () => {
    const res = await organizerLand.post('/api/people', {
      orgId: orgs.kreisA1,
      lastName: 'Neubau',
      postalCode: '01099',
    });
    expect(res.json().orgId).toBe(orgs.kreisA1);
    expect(
      (await adminA1.patch(`/api/orgs/${orgs.ortA1b}`, { postalCodes: ['01069', '01099'] })).statusCode,
    ).toBe(200);
    const ort = await list(adminA1, orgs.ortA1b, '&kind=moved_in');
    expect(ort.items.map((i) => [i.person?.id, i.source])).toEqual([[res.json().id, 'catchment']]);
  });
});

describe('digest settings', () => {
  it('defaults to daily to the unit admins, and takes only users with a role in line', async () => {
    const view = (await adminA2.get(`/api/orgs/${orgs.kreisA2}/change-digest`)).json();
    expect(view).toMatchObject({ frequency: 'daily', recipientUserIds: [], lastDigestUntil: null });
    expect(view.effectiveRecipients.map((u: { userId: string }) => u.userId)).toEqual([adminA2.userId]);
    expect(view.candidates.map((u: { userId: string }) => u.userId).sort()).toEqual(
      [adminA2.userId, organizerLand.userId].sort(),
    );
    const refused = await adminA2.put(`/api/orgs/${orgs.kreisA2}/change-digest`, {
      frequency: 'daily',
      recipientUserIds: [adminB1.userId],
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json().error.details[0].reason).toBe('no_role_in_line');
    expect((await organizerLand.get(`/api/orgs/${orgs.kreisA2}/change-digest`)).statusCode).toBe(403);
    expect((await adminB1.get(`/api/orgs/${orgs.kreisA2}/change-digest`)).statusCode).toBe(404);
    expect(
      (
        await adminA2.put(`/api/orgs/${orgs.kreisA2}/change-digest`, {
          frequency: 'hourly',
          recipientUserIds: [],
        })
      ).statusCode,
    ).toBe(400);
  });
});

describe('digest mails', () => {
  it('sends each unit one mail with counts only, to its admins, and nothing twice', async () => {
    await advance(2 * 60_000);
    expect(await runChangeDigests(ctx, 'weekly')).toBe(0);
    expect(await runChangeDigests(ctx, 'daily')).toBe(2);
    const mails = await digestMails();
    expect(mails.map((m) => m.toAddress).sort()).toEqual([adminA1.email, adminA2.email].sort());
    const a1 = mails.find((m) => m.toAddress === adminA1.email)!;
    expect(a1.subject).toBe('Draht: Änderungen in „Kreis A1“');
    expect(a1.textBody).toContain(
      '4 neue Personen, 1 Wegzug, 1 Umzug innerhalb, 1 Austritt, 1 Änderung von Kontaktdaten',
    );
    expect(a1.textBody).toContain(`http://draht.test/orgs/${orgs.kreisA1}/changes?from=`);
    const a2 = mails.find((m) => m.toAddress === adminA2.email)!;
    expect(a2.textBody).toContain('1 Zuzug, 1 Änderung von Kontaktdaten');
    for (const m of mails) {
      const all = `${m.subject}\n${m.textBody}\n${m.htmlBody}`;
      for (const p of Object.values(people)) {
        for (const secret of [
          p.firstName,
          p.lastName,
          p.email,
          p.postalCode,
          '04109',
          'paula.neu',
          'Neubau',
        ]) {
          expect(all).not.toContain(secret);
        }
      }
    }
    // A retry or the next run reports nothing again.
    expect(await runChangeDigests(ctx, 'daily')).toBe(0);
    await advance(86_400_000);
    expect(await runChangeDigests(ctx, 'daily')).toBe(0);
    expect(await digestMails()).toHaveLength(2);
  });

  it('sends to the chosen responsible persons instead of the admins', async () => {
    const put = await adminA2.put(`/api/orgs/${orgs.kreisA2}/change-digest`, {
      frequency: 'daily',
      recipientUserIds: [organizerLand.userId],
    });
    expect(put.statusCode, put.body).toBe(200);
    expect(put.json().effectiveRecipients.map((u: { userId: string }) => u.userId)).toEqual([
      organizerLand.userId,
    ]);
    await organizerLand.patch(`/api/people/${ids.greta}`, { city: 'Leipzig' });
    await advance(2 * 60_000);
    expect(await runChangeDigests(ctx, 'daily')).toBe(1);
    const last = (await digestMails()).at(-1)!;
    expect(last.toAddress).toBe(organizerLand.email);
    expect(last.textBody).toContain('1 Änderung von Kontaktdaten');
  });

  it('respects the frequency: off sends nothing, immediate waits for a quiet unit', async () => {
    const set = (frequency: string) =>
      adminA1.put(`/api/orgs/${orgs.kreisA1}/change-digest`, { frequency, recipientUserIds: [] });
    expect((await set('off')).statusCode).toBe(200);
    await organizerLand.patch(`/api/people/${ids.paula}`, { street: 'Neue Straße' });
    await advance(2 * 60_000);
    const before = (await digestMails()).length;
    expect(await runChangeDigests(ctx, 'daily')).toBe(0);

    // Back on: the change made while off is not reported; a new one is, once the unit is quiet.
    expect((await set('immediate')).statusCode).toBe(200);
    await organizerLand.patch(`/api/people/${ids.paula}`, { houseNumber: '7' });
    await advance(2 * 60_000);
    expect(await runChangeDigests(ctx, 'daily')).toBe(0);
    expect(await runChangeDigests(ctx, 'immediate')).toBe(0); // changed 2 minutes ago: wait
    await advance(4 * 60_000);
    expect(await runChangeDigests(ctx, 'immediate')).toBe(1);
    const mails = await digestMails();
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)).toMatchObject({ toAddress: adminA1.email });
    expect(mails.at(-1)!.textBody).toContain(': 1 Änderung von Kontaktdaten.');
    expect(await runChangeDigests(ctx, 'immediate')).toBe(0);
  });

  it('falls back to the admins when a chosen person no longer holds a role in line', async () => {
    await t.db.deleteFrom('memberships').where('userId', '=', organizerLand.userId).execute();
    const view = (await adminA2.get(`/api/orgs/${orgs.kreisA2}/change-digest`)).json();
    expect(view.recipientUserIds).toEqual([organizerLand.userId]);
    expect(view.effectiveRecipients.map((u: { userId: string }) => u.userId)).toEqual([adminA2.userId]);
  });
});
