import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, makePerson, type OrgTree } from '../../../test/factories.ts';
import type { BaseCtx } from '../context.ts';
import { addressHash, getSuppressionSalt } from '../privacy/instance-keys.repo.ts';
import { deliverMailing } from './mail-delivery.service.ts';
import { maskEmail } from './unsubscribe.service.ts';

/**
 * Unsubscribing from a mailing's link, end to end: a mailing sent through the API into the outbox,
 * the link read from the delivered mail, the one-click POST a mail program sends, the page's
 * choice, and the next reach that leaves the address out — also after erasure and re-import.
 */

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;
let ctx: BaseCtx;

beforeAll(async () => {
  t = await createTestApp();
  ctx = { db: t.db, config: t.config, mail: t.mail, jobs: t.jobs, log: t.app.log, ip: null };
  orgs = await makeOrgTree(t.db);
  const admin = await loginAs(t, 'admin', orgs.kreisA1);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  const put = await admin.put(`/api/orgs/${orgs.kreisA1}/mail-settings`, {
    senderName: 'Kreis A1',
    senderAddressId: null,
    replyTo: null,
    footer: 'Kreis A1\nMusterstraße 1\n01067 Dresden',
  });
  expect(put.statusCode, put.body).toBe(200);
});
afterAll(() => t.close());

let cities = 0;

/** People in a new city of Ort A1a and a saved list of them. */
async function peopleAndList(emails: string[]) {
  const city = `Abmeldestadt${++cities}`;
  const ids: string[] = [];
  for (const [i, email] of emails.entries())
    ids.push(
      await makePerson(organizer, orgs.ortA1a, {
        firstName: `Person${i}`,
        lastName: 'Beispiel',
        city,
        phones: [],
        emails: [{ email }],
      }),
    );
  const res = await organizer.post('/api/queries', {
    orgId: orgs.kreisA1,
    name: `Liste ${city}`,
    filter: { kind: 'field', field: 'city', op: 'equals', value: city },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { ids, queryId: res.json().id as string };
}

async function createMailing(queryId: string, purpose: 'member_info' | 'newsletter' = 'member_info') {
  const res = await organizer.post('/api/mailings', {
    orgId: orgs.kreisA1,
    subject: 'Neuigkeiten',
    html: '<p>Hallo {{firstName}}!</p>',
    purpose,
    queryId,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

const reachOf = async (mailingId: string) => {
  const res = await organizer.get(`/api/mailings/${mailingId}/reach`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { total: number; reachable: number; excluded: Record<string, number> };
};

/** Sends the mailing (outbox) and answers the unsubscribe token of each address's mail. */
async function sendAndReadTokens(mailingId: string): Promise<Map<string, string>> {
  const send = await organizer.post(`/api/mailings/${mailingId}/send`, {});
  expect(send.statusCode, send.body).toBe(200);
  expect((await deliverMailing(ctx, mailingId)).outcome).toBe('finished');
  const rows = await t.db
    .selectFrom('mailingRecipients')
    .select('email')
    .where('mailingId', '=', mailingId)
    .execute();
  const mails = await t.db
    .selectFrom('mailMessages')
    .select(['toAddress', 'textBody'])
    .where(
      'toAddress',
      'in',
      rows.map((r) => r.email),
    )
    .where('template', '=', 'mailing')
    .orderBy('createdAt', 'desc')
    .execute();
  const tokens = new Map<string, string>();
  for (const m of mails) {
    const token = /http:\/\/draht\.test\/u\/([\w-]+)/.exec(m.textBody)?.[1];
    if (token && !tokens.has(m.toAddress)) tokens.set(m.toAddress, token);
  }
  return tokens;
}

const oneClick = (token: string) =>
  t.app.inject({
    method: 'POST',
    url: `/u/${token}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    payload: 'List-Unsubscribe=One-Click',
  });

describe('unsubscribe', () => {
  it('masks the address', () => {
    expect(maskEmail('mara@example.org')).toBe('m…@example.org');
  });

  it('one click from the mail program unsubscribes from this purpose of this unit; the next reach leaves the address out, also after erasure and re-import', async () => {
    const { ids, queryId } = await peopleAndList(['mara@example.org', 'nils@example.org']);
    const first = await createMailing(queryId);
    const tokens = await sendAndReadTokens(first);
    const token = tokens.get('mara@example.org')!;
    expect(token).toBeDefined();

    const info = await t.app.inject({ method: 'GET', url: `/api/public/unsubscribe/${token}` });
    expect(info.statusCode, info.body).toBe(200);
    expect(info.json()).toEqual({
      state: 'valid',
      orgName: 'Kreis A1',
      purpose: 'member_info',
      maskedEmail: 'm…@example.org',
      alreadyUnsubscribed: false,
      scope: null,
    });

    const res = await oneClick(token);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ok: true });
    // Twice is the same answer and changes nothing; multipart/form-data (RFC 8058 allows it) too.
    expect((await oneClick(token)).statusCode).toBe(200);
    const boundary = 'draht-test-boundary';
    const multipart = await t.app.inject({
      method: 'POST',
      url: `/u/${token}`,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`,
    });
    expect(multipart.statusCode, multipart.body).toBe(200);

    const after = await t.app.inject({ method: 'GET', url: `/api/public/unsubscribe/${token}` });
    expect(after.json()).toMatchObject({ alreadyUnsubscribed: true, scope: 'unit_purpose' });
    const hash = addressHash(await getSuppressionSalt(t.db), 'mara@example.org');
    const rows = await t.db
      .selectFrom('mailSuppressions')
      .selectAll()
      .where('addressHash', '=', hash)
      .execute();
    expect(rows).toMatchObject([{ reason: 'unsubscribed', orgId: orgs.kreisA1, purpose: 'member_info' }]);
    const timeline = await t.db
      .selectFrom('timelineEvents')
      .select(['kind', 'data'])
      .where('personId', '=', ids[0])
      .where('kind', '=', 'mail.unsubscribed')
      .execute();
    expect(timeline).toHaveLength(1);
    expect(timeline[0].data).toMatchObject({ mailingId: first, scope: 'unit_purpose', via: 'one_click' });

    // The next mailing to the same list: the address is left out.
    const second = await createMailing(queryId);
    expect(await reachOf(second)).toMatchObject({ total: 2, reachable: 1, excluded: { unsubscribed: 1 } });

    // Erased, then imported again with the same address: still unsubscribed.
    expect((await organizer.delete(`/api/people/${ids[0]}`)).statusCode).toBe(204);
    const erased = await t.db
      .selectFrom('mailSuppressions')
      .select('reason')
      .where('addressHash', '=', hash)
      .execute();
    expect(erased.map((r) => r.reason).sort()).toEqual(['erased', 'unsubscribed']);
    const city = (
      await t.db.selectFrom('people').select('city').where('id', '=', ids[1]).executeTakeFirstOrThrow()
    ).city;
    await makePerson(organizer, orgs.ortA1a, {
      firstName: 'Mara',
      lastName: 'Wieder',
      city,
      phones: [],
      emails: [{ email: 'MARA@example.org' }],
    });
    const third = await createMailing(queryId);
    expect(await reachOf(third)).toMatchObject({ total: 2, reachable: 1, excluded: { unsubscribed: 1 } });
    // The link of the erased person's mail points at nothing any more.
    expect((await t.app.inject({ method: 'GET', url: `/api/public/unsubscribe/${token}` })).statusCode).toBe(
      404,
    );
  });

  it('an erased person’s address is suppressed: a re-import of it is not mailed', async () => {
    const { ids, queryId } = await peopleAndList(['erwin@example.org']);
    expect((await organizer.delete(`/api/people/${ids[0]}`)).statusCode).toBe(204);
    const city = `Abmeldestadt${cities}`;
    await makePerson(organizer, orgs.ortA1a, {
      firstName: 'Erwin',
      lastName: 'Neu',
      city,
      phones: [],
      emails: [{ email: 'erwin@example.org' }],
    });
    expect(await reachOf(await createMailing(queryId))).toMatchObject({
      total: 1,
      reachable: 0,
      excluded: { suppressed: 1 },
    });
  });

  it('"everything" from the page suppresses every unit and purpose and ends the newsletter consent', async () => {
    const { ids, queryId } = await peopleAndList(['lena@example.org']);
    await t.db
      .insertInto('consents')
      .values({
        personId: ids[0],
        channel: 'newsletter',
        purpose: 'newsletter',
        orgId: orgs.kreisA1,
        status: 'granted',
        source: 'manual',
        proof: '{}',
        grantedAt: new Date(),
      })
      .execute();
    const mailingId = await createMailing(queryId, 'newsletter');
    const token = (await sendAndReadTokens(mailingId)).get('lena@example.org')!;
    const page = await t.app.inject({
      method: 'POST',
      url: `/api/public/unsubscribe/${token}`,
      payload: { scope: 'all' },
    });
    expect(page.statusCode, page.body).toBe(200);
    expect(page.json()).toEqual({ scope: 'all', changed: true, orgName: 'Kreis A1', purpose: 'newsletter' });
    const again = await t.app.inject({
      method: 'POST',
      url: `/api/public/unsubscribe/${token}`,
      payload: { scope: 'all' },
    });
    expect(again.json()).toMatchObject({ scope: 'all', changed: false });
    const hash = addressHash(await getSuppressionSalt(t.db), 'lena@example.org');
    const rows = await t.db
      .selectFrom('mailSuppressions')
      .selectAll()
      .where('addressHash', '=', hash)
      .execute();
    expect(rows).toMatchObject([{ reason: 'unsubscribed', orgId: null, purpose: null }]);
    const consent = await t.db
      .selectFrom('consents')
      .select('status')
      .where('personId', '=', ids[0])
      .executeTakeFirstOrThrow();
    expect(consent.status).toBe('revoked');
    const events = await t.db
      .selectFrom('consentEvents')
      .select(['status', 'source'])
      .where('personId', '=', ids[0])
      .execute();
    expect(events).toContainEqual({ status: 'revoked', source: 'unsubscribe' });
    const info = await t.app.inject({ method: 'GET', url: `/api/public/unsubscribe/${token}` });
    expect(info.json()).toMatchObject({ alreadyUnsubscribed: true, scope: 'all' });
  });

  it('unknown, expired and malformed links', async () => {
    const unknown = 'x'.repeat(43);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/public/unsubscribe/${unknown}` })).statusCode,
    ).toBe(404);
    expect((await oneClick(unknown)).statusCode).toBe(404);

    const { queryId } = await peopleAndList(['olga@example.org']);
    const mailingId = await createMailing(queryId);
    const token = (await sendAndReadTokens(mailingId)).get('olga@example.org')!;
    // A one-click post without the RFC 8058 body is refused.
    const wrong = await t.app.inject({
      method: 'POST',
      url: `/u/${token}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=Yes',
    });
    expect(wrong.statusCode).toBe(400);
    expect((await t.app.inject({ method: 'POST', url: `/u/${token}` })).statusCode).toBe(400);
    await sql`update link_tokens set expires_at = now() - interval '1 day'
              where subject_id in (select id from mailing_recipients where mailing_id = ${mailingId}::uuid)`.execute(
      t.db,
    );
    const info = await t.app.inject({ method: 'GET', url: `/api/public/unsubscribe/${token}` });
    expect(info.statusCode).toBe(200);
    expect(info.json()).toMatchObject({ state: 'expired', alreadyUnsubscribed: false });
    const res = await oneClick(token);
    expect(res.statusCode).toBe(410);
    expect(res.json().error.code).toBe('token_invalid');
  });
});
