import { Alert, Button, Group, Stack, Text, TextInput } from '@mantine/core';
import { IconKey } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { SecretBox } from '../../../components/SecretBox.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type ApiToken, useApiTokens, useCreateApiToken, useRevokeApiToken } from '../api.ts';

export function TokensSection() {
  const { t, i18n } = useTranslation('account');
  const tokens = useApiTokens();
  const create = useCreateApiToken();
  const revoke = useRevokeApiToken();
  const [name, setName] = useState('');
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const items = tokens.data?.items ?? [];

  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('tokens.intro')}
      </Text>
      <form
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          if (name.trim()) create.mutate(name.trim(), { onSuccess: () => setName('') });
        }}
      >
        <Group align="flex-end" gap="sm">
          <TextInput
            label={t('tokens.name')}
            placeholder={t('tokens.namePlaceholder')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            style={{ flex: '1 1 220px' }}
          />
          <Button
            type="submit"
            leftSection={<IconKey size={16} aria-hidden />}
            loading={create.isPending}
            disabled={!name.trim()}
          >
            {t('tokens.create')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={create.error} />
      {create.data && (
        <Alert color="teal" title={t('tokens.createdTitle', { name: create.data.name })}>
          <Stack gap="xs">
            <Text size="sm">{t('tokens.createdText')}</Text>
            <SecretBox value={create.data.token} testId="api-token-value" />
          </Stack>
        </Alert>
      )}
      <DataTable
        error={tokens.error}
        empty={
          <Text size="sm" c="dimmed">
            {t('tokens.empty')}
          </Text>
        }
        framed={false}
        minWidth={520}
        testId="tokens-table"
        rows={items}
        rowKey={(token) => token.id}
        columns={[
          { key: 'name', header: t('tokens.name'), td: { fw: 500 }, cell: (token) => token.name },
          {
            key: 'created',
            header: t('tokens.createdAt'),
            cell: (token) => formatDateTime(token.createdAt, i18n.language),
          },
          {
            key: 'lastUsed',
            header: t('tokens.lastUsed'),
            cell: (token) =>
              token.lastUsedAt ? formatDateTime(token.lastUsedAt, i18n.language) : t('common:states.never'),
          },
          {
            key: 'revoke',
            header: null,
            th: { 'aria-label': t('tokens.revoke') },
            td: { ta: 'right' },
            cell: (token) => (
              <Button size="xs" variant="subtle" color="red" onClick={() => setRevoking(token)}>
                {t('tokens.revoke')}
              </Button>
            ),
          },
        ]}
      />
      <ConfirmModal
        opened={Boolean(revoking)}
        title={t('tokens.revokeTitle')}
        confirmLabel={t('tokens.revoke')}
        loading={revoke.isPending}
        error={revoke.error}
        onClose={() => setRevoking(null)}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifySuccess(t('tokens.revoked'));
              setRevoking(null);
            },
          })
        }
      >
        {revoking ? t('tokens.revokeText', { name: revoking.name }) : ''}
      </ConfirmModal>
    </Stack>
  );
}
