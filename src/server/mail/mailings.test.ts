import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import { loginAs, makeOrgTree, makePerson, type OrgTree } from '../../../test/factories.ts';
import type { BaseCtx } from '../context.ts';
import { addressHash, getSuppressionSalt } from '../privacy/instance-keys.repo.ts';
import { addressOf } from './mail-sender.ts';
import { startDueMailings } from './mailing-lifecycle.service.ts';

/**
 * Mailings end to end through the API (delivery itself is mail-delivery's): reach counting with
 * every exclusion, newsletter consent of the unit or above, scope, refusals, the frozen recipient
 * list and the state machine, consent requests.
 */

let t: TestApp;
let orgs: OrgTree;
let admin: Client;
let organizer: Client;
let salt: string;

const FOOTER = 'Kreis A1\nMusterstraße 1\n01067 Dresden';

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  admin = await loginAs(t, 'admin', orgs.kreisA1);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  const put = await admin.put(`/api/orgs/${orgs.kreisA1}/mail-settings`, {
    senderName: 'Kreis A1',
    senderAddressId: null,
    replyTo: null,
    footer: FOOTER,
  });
  expect(put.statusCode, put.body).toBe(200);
  salt = await getSuppressionSalt(t.db);
});
afterAll(() => t.close());

const person = (orgId: string, city: string, firstName: string, body: Record<string, unknown> = {}) =>
  makePerson(organizer, orgId, { firstName, lastName: 'Beispiel', city, phones: [], ...body });
const email = (address: string, extra: Record<string, unknown> = {}) => ({
  emails: [{ email: address, ...extra }],
});

async function list(city: string, by: Client = organizer, orgId = orgs.kreisA1) {
  const res = await by.post('/api/queries', {
    orgId,
    name: `Liste ${city}`,
    filter: { kind: 'field', field: 'city', op: 'equals', value: city },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as string;
}

async function mailing(queryId: string, body: Record<string, unknown> = {}, by: Client = organizer) {
  const res = await by.post('/api/mailings', {
    orgId: orgs.kreisA1,
    subject: 'Einladung zum Sommerfest, {{firstName|du}}',
    html: '<p>Hallo {{firstName}}, komm vorbei!</p>',
    purpose: 'member_info',
    queryId,
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; status: string };
}

const suppress = (
  address: string,
  reason: string,
  orgId: string | null = null,
  purpose: string | null = null,
) =>
  t.db
    .insertInto('mailSuppressions')
    .values({ addressHash: addressHash(salt, address), reason: reason as 'unsubscribed', orgId, purpose })
    .execute();

const consent = (personId: string, orgId: string, status: 'granted' | 'pending' | 'revoked') =>
  t.db
    .insertInto('consents')
    .values({
      personId,
      channel: 'newsletter',
      orgId,
      status,
      source: 'manual',
      proof: '{}',
      grantedAt: status === 'granted' ? new Date() : null,
    })
    .execute();

const zeroExcluded = {
  noEmail: 0,
  bounced: 0,
  unsubscribed: 0,
  noConsent: 0,
  doNotContact: 0,
  suppressed: 0,
  duplicateAddress: 0,
};

describe('reach', () => {
  let queryId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    const C = 'Reichweitestadt';
    const a = orgs.ortA1a;
    const b = orgs.ortA1b;
    ids.ok1 = await person(a, C, 'Ok1', email('ok1@example.org'));
    ids.ok2 = await person(b, C, 'Ok2', email('Ok2@Example.org'));
    ids.okSecondary = await person(b, C, 'Ok3', {
      emails: [
        { email: 'alt-bounced@example.org', status: 'bounced', isPrimary: true },
        { email: 'ok3@example.org' },
      ],
    });
    ids.noEmail = await person(a, C, 'NoEmail');
    ids.invalidOnly = await person(a, C, 'Invalid', email('invalid@example.org', { status: 'invalid' }));
    ids.bounced = await person(a, C, 'Bounced', email('bounced@example.org', { status: 'bounced' }));
    ids.bouncedHash = await person(a, C, 'BouncedHash', email('bounced-hash@example.org'));
    await suppress('bounced-hash@example.org', 'bounced');
    ids.unsubUnit = await person(a, C, 'UnsubUnit', email('unsub-unit@example.org'));
    await suppress('unsub-unit@example.org', 'unsubscribed', orgs.kreisA1, 'member_info');
    ids.unsubAll = await person(b, C, 'UnsubAll', email('unsub-all@example.org'));
    await suppress('UNSUB-ALL@example.org', 'unsubscribed');
    ids.unsubElsewhere = await person(a, C, 'UnsubElsewhere', email('unsub-else@example.org'));
    await suppress('unsub-else@example.org', 'unsubscribed', orgs.kreisA2, null);
    await suppress('unsub-else@example.org', 'unsubscribed', orgs.kreisA1, 'newsletter');
    ids.dnc = await person(a, C, 'Dnc', { ...email('dnc@example.org'), doNotEmail: true });
    ids.bouncedAndDnc = await person(a, C, 'BouncedDnc', {
      ...email('bdnc@example.org', { status: 'bounced' }),
      doNotEmail: true,
    });
    ids.erased = await person(b, C, 'Erased', email('erased@example.org'));
    await suppress('erased@example.org', 'erased');
    ids.complaint = await person(b, C, 'Complaint', email('complaint@example.org'));
    await suppress('complaint@example.org', 'complaint');
    ids.dup1 = await person(a, C, 'Dup1', email('dup@example.org'));
    ids.dup2 = await person(b, C, 'Dup2', email('DUP@example.org'));
    ids.dup3 = await person(b, C, 'Dup3', { ...email('dup@example.org'), doNotEmail: true });
    // Not in the list (another city) and not in the unit (Kreis A2): never counted.
    await person(a, 'Anderswo', 'Other', email('other@example.org'));
    queryId = await list(C);
  });

  it('counts every person once, in the first exclusion that applies, and by unit', async () => {
    const m = await mailing(queryId);
    const res = await organizer.get(`/api/mailings/${m.id}/reach`);
    expect(res.statusCode, res.body).toBe(200);
    const reach = res.json();
    expect(reach.excluded).toEqual({
      noEmail: 2, // no address, only an invalid one
      bounced: 3, // marked bounced, suppressed as bounced, bounced + do-not-contact
      unsubscribed: 2, // this unit and purpose, everything
      noConsent: 0,
      doNotContact: 2, // dnc, and the third "dup" (do-not-contact comes before duplicates)
      suppressed: 2, // erased, complaint
      duplicateAddress: 1,
    });
    // ok1, ok2, ok3 (its valid second address), unsubscribed elsewhere, one of the dups
    expect(reach.reachable).toBe(5);
    expect(reach.total).toBe(17);
    const byOrg = Object.fromEntries(
      reach.byOrg.map((o: { orgName: string; total: number; reachable: number }) => [
        o.orgName,
        [o.total, o.reachable],
      ]),
    );
    // One of the two "dup" addresses is reached: the person with the lower id.
    const dupInA = ids.dup1 < ids.dup2 ? 1 : 0;
    expect(byOrg).toEqual({ 'Ort A1a': [10, 2 + dupInA], 'Ort A1b': [7, 3 - dupInA] });
  });

  it('lists the people behind a number (id, name, unit only), by unit', async () => {
    const m = await mailing(queryId);
    const bounced = (await organizer.get(`/api/mailings/${m.id}/reach/people?reason=bounced`)).json();
    expect(bounced.items.map((p: { id: string }) => p.id).sort()).toEqual(
      [ids.bounced, ids.bouncedHash, ids.bouncedAndDnc].sort(),
    );
    expect(Object.keys(bounced.items[0]).sort()).toEqual(['firstName', 'id', 'lastName', 'orgId', 'orgName']);
    const reachableB = (
      await organizer.get(`/api/mailings/${m.id}/reach/people?reason=reachable&orgId=${orgs.ortA1b}`)
    ).json();
    expect(reachableB.items.map((p: { id: string }) => p.id).sort()).toEqual(
      [ids.ok2, ids.okSecondary, ...(ids.dup1 < ids.dup2 ? [] : [ids.dup2])].sort(),
    );
    const page1 = (await organizer.get(`/api/mailings/${m.id}/reach/people?reason=reachable&limit=2`)).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (
      await organizer.get(
        `/api/mailings/${m.id}/reach/people?reason=reachable&limit=2&cursor=${page1.nextCursor}`,
      )
    ).json();
    const page3 = (
      await organizer.get(
        `/api/mailings/${m.id}/reach/people?reason=reachable&limit=2&cursor=${page2.nextCursor}`,
      )
    ).json();
    expect(new Set([...page1.items, ...page2.items, ...page3.items].map((p) => p.id)).size).toBe(5);
    expect(page3.nextCursor).toBeNull();
  });

  it('a mailing of a sub-unit reaches only its subtree of the list', async () => {
    const ortAdmin = await loginAs(t, 'organizer', orgs.ortA1a);
    const res = await ortAdmin.post('/api/mailings', {
      orgId: orgs.ortA1a,
      subject: 'Ort',
      html: '<p>x</p>',
      purpose: 'member_info',
      queryId: await list('Reichweitestadt', ortAdmin, orgs.ortA1a),
    });
    const reach = (await ortAdmin.get(`/api/mailings/${res.json().id}/reach`)).json();
    expect(reach.total).toBe(10);
    expect(reach.byOrg.map((o: { orgId: string }) => o.orgId)).toEqual([orgs.ortA1a]);
    // Sent from Ort A1a, the unsubscribe from Kreis A1's member information does not apply.
    expect(reach.excluded.unsubscribed).toBe(0);
  });

  it('freezes exactly the reachable people, one row per address with a unique Message-ID', async () => {
    const m = await mailing(queryId);
    const res = await organizer.post(`/api/mailings/${m.id}/send`, {});
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'sending', total: 5 });
    const rows = await t.db
      .selectFrom('mailingRecipients')
      .selectAll()
      .where('mailingId', '=', m.id)
      .execute();
    expect(rows).toHaveLength(5);
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(5);
    for (const r of rows) {
      expect(r.messageId).toMatch(/^<[0-9a-f-]{36}@draht\.test>$/);
      expect(r.status).toBe('queued');
      expect(r.email).toBe(r.email.toLowerCase());
      expect(r.domain).toBe('example.org');
    }
    expect(rows.map((r) => r.email).sort()).toEqual(
      [
        'dup@example.org',
        'ok1@example.org',
        'ok2@example.org',
        'ok3@example.org',
        'unsub-else@example.org',
      ].sort(),
    );
    expect(rows.find((r) => r.email === 'dup@example.org')?.personId).toBe(
      ids.dup1 < ids.dup2 ? ids.dup1 : ids.dup2,
    );
    // Sent already: a second send, a change and a reschedule are refused.
    expect((await organizer.post(`/api/mailings/${m.id}/send`, {})).statusCode).toBe(409);
    expect((await organizer.patch(`/api/mailings/${m.id}`, { subject: 'Neu' })).statusCode).toBe(409);
    const audit = await t.db.selectFrom('auditLog').select('action').where('targetId', '=', m.id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['mailing.created', 'mailing.sent']));
  });
});

describe('newsletter: only with a granted consent of the unit or one above it', () => {
  it('counts pending, sibling, child and revoked consents as no consent', async () => {
    const C = 'Newsstadt';
    const a = orgs.ortA1a;
    const granted = {
      unit: await person(a, C, 'Unit', email('n-unit@example.org')),
      land: await person(a, C, 'Land', email('n-land@example.org')),
      bund: await person(a, C, 'Bund', email('n-bund@example.org')),
    };
    const none = {
      pending: await person(a, C, 'Pending', email('n-pending@example.org')),
      sibling: await person(a, C, 'Sibling', email('n-sibling@example.org')),
      child: await person(a, C, 'Child', email('n-child@example.org')),
      revoked: await person(a, C, 'Revoked', email('n-revoked@example.org')),
      nothing: await person(a, C, 'Nothing', email('n-nothing@example.org')),
    };
    await consent(granted.unit, orgs.kreisA1, 'granted');
    await consent(granted.land, orgs.landA, 'granted');
    await consent(granted.bund, orgs.bund, 'granted');
    await consent(none.pending, orgs.kreisA1, 'pending');
    await consent(none.sibling, orgs.kreisA2, 'granted');
    await consent(none.child, orgs.ortA1a, 'granted');
    await consent(none.revoked, orgs.kreisA1, 'revoked');
    const queryId = await list(C);
    const m = await mailing(queryId, { purpose: 'newsletter' });
    const reach = (await organizer.get(`/api/mailings/${m.id}/reach`)).json();
    expect(reach).toMatchObject({ total: 8, reachable: 3, excluded: { ...zeroExcluded, noConsent: 5 } });
    const who = (await organizer.get(`/api/mailings/${m.id}/reach/people?reason=reachable`)).json();
    expect(who.items.map((p: { id: string }) => p.id).sort()).toEqual(Object.values(granted).sort());

    // A consent request goes to those without a granted or pending consent of the unit or above.
    const req = await organizer.post('/api/consent-requests', { orgId: orgs.kreisA1, queryId });
    expect(req.statusCode, req.body).toBe(201);
    expect(req.json()).toMatchObject({ purpose: 'consent_request', status: 'sending', total: 4 });
    expect(req.json().html).toContain('{{consentUrl}}');
    expect(req.json().unknownPlaceholders).toEqual([]);
    const rows = await t.db
      .selectFrom('mailingRecipients')
      .select('personId')
      .where('mailingId', '=', req.json().id)
      .execute();
    expect(rows.map((r) => r.personId).sort()).toEqual(
      [none.sibling, none.child, none.revoked, none.nothing].sort(),
    );
    const en = await loginAs(t, 'organizer', orgs.kreisA1);
    await en.patch('/api/auth/me', { locale: 'en' });
    await consent(none.nothing, orgs.kreisA1, 'pending');
    const req2 = await en.post('/api/consent-requests', { orgId: orgs.kreisA1, queryId });
    expect(req2.statusCode, req2.body).toBe(201);
    expect(req2.json()).toMatchObject({ total: 3 });
    expect(req2.json().subject).toMatch(/newsletter/);
  });
});

describe('scope and refusals', () => {
  let queryId: string;
  beforeAll(async () => {
    await person(orgs.ortA1a, 'Refusalstadt', 'Reachable', email('refusal@example.org'));
    queryId = await list('Refusalstadt');
  });

  it('a list of another Kreis is 404 on create; a mailing of another unit is 404 like an unknown one', async () => {
    const other = await loginAs(t, 'organizer', orgs.kreisA2);
    const foreignList = await list('Refusalstadt', other, orgs.kreisA2);
    const res = await organizer.post('/api/mailings', {
      orgId: orgs.kreisA1,
      subject: 'x',
      html: '',
      purpose: 'member_info',
      queryId: foreignList,
    });
    expect(res.statusCode).toBe(404);
    const m = await mailing(queryId);
    const foreign = await other.get(`/api/mailings/${m.id}`);
    const unknown = await other.get('/api/mailings/00000000-0000-4000-8000-000000000009');
    expect(foreign.statusCode).toBe(404);
    expect(foreign.body).toBe(unknown.body);
    for (const path of ['reach', 'progress', 'preview']) {
      const r = await other.get(`/api/mailings/${m.id}/${path}`);
      expect({ path, status: r.statusCode, body: r.body }).toEqual({ path, status: 404, body: unknown.body });
    }
    expect((await other.post(`/api/mailings/${m.id}/send`, {})).body).toBe(unknown.body);
    expect(
      (
        await other.post('/api/mailings', {
          orgId: orgs.kreisA1,
          subject: 'x',
          html: '',
          purpose: 'member_info',
          queryId,
        })
      ).statusCode,
    ).toBe(404);
  });

  it('scripts and event handlers are gone from what is stored and what is rendered', async () => {
    const m = await mailing(queryId, {
      html: '<p onclick="alert(1)">Hallo</p><script>alert(2)</script><a href="javascript:alert(3)">x</a><img src="https://x.test/a.png" onerror="alert(4)">',
    });
    const got = (await organizer.get(`/api/mailings/${m.id}`)).json();
    expect(got.html).toBe('<p>Hallo</p><a>x</a><img src="https://x.test/a.png" />');
    const patched = await organizer.patch(`/api/mailings/${m.id}`, {
      html: '<p onmouseover="x()">Neu</p><style>p{}</style>',
    });
    expect(patched.json().html).toBe('<p>Neu</p>');
    const preview = (await organizer.get(`/api/mailings/${m.id}/preview`)).json();
    expect(preview.html).not.toMatch(/onmouseover|<script|javascript:/);
    const tpl = await organizer.post('/api/mail/templates', {
      orgId: orgs.kreisA1,
      name: 'X',
      html: '<p onclick="x()">T</p>',
    });
    expect(tpl.json().html).toBe('<p>T</p>');
    expect((await organizer.delete(`/api/mail/templates/${tpl.json().id}`)).statusCode).toBe(204);
  });

  it('CR/LF in the subject is a 400', async () => {
    for (const subject of ['Hallo\r\nBcc: x@evil.test', 'Zeile\nzwei']) {
      const res = await organizer.post('/api/mailings', {
        orgId: orgs.kreisA1,
        subject,
        html: '',
        purpose: 'member_info',
        queryId,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().error.code).toBe('validation_failed');
    }
    const m = await mailing(queryId);
    expect((await organizer.patch(`/api/mailings/${m.id}`, { subject: 'a\rb' })).statusCode).toBe(400);
  });

  it('an unknown placeholder is kept in a draft, shown, and refused at test and send (422 naming it)', async () => {
    const m = await mailing(queryId, { html: '<p>Hallo {{vorname}}</p>' });
    const got = (await organizer.get(`/api/mailings/${m.id}`)).json();
    expect(got.unknownPlaceholders).toEqual(['vorname']);
    for (const res of [
      await organizer.post(`/api/mailings/${m.id}/test`, { email: 'me@example.org' }),
      await organizer.post(`/api/mailings/${m.id}/send`, {}),
    ]) {
      expect(res.statusCode).toBe(422);
      expect(res.json().error.details[0].reason).toBe('unknown_placeholder');
      expect(res.json().error.message).toContain('{{vorname}}');
    }
  });

  it('a unit without footer is refused (footer_missing); nobody reachable is no_recipients', async () => {
    const b = await loginAs(t, 'organizer', orgs.kreisB1);
    await person(orgs.kreisB1, 'Footerlos', 'B', email('b1@example.org')).catch(() => undefined);
    await makePerson(b, orgs.kreisB1, { city: 'Footerlos', phones: [], ...email('b2@example.org') });
    const res = await b.post('/api/mailings', {
      orgId: orgs.kreisB1,
      subject: 'x',
      html: '<p>x</p>',
      purpose: 'member_info',
      queryId: await list('Footerlos', b, orgs.kreisB1),
    });
    const send = await b.post(`/api/mailings/${res.json().id}/send`, {});
    expect(send.statusCode).toBe(422);
    expect(send.json().error.details[0].reason).toBe('footer_missing');
    const settings = (await b.get(`/api/orgs/${orgs.kreisB1}/mail-settings`)).json();
    expect(settings).toMatchObject({ configured: false, inheritedFrom: null });

    await person(orgs.ortA1a, 'Niemandstadt', 'Keiner');
    const m = await mailing(await list('Niemandstadt'));
    for (const r of [
      await organizer.post(`/api/mailings/${m.id}/send`, {}),
      await organizer.post(`/api/mailings/${m.id}/test`, { email: 'me@example.org' }),
      await organizer.post(`/api/mailings/${m.id}/send`, {
        at: new Date(Date.now() + 3600_000).toISOString(),
      }),
    ]) {
      expect(r.statusCode).toBe(422);
      expect(r.json().error.details[0].reason).toBe('no_recipients');
    }
    expect((await organizer.get(`/api/mailings/${m.id}`)).json().status).toBe('draft');
  });
});

describe('lifecycle', () => {
  let queryId: string;
  beforeAll(async () => {
    for (let i = 0; i < 3; i++)
      await person(orgs.ortA1b, 'Lebenstadt', `L${i}`, email(`life${i}@example.org`));
    queryId = await list('Lebenstadt');
  });

  it('sending → paused → sending → cancelled, with progress', async () => {
    const m = await mailing(queryId);
    await organizer.post(`/api/mailings/${m.id}/send`, {});
    const progress = (await organizer.get(`/api/mailings/${m.id}/progress`)).json();
    expect(progress).toMatchObject({
      status: 'sending',
      total: 3,
      sent: 0,
      failed: 0,
      remaining: 3,
      pausedReason: null,
    });
    // Two rows went out, one bounced, meanwhile (the worker's doing).
    const rows = await t.db
      .selectFrom('mailingRecipients')
      .select('id')
      .where('mailingId', '=', m.id)
      .execute();
    await t.db
      .updateTable('mailingRecipients')
      .set({ status: 'sent', sentAt: new Date() })
      .where('id', '=', rows[0].id)
      .execute();
    await t.db
      .updateTable('mailingRecipients')
      .set({ status: 'bounced' })
      .where('id', '=', rows[1].id)
      .execute();
    const p2 = (await organizer.get(`/api/mailings/${m.id}/progress`)).json();
    expect(p2).toMatchObject({ sent: 1, failed: 1, remaining: 1 });
    expect(p2.ratePerMinute).toBeGreaterThan(0);
    expect(p2.eta).not.toBeNull();

    const paused = await organizer.post(`/api/mailings/${m.id}/pause`);
    expect(paused.statusCode, paused.body).toBe(200);
    expect(paused.json()).toMatchObject({ status: 'paused', eta: null });
    expect((await organizer.post(`/api/mailings/${m.id}/pause`)).statusCode).toBe(409);
    expect((await organizer.post(`/api/mailings/${m.id}/resume`)).json().status).toBe('sending');
    expect((await organizer.post(`/api/mailings/${m.id}/resume`)).statusCode).toBe(409);
    const cancelled = await organizer.post(`/api/mailings/${m.id}/cancel`);
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', sent: 1, failed: 1, remaining: 0 });
    expect((await organizer.post(`/api/mailings/${m.id}/cancel`)).statusCode).toBe(409);
    expect((await organizer.post(`/api/mailings/${m.id}/resume`)).statusCode).toBe(409);
    const statuses = await t.db
      .selectFrom('mailingRecipients')
      .select('status')
      .where('mailingId', '=', m.id)
      .execute();
    expect(statuses.map((s) => s.status).sort()).toEqual(['bounced', 'cancelled', 'sent']);
    const list = (await organizer.get(`/api/mailings?orgId=${orgs.kreisA1}`)).json();
    const item = list.items.find((i: { id: string }) => i.id === m.id);
    expect(item.progress).toMatchObject({ status: 'cancelled', total: 3, sent: 1 });
    expect(item.html).toBeUndefined();
  });

  it('scheduled: a change goes back to draft; pause and resume keep the time; the due check starts it', async () => {
    const m = await mailing(queryId);
    const at = new Date(Date.now() + 3600_000).toISOString();
    const s = await organizer.post(`/api/mailings/${m.id}/send`, { at });
    expect(s.json()).toMatchObject({ status: 'scheduled', scheduledAt: at, total: null });
    const patched = await organizer.patch(`/api/mailings/${m.id}`, { html: '<p>Neu</p>' });
    expect(patched.json()).toMatchObject({ status: 'draft', scheduledAt: null, html: '<p>Neu</p>' });
    await organizer.post(`/api/mailings/${m.id}/send`, { at });
    expect((await organizer.post(`/api/mailings/${m.id}/pause`)).json().status).toBe('paused');
    expect((await organizer.post(`/api/mailings/${m.id}/resume`)).json().status).toBe('scheduled');
    // Its time comes: the minutely due check starts it as the author.
    await t.db
      .updateTable('mailings')
      .set({ scheduledAt: new Date(Date.now() - 1000) })
      .where('id', '=', m.id)
      .execute();
    const ctx: BaseCtx = { db: t.db, config: t.config, mail: t.mail, jobs: t.jobs, log: t.app.log, ip: null };
    await startDueMailings(ctx);
    expect((await organizer.get(`/api/mailings/${m.id}`)).json()).toMatchObject({
      status: 'sending',
      total: 3,
    });
    await startDueMailings(ctx); // again: nothing more
    const n = await t.db.selectFrom('mailingRecipients').select('id').where('mailingId', '=', m.id).execute();
    expect(n).toHaveLength(3);
  });

  it('a draft can be cancelled; a sent past time sends now', async () => {
    const m = await mailing(queryId);
    expect((await organizer.post(`/api/mailings/${m.id}/cancel`)).json().status).toBe('cancelled');
    expect((await organizer.post(`/api/mailings/${m.id}/send`, {})).statusCode).toBe(409);
    const m2 = await mailing(queryId);
    const past = await organizer.post(`/api/mailings/${m2.id}/send`, {
      at: new Date(Date.now() - 1000).toISOString(),
    });
    expect(past.json().status).toBe('sending');
  });
});

describe('preview, test mail, settings, templates, senders', () => {
  it('previews as a person in scope (404 outside) and sends a test to one address', async () => {
    const id = await person(orgs.ortA1a, 'Vorschaustadt', 'Vroni', email('vroni@example.org'));
    const m = await mailing(await list('Vorschaustadt'));
    const p = await organizer.get(`/api/mailings/${m.id}/preview?personId=${id}`);
    expect(p.statusCode, p.body).toBe(200);
    expect(p.json().subject).toBe('Einladung zum Sommerfest, Vroni');
    expect(p.json().html).toContain('Hallo Vroni, komm vorbei!');
    expect(p.json().html).toContain('Musterstraße 1');
    expect(p.json().text).toContain('Hallo Vroni');
    const b = await loginAs(t, 'organizer', orgs.kreisB1);
    const outside = await makePerson(b, orgs.kreisB1, { phones: [] });
    expect((await organizer.get(`/api/mailings/${m.id}/preview?personId=${outside}`)).statusCode).toBe(404);

    const test = await organizer.post(`/api/mailings/${m.id}/test`, { email: 'me@example.org' });
    expect(test.statusCode, test.body).toBe(200);
    const sent = await t.db
      .selectFrom('mailMessages')
      .selectAll()
      .where('toAddress', '=', 'me@example.org')
      .execute();
    expect(sent).toHaveLength(1);
    expect(sent[0].subject).toMatch(/^\[Test\] Einladung zum Sommerfest, /);
    expect(sent[0].htmlBody).toContain('Musterstraße 1');
    expect((await organizer.get(`/api/mailings/${m.id}`)).json().status).toBe('draft');
  });

  it('sender addresses are the superadmin’s; units choose among them; settings inherit', async () => {
    const root = await loginAs(t, 'superadmin');
    const added = await root.post('/api/mail/sender-addresses', { address: 'Kreis-A1@Partei.example' });
    expect(added.statusCode, added.body).toBe(201);
    expect(added.json().address).toBe('kreis-a1@partei.example');
    expect(
      (await root.post('/api/mail/sender-addresses', { address: 'kreis-a1@partei.example' })).statusCode,
    ).toBe(409);
    expect((await admin.post('/api/mail/sender-addresses', { address: 'x@partei.example' })).statusCode).toBe(
      403,
    );
    const body = { senderName: 'Kreis A1', replyTo: 'buero@partei.example', footer: FOOTER };
    const bad = await admin.put(`/api/orgs/${orgs.kreisA1}/mail-settings`, {
      ...body,
      senderAddressId: '00000000-0000-4000-8000-000000000009',
    });
    expect(bad.statusCode).toBe(422);
    const ok = await admin.put(`/api/orgs/${orgs.kreisA1}/mail-settings`, {
      ...body,
      senderAddressId: added.json().id,
    });
    expect(ok.json()).toMatchObject({
      senderAddress: 'kreis-a1@partei.example',
      inheritedFrom: null,
      configured: true,
    });
    expect(
      (await organizer.put(`/api/orgs/${orgs.kreisA1}/mail-settings`, { ...body, senderAddressId: null }))
        .statusCode,
    ).toBe(403);
    const inherited = (await organizer.get(`/api/orgs/${orgs.ortA1a}/mail-settings`)).json();
    expect(inherited).toMatchObject({ inheritedFrom: orgs.kreisA1, footer: FOOTER, senderName: 'Kreis A1' });
    expect(inherited.allowedSenderAddresses).toEqual([
      { id: added.json().id, address: 'kreis-a1@partei.example' },
    ]);
    const m = await mailing(await list('Vorschaustadt'));
    expect((await organizer.get(`/api/mailings/${m.id}/preview`)).json().from).toBe(
      '"Kreis A1" <kreis-a1@partei.example>',
    );
    const del = await root.delete(`/api/mail/sender-addresses/${added.json().id}`);
    expect(del.statusCode).toBe(204);
    expect((await root.get('/api/mail/sender-addresses')).json().items).toEqual([]);
    // Without an allowed address of its own the unit's name stays, with MAIL_FROM's address.
    const fallback = (await organizer.get(`/api/mailings/${m.id}/preview`)).json();
    expect(fallback.from).toBe(`"Kreis A1" <${addressOf(t.config.mailFrom)}>`);
    expect(fallback.from).not.toBe(t.config.mailFrom);
  });

  it('templates per unit: the unit’s and those above it', async () => {
    const landOrganizer = await loginAs(t, 'organizer', orgs.landA);
    const land = await landOrganizer.post('/api/mail/templates', {
      orgId: orgs.landA,
      name: 'Land-Vorlage',
      html: '<p>L</p>',
    });
    expect(land.statusCode, land.body).toBe(201);
    const own = await organizer.post('/api/mail/templates', {
      orgId: orgs.kreisA1,
      name: 'Einladung',
      subject: 'Komm',
    });
    const patched = await organizer.patch(`/api/mail/templates/${own.json().id}`, { name: 'Einladung 2' });
    expect(patched.json()).toMatchObject({ name: 'Einladung 2', subject: 'Komm' });
    const names = (await organizer.get(`/api/mail/templates?orgId=${orgs.kreisA1}`))
      .json()
      .items.map((x: { name: string }) => x.name);
    expect(names).toEqual(['Einladung 2', 'Land-Vorlage']);
    const other = await loginAs(t, 'organizer', orgs.kreisA2);
    expect((await other.patch(`/api/mail/templates/${own.json().id}`, { name: 'x' })).statusCode).toBe(404);
    expect((await other.get(`/api/mail/templates?orgId=${orgs.kreisA1}`)).statusCode).toBe(404);
    expect((await organizer.delete(`/api/mail/templates/${own.json().id}`)).statusCode).toBe(204);
  });
});

describe('smart-search kind mailHistory', () => {
  it('received a mailing, bounced, unsubscribed — only mailings in line with the unit', async () => {
    const C = 'Historienstadt';
    const got = await person(orgs.ortA1a, C, 'Got', email('h-got@example.org'));
    const bounced = await person(orgs.ortA1a, C, 'Bounced', email('h-bounced@example.org'));
    const markedBounced = await person(
      orgs.ortA1a,
      C,
      'Marked',
      email('h-marked@example.org', { status: 'bounced' }),
    );
    const unsub = await person(orgs.ortA1a, C, 'Unsub', email('h-unsub@example.org'));
    await suppress('h-unsub@example.org', 'unsubscribed', orgs.kreisA1, 'member_info');
    const unsubSibling = await person(orgs.ortA1a, C, 'UnsubSib', email('h-unsub2@example.org'));
    await suppress('h-unsub2@example.org', 'unsubscribed', orgs.kreisA2, null);
    const queryId = await list(C);
    const m = await mailing(queryId);
    await organizer.post(`/api/mailings/${m.id}/send`, {});
    const rows = await t.db
      .selectFrom('mailingRecipients')
      .select(['id', 'personId'])
      .where('mailingId', '=', m.id)
      .execute();
    const rowOf = (id: string) => rows.find((r) => r.personId === id)!.id;
    await t.db
      .updateTable('mailingRecipients')
      .set({ status: 'sent', sentAt: new Date() })
      .where('id', '=', rowOf(got))
      .execute();
    await t.db
      .updateTable('mailingRecipients')
      .set({ status: 'bounced' })
      .where('id', '=', rowOf(bounced))
      .execute();

    const ids = async (filter: Record<string, unknown>, by: Client = organizer, orgId = orgs.kreisA1) => {
      const res = await by.post('/api/queries', {
        orgId,
        name: `Verlauf ${JSON.stringify(filter)}`,
        filter: {
          kind: 'group',
          op: 'and',
          children: [{ kind: 'field', field: 'city', op: 'equals', value: C }, filter],
        },
      });
      expect(res.statusCode, res.body).toBe(201);
      const people = await by.get(`/api/queries/${res.json().id}/people`);
      return people
        .json()
        .items.map((p: { id: string }) => p.id)
        .sort();
    };
    expect(await ids({ kind: 'mailHistory', event: 'received', mailingId: m.id })).toEqual([got]);
    expect(await ids({ kind: 'mailHistory', event: 'received' })).toEqual([got]);
    expect(await ids({ kind: 'mailHistory', event: 'bounced', mailingId: m.id })).toEqual([bounced]);
    expect(await ids({ kind: 'mailHistory', event: 'bounced' })).toEqual([markedBounced]);
    expect(await ids({ kind: 'mailHistory', event: 'unsubscribed' })).toEqual([unsub]);
    expect(await ids({ kind: 'mailHistory', event: 'received', not: true })).toEqual(
      [bounced, markedBounced, unsub, unsubSibling].sort(),
    );
    // Kreis A2 sees neither Kreis A1's mailing nor (with its own people) anything of it.
    const other = await loginAs(t, 'organizer', orgs.kreisA2);
    const res = await other.post('/api/queries/preview', {
      orgId: orgs.kreisA2,
      filter: { kind: 'mailHistory', event: 'received', mailingId: m.id },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toContain('mailHistory');
    const bad = await organizer.post('/api/queries/preview', {
      orgId: orgs.kreisA1,
      filter: { kind: 'mailHistory', event: 'unsubscribed', mailingId: m.id },
    });
    expect(bad.statusCode).toBe(400);
  });
});
