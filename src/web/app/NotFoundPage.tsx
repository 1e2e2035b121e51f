import { Button } from '@mantine/core';
import { IconMapOff } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from '../components/EmptyState.tsx';

export function NotFoundPage() {
  const { t } = useTranslation('common');
  return (
    <EmptyState
      icon={<IconMapOff size={26} aria-hidden />}
      title={t('notFound.title')}
      text={t('notFound.text')}
      action={
        <Button component={Link} to="/" mt="sm">
          {t('notFound.home')}
        </Button>
      }
    />
  );
}
