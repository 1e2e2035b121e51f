import { Alert, Anchor, Button, PasswordInput, Stack } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconCircleCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PublicLayout } from '../../../components/PublicLayout.tsx';
import { useResetPassword } from '../api.ts';

export function ResetPasswordPage() {
  const { t } = useTranslation('auth');
  const { token = '' } = useParams();
  const reset = useResetPassword(token);
  const form = useForm({
    initialValues: { password: '', repeat: '' },
    validate: {
      password: (value) => (value.length >= 8 ? null : t('passwordTooShort')),
      repeat: (value, values) => (value === values.password ? null : t('passwordsDiffer')),
    },
  });
  return (
    <PublicLayout title={t('reset.title')}>
      {reset.isSuccess ? (
        <Stack>
          <Alert color="teal" icon={<IconCircleCheck size={20} aria-hidden />} role="status">
            {t('reset.done')}
          </Alert>
          <Button component={Link} to="/login" size="md">
            {t('backToLogin')}
          </Button>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((values) => reset.mutate(values.password))} noValidate>
          <Stack>
            <ErrorAlert error={reset.error} />
            <PasswordInput
              label={t('reset.password')}
              description={t('passwordRule')}
              autoComplete="new-password"
              required
              size="md"
              {...form.getInputProps('password')}
            />
            <PasswordInput
              label={t('reset.repeat')}
              autoComplete="new-password"
              required
              size="md"
              {...form.getInputProps('repeat')}
            />
            <Button type="submit" size="md" fullWidth loading={reset.isPending}>
              {t('reset.submit')}
            </Button>
            <Anchor component={Link} to="/forgot-password" ta="center" size="sm">
              {t('reset.requestNew')}
            </Anchor>
          </Stack>
        </form>
      )}
    </PublicLayout>
  );
}
