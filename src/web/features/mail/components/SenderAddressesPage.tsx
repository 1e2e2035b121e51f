import { ActionIcon, Button, Group, Paper, Stack, TextInput } from '@mantine/core';
import { IconAt, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type Sender, useAddSenderAddress, useDeleteSenderAddress, useSenderAddresses } from '../api.ts';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Superadmins: the From addresses units may choose for their mailings. */
export function SenderAddressesPage() {
  const { t, i18n } = useTranslation('mail');
  const { can } = useCurrentOrg();
  const allowed = can('instance:manage');
  const senders = useSenderAddresses(allowed);
  const add = useAddSenderAddress();
  const remove = useDeleteSenderAddress();
  const [address, setAddress] = useState('');
  const [removing, setRemoving] = useState<Sender | null>(null);
  if (!allowed) return <Forbidden />;

  return (
    <>
      <PageHeader title={t('senders.title')} description={t('senders.description')} />
      <Stack>
        <Paper withBorder radius="md" p="md">
          <form
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!EMAIL.test(address.trim())) return;
              add.mutate(address.trim(), { onSuccess: () => setAddress('') });
            }}
          >
            <Stack gap="xs">
              <Group align="flex-end" gap="sm" wrap="wrap">
                <TextInput
                  label={t('senders.address')}
                  placeholder="info@example.org"
                  type="email"
                  value={address}
                  onChange={(e) => setAddress(e.currentTarget.value)}
                  style={{ flex: '1 1 260px' }}
                  data-testid="sender-address"
                />
                <Button
                  type="submit"
                  loading={add.isPending}
                  disabled={!EMAIL.test(address.trim())}
                  data-testid="sender-add"
                >
                  {t('senders.add')}
                </Button>
              </Group>
              <ErrorAlert error={add.error} />
            </Stack>
          </form>
        </Paper>
        <DataTable
          error={senders.error ?? undefined}
          loading={senders.isPending}
          minWidth={420}
          rows={senders.data?.items ?? []}
          rowKey={(s) => s.id}
          rowProps={() => ({ 'data-testid': 'sender-row' })}
          empty={<EmptyState icon={<IconAt size={24} aria-hidden />} title={t('senders.empty')} />}
          columns={[
            { key: 'address', header: t('senders.address'), cell: (s) => s.address },
            {
              key: 'created',
              header: t('senders.created'),
              cell: (s) => formatDateTime(s.createdAt, i18n.language),
            },
            {
              key: 'remove',
              header: null,
              th: { 'aria-label': t('senders.remove') },
              td: { ta: 'right' },
              cell: (s) => (
                <ActionIcon
                  variant="subtle"
                  color="red"
                  aria-label={t('senders.removeOne', { address: s.address })}
                  onClick={() => {
                    remove.reset();
                    setRemoving(s);
                  }}
                >
                  <IconTrash size={18} aria-hidden />
                </ActionIcon>
              ),
            },
          ]}
        />
      </Stack>
      <ConfirmModal
        opened={Boolean(removing)}
        onClose={() => setRemoving(null)}
        title={t('senders.removeTitle')}
        confirmLabel={t('senders.remove')}
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
      >
        {t('senders.removeText', { address: removing?.address ?? '' })}
      </ConfirmModal>
    </>
  );
}
