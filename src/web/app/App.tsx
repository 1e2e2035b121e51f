import { MantineProvider } from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { RouterProvider } from 'react-router';
import { LocalizedDatesProvider } from '../components/LocalizedDatesProvider.tsx';
import { meKey } from '../features/auth/api.ts';
import { isApiError } from '../lib/api.ts';
import { router } from './router.tsx';
import { cssVariablesResolver, theme } from './theme.ts';

/** A lost session or a new instruction version seen by any request sends the user through the guard again. */
function onApiError(error: unknown, queryKey?: readonly unknown[]) {
  if (queryKey && queryKey[0] === meKey[0] && queryKey[1] === meKey[1]) return;
  if (isApiError(error, 'not_authenticated') || isApiError(error, 'instruction_required')) {
    void queryClient.invalidateQueries({ queryKey: meKey });
  }
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: (error, query) => onApiError(error, query.queryKey) }),
  mutationCache: new MutationCache({ onError: (error) => onApiError(error) }),
  defaultOptions: {
    queries: {
      retry: (failureCount, error) => (isApiError(error) && error.status < 500 ? false : failureCount < 2),
      refetchOnWindowFocus: false,
    },
  },
});

export function App() {
  return (
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver} defaultColorScheme="light">
      <Notifications position="top-right" />
      <LocalizedDatesProvider>
        <QueryClientProvider client={queryClient}>
          <RouterProvider router={router} />
        </QueryClientProvider>
      </LocalizedDatesProvider>
    </MantineProvider>
  );
}
