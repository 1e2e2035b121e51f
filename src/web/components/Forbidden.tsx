import { Button } from '@mantine/core';
import { IconLock } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState } from './EmptyState.tsx';

/** Shown on a page the user's role at the current unit does not allow. */
export function Forbidden() {
  const { t } = useTranslation('common');
  return (
    <EmptyState
      icon={<IconLock size={26} aria-hidden />}
      title={t('errors.forbidden')}
      text={t('forbiddenHint')}
      action={
        <Button component={Link} to="/" mt="sm" variant="light">
          {t('notFound.home')}
        </Button>
      }
    />
  );
}
