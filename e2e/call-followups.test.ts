import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALWAYS_OPEN, apiOf, orgBySlug, serverAndBrowser, signedInPage } from './server.ts';

const e2e = serverAndBrowser({ beforeAll, afterAll });

const signedIn = (email: string) => signedInPage(e2e.browser, e2e.server, email);

describe('follow-ups in the organizer view', () => {
  it('an answer flags a person; the organizer sees the follow-up and the call, and resolves it', async () => {
    const organizer = await signedIn('organizer.sachsen@demo.draht.local');
    const api = apiOf(organizer, e2e.server);
    const dresden = await orgBySlug(api, 'kreisverband-dresden');
    const list = await api('POST', '/api/queries', {
      orgId: dresden.id,
      name: 'Alle in Dresden',
      filter: { kind: 'group', op: 'and', children: [] },
      mode: 'dynamic',
    });
    const assignment = await api('POST', '/api/call-assignments', {
      orgId: dresden.id,
      title: 'Helfende finden',
      targetQueryId: list.id,
      status: 'open',
      questions: [
        {
          id: 'help',
          type: 'yes_no',
          text: 'Hilfst du im Wahlkampf?',
          actions: [{ when: 'yes', followUp: 'Möchte helfen' }],
        },
      ],
      callingHours: ALWAYS_OPEN,
    });
    const members = (await api('GET', `/api/orgs/${dresden.id}/memberships`)).items;
    const callerUser = members.find((m: { email: string }) => m.email === 'caller.dresden@demo.draht.local');
    await api('POST', `/api/call-assignments/${assignment.id}/callers`, { userId: callerUser.userId });

    const caller = apiOf(await signedIn('caller.dresden@demo.draht.local'), e2e.server);
    const { call } = await caller('POST', `/api/call-assignments/${assignment.id}/next`);
    await caller('POST', `/api/calls/${call.id}/outcome`, {
      clientId: 'e2e-1',
      outcome: 'reached',
      answers: [{ questionId: 'help', value: true }],
      note: 'Ruft abends zurück',
    });

    await organizer.goto(`${e2e.server.url}/call-assignments/${assignment.id}`);
    const row = organizer.getByTestId(`follow-up-${call.id}`);
    await row.waitFor();
    expect(await row.textContent()).toContain('Möchte helfen');
    const recent = organizer.getByTestId('recent-calls');
    await expect.poll(async () => recent.textContent()).toContain('Hilfst du im Wahlkampf?');
    expect(await recent.textContent()).toContain('Ruft abends zurück');

    await organizer.getByTestId(`follow-up-resolve-${call.id}`).click();
    await organizer.getByTestId('follow-ups-empty').waitFor();
    await organizer.getByTestId('follow-ups-show-resolved').click({ force: true });
    await row.waitFor();
    expect(await row.textContent()).toContain('Erledigt am');
    const open = await api('GET', `/api/call-assignments/${assignment.id}/follow-ups`);
    expect(open.items).toEqual([]);
  });
});
