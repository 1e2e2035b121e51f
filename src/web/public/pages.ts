import type { TFunction } from 'i18next';
import { h } from './dom.ts';
import { consentPage } from './pages/consent.ts';
import { unsubscribePage } from './pages/unsubscribe.ts';

export interface PublicPage {
  title: string;
  body: Node[];
}

/**
 * The public pages under `/p/`: a path pattern and what it shows. Event pages, forms, unsubscribe
 * and consent pages are added here (their data from `/api/public/…`).
 */
const PAGES: { path: RegExp; render: (t: TFunction, match: RegExpExecArray) => PublicPage }[] = [
  {
    // Where an expired, used or revoked emailed link ends (unsubscribe, consent, survey links …).
    path: /^\/p\/invalid-link\/?$/,
    render: (t) => ({
      title: t('invalidLink.title'),
      body: [h('p', { 'data-testid': 'public-invalid-link' }, t('invalidLink.text'))],
    }),
  },
  // Where a consent link (/c/:token) ends: confirmed, already confirmed, expired (new link), invalid.
  { path: /^\/p\/consent\/?$/, render: (t) => consentPage(t) },
  // The unsubscribe link of every mailing: this purpose from this unit, or everything.
  { path: /^\/u\/([A-Za-z0-9_-]{10,200})\/?$/, render: (t, match) => unsubscribePage(t, match[1]) },
];

export function publicPageFor(pathname: string, t: TFunction): PublicPage {
  for (const page of PAGES) {
    const match = page.path.exec(pathname);
    if (match) return page.render(t, match);
  }
  return {
    title: t('notFound.title'),
    body: [h('p', { 'data-testid': 'public-not-found' }, t('notFound.text'))],
  };
}
