import { Anchor, Badge, Button, Paper, Table, Text } from '@mantine/core';
import { IconPlus, IconSpeakerphone } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { STATUS_COLORS } from '../../calls/components/status.ts';
import { useCampaigns } from '../api.ts';
import { formatPeriod } from './period.ts';

/** "Kampagnen": national phone campaigns of the current unit, its parents' ones it calls for, and below. */
export function CampaignsPage() {
  const { t, i18n } = useTranslation('campaigns');
  const { currentOrg, can } = useCurrentOrg();
  const mayManage = Boolean(currentOrg) && can('calls:manage');
  const campaigns = useCampaigns(currentOrg?.id, mayManage);

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayManage) return <Forbidden />;
  const items = campaigns.data?.items ?? [];

  return (
    <>
      <PageHeader
        title={t('list.title')}
        description={t('list.description', { org: currentOrg.name })}
        actions={
          <Button
            component={Link}
            to="/campaigns/new"
            leftSection={<IconPlus size={18} aria-hidden />}
            data-testid="campaign-new"
          >
            {t('list.new')}
          </Button>
        }
      />
      <ErrorAlert error={campaigns.error} />
      {campaigns.isSuccess && items.length === 0 ? (
        <EmptyState
          icon={<IconSpeakerphone size={24} aria-hidden />}
          title={t('list.emptyTitle')}
          text={t('list.emptyText')}
        />
      ) : (
        <Paper withBorder radius="md">
          <Table.ScrollContainer minWidth={640}>
            <Table highlightOnHover verticalSpacing="sm">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('list.colTitle')}</Table.Th>
                  <Table.Th>{t('list.colOwner')}</Table.Th>
                  <Table.Th>{t('list.colPeriod')}</Table.Th>
                  <Table.Th>{t('list.colStatus')}</Table.Th>
                  <Table.Th ta="right">{t('list.colCallCentres')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {items.map((c) => (
                  <Table.Tr key={c.id} data-testid="campaign-row">
                    <Table.Td>
                      <Anchor component={Link} to={`/campaigns/${c.id}`} fw={600}>
                        {c.title}
                      </Anchor>
                      {c.description && (
                        <Text size="xs" c="dimmed" lineClamp={1}>
                          {c.description}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>{c.orgName}</Table.Td>
                    <Table.Td>{formatPeriod(c.startsAt, c.endsAt, i18n.language, t('list.open'))}</Table.Td>
                    <Table.Td>
                      <Badge variant="light" color={STATUS_COLORS[c.status]}>
                        {t(`calls:status.${c.status}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td ta="right">{c.callCentres.length}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Paper>
      )}
    </>
  );
}
