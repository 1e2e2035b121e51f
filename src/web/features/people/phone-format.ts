import { useEffect, useSyncExternalStore } from 'react';

/**
 * `formatE164` without libphonenumber's 30 KB gzip in the chunk of the page: it is fetched after
 * the first paint (`preloadPhoneFormat`), and until it is there a number shows in its E.164 form.
 */
type Format = (e164: string | null | undefined) => string | null;
let format: Format | null = null;
let loading: Promise<void> | null = null;
const listeners = new Set<() => void>();

export function preloadPhoneFormat(): Promise<void> {
  loading ??= import('./format.ts').then((module) => {
    format = module.formatE164;
    for (const listener of listeners) listener();
  });
  return loading;
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** "+493511234567" → "+49 351 1234567" once loaded (re-renders then), the E.164 text before. */
export function useFormatE164(): Format {
  const loaded = useSyncExternalStore(subscribe, () => format);
  useEffect(() => {
    void preloadPhoneFormat();
  }, []);
  return loaded ?? ((e164) => e164 ?? null);
}
