import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, newPage, orgBySlug, screenshotIfAsked, serverAndBrowser, signedInPage } from './server.ts';

const env = serverAndBrowser({ beforeAll, afterAll });

describe('newsletter consent with double opt-in', () => {
  it('an organizer asks on the profile, the person confirms by the mailed link, the profile shows the ledger', async () => {
    const { server, browser } = env;
    const page = await signedInPage(browser, server, 'organizer.sachsen@demo.draht.local', {
      viewport: { width: 1440, height: 1000 },
    });
    const api = apiOf(page, server);
    const dresden = await orgBySlug(api, 'kreisverband-dresden');
    const email = `marta-${Date.now()}@example.org`;
    const person = await api('POST', '/api/people', {
      orgId: dresden.id,
      firstName: 'Marta',
      lastName: 'Einwilligung',
      emails: [{ email }],
    });

    await page.goto(`${server.url}/people/${person.id}`);
    const card = page.getByTestId('person-consents');
    await card.getByText('Noch keine Einwilligung', { exact: false }).waitFor();
    await page.getByTestId('consent-request-open').click();
    await page.getByTestId('consent-request-source').click();
    await page.getByRole('option', { name: 'Veranstaltung' }).click();
    await page.getByLabel('Notiz (optional)').fill('Am Infostand beim Sommerfest');
    await page.getByTestId('consent-request-submit').click();
    await expect
      .poll(() => card.getByTestId('consent-status').textContent(), { timeout: 15_000 })
      .toBe('Bestätigung ausstehend');

    // The confirmation mail sits in the outbox (no SMTP here); the superadmin reads it.
    const admin = await signedInPage(browser, server, 'admin@demo.draht.local');
    const adminApi = apiOf(admin, server);
    const listed = (await adminApi('GET', '/api/outbox')).items.find((m: { to: string }) => m.to === email);
    const mail = await adminApi('GET', `/api/outbox/${listed.id}`);
    const link = /http:\/\/[^\s]+\/c\/[A-Za-z0-9_-]{43}/.exec(mail.text)?.[0];
    expect(link).toBeTruthy();

    // The person clicks the link in a browser of their own (no session).
    const visitor = await newPage(browser, { viewport: { width: 390, height: 844 } });
    await visitor.goto(link!.replace(/^http:\/\/[^/]+/, server.url));
    await visitor.getByTestId('public-consent').waitFor();
    expect(new URL(visitor.url()).pathname).toBe('/p/consent');
    expect(await visitor.getByTestId('public-consent').getAttribute('data-state')).toBe('confirmed');
    await screenshotIfAsked(visitor, 'consent-confirmed-390');
    await visitor.goto(link!.replace(/^http:\/\/[^/]+/, server.url));
    await visitor.getByTestId('public-consent').waitFor();
    expect(await visitor.getByTestId('public-consent').getAttribute('data-state')).toBe('already');

    await page.reload();
    await card.getByTestId('consent-item').first().waitFor();
    await expect
      .poll(() => card.getByTestId('consent-status').textContent(), { timeout: 15_000 })
      .toBe('erteilt');
    await card.getByTestId('consent-history-toggle').click();
    await card
      .getByTestId('consent-history')
      .getByText('Bestätigungslink geklickt', { exact: false })
      .waitFor();
    await card.scrollIntoViewIfNeeded();
    await screenshotIfAsked(page, 'consent-profile-1440');
    const timeline = page.getByTestId('person-timeline');
    await timeline.getByText('Newsletter-Einwilligung erteilt', { exact: false }).waitFor();

    await page.setViewportSize({ width: 390, height: 844 });
    await card.scrollIntoViewIfNeeded();
    await screenshotIfAsked(page, 'consent-profile-390');

    // Smart search: a granted newsletter consent for the Landesverband (the list's unit) does not
    // count her Kreis consent; for Kreisverband Dresden it does, beside the demo's consents of the
    // Landesverband (a consent from above lets the Kreis's newsletter reach them too).
    const sachsen = await orgBySlug(api, 'landesverband-sachsen');
    const atLand = (
      await api('POST', '/api/queries/preview', {
        orgId: sachsen.id,
        filter: { kind: 'consent', channel: 'newsletter', status: 'granted' },
      })
    ).count as number;
    await page.setViewportSize({ width: 1440, height: 1000 });
    await page.getByTestId('nav-queries').click();
    await page.getByTestId('query-new').click();
    const counter = page.getByTestId('query-count');
    const countNow = async () => Number((await counter.textContent())?.replace(/\D/g, ''));
    await expect.poll(countNow, { timeout: 15_000 }).toBeGreaterThan(1);
    await page.getByTestId('filter-add').click();
    await page.getByTestId('filter-add-consent').click();
    await expect.poll(countNow, { timeout: 15_000 }).toBe(atLand);
    await page.getByTestId('filter-consent-unit').click();
    await page.getByRole('option', { name: 'Kreisverband Dresden' }).click();
    await expect.poll(countNow, { timeout: 15_000 }).toBe(atLand + 1);
    await screenshotIfAsked(page, 'consent-filter-1440');

    // An expired link: the friendly page with a way to get a new one.
    await visitor.goto(`${server.url}/p/consent?state=expired#${'x'.repeat(43)}`);
    await visitor.getByTestId('consent-renew').waitFor();
    expect(new URL(visitor.url()).hash).toBe('');
    await visitor.getByTestId('consent-renew').click();
    await expect
      .poll(() => visitor.getByTestId('consent-renew-status').textContent())
      .toContain('neuer Link');
    await screenshotIfAsked(visitor, 'consent-expired-390');
  });
});
