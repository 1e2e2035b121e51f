import { Button, Center, Container, Stack } from '@mantine/core';
import { lazy, Suspense, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useLocation } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.tsx';
import { FullPageLoader } from '../components/FullPageLoader.tsx';
import { useMe } from '../features/auth/api.ts';
import { useOrgs } from '../features/orgs/api.ts';
import { AppLayout } from './AppLayout.tsx';
import { CurrentOrgProvider } from './current-org.tsx';
import { applyLocale, loadNamespaces } from './i18n.ts';

/** Shown once per instruction version, so it stays out of the entry chunk. */
const InstructionGatePage = lazy(async () => {
  const [module] = await Promise.all([
    import('../features/instruction/components/InstructionGatePage.tsx'),
    loadNamespaces(['instruction']),
  ]);
  return { default: module.InstructionGatePage };
});

function LoadError({ error, retry }: { error: unknown; retry: () => void }) {
  const { t } = useTranslation('common');
  return (
    <Container size="sm" py="xl">
      <Stack>
        <ErrorAlert error={error} />
        <Center>
          <Button onClick={retry}>{t('actions.retry')}</Button>
        </Center>
      </Stack>
    </Container>
  );
}

/**
 * Signed out → /login (remembering where to go); instruction not confirmed → only the instruction;
 * otherwise the app layout with the current unit.
 */
export function RequireAuth() {
  const location = useLocation();
  const me = useMe();
  const user = me.data?.user;
  const ready = Boolean(me.data?.instructionConfirmed);
  const orgs = useOrgs({ enabled: ready });

  // The account's language wins over the browser's last choice.
  const userLocale = user?.locale;
  useEffect(() => {
    if (userLocale) applyLocale(userLocale);
  }, [userLocale]);

  if (me.isPending) return <FullPageLoader />;
  if (me.isError) return <LoadError error={me.error} retry={() => void me.refetch()} />;
  if (!me.data) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (!me.data.instructionConfirmed)
    return (
      <Suspense fallback={<FullPageLoader />}>
        <InstructionGatePage me={me.data} />
      </Suspense>
    );
  if (orgs.isError) return <LoadError error={orgs.error} retry={() => void orgs.refetch()} />;
  if (!orgs.data) return <FullPageLoader />;
  return (
    <CurrentOrgProvider me={me.data} orgs={orgs.data.items}>
      <AppLayout />
    </CurrentOrgProvider>
  );
}
