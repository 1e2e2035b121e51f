import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, loginAs, type StartedServer, screenshotIfAsked, startServer } from './server.ts';

let server: StartedServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('newsletter consents from an import', () => {
  it('asks for the legal basis when a consent column is mapped and reports the consents requested', async () => {
    const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
    await loginAs(page, server, 'organizer.sachsen@demo.draht.local');
    await page.getByTestId('nav-imports').click();
    const csv = [
      'Mitgliedsnummer;Vorname;Nachname;E-Mail;Newsletter',
      'NL-E2E-1;Nele;Brief;nele.brief@example.org;ja',
      'NL-E2E-2;Olaf;Post;olaf.post@example.org;nein',
    ].join('\r\n');
    await page.getByTestId('import-file').setInputFiles({
      name: 'newsletter.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(`${csv}\r\n`),
    });
    const card = page.getByTestId('import-consent');
    await card.waitFor();
    await page.getByTestId('import-start').click();
    await expect
      .poll(async () => card.textContent())
      .toContain('Gib an, worauf sich die Einwilligungen stützen.');
    await page
      .getByTestId('import-consent-legal-basis')
      .fill('Die Einwilligungen liegen schriftlich vor (Mitgliedsanträge).');
    await screenshotIfAsked(page, 'import-consent-form');
    await page.getByTestId('import-start').click();
    const requested = page.getByTestId('import-consents-requested');
    await expect
      .poll(async () => requested.textContent(), { timeout: 30_000 })
      .toContain('1 Newsletter-Einwilligung angefragt');
    await screenshotIfAsked(page, 'import-consent-done');
  });
});
