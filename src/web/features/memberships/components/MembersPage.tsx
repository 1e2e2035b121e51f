import {
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Skeleton,
  Stack,
  Switch,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { IconMailPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../shared/permissions.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifyError, notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { formatDate } from '../../../lib/format.ts';
import {
  type Invitation,
  type Membership,
  useChangeRole,
  useInvitations,
  useMemberships,
  useRemoveMembership,
  useRevokeInvitation,
} from '../api.ts';
import { InviteModal } from './InviteModal.tsx';

const STATUS_COLORS: Record<Invitation['status'], string> = {
  pending: 'yellow',
  accepted: 'teal',
  expired: 'gray',
  revoked: 'red',
};

export function MembersPage() {
  const { t, i18n } = useTranslation('memberships');
  const { currentOrg, can, orgsById, me } = useCurrentOrg();
  const [subtree, setSubtree] = useState(false);
  const [inviteOpen, setInviteOpen] = useState(false);
  const [removing, setRemoving] = useState<Membership | null>(null);
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const mayRead = Boolean(currentOrg) && can('memberships:read');
  const mayWrite = Boolean(currentOrg) && can('memberships:write');
  // Organizers invite callers only (the server enforces it); admins invite every role.
  const mayInvite = Boolean(currentOrg) && can('memberships:invite');
  const invitableRoles: readonly Role[] = mayWrite ? ROLES : ['caller'];
  const memberships = useMemberships(currentOrg?.id, subtree, mayRead);
  const invitations = useInvitations(currentOrg?.id, mayRead);
  const changeRole = useChangeRole();
  const remove = useRemoveMembership();
  const revoke = useRevokeInvitation();

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayRead) return <Forbidden />;

  const members = memberships.data?.items ?? [];
  const pending = (invitations.data?.items ?? []).filter((inv) => inv.status === 'pending');
  const others = (invitations.data?.items ?? []).filter((inv) => inv.status !== 'pending').slice(0, 20);

  return (
    <>
      <PageHeader
        title={t('title')}
        description={t('description', { org: currentOrg.name })}
        actions={
          mayInvite && (
            <Button
              leftSection={<IconMailPlus size={18} aria-hidden />}
              onClick={() => setInviteOpen(true)}
              data-testid="invite-open"
            >
              {t('invite.open')}
            </Button>
          )
        }
      />

      <Stack gap="xl">
        <Stack gap="sm">
          <Group justify="space-between">
            <Title order={2} fz="lg">
              {t('members.title', { count: members.length })}
            </Title>
            <Switch
              label={t('members.subtree')}
              checked={subtree}
              onChange={(event) => setSubtree(event.currentTarget.checked)}
              data-testid="members-subtree"
            />
          </Group>
          <ErrorAlert error={memberships.error} />
          {memberships.isPending ? (
            <Skeleton h={160} />
          ) : members.length === 0 ? (
            <EmptyState
              icon={<IconUsers size={26} aria-hidden />}
              title={t('members.empty')}
              text={mayInvite ? t('members.emptyHint') : undefined}
            />
          ) : (
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={640}>
                <Table verticalSpacing="sm" highlightOnHover data-testid="members-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('members.name')}</Table.Th>
                      <Table.Th>{t('members.email')}</Table.Th>
                      {subtree && <Table.Th>{t('members.org')}</Table.Th>}
                      <Table.Th>{t('members.role')}</Table.Th>
                      <Table.Th>{t('members.since')}</Table.Th>
                      {mayWrite && <Table.Th aria-label={t('members.actions')} />}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {members.map((m) => {
                      const writable =
                        mayWrite && can('memberships:write', m.orgId) && m.userId !== me.user.id;
                      return (
                        <Table.Tr key={`${m.orgId}:${m.userId}`} data-testid="member-row">
                          <Table.Td fw={500}>{m.name}</Table.Td>
                          <Table.Td>{m.email}</Table.Td>
                          {subtree && <Table.Td>{orgsById.get(m.orgId)?.name ?? '—'}</Table.Td>}
                          <Table.Td>
                            {writable ? (
                              <NativeSelect
                                aria-label={t('members.roleOf', { name: m.name })}
                                size="sm"
                                w={170}
                                value={m.role}
                                disabled={changeRole.isPending}
                                data={ROLES.map((role) => ({
                                  value: role,
                                  label: t(`common:roles.${role}`),
                                }))}
                                onChange={(event) => {
                                  const role = event.currentTarget.value as Role;
                                  if (role === m.role) return;
                                  changeRole.mutate(
                                    { orgId: m.orgId, userId: m.userId, role },
                                    {
                                      onSuccess: () =>
                                        notifySuccess(t('members.roleChanged', { name: m.name })),
                                      onError: (error) => notifyError(t, error),
                                    },
                                  );
                                }}
                              />
                            ) : (
                              <Badge variant="light" miw="max-content">
                                {t(`common:roles.${m.role}`)}
                              </Badge>
                            )}
                          </Table.Td>
                          <Table.Td>{formatDate(m.createdAt, i18n.language)}</Table.Td>
                          {mayWrite && (
                            <Table.Td ta="right">
                              {writable && (
                                <Button variant="subtle" color="red" size="xs" onClick={() => setRemoving(m)}>
                                  {t('members.remove')}
                                </Button>
                              )}
                            </Table.Td>
                          )}
                        </Table.Tr>
                      );
                    })}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )}
        </Stack>

        <Stack gap="sm">
          <Title order={2} fz="lg">
            {t('invitations.title')}
          </Title>
          <ErrorAlert error={invitations.error} />
          {invitations.isPending ? (
            <Skeleton h={80} />
          ) : pending.length === 0 && others.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('invitations.empty')}
            </Text>
          ) : (
            <Paper withBorder radius="md">
              <Table.ScrollContainer minWidth={600}>
                <Table verticalSpacing="sm" data-testid="invitations-table">
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('members.email')}</Table.Th>
                      <Table.Th>{t('members.role')}</Table.Th>
                      <Table.Th>{t('invitations.status')}</Table.Th>
                      <Table.Th>{t('invitations.expires')}</Table.Th>
                      {mayInvite && <Table.Th aria-label={t('members.actions')} />}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {[...pending, ...others].map((inv) => (
                      <Table.Tr key={inv.id} data-testid="invitation-row">
                        <Table.Td>{inv.email}</Table.Td>
                        <Table.Td>{t(`common:roles.${inv.role}`)}</Table.Td>
                        <Table.Td>
                          <Badge color={STATUS_COLORS[inv.status]} variant="light" miw="max-content">
                            {t(`invitations.statuses.${inv.status}`)}
                          </Badge>
                        </Table.Td>
                        <Table.Td>{formatDate(inv.expiresAt, i18n.language)}</Table.Td>
                        {mayInvite && (
                          <Table.Td ta="right">
                            {inv.status === 'pending' && invitableRoles.includes(inv.role) && (
                              <Button variant="subtle" color="red" size="xs" onClick={() => setRevoking(inv)}>
                                {t('invitations.revoke')}
                              </Button>
                            )}
                          </Table.Td>
                        )}
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Paper>
          )}
        </Stack>
      </Stack>

      {mayInvite && (
        <InviteModal
          org={currentOrg}
          roles={invitableRoles}
          opened={inviteOpen}
          onClose={() => setInviteOpen(false)}
        />
      )}
      <ConfirmModal
        opened={Boolean(removing)}
        title={t('members.removeTitle')}
        confirmLabel={t('members.remove')}
        loading={remove.isPending}
        error={remove.error}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() =>
          removing &&
          remove.mutate(
            { orgId: removing.orgId, userId: removing.userId },
            {
              onSuccess: () => {
                notifySuccess(t('members.removed', { name: removing.name }));
                setRemoving(null);
              },
            },
          )
        }
      >
        {removing
          ? t('members.removeText', { name: removing.name, org: orgsById.get(removing.orgId)?.name ?? '' })
          : ''}
      </ConfirmModal>
      <ConfirmModal
        opened={Boolean(revoking)}
        title={t('invitations.revokeTitle')}
        confirmLabel={t('invitations.revoke')}
        loading={revoke.isPending}
        error={revoke.error}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
        onConfirm={() =>
          revoking &&
          revoke.mutate(revoking.id, {
            onSuccess: () => {
              notifySuccess(t('invitations.revoked'));
              setRevoking(null);
            },
          })
        }
      >
        {revoking ? t('invitations.revokeText', { email: revoking.email }) : ''}
      </ConfirmModal>
    </>
  );
}
