import { Button, Group, Modal, NativeSelect, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../shared/permissions.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import type { Org } from '../../orgs/api.ts';
import { useInvite } from '../api.ts';

/** `roles`: the roles this user may hand out here (organizers: callers only). */
export function InviteModal({
  org,
  roles = ROLES,
  opened,
  onClose,
}: {
  org: Org;
  roles?: readonly Role[];
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('memberships');
  const invite = useInvite();
  const form = useForm({
    initialValues: { email: '', role: 'caller' as Role },
    validate: { email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('invite.emailInvalid')) },
  });

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when opened
  useEffect(() => {
    if (opened) {
      form.reset();
      invite.reset();
    }
  }, [opened]);

  return (
    <Modal opened={opened} onClose={onClose} title={t('invite.title')} centered>
      <form
        noValidate
        data-testid="invite-form"
        onSubmit={form.onSubmit((values) =>
          invite.mutate(
            { orgId: org.id, email: values.email.trim(), role: values.role },
            {
              onSuccess: () => {
                notifySuccess(t('invite.sent'));
                onClose();
              },
            },
          ),
        )}
      >
        <Stack>
          <Text size="sm" c="dimmed">
            {t('invite.intro', { org: org.name })}
          </Text>
          <TextInput
            label={t('invite.email')}
            type="email"
            required
            data-autofocus
            autoComplete="off"
            {...form.getInputProps('email')}
          />
          <NativeSelect
            label={t('invite.role')}
            required
            data={roles.map((role) => ({ value: role, label: t(`common:roles.${role}`) }))}
            description={t(`roleHelp.${form.values.role}`)}
            disabled={roles.length === 1}
            {...form.getInputProps('role')}
          />
          {roles.length < ROLES.length && (
            <Text size="sm" c="dimmed" data-testid="invite-roles-hint">
              {t('invite.callersOnly')}
            </Text>
          )}
          <ErrorAlert error={invite.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button type="submit" loading={invite.isPending} data-testid="invite-submit">
              {t('invite.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
