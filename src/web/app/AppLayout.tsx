import {
  AppShell,
  Box,
  Burger,
  Divider,
  Group,
  NavLink,
  ScrollArea,
  Stack,
  Text,
  ThemeIcon,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import {
  IconAddressBook,
  IconAt,
  IconChecklist,
  IconCopy,
  IconFileImport,
  IconFilterSearch,
  IconHome,
  IconMail,
  IconMailForward,
  IconPhone,
  IconPhoneCall,
  IconPlugConnected,
  IconRotateClockwise2,
  IconSitemap,
  IconSpeakerphone,
  IconTimeline,
  IconUsers,
  IconWritingSign,
} from '@tabler/icons-react';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation } from 'react-router';
import type { Permission } from '../../shared/permissions.ts';
import { useCurrentOrg } from './current-org.tsx';
import { OrgSwitcher } from './OrgSwitcher.tsx';
import { UserMenu } from './UserMenu.tsx';

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  permission?: Permission;
  testId: string;
}

export function AppLayout() {
  const { t } = useTranslation('common');
  const [opened, { toggle, close }] = useDisclosure(false);
  const { me, can } = useCurrentOrg();
  const location = useLocation();

  const main: NavItem[] = [
    { to: '/', label: t('nav.start'), icon: <IconHome size={20} />, testId: 'nav-start' },
    {
      to: '/orgs',
      label: t('nav.orgs'),
      icon: <IconSitemap size={20} />,
      permission: 'orgs:read',
      testId: 'nav-orgs',
    },
    {
      to: '/people',
      label: t('nav.people'),
      icon: <IconAddressBook size={20} />,
      permission: 'people:read',
      testId: 'nav-people',
    },
    {
      to: '/lists',
      label: t('nav.queries'),
      icon: <IconFilterSearch size={20} />,
      permission: 'people:read',
      testId: 'nav-queries',
    },
    {
      to: '/mailings',
      label: t('nav.mailings'),
      icon: <IconMail size={20} />,
      permission: 'mail:send',
      testId: 'nav-mailings',
    },
    {
      to: '/calls',
      label: t('nav.calls'),
      icon: <IconPhone size={20} />,
      permission: 'calls:make',
      testId: 'nav-calls',
    },
    {
      to: '/call-assignments',
      label: t('nav.callAssignments'),
      icon: <IconPhoneCall size={20} />,
      permission: 'calls:manage',
      testId: 'nav-call-assignments',
    },
    {
      to: '/campaigns',
      label: t('nav.campaigns'),
      icon: <IconSpeakerphone size={20} />,
      permission: 'calls:manage',
      testId: 'nav-campaigns',
    },
    {
      to: '/duplicates',
      label: t('nav.duplicates'),
      icon: <IconCopy size={20} />,
      permission: 'people:read',
      testId: 'nav-duplicates',
    },
    {
      to: '/imports',
      label: t('nav.imports'),
      icon: <IconFileImport size={20} />,
      permission: 'people:import',
      testId: 'nav-imports',
    },
    {
      to: '/members',
      label: t('nav.members'),
      icon: <IconUsers size={20} />,
      permission: 'memberships:read',
      testId: 'nav-members',
    },
    {
      to: '/audit',
      label: t('nav.audit'),
      icon: <IconTimeline size={20} />,
      permission: 'audit:read',
      testId: 'nav-audit',
    },
    {
      to: '/instruction/confirmations',
      label: t('nav.confirmations'),
      icon: <IconChecklist size={20} />,
      permission: 'instruction:confirmations:read',
      testId: 'nav-confirmations',
    },
  ];
  const admin: NavItem[] = [
    {
      to: '/admin/outbox',
      label: t('nav.outbox'),
      icon: <IconMailForward size={20} />,
      permission: 'instance:manage',
      testId: 'nav-outbox',
    },
    {
      to: '/admin/sender-addresses',
      label: t('nav.senderAddresses'),
      icon: <IconAt size={20} />,
      permission: 'instance:manage',
      testId: 'nav-sender-addresses',
    },
    {
      to: '/admin/jobs',
      label: t('nav.failedJobs'),
      icon: <IconRotateClockwise2 size={20} />,
      permission: 'instance:manage',
      testId: 'nav-failed-jobs',
    },
    {
      to: '/admin/instruction',
      label: t('nav.instructionEdit'),
      icon: <IconWritingSign size={20} />,
      permission: 'instance:manage',
      testId: 'nav-instruction-edit',
    },
  ];
  const visible = (items: NavItem[]) => items.filter((item) => !item.permission || can(item.permission));
  const isActive = (to: string) =>
    to === '/'
      ? location.pathname === '/'
      : location.pathname === to || location.pathname.startsWith(`${to}/`);

  const renderItems = (items: NavItem[]) =>
    visible(items).map((item) => (
      <NavLink
        key={item.to}
        component={Link}
        to={item.to}
        label={item.label}
        leftSection={item.icon}
        active={isActive(item.to)}
        onClick={close}
        data-testid={item.testId}
        py={10}
        style={{ borderRadius: 'var(--mantine-radius-md)' }}
        aria-current={isActive(item.to) ? 'page' : undefined}
      />
    ));
  const adminItems = visible(admin);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 264, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'md', sm: 'lg' }}
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={t('nav.toggleNavigation')}
            />
            <Group
              gap={8}
              wrap="nowrap"
              renderRoot={(props) => <Link to="/" {...props} />}
              style={{ textDecoration: 'none', color: 'inherit' }}
            >
              <ThemeIcon size={32} radius="md">
                <IconPlugConnected size={20} aria-hidden />
              </ThemeIcon>
              <Text fw={800} fz="xl" lh={1}>
                {t('appName')}
              </Text>
            </Group>
            <Box visibleFrom="sm" ml="lg">
              <OrgSwitcher />
            </Box>
          </Group>
          <UserMenu me={me} />
        </Group>
      </AppShell.Header>

      <AppShell.Navbar p="sm" aria-label={t('nav.mainNavigation')}>
        <Box hiddenFrom="sm" mb="md">
          <OrgSwitcher withLabel />
        </Box>
        <AppShell.Section grow component={ScrollArea}>
          <Stack gap={2}>{renderItems(main)}</Stack>
          {adminItems.length > 0 && (
            <>
              <Divider my="sm" />
              <Text size="xs" fw={700} c="dimmed" tt="uppercase" px="sm" mb={4}>
                {t('nav.adminSection')}
              </Text>
              <Stack gap={2}>{renderItems(admin)}</Stack>
            </>
          )}
        </AppShell.Section>
      </AppShell.Navbar>

      <AppShell.Main bg="gray.0">
        <Box maw={1200} mx="auto">
          <Outlet />
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
