import type { CallingHours, Weekday } from '../../shared/calls.ts';

const DAYS: Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Wall-clock parts of an instant in a time zone. */
function zoned(at: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: n('year'), m: n('month'), d: n('day'), h: n('hour'), min: n('minute'), s: n('second') };
}

/** The instant of a wall-clock time in a zone (correct across DST except inside the skipped hour). */
function instantOf(y: number, m: number, d: number, h: number, min: number, timeZone: string): Date {
  const guess = Date.UTC(y, m - 1, d, h, min);
  const z = zoned(new Date(guess), timeZone);
  const offset = Date.UTC(z.y, z.m - 1, z.d, z.h, z.min, z.s) - guess;
  return new Date(guess - offset);
}

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * Is calling allowed at `now` in the unit's time zone? If not, when does it open next (within a
 * week; `null` when every day is closed)?
 */
export function callingWindowAt(
  hours: CallingHours,
  timeZone: string,
  now: Date,
): { open: true } | { open: false; opensAt: Date | null } {
  const z = zoned(now, timeZone);
  const weekdayOf = (y: number, m: number, d: number) => DAYS[new Date(Date.UTC(y, m - 1, d)).getUTCDay()];
  const nowMin = z.h * 60 + z.min;
  for (const w of hours[weekdayOf(z.y, z.m, z.d)] ?? []) {
    if (nowMin >= minutes(w.from) && nowMin < minutes(w.to)) return { open: true };
  }
  for (let offset = 0; offset <= 7; offset++) {
    const day = new Date(Date.UTC(z.y, z.m - 1, z.d + offset));
    const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
    const starts = (hours[weekdayOf(y, m, d)] ?? [])
      .map((w) => minutes(w.from))
      .filter((start) => offset > 0 || start > nowMin)
      .sort((a, b) => a - b);
    if (starts.length)
      return {
        open: false,
        opensAt: instantOf(y, m, d, Math.floor(starts[0] / 60), starts[0] % 60, timeZone),
      };
  }
  return { open: false, opensAt: null };
}

/** Midnight at the start of a calendar day (`YYYY-MM-DD`) in a time zone. */
export function zonedMidnight(day: string, timeZone: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return instantOf(y, m, d, 0, 0, timeZone);
}
