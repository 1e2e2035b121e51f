import { Alert, List } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../lib/api.ts';
import { errorText } from './errors.ts';

/** Shows an API error translated by its code, with the fields the server named. */
export function ErrorAlert({ error, title }: { error: unknown; title?: string }) {
  const { t } = useTranslation('common');
  if (!error) return null;
  // Details with a translated reason are already the text above; the rest name their field.
  const details = isApiError(error)
    ? error.details.filter((d) => !d.reason || !t(`errors.reasons.${d.reason}`, { defaultValue: '' }))
    : [];
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={20} aria-hidden />}
      title={title ?? t('errorTitle')}
      role="alert"
      data-testid="error-alert"
    >
      {errorText(t, error)}
      {details.length > 0 && (
        <List size="sm" mt="xs">
          {details.map((detail) => (
            <List.Item key={`${detail.path}:${detail.message}`}>
              {detail.path ? `${detail.path}: ` : ''}
              {detail.message}
            </List.Item>
          ))}
        </List>
      )}
    </Alert>
  );
}
