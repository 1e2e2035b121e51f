import { Button, Group, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { notifySuccess } from '../../../components/notify.ts';
import { type Tag, useBulkTags } from '../api.ts';
import { FormError } from './FormError.tsx';
import { tagSelectData } from './inputs.tsx';

/** Adds tags to (or removes them from) the selected people. */
export function BulkTagModal({
  orgId,
  mode,
  personIds,
  tags,
  onClose,
  onDone,
}: {
  orgId: string;
  mode: 'add' | 'remove' | null;
  personIds: string[];
  tags: Tag[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t } = useTranslation('people');
  const bulk = useBulkTags();
  const [tagIds, setTagIds] = useState<string[]>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset when opened
  useEffect(() => {
    if (mode) {
      setTagIds([]);
      bulk.reset();
    }
  }, [mode]);

  const submit = () =>
    bulk.mutate(
      mode === 'remove'
        ? { orgId, personIds, removeTagIds: tagIds }
        : { orgId, personIds, addTagIds: tagIds },
      {
        onSuccess: ({ updated }) => {
          notifySuccess(t(mode === 'remove' ? 'bulk.untagged' : 'bulk.tagged', { count: updated }));
          onDone();
        },
      },
    );

  return (
    <Modal
      opened={mode !== null}
      onClose={onClose}
      title={mode === 'remove' ? t('bulk.untagTitle') : t('bulk.tagTitle')}
      centered
    >
      <Stack>
        <Text size="sm">
          {mode === 'remove'
            ? t('bulk.untagIntro', { count: personIds.length })
            : t('bulk.tagIntro', { count: personIds.length })}
        </Text>
        <MultiSelect
          label={t('tags.picker')}
          placeholder={tags.length === 0 ? t('tags.none') : t('tags.pickerPlaceholder')}
          data={tagSelectData(tags, t('tags.noGroup'))}
          value={tagIds}
          onChange={setTagIds}
          searchable
          clearable
          data-autofocus
          comboboxProps={{ withinPortal: true }}
          data-testid="bulk-tag-picker"
        />
        <FormError error={bulk.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            onClick={submit}
            disabled={tagIds.length === 0}
            loading={bulk.isPending}
            color={mode === 'remove' ? 'orange' : undefined}
            data-testid="bulk-tag-submit"
          >
            {mode === 'remove' ? t('bulk.untagSubmit') : t('bulk.tagSubmit')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
