import { type ComponentType, type LazyExoticComponent, lazy, Suspense, useEffect } from 'react';
import { FullPageLoader } from '../components/FullPageLoader.tsx';
import { loadNamespaces, type Namespace } from './i18n.ts';

const pages = new Map<string, { Page: LazyExoticComponent<ComponentType>; start: () => Promise<unknown> }>();
const starters = new WeakMap<object, () => Promise<unknown>>();

/**
 * A route's page loaded on first visit: its code chunk and the message namespaces it reads are
 * fetched side by side (no waterfall), with the app's loader meanwhile. Pages stay out of the
 * entry chunk, so the caller screen never downloads the dashboard, charts or the import wizard.
 */
export function lazyPage<M extends Record<K, ComponentType>, K extends keyof M & string>(
  load: () => Promise<M>,
  name: K,
  namespaces: readonly Namespace[],
  /** Code the page needs later (after a click), fetched once it is on screen. */
  prefetch?: () => unknown,
) {
  // One component per page, so two routes of the same page keep its state as before.
  let page = pages.get(name);
  if (!page) {
    let loading: Promise<{ default: ComponentType }> | undefined;
    const start = () => {
      loading ??= Promise.all([load(), loadNamespaces(namespaces)]).then(([module]) => ({
        default: module[name],
      }));
      return loading;
    };
    page = { Page: lazy(start), start };
    pages.set(name, page);
  }
  const { Page } = page;
  const element = (
    <Suspense fallback={<FullPageLoader />}>
      <Page />
      {prefetch && <Prefetch load={prefetch} />}
    </Suspense>
  );
  starters.set(element, page.start);
  return element;
}

/**
 * Starts loading the pages of these route elements now: the first page's chunk and messages then
 * download beside the session check instead of after it (one round trip less on a cold start).
 */
export function preloadPages(elements: readonly unknown[]): void {
  for (const element of elements) {
    if (element && typeof element === 'object') void starters.get(element)?.();
  }
}

function Prefetch({ load }: { load: () => unknown }) {
  useEffect(() => {
    load();
  }, [load]);
  return null;
}
