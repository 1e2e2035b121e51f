import {
  Anchor,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { HAND_PICKED_FILTER, useAddListMembers, useCreateQuery, useSavedQueries } from '../api.ts';

/**
 * Puts the selected people on a list with a fixed set of people (snapshot): an existing one of the
 * unit, or a new one made of exactly them.
 */
export function AddToListModal({
  orgId,
  personIds,
  opened,
  onClose,
  onDone,
}: {
  orgId: string;
  personIds: string[];
  opened: boolean;
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('queries');
  const navigate = useNavigate();
  const { can } = useCurrentOrg();
  const lists = useSavedQueries(orgId, opened);
  const add = useAddListMembers();
  const create = useCreateQuery();
  const snapshots = (lists.data?.items ?? []).filter(
    (q) => q.mode === 'snapshot' && can('people:write', q.orgId),
  );
  const [target, setTarget] = useState<'existing' | 'new'>('existing');
  const [queryId, setQueryId] = useState<string | null>(null);
  const [name, setName] = useState('');

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when opened
  useEffect(() => {
    if (opened) {
      setQueryId(null);
      setName('');
      add.reset();
      create.reset();
    }
  }, [opened]);
  // Without a list to add to, start with a new one.
  useEffect(() => {
    if (opened && lists.isSuccess) setTarget(snapshots.length ? 'existing' : 'new');
  }, [opened, lists.isSuccess, snapshots.length]);

  const notifyAdded = (count: number, list: { id: string; name: string }) => {
    const notificationId = `added-to-list-${list.id}-${Date.now()}`;
    notifications.show({
      id: notificationId,
      color: 'teal',
      autoClose: 6000,
      message: (
        <Text size="sm" data-testid="add-to-list-done">
          {t('addToList.done', { count, name: list.name })}{' '}
          <Anchor
            href={`/lists/${list.id}`}
            size="sm"
            onClick={(event) => {
              event.preventDefault();
              notifications.hide(notificationId);
              navigate(`/lists/${list.id}`);
            }}
            data-testid="add-to-list-open"
          >
            {t('addToList.open')}
          </Anchor>
        </Text>
      ),
    });
  };

  const submit = () => {
    if (target === 'new')
      create.mutate(
        { orgId, name: name.trim(), mode: 'snapshot', filter: HAND_PICKED_FILTER, personIds },
        {
          onSuccess: (list) => {
            notifyAdded(list.snapshotCount ?? 0, list);
            onDone();
          },
        },
      );
    else {
      const list = snapshots.find((q) => q.id === queryId);
      if (!list) return;
      add.mutate(
        { queryId: list.id, personIds },
        {
          onSuccess: ({ added }) => {
            notifyAdded(added, list);
            onDone();
          },
        },
      );
    }
  };
  const ready = target === 'new' ? name.trim().length > 0 : Boolean(queryId);

  return (
    <Modal opened={opened} onClose={onClose} title={t('addToList.title')} centered>
      <Stack>
        <Text size="sm">{t('addToList.intro', { count: personIds.length })}</Text>
        <SegmentedControl
          value={target}
          onChange={(value) => setTarget(value as 'existing' | 'new')}
          data={[
            { value: 'existing', label: t('addToList.existing'), disabled: snapshots.length === 0 },
            { value: 'new', label: t('addToList.new') },
          ]}
          data-testid="add-to-list-target"
        />
        {target === 'existing' ? (
          <Select
            label={t('addToList.list')}
            placeholder={t('addToList.listPlaceholder')}
            description={t('addToList.listHint')}
            data={snapshots.map((q) => ({
              value: q.id,
              label: q.orgId === orgId ? q.name : `${q.name} (${q.orgName})`,
            }))}
            value={queryId}
            onChange={setQueryId}
            searchable
            data-autofocus
            comboboxProps={{ withinPortal: true }}
            data-testid="add-to-list-select"
          />
        ) : (
          <TextInput
            label={t('addToList.name')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            maxLength={200}
            data-autofocus
            data-testid="add-to-list-name"
            onKeyDown={(event) => {
              if (event.key === 'Enter' && ready) submit();
            }}
          />
        )}
        <ErrorAlert error={lists.error ?? add.error ?? create.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            onClick={submit}
            disabled={!ready}
            loading={add.isPending || create.isPending}
            data-testid="add-to-list-submit"
          >
            {t('addToList.submit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
