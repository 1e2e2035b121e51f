import { Badge, Card, Group, Paper, SimpleGrid, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import {
  IconChecklist,
  IconChevronRight,
  IconMailForward,
  IconSitemap,
  IconTimeline,
  IconUsers,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Permission } from '../../../../shared/permissions.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { OrgKindBadge } from '../../orgs/components/OrgKindBadge.tsx';
import {
  AssignmentsOverviewCard,
  FirstUnitCard,
  MyAssignmentsCard,
  RecentImportsCard,
  SetupStepsCard,
} from './StartCards.tsx';

interface Section {
  to: string;
  key: string;
  icon: ReactNode;
  permission: Permission;
}

const SECTIONS: Section[] = [
  { to: '/orgs', key: 'orgs', icon: <IconSitemap size={22} />, permission: 'orgs:read' },
  { to: '/members', key: 'members', icon: <IconUsers size={22} />, permission: 'memberships:read' },
  { to: '/audit', key: 'audit', icon: <IconTimeline size={22} />, permission: 'audit:read' },
  {
    to: '/instruction/confirmations',
    key: 'confirmations',
    icon: <IconChecklist size={22} />,
    permission: 'instruction:confirmations:read',
  },
  { to: '/admin/outbox', key: 'outbox', icon: <IconMailForward size={22} />, permission: 'instance:manage' },
];

export function StartPage() {
  const { t } = useTranslation('home');
  const { me, orgs, currentOrg, roles, can } = useCurrentOrg();
  const firstName = me.user.name.split(/\s+/)[0] || me.user.name;
  // What this user can do now: callers call, organizers follow their assignments and imports,
  // admins see the setup steps still open; an empty instance starts with its first unit.
  const manages = Boolean(currentOrg) && can('calls:manage');
  const emptyInstance = me.user.isSuperadmin && orgs.length === 0;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1} fz={{ base: 26, sm: 32 }} data-testid="start-greeting">
          {t('greeting', { name: firstName })}
        </Title>
        <Text c="dimmed">{t('intro')}</Text>
      </Stack>

      {currentOrg ? (
        <Paper withBorder radius="md" p="lg" data-testid="start-current-org">
          <Group justify="space-between" align="flex-start">
            <Stack gap={6}>
              <Text size="xs" tt="uppercase" fw={700} c="dimmed">
                {t('currentOrg')}
              </Text>
              <Group gap="sm">
                <Text fw={700} fz="xl">
                  {currentOrg.name}
                </Text>
                <OrgKindBadge kind={currentOrg.kind} size="md" />
              </Group>
            </Stack>
            <Stack gap={6}>
              <Text size="xs" tt="uppercase" fw={700} c="dimmed">
                {t('yourRoles')}
              </Text>
              <Group gap={6}>
                {me.user.isSuperadmin && (
                  <Badge color="red" variant="filled">
                    {t('common:roles.superadmin')}
                  </Badge>
                )}
                {roles.map((role) => (
                  <Badge key={role} variant="outline">
                    {t(`common:roles.${role}`)}
                  </Badge>
                ))}
                {!me.user.isSuperadmin && roles.length === 0 && (
                  <Text size="sm" c="dimmed">
                    {t('common:states.none')}
                  </Text>
                )}
              </Group>
            </Stack>
          </Group>
        </Paper>
      ) : emptyInstance ? (
        <FirstUnitCard />
      ) : (
        <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />
      )}

      {currentOrg && can('memberships:write') && (
        <SetupStepsCard orgId={currentOrg.id} mayImport={can('people:import')} />
      )}
      {currentOrg && <MyAssignmentsCard showEmpty={!manages} />}
      {currentOrg && manages && (
        <SimpleGrid cols={{ base: 1, md: can('people:import') ? 2 : 1 }}>
          <AssignmentsOverviewCard orgId={currentOrg.id} />
          {can('people:import') && <RecentImportsCard orgId={currentOrg.id} />}
        </SimpleGrid>
      )}

      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {SECTIONS.filter((section) => can(section.permission)).map((section) => (
          <Card
            key={section.key}
            component={Link}
            to={section.to}
            withBorder
            radius="md"
            padding="lg"
            data-testid={`start-card-${section.key}`}
            style={{ textDecoration: 'none' }}
          >
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Group gap="md" wrap="nowrap" align="flex-start">
                <ThemeIcon size={44} radius="md" variant="light">
                  {section.icon}
                </ThemeIcon>
                <Stack gap={2}>
                  <Text fw={600}>{t(`sections.${section.key}.title`)}</Text>
                  <Text size="sm" c="dimmed">
                    {section.key === 'members' && !can('memberships:invite')
                      ? t('sections.members.textReadOnly')
                      : t(`sections.${section.key}.text`)}
                  </Text>
                </Stack>
              </Group>
              <IconChevronRight size={18} color="var(--mantine-color-gray-5)" aria-hidden />
            </Group>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
