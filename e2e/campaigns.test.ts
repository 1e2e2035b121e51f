import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, apiOf, serverAndBrowser, signedInPage } from './server.ts';

const e2e = serverAndBrowser({ beforeAll, afterAll });

const signedIn = (email: string) => signedInPage(e2e.browser, e2e.server, email, { acceptDownloads: true });

describe('national campaigns in the browser', () => {
  it('the federal office sets up a campaign, Sachsen (by Kreis) and Thüringen join, add questions and call; each sees its evaluation', async () => {
    const admin = await signedIn('admin@demo.draht.local');
    await admin.getByTestId('nav-campaigns').click();
    await admin.getByTestId('campaign-new').click();
    await admin.getByTestId('campaign-title').fill('Mieten runter');
    await admin.getByTestId('question-add').click();
    await admin.getByLabel('Frage 1').fill('Unterstützt du den Mietendeckel?');
    await admin.getByTestId('campaign-save').click();
    await admin.waitForURL(/\/campaigns\/[0-9a-f-]{36}$/);
    const campaignId = admin.url().split('/').pop() as string;

    await admin.getByTestId('call-centre-add').click();
    await admin.getByTestId('call-centre-unit').click();
    await admin.getByRole('option', { name: 'Landesverband Sachsen', exact: true }).click();
    await admin.getByText('Nach Kreisverbänden').click();
    await admin.getByTestId('call-centre-submit').click();
    await expect
      .poll(() => admin.getByTestId('call-centre-assignment').count(), { timeout: 15_000 })
      .toBeGreaterThan(1);
    const beforeThueringen = await admin.getByTestId('call-centre-assignment').count();
    await admin.getByTestId('call-centre-add').click();
    await admin.getByTestId('call-centre-unit').click();
    await admin.getByRole('option', { name: 'Landesverband Thüringen', exact: true }).click();
    await admin.getByTestId('call-centre-submit').click();
    await expect
      .poll(() => admin.getByTestId('call-centre-assignment').count(), { timeout: 15_000 })
      .toBe(beforeThueringen + 1);

    // The rules allow calling at any time, so the test does not depend on the clock.
    const api = apiOf(admin, e2e.server);
    await api('PATCH', `/api/campaigns/${campaignId}`, {
      rules: { maxAttempts: 3, cooldownHours: 24, callingHours: ALWAYS_OPEN },
    });
    const campaign = await api('GET', `/api/campaigns/${campaignId}`);
    const assignments = await Promise.all(
      campaign.callCentres[0].assignmentIds.map((id: string) => api('GET', `/api/call-assignments/${id}`)),
    );
    const orgs = (await api('GET', '/api/orgs')).items as { id: string; slug: string }[];
    const dresdenId = orgs.find((o) => o.slug === 'kreisverband-dresden')?.id;
    const dresden = assignments.find((a: { orgId: string }) => a.orgId === dresdenId);
    expect(dresden).toBeTruthy();
    const thueringenCentre = campaign.callCentres.find((c: { orgName: string }) =>
      c.orgName.includes('Thüringen'),
    );
    const [thueringen] = thueringenCentre.assignmentIds;

    const caller = await signedIn('caller.dresden@demo.draht.local');
    const callerApi = apiOf(caller, e2e.server);
    const me = await callerApi('GET', '/api/auth/me');
    await api('POST', `/api/call-assignments/${dresden.id}/callers`, { userId: me.user.id });
    for (const [i, outcome] of ['reached', 'no_answer', 'reached'].entries()) {
      const { call } = await callerApi('POST', `/api/call-assignments/${dresden.id}/next`);
      await callerApi('POST', `/api/calls/${call.id}/outcome`, {
        clientId: randomUUID(),
        outcome,
        ...(outcome === 'reached'
          ? { answers: [{ questionId: campaign.questions[0].id, value: i === 0 }] }
          : {}),
      });
    }

    // Thüringen adds its own question in the UI, then its caller calls with it.
    const thOrganizer = await signedIn('organizer.thueringen@demo.draht.local');
    await thOrganizer.goto(`${e2e.server.url}/campaigns/${campaignId}`);
    await thOrganizer.getByTestId('campaign-read-only').waitFor();
    await thOrganizer.getByTestId('regional-question-add').click();
    await thOrganizer
      .getByTestId('regional-editor')
      .getByLabel('Frage 1')
      .fill('Kommst du zum Sommerfest in Erfurt?');
    await thOrganizer.getByTestId('call-centre-save').click();
    await thOrganizer.getByText('1 regionale Frage').waitFor();
    const erfurt = await signedIn('caller.erfurt@demo.draht.local');
    const erfurtApi = apiOf(erfurt, e2e.server);
    const erfurtMe = await erfurtApi('GET', '/api/auth/me');
    await api('POST', `/api/call-assignments/${thueringen}/callers`, { userId: erfurtMe.user.id });
    for (const value of [true, false]) {
      const { call } = await erfurtApi('POST', `/api/call-assignments/${thueringen}/next`);
      // National first, then Thüringen's own question; nothing of Sachsen's.
      expect(call.questions.map((q: { text: string }) => q.text)).toEqual([
        'Unterstützt du den Mietendeckel?',
        'Kommst du zum Sommerfest in Erfurt?',
      ]);
      await erfurtApi('POST', `/api/calls/${call.id}/outcome`, {
        clientId: randomUUID(),
        outcome: 'reached',
        answers: call.questions.map((q: { id: string }) => ({ questionId: q.id, value })),
      });
    }

    // Sachsen sees the national part read-only and edits its own questions.
    const sachsen = await signedIn('organizer.sachsen@demo.draht.local');
    await sachsen.goto(`${e2e.server.url}/campaigns/${campaignId}`);
    await sachsen.getByTestId('campaign-read-only').waitFor();
    await sachsen.getByTestId('regional-question-add').click();
    await sachsen.getByTestId('regional-editor').getByLabel('Frage 1').fill('Kommst du zum Landesparteitag?');
    await sachsen.getByTestId('call-centre-save').click();
    await sachsen.getByText('1 regionale Frage').waitFor();

    await sachsen.getByTestId('campaign-dashboard-link').click();
    await sachsen.getByTestId('campaign-dashboard').waitFor();
    await expect
      .poll(() => sachsen.getByTestId('stat-calls-value').textContent(), { timeout: 15_000 })
      .toBe('3');
    expect(await sachsen.getByTestId('stat-reached-value').textContent()).toBe('2');

    // The region sees only its own: no Thüringen anywhere on its dashboard.
    expect(await sachsen.getByTestId('by-region').textContent()).not.toContain('Thüringen');

    await admin.goto(`${e2e.server.url}/campaigns/${campaignId}/dashboard`);
    await expect
      .poll(() => admin.getByTestId('stat-calls-value').textContent(), { timeout: 15_000 })
      .toBe('5');
    const regions = await admin.getByTestId('region-row').allTextContents();
    expect(regions.some((r) => r.includes('Landesverband Sachsen'))).toBe(true);
    expect(regions.some((r) => r.includes('Landesverband Thüringen'))).toBe(true);
    // Crosstab: the national question × region, exported as CSV.
    await admin.getByTestId('crosstab-rows').click();
    await admin.getByRole('option', { name: 'Unterstützt du den Mietendeckel?' }).click();
    await admin.getByTestId('crosstab-columns').click();
    await admin.getByRole('option', { name: 'Region', exact: true }).click();
    // Answers as rows and units as columns (the default table has the units as rows).
    await expect
      .poll(() => admin.getByTestId('crosstab-table').locator('thead').textContent(), { timeout: 15_000 })
      .toContain('Landesverband Thüringen');
    const [questionByRegion] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByTestId('export-crosstab-csv').click(),
    ]);
    const csv = fs.readFileSync((await questionByRegion.path()) as string, 'utf8').replace(/^\uFEFF/, '');
    const csvLines = csv.trim().split('\r\n');
    expect(csvLines[0]).toBe(';Landesverband Sachsen;Landesverband Thüringen;Summe');
    expect(csvLines.slice(1)).toEqual(['Ja;1;1;2', 'Nein;1;1;2', 'Summe;2;2;4']);

    await admin.getByTestId('region-drill').first().click();
    await expect
      .poll(() => admin.getByTestId('region-breadcrumb').textContent(), { timeout: 15_000 })
      .toContain('Sachsen');
    await admin.getByTestId('crosstab-table').waitFor();
    // Every Kreis of Sachsen's call centre is listed, those nobody called yet with zeros.
    await expect.poll(() => admin.getByTestId('region-row').count(), { timeout: 15_000 }).toBe(3);
    expect(await admin.locator('[data-testid="region-row"][data-calls="0"]').count()).toBeGreaterThan(0);
    // Drill-down and crosstab live in the URL: a reload shows the same, "back" goes up again.
    await admin.getByTestId('crosstab-percent').getByText('% der Zeile').click();
    await expect.poll(() => admin.url()).toContain('percent=row');
    expect(admin.url()).toMatch(/region=[0-9a-f-]{36}/);
    await admin.reload();
    await expect
      .poll(() => admin.getByTestId('region-breadcrumb').textContent(), { timeout: 15_000 })
      .toContain('Landesverband Sachsen');
    await expect
      .poll(() => admin.getByTestId('crosstab-table').textContent(), { timeout: 15_000 })
      .toContain('%');
    await expect
      .poll(() => admin.getByTestId('crosstab-rows').inputValue(), { timeout: 15_000 })
      .toBe('Unterstützt du den Mietendeckel?');
    await admin.goBack();
    await expect.poll(() => admin.url()).not.toContain('percent=');
    await admin.goBack();
    await expect
      .poll(() => admin.getByTestId('region-breadcrumb').textContent(), { timeout: 15_000 })
      .toBe('Bundesverband');
    await admin.goForward();
    await expect
      .poll(() => admin.getByTestId('region-breadcrumb').textContent(), { timeout: 15_000 })
      .toContain('Sachsen');
    const [download] = await Promise.all([
      admin.waitForEvent('download'),
      admin.getByTestId('export-crosstab-csv').click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
  });
});
