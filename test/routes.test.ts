import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteEntry } from '../src/server/http/auth.plugin.ts';
import { type Client, createTestApp, type TestApp } from './app.ts';
import { loginAs, makeOrgTree, makeUser, type OrgTree } from './factories.ts';

/** Routes open to everyone, on purpose. Adding one here is a decision: say why in its route. */
const PUBLIC_API = new Set([
  'GET /api/health',
  'POST /api/auth/login',
  'POST /api/auth/logout',
  'POST /api/auth/password-reset',
  'POST /api/auth/password-reset/:token',
  'GET /api/invitations/:token',
  'POST /api/invitations/:token/accept',
  'GET /api/call-invites/:token',
  'POST /api/call-invites/:token/accept',
  'GET /api/openapi.json',
]);
/** Everything below it is public by construction: the public plugin registers it (no allow-list). */
const PUBLIC_SURFACE = '/api/public/';

let t: TestApp;
let orgs: OrgTree;

beforeAll(async () => {
  t = await createTestApp();
  orgs = await makeOrgTree(t.db);
});
afterAll(() => t.close());

const methodsOf = (r: RouteEntry) =>
  (Array.isArray(r.method) ? r.method : [r.method]).filter((m) => m !== 'HEAD');
const apiRoutes = () =>
  t.app.routeTable.filter((r) => r.url.startsWith('/api/') && !r.url.startsWith('/api/docs'));
const fill = (url: string) =>
  url
    .replace(':token', 'x'.repeat(43))
    .replace(':userId', '00000000-0000-4000-8000-000000000001')
    .replace(':id', '00000000-0000-4000-8000-000000000002');

describe('route guard', () => {
  it('every registered route declares a permission or public: true', () => {
    expect(t.app.routeTable.length).toBeGreaterThan(20);
    const undeclared = t.app.routeTable.filter((r) => !r.config?.permission && !r.config?.public);
    expect(undeclared).toEqual([]);
  });

  it('public API routes are exactly the allow-list, plus the public surface below /api/public/', () => {
    const publicApi = apiRoutes()
      .filter((r) => r.config?.public && !r.url.startsWith(PUBLIC_SURFACE))
      .flatMap((r) => methodsOf(r).map((m) => `${m} ${r.url}`));
    expect(new Set(publicApi)).toEqual(PUBLIC_API);
    // Public by construction (http/public.plugin.ts): every route there, and it is rate limited.
    const surface = apiRoutes().filter((r) => r.url.startsWith(PUBLIC_SURFACE));
    expect(surface.length).toBeGreaterThan(0);
    for (const r of surface) {
      const config = r.config as { public?: boolean; permission?: string; rateLimit?: unknown };
      expect({
        url: r.url,
        public: config.public,
        permission: config.permission,
        limited: !!config.rateLimit,
      }).toEqual({ url: r.url, public: true, permission: undefined, limited: true });
    }
  });

  it('every other API route answers 401 without a session or token', async () => {
    const protectedRoutes = apiRoutes().filter((r) => !r.config?.public);
    expect(protectedRoutes.length).toBeGreaterThan(15);
    for (const route of protectedRoutes) {
      for (const method of methodsOf(route)) {
        const res = await t.app.inject({
          method: method as 'GET',
          url: fill(route.url),
          payload: method === 'GET' || method === 'DELETE' ? undefined : {},
        });
        expect({
          route: `${method} ${route.url}`,
          status: res.statusCode,
          code: res.json().error?.code,
        }).toEqual({
          route: `${method} ${route.url}`,
          status: 401,
          code: 'not_authenticated',
        });
      }
    }
  });

  it('a wrong or made-up bearer token is 401', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: '/api/orgs',
      headers: { authorization: 'Bearer draht_nope' },
    });
    expect(res.statusCode).toBe(401);
  });
});

describe('role × route matrix', () => {
  type Call = {
    key: string;
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    url: string;
    body?: unknown;
    headers?: Record<string, string>;
  };
  let calls: Call[];
  let clients: Record<'callerInTarget' | 'organizerInSibling' | 'adminInSibling' | 'adminInTarget', Client>;

  beforeAll(async () => {
    const target = orgs.kreisA1;
    const member = await makeUser(t.db, { memberships: [{ orgId: target, role: 'caller' }] });
    const inviter = await loginAs(t, 'admin', target);
    const person = (
      await inviter.post('/api/people', { orgId: target, lastName: 'Matrix', postalCode: '01067' })
    ).json();
    const tag = (await inviter.post(`/api/orgs/${target}/tags`, { name: 'Matrix' })).json();
    const twins = [];
    for (const lastName of ['Zwilling', 'Doppelt']) {
      const body = { orgId: target, lastName, emails: [{ email: 'twin@example.org' }] };
      twins.push((await inviter.post('/api/people', body)).json());
    }
    await inviter.post('/api/duplicates/scan', { orgId: target });
    const candidate = (await inviter.get(`/api/duplicates?orgId=${target}`)).json().items[0];
    // A member-system export to import; multipart bodies are built by hand.
    const boundary = 'matrixboundary';
    const importBody = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="orgId"\r\n\r\n${target}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.csv"\r\n\r\n` +
        `Vorname;Nachname\nMax;Matrix\r\n--${boundary}--\r\n`,
    );
    const importHeaders = { 'content-type': `multipart/form-data; boundary=${boundary}` };
    const anImport = (
      await inviter.request({
        method: 'POST',
        url: '/api/imports',
        payload: importBody,
        headers: importHeaders,
      })
    ).json();
    const uploadToDiscard = (
      await inviter.request({
        method: 'POST',
        url: '/api/imports',
        payload: importBody,
        headers: importHeaders,
      })
    ).json();
    const savedList = (
      await inviter.post('/api/queries', {
        orgId: target,
        name: 'Matrix',
        filter: { kind: 'status', statuses: ['member'] },
      })
    ).json();
    const snapshotList = (
      await inviter.post('/api/queries', {
        orgId: target,
        name: 'Matrix fest',
        filter: { kind: 'group', op: 'and', children: [] },
        mode: 'snapshot',
        personIds: [person.id],
      })
    ).json();
    const invitation = (
      await inviter.post(`/api/orgs/${target}/invitations`, { email: 'matrix@example.org', role: 'caller' })
    ).json();
    const consent = (
      await inviter.post(`/api/people/${person.id}/consents`, { purpose: 'newsletter', orgId: target })
    ).json().consent;
    // Calls: an open assignment (callable around the clock) on a list of one person with a phone,
    // the admin added as its caller and holding a claim; a second one for the skip.
    const callList = (
      await inviter.post('/api/queries', {
        orgId: target,
        name: 'Matrix Anrufe',
        filter: { kind: 'field', field: 'lastName', op: 'equals', value: 'Anrufbar' },
      })
    ).json();
    const callPerson = await inviter.post('/api/people', {
      orgId: target,
      lastName: 'Anrufbar',
      phones: [{ number: '0171 1234567' }],
    });
    const allDay = [{ from: '00:00', to: '24:00' }];
    const callingHours = {
      mon: allDay,
      tue: allDay,
      wed: allDay,
      thu: allDay,
      fri: allDay,
      sat: allDay,
      sun: allDay,
    };
    const openAssignment = async () => {
      const created = await inviter.post('/api/call-assignments', {
        orgId: target,
        title: 'Matrix',
        targetQueryId: callList.id,
        callingHours,
        status: 'open',
      });
      await inviter.post(`/api/call-assignments/${created.json().id}/callers`, { userId: inviter.userId });
      const call = (await inviter.post(`/api/call-assignments/${created.json().id}/next`)).json().call;
      return { id: created.json().id as string, callId: call.id as string };
    };
    const assignment = await openAssignment();
    const skipAssignment = await openAssignment();
    const newCampaign = async () =>
      (
        await inviter.post('/api/campaigns', {
          orgId: target,
          title: 'Matrix-Kampagne',
          targetFilter: { kind: 'status', statuses: ['member'] },
        })
      ).json().id as string;
    const campaignId = await newCampaign();
    const joinCampaignId = await newCampaign();
    const callCentreId = (
      await inviter.post(`/api/campaigns/${campaignId}/call-centres`, { orgId: target })
    ).json().callCentreId as string;
    const followUpAssignment = await openAssignment();
    await inviter.post(`/api/calls/${followUpAssignment.callId}/outcome`, {
      clientId: 'matrix-follow-up',
      outcome: 'reached',
      followUp: { reason: 'Rückfrage' },
    });
    const inviteLink = (
      await inviter.post(`/api/call-assignments/${assignment.id}/invite-links`, { maxUses: 5 })
    ).json();
    // Mailings: the unit's mail settings, a list of one person with an address, a mailing to walk
    // through its states, and a template.
    await inviter.put(`/api/orgs/${target}/mail-settings`, {
      senderName: 'Matrix',
      senderAddressId: null,
      replyTo: null,
      footer: 'Kreis A1, Musterstraße 1, 01067 Dresden',
    });
    await inviter.post('/api/people', {
      orgId: target,
      lastName: 'Postfach',
      city: 'Matrixpost',
      emails: [{ email: 'matrix-post@example.org' }],
    });
    const mailList = (
      await inviter.post('/api/queries', {
        orgId: target,
        name: 'Matrix Post',
        filter: { kind: 'field', field: 'city', op: 'equals', value: 'Matrixpost' },
      })
    ).json();
    const newMailing = async () =>
      (
        await inviter.post('/api/mailings', {
          orgId: target,
          subject: 'Matrix',
          html: '<p>Hallo {{firstName}}</p>',
          purpose: 'member_info',
          queryId: mailList.id,
        })
      ).json().id as string;
    const mailingId = await newMailing();
    const mailingToCancel = await newMailing();
    const mailTemplate = (
      await inviter.post('/api/mail/templates', { orgId: target, name: 'Matrix' })
    ).json();
    // An image for mailings (a 1×1 PNG), uploaded as multipart like the imports.
    const imageBody = (png: Buffer) =>
      Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="m.png"\r\n\r\n`),
        png,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
      'base64',
    );
    const mailImage = (
      await inviter.request({
        method: 'POST',
        url: `/api/mail/images?orgId=${target}`,
        payload: imageBody(png),
        headers: importHeaders,
      })
    ).json();
    clients = {
      callerInTarget: await loginAs(t, 'caller', target),
      organizerInSibling: await loginAs(t, 'organizer', orgs.kreisA2),
      adminInSibling: await loginAs(t, 'admin', orgs.kreisA2),
      adminInTarget: inviter,
    };
    // Every org-scoped route, aimed at the target unit. Order matters only for the admin's run.
    calls = [
      { key: 'GET /api/orgs/:id', method: 'GET', url: `/api/orgs/${target}` },
      { key: 'PATCH /api/orgs/:id', method: 'PATCH', url: `/api/orgs/${target}`, body: { name: 'Kreis A1' } },
      {
        key: 'POST /api/orgs',
        method: 'POST',
        url: '/api/orgs',
        body: { name: 'Neu', kind: 'local', parentId: target },
      },
      {
        key: 'POST /api/orgs/catchment-check',
        method: 'POST',
        url: '/api/orgs/catchment-check',
        body: { parentId: target, postalCodes: ['01099'] },
      },
      { key: 'GET /api/orgs/:id/memberships', method: 'GET', url: `/api/orgs/${target}/memberships` },
      {
        key: 'PATCH /api/orgs/:id/memberships/:userId',
        method: 'PATCH',
        url: `/api/orgs/${target}/memberships/${member.id}`,
        body: { role: 'caller' },
      },
      { key: 'GET /api/orgs/:id/invitations', method: 'GET', url: `/api/orgs/${target}/invitations` },
      {
        key: 'GET /api/orgs/:id/changes',
        method: 'GET',
        url: `/api/orgs/${target}/changes?from=2026-01-01&to=2099-01-01`,
      },
      { key: 'GET /api/orgs/:id/change-digest', method: 'GET', url: `/api/orgs/${target}/change-digest` },
      {
        key: 'PUT /api/orgs/:id/change-digest',
        method: 'PUT',
        url: `/api/orgs/${target}/change-digest`,
        body: { frequency: 'weekly', recipientUserIds: [] },
      },
      {
        key: 'POST /api/orgs/:id/invitations',
        method: 'POST',
        url: `/api/orgs/${target}/invitations`,
        body: { email: 'm2@example.org', role: 'caller' },
      },
      { key: 'DELETE /api/invitations/:id', method: 'DELETE', url: `/api/invitations/${invitation.id}` },
      { key: 'GET /api/audit', method: 'GET', url: `/api/audit?orgId=${target}` },
      {
        key: 'GET /api/instruction/confirmations',
        method: 'GET',
        url: `/api/instruction/confirmations?orgId=${target}`,
      },
      { key: 'GET /api/people', method: 'GET', url: `/api/people?orgId=${target}` },
      {
        key: 'POST /api/people',
        method: 'POST',
        url: '/api/people',
        body: { orgId: target, lastName: 'Neu' },
      },
      { key: 'GET /api/people/:id', method: 'GET', url: `/api/people/${person.id}` },
      {
        key: 'PATCH /api/people/:id',
        method: 'PATCH',
        url: `/api/people/${person.id}`,
        body: { city: 'Dresden' },
      },
      { key: 'GET /api/people/:id/timeline', method: 'GET', url: `/api/people/${person.id}/timeline` },
      { key: 'GET /api/people/:id/consents', method: 'GET', url: `/api/people/${person.id}/consents` },
      {
        key: 'POST /api/people/:id/consents',
        method: 'POST',
        url: `/api/people/${person.id}/consents`,
        body: { purpose: 'newsletter', orgId: target },
      },
      {
        key: 'POST /api/people/:id/consents/:consentId/revoke',
        method: 'POST',
        url: `/api/people/${person.id}/consents/${consent.id}/revoke`,
        body: {},
      },
      {
        key: 'POST /api/people/:id/notes',
        method: 'POST',
        url: `/api/people/${person.id}/notes`,
        body: { text: 'Hallo' },
      },
      {
        key: 'PUT /api/people/:id/tags',
        method: 'PUT',
        url: `/api/people/${person.id}/tags`,
        body: { tagIds: [tag.id] },
      },
      {
        key: 'POST /api/people/bulk-tags',
        method: 'POST',
        url: '/api/people/bulk-tags',
        body: { orgId: target, personIds: [person.id], addTagIds: [tag.id] },
      },
      { key: 'GET /api/orgs/:id/tags', method: 'GET', url: `/api/orgs/${target}/tags` },
      {
        key: 'POST /api/orgs/:id/tags',
        method: 'POST',
        url: `/api/orgs/${target}/tags`,
        body: { name: 'Neu' },
      },
      { key: 'GET /api/orgs/:id/fields', method: 'GET', url: `/api/orgs/${target}/fields` },
      {
        key: 'POST /api/orgs/:id/fields',
        method: 'POST',
        url: `/api/orgs/${target}/fields`,
        body: { label: 'Feld', type: 'text' },
      },
      {
        key: 'POST /api/exports',
        method: 'POST',
        url: '/api/exports',
        body: { orgId: target, format: 'csv' },
      },
      { key: 'GET /api/duplicates', method: 'GET', url: `/api/duplicates?orgId=${target}` },
      { key: 'GET /api/duplicates/scan', method: 'GET', url: `/api/duplicates/scan?orgId=${target}` },
      {
        key: 'POST /api/duplicates/scan',
        method: 'POST',
        url: '/api/duplicates/scan',
        body: { orgId: target },
      },
      {
        key: 'POST /api/duplicates/:id/dismiss',
        method: 'POST',
        url: `/api/duplicates/${candidate.id}/dismiss`,
      },
      {
        key: 'POST /api/people/duplicate-check',
        method: 'POST',
        url: '/api/people/duplicate-check',
        body: { orgId: target, emails: ['twin@example.org'] },
      },
      {
        key: 'POST /api/people/merge',
        method: 'POST',
        url: '/api/people/merge',
        body: { keepId: twins[0].id, mergeIds: [twins[1].id], fields: {} },
      },
      { key: 'GET /api/imports', method: 'GET', url: `/api/imports?orgId=${target}` },
      {
        key: 'POST /api/imports',
        method: 'POST',
        url: '/api/imports',
        body: importBody,
        headers: importHeaders,
      },
      {
        key: 'PUT /api/imports/:id/mapping',
        method: 'PUT',
        url: `/api/imports/${anImport.id}/mapping`,
        body: { mapping: { Vorname: 'firstName', Nachname: 'lastName' }, mode: 'update' },
      },
      {
        key: 'POST /api/imports/:id/start',
        method: 'POST',
        url: `/api/imports/${anImport.id}/start`,
        body: {},
      },
      { key: 'GET /api/imports/:id', method: 'GET', url: `/api/imports/${anImport.id}` },
      {
        key: 'GET /api/imports/:id/errors.csv',
        method: 'GET',
        url: `/api/imports/${anImport.id}/errors.csv`,
      },
      { key: 'DELETE /api/imports/:id', method: 'DELETE', url: `/api/imports/${uploadToDiscard.id}` },
      {
        key: 'POST /api/queries/preview',
        method: 'POST',
        url: '/api/queries/preview',
        body: { orgId: target, filter: { kind: 'group', op: 'and', children: [] } },
      },
      { key: 'GET /api/queries', method: 'GET', url: `/api/queries?orgId=${target}` },
      {
        key: 'POST /api/queries',
        method: 'POST',
        url: '/api/queries',
        body: { orgId: target, name: 'Neu', filter: { kind: 'contact', channel: 'email' }, mode: 'snapshot' },
      },
      { key: 'GET /api/queries/:id', method: 'GET', url: `/api/queries/${savedList.id}` },
      {
        key: 'PATCH /api/queries/:id',
        method: 'PATCH',
        url: `/api/queries/${savedList.id}`,
        body: { name: 'Matrix 2' },
      },
      { key: 'GET /api/queries/:id/people', method: 'GET', url: `/api/queries/${savedList.id}/people` },
      {
        key: 'POST /api/queries/:id/members',
        method: 'POST',
        url: `/api/queries/${snapshotList.id}/members`,
        body: { personIds: [person.id] },
      },
      {
        key: 'POST /api/queries/:id/members/remove',
        method: 'POST',
        url: `/api/queries/${snapshotList.id}/members/remove`,
        body: { personIds: [person.id] },
      },
      { key: 'DELETE /api/queries/:id', method: 'DELETE', url: `/api/queries/${savedList.id}` },
      { key: 'GET /api/call-assignments', method: 'GET', url: `/api/call-assignments?orgId=${target}` },
      {
        key: 'POST /api/call-assignments',
        method: 'POST',
        url: '/api/call-assignments',
        body: { orgId: target, title: 'Neu', targetQueryId: callList.id },
      },
      { key: 'GET /api/call-assignments/:id', method: 'GET', url: `/api/call-assignments/${assignment.id}` },
      {
        key: 'GET /api/call-assignments/:id/progress',
        method: 'GET',
        url: `/api/call-assignments/${assignment.id}/progress`,
      },
      {
        key: 'PATCH /api/call-assignments/:id',
        method: 'PATCH',
        url: `/api/call-assignments/${assignment.id}`,
        body: { title: 'Matrix 2' },
      },
      {
        key: 'POST /api/call-assignments/:id/callers',
        method: 'POST',
        url: `/api/call-assignments/${assignment.id}/callers`,
        body: { userId: member.id },
      },
      {
        key: 'DELETE /api/call-assignments/:id/callers/:userId',
        method: 'DELETE',
        url: `/api/call-assignments/${assignment.id}/callers/${member.id}`,
      },
      {
        key: 'POST /api/call-assignments/:id/invite-links',
        method: 'POST',
        url: `/api/call-assignments/${assignment.id}/invite-links`,
        body: { maxUses: 3 },
      },
      {
        key: 'GET /api/call-assignments/:id/invite-links',
        method: 'GET',
        url: `/api/call-assignments/${assignment.id}/invite-links`,
      },
      {
        key: 'DELETE /api/call-assignments/:id/invite-links/:linkId',
        method: 'DELETE',
        url: `/api/call-assignments/${assignment.id}/invite-links/${inviteLink.id}`,
      },
      {
        key: 'GET /api/me/call-assignments/:id',
        method: 'GET',
        url: `/api/me/call-assignments/${assignment.id}`,
      },
      {
        key: 'POST /api/call-assignments/:id/next',
        method: 'POST',
        url: `/api/call-assignments/${assignment.id}/next`,
      },
      {
        key: 'POST /api/call-assignments/:id/heartbeat',
        method: 'POST',
        url: `/api/call-assignments/${assignment.id}/heartbeat`,
      },
      {
        key: 'POST /api/calls/:id/outcome',
        method: 'POST',
        url: `/api/calls/${assignment.callId}/outcome`,
        body: { clientId: 'matrix', outcome: 'no_answer' },
      },
      {
        key: 'POST /api/calls/:id/skip',
        method: 'POST',
        url: `/api/calls/${skipAssignment.callId}/skip`,
        body: {},
      },
      {
        key: 'GET /api/call-assignments/:id/calls',
        method: 'GET',
        url: `/api/call-assignments/${followUpAssignment.id}/calls`,
      },
      {
        key: 'GET /api/call-assignments/:id/follow-ups',
        method: 'GET',
        url: `/api/call-assignments/${followUpAssignment.id}/follow-ups`,
      },
      {
        key: 'POST /api/calls/:id/follow-up/resolve',
        method: 'POST',
        url: `/api/calls/${followUpAssignment.callId}/follow-up/resolve`,
      },
      {
        key: 'GET /api/call-assignments/:id/targets',
        method: 'GET',
        url: `/api/call-assignments/${assignment.id}/targets?q=anrufbar`,
      },
      {
        key: 'GET /api/call-assignments/:id/my-stats',
        method: 'GET',
        url: `/api/call-assignments/${assignment.id}/my-stats`,
      },
      {
        key: 'POST /api/call-assignments/:id/claim',
        method: 'POST',
        url: `/api/call-assignments/${skipAssignment.id}/claim`,
        body: { personId: callPerson.json().id },
      },
      {
        key: 'POST /api/campaigns',
        method: 'POST',
        url: '/api/campaigns',
        body: { orgId: target, title: 'Neu', targetFilter: { kind: 'status', statuses: ['member'] } },
      },
      { key: 'GET /api/campaigns', method: 'GET', url: `/api/campaigns?orgId=${target}` },
      { key: 'GET /api/campaigns/:id', method: 'GET', url: `/api/campaigns/${campaignId}` },
      {
        key: 'PATCH /api/campaigns/:id',
        method: 'PATCH',
        url: `/api/campaigns/${campaignId}`,
        body: { title: 'Matrix-Kampagne 2' },
      },
      {
        key: 'POST /api/campaigns/:id/call-centres',
        method: 'POST',
        url: `/api/campaigns/${joinCampaignId}/call-centres`,
        body: { orgId: target },
      },
      {
        key: 'PATCH /api/campaigns/:id/call-centres/:callCentreId',
        method: 'PATCH',
        url: `/api/campaigns/${campaignId}/call-centres/${callCentreId}`,
        body: { scriptAddendum: 'Regional' },
      },
      {
        key: 'POST /api/campaigns/:id/call-centres/:callCentreId/questions',
        method: 'POST',
        url: `/api/campaigns/${campaignId}/call-centres/${callCentreId}/questions`,
        body: { type: 'yes_no', text: 'Regional?' },
      },
      { key: 'GET /api/campaigns/:id/stats', method: 'GET', url: `/api/campaigns/${campaignId}/stats` },
      {
        key: 'GET /api/campaigns/:id/crosstab',
        method: 'GET',
        url: `/api/campaigns/${campaignId}/crosstab?rows=outcome&columns=region`,
      },
      {
        key: 'GET /api/campaigns/:id/export',
        method: 'GET',
        url: `/api/campaigns/${campaignId}/export?format=csv`,
      },
      { key: 'GET /api/orgs/:id/mail-settings', method: 'GET', url: `/api/orgs/${target}/mail-settings` },
      {
        key: 'PUT /api/orgs/:id/mail-settings',
        method: 'PUT',
        url: `/api/orgs/${target}/mail-settings`,
        body: {
          senderName: 'Matrix',
          senderAddressId: null,
          replyTo: null,
          footer: 'Kreis A1, Musterstraße 1',
        },
      },
      { key: 'GET /api/mail/templates', method: 'GET', url: `/api/mail/templates?orgId=${target}` },
      {
        key: 'POST /api/mail/templates',
        method: 'POST',
        url: '/api/mail/templates',
        body: { orgId: target, name: 'Matrix 2' },
      },
      {
        key: 'PATCH /api/mail/templates/:id',
        method: 'PATCH',
        url: `/api/mail/templates/${mailTemplate.id}`,
        body: { name: 'Matrix 3' },
      },
      {
        key: 'DELETE /api/mail/templates/:id',
        method: 'DELETE',
        url: `/api/mail/templates/${mailTemplate.id}`,
      },
      {
        key: 'POST /api/mail/images',
        method: 'POST',
        url: `/api/mail/images?orgId=${target}`,
        body: imageBody(Buffer.concat([png, Buffer.from('matrix')])),
        headers: importHeaders,
      },
      { key: 'GET /api/mail/images', method: 'GET', url: `/api/mail/images?orgId=${target}` },
      { key: 'DELETE /api/mail/images/:id', method: 'DELETE', url: `/api/mail/images/${mailImage.id}` },
      {
        key: 'POST /api/mailings',
        method: 'POST',
        url: '/api/mailings',
        body: { orgId: target, subject: 'Matrix', html: '', purpose: 'member_info', queryId: mailList.id },
      },
      { key: 'GET /api/mailings', method: 'GET', url: `/api/mailings?orgId=${target}` },
      { key: 'GET /api/mailings/:id', method: 'GET', url: `/api/mailings/${mailingId}` },
      {
        key: 'PATCH /api/mailings/:id',
        method: 'PATCH',
        url: `/api/mailings/${mailingId}`,
        body: { subject: 'Matrix 2' },
      },
      { key: 'GET /api/mailings/:id/reach', method: 'GET', url: `/api/mailings/${mailingId}/reach` },
      {
        key: 'GET /api/mailings/:id/reach/people',
        method: 'GET',
        url: `/api/mailings/${mailingId}/reach/people?reason=reachable`,
      },
      { key: 'GET /api/mailings/:id/preview', method: 'GET', url: `/api/mailings/${mailingId}/preview` },
      {
        key: 'POST /api/mailings/:id/test',
        method: 'POST',
        url: `/api/mailings/${mailingId}/test`,
        body: { email: 'matrix-test@example.org' },
      },
      {
        key: 'POST /api/mailings/:id/send',
        method: 'POST',
        url: `/api/mailings/${mailingId}/send`,
        body: {},
      },
      { key: 'GET /api/mailings/:id/progress', method: 'GET', url: `/api/mailings/${mailingId}/progress` },
      { key: 'POST /api/mailings/:id/pause', method: 'POST', url: `/api/mailings/${mailingId}/pause` },
      { key: 'POST /api/mailings/:id/resume', method: 'POST', url: `/api/mailings/${mailingId}/resume` },
      {
        key: 'POST /api/mailings/:id/cancel',
        method: 'POST',
        url: `/api/mailings/${mailingToCancel}/cancel`,
      },
      {
        key: 'POST /api/consent-requests',
        method: 'POST',
        url: '/api/consent-requests',
        body: { orgId: target, queryId: mailList.id },
      },
      { key: 'DELETE /api/people/:id', method: 'DELETE', url: `/api/people/${person.id}` },
      {
        key: 'DELETE /api/orgs/:id/memberships/:userId',
        method: 'DELETE',
        url: `/api/orgs/${target}/memberships/${member.id}`,
      },
    ];
  });

  /** Routes about one's own account: every signed-in user, no org involved. */
  const SELF = new Set([
    'GET /api/auth/me',
    'PATCH /api/auth/me',
    'POST /api/auth/password',
    'POST /api/auth/confirm-instruction',
    'POST /api/auth/totp/setup',
    'POST /api/auth/totp/enable',
    'POST /api/auth/totp/disable',
    'POST /api/tokens',
    'GET /api/tokens',
    'DELETE /api/tokens/:id',
    'GET /api/instruction',
    'GET /api/orgs',
    // One's own call assignments (every role holds calls:make; the list is empty for non-callers).
    'GET /api/me/call-assignments',
  ]);
  /** Not about one unit (descriptions only): every role with people:read, never callers. */
  const ORGLESS = new Set(['GET /api/queries/filter-kinds']);
  /** Instance administration: superadmins only. */
  const SUPERADMIN = [
    {
      key: 'PUT /api/instruction',
      method: 'PUT' as const,
      url: '/api/instruction',
      body: { text: 'x'.repeat(60) },
    },
    { key: 'GET /api/outbox', method: 'GET' as const, url: '/api/outbox' },
    {
      key: 'GET /api/outbox/:id',
      method: 'GET' as const,
      url: '/api/outbox/00000000-0000-4000-8000-000000000002',
    },
    { key: 'GET /api/jobs/failed', method: 'GET' as const, url: '/api/jobs/failed' },
    { key: 'GET /api/mail/sender-addresses', method: 'GET' as const, url: '/api/mail/sender-addresses' },
    {
      key: 'POST /api/mail/sender-addresses',
      method: 'POST' as const,
      url: '/api/mail/sender-addresses',
      body: { address: 'matrix@partei.example' },
    },
    {
      key: 'DELETE /api/mail/sender-addresses/:id',
      method: 'DELETE' as const,
      url: '/api/mail/sender-addresses/00000000-0000-4000-8000-000000000002',
    },
    {
      key: 'POST /api/jobs/failed/:id/retry',
      method: 'POST' as const,
      url: '/api/jobs/failed/00000000-0000-4000-8000-000000000002/retry',
    },
  ];

  it('covers every protected route (a new route must be added here)', () => {
    const covered = new Set([
      ...calls.map((c) => c.key),
      ...SELF,
      ...ORGLESS,
      ...SUPERADMIN.map((c) => c.key),
    ]);
    const protectedKeys = apiRoutes()
      .filter((r) => !r.config?.public)
      .flatMap((r) => methodsOf(r).map((m) => `${m} ${r.url}`));
    expect(protectedKeys.filter((k) => !covered.has(k))).toEqual([]);
  });

  it('a caller of the unit may read it and nothing else; sibling organizers and admins get 403/404', async () => {
    for (const call of calls) {
      for (const who of ['callerInTarget', 'organizerInSibling', 'adminInSibling'] as const) {
        const res = await clients[who].request({
          method: call.method,
          url: call.url,
          payload: call.body as object,
          headers: call.headers,
        });
        const allowed = who === 'callerInTarget' && call.key === 'GET /api/orgs/:id';
        expect({ who, call: call.key, denied: [403, 404].includes(res.statusCode) }).toEqual({
          who,
          call: call.key,
          denied: !allowed,
        });
      }
    }
  });

  it('unit-less people:read routes: callers are refused, organizers and admins anywhere allowed', async () => {
    for (const key of ORGLESS) {
      const url = key.split(' ')[1];
      expect((await clients.callerInTarget.get(url)).statusCode).toBe(403);
      expect((await clients.organizerInSibling.get(url)).statusCode).toBe(200);
      expect((await clients.adminInTarget.get(url)).statusCode).toBe(200);
    }
  });

  it('no org role reaches instance administration', async () => {
    for (const call of SUPERADMIN) {
      for (const who of Object.keys(clients) as (keyof typeof clients)[]) {
        const res = await clients[who].request({
          method: call.method,
          url: call.url,
          payload: call.body as object,
        });
        expect({ who, call: call.key, status: res.statusCode }).toEqual({ who, call: call.key, status: 403 });
      }
    }
  });

  it('the admin of the unit succeeds on every one of these routes', async () => {
    for (const call of calls) {
      const res = await clients.adminInTarget.request({
        method: call.method,
        url: call.url,
        payload: call.body as object,
        headers: call.headers,
      });
      expect({ call: call.key, ok: res.statusCode >= 200 && res.statusCode < 300 }).toEqual({
        call: call.key,
        ok: true,
      });
    }
  });
});
