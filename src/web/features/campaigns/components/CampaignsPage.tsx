import { Badge } from '@mantine/core';
import { IconSpeakerphone } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { RecordListPage } from '../../../components/RecordListPage.tsx';
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

  return (
    <RecordListPage
      title={t('list.title')}
      description={t('list.description', { org: currentOrg.name })}
      newButton={{ label: t('list.new'), to: '/campaigns/new', testId: 'campaign-new' }}
      error={campaigns.error}
      isSuccess={campaigns.isSuccess}
      items={campaigns.data?.items ?? []}
      empty={{
        icon: <IconSpeakerphone size={24} aria-hidden />,
        title: t('list.emptyTitle'),
        text: t('list.emptyText'),
      }}
      minWidth={640}
      titleColumn={t('list.colTitle')}
      rowTestId="campaign-row"
      hrefOf={(c) => `/campaigns/${c.id}`}
      columns={[
        { key: 'owner', header: t('list.colOwner'), cell: (c) => c.orgName },
        {
          key: 'period',
          header: t('list.colPeriod'),
          cell: (c) => formatPeriod(c.startsAt, c.endsAt, i18n.language, t('list.open')),
        },
        {
          key: 'status',
          header: t('list.colStatus'),
          cell: (c) => (
            <Badge variant="light" color={STATUS_COLORS[c.status]}>
              {t(`calls:status.${c.status}`)}
            </Badge>
          ),
        },
        {
          key: 'callCentres',
          header: t('list.colCallCentres'),
          th: { ta: 'right' },
          td: { ta: 'right' },
          cell: (c) => c.callCentres.length,
        },
      ]}
    />
  );
}
