import { Anchor, Button, PasswordInput, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { applyLocale } from '../../../app/i18n.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { PublicLayout } from '../../../components/PublicLayout.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useLogin, useMe, useStartSession } from '../api.ts';

/** Only same-site paths are followed after login. */
export function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation('auth');
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const navigate = useNavigate();
  const me = useMe();
  const login = useLogin();
  const startSession = useStartSession();
  const [needsTotp, setNeedsTotp] = useState(false);
  const form = useForm({
    initialValues: { email: '', password: '', totp: '' },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('login.emailInvalid')),
      password: (value) => (value ? null : t('login.passwordRequired')),
      totp: (value) => (needsTotp && value.trim().length < 6 ? t('login.totpRequired') : null),
    },
  });

  if (me.isPending) return <FullPageLoader />;
  if (me.data) return <Navigate to={next} replace />;

  const submit = form.onSubmit((values) => {
    login.mutate(
      {
        email: values.email.trim(),
        password: values.password,
        totp: needsTotp ? values.totp.trim() : undefined,
      },
      {
        onSuccess: async ({ user }) => {
          applyLocale(user.locale);
          await startSession();
          navigate(next, { replace: true });
        },
        onError: (error) => {
          if (isApiError(error, 'totp_required')) setNeedsTotp(true);
        },
      },
    );
  });

  // totp_required is not an error for the user: it is the second step.
  const shownError = isApiError(login.error, 'totp_required') ? null : login.error;

  return (
    <PublicLayout title={t('login.title')}>
      <form onSubmit={submit} noValidate>
        <Stack>
          <ErrorAlert error={shownError} />
          <TextInput
            label={t('login.email')}
            type="email"
            autoComplete="username"
            required
            size="md"
            {...form.getInputProps('email')}
          />
          <PasswordInput
            label={t('login.password')}
            autoComplete="current-password"
            required
            size="md"
            {...form.getInputProps('password')}
          />
          {needsTotp && (
            <TextInput
              label={t('login.totp')}
              description={t('login.totpHint')}
              autoComplete="one-time-code"
              inputMode="text"
              autoFocus
              size="md"
              data-testid="login-totp"
              {...form.getInputProps('totp')}
            />
          )}
          <Button type="submit" size="md" fullWidth loading={login.isPending}>
            {t('login.submit')}
          </Button>
          <Text ta="center" size="sm">
            <Anchor component={Link} to="/forgot-password">
              {t('login.forgot')}
            </Anchor>
          </Text>
        </Stack>
      </form>
    </PublicLayout>
  );
}
