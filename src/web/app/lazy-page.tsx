import { type ComponentType, type LazyExoticComponent, lazy, Suspense, useEffect } from 'react';
import { FullPageLoader } from '../components/FullPageLoader.tsx';
import { loadNamespaces, type Namespace } from './i18n.ts';

const pages = new Map<string, LazyExoticComponent<ComponentType>>();

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
  let Page = pages.get(name);
  if (!Page) {
    Page = lazy(async (): Promise<{ default: ComponentType }> => {
      const [module] = await Promise.all([load(), loadNamespaces(namespaces)]);
      return { default: module[name] };
    });
    pages.set(name, Page);
  }
  return (
    <Suspense fallback={<FullPageLoader />}>
      <Page />
      {prefetch && <Prefetch load={prefetch} />}
    </Suspense>
  );
}

function Prefetch({ load }: { load: () => unknown }) {
  useEffect(() => {
    load();
  }, [load]);
  return null;
}
