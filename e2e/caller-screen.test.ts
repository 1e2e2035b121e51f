import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, apiOf, newPage, orgBySlug, serverAndBrowser, signedInPage } from './server.ts';

/**
 * The caller screen on a phone (issue "The first hour"): after "Speichern & nächster" the next
 * person is at the top with the focus on their name; nothing is cut off or scrolls sideways at
 * 360 px; a paused assignment says it is paused and who to ask instead of "not found".
 */

const e2e = serverAndBrowser({ beforeAll, afterAll });
const CALLER = 'caller.dresden@demo.draht.local';

/** Does the page scroll sideways? (The document is wider than the viewport.) */
const scrollsSideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);

/** Is the element's text cut off (wider than the box that shows it, or outside its parent)? */
const isCutOff = (page: Page, testId: string) =>
  page
    .getByTestId(testId)
    .first()
    .evaluate((el) => {
      const parent = (el.parentElement as HTMLElement).getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return el.scrollWidth > el.clientWidth + 1 || box.right > parent.right + 1 || box.width < 8;
    });

describe('the caller screen on a phone', () => {
  it('next person at the top with focus on the name; nothing cut off at 360 px; paused says so', async () => {
    const organizer = await signedInPage(e2e.browser, e2e.server, 'organizer.sachsen@demo.draht.local');
    const api = apiOf(organizer, e2e.server);
    const dresden = await orgBySlug(api, 'kreisverband-dresden');
    const list = await api('POST', '/api/queries', {
      orgId: dresden.id,
      name: 'Alle in Dresden (Telefon)',
      filter: { kind: 'group', op: 'and', children: [] },
      mode: 'dynamic',
    });
    const members = (await api('GET', `/api/orgs/${dresden.id}/memberships`)).items;
    const caller = members.find((m: { email: string }) => m.email === CALLER);
    const assignment = async (title: string, status: string) => {
      const a = await api('POST', '/api/call-assignments', {
        orgId: dresden.id,
        title,
        targetQueryId: list.id,
        status,
        // A long script and questions: the page is taller than the phone, as in real assignments.
        script: 'Hallo {{firstName}}, hier ist {{callerName}}. '.repeat(12),
        questions: [
          { type: 'yes_no', text: 'Kommst du zum Sommerfest?' },
          {
            type: 'single_choice',
            text: 'Welches Thema ist dir wichtig?',
            options: ['Miete', 'Klima', 'Bus'],
          },
          { type: 'free_text', text: 'Was sollen wir wissen?' },
        ],
        callingHours: ALWAYS_OPEN,
      });
      await api('POST', `/api/call-assignments/${a.id}/callers`, { userId: caller.userId });
      return a;
    };
    const open = await assignment('Neumitglieder in Dresden begrüßen – Herbst', 'open');
    const paused = await assignment('Sommerfest-Einladungen', 'paused');

    const phone = await newPage(e2e.browser, { viewport: { width: 360, height: 780 } });
    await phone.goto(`${e2e.server.url}/login`);
    await phone.getByLabel('E-Mail').fill(CALLER);
    await phone.getByLabel('Passwort', { exact: true }).fill(e2e.server.credentials.get(CALLER)!);
    await phone.getByRole('button', { name: 'Anmelden' }).click();
    await phone.getByTestId('instruction-confirm').click();
    await phone.getByTestId('start-greeting').waitFor();

    // The list: the status badge says "Offen" in full, nothing scrolls sideways.
    await phone.goto(`${e2e.server.url}/calls`);
    const item = phone.getByTestId('my-assignment').filter({ hasText: open.title });
    await item.waitFor();
    const badge = item.locator('.mantine-Badge-label');
    expect(await badge.textContent()).toBe('Offen');
    expect(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    expect(await scrollsSideways(phone)).toBe(false);

    // A call: the phone type ("Mobil"/"Festnetz") is whole, nothing scrolls sideways.
    await item.click();
    await phone.getByTestId('call-next').click();
    await phone.getByTestId('call-name').waitFor();
    expect(await isCutOff(phone, 'call-dial-type')).toBe(false);
    expect(await scrollsSideways(phone)).toBe(false);

    // At 390 × 844: scrolled down to the outcome, "Speichern & nächster" brings the next person to
    // the top with the focus on their name.
    await phone.setViewportSize({ width: 390, height: 844 });
    const first = await phone.getByTestId('call-name').textContent();
    await phone.getByTestId('call-outcome-no_answer').scrollIntoViewIfNeeded();
    await phone.getByTestId('call-outcome-no_answer').click();
    expect(await phone.evaluate(() => window.scrollY)).toBeGreaterThan(300);
    await phone.getByTestId('call-save-next').click();
    await expect
      .poll(async () => phone.getByTestId('call-name').textContent(), { timeout: 10_000 })
      .not.toBe(first);
    await expect.poll(async () => phone.evaluate(() => window.scrollY), { timeout: 5_000 }).toBe(0);
    expect(await phone.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('call-name');
    const nameBox = await phone.getByTestId('call-name').boundingBox();
    expect(nameBox!.y + nameBox!.height).toBeLessThan(844);

    // The break at 360 px: every tile's label ("Anmeldungen") stays inside its tile.
    await phone.setViewportSize({ width: 360, height: 780 });
    await phone.getByTestId('take-break').first().click();
    await phone.getByTestId('break-summary').waitFor();
    for (const key of ['calls', 'reached', 'signUps']) {
      const tile = phone.getByTestId(`break-${key}`).locator('xpath=..');
      const fits = await tile.evaluate((el) =>
        [...el.children].every((c) => c.scrollWidth <= (c as HTMLElement).clientWidth + 1),
      );
      expect({ key, fits }).toEqual({ key, fits: true });
    }
    expect(await scrollsSideways(phone)).toBe(false);

    // A paused assignment: paused, and whose organizers to ask — not "not found".
    await phone.goto(`${e2e.server.url}/calls/${paused.id}`);
    const notOpen = phone.getByTestId('assignment-not-open');
    await notOpen.waitFor();
    expect(await notOpen.getAttribute('data-status')).toBe('paused');
    const text = (await notOpen.textContent()) ?? '';
    expect(text).toContain('pausiert');
    expect(text).toContain('Kreisverband Dresden');
    expect(text).not.toContain('nicht gefunden');
    expect(await scrollsSideways(phone)).toBe(false);
    await phone.context().close();
    await organizer.context().close();
  });
});
