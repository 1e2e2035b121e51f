import { Badge, Button, Group, NativeSelect, Stack, Switch, Text, Title } from '@mantine/core';
import { IconMailPlus, IconUsers } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role } from '../../../../shared/permissions.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
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
  const writableMember = (m: Membership) =>
    mayWrite && can('memberships:write', m.orgId) && m.userId !== me.user.id;
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
          <DataTable
            error={memberships.error}
            loading={memberships.isPending}
            skeletonHeight={160}
            empty={
              <EmptyState
                icon={<IconUsers size={26} aria-hidden />}
                title={t('members.empty')}
                text={mayInvite ? t('members.emptyHint') : undefined}
              />
            }
            minWidth={640}
            table={{ highlightOnHover: true }}
            testId="members-table"
            rows={members}
            rowKey={(m) => `${m.orgId}:${m.userId}`}
            rowProps={() => ({ 'data-testid': 'member-row' })}
            columns={[
              { key: 'name', header: t('members.name'), td: { fw: 500 }, cell: (m) => m.name },
              { key: 'email', header: t('members.email'), cell: (m) => m.email },
              {
                key: 'org',
                header: t('members.org'),
                hidden: !subtree,
                cell: (m) => orgsById.get(m.orgId)?.name ?? '—',
              },
              {
                key: 'role',
                header: t('members.role'),
                cell: (m) =>
                  writableMember(m) ? (
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
                            onSuccess: () => notifySuccess(t('members.roleChanged', { name: m.name })),
                            onError: (error) => notifyError(t, error),
                          },
                        );
                      }}
                    />
                  ) : (
                    <Badge variant="light" miw="max-content">
                      {t(`common:roles.${m.role}`)}
                    </Badge>
                  ),
              },
              {
                key: 'since',
                header: t('members.since'),
                cell: (m) => formatDate(m.createdAt, i18n.language),
              },
              {
                key: 'actions',
                header: null,
                hidden: !mayWrite,
                th: { 'aria-label': t('members.actions') },
                td: { ta: 'right' },
                cell: (m) =>
                  writableMember(m) && (
                    <Button variant="subtle" color="red" size="xs" onClick={() => setRemoving(m)}>
                      {t('members.remove')}
                    </Button>
                  ),
              },
            ]}
          />
        </Stack>

        <Stack gap="sm">
          <Title order={2} fz="lg">
            {t('invitations.title')}
          </Title>
          <DataTable
            error={invitations.error}
            loading={invitations.isPending}
            skeletonHeight={80}
            empty={
              <Text size="sm" c="dimmed">
                {t('invitations.empty')}
              </Text>
            }
            minWidth={600}
            testId="invitations-table"
            rows={[...pending, ...others]}
            rowKey={(inv) => inv.id}
            rowProps={() => ({ 'data-testid': 'invitation-row' })}
            columns={[
              { key: 'email', header: t('members.email'), cell: (inv) => inv.email },
              { key: 'role', header: t('members.role'), cell: (inv) => t(`common:roles.${inv.role}`) },
              {
                key: 'status',
                header: t('invitations.status'),
                cell: (inv) => (
                  <Badge color={STATUS_COLORS[inv.status]} variant="light" miw="max-content">
                    {t(`invitations.statuses.${inv.status}`)}
                  </Badge>
                ),
              },
              {
                key: 'expires',
                header: t('invitations.expires'),
                cell: (inv) => formatDate(inv.expiresAt, i18n.language),
              },
              {
                key: 'actions',
                header: null,
                hidden: !mayInvite,
                th: { 'aria-label': t('members.actions') },
                td: { ta: 'right' },
                cell: (inv) =>
                  inv.status === 'pending' &&
                  invitableRoles.includes(inv.role) && (
                    <Button variant="subtle" color="red" size="xs" onClick={() => setRevoking(inv)}>
                      {t('invitations.revoke')}
                    </Button>
                  ),
              },
            ]}
          />
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
