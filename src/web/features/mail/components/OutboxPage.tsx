import { Alert, Badge, Button, Drawer, Group, Skeleton, Stack, Table, Text } from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type OutboxEntry, useOutbox, useOutboxMessage } from '../api.ts';
import { LinkifiedText } from './LinkifiedText.tsx';

const STATUS_COLORS: Record<OutboxEntry['status'], string> = {
  queued: 'yellow',
  sent: 'teal',
  failed: 'red',
  outbox: 'blue',
};

function MessageDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation('mail');
  const message = useOutboxMessage(id);
  if (message.isPending) return <Skeleton h={240} />;
  if (message.error) return <ErrorAlert error={message.error} />;
  const m = message.data;
  return (
    <Stack data-testid="outbox-detail">
      <Table withRowBorders={false} verticalSpacing={4}>
        <Table.Tbody>
          <Table.Tr>
            <Table.Th w={110}>{t('to')}</Table.Th>
            <Table.Td>{m.to}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('subject')}</Table.Th>
            <Table.Td fw={600}>{m.subject}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('created')}</Table.Th>
            <Table.Td>{formatDateTime(m.createdAt, i18n.language)}</Table.Td>
          </Table.Tr>
          <Table.Tr>
            <Table.Th>{t('status')}</Table.Th>
            <Table.Td>
              <Badge color={STATUS_COLORS[m.status]} variant="light" miw="max-content">
                {t(`statuses.${m.status}`)}
              </Badge>
              {m.sentAt && (
                <Text span size="sm" c="dimmed" ml="xs">
                  {formatDateTime(m.sentAt, i18n.language)}
                </Text>
              )}
            </Table.Td>
          </Table.Tr>
        </Table.Tbody>
      </Table>
      {m.error && (
        <Alert color="red" title={t('sendError')}>
          {m.error}
        </Alert>
      )}
      <LinkifiedText text={m.text} />
    </Stack>
  );
}

export function OutboxPage() {
  const { t, i18n } = useTranslation('mail');
  const { can } = useCurrentOrg();
  const allowed = can('instance:manage');
  const outbox = useOutbox();
  const [openId, setOpenId] = useState<string | null>(null);
  if (!allowed) return <Forbidden />;
  const items = outbox.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <DataTable
        error={outbox.error}
        loading={outbox.isPending}
        empty={<EmptyState icon={<IconMail size={26} aria-hidden />} title={t('empty')} />}
        minWidth={720}
        table={{ highlightOnHover: true }}
        testId="outbox-table"
        rows={items}
        rowKey={(item) => item.id}
        rowProps={(item) => ({
          'data-testid': 'outbox-row',
          'data-to': item.to,
          'data-template': item.template,
        })}
        more={outbox}
        columns={[
          {
            key: 'created',
            header: t('created'),
            td: { style: { whiteSpace: 'nowrap' } },
            cell: (item) => formatDateTime(item.createdAt, i18n.language),
          },
          { key: 'to', header: t('to'), cell: (item) => item.to },
          { key: 'subject', header: t('subject'), cell: (item) => item.subject },
          {
            key: 'status',
            header: t('status'),
            cell: (item) => (
              <Badge color={STATUS_COLORS[item.status]} variant="light" miw="max-content">
                {t(`statuses.${item.status}`)}
              </Badge>
            ),
          },
          {
            key: 'open',
            header: null,
            th: { 'aria-label': t('open') },
            td: { ta: 'right' },
            cell: (item) => (
              <Button
                size="xs"
                variant="light"
                onClick={() => setOpenId(item.id)}
                aria-label={t('openFor', { subject: item.subject, to: item.to })}
                data-testid="outbox-open"
              >
                {t('open')}
              </Button>
            ),
          },
        ]}
      />
      <Drawer
        opened={Boolean(openId)}
        onClose={() => setOpenId(null)}
        position="right"
        size="xl"
        title={<Group gap="xs">{t('detailTitle')}</Group>}
      >
        {openId && <MessageDetail id={openId} />}
      </Drawer>
    </>
  );
}
