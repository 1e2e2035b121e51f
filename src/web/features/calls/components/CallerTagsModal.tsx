import { Button, Group, Modal, MultiSelect, Stack, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { useTags } from '../../people/api.ts';
import { type Assignment, useAddCaller } from '../api.ts';

type Caller = Assignment['callers'][number];

/** Per caller: tags whose people they call first, and tags whose people they never get. */
export function CallerTagsModal({
  assignment,
  caller,
  onClose,
}: {
  assignment: Assignment;
  caller: Caller | null;
  onClose: () => void;
}) {
  const { t } = useTranslation('calls');
  const tags = useTags(assignment.orgId, Boolean(caller));
  const save = useAddCaller(assignment.id);
  const [prioritised, setPrioritised] = useState<string[]>([]);
  const [excluded, setExcluded] = useState<string[]>([]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reset only when another caller is opened
  useEffect(() => {
    setPrioritised(caller?.prioritisedTagIds ?? []);
    setExcluded(caller?.excludedTagIds ?? []);
    save.reset();
  }, [caller?.userId]);

  const options = (tags.data?.items ?? []).map((tag) => ({
    value: tag.id,
    label: tag.group ? `${tag.group}: ${tag.name}` : tag.name,
  }));
  const overlap = prioritised.some((id) => excluded.includes(id));

  return (
    <Modal
      opened={Boolean(caller)}
      onClose={onClose}
      title={t('callerTags.title', { name: caller?.name ?? '' })}
      size="lg"
    >
      <Stack>
        <Text size="sm" c="dimmed">
          {t('callerTags.intro')}
        </Text>
        {(
          [
            ['prioritised', prioritised, setPrioritised, excluded],
            ['excluded', excluded, setExcluded, prioritised],
          ] as const
        ).map(([kind, value, setValue, other]) => (
          <MultiSelect
            key={kind}
            label={t(`callerTags.${kind}`)}
            description={t(`callerTags.${kind}Hint`)}
            data={options.filter((o) => !other.includes(o.value))}
            value={value}
            onChange={setValue}
            searchable
            clearable
            maxValues={50}
            nothingFoundMessage={t('answerActions.noTags')}
            data-testid={`caller-${kind}-tags`}
          />
        ))}
        <ErrorAlert error={save.error ?? tags.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common:actions.cancel')}
          </Button>
          <Button
            loading={save.isPending}
            disabled={overlap || !caller}
            onClick={() =>
              caller &&
              save.mutate(
                { userId: caller.userId, prioritisedTagIds: prioritised, excludedTagIds: excluded },
                {
                  onSuccess: () => {
                    notifySuccess(t('callerTags.saved'));
                    onClose();
                  },
                },
              )
            }
            data-testid="caller-tags-save"
          >
            {t('callerTags.save')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
