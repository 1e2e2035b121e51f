import type { CallOutcome } from '../../../../shared/calls.ts';

const localeOf = (language: string) => (language === 'en' ? 'en-GB' : 'de-DE');

export const formatNumber = (value: number, language: string) =>
  new Intl.NumberFormat(localeOf(language)).format(value);

/** 0.4235 → "42,4 %". */
export const formatShare = (value: number, language: string) =>
  new Intl.NumberFormat(localeOf(language), { style: 'percent', maximumFractionDigits: 1 }).format(value);

/** `2026-11-23` → "23.11." (short, for chart axes). */
export const formatDay = (day: string, language: string) => {
  const date = new Date(`${day.slice(0, 10)}T12:00:00Z`);
  if (Number.isNaN(date.getTime())) return day;
  return new Intl.DateTimeFormat(localeOf(language), { day: '2-digit', month: '2-digit' }).format(date);
};

export const rate = (part: number, whole: number) => (whole > 0 ? part / whole : 0);

export const OUTCOME_COLORS: Record<CallOutcome, string> = {
  reached: 'teal.6',
  no_answer: 'gray.5',
  busy: 'orange.5',
  voicemail: 'indigo.4',
  call_back: 'cyan.5',
  wrong_number: 'red.4',
  number_outdated: 'red.7',
  not_interested: 'yellow.6',
  do_not_call: 'dark.4',
  other: 'grape.4',
};
