import { Alert, Anchor, Button, Paper, PasswordInput, Skeleton, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconPhone } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { InvalidLinkPage } from '../../../components/InvalidLinkPage.tsx';
import { PublicLayout } from '../../../components/PublicLayout.tsx';
import { isApiError } from '../../../lib/api.ts';
import { useLogout, useMe, useStartSession } from '../../auth/api.ts';
import { useAcceptCallInvite, useCallInvitePreview } from '../api.ts';

/**
 * `/join/:token`: a caller invitation link. A new volunteer registers (name, email, password); a
 * signed-in user accepts with one button. Afterwards the app shows the data-protection instruction
 * (if not confirmed yet) and then the caller screen of the assignment.
 */
export function CallerJoinPage() {
  const { t, i18n } = useTranslation('calls');
  const { token = '' } = useParams();
  const navigate = useNavigate();
  const preview = useCallInvitePreview(token);
  const me = useMe();
  const accept = useAcceptCallInvite(token);
  const logout = useLogout();
  const startSession = useStartSession();
  const loginLink = `/login?next=${encodeURIComponent(`/join/${token}`)}`;

  const form = useForm({
    initialValues: { name: '', email: '', password: '', repeat: '' },
    validate: {
      name: (value) => (value.trim() ? null : t('join.nameRequired')),
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('join.emailInvalid')),
      password: (value) => (value.length >= 8 ? null : t('auth:passwordTooShort')),
      repeat: (value, values) => (value === values.password ? null : t('auth:passwordsDiffer')),
    },
  });

  const invalid =
    isApiError(preview.error, 'invitation_invalid') ||
    isApiError(preview.error, 'validation_failed') ||
    isApiError(accept.error, 'invitation_invalid');

  if (invalid) {
    return (
      <InvalidLinkPage title={t('join.invalidTitle')} text={t('join.invalidText')} testId="join-invalid" />
    );
  }

  const done = async ({ assignmentId }: { assignmentId: string }) => {
    await startSession();
    navigate(`/calls/${assignmentId}`, { replace: true });
  };

  const register = form.onSubmit((values) =>
    accept.mutate(
      {
        name: values.name.trim(),
        email: values.email.trim(),
        password: values.password,
        locale: i18n.language === 'en' ? 'en' : 'de',
      },
      { onSuccess: done },
    ),
  );

  /** Label, test id and form binding of a required registration field. */
  const joinField = (name: keyof typeof form.values) => ({
    label: t(`join.${name}`),
    required: true,
    size: 'md',
    'data-testid': `join-${name}`,
    ...form.getInputProps(name),
  });

  const user = me.data?.user;
  const loading = preview.isPending || me.isPending;

  return (
    <PublicLayout title={t('join.title')}>
      {loading ? (
        <Stack>
          <Skeleton h={60} />
          <Skeleton h={36} />
          <Skeleton h={36} />
        </Stack>
      ) : preview.error ? (
        <ErrorAlert error={preview.error} />
      ) : (
        preview.data && (
          <Stack>
            <Paper bg="grape.0" p="md" radius="md" data-testid="join-summary">
              <Text size="sm">{t('join.invitedTo')}</Text>
              <Text fw={700} fz="lg" data-testid="join-assignment">
                {preview.data.assignmentTitle}
              </Text>
              <Text size="sm" c="dimmed">
                {preview.data.orgName}
              </Text>
            </Paper>
            {user ? (
              <>
                <Text size="sm">{t('join.signedInAs', { name: user.name || user.email })}</Text>
                <ErrorAlert error={accept.error} />
                <Button
                  size="lg"
                  fullWidth
                  leftSection={<IconPhone size={20} aria-hidden />}
                  loading={accept.isPending}
                  onClick={() => accept.mutate({}, { onSuccess: done })}
                  data-testid="join-accept"
                >
                  {t('join.accept')}
                </Button>
                <Button variant="subtle" onClick={() => logout.mutate()} loading={logout.isPending}>
                  {t('join.otherAccount')}
                </Button>
              </>
            ) : (
              <form onSubmit={register} noValidate>
                <Stack>
                  <Text size="sm">{t('join.newIntro')}</Text>
                  {isApiError(accept.error, 'email_taken') ? (
                    <Alert color="orange" data-testid="join-email-taken">
                      {t('join.emailTaken')}{' '}
                      <Anchor component={Link} to={loginLink}>
                        {t('join.login')}
                      </Anchor>
                    </Alert>
                  ) : (
                    <ErrorAlert error={accept.error} />
                  )}
                  <TextInput {...joinField('name')} autoComplete="name" />
                  <TextInput {...joinField('email')} type="email" autoComplete="email" />
                  <PasswordInput
                    {...joinField('password')}
                    description={t('auth:passwordRule')}
                    autoComplete="new-password"
                  />
                  <PasswordInput {...joinField('repeat')} autoComplete="new-password" />
                  <Text size="xs" c="dimmed">
                    {t('join.instructionNote')}
                  </Text>
                  <Button
                    type="submit"
                    size="lg"
                    fullWidth
                    loading={accept.isPending}
                    data-testid="join-submit"
                  >
                    {t('join.submit')}
                  </Button>
                  <Text size="sm" ta="center">
                    {t('join.haveAccount')}{' '}
                    <Anchor component={Link} to={loginLink} data-testid="join-login">
                      {t('join.login')}
                    </Anchor>
                  </Text>
                </Stack>
              </form>
            )}
          </Stack>
        )
      )}
    </PublicLayout>
  );
}
