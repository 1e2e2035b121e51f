import {
  Alert,
  Badge,
  Button,
  Group,
  Image,
  PasswordInput,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { IconAlertTriangle, IconShieldCheck, IconShieldOff } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { SecretBox } from '../../../components/SecretBox.tsx';
import type { Me } from '../../auth/api.ts';
import { useTotpDisable, useTotpEnable, useTotpSetup } from '../api.ts';

export function TotpSection({ me }: { me: Me }) {
  const { t } = useTranslation('account');
  const setup = useTotpSetup();
  const enable = useTotpEnable();
  const disable = useTotpDisable();
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const recoveryCodes = enable.data?.recoveryCodes;

  if (recoveryCodes) {
    return (
      <Stack>
        <Alert color="teal" icon={<IconShieldCheck size={20} aria-hidden />} title={t('totp.enabledTitle')}>
          {t('totp.recoveryIntro')}
        </Alert>
        <Alert color="orange" icon={<IconAlertTriangle size={20} aria-hidden />}>
          {t('totp.recoveryWarning')}
        </Alert>
        <SecretBox value={recoveryCodes.join('\n')} label={t('totp.recoveryCodes')} testId="recovery-codes" />
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => {
              enable.reset();
              setup.reset();
              setCode('');
            }}
          >
            {t('totp.stored')}
          </Button>
        </Group>
      </Stack>
    );
  }

  if (me.user.totpEnabled) {
    return (
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          disable.mutate(password, {
            onSuccess: () => {
              setPassword('');
              notifySuccess(t('totp.disabled'));
            },
          });
        }}
      >
        <Stack>
          <Group gap="xs">
            <Badge color="teal" leftSection={<IconShieldCheck size={14} aria-hidden />}>
              {t('totp.on')}
            </Badge>
            <Text size="sm" c="dimmed">
              {t('totp.onText')}
            </Text>
          </Group>
          <PasswordInput
            label={t('totp.disablePassword')}
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.currentTarget.value)}
          />
          <ErrorAlert error={disable.error} />
          <Group justify="flex-end">
            <Button
              type="submit"
              color="red"
              variant="light"
              leftSection={<IconShieldOff size={16} aria-hidden />}
              disabled={!password}
              loading={disable.isPending}
            >
              {t('totp.disable')}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  }

  if (setup.data) {
    return (
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          enable.mutate(code.trim());
        }}
      >
        <Stack>
          <Text size="sm">{t('totp.scan')}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
            <Image
              src={setup.data.qrCodeDataUrl}
              alt={t('totp.qrAlt')}
              w={200}
              h={200}
              fit="contain"
              radius="md"
              style={{ border: '1px solid var(--mantine-color-gray-3)' }}
            />
            <Stack gap="sm">
              <SecretBox value={setup.data.secret} label={t('totp.secret')} testId="totp-secret" />
              <TextInput
                label={t('totp.code')}
                description={t('totp.codeHint')}
                inputMode="numeric"
                autoComplete="one-time-code"
                maxLength={6}
                value={code}
                onChange={(event) => setCode(event.currentTarget.value.replace(/\D/g, ''))}
              />
            </Stack>
          </SimpleGrid>
          <ErrorAlert error={enable.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setup.reset()}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" disabled={code.length !== 6} loading={enable.isPending}>
              {t('totp.enable')}
            </Button>
          </Group>
        </Stack>
      </form>
    );
  }

  return (
    <Stack>
      <Group gap="xs">
        <Badge color="gray" leftSection={<IconShieldOff size={14} aria-hidden />}>
          {t('totp.off')}
        </Badge>
        <Text size="sm" c="dimmed">
          {t('totp.offText')}
        </Text>
      </Group>
      <ErrorAlert error={setup.error} />
      <Group justify="flex-end">
        <Button
          leftSection={<IconShieldCheck size={16} aria-hidden />}
          loading={setup.isPending}
          onClick={() => setup.mutate()}
        >
          {t('totp.setup')}
        </Button>
      </Group>
    </Stack>
  );
}
