import { Grid, Stack } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useParams, useSearchParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { FullPageLoader } from '../../../components/FullPageLoader.tsx';
import { useMailing } from '../api.ts';
import { MailingComposer } from './MailingComposer.tsx';
import { MailingHeader } from './MailingHeader.tsx';
import { PreviewPanel } from './PreviewPanel.tsx';
import { ProgressPanel } from './ProgressPanel.tsx';
import { ReachPanel } from './ReachPanel.tsx';
import { EDITABLE_STATUSES } from './status.ts';

/**
 * One mailing: while a draft (or scheduled) the composer with reach, preview and sending; once it
 * goes out its progress, the frozen reach and what was sent.
 */
export function MailingPage() {
  const { id } = useParams();
  const { t } = useTranslation('mail');
  const { currentOrg, can } = useCurrentOrg();
  const mailing = useMailing(id);
  // From a list's page: /mailings/new?org=<unit>&list=<saved list>.
  const [params] = useSearchParams();

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  const orgId = mailing.data?.orgId ?? params.get('org') ?? currentOrg.id;
  if (!can('mail:send', orgId)) return <Forbidden />;
  if (id && mailing.isPending) return <FullPageLoader />;
  if (id && mailing.error) return <ErrorAlert error={mailing.error} />;
  const m = mailing.data;
  const canSeePeople = can('people:read', orgId);

  if (!m || EDITABLE_STATUSES.has(m.status))
    return (
      <MailingComposer
        key={id ?? 'new'}
        mailing={m}
        orgId={orgId}
        canSeePeople={canSeePeople}
        initialQueryId={params.get('list')}
      />
    );

  return (
    <>
      <MailingHeader mailing={m} />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, md: 8 }}>
          <Stack gap="lg">
            <ProgressPanel mailing={m} />
            <PreviewPanel mailingId={m.id} orgId={m.orgId} canSeePeople={canSeePeople} allowTest={false} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <ReachPanel mailingId={m.id} queryId={m.queryId} canSeePeople={canSeePeople} />
        </Grid.Col>
      </Grid>
    </>
  );
}
