import { Alert, Button, Group, Modal, Select, Skeleton, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { useSavedQueries } from '../../queries/api.ts';
import { useListCount, useSendConsentRequest } from '../api.ts';
import { formatCount } from './status.ts';

/**
 * "Einwilligungsanfrage senden": a request mail to the people of a saved list who have no
 * newsletter consent; each gets a personal link that grants it (double opt-in proof). The
 * request becomes a mailing of its own (purpose consent_request) with reach and progress.
 */
export function ConsentRequestModal({
  opened,
  onClose,
  orgId,
  queryId: fixedQueryId,
  initialQueryId,
}: {
  opened: boolean;
  onClose: () => void;
  orgId: string;
  /** Asked from a list's page: that list, no picker. */
  queryId?: string;
  /** Preselected in the picker. */
  initialQueryId?: string | null;
}) {
  const { t, i18n } = useTranslation('mail');
  const navigate = useNavigate();
  const lists = useSavedQueries(orgId, opened && !fixedQueryId);
  const [picked, setPicked] = useState<string | null>(initialQueryId ?? null);
  const queryId = fixedQueryId ?? picked;
  const count = useListCount(orgId, queryId);
  const send = useSendConsentRequest();
  const close = () => {
    send.reset();
    onClose();
  };

  return (
    <Modal opened={opened} onClose={close} title={t('consentRequest.title')} centered>
      <Stack>
        <Text size="sm">{t('consentRequest.explain')}</Text>
        {!fixedQueryId && (
          <Select
            label={t('consentRequest.list')}
            searchable
            data={(lists.data?.items ?? []).map((q) => ({ value: q.id, label: q.name }))}
            value={picked}
            onChange={setPicked}
            nothingFoundMessage={t('composer.noLists')}
            data-testid="consent-request-list"
            comboboxProps={{ withinPortal: true }}
          />
        )}
        {queryId &&
          (count.isPending ? (
            <Skeleton h={40} />
          ) : count.data ? (
            <Alert color="blue" variant="light" data-testid="consent-request-count">
              {t('consentRequest.count', {
                count: count.data.count,
                formatted: formatCount(count.data.count, i18n.language),
              })}
            </Alert>
          ) : null)}
        <ErrorAlert error={send.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={close}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            disabled={!queryId}
            loading={send.isPending}
            data-testid="consent-request-send"
            onClick={() =>
              queryId &&
              send.mutate(
                { orgId, queryId },
                {
                  onSuccess: (result) => {
                    notifySuccess(t('consentRequest.created'));
                    close();
                    navigate(`/mailings/${result.id}`);
                  },
                },
              )
            }
          >
            {t('consentRequest.confirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
