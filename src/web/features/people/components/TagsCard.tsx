import { ActionIcon, Button, ColorSwatch, Group, Select, Stack, Text, TextInput } from '@mantine/core';
import { IconPlus, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TAG_COLORS } from '../../../../shared/people.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { notifyError } from '../../../components/notify.ts';
import { type Person, type TagColor, useCreateTag, useSetPersonTags, useTags } from '../api.ts';
import { serverFieldErrors } from '../format.ts';
import { FormError } from './FormError.tsx';
import { TagBadge, tagSelectData } from './inputs.tsx';
import { SectionCard } from './SectionCard.tsx';

export function TagsCard({ person, mayWrite }: { person: Person; mayWrite: boolean }) {
  const { t } = useTranslation('people');
  const tags = useTags(person.orgId);
  const setTags = useSetPersonTags(person.id);
  const [creating, setCreating] = useState(false);
  const { currentOrg, orgsById } = useCurrentOrg();
  // New tags go to the unit the user works in (so the list can filter by them) when it is above the person.
  const tagOrgId =
    currentOrg && isAncestorOrSelf(orgsById, currentOrg.id, person.orgId) ? currentOrg.id : person.orgId;
  const current = person.tags.map((tag) => tag.id);
  const available = (tags.data?.items ?? []).filter((tag) => !current.includes(tag.id));
  const save = (tagIds: string[]) => setTags.mutate(tagIds, { onError: (error) => notifyError(t, error) });

  return (
    <SectionCard
      title={t('tags.title')}
      testId="person-tags"
      actions={
        mayWrite &&
        !creating && (
          <Button
            variant="subtle"
            size="xs"
            leftSection={<IconPlus size={14} aria-hidden />}
            onClick={() => setCreating(true)}
            data-testid="tag-create-open"
          >
            {t('tags.new')}
          </Button>
        )
      }
    >
      <Stack gap="sm">
        {person.tags.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('tags.noneOnPerson')}
          </Text>
        ) : (
          <Group gap={6}>
            {person.tags.map((tag) => (
              <TagBadge
                key={tag.id}
                tag={tag}
                rightSection={
                  mayWrite && (
                    <ActionIcon
                      size="xs"
                      variant="transparent"
                      color={tag.color}
                      aria-label={t('tags.remove', { name: tag.name })}
                      onClick={() => save(current.filter((id) => id !== tag.id))}
                      disabled={setTags.isPending}
                    >
                      <IconX size={12} aria-hidden />
                    </ActionIcon>
                  )
                }
              />
            ))}
          </Group>
        )}
        {mayWrite && (
          <Select
            label={t('tags.add')}
            placeholder={available.length ? t('tags.pickerPlaceholder') : t('tags.none')}
            data={tagSelectData(available, t('tags.noGroup'))}
            value={null}
            searchable
            disabled={setTags.isPending || available.length === 0}
            onChange={(id) => id && save([...current, id])}
            nothingFoundMessage={t('tags.nothingFound')}
            data-testid="tag-picker"
          />
        )}
        {creating && (
          <NewTagForm
            orgId={tagOrgId}
            onCancel={() => setCreating(false)}
            onCreated={(id) => {
              setCreating(false);
              save([...current, id]);
            }}
          />
        )}
      </Stack>
    </SectionCard>
  );
}

function isAncestorOrSelf(
  orgsById: ReadonlyMap<string, { parentId: string | null }>,
  ancestor: string,
  id: string,
) {
  const seen = new Set<string>();
  let cursor: string | null | undefined = id;
  while (cursor && !seen.has(cursor)) {
    if (cursor === ancestor) return true;
    seen.add(cursor);
    cursor = orgsById.get(cursor)?.parentId;
  }
  return false;
}

/** Creates a tag in a unit (inline on the profile, or on the settings page). */
export function NewTagForm({
  orgId,
  onCreated,
  onCancel,
  withGroup,
}: {
  orgId: string;
  onCreated?: (id: string) => void;
  onCancel?: () => void;
  withGroup?: boolean;
}) {
  const { t } = useTranslation('people');
  const create = useCreateTag();
  const [name, setName] = useState('');
  const [color, setColor] = useState<TagColor>('blue');
  const [group, setGroup] = useState('');
  const errors = serverFieldErrors(create.error);

  return (
    <form
      noValidate
      data-testid="tag-create-form"
      onSubmit={(event) => {
        event.preventDefault();
        if (!name.trim()) return;
        create.mutate(
          { orgId, name: name.trim(), color, group: group.trim() || null },
          {
            onSuccess: (tag) => {
              setName('');
              setGroup('');
              onCreated?.(tag.id);
            },
          },
        );
      }}
    >
      <Stack gap="xs">
        <Group gap="xs" align="flex-end" wrap="wrap">
          <TextInput
            style={{ flex: '1 1 160px' }}
            label={t('tags.name')}
            value={name}
            onChange={(event) => setName(event.currentTarget.value)}
            error={errors.name ? t('form.invalid') : undefined}
            data-autofocus
            data-testid="tag-name"
          />
          <Select
            w={150}
            label={t('tags.color')}
            value={color}
            allowDeselect={false}
            onChange={(value) => value && setColor(value as TagColor)}
            data={TAG_COLORS.map((c) => ({ value: c, label: t(`colors.${c}`) }))}
            renderOption={({ option }) => (
              <Group gap="xs">
                <ColorSwatch color={`var(--mantine-color-${option.value}-6)`} size={14} />
                {option.label}
              </Group>
            )}
            leftSection={<ColorSwatch color={`var(--mantine-color-${color}-6)`} size={14} />}
            data-testid="tag-color"
          />
          {withGroup && (
            <TextInput
              style={{ flex: '1 1 140px' }}
              label={t('tags.group')}
              value={group}
              onChange={(event) => setGroup(event.currentTarget.value)}
              placeholder={t('tags.groupPlaceholder')}
            />
          )}
        </Group>
        <FormError error={create.error} />
        <Group gap="xs" justify="flex-end">
          {onCancel && (
            <Button variant="default" size="xs" onClick={onCancel}>
              {t('common:actions.cancel')}
            </Button>
          )}
          <Button
            type="submit"
            size="xs"
            loading={create.isPending}
            disabled={!name.trim()}
            data-testid="tag-create-submit"
          >
            {t('tags.create')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
