import { Alert, Anchor, Button, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconMailCheck } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { PublicLayout } from '../../../components/PublicLayout.tsx';
import { useRequestPasswordReset } from '../api.ts';

export function ForgotPasswordPage() {
  const { t } = useTranslation('auth');
  const request = useRequestPasswordReset();
  const form = useForm({
    initialValues: { email: '' },
    validate: { email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('login.emailInvalid')) },
  });
  return (
    <PublicLayout title={t('forgot.title')}>
      {request.isSuccess ? (
        <Stack>
          <Alert color="teal" icon={<IconMailCheck size={20} aria-hidden />} role="status">
            {t('forgot.sent')}
          </Alert>
          <Anchor component={Link} to="/login" ta="center">
            {t('backToLogin')}
          </Anchor>
        </Stack>
      ) : (
        <form onSubmit={form.onSubmit((values) => request.mutate(values.email.trim()))} noValidate>
          <Stack>
            <Text size="sm" c="dimmed">
              {t('forgot.intro')}
            </Text>
            <ErrorAlert error={request.error} />
            <TextInput
              label={t('login.email')}
              type="email"
              autoComplete="email"
              required
              size="md"
              {...form.getInputProps('email')}
            />
            <Button type="submit" size="md" fullWidth loading={request.isPending}>
              {t('forgot.submit')}
            </Button>
            <Anchor component={Link} to="/login" ta="center" size="sm">
              {t('backToLogin')}
            </Anchor>
          </Stack>
        </form>
      )}
    </PublicLayout>
  );
}
