import fs from 'node:fs';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, newPage, serverAndBrowser, signedInPage } from './server.ts';

const e2e = serverAndBrowser({ beforeAll, afterAll });
/** Screenshots for a human to look at, when SHOTS_DIR is set. */
const shotsDir = process.env.SHOTS_DIR;
async function shot(page: Page, name: string, fullPage = true) {
  if (!shotsDir) return;
  fs.mkdirSync(shotsDir, { recursive: true });
  await page.screenshot({ path: `${shotsDir}/${name}.png`, fullPage });
}
/** Signs each demo user in once (the instruction is confirmed then) and reuses the session. */
const sessions = new Map<string, BrowserContextOptions['storageState']>();
async function pageAs(email: string, options: BrowserContextOptions = {}): Promise<Page> {
  const stored = sessions.get(email);
  if (stored) {
    const page = await newPage(e2e.browser, { ...options, storageState: stored });
    await page.goto(e2e.server.url);
    await page.getByTestId('start-greeting').waitFor();
    return page;
  }
  const page = await signedInPage(e2e.browser, e2e.server, email, options);
  sessions.set(email, await page.context().storageState());
  return page;
}

const WIDTHS = [
  { name: 'desktop', viewport: { width: 1440, height: 900 } },
  { name: 'phone', viewport: { width: 390, height: 844 } },
] as const;

describe('the first hour', () => {
  it('start page: a caller gets "Jetzt anrufen", an organizer her assignments and imports, no "coming soon"', async () => {
    for (const { name, viewport } of WIDTHS) {
      const caller = await pageAs('caller.dresden@demo.draht.local', {
        viewport,
      });
      await caller.getByTestId('start-my-assignment').first().waitFor();
      expect(await caller.getByText('Demnächst in Draht').count()).toBe(0);
      await shot(caller, `start-caller-${name}`);
      await caller.getByTestId('start-call-now').first().click();
      await caller.waitForURL(/\/calls\/[0-9a-f-]{36}$/);

      const organizer = await pageAs('organizer.sachsen@demo.draht.local', {
        viewport,
      });
      await organizer.getByTestId('start-assignments').waitFor();
      await organizer.getByTestId('start-imports').waitFor();
      expect(await organizer.getByText('Demnächst in Draht').count()).toBe(0);
      await organizer.getByTestId('start-assignment-progress').first().waitFor();
      await shot(organizer, `start-organizer-${name}`);

      const admin = await pageAs('admin@demo.draht.local', { viewport });
      await admin.getByTestId('start-current-org').waitFor();
      await admin.waitForTimeout(500);
      await shot(admin, `start-admin-${name}`);
      await Promise.all([caller, organizer, admin].map((p) => p.context().close()));
    }
  });

  it('an organizer invites callers (the only role offered) into her unit', async () => {
    const organizer = await pageAs('organizer.sachsen@demo.draht.local');
    await organizer.goto(`${e2e.server.url}/members`);
    await organizer.getByTestId('invite-open').click();
    await organizer.getByTestId('invite-roles-hint').waitFor();
    const roles = await organizer.getByLabel('Rolle').locator('option').allTextContents();
    expect(roles).toEqual(['Anrufer*in']);
    await organizer.getByLabel('E-Mail').fill('neue.anruferin@example.org');
    await shot(organizer, 'invite-organizer-desktop');
    await organizer.getByTestId('invite-submit').click();
    await organizer.getByTestId('invitation-row').filter({ hasText: 'neue.anruferin@example.org' }).waitFor();
    await organizer.context().close();
  });

  it('import: a PNG gets its own translated reason, a Name-only file gets notes, an upload can be discarded', async () => {
    const page = await pageAs('organizer.sachsen@demo.draht.local', {
      viewport: { width: 1440, height: 900 },
    });
    await page.goto(`${e2e.server.url}/imports`);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48]);
    await page
      .getByTestId('import-file')
      .setInputFiles({ name: 'bild.png', mimeType: 'image/png', buffer: png });
    const alert = page.getByTestId('error-alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('weder eine CSV- noch eine Excel-Datei');
    expect(await alert.textContent()).not.toContain('Bitte prüfe deine Eingaben');
    await shot(page, 'import-png-desktop');

    await page.getByTestId('import-file').setInputFiles({
      name: 'namen.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('Name;Notiz\nMax;a\nErika;b\nJonas;c\n'),
    });
    const warnings = page.getByTestId('import-warnings');
    await warnings.waitFor();
    expect(await warnings.textContent()).toContain('keine Spalte für den Vornamen');
    expect(await page.getByText('Keine Probleme gefunden').count()).toBe(0);
    await shot(page, 'import-name-only-desktop');

    // "Andere Datei wählen" discards the upload; nothing is left "Nicht gestartet".
    await page.getByRole('button', { name: 'Andere Datei wählen' }).click();
    await page.getByTestId('import-dropzone').waitFor();
    await expect
      .poll(async () => page.getByTestId('import-list').getByText('namen.csv').count(), { timeout: 5000 })
      .toBe(0);
    await page.context().close();
  });

  it('creating a person with an existing email warns and offers the existing profile', async () => {
    for (const { name, viewport } of WIDTHS) {
      const page = await pageAs('organizer.sachsen@demo.draht.local', {
        viewport,
      });
      const api = apiOf(page, e2e.server);
      const orgId = (await api('GET', '/api/auth/me')).memberships[0].orgId as string;
      const email = `doppelt-${name}@example.org`;
      const existing = await api('POST', '/api/people', {
        orgId,
        firstName: 'Doris',
        lastName: 'Doppelt',
        city: 'Dresden',
        emails: [{ email }],
      });
      await page.goto(`${e2e.server.url}/people`);
      await page.getByTestId('person-create-open').click();
      await page.getByLabel('Vorname').fill('Doris');
      await page.getByLabel('Nachname').fill('Doppelt-Neu');
      await page.getByLabel('E-Mail-Adresse 1', { exact: true }).fill(email.toUpperCase());
      await page.getByTestId('person-create-submit').click();
      const warning = page.getByTestId('possible-duplicates');
      await warning.waitFor();
      expect(await warning.textContent()).toContain('Doris Doppelt');
      await page.waitForTimeout(600);
      await shot(page, `person-duplicate-${name}`, false);
      await page.getByTestId('possible-duplicate-open').first().click();
      await page.waitForURL(new RegExp(`/people/${existing.id}$`));
      await page.context().close();
    }
  });
});
