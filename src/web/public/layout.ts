import type { TFunction } from 'i18next';
import { h } from './dom.ts';
import { currentLocale, PUBLIC_LOCALES, type PublicLocale } from './i18n.ts';

/** The frame of every public page: name, language switch, the page, a footer. */
export function publicLayout(
  t: TFunction,
  page: { title: string; body: Node[] },
  onLocale: (locale: PublicLocale) => void,
): HTMLElement {
  const current = currentLocale();
  const switcher = h(
    'nav',
    { class: 'locale-switch', 'aria-label': t('languageSwitch') },
    ...PUBLIC_LOCALES.map((locale) => {
      const button = h(
        'button',
        { type: 'button', lang: locale, 'aria-pressed': String(locale === current) },
        t(`languages.${locale}`),
      );
      button.addEventListener('click', () => onLocale(locale));
      return button;
    }),
  );
  return h(
    'div',
    { class: 'shell' },
    h('header', { class: 'top' }, h('span', { class: 'brand' }, t('appName')), switcher),
    h('main', { class: 'card' }, h('h1', {}, page.title), ...page.body),
    h('footer', { class: 'foot' }, t('footer')),
  );
}
