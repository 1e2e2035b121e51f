import type { Browser, Page } from 'playwright-core';
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

async function signedIn(email: string, viewport = { width: 1280, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'de-DE', viewport })).newPage();
  await loginAs(page, server, email);
  return page;
}

describe('phone campaign in the browser', () => {
  it('an organizer sets up an assignment; a caller on a phone calls three people; the progress shows them', async () => {
    const organizer = await signedIn('organizer.sachsen@demo.draht.local');
    const api = async (method: string, url: string, data?: unknown) => {
      const res = await organizer.request.fetch(`${server.url}${url}`, { method, data });
      expect(res.ok(), `${method} ${url}: ${await res.text()}`).toBe(true);
      return res.json();
    };
    const dresden = (await api('GET', '/api/orgs')).items.find(
      (o: { slug: string }) => o.slug === 'kreisverband-dresden',
    );
    const list = await api('POST', '/api/queries', {
      orgId: dresden.id,
      name: 'Alle in Dresden',
      filter: { kind: 'group', op: 'and', children: [] },
      mode: 'dynamic',
    });
    const allDay = [{ from: '00:00', to: '24:00' }];
    const assignment = await api('POST', '/api/call-assignments', {
      orgId: dresden.id,
      title: 'Neumitglieder anrufen',
      targetQueryId: list.id,
      status: 'open',
      script: 'Hallo {{firstName}}, hier ist {{callerName}}.',
      callingHours: {
        mon: allDay,
        tue: allDay,
        wed: allDay,
        thu: allDay,
        fri: allDay,
        sat: allDay,
        sun: allDay,
      },
    });
    const members = (await api('GET', `/api/orgs/${dresden.id}/memberships`)).items;
    const caller = members.find((m: { email: string }) => m.email === 'caller.dresden@demo.draht.local');
    await api('POST', `/api/call-assignments/${assignment.id}/callers`, { userId: caller.userId });

    const phone = await signedIn('caller.dresden@demo.draht.local', { width: 390, height: 844 });
    await phone
      .getByTestId('nav-calls')
      .click()
      .catch(async () => phone.goto(`${server.url}/calls`));
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
      await phone.getByTestId('call-save-next').click();
      await expect
        .poll(async () => phone.getByTestId('call-name').textContent(), { timeout: 10_000 })
        .not.toBe(name);
    }
    // Nobody comes up twice.
    expect(new Set(seen).size).toBe(3);

    await organizer.goto(`${server.url}/call-assignments/${assignment.id}`);
    const progress = organizer.getByTestId('assignment-progress');
    await progress.waitFor();
    const progressData = await api('GET', `/api/call-assignments/${assignment.id}/progress`);
    expect(progressData).toMatchObject({ attempted: 3, reached: 1, calls: 3 });
    await expect.poll(async () => progress.textContent(), { timeout: 10_000 }).toContain('Dana Dietrich');
  });
});
