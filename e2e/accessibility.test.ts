import fs from 'node:fs';
import { createRequire } from 'node:module';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiOf, newPage, orgBySlug, serverAndBrowser, signedInPage } from './server.ts';

const e2e = serverAndBrowser({ beforeAll, afterAll });
const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string; failureSummary?: string }[];
}

/**
 * The page's serious and critical WCAG 2.1 A/AA violations (contrast, labels, names of buttons
 * and links, ARIA, …), as readable lines. axe is injected as a script, which the app's CSP
 * (`script-src 'self'`) only allows in a context opened with `bypassCSP`.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  await expect.poll(() => page.locator('.mantine-Loader-root').count(), { timeout: 15_000 }).toBe(0);
  // Let Mantine's transitions (collapse, fade-in of loaded content) finish before measuring colours.
  await page.waitForTimeout(300);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: { run: (ctx: Document, opts: object) => Promise<{ violations: AxeViolation[] }> };
      }
    ).axe;
    const result = await axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'],
    });
    return result.violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .flatMap((v) =>
      v.nodes
        .slice(0, 5)
        .map(
          (n) =>
            `${new URL(page.url()).pathname} ${v.id} (${v.impact}): ${v.help} at ${JSON.stringify(n.target)} ${n.html.slice(0, 160)} — ${n.failureSummary ?? ''}`,
        ),
    );
}

const options = { bypassCSP: true, viewport: { width: 1440, height: 900 } };
/** The admin's session from the first test (the instruction is confirmed only at the first login). */
let adminSession: Awaited<ReturnType<BrowserContext['storageState']>> | undefined;

describe('accessibility (axe-core, WCAG 2.1 AA)', () => {
  it('the main pages have no serious or critical violations for an admin and a caller', async () => {
    const admin = await signedInPage(e2e.browser, e2e.server, 'admin@demo.draht.local', options);
    adminSession = await admin.context().storageState();
    const api = apiOf(admin, e2e.server);
    const bund = (await api('GET', '/api/orgs')).items.find((o: { parentId: string | null }) => !o.parentId);
    const dresden = await orgBySlug(api, 'kreisverband-dresden');
    const person = (await api('GET', `/api/people?orgId=${bund.id}&limit=1`)).items[0];
    const assignment = (await api('GET', `/api/call-assignments?orgId=${dresden.id}`)).items[0];
    const campaign = (await api('GET', `/api/campaigns?orgId=${bund.id}`)).items[0];
    expect(person && assignment && campaign).toBeTruthy();

    const adminPages = [
      '/',
      '/people',
      `/people/${person.id}`,
      '/lists',
      '/lists/new',
      '/call-assignments',
      `/call-assignments/${assignment.id}`,
      `/campaigns/${campaign.id}/dashboard`,
      '/orgs',
      '/members',
      '/imports',
      '/audit',
    ];
    const problems: string[] = [];
    for (const path of adminPages) {
      await admin.goto(`${e2e.server.url}${path}`);
      await admin.locator('h1').first().waitFor();
      problems.push(...(await seriousViolations(admin)));
    }

    // The caller's screen, with a person to call when the calling hours allow one.
    const caller = await signedInPage(e2e.browser, e2e.server, 'caller.dresden@demo.draht.local', options);
    await caller.goto(`${e2e.server.url}/calls`);
    await caller.getByTestId('my-assignment').first().waitFor();
    problems.push(...(await seriousViolations(caller)));
    await caller.getByTestId('my-assignment').first().click();
    await caller.waitForURL(/\/calls\/[0-9a-f-]{36}$/);
    await caller
      .getByTestId('call-next')
      .click({ timeout: 3000 })
      .catch(() => {});
    problems.push(...(await seriousViolations(caller)));

    expect(problems).toEqual([]);
  });

  it('date inputs follow the UI language, not the browser locale; the open calendar passes axe', async () => {
    // A US browser with the German UI (the default): dates still read 01.03.2026 and Monday-first.
    const admin = await newPage(e2e.browser, { ...options, locale: 'en-US', storageState: adminSession });
    await admin.goto(`${e2e.server.url}/audit`);
    const from = admin.getByLabel('Von', { exact: true });
    await from.fill('1.3.2026');
    await from.blur();
    await expect.poll(() => from.inputValue()).toBe('01.03.2026');
    await from.click();
    const calendar = admin.locator('[data-dates-dropdown]');
    await calendar.waitFor();
    expect(await calendar.locator('[class*="calendarHeaderLevel"]').textContent()).toBe('März 2026');
    expect((await calendar.locator('thead th').allTextContents()).slice(0, 2)).toEqual(['Mo', 'Di']);
    expect(await seriousViolations(admin)).toEqual([]);

    // Switched to English, the same date reads 01/03/2026 and the calendar speaks English.
    const api = apiOf(admin, e2e.server);
    await api('PATCH', '/api/auth/me', { locale: 'en' });
    await admin.goto(`${e2e.server.url}/audit`);
    const fromEn = admin.getByLabel('From', { exact: true });
    await fromEn.fill('2026-03-01');
    await fromEn.blur();
    await expect.poll(() => fromEn.inputValue()).toBe('01/03/2026');
    await fromEn.click();
    await calendar.waitFor();
    expect(await calendar.locator('[class*="calendarHeaderLevel"]').textContent()).toBe('March 2026');
    await api('PATCH', '/api/auth/me', { locale: 'de' });
  });
});
