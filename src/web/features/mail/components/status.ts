import type { Mailing } from '../api.ts';

export const MAILING_STATUS_COLORS: Record<Mailing['status'], string> = {
  draft: 'gray',
  scheduled: 'violet',
  sending: 'blue',
  paused: 'orange',
  sent: 'teal',
  cancelled: 'red',
};

/** Statuses in which the content can still be changed (a scheduled one goes back to draft). */
export const EDITABLE_STATUSES: ReadonlySet<Mailing['status']> = new Set(['draft', 'scheduled']);

const localeOf = (language: string) => (language === 'en' ? 'en-GB' : 'de-DE');

export const formatCount = (value: number, language: string) =>
  new Intl.NumberFormat(localeOf(language)).format(value);

export const formatTime = (iso: string, language: string) =>
  new Intl.DateTimeFormat(localeOf(language), { timeStyle: 'short' }).format(new Date(iso));
