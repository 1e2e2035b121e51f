import {
  ActionIcon,
  Badge,
  Button,
  Group,
  Menu,
  Paper,
  SegmentedControl,
  Stack,
  Switch,
  Text,
} from '@mantine/core';
import { IconFolderPlus, IconPlus, IconTrash } from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { FilterGroup, FilterNode } from '../../../../shared/queries.ts';
import { ADDABLE_KINDS, newFilter } from './defaults.ts';
import { type EditorChoices, FILTER_EDITORS } from './editors.tsx';

interface BuilderProps {
  group: FilterGroup;
  onChange: (group: FilterGroup) => void;
  choices: EditorChoices;
  orgId: string;
  depth?: number;
  onRemove?: () => void;
}

/** A group of filters: AND/OR, negatable, with its children (leaves and nested groups). */
export function FilterBuilder({ group, onChange, choices, orgId, depth = 0, onRemove }: BuilderProps) {
  const { t } = useTranslation('queries');
  const setChild = (i: number, node: FilterNode) =>
    onChange({ ...group, children: group.children.map((c, j) => (j === i ? node : c)) });
  const removeChild = (i: number) =>
    onChange({ ...group, children: group.children.filter((_, j) => j !== i) });
  const add = (node: FilterNode) => onChange({ ...group, children: [...group.children, node] });

  return (
    <Paper withBorder p="sm" radius="md" bg={depth % 2 ? 'gray.0' : undefined} data-testid="filter-group">
      <Stack gap="xs">
        <Group justify="space-between" wrap="wrap" gap="xs">
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              aria-label={t('builder.combine')}
              value={group.op}
              onChange={(v) => onChange({ ...group, op: v as 'and' | 'or' })}
              data={[
                { value: 'and', label: t('builder.and') },
                { value: 'or', label: t('builder.or') },
              ]}
              data-testid="group-op"
            />
            <Switch
              size="xs"
              label={t('builder.negateGroup')}
              checked={Boolean(group.not)}
              onChange={(e) => onChange({ ...group, not: e.currentTarget.checked || undefined })}
            />
          </Group>
          {onRemove && (
            <ActionIcon variant="subtle" color="red" onClick={onRemove} aria-label={t('builder.removeGroup')}>
              <IconTrash size={16} aria-hidden />
            </ActionIcon>
          )}
        </Group>
        {group.children.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('builder.emptyGroup')}
          </Text>
        )}
        {group.children.map((child, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: children have no ids; order is their identity
          <div key={i}>
            {i > 0 && (
              <Badge variant="light" size="xs" mb={4}>
                {group.op === 'and' ? t('builder.and') : t('builder.or')}
              </Badge>
            )}
            {child.kind === 'group' ? (
              <FilterBuilder
                group={child}
                onChange={(g) => setChild(i, g)}
                choices={choices}
                orgId={orgId}
                depth={depth + 1}
                onRemove={() => removeChild(i)}
              />
            ) : (
              <FilterRow
                node={child}
                onChange={(n) => setChild(i, n)}
                onRemove={() => removeChild(i)}
                choices={choices}
              />
            )}
          </div>
        ))}
        <Group gap="xs">
          <Menu withinPortal position="bottom-start">
            <Menu.Target>
              <Button
                size="xs"
                variant="light"
                leftSection={<IconPlus size={14} aria-hidden />}
                data-testid="filter-add"
              >
                {t('builder.addFilter')}
              </Button>
            </Menu.Target>
            <Menu.Dropdown>
              {ADDABLE_KINDS.map((kind) => (
                <Menu.Item
                  key={kind}
                  onClick={() => add(newFilter(kind, { orgId }))}
                  data-testid={`filter-add-${kind}`}
                >
                  {t(`kinds.${kind}`)}
                </Menu.Item>
              ))}
            </Menu.Dropdown>
          </Menu>
          {depth < 4 && (
            <Button
              size="xs"
              variant="subtle"
              leftSection={<IconFolderPlus size={14} aria-hidden />}
              onClick={() => add({ kind: 'group', op: group.op === 'and' ? 'or' : 'and', children: [] })}
              data-testid="group-add"
            >
              {t('builder.addGroup')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

function FilterRow({
  node,
  onChange,
  onRemove,
  choices,
}: {
  node: Exclude<FilterNode, FilterGroup>;
  onChange: (node: FilterNode) => void;
  onRemove: () => void;
  choices: EditorChoices;
}) {
  const { t } = useTranslation('queries');
  const Editor = FILTER_EDITORS[node.kind] as (props: {
    node: typeof node;
    onChange: (n: typeof node) => void;
    choices: EditorChoices;
  }) => ReactNode;
  return (
    <Paper withBorder p="xs" radius="sm" data-testid="filter-row" data-kind={node.kind}>
      <Group align="flex-end" gap="sm" wrap="nowrap">
        <Stack gap={4} style={{ flex: 1 }}>
          <Text size="xs" fw={700} c="dimmed" tt="uppercase">
            {node.not ? t('builder.not') : ''} {t(`kinds.${node.kind}`)}
          </Text>
          <Editor node={node} onChange={onChange} choices={choices} />
        </Stack>
        <Switch
          size="xs"
          label={t('builder.negate')}
          checked={Boolean(node.not)}
          onChange={(e) => onChange({ ...node, not: e.currentTarget.checked || undefined })}
          data-testid="filter-negate"
        />
        <ActionIcon
          variant="subtle"
          color="red"
          onClick={onRemove}
          aria-label={t('builder.remove')}
          data-testid="filter-remove"
        >
          <IconTrash size={16} aria-hidden />
        </ActionIcon>
      </Group>
    </Paper>
  );
}
