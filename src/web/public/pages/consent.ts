import type { TFunction } from 'i18next';
import { h } from '../dom.ts';
import type { PublicPage } from '../pages.ts';

const STATES = ['confirmed', 'already', 'expired', 'invalid'] as const;
type State = (typeof STATES)[number];

/**
 * Where a consent link (`GET /c/:token`) sends the visitor: `/p/consent?state=…`. An expired
 * link's token comes in the fragment (`#TOKEN`: never sent to a server); it is taken out of the
 * address at once and kept here for the "send me a new link" button.
 */
let renewToken: string | null = null;

function takeRenewToken(): string | null {
  const hash = window.location.hash.slice(1);
  if (hash) {
    renewToken = decodeURIComponent(hash);
    history.replaceState(null, '', window.location.pathname + window.location.search);
  }
  return renewToken;
}

function renewButton(t: TFunction, token: string): Node {
  const status = h('p', { role: 'status', 'aria-live': 'polite', 'data-testid': 'consent-renew-status' });
  const button = h(
    'button',
    { type: 'button', class: 'primary', 'data-testid': 'consent-renew' },
    t('consent.expired.renew'),
  );
  button.addEventListener('click', () => {
    button.disabled = true;
    void fetch(`/api/public/consents/renew/${encodeURIComponent(token)}`, { method: 'POST' })
      .then((res) => {
        status.textContent = t(res.ok ? 'consent.expired.sent' : 'consent.expired.failed');
        if (!res.ok) button.disabled = false;
      })
      .catch(() => {
        status.textContent = t('consent.expired.failed');
        button.disabled = false;
      });
  });
  return h('div', { class: 'actions' }, button, status);
}

export function consentPage(t: TFunction): PublicPage {
  const asked = new URLSearchParams(window.location.search).get('state');
  const state: State = STATES.includes(asked as State) ? (asked as State) : 'invalid';
  const token = state === 'expired' ? takeRenewToken() : null;
  return {
    title: t(`consent.${state}.title`),
    body: [
      h('p', { 'data-testid': 'public-consent', 'data-state': state }, t(`consent.${state}.text`)),
      token ? renewButton(t, token) : null,
    ].filter((n): n is HTMLElement => n !== null),
  };
}
