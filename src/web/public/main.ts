import './public.css';
import type { TFunction } from 'i18next';
import { currentLocale, type PublicLocale, startI18n, switchLocale } from './i18n.ts';
import { publicLayout } from './layout.ts';
import { publicPageFor } from './pages.ts';

/**
 * The entry of public pages (`public.html`, served for `/p/…`): plain DOM and i18next, no React,
 * no Mantine, nothing of the signed-in app, no request to another server.
 */
const root = document.getElementById('page');
if (!root) throw new Error('#page missing in public.html');

function render(t: TFunction, focusSwitch?: PublicLocale) {
  const page = publicPageFor(window.location.pathname, t);
  document.documentElement.lang = currentLocale();
  document.title = `${page.title} · ${t('appName')}`;
  root?.replaceChildren(
    publicLayout(t, page, (locale) => {
      void switchLocale(locale).then((next) => render(next, locale));
    }),
  );
  // After a switch the keyboard focus stays on the switch.
  if (focusSwitch) root?.querySelector<HTMLButtonElement>(`.locale-switch [lang="${focusSwitch}"]`)?.focus();
}

void startI18n().then((t) => render(t));
