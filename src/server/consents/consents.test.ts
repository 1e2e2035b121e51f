import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, createTestApp, type TestApp } from '../../../test/app.ts';
import {
  loginAs,
  makeCityAssignment,
  makeOrgTree,
  makePerson as makePersonAs,
  type OrgTree,
} from '../../../test/factories.ts';
import type { BaseCtx } from '../context.ts';
import { issueLinkToken } from '../links/links.service.ts';
import { addressHash, getSuppressionSalt } from '../privacy/instance-keys.repo.ts';
import { CONSENT_TEXTS, textHash } from './consent-texts.ts';
import { requestConsent, revokeConsent } from './consents.service.ts';

let t: TestApp;
let orgs: OrgTree;
let organizer: Client;
let ctx: BaseCtx;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
  organizer = await loginAs(t, 'organizer', orgs.kreisA1);
  ctx = { db: t.db, config: t.config, mail: t.mail, jobs: t.jobs, log: t.app.log, ip: null };
});
afterAll(() => t.close());

const NEWSLETTER_DE = CONSENT_TEXTS.newsletter.versions['newsletter-v1'].de;
const VISITOR_IP = '203.0.113.77';
let seq = 0;

async function newPerson(body: Record<string, unknown> = {}, orgId = orgs.kreisA1) {
  const n = ++seq;
  const city = `Einwilligungsstadt-${n}`;
  const email = `vera-${n}-${randomUUID().slice(0, 6)}@example.org`;
  const id = await makePersonAs(organizer, orgId, { city, emails: [{ email }], ...body });
  return { id, city, email };
}

const mailsTo = (email: string) =>
  t.db
    .selectFrom('mailMessages')
    .selectAll()
    .where('toAddress', '=', email)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();

const consentsOf = (personId: string) =>
  t.db.selectFrom('consents').selectAll().where('personId', '=', personId).orderBy('createdAt').execute();

const ledgerOf = (personId: string) =>
  t.db
    .selectFrom('consentEvents')
    .selectAll()
    .where('personId', '=', personId)
    .orderBy('at')
    .orderBy('id')
    .execute();

const tokenIn = (text: string) => {
  const m = /http:\/\/draht\.test\/c\/([A-Za-z0-9_-]{43})/.exec(text);
  if (!m) throw new Error(`no confirmation link in: ${text}`);
  return m[1]!;
};

/** Opens the link as the person's browser would (no session, from some address). */
const click = (token: string) =>
  t.app.inject({ method: 'GET', url: `/c/${token}`, remoteAddress: VISITOR_IP });

const askByHand = (personId: string, body: Record<string, unknown> = {}, by: Client = organizer) =>
  by.post(`/api/people/${personId}/consents`, { purpose: 'newsletter', orgId: orgs.kreisA1, ...body });

describe('double opt-in from a call', () => {
  it('a call with newsletter: pending, one confirmation mail; its link grants with proof and a ledger', async () => {
    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    const p = await newPerson();
    const assignment = await makeCityAssignment(organizer, orgs.kreisA1, p.city);
    expect(
      (await organizer.post(`/api/call-assignments/${assignment.id}/callers`, { userId: caller.userId }))
        .statusCode,
    ).toBe(200);
    const call = (await caller.post(`/api/call-assignments/${assignment.id}/next`)).json().call;
    expect(call.person.id).toBe(p.id);
    const recorded = await caller.post(`/api/calls/${call.id}/outcome`, {
      clientId: randomUUID(),
      outcome: 'reached',
      newsletter: true,
    });
    expect(recorded.statusCode, recorded.body).toBe(200);

    const [consent] = await consentsOf(p.id);
    expect(consent).toMatchObject({
      channel: 'newsletter',
      purpose: 'newsletter',
      orgId: orgs.kreisA1,
      status: 'pending',
      source: 'call',
      sourceRef: call.id,
      textVersion: 'newsletter-v1',
      textHash: textHash(NEWSLETTER_DE),
      grantedAt: null,
    });
    const mails = await mailsTo(p.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({ template: 'consentConfirmation', status: 'outbox' });
    expect(mails[0]!.subject).toContain('Kreis A1');
    expect(mails[0]!.textBody).toContain('Kreis A1');

    const token = tokenIn(mails[0]!.textBody);
    const res = await click(token);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/p/consent?state=confirmed');

    const [granted] = await consentsOf(p.id);
    expect(granted).toMatchObject({ status: 'granted', source: 'call', textHash: textHash(NEWSLETTER_DE) });
    expect(granted!.grantedAt).toBeInstanceOf(Date);
    expect(granted!.confirmedAt).toBeInstanceOf(Date);

    const salt = await getSuppressionSalt(t.db);
    const ledger = await ledgerOf(p.id);
    expect(ledger.map((e) => [e.status, e.source])).toEqual([
      ['pending', 'call'],
      ['granted', 'confirmation_link'],
    ]);
    for (const e of ledger)
      expect(e).toMatchObject({ textVersion: 'newsletter-v1', textHash: textHash(NEWSLETTER_DE) });
    expect(ledger[0]!.actorUserId).toBe(caller.userId);
    expect(ledger[1]!.proof).toMatchObject({
      confirmedAt: expect.any(String),
      mailId: mails[0]!.id,
      messageId: `<${mails[0]!.id}@draht.test>`,
      ipHash: addressHash(salt, VISITOR_IP),
    });
    const audit = await t.db.selectFrom('auditLog').selectAll().where('targetId', '=', p.id).execute();
    expect(audit.map((a) => a.action)).toContain('consent.granted');
    expect(JSON.stringify([ledger, granted, audit])).not.toContain(VISITOR_IP);

    const kinds = (await organizer.get(`/api/people/${p.id}/timeline`))
      .json()
      .items.map((e: { kind: string }) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['consent.requested', 'consent.granted']));

    // Clicked twice: already confirmed, nothing changes.
    const again = await click(token);
    expect(again.headers.location).toBe('/p/consent?state=already');
    expect(await ledgerOf(p.id)).toHaveLength(2);

    // Asking again never downgrades a granted consent and sends no mail.
    const reask = await askByHand(p.id);
    expect(reask.statusCode, reask.body).toBe(200);
    expect(reask.json()).toMatchObject({ outcome: 'granted', mailed: false, consent: { status: 'granted' } });
    await requestConsent(ctx, {
      personId: p.id,
      channel: 'newsletter',
      purpose: 'newsletter',
      orgId: orgs.kreisA1,
      source: 'import',
      sourceRef: null,
      recordedBy: null,
    });
    expect((await consentsOf(p.id))[0]!.status).toBe('granted');
    expect(await mailsTo(p.email)).toHaveLength(1);
    expect(await ledgerOf(p.id)).toHaveLength(2);
  });
});

describe('manual consents through the API', () => {
  it('POST starts the double opt-in; GET lists consents with their ledger', async () => {
    const p = await newPerson();
    const res = await askByHand(p.id, { source: 'event', note: 'Am Infostand unterschrieben' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      outcome: 'requested',
      mailed: true,
      consent: { status: 'pending', source: 'event', orgId: orgs.kreisA1, orgName: 'Kreis A1' },
    });
    const list = await organizer.get(`/api/people/${p.id}/consents`);
    expect(list.statusCode).toBe(200);
    const [c] = list.json().items;
    expect(c).toMatchObject({ status: 'pending', textVersion: 'newsletter-v1' });
    expect(c.history).toEqual([
      expect.objectContaining({
        status: 'pending',
        source: 'event',
        proof: expect.objectContaining({ note: 'Am Infostand unterschrieben' }),
        actorName: expect.any(String),
      }),
    ]);
    expect(await mailsTo(p.email)).toHaveLength(1);

    // A pending one asked again the same day: no second mail.
    const again = await askByHand(p.id);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ outcome: 'pending', mailed: false });
    expect(await mailsTo(p.email)).toHaveLength(1);

    // A day later it is sent once more (the first may have been lost).
    await sql`update link_tokens set created_at = now() - interval '25 hours' where subject_id = ${c.id}::uuid`.execute(
      t.db,
    );
    expect((await askByHand(p.id)).json()).toMatchObject({ outcome: 'resent', mailed: true });
    expect(await mailsTo(p.email)).toHaveLength(2);
    expect(await ledgerOf(p.id)).toHaveLength(1);
  });

  it('the confirmation mail and the consent text in English when asked so', async () => {
    const p = await newPerson();
    expect((await askByHand(p.id, { locale: 'en' })).statusCode).toBe(201);
    const [mail] = await mailsTo(p.email);
    expect(mail!.subject).toBe('Please confirm: newsletter of Kreis A1');
    expect(mail!.textBody).toContain('Yes, I want to receive the newsletter of Kreis A1');
    const [consent] = await consentsOf(p.id);
    expect(consent!.textHash).toBe(textHash(CONSENT_TEXTS.newsletter.versions['newsletter-v1'].en));
  });

  it('without an email address the consent stays pending and no mail goes out', async () => {
    const p = await newPerson({ emails: [] });
    const res = await askByHand(p.id);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ outcome: 'requested', mailed: false, consent: { status: 'pending' } });
  });

  it('no confirmation mail to a suppressed address when someone else recorded the wish; a form may ask again', async () => {
    const salt = await getSuppressionSalt(t.db);
    const suppress = (email: string, reason: string, orgId: string | null, purpose: string | null) =>
      sql`insert into mail_suppressions (address_hash, reason, org_id, purpose)
          values (${addressHash(salt, email)}, ${reason}, ${orgId}::uuid, ${purpose})`.execute(t.db);
    // Unsubscribed from everything, erased before, and unsubscribed from this unit's newsletter:
    // asked by hand (or a call, an import), the consent is pending but nobody is mailed.
    const everything = await newPerson();
    await suppress(everything.email, 'unsubscribed', null, null);
    const erased = await newPerson();
    await suppress(erased.email, 'erased', null, null);
    const thisNewsletter = await newPerson();
    await suppress(thisNewsletter.email, 'unsubscribed', orgs.kreisA1, 'newsletter');
    for (const p of [everything, erased, thisNewsletter]) {
      const res = await askByHand(p.id);
      expect(res.json()).toMatchObject({ mailed: false, consent: { status: 'pending' } });
      expect(await mailsTo(p.email)).toHaveLength(0);
    }
    // Unsubscribed only from another unit's mail: this unit's confirmation goes out.
    const otherUnit = await newPerson();
    await suppress(otherUnit.email, 'unsubscribed', orgs.kreisA2, 'newsletter');
    expect((await askByHand(otherUnit.id)).json()).toMatchObject({ mailed: true });
    // The person asking on a form themselves gets the confirmation (and may subscribe again) —
    // unless the address bounces.
    await requestConsent(ctx, {
      personId: everything.id,
      channel: 'newsletter',
      purpose: 'newsletter',
      orgId: orgs.landA,
      source: 'form',
      sourceRef: null,
      recordedBy: null,
    });
    expect(await mailsTo(everything.email)).toHaveLength(1);
    const bounced = await newPerson();
    await suppress(bounced.email, 'bounced', null, null);
    await requestConsent(ctx, {
      personId: bounced.id,
      channel: 'newsletter',
      purpose: 'newsletter',
      orgId: orgs.kreisA1,
      source: 'form',
      sourceRef: null,
      recordedBy: null,
    });
    expect(await mailsTo(bounced.email)).toHaveLength(0);
  });

  it('is scoped: another Kreis sees 404; a unit not in line with the person is a 422', async () => {
    const p = await newPerson();
    const other = await loginAs(t, 'organizer', orgs.kreisA2);
    const foreignGet = await other.get(`/api/people/${p.id}/consents`);
    expect(foreignGet.statusCode).toBe(404);
    const foreignPost = await askByHand(p.id, { orgId: orgs.kreisA2 }, other);
    expect(foreignPost.statusCode).toBe(404);
    expect(foreignPost.body).toBe(foreignGet.body);

    const landAdmin = await loginAs(t, 'admin', orgs.landA);
    const sideways = await askByHand(p.id, { orgId: orgs.kreisA2 }, landAdmin);
    expect(sideways.statusCode).toBe(422);
    expect(sideways.json().error.details[0]).toMatchObject({
      path: 'body.orgId',
      reason: 'unit_not_in_line',
    });
    // The Land itself is in line (above the person's Kreis).
    expect((await askByHand(p.id, { orgId: orgs.landA }, landAdmin)).statusCode).toBe(201);

    const caller = await loginAs(t, 'caller', orgs.kreisA1);
    expect((await caller.get(`/api/people/${p.id}/consents`)).statusCode).toBe(403);
    expect((await askByHand(p.id, { source: 'api' })).statusCode).toBe(400);
  });
});

describe('links that no longer work', () => {
  it('an expired link shows the expired page; a new link can be asked for and works', async () => {
    const p = await newPerson();
    expect((await askByHand(p.id)).statusCode).toBe(201);
    const [first] = await mailsTo(p.email);
    const token = tokenIn(first!.textBody);
    await sql`update link_tokens set created_at = now() - interval '15 days', expires_at = now() - interval '1 day'
      where purpose = 'consent_confirm'`.execute(t.db);

    const res = await click(token);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`/p/consent?state=expired#${token}`);
    expect((await consentsOf(p.id))[0]!.status).toBe('pending');

    const unknown = await t.app.inject({
      method: 'POST',
      url: `/api/public/consents/renew/${'x'.repeat(43)}`,
    });
    const renew = await t.app.inject({ method: 'POST', url: `/api/public/consents/renew/${token}` });
    expect(renew.statusCode).toBe(202);
    expect(renew.body).toBe(unknown.body);
    const mails = await mailsTo(p.email);
    expect(mails).toHaveLength(2);
    // Asking again at once sends nothing more.
    await t.app.inject({ method: 'POST', url: `/api/public/consents/renew/${token}` });
    expect(await mailsTo(p.email)).toHaveLength(2);

    expect((await click(tokenIn(mails[1]!.textBody))).headers.location).toBe('/p/consent?state=confirmed');
    expect((await click(token)).headers.location).toBe('/p/consent?state=already');
    expect((await click('y'.repeat(43))).headers.location).toBe('/p/consent?state=invalid');
    expect((await click('kurz')).headers.location).toBe('/p/consent?state=invalid');
  });

  it('a HEAD request (a link checker) confirms nothing', async () => {
    const p = await newPerson();
    expect((await askByHand(p.id)).statusCode).toBe(201);
    const token = tokenIn((await mailsTo(p.email))[0]!.textBody);
    await t.app.inject({ method: 'HEAD', url: `/c/${token}` });
    expect((await consentsOf(p.id))[0]!.status).toBe('pending');
    expect((await click(token)).headers.location).toBe('/p/consent?state=confirmed');
  });
});

describe('revoking', () => {
  it('revokeConsent writes the ledger and the timeline; open confirmation links stop working', async () => {
    const p = await newPerson();
    const asked = await askByHand(p.id);
    const token = tokenIn((await mailsTo(p.email))[0]!.textBody);
    const consentId = asked.json().consent.id;

    const revoked = await organizer.post(`/api/people/${p.id}/consents/${consentId}/revoke`, {
      note: 'Am Telefon abgemeldet',
    });
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({ status: 'revoked', revokedAt: expect.any(String) });
    expect((await click(token)).headers.location).toBe('/p/consent?state=invalid');

    // Asked again after a revocation: pending again, with a new mail, and granted by its link.
    expect((await askByHand(p.id)).json()).toMatchObject({ outcome: 'requested', mailed: true });
    const mails = await mailsTo(p.email);
    expect(mails).toHaveLength(2);
    expect((await click(tokenIn(mails[1]!.textBody))).headers.location).toBe('/p/consent?state=confirmed');

    // The unsubscribe page's call: no actor, every newsletter consent of the person.
    expect(await revokeConsent(ctx, { personId: p.id, source: 'unsubscribe', sourceRef: 'mailing-x' })).toBe(
      1,
    );
    expect(await revokeConsent(ctx, { personId: p.id, source: 'unsubscribe' })).toBe(0);
    const ledger = await ledgerOf(p.id);
    expect(ledger.map((e) => [e.status, e.source])).toEqual([
      ['pending', 'manual'],
      ['revoked', 'manual'],
      ['pending', 'manual'],
      ['granted', 'confirmation_link'],
      ['revoked', 'unsubscribe'],
    ]);
    expect(ledger[1]!.proof).toMatchObject({ note: 'Am Telefon abgemeldet' });
    expect(ledger[4]).toMatchObject({ actorUserId: null, sourceRef: 'mailing-x' });
    const timeline = (await organizer.get(`/api/people/${p.id}/timeline`)).json().items;
    expect(timeline.filter((e: { kind: string }) => e.kind === 'consent.revoked')).toHaveLength(2);
    expect((await consentsOf(p.id))[0]).toMatchObject({ status: 'revoked', revokedAt: expect.any(Date) });
  });
});

describe('at the same time (meaningful on PostgreSQL)', () => {
  it('five sign-ups at once: one pending consent, one ledger row, one mail; three clicks at once: one grant', async () => {
    const p = await newPerson();
    const ask = () =>
      requestConsent(ctx, {
        personId: p.id,
        channel: 'newsletter',
        purpose: 'newsletter',
        orgId: orgs.kreisA1,
        source: 'form',
        sourceRef: null,
        recordedBy: null,
      });
    const outcomes = (await Promise.all([ask(), ask(), ask(), ask(), ask()])).map((r) => r.outcome).sort();
    expect(outcomes).toEqual(['pending', 'pending', 'pending', 'pending', 'requested']);
    expect(await consentsOf(p.id)).toHaveLength(1);
    expect(await ledgerOf(p.id)).toHaveLength(1);
    const mails = await mailsTo(p.email);
    expect(mails).toHaveLength(1);

    const token = tokenIn(mails[0]!.textBody);
    const states = (await Promise.all([click(token), click(token), click(token)]))
      .map((r) => r.headers.location)
      .sort();
    expect(states).toEqual([
      '/p/consent?state=already',
      '/p/consent?state=already',
      '/p/consent?state=confirmed',
    ]);
    expect((await ledgerOf(p.id)).map((e) => e.status)).toEqual(['pending', 'granted']);
  });
});

describe('merging people', () => {
  it('keeps the strongest consent per unit with the whole ledger; consents of other units move over', async () => {
    const keep = await newPerson();
    const dup = await newPerson();
    const other = await newPerson();
    // keep: pending for the Kreis; dup: granted for the Kreis and pending for the Land.
    expect((await askByHand(keep.id)).statusCode).toBe(201);
    expect((await askByHand(dup.id)).statusCode).toBe(201);
    expect((await click(tokenIn((await mailsTo(dup.email))[0]!.textBody))).headers.location).toBe(
      '/p/consent?state=confirmed',
    );
    const landAdmin = await loginAs(t, 'admin', orgs.landA);
    expect((await askByHand(dup.id, { orgId: orgs.landA }, landAdmin)).statusCode).toBe(201);
    expect((await askByHand(other.id)).statusCode).toBe(201);

    const merged = await organizer.post('/api/people/merge', {
      keepId: keep.id,
      mergeIds: [dup.id],
      fields: {},
    });
    expect(merged.statusCode, merged.body).toBe(200);
    const consents = await consentsOf(keep.id);
    expect(consents.map((c) => [c.orgId, c.status]).sort()).toEqual(
      [
        [orgs.kreisA1, 'granted'],
        [orgs.landA, 'pending'],
      ].sort(),
    );
    const kreis = consents.find((c) => c.orgId === orgs.kreisA1)!;
    const ledger = (await ledgerOf(keep.id)).filter((e) => e.consentId === kreis.id).map((e) => e.status);
    expect(ledger.sort()).toEqual(['granted', 'pending', 'pending']);
    expect(await consentsOf(other.id)).toHaveLength(1);
  });
});

describe('consent requests (Einwilligungsanfragen)', () => {
  it('the personal link of a consent request mail grants with source consent_request', async () => {
    const p = await newPerson();
    const mailing = await t.db
      .insertInto('mailings')
      .values({
        orgId: orgs.kreisA1,
        subject: 'Bleib informiert',
        purpose: 'consent_request',
        status: 'sending',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const messageId = `<${randomUUID()}@draht.test>`;
    const recipient = await t.db
      .insertInto('mailingRecipients')
      .values({
        mailingId: mailing.id,
        personId: p.id,
        orgId: orgs.kreisA1,
        email: p.email,
        domain: 'example.org',
        messageId,
        status: 'sent',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { token } = await issueLinkToken(t.db, {
      purpose: 'consent_request',
      subjectId: recipient.id,
      expiresAt: new Date(Date.now() + 30 * 86400_000),
      maxUses: null,
      createdBy: null,
    });

    expect((await click(token)).headers.location).toBe('/p/consent?state=confirmed');
    const [consent] = await consentsOf(p.id);
    expect(consent).toMatchObject({
      status: 'granted',
      source: 'consent_request',
      orgId: orgs.kreisA1,
      sourceRef: mailing.id,
      textHash: textHash(NEWSLETTER_DE),
    });
    const ledger = await ledgerOf(p.id);
    expect(ledger).toHaveLength(1);
    expect(ledger[0]).toMatchObject({ status: 'granted', source: 'consent_request' });
    expect(ledger[0]!.proof).toMatchObject({
      source: 'consent_request',
      mailingId: mailing.id,
      messageId,
      confirmedAt: expect.any(String),
      ipHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(await mailsTo(p.email)).toHaveLength(0);
    expect((await click(token)).headers.location).toBe('/p/consent?state=already');
  });
});

describe('smart-search kind consent', () => {
  it('counts granted, pending, revoked and none for the unit (a consent from above counts)', async () => {
    const city = `Zählstadt-${randomUUID().slice(0, 6)}`;
    const make = () => newPerson({ city });
    const [granted, fromLand, pending, revoked, none] = await Promise.all([
      make(),
      make(),
      make(),
      make(),
      make(),
    ]);
    const grant = async (personId: string, orgId: string) => {
      await requestConsent(ctx, {
        personId,
        channel: 'newsletter',
        purpose: 'newsletter',
        orgId,
        source: 'manual',
        sourceRef: null,
        recordedBy: null,
      });
      const [mail] = (
        await mailsTo(
          (
            await t.db
              .selectFrom('personEmails')
              .select('email')
              .where('personId', '=', personId)
              .executeTakeFirstOrThrow()
          ).email,
        )
      ).slice(-1);
      expect((await click(tokenIn(mail!.textBody))).headers.location).toBe('/p/consent?state=confirmed');
    };
    await grant(granted.id, orgs.kreisA1);
    await grant(fromLand.id, orgs.landA);
    await grant(revoked.id, orgs.kreisA1);
    await revokeConsent(ctx, { personId: revoked.id, source: 'unsubscribe' });
    expect((await askByHand(pending.id)).statusCode).toBe(201);
    // A consent of a unit below does not count for the Kreis.
    expect((await askByHand(none.id, { orgId: orgs.ortA1a })).statusCode).toBe(201);

    const count = async (consent: Record<string, unknown>, orgId = orgs.kreisA1) => {
      const res = await organizer.post('/api/queries/preview', {
        orgId,
        filter: {
          kind: 'group',
          op: 'and',
          children: [
            { kind: 'field', field: 'city', op: 'equals', value: city },
            { kind: 'consent', ...consent },
          ],
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      return res.json().count;
    };
    expect(await count({ status: 'granted' })).toBe(2);
    expect(await count({ status: 'pending' })).toBe(1);
    expect(await count({ status: 'revoked' })).toBe(1);
    expect(await count({ status: 'none' })).toBe(1);
    expect(await count({ status: 'granted', not: true })).toBe(3);
    expect(await count({ status: 'pending', orgId: orgs.ortA1a })).toBe(2);
    expect(await count({ status: 'granted', orgId: orgs.landA })).toBe(1);
    const sideways = await organizer.post('/api/queries/preview', {
      orgId: orgs.kreisA1,
      filter: { kind: 'consent', status: 'granted', orgId: orgs.kreisB1 },
    });
    expect(sideways.statusCode).toBe(400);
    expect(sideways.json().error.message).toMatch(/\(consent\): unit .* is not available/);
  });
});
