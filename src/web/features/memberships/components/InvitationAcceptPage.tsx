import { Badge, Button, Group, Paper, PasswordInput, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { applyLocale } from '../../../app/i18n.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { InvalidLinkPage } from '../../../components/InvalidLinkPage.tsx';
import { PublicLayout } from '../../../components/PublicLayout.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useStartSession } from '../../auth/api.ts';
import { useAcceptInvitation, useInvitationPreview } from '../api.ts';

export function InvitationAcceptPage() {
  const { t } = useTranslation('memberships');
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const preview = useInvitationPreview(token);
  const accept = useAcceptInvitation(token);
  const startSession = useStartSession();
  const existingUser = preview.data?.existingUser ?? false;
  // An existing account with two-factor login: the code is the second step, as at the login.
  const [needsTotp, setNeedsTotp] = useState(false);

  const form = useForm({
    initialValues: { name: '', password: '', repeat: '', totp: '' },
    validate: {
      name: (value) => (existingUser || value.trim() ? null : t('accept.nameRequired')),
      password: (value) =>
        existingUser
          ? value
            ? null
            : t('accept.passwordRequired')
          : value.length >= 8
            ? null
            : t('auth:passwordTooShort'),
      repeat: (value, values) =>
        existingUser || value === values.password ? null : t('auth:passwordsDiffer'),
      totp: (value) => (needsTotp && value.trim().length < 6 ? t('auth:login.totpRequired') : null),
    },
  });

  const invalid =
    isApiError(preview.error, 'invitation_invalid') ||
    isApiError(preview.error, 'not_found') ||
    isApiError(preview.error, 'validation_failed') ||
    isApiError(accept.error, 'invitation_invalid');

  if (invalid) {
    return (
      <InvalidLinkPage
        title={t('accept.invalidTitle')}
        text={t('accept.invalidText')}
        testId="invitation-invalid"
      />
    );
  }

  const submit = form.onSubmit((values) => {
    const info = preview.data;
    if (!info) return;
    accept.mutate(
      {
        name: existingUser ? info.email : values.name.trim(),
        password: values.password,
        totp: needsTotp ? values.totp.trim() : undefined,
      },
      {
        onSuccess: async ({ user }) => {
          applyLocale(user.locale);
          await startSession();
          navigate('/', { replace: true });
        },
        onError: (error) => {
          if (isApiError(error, 'totp_required')) setNeedsTotp(true);
        },
      },
    );
  });

  return (
    <PublicLayout title={t('accept.title')}>
      {preview.isPending ? (
        <Stack>
          <Skeleton h={60} />
          <Skeleton h={36} />
          <Skeleton h={36} />
        </Stack>
      ) : preview.error ? (
        <ErrorAlert error={preview.error} />
      ) : (
        preview.data && (
          <form onSubmit={submit} noValidate>
            <Stack>
              <Paper bg="grape.0" p="md" radius="md" data-testid="invitation-summary">
                <Text size="sm">{t('accept.invitedTo')}</Text>
                <Text fw={700} fz="lg">
                  {preview.data.orgName}
                </Text>
                <Group gap="xs" mt={4}>
                  <Text size="sm">{t('accept.as')}</Text>
                  <Badge variant="filled">{t(`common:roles.${preview.data.role}`)}</Badge>
                </Group>
                <Text size="sm" c="dimmed" mt={4}>
                  {preview.data.email}
                </Text>
              </Paper>
              {existingUser ? (
                <Text size="sm">{t('accept.existingIntro')}</Text>
              ) : (
                <Text size="sm">{t('accept.newIntro')}</Text>
              )}
              <ErrorAlert error={isApiError(accept.error, 'totp_required') ? null : accept.error} />
              {!existingUser && (
                <TextInput
                  label={t('accept.name')}
                  autoComplete="name"
                  required
                  size="md"
                  {...form.getInputProps('name')}
                />
              )}
              <PasswordInput
                label={t('accept.password')}
                description={existingUser ? undefined : t('auth:passwordRule')}
                autoComplete={existingUser ? 'current-password' : 'new-password'}
                required
                size="md"
                {...form.getInputProps('password')}
              />
              {needsTotp && (
                <TextInput
                  label={t('auth:login.totp')}
                  description={t('auth:login.totpHint')}
                  autoComplete="one-time-code"
                  autoFocus
                  size="md"
                  data-testid="invitation-totp"
                  {...form.getInputProps('totp')}
                />
              )}
              {!existingUser && (
                <PasswordInput
                  label={t('accept.repeat')}
                  autoComplete="new-password"
                  required
                  size="md"
                  {...form.getInputProps('repeat')}
                />
              )}
              <Button
                type="submit"
                size="md"
                fullWidth
                loading={accept.isPending}
                data-testid="invitation-accept"
              >
                {t('accept.submit')}
              </Button>
            </Stack>
          </form>
        )
      )}
    </PublicLayout>
  );
}
