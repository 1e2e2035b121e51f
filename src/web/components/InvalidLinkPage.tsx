import { Alert, Anchor, Stack } from '@mantine/core';
import { IconLinkOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PublicLayout } from './PublicLayout.tsx';

/** The friendly page for an expired, used-up or unknown link (invitations, caller links). */
export function InvalidLinkPage({ title, text, testId }: { title: string; text: string; testId: string }) {
  const { t } = useTranslation('auth');
  return (
    <PublicLayout title={title}>
      <Stack>
        <Alert color="orange" icon={<IconLinkOff size={20} aria-hidden />} data-testid={testId}>
          {text}
        </Alert>
        <Anchor component={Link} to="/login" ta="center">
          {t('backToLogin')}
        </Anchor>
      </Stack>
    </PublicLayout>
  );
}
