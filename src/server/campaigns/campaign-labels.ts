import type { CallOutcome } from '../../shared/calls.ts';

/**
 * Outcome labels for the evaluation's files (CSV/XLSX) in the reader's language: the same words as
 * the web app's `calls:outcomes` (test/labels.test.ts keeps them equal).
 */
export const OUTCOME_LABELS: Record<'de' | 'en', Record<CallOutcome, string>> = {
  de: {
    reached: 'Erreicht',
    no_answer: 'Nicht erreicht',
    busy: 'Besetzt',
    voicemail: 'Mailbox',
    call_back: 'Später anrufen',
    wrong_number: 'Falsche Nummer',
    number_outdated: 'Nummer veraltet',
    not_interested: 'Kein Interesse',
    do_not_call: 'Nicht mehr anrufen',
    other: 'Sonstiges',
  },
  en: {
    reached: 'Reached',
    no_answer: 'No answer',
    busy: 'Busy',
    voicemail: 'Voicemail',
    call_back: 'Call back later',
    wrong_number: 'Wrong number',
    number_outdated: 'Number outdated',
    not_interested: 'Not interested',
    do_not_call: 'Do not call again',
    other: 'Other',
  },
};
