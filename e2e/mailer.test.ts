import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, orgBySlug, screenshotIfAsked, serverAndBrowser, signedInPage } from './server.ts';

const e2e = serverAndBrowser({ beforeAll, afterAll });

const SUBJECT = 'Einladung zum Sommerfest';
/** A screenshot from the top of the page (or with `at` in view), when SHOTS_DIR is set. */
async function shot(page: Page, name: string, at?: string) {
  if (!process.env.SHOTS_DIR) return;
  if (at) await page.getByTestId(at).scrollIntoViewIfNeeded();
  else await page.evaluate(() => window.scrollTo(0, 0));
  await screenshotIfAsked(page, name);
}
/** The page's width and, when it scrolls sideways, the first elements reaching past the screen. */
const sideways = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.scrollWidth;
    if (width <= window.innerWidth) return { width, culprits: [] };
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .filter((el) => !el.closest('.mantine-ScrollArea-root, .mantine-Table-scrollContainer'))
      .slice(0, 6)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className} ${el.getAttribute('data-testid') ?? ''}`);
    return { width, culprits };
  });
const numberIn = async (page: Page, testId: string) =>
  Number(await page.getByTestId(testId).getAttribute('data-value'));

describe('the EasyMailer in the browser', () => {
  it('an organizer composes a mailing, checks its reach, tests and sends it; a recipient unsubscribes from the received mail', async () => {
    const { server, browser } = e2e;
    // The superadmin gives Sachsen its imprint (without it nothing goes out).
    const admin = await signedInPage(browser, server, 'admin@demo.draht.local');
    const adminApi = apiOf(admin, server);
    const sachsen = await orgBySlug(adminApi, 'landesverband-sachsen');
    await adminApi('PUT', `/api/orgs/${sachsen.id}/mail-settings`, {
      senderName: 'Landesverband Sachsen',
      senderAddressId: null,
      replyTo: null,
      footer: 'Landesverband Sachsen, Musterstraße 1, 01067 Dresden',
    });

    const page = await signedInPage(browser, server, 'organizer.sachsen@demo.draht.local', {
      viewport: { width: 1440, height: 900 },
    });
    const api = apiOf(page, server);
    const list = await api('POST', '/api/queries', {
      orgId: sachsen.id,
      name: 'Mitglieder Kaßberg',
      filter: {
        kind: 'group',
        op: 'and',
        children: [
          { kind: 'postalCode', op: 'in', values: ['09112'] },
          { kind: 'status', statuses: ['member'] },
        ],
      },
    });

    // Compose: subject, purpose, list, a text with a placeholder and a button.
    await page.getByTestId('nav-mailings').click();
    await page.getByTestId('mailing-new').click();
    await page.getByTestId('mailing-subject').fill(SUBJECT);
    await page.getByTestId('mailing-purpose').getByText('Mitgliederinformation').click();
    await page.getByTestId('mailing-list').click();
    await page.getByRole('option', { name: 'Mitglieder Kaßberg' }).click();
    const body = page.getByTestId('mailing-body');
    await body.click();
    await page.keyboard.type('Hallo ');
    await page.getByTestId('editor-placeholders').click();
    await page.getByTestId('placeholder-firstName').click();
    await page.keyboard.type(', komm am Samstag zum Sommerfest!');
    await page.getByTestId('editor-button').click();
    await page.getByLabel('Beschriftung').fill('Jetzt anmelden');
    await page.getByLabel('Ziel (https://…)').fill('https://example.org/sommerfest');
    await page.getByTestId('editor-button-insert').click();
    await page.getByTestId('mailing-save').click();
    await page.waitForURL(/\/mailings\/[0-9a-f-]{36}$/);
    const mailingId = page.url().split('/').pop() as string;

    // The reach shown is the API's.
    await page.getByTestId('reach-funnel').waitFor();
    const reach = await api('GET', `/api/mailings/${mailingId}/reach`);
    expect(reach.total).toBeGreaterThan(0);
    expect(reach.reachable).toBeGreaterThan(0);
    expect(await numberIn(page, 'reach-total')).toBe(reach.total);
    expect(await numberIn(page, 'reach-with-email')).toBe(reach.total - reach.excluded.noEmail);
    expect(await numberIn(page, 'reach-reachable')).toBe(reach.reachable);
    for (const [reason, count] of Object.entries(reach.excluded))
      expect(await numberIn(page, `reach-excluded-${reason}`)).toBe(count);
    await shot(page, 'mailer-composer-1440');
    await shot(page, 'mailer-reach-1440', 'reach-panel');

    // Preview and a test to the organizer herself (her address is prefilled).
    await page.getByTestId('tab-preview').click();
    await page.getByTestId('preview-frame').waitFor();
    await expect
      .poll(() => page.getByTestId('test-email').inputValue())
      .toBe('organizer.sachsen@demo.draht.local');
    await page.getByTestId('test-send').click();
    await page.getByText('Test-E-Mail an organizer.sachsen@demo.draht.local verschickt.').waitFor();
    await shot(page, 'mailer-preview-1440', 'preview-panel');

    // Send now: the confirmation names the reach, then the progress runs to the end.
    await page.getByTestId('send-open').click();
    await expect
      .poll(() => page.getByTestId('send-confirm-text').textContent())
      .toContain(reach.reachable.toLocaleString('de-DE'));
    await page.getByTestId('confirm-button').click();
    const progress = page.getByTestId('progress-panel');
    await progress.waitFor({ timeout: 15_000 });
    await expect.poll(() => progress.getAttribute('data-status'), { timeout: 30_000 }).toBe('sent');
    expect(await page.getByTestId('progress-sent').textContent()).toBe(
      reach.reachable.toLocaleString('de-DE'),
    );
    await expect
      .poll(() => page.getByTestId('mailing-status').textContent(), { timeout: 10_000 })
      .toBe('Verschickt');
    await shot(page, 'mailer-progress-1440');

    // The superadmin opens a received mail in the built-in outbox and follows its unsubscribe link.
    const outbox = (await adminApi('GET', '/api/outbox?limit=100')).items as {
      to: string;
      subject: string;
    }[];
    const received = outbox.find(
      (m) => m.subject === SUBJECT && m.to !== 'organizer.sachsen@demo.draht.local',
    ) as { to: string };
    expect(received).toBeTruthy();
    await admin.getByTestId('nav-outbox').click();
    await admin
      .locator(`[data-testid="outbox-row"][data-to="${received.to}"]`)
      .getByTestId('outbox-open')
      .click();
    const detail = admin.getByTestId('outbox-detail');
    await detail.waitFor();
    const link = await detail.locator('a[href*="/u/"]').first().getAttribute('href');
    expect(link).toMatch(/\/u\/[A-Za-z0-9_-]+/);

    const recipient = await browser.newPage({ locale: 'de-DE' });
    await recipient.goto(link as string);
    await recipient.locator('label[for="unsubscribe-all"]').click(); // "everything"
    await recipient.getByTestId('unsubscribe-submit').click();
    expect(await recipient.getByTestId('unsubscribe-done').getAttribute('data-scope')).toBe('all');

    // A new mailing to the same list counts that person as unsubscribed.
    const next = await api('POST', '/api/mailings', {
      orgId: sachsen.id,
      subject: 'Nachlese Sommerfest',
      html: '<p>Danke!</p>',
      purpose: 'member_info',
      queryId: list.id,
    });
    await page.goto(`${server.url}/mailings/${next.id}`);
    await page.getByTestId('reach-funnel').waitFor();
    expect(await numberIn(page, 'reach-excluded-unsubscribed')).toBe(reach.excluded.unsubscribed + 1);
    expect(await numberIn(page, 'reach-reachable')).toBe(reach.reachable - 1);

    // The phone layout: composer and progress without sideways scrolling.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId('reach-funnel').waitFor();
    await shot(page, 'mailer-composer-390');
    expect(await sideways(page)).toEqual({ width: 390, culprits: [] });
    await shot(page, 'mailer-reach-390', 'reach-panel');
    await page.goto(`${server.url}/mailings/${mailingId}`);
    await page.getByTestId('progress-panel').waitFor();
    await shot(page, 'mailer-progress-390');
    expect(await sideways(page)).toEqual({ width: 390, culprits: [] });
  });
});
