import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, type OrgTree } from '../../../test/factories.ts';

let t: TestApp;
let orgs: OrgTree;
let organizerA1: Client;
let adminA2: Client;
let existing: { id: string };

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizerA1 = await loginAs(t, 'organizer', orgs.kreisA1);
  adminA2 = await loginAs(t, 'admin', orgs.kreisA2);
  existing = (
    await organizerA1.post('/api/people', {
      orgId: orgs.ortA1b,
      firstName: 'Erika',
      lastName: 'Mustermann',
      city: 'Dresden',
      emails: [{ email: 'Erika@Example.org' }],
      phones: [{ number: '0171 2345678' }],
    })
  ).json();
});
afterAll(() => t.close());

const check = (c: Client, body: Record<string, unknown>) => c.post('/api/people/duplicate-check', body);

describe('duplicate check before creating a person', () => {
  it('finds the person with the same email (any case) in another unit of the actor’s subtree', async () => {
    const res = await check(organizerA1, { orgId: orgs.ortA1a, emails: [' erika@EXAMPLE.org '] });
    expect(res.statusCode).toBe(200);
    expect(res.json().matches).toEqual([
      {
        id: existing.id,
        orgId: orgs.ortA1b,
        orgName: 'Ort A1b',
        firstName: 'Erika',
        lastName: 'Mustermann',
        postalCode: null,
        city: 'Dresden',
        reasons: ['email'],
      },
    ]);
  });

  it('matches a phone number written differently, and names all reasons that matched', async () => {
    const res = await check(organizerA1, {
      orgId: orgs.kreisA1,
      phones: ['+49 171 2345678'],
      firstName: 'erika',
      lastName: 'MUSTERMANN',
    });
    expect(res.json().matches.map((m: { id: string; reasons: string[] }) => [m.id, m.reasons])).toEqual([
      [existing.id, ['phone', 'name']],
    ]);
  });

  it('answers no matches for new data, and a first name alone is not a match', async () => {
    const res = await check(organizerA1, {
      orgId: orgs.kreisA1,
      emails: ['neu@example.org'],
      phones: ['0171 9999999'],
      firstName: 'Erika',
    });
    expect(res.json()).toEqual({ matches: [] });
  });

  it('never reveals people outside the actor’s scope', async () => {
    // The sibling Kreis's admin creating someone in her own Kreis with the same address sees nothing.
    const res = await check(adminA2, {
      orgId: orgs.kreisA2,
      emails: ['erika@example.org'],
      phones: ['0171 2345678'],
      firstName: 'Erika',
      lastName: 'Mustermann',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ matches: [] });
    // And she cannot ask about a unit that is not hers.
    expect((await check(adminA2, { orgId: orgs.kreisA1, emails: ['erika@example.org'] })).statusCode).toBe(
      404,
    );
    // A caller of the unit may not ask at all.
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    expect((await check(caller, { orgId: orgs.kreisA1, emails: ['erika@example.org'] })).statusCode).toBe(
      403,
    );
  });

  it('still lets the person be saved after the warning (the check is advice, not a rule)', async () => {
    const res = await organizerA1.post('/api/people', {
      orgId: orgs.ortA1a,
      firstName: 'Erika',
      lastName: 'Mustermann',
      emails: [{ email: 'erika@example.org' }],
    });
    expect(res.statusCode).toBe(201);
    const after = await check(organizerA1, { orgId: orgs.kreisA1, emails: ['erika@example.org'] });
    expect(after.json().matches).toHaveLength(2);
  });
});
