import { ActionIcon, Badge, Button, Group, Paper, Select, Stack, Table, Text, Title } from '@mantine/core';
import { IconPencil, IconTrash, IconUserPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useMemberships } from '../../memberships/api.ts';
import { useTags } from '../../people/api.ts';
import { type Assignment, useAddCaller, useRemoveCaller } from '../api.ts';
import { CallerTagsModal } from './CallerTagsModal.tsx';

/** The callers of an assignment: add members of the unit (and below), remove them. */
export function CallersCard({ assignment }: { assignment: Assignment }) {
  const { t } = useTranslation('calls');
  const members = useMemberships(assignment.orgId, true);
  const add = useAddCaller(assignment.id);
  const remove = useRemoveCaller(assignment.id);
  const [userId, setUserId] = useState<string | null>(null);
  const [removing, setRemoving] = useState<Assignment['callers'][number] | null>(null);
  const [editing, setEditing] = useState<Assignment['callers'][number] | null>(null);
  const withTags = assignment.callers.some((c) => c.prioritisedTagIds.length || c.excludedTagIds.length);
  const tags = useTags(assignment.orgId, withTags);
  const tagName = new Map((tags.data?.items ?? []).map((tag) => [tag.id, tag.name]));

  const taken = new Set(assignment.callers.map((c) => c.userId));
  const seen = new Set<string>();
  const options = (members.data?.items ?? [])
    .filter((m) => !taken.has(m.userId) && !seen.has(m.userId) && seen.add(m.userId))
    .map((m) => ({ value: m.userId, label: `${m.name} (${m.email})` }));

  return (
    <Paper withBorder radius="md" p="lg" data-testid="callers-card">
      <Stack>
        <Title order={2} fz="lg">
          {t('callers.title')}
        </Title>
        <Group align="flex-end">
          <Select
            style={{ flex: '1 1 260px' }}
            label={t('callers.add')}
            placeholder={t('callers.pick')}
            searchable
            data={options}
            value={userId}
            onChange={setUserId}
            nothingFoundMessage={t('callers.noMembers')}
            data-testid="caller-select"
          />
          <Button
            leftSection={<IconUserPlus size={18} aria-hidden />}
            disabled={!userId}
            loading={add.isPending}
            onClick={() => userId && add.mutate({ userId }, { onSuccess: () => setUserId(null) })}
            data-testid="caller-add"
          >
            {t('callers.addButton')}
          </Button>
        </Group>
        <ErrorAlert error={add.error ?? members.error} />
        {assignment.callers.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('callers.empty')}
          </Text>
        ) : (
          <Table verticalSpacing="xs">
            <Table.Tbody>
              {assignment.callers.map((c) => (
                <Table.Tr key={c.userId} data-testid="caller-row">
                  <Table.Td>
                    <Text fw={600} size="sm">
                      {c.name}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {c.email}
                    </Text>
                    {(c.prioritisedTagIds.length > 0 || c.excludedTagIds.length > 0) && (
                      <Group gap={4} mt={4} data-testid="caller-tags">
                        {c.prioritisedTagIds.map((id) => (
                          <Badge key={id} size="sm" variant="light" color="green">
                            {t('callerTags.firstBadge', { tag: tagName.get(id) ?? '…' })}
                          </Badge>
                        ))}
                        {c.excludedTagIds.map((id) => (
                          <Badge key={id} size="sm" variant="light" color="gray">
                            {t('callerTags.notBadge', { tag: tagName.get(id) ?? '…' })}
                          </Badge>
                        ))}
                      </Group>
                    )}
                  </Table.Td>
                  <Table.Td w={48}>
                    <ActionIcon
                      variant="subtle"
                      aria-label={t('callerTags.edit', { name: c.name })}
                      onClick={() => setEditing(c)}
                      data-testid="caller-edit-tags"
                    >
                      <IconPencil size={18} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                  <Table.Td w={48}>
                    <ActionIcon
                      variant="subtle"
                      color="red"
                      aria-label={t('callers.remove', { name: c.name })}
                      onClick={() => setRemoving(c)}
                      data-testid="caller-remove"
                    >
                      <IconTrash size={18} aria-hidden />
                    </ActionIcon>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <CallerTagsModal assignment={assignment} caller={editing} onClose={() => setEditing(null)} />
      <ConfirmModal
        opened={Boolean(removing)}
        title={t('callers.removeTitle')}
        confirmLabel={t('callers.removeConfirm')}
        color="red"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setRemoving(null)}
        onConfirm={() => removing && remove.mutate(removing.userId, { onSuccess: () => setRemoving(null) })}
      >
        {t('callers.removeText', { name: removing?.name ?? '' })}
      </ConfirmModal>
    </Paper>
  );
}
