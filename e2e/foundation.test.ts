import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type StartedServer, screenshotIfAsked, startServer } from './server.ts';

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

describe('first steps of a party office', () => {
  it('admin logs in, creates a unit, invites a person; the invitee accepts from the outbox, confirms the instruction and sees the start page', async () => {
    const password = server.credentials.get('admin@demo.draht.local');
    expect(password, server.output()).toBeTruthy();

    const admin = await (await browser.newContext({ locale: 'de-DE' })).newPage();
    await admin.goto(`${server.url}/`);
    await admin.waitForURL(/\/login/);
    await admin.getByLabel('E-Mail').fill('admin@demo.draht.local');
    await admin.getByLabel('Passwort', { exact: true }).fill(password!);
    await admin.getByRole('button', { name: 'Anmelden' }).click();

    // The data-protection instruction comes before anything else.
    await admin.getByTestId('instruction-confirm').click();
    await admin.getByTestId('start-greeting').waitFor();

    await admin.getByTestId('nav-orgs').click();
    await admin.getByText('Landesverband Sachsen').first().waitFor();
    await admin.getByTestId('org-create').click();
    const dialog = admin.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Ortsverband Teststadt');
    await dialog.getByLabel('Art').selectOption('local');
    // A code no Land holds yet (the Bund covers everything).
    await dialog.getByLabel('Postleitzahlen').fill('80331');
    await dialog.getByRole('button', { name: 'Anlegen' }).click();
    await admin.getByText('Ortsverband Teststadt').first().waitFor();

    await admin.getByTestId('nav-members').click();
    await admin.getByRole('button', { name: 'Person einladen' }).click();
    const invite = admin.getByRole('dialog');
    await invite.getByLabel('E-Mail').fill('neu@example.org');
    await invite.getByLabel('Rolle').selectOption('organizer');
    await invite.getByRole('button', { name: 'Einladung senden' }).click();
    await admin.getByText('Einladung verschickt').first().waitFor();

    await admin.getByTestId('nav-outbox').click();
    const row = admin.locator('[data-testid="outbox-row"][data-to="neu@example.org"]');
    await row.getByTestId('outbox-open').click();
    const link = await admin.getByTestId('mail-link').first().getAttribute('href');
    expect(link).toMatch(/\/invitation\/[\w-]{20,}$/);

    // The invitee opens the link in their own browser.
    const invitee = await (await browser.newContext({ locale: 'de-DE' })).newPage();
    await invitee.goto(link!);
    await invitee.getByLabel('Name').fill('Nora Neu');
    await invitee.getByLabel('Passwort', { exact: true }).fill('ein sicheres passwort');
    await invitee.getByLabel('Passwort wiederholen').fill('ein sicheres passwort');
    await invitee.getByRole('button', { name: 'Einladung annehmen' }).click();
    await invitee.getByTestId('instruction-confirm').click();
    const greeting = invitee.getByTestId('start-greeting');
    await greeting.waitFor();
    expect(await greeting.textContent()).toContain('Nora');

    // A used link is a friendly page, not an error.
    const again = await (await browser.newContext()).newPage();
    await again.goto(link!);
    await again.getByTestId('invitation-invalid').waitFor();
  });

  it('the unit form shows a postal-code conflict before saving and does not let it be saved', async () => {
    const context = await browser.newContext({ locale: 'de-DE', viewport: { width: 1440, height: 900 } });
    const admin = await context.newPage();
    await admin.goto(`${server.url}/login`);
    await admin.getByLabel('E-Mail').fill('admin@demo.draht.local');
    await admin
      .getByLabel('Passwort', { exact: true })
      .fill(server.credentials.get('admin@demo.draht.local')!);
    await admin.getByRole('button', { name: 'Anmelden' }).click();
    const confirm = admin.getByTestId('instruction-confirm');
    await confirm.or(admin.getByTestId('nav-orgs')).first().waitFor();
    if (await confirm.isVisible()) await confirm.click();
    await admin.getByTestId('nav-orgs').click();
    await admin.getByTestId('org-actions-kreisverband-dresden').click();
    await admin.getByRole('menuitem', { name: 'Neue Untereinheit' }).click();
    const dialog = admin.getByTestId('org-form');
    await dialog.getByLabel('Name').fill('Ortsverband Kuckuck');
    // Erfurt's code lies in Thüringen, outside Kreisverband Dresden.
    await dialog.getByLabel('Postleitzahlen', { exact: true }).fill('99084');
    const problems = dialog.getByTestId('catchment-problems');
    await problems.waitFor();
    expect(await problems.textContent()).toContain('außerhalb des Einzugsgebiets von „Kreisverband Dresden“');
    expect(await dialog.getByTestId('org-form-submit').isDisabled()).toBe(true);
    // A sibling's code names the sibling.
    await dialog.getByLabel('Postleitzahlen', { exact: true }).fill('01067');
    await problems.getByText('Ortsverband Dresden-Altstadt', { exact: false }).waitFor();
    await screenshotIfAsked(admin, 'org-form-conflict-1440');
    await admin.setViewportSize({ width: 390, height: 844 });
    await screenshotIfAsked(admin, 'org-form-conflict-390');
    // A free code inside the Kreis clears the warning and saves.
    await dialog.getByLabel('Postleitzahlen', { exact: true }).fill('01109');
    await problems.waitFor({ state: 'detached' });
    await dialog.getByTestId('org-form-submit').click();
    await admin.getByText('Ortsverband Kuckuck').first().waitFor();
    await context.close();
  });
});
