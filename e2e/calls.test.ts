import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, apiOf, loginAs, newPage, orgBySlug, serverAndBrowser } from './server.ts';

const e2e = serverAndBrowser({ beforeAll, afterAll });

/** Sessions by email: the instruction is confirmed only at the first login. */
const sessions = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();

async function signedIn(email: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await newPage(e2e.browser, { viewport, storageState: sessions.get(email) });
  if (!sessions.has(email)) {
    await loginAs(page, e2e.server, email);
    sessions.set(email, await page.context().storageState());
  }
  return page;
}

describe('phone campaign in the browser', () => {
  /** The organizer creates an open, all-day assignment over everyone in Dresden with its caller. */
  async function setUpAssignment(title: string) {
    const organizer = await signedIn('organizer.sachsen@demo.draht.local');
    const api = apiOf(organizer, e2e.server);
    const dresden = await orgBySlug(api, 'kreisverband-dresden');
    const list = await api('POST', '/api/queries', {
      orgId: dresden.id,
      name: `Alle in Dresden (${title})`,
      filter: { kind: 'group', op: 'and', children: [] },
      mode: 'dynamic',
    });
    const assignment = await api('POST', '/api/call-assignments', {
      orgId: dresden.id,
      title,
      targetQueryId: list.id,
      status: 'open',
      script: 'Hallo {{firstName}}, hier ist {{callerName}}.',
      callingHours: ALWAYS_OPEN,
    });
    const members = (await api('GET', `/api/orgs/${dresden.id}/memberships`)).items;
    const caller = members.find((m: { email: string }) => m.email === 'caller.dresden@demo.draht.local');
    await api('POST', `/api/call-assignments/${assignment.id}/callers`, { userId: caller.userId });
    return { organizer, api, dresden, assignment };
  }

  it('an organizer sets up an assignment; a caller on a phone calls three people; the progress shows them', async () => {
    const { organizer, api, assignment } = await setUpAssignment('Neumitglieder anrufen');

    const phone = await signedIn('caller.dresden@demo.draht.local', { width: 390, height: 844 });
    await phone
      .getByTestId('nav-calls')
      .click()
      .catch(async () => phone.goto(`${e2e.server.url}/calls`));
    await phone.getByTestId('my-assignment').filter({ hasText: 'Neumitglieder anrufen' }).click();
    const seen: string[] = [];
    for (const outcome of ['reached', 'no_answer', 'busy']) {
      await phone
        .getByTestId('call-next')
        .click({ timeout: 3000 })
        .catch(() => {});
      const name = (await phone.getByTestId('call-name').textContent()) ?? '';
      expect(name.length).toBeGreaterThan(2);
      expect(await phone.getByTestId('call-script').textContent()).toContain(`Hallo ${name.split(' ')[0]}`);
      expect(await phone.getByTestId('call-dial').first().getAttribute('href')).toMatch(/^tel:\+49/);
      seen.push(name);
      await phone.getByTestId(`call-outcome-${outcome}`).click();
      if (outcome === 'reached') {
        await phone.getByTestId('call-newsletter').check();
        await phone.getByTestId('call-follow-up').check();
        await phone.getByTestId('call-follow-up-reason').fill('Möchte im Wahlkampf helfen');
      }
      await phone.getByTestId('call-save-next').click();
      await expect
        .poll(async () => phone.getByTestId('call-name').textContent(), { timeout: 10_000 })
        .not.toBe(name);
    }
    // Nobody comes up twice.
    expect(new Set(seen).size).toBe(3);
    await expect
      .poll(async () => phone.getByTestId('my-calls-today').textContent(), { timeout: 10_000 })
      .toContain('3');
    const reachedCall = (await api('GET', `/api/call-assignments/${assignment.id}/calls`)).items.find(
      (c: { outcome: string }) => c.outcome === 'reached',
    );
    expect(reachedCall).toMatchObject({ newsletter: true, followUpReason: 'Möchte im Wahlkampf helfen' });

    await organizer.goto(`${e2e.server.url}/call-assignments/${assignment.id}`);
    const progress = organizer.getByTestId('assignment-progress');
    await progress.waitFor();
    const progressData = await api('GET', `/api/call-assignments/${assignment.id}/progress`);
    expect(progressData).toMatchObject({ attempted: 3, reached: 1, calls: 3 });
    await expect.poll(async () => progress.textContent(), { timeout: 10_000 }).toContain('Dana Dietrich');
  });

  it('a caller logs a call from someone who called back on their own, giving back the call they held', async () => {
    const { api, dresden, assignment } = await setUpAssignment('Rückrufe erfassen');
    const caller = await signedIn('caller.dresden@demo.draht.local');
    await caller.goto(`${e2e.server.url}/calls/${assignment.id}`);
    await caller.getByTestId('call-next').click();
    const held = (await caller.getByTestId('call-name').textContent()) ?? '';
    const people = (await api('GET', `/api/people?orgId=${dresden.id}&limit=20`)).items as {
      id: string;
      firstName: string;
      lastName: string;
    }[];
    const target = people.find((p) => !held.includes(p.lastName) && p.lastName.length > 2)!;

    await caller.getByTestId('log-call').click();
    await caller.getByTestId('log-call-search').fill(`${target.firstName} ${target.lastName}`);
    await caller.getByTestId(`log-call-result-${target.id}`).click();
    await caller.getByTestId('log-call-skip-current').click();
    await expect
      .poll(async () => caller.getByTestId('call-name').textContent(), { timeout: 10_000 })
      .toContain(target.lastName);
    await caller.keyboard.press('1');
    await caller.keyboard.press('Control+Enter');
    await expect
      .poll(async () => caller.getByTestId('my-calls-today').textContent(), { timeout: 10_000 })
      .toContain('1');

    const calls = (await api('GET', `/api/call-assignments/${assignment.id}/calls`)).items;
    expect(calls).toMatchObject([{ personId: target.id, outcome: 'reached' }]);
  });
});
