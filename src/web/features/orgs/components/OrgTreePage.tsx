import {
  ActionIcon,
  Badge,
  Box,
  Button,
  Group,
  Menu,
  Paper,
  Skeleton,
  Stack,
  Switch,
  Text,
  UnstyledButton,
} from '@mantine/core';
import {
  IconArchive,
  IconArrowsMove,
  IconDots,
  IconMapPin,
  IconPencil,
  IconPlus,
  IconRestore,
  IconSitemap,
} from '@tabler/icons-react';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { notifyError, notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { type Org, useOrgs, useUpdateOrg } from '../api.ts';
import { buildOrgTree, type OrgNode } from '../orgTree.ts';
import { MoveOrgModal } from './MoveOrgModal.tsx';
import { OrgFormModal } from './OrgFormModal.tsx';
import { OrgKindBadge } from './OrgKindBadge.tsx';
import { OrgUnitDrawer } from './OrgUnitDrawer.tsx';

type Dialog =
  | { type: 'create'; parent: Org }
  | { type: 'edit'; org: Org }
  | { type: 'move'; org: Org }
  | { type: 'archive'; org: Org }
  | null;

function PostalCodes({ codes }: { codes: string[] }) {
  const { t } = useTranslation('orgs');
  if (codes.length === 0) return null;
  const shown = codes.slice(0, 12);
  return (
    <Group gap={4} wrap="wrap" aria-label={t('tree.postalCodes')}>
      <IconMapPin size={14} color="var(--mantine-color-gray-6)" aria-hidden />
      <Text size="xs" c="dimmed" component="span">
        {t('tree.postalCodes')}:
      </Text>
      <Text size="xs" c="dimmed" component="span" ff="monospace">
        {shown.join(', ')}
        {codes.length > shown.length ? ` ${t('tree.more', { count: codes.length - shown.length })}` : ''}
      </Text>
    </Group>
  );
}

export function OrgTreePage() {
  const { t } = useTranslation('orgs');
  const { currentOrg, can } = useCurrentOrg();
  const [showArchived, setShowArchived] = useState(false);
  const orgs = useOrgs({ includeArchived: showArchived });
  const update = useUpdateOrg();
  const [dialog, setDialog] = useState<Dialog>(null);
  const close = () => setDialog(null);
  const items = orgs.data?.items ?? [];
  const tree = useMemo(() => buildOrgTree(items), [items]);
  const canCreateHere = currentOrg && can('orgs:write', currentOrg.id);
  // The opened unit is in the URL (`?unit=<id>`): shareable, and "back" closes it.
  const [params, setParams] = useSearchParams();
  const openedId = params.get('unit');
  const opened = openedId ? (items.find((o) => o.id === openedId) ?? null) : null;
  const openUnit = (unitId: string | null) =>
    setParams((prev) => {
      const next = new URLSearchParams(prev);
      if (unitId) next.set('unit', unitId);
      else next.delete('unit');
      return next;
    });

  const renderNode = (node: OrgNode) => {
    const { org } = node;
    const writable = can('orgs:write', org.id);
    const isCurrent = currentOrg?.id === org.id;
    return (
      <Box component="li" key={org.id} style={{ listStyle: 'none' }}>
        <Paper
          withBorder
          radius="md"
          px="md"
          py="sm"
          mb={6}
          data-testid={`org-node-${org.slug}`}
          data-org-id={org.id}
          style={{
            borderLeft: `4px solid var(--mantine-color-${isCurrent ? 'grape-6' : 'gray-3'})`,
            opacity: org.archived ? 0.65 : 1,
          }}
        >
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={4} style={{ minWidth: 0 }}>
              <Group gap="xs" wrap="wrap">
                <UnstyledButton
                  onClick={() => openUnit(org.id)}
                  fw={600}
                  c="blue.8"
                  style={{ overflowWrap: 'anywhere' }}
                  aria-label={t('unit.open', { name: org.name })}
                  data-testid={`org-open-${org.slug}`}
                >
                  {org.name}
                </UnstyledButton>
                <OrgKindBadge kind={org.kind} />
                {org.archived && (
                  <Badge color="gray" variant="outline" size="sm">
                    {t('tree.archived')}
                  </Badge>
                )}
                {isCurrent && (
                  <Badge color="grape" variant="dot" size="sm">
                    {t('tree.current')}
                  </Badge>
                )}
              </Group>
              <PostalCodes codes={org.postalCodes} />
            </Stack>
            {writable && (
              <Menu position="bottom-end" shadow="md" withinPortal>
                <Menu.Target>
                  <ActionIcon
                    variant="subtle"
                    color="gray"
                    size="lg"
                    aria-label={t('tree.actionsFor', { name: org.name })}
                    data-testid={`org-actions-${org.slug}`}
                  >
                    <IconDots size={18} aria-hidden />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  {!org.archived && (
                    <Menu.Item
                      leftSection={<IconPlus size={16} aria-hidden />}
                      onClick={() => setDialog({ type: 'create', parent: org })}
                    >
                      {t('actions.createChild')}
                    </Menu.Item>
                  )}
                  <Menu.Item
                    leftSection={<IconPencil size={16} aria-hidden />}
                    onClick={() => setDialog({ type: 'edit', org })}
                  >
                    {t('actions.edit')}
                  </Menu.Item>
                  {org.parentId && (
                    <Menu.Item
                      leftSection={<IconArrowsMove size={16} aria-hidden />}
                      onClick={() => setDialog({ type: 'move', org })}
                    >
                      {t('actions.move')}
                    </Menu.Item>
                  )}
                  {org.parentId && !org.archived && (
                    <Menu.Item
                      color="red"
                      leftSection={<IconArchive size={16} aria-hidden />}
                      onClick={() => setDialog({ type: 'archive', org })}
                    >
                      {t('actions.archive')}
                    </Menu.Item>
                  )}
                  {org.archived && (
                    <Menu.Item
                      leftSection={<IconRestore size={16} aria-hidden />}
                      onClick={() =>
                        update.mutate(
                          { id: org.id, archived: false },
                          {
                            onSuccess: () => notifySuccess(t('archive.restored', { name: org.name })),
                            onError: (error) => notifyError(t, error),
                          },
                        )
                      }
                    >
                      {t('actions.restore')}
                    </Menu.Item>
                  )}
                </Menu.Dropdown>
              </Menu>
            )}
          </Group>
        </Paper>
        {node.children.length > 0 && (
          <Box
            component="ul"
            pt={0}
            pb={0}
            pr={0}
            pl={{ base: 10, sm: 24 }}
            mt={0}
            mb={0}
            ml={{ base: 6, sm: 12 }}
            style={{ borderLeft: '2px solid var(--mantine-color-gray-3)' }}
          >
            {node.children.map(renderNode)}
          </Box>
        )}
      </Box>
    );
  };

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description')}
        actions={
          canCreateHere && (
            <Button
              leftSection={<IconPlus size={18} aria-hidden />}
              onClick={() => currentOrg && setDialog({ type: 'create', parent: currentOrg })}
              data-testid="org-create"
            >
              {t('actions.createChild')}
            </Button>
          )
        }
      />
      <Group justify="space-between" mb="md">
        {canCreateHere && currentOrg ? (
          <Text size="sm" c="dimmed">
            {t('tree.createHint', { name: currentOrg.name })}
          </Text>
        ) : (
          <span />
        )}
        <Switch
          label={t('tree.showArchived')}
          checked={showArchived}
          onChange={(event) => setShowArchived(event.currentTarget.checked)}
        />
      </Group>
      <ErrorAlert error={orgs.error} />
      {orgs.isPending ? (
        <Stack gap="xs">
          <Skeleton h={56} />
          <Skeleton h={56} ml={28} />
          <Skeleton h={56} ml={56} />
        </Stack>
      ) : tree.length === 0 ? (
        <EmptyState icon={<IconSitemap size={26} aria-hidden />} title={t('tree.empty')} />
      ) : (
        <Box component="ul" p={0} m={0} aria-label={t('title')} data-testid="org-tree">
          {tree.map(renderNode)}
        </Box>
      )}

      <OrgUnitDrawer org={opened} orgs={items} onClose={() => openUnit(null)} />
      <OrgFormModal
        mode="create"
        parent={dialog?.type === 'create' ? dialog.parent : null}
        opened={dialog?.type === 'create'}
        onClose={close}
      />
      {dialog?.type === 'edit' && <OrgFormModal mode="edit" org={dialog.org} opened onClose={close} />}
      <MoveOrgModal
        org={dialog?.type === 'move' ? dialog.org : null}
        orgs={items}
        opened={dialog?.type === 'move'}
        onClose={close}
      />
      <ConfirmModal
        opened={dialog?.type === 'archive'}
        title={t('archive.title')}
        confirmLabel={t('actions.archive')}
        loading={update.isPending}
        error={update.error}
        onClose={() => {
          close();
          update.reset();
        }}
        onConfirm={() =>
          dialog?.type === 'archive' &&
          update.mutate(
            { id: dialog.org.id, archived: true },
            {
              onSuccess: () => {
                notifySuccess(t('archive.done', { name: dialog.org.name }));
                close();
              },
            },
          )
        }
      >
        {dialog?.type === 'archive' ? t('archive.text', { name: dialog.org.name }) : ''}
      </ConfirmModal>
    </>
  );
}
