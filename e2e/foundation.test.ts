import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type StartedServer, startServer } from './server.ts';

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
    await dialog.getByLabel('Postleitzahlen').fill('01234');
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
});
