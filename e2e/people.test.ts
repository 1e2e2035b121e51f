import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, loginAs, type StartedServer, startServer } from './server.ts';

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

/** Last night's export of the member system: Windows-1252, semicolons, German headers and dates. */
function memberSystemCsv(): Buffer {
  const lines = [
    'Mitglieds-Nr.;Vorname;Nachname;Straße;PLZ;Ort;E-Mail;Tel. privat;Geburtsdatum;Eintrittsdatum',
    '900001;Jürgen;Weißgärber;Königsbrücker Straße 12;01099;Dresden;jw@example.org;0351 / 123 45-6;31.12.1980;01.03.2010',
    '900002;Hannelore;Öztürk;Karl-Liebknecht-Str. 3;04107;Leipzig;hannelore@example.org;0341 9876543;02.01.1955;15.06.1990',
    '900003;Hanna;Öztürk;Karl-Liebknecht-Str. 3;04107;Leipzig;hannelore@example.org;0341 9876544;03.01.1955;15.06.1990',
    '900004;Kaputt;Datum;Weg 1;01067;Dresden;kaputt@example;keine;31.02.1980;01.01.2020',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`, 'latin1');
}

describe('people database in the browser', () => {
  it('an organizer imports a German CSV, finds the people, and merges a duplicate', async () => {
    const page = await (await browser.newContext({ locale: 'de-DE' })).newPage();
    await loginAs(page, server, 'organizer.sachsen@demo.draht.local');

    await page.getByTestId('nav-imports').click();
    await page.getByTestId('import-file').setInputFiles({
      name: 'mitglieder.csv',
      mimeType: 'text/csv',
      buffer: memberSystemCsv(),
    });
    await page.getByTestId('import-mapping').waitFor();
    // The check before the run reports the broken row; the others are ready.
    const preview = page.getByTestId('import-preview');
    await preview.waitFor();
    expect(await preview.textContent()).toContain('Weißgärber');
    await page.getByTestId('import-start').click();
    const created = page.getByTestId('import-count-created');
    await expect.poll(async () => created.textContent(), { timeout: 30_000 }).toContain('3');
    await page.getByTestId('import-errors-csv').waitFor();

    await page.getByTestId('nav-people').click();
    await page.getByLabel('Suche').fill('weißgärber 0351');
    const rows = page.getByTestId('person-row');
    await expect
      .poll(async () => (await rows.allTextContents()).join(' | '), { timeout: 15_000 })
      .toMatch(/^[^|]*Jürgen[^|]*$/);

    // The two Öztürks share an email address: a likely duplicate.
    await page.getByTestId('nav-duplicates').click();
    await page.getByTestId('duplicates-scan').click();
    const pair = page.getByTestId('duplicate-row').filter({ hasText: 'Öztürk' });
    await pair.first().waitFor({ timeout: 30_000 });
    await pair.first().getByTestId('duplicate-compare').click();
    await page.getByTestId('compare-table').waitFor();
    await page.getByTestId('merge-open').click();
    await page.getByTestId('confirm-button').click();
    await expect.poll(async () => pair.count(), { timeout: 15_000 }).toBe(0);

    await page.getByTestId('nav-people').click();
    await page.getByLabel('Suche').fill('Öztürk');
    await expect.poll(async () => page.getByTestId('person-row').count(), { timeout: 15_000 }).toBe(1);
  });
});
