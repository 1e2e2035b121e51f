import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, apiOf, loginAs, newPage as newPageIn, orgBySlug, serverAndBrowser } from './server.ts';

const e2e = serverAndBrowser({ beforeAll, afterAll });

const newPage = (viewport = { width: 1280, height: 900 }) => newPageIn(e2e.browser, { viewport });

describe('caller invitation link in the browser', () => {
  it('an organizer creates a link; a new volunteer on a phone registers, confirms the instruction and lands on the caller screen', async () => {
    const organizer = await newPage();
    await loginAs(organizer, e2e.server, 'organizer.sachsen@demo.draht.local');
    const api = apiOf(organizer, e2e.server);
    const dresden = await orgBySlug(api, 'kreisverband-dresden');
    const list = await api('POST', '/api/queries', {
      orgId: dresden.id,
      name: 'Alle in Dresden (Einladung)',
      filter: { kind: 'group', op: 'and', children: [] },
      mode: 'dynamic',
    });
    const assignment = await api('POST', '/api/call-assignments', {
      orgId: dresden.id,
      title: 'Freiwillige telefonieren',
      targetQueryId: list.id,
      status: 'open',
      callingHours: ALWAYS_OPEN,
    });

    // The organizer creates a link on the assignment page: at most 3 uses.
    await organizer.goto(`${e2e.server.url}/call-assignments/${assignment.id}`);
    const card = organizer.getByTestId('invite-links-card');
    await card.waitFor();
    await card.getByTestId('invite-link-max-uses').fill('3');
    await card.getByTestId('invite-link-create').click();
    const url = ((await card.getByTestId('invite-link-url').textContent()) ?? '').trim();
    expect(url).toMatch(new RegExp(`^${e2e.server.url}/join/[\\w-]{43}$`));
    await expect
      .poll(async () => card.getByTestId('invite-link-uses').first().textContent(), { timeout: 10_000 })
      .toBe('0 von 3');

    // A new volunteer opens it on a phone and registers.
    const phone = await newPage({ width: 390, height: 844 });
    await phone.goto(url);
    await expect
      .poll(async () => phone.getByTestId('join-assignment').textContent(), { timeout: 10_000 })
      .toBe('Freiwillige telefonieren');
    expect(await phone.getByTestId('join-summary').textContent()).toContain('Dresden');
    await phone.getByTestId('join-name').fill('Paula Probe');
    await phone.getByTestId('join-email').fill('paula.probe@example.org');
    await phone.getByTestId('join-password').fill('kurz');
    await phone.getByTestId('join-repeat').fill('kurz');
    await phone.getByTestId('join-submit').click();
    await phone.getByText('Das Passwort muss mindestens 8 Zeichen lang sein.').waitFor();
    await phone.getByTestId('join-password').fill('ein sicheres passwort');
    await phone.getByTestId('join-repeat').fill('ein sicheres passwort');
    await phone.getByTestId('join-submit').click();

    // The data-protection instruction first, then the caller screen of exactly this assignment.
    await phone.getByTestId('instruction-confirm').click();
    await phone.getByTestId('call-next').waitFor();
    expect(new URL(phone.url()).pathname).toBe(`/calls/${assignment.id}`);
    await phone.getByRole('heading', { name: 'Freiwillige telefonieren' }).waitFor();
    await phone.getByTestId('call-next').click();
    const name = phone.getByTestId('call-name');
    await name.waitFor();
    expect(((await name.textContent()) ?? '').length).toBeGreaterThan(2);

    // The organizer sees the use and the new caller.
    await organizer.reload();
    await expect
      .poll(async () => organizer.getByTestId('invite-link-uses').first().textContent(), { timeout: 10_000 })
      .toBe('1 von 3');
    expect(await organizer.getByTestId('callers-card').textContent()).toContain('Paula Probe');

    // An unknown token gets a friendly page.
    const stranger = await newPage({ width: 390, height: 844 });
    await stranger.goto(`${e2e.server.url}/join/${'x'.repeat(43)}`);
    await stranger.getByTestId('join-invalid').waitFor();
  });
});
