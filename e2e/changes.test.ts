import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, screenshotIfAsked, serverAndBrowser, signedInPage } from './server.ts';

const s = serverAndBrowser({ beforeAll, afterAll });

describe('data-change mails in the browser', () => {
  it('an admin sees the changes of a Kreisverband and sets up its digest', async () => {
    const page = await signedInPage(s.browser, s.server, 'admin@demo.draht.local', {
      viewport: { width: 1440, height: 900 },
    });
    const api = apiOf(page, s.server);
    const orgs = (await api('GET', '/api/orgs')).items as { id: string; name: string; slug: string }[];
    const dresden = orgs.find((o) => o.name === 'Kreisverband Dresden')!;
    const person = (body: Record<string, unknown>) =>
      api('POST', '/api/people', { orgId: dresden.id, membershipStatus: 'member', ...body });
    const moving = await person({ firstName: 'Mia', lastName: 'Umzug', postalCode: '01067' });
    const leaving = await person({ firstName: 'Lars', lastName: 'Austritt', postalCode: '01099' });
    await person({ firstName: 'Nina', lastName: 'Neu', postalCode: '01069' });
    await api('PATCH', `/api/people/${moving.id}`, { postalCode: '04109' });
    await api('PATCH', `/api/people/${leaving.id}`, { membershipStatus: 'former' });

    await page.goto(`${s.server.url}/orgs/${dresden.id}/changes`);
    const rows = page.getByTestId('change-row');
    await expect.poll(() => rows.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(6);
    expect(await page.getByTestId('count-moved_out').textContent()).toContain('1');
    await screenshotIfAsked(page, 'changes-1440');
    await page.getByTestId('count-moved_out').click();
    await expect.poll(() => rows.count()).toBe(1);
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshotIfAsked(page, 'changes-390');

    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(`${s.server.url}/orgs`);
    await page.getByTestId(`org-open-${dresden.slug}`).click();
    const card = page.getByTestId('change-digest-card');
    await card.getByTestId('digest-frequency').click();
    await page.getByRole('option', { name: 'Wöchentlich (montags)' }).click();
    await card.getByRole('button', { name: 'Speichern' }).click();
    await expect
      .poll(async () => (await api('GET', `/api/orgs/${dresden.id}/change-digest`)).frequency)
      .toBe('weekly');
    await screenshotIfAsked(page, 'changes-digest-card-1440');
  });
});
