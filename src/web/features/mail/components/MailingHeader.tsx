import { Badge, Button, Group, Paper, Text } from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PageHeader } from '../../../components/PageHeader.tsx';
import type { Mailing } from '../api.ts';
import { MAILING_STATUS_COLORS } from './status.ts';

/** Title, status, purpose, list and unit, and the way back to the list. */
export function MailingHeader({ mailing, title }: { mailing: Mailing | undefined; title?: string }) {
  const { t } = useTranslation('mail');
  return (
    <PageHeader
      title={title ?? mailing?.subject ?? t('composer.newTitle')}
      description={
        mailing ? (
          <Group gap="xs" component="span">
            <Badge
              component="span"
              variant="light"
              color={MAILING_STATUS_COLORS[mailing.status]}
              data-testid="mailing-status"
            >
              {t(`mailingStatuses.${mailing.status}`)}
            </Badge>
            <span>
              {[t(`purposes.${mailing.purpose}`), mailing.queryName, mailing.orgName]
                .filter(Boolean)
                .join(' · ')}
            </span>
          </Group>
        ) : (
          t('composer.description')
        )
      }
      actions={
        <Button
          component={Link}
          to="/mailings"
          variant="default"
          leftSection={<IconArrowLeft size={16} aria-hidden />}
        >
          {t('composer.toList')}
        </Button>
      }
    />
  );
}

/** Where reach and sending appear once the draft exists. */
export function SaveFirstCard() {
  const { t } = useTranslation('mail');
  return (
    <Paper withBorder radius="md" p="lg">
      <Text size="sm" c="dimmed">
        {t('composer.saveFirst')}
      </Text>
    </Paper>
  );
}
