import { Button, Group, Modal, Select, Stack, Text } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { type Org, useUpdateOrg } from '../api.ts';
import { buildOrgTree, flattenOrgTree, subtreeIds } from '../orgTree.ts';

/** Moves a unit under a new parent; the unit itself and its descendants are not offered. */
export function MoveOrgModal({
  org,
  orgs,
  opened,
  onClose,
}: {
  org: Org | null;
  orgs: Org[];
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation('orgs');
  const update = useUpdateOrg();
  const [parentId, setParentId] = useState<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when the modal opens for a unit
  useEffect(() => {
    if (opened) {
      setParentId(org?.parentId ?? null);
      update.reset();
    }
  }, [opened, org?.id]);

  const options = useMemo(() => {
    if (!org) return [];
    const excluded = subtreeIds(orgs, org.id);
    return flattenOrgTree(buildOrgTree(orgs.filter((o) => !o.archived)))
      .filter(({ org: candidate }) => !excluded.has(candidate.id))
      .map(({ org: candidate, depth }) => ({
        value: candidate.id,
        label: `${'\u2002'.repeat(depth)}${candidate.name} (${t(`common:kinds.${candidate.kind}`)})`,
      }));
  }, [org, orgs, t]);

  return (
    <Modal opened={opened} onClose={onClose} title={t('move.title')} size="lg" centered>
      {org && (
        <Stack>
          <Text size="sm">{t('move.intro', { name: org.name })}</Text>
          <Select
            label={t('move.newParent')}
            data={options}
            value={parentId}
            onChange={setParentId}
            searchable
            allowDeselect={false}
            maxDropdownHeight={320}
          />
          <ErrorAlert error={update.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common:actions.cancel')}
            </Button>
            <Button
              disabled={!parentId || parentId === org.parentId}
              loading={update.isPending}
              onClick={() =>
                parentId &&
                update.mutate(
                  { id: org.id, parentId },
                  {
                    onSuccess: () => {
                      notifySuccess(t('move.done'));
                      onClose();
                    },
                  },
                )
              }
            >
              {t('move.submit')}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
}
