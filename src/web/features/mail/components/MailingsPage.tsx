import { Anchor, Badge, Button, Progress, Stack, Text } from '@mantine/core';
import { IconMail, IconMailQuestion, IconPlus, IconSettings } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type MailingRow, useMailings } from '../api.ts';
import { ConsentRequestModal } from './ConsentRequestModal.tsx';
import { formatCount, MAILING_STATUS_COLORS } from './status.ts';

function MiniProgress({ row }: { row: MailingRow }) {
  const { t, i18n } = useTranslation('mail');
  const p = row.progress;
  if (!p || p.total === 0) return <Text c="dimmed">—</Text>;
  const done = p.sent + p.failed;
  const label = t('list.progressLabel', {
    done: formatCount(done, i18n.language),
    total: formatCount(p.total, i18n.language),
  });
  return (
    <Stack gap={2} miw={110}>
      <Progress.Root size="sm">
        <Progress.Section
          value={(p.sent / p.total) * 100}
          color="teal"
          aria-label={`${t('progress.sent')}: ${formatCount(p.sent, i18n.language)}`}
        />
        <Progress.Section
          value={(p.failed / p.total) * 100}
          color="red"
          aria-label={`${t('progress.failed')}: ${formatCount(p.failed, i18n.language)}`}
        />
      </Progress.Root>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
    </Stack>
  );
}

/** "Mailings": the unit's mailings, newest first, with their status and how far they got. */
export function MailingsPage() {
  const { t, i18n } = useTranslation('mail');
  const { currentOrg, can } = useCurrentOrg();
  const allowed = Boolean(currentOrg) && can('mail:send');
  const mailings = useMailings(currentOrg?.id, allowed);
  // `?consentRequest=<listId>` (a link from a list's page) opens the request for that list.
  const [params, setParams] = useSearchParams();
  const askedFor = params.get('consentRequest');
  const [consentOpen, setConsentOpen] = useState(Boolean(askedFor));

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!allowed) return <Forbidden />;
  const items = mailings.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description', { org: currentOrg.name })}
        actions={
          <>
            {can('mail:configure') && (
              <Button
                component={Link}
                to="/mailings/settings"
                variant="default"
                leftSection={<IconSettings size={18} aria-hidden />}
                data-testid="mail-settings-link"
              >
                {t('list.settings')}
              </Button>
            )}
            <Button
              variant="default"
              leftSection={<IconMailQuestion size={18} aria-hidden />}
              onClick={() => setConsentOpen(true)}
              data-testid="consent-request-open"
            >
              {t('consentRequest.open')}
            </Button>
            <Button
              component={Link}
              to="/mailings/new"
              leftSection={<IconPlus size={18} aria-hidden />}
              data-testid="mailing-new"
            >
              {t('list.new')}
            </Button>
          </>
        }
      />
      <DataTable
        error={mailings.error ?? undefined}
        loading={mailings.isPending}
        empty={
          <EmptyState
            icon={<IconMail size={24} aria-hidden />}
            title={t('list.emptyTitle')}
            text={t('list.emptyText')}
          />
        }
        minWidth={760}
        table={{ highlightOnHover: true }}
        testId="mailings-table"
        rows={items}
        rowKey={(m) => m.id}
        rowProps={(m) => ({ 'data-testid': 'mailing-row', 'data-status': m.status })}
        more={mailings}
        columns={[
          {
            key: 'subject',
            header: t('list.colSubject'),
            cell: (m) => (
              <>
                <Anchor component={Link} to={`/mailings/${m.id}`} fw={600}>
                  {m.subject}
                </Anchor>
                {m.orgId !== currentOrg.id && (
                  <Text size="xs" c="dimmed">
                    {m.orgName}
                  </Text>
                )}
              </>
            ),
          },
          { key: 'purpose', header: t('list.colPurpose'), cell: (m) => t(`purposes.${m.purpose}`) },
          { key: 'list', header: t('list.colList'), cell: (m) => m.queryName ?? '—' },
          {
            key: 'status',
            header: t('list.colStatus'),
            cell: (m) => (
              <Badge variant="light" color={MAILING_STATUS_COLORS[m.status]} miw="max-content">
                {t(`mailingStatuses.${m.status}`)}
              </Badge>
            ),
          },
          { key: 'progress', header: t('list.colProgress'), cell: (m) => <MiniProgress row={m} /> },
          {
            key: 'created',
            header: t('list.colCreated'),
            td: { style: { whiteSpace: 'nowrap' } },
            cell: (m) => formatDateTime(m.createdAt, i18n.language),
          },
        ]}
      />
      <ConsentRequestModal
        opened={consentOpen}
        onClose={() => {
          setConsentOpen(false);
          if (askedFor) setParams({}, { replace: true });
        }}
        orgId={currentOrg.id}
        initialQueryId={askedFor}
      />
    </>
  );
}
