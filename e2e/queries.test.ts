import fs from 'node:fs';
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

describe('smart search in the browser', () => {
  it('an organizer builds a 4-filter list, watches the count, saves it and exports its people', async () => {
    const page = await (await browser.newContext({ locale: 'de-DE', acceptDownloads: true })).newPage();
    await loginAs(page, server, 'organizer.sachsen@demo.draht.local');
    await page.getByTestId('nav-queries').click();
    await page.getByTestId('query-new').click();

    const counter = page.getByTestId('query-count');
    const countNow = async () => Number((await counter.textContent())?.replace(/\D/g, ''));
    await expect.poll(countNow, { timeout: 15_000 }).toBeGreaterThan(0);
    const everyone = await countNow();

    const add = async (kind: string) => {
      await page.getByTestId('filter-add').click();
      await page.getByTestId(`filter-add-${kind}`).click();
    };
    await add('status'); // members
    await expect.poll(countNow, { timeout: 15_000 }).toBeLessThan(everyone);
    const members = await countNow();
    await add('postalCode');
    await page.getByTestId('filter-postal-codes').fill('0');
    await page.keyboard.press('Enter');
    await add('age'); // 18 and older
    await add('contact');
    await page.getByTestId('filter-channel').getByText('hat Handynummer').click();
    await expect.poll(countNow, { timeout: 15_000 }).toBeLessThan(members);
    // The live count is debounced: take it once it has stopped changing.
    let final = await countNow();
    for (let previous = -1; previous !== final; ) {
      previous = final;
      await page.waitForTimeout(1500);
      final = await countNow();
    }
    expect(final).toBeGreaterThan(0);
    expect(await page.getByTestId('filter-row').count()).toBe(4);

    await page.getByTestId('query-name').fill('Mitglieder mit Handy');
    await page.getByTestId('query-save').click();
    await page.getByTestId('result-row').first().waitFor({ timeout: 15_000 });
    await expect
      .poll(async () => page.getByTestId('result-count').textContent())
      .toContain(final.toLocaleString('de-DE'));

    await page.getByTestId('export-open').click();
    await page.getByTestId('export-format').getByText('CSV').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-submit').click(),
    ]);
    const csv = fs.readFileSync((await download.path())!, 'utf8');
    expect(csv.trim().split('\r\n')).toHaveLength(final + 1);

    await page.getByTestId('nav-queries').click();
    // The new list beside the demo's two lists of the Landesverband.
    await expect
      .poll(async () => page.getByTestId('query-row').allTextContents())
      .toEqual(
        expect.arrayContaining([
          expect.stringContaining('Mitglieder mit Handy'),
          expect.stringContaining('Mitglieder Sachsen'),
          expect.stringContaining('Interessierte in Dresden'),
        ]),
      );
    expect(await page.getByTestId('query-row').count()).toBe(3);
  });
});
