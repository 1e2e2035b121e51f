import {
  Alert,
  Badge,
  Button,
  Center,
  Drawer,
  Group,
  Paper,
  Skeleton,
  Stack,
  Table,
  Text,
} from '@mantine/core';
import { IconMail } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
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
      <ErrorAlert error={outbox.error} />
      {outbox.isPending ? (
        <Skeleton h={240} />
      ) : items.length === 0 ? (
        <EmptyState icon={<IconMail size={26} aria-hidden />} title={t('empty')} />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={720}>
            <Table verticalSpacing="sm" highlightOnHover data-testid="outbox-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('created')}</Table.Th>
                  <Table.Th>{t('to')}</Table.Th>
                  <Table.Th>{t('subject')}</Table.Th>
                  <Table.Th>{t('status')}</Table.Th>
                  <Table.Th aria-label={t('open')} />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((item) => (
                  <Table.Tr
                    key={item.id}
                    data-testid="outbox-row"
                    data-to={item.to}
                    data-template={item.template}
                  >
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {formatDateTime(item.createdAt, i18n.language)}
                    </Table.Td>
                    <Table.Td>{item.to}</Table.Td>
                    <Table.Td>{item.subject}</Table.Td>
                    <Table.Td>
                      <Badge color={STATUS_COLORS[item.status]} variant="light" miw="max-content">
                        {t(`statuses.${item.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right">
                      <Button
                        size="xs"
                        variant="light"
                        onClick={() => setOpenId(item.id)}
                        aria-label={t('openFor', { subject: item.subject, to: item.to })}
                        data-testid="outbox-open"
                      >
                        {t('open')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
      {outbox.hasNextPage && (
        <Center mt="md">
          <Button
            variant="default"
            loading={outbox.isFetchingNextPage}
            onClick={() => void outbox.fetchNextPage()}
          >
            {t('common:actions.loadMore')}
          </Button>
        </Center>
      )}
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
