/** Call-back quick picks and the `datetime-local` value format (local time, minutes). */

export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export type QuickPick = 'inHour' | 'evening' | 'tomorrow';
export const QUICK_PICK_TEST_IDS: Record<QuickPick, string> = {
  inHour: 'call-back-in-1h',
  evening: 'call-back-tonight',
  tomorrow: 'call-back-tomorrow',
};

/** In one hour; this evening (18:00, or in one hour when that is later); tomorrow 10:00. */
export function quickPicks(now = new Date()): { key: QuickPick; value: string }[] {
  const inHour = new Date(now.getTime() + 60 * 60 * 1000);
  const evening = new Date(now);
  evening.setHours(18, 0, 0, 0);
  const tomorrow = new Date(now);
  tomorrow.setDate(tomorrow.getDate() + 1);
  tomorrow.setHours(10, 0, 0, 0);
  return [
    { key: 'inHour', value: toLocalInput(inHour) },
    { key: 'evening', value: toLocalInput(evening > inHour ? evening : inHour) },
    { key: 'tomorrow', value: toLocalInput(tomorrow) },
  ];
}

/** The ISO time of a `datetime-local` value, if it is one and lies in the future. */
export function futureIso(value: string, now = new Date()): string | undefined {
  if (!value) return undefined;
  const at = new Date(value);
  if (Number.isNaN(at.getTime()) || at.getTime() <= now.getTime()) return undefined;
  return at.toISOString();
}
