import { Alert } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { errorText } from '../../../components/errors.ts';
import { isApiError } from '../../../lib/api.ts';

/** A translated API error above a form's buttons; field errors are shown next to the inputs. */
export function FormError({ error }: { error: unknown }) {
  const { t } = useTranslation('people');
  if (!error) return null;
  const fieldErrors = isApiError(error, 'validation_failed') && error.details.length > 0;
  return (
    <Alert
      color="red"
      variant="light"
      icon={<IconAlertTriangle size={20} aria-hidden />}
      title={t('common:errorTitle')}
      role="alert"
      data-testid="error-alert"
    >
      {fieldErrors ? t('form.checkFields') : errorText(t, error)}
    </Alert>
  );
}
