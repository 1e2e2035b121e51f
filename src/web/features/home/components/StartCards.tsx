import {
  Badge,
  Button,
  Group,
  List,
  NativeSelect,
  Paper,
  Progress,
  Skeleton,
  Stack,
  Text,
  TextInput,
  ThemeIcon,
} from '@mantine/core';
import { IconCircleDashed, IconPhoneCall } from '@tabler/icons-react';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../lib/format.ts';
import { type Assignment, useAssignmentProgress, useAssignments, useMyAssignments } from '../../calls/api.ts';
import { useImports } from '../../imports/api.ts';
import { useInvitations, useMemberships } from '../../memberships/api.ts';
import { type OrgKind, useCreateOrg } from '../../orgs/api.ts';

function CardTitle({ children }: { children: string }) {
  return (
    <Text fw={700} fz="lg">
      {children}
    </Text>
  );
}

/** A caller's assignments with a big "Jetzt anrufen" for each open one. */
export function MyAssignmentsCard({ showEmpty }: { showEmpty: boolean }) {
  const { t } = useTranslation('home');
  const mine = useMyAssignments();
  const items = (mine.data?.items ?? []).filter((a) => a.status === 'open' || a.status === 'paused');
  if (mine.isPending) return <Skeleton h={120} radius="md" />;
  if (!showEmpty && items.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="lg" data-testid="start-my-assignments">
      <Stack gap="sm">
        <CardTitle>{t('mine.title')}</CardTitle>
        <ErrorAlert error={mine.error} />
        {items.length === 0 ? (
          <Text c="dimmed">{t('mine.empty')}</Text>
        ) : (
          items.map((a) => (
            <Group key={a.id} justify="space-between" wrap="wrap" gap="sm" data-testid="start-my-assignment">
              <Stack gap={0} style={{ minWidth: 0, flex: '1 1 200px' }}>
                <Text fw={600}>{a.title}</Text>
                <Text size="sm" c="dimmed">
                  {a.orgName}
                </Text>
              </Stack>
              {a.status === 'open' ? (
                <Button
                  component={Link}
                  to={`/calls/${a.id}`}
                  size="md"
                  leftSection={<IconPhoneCall size={20} aria-hidden />}
                  data-testid="start-call-now"
                >
                  {t('mine.callNow')}
                </Button>
              ) : (
                <Badge variant="light" color="gray" size="lg">
                  {t('mine.paused')}
                </Badge>
              )}
            </Group>
          ))
        )}
      </Stack>
    </Paper>
  );
}

function AssignmentProgressRow({ assignment }: { assignment: Assignment }) {
  const { t, i18n } = useTranslation('home');
  const progress = useAssignmentProgress(assignment.id);
  const nf = new Intl.NumberFormat(i18n.language);
  const p = progress.data;
  const share = p && p.targets > 0 ? Math.round((100 * p.done) / p.targets) : 0;
  return (
    <Stack gap={4} data-testid="start-assignment-progress">
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text fw={600} component={Link} to={`/call-assignments/${assignment.id}`} c="inherit">
          {assignment.title}
        </Text>
        {p && p.openFollowUps > 0 && (
          <Badge color="orange" variant="light" miw="max-content">
            {t('organizer.followUps', { count: p.openFollowUps, formatted: nf.format(p.openFollowUps) })}
          </Badge>
        )}
      </Group>
      {p ? (
        <>
          <Progress
            value={share}
            size="lg"
            radius="xl"
            aria-label={t('organizer.progressLabel', { title: assignment.title })}
          />
          <Text size="sm" c="dimmed">
            {t('organizer.progressText', {
              done: nf.format(p.done),
              targets: nf.format(p.targets),
              calls: nf.format(p.calls),
              reached: nf.format(p.reached),
            })}
          </Text>
        </>
      ) : (
        <Skeleton h={30} />
      )}
    </Stack>
  );
}

/** The unit's running assignments with their progress and waiting follow-ups. */
export function AssignmentsOverviewCard({ orgId }: { orgId: string }) {
  const { t } = useTranslation('home');
  const assignments = useAssignments(orgId);
  const open = (assignments.data?.items ?? []).filter((a) => a.status === 'open').slice(0, 5);
  return (
    <Paper withBorder radius="md" p="lg" data-testid="start-assignments">
      <Stack gap="md">
        <Group justify="space-between">
          <CardTitle>{t('organizer.title')}</CardTitle>
          <Button component={Link} to="/call-assignments" variant="subtle" size="sm">
            {t('organizer.all')}
          </Button>
        </Group>
        <ErrorAlert error={assignments.error} />
        {assignments.isPending ? (
          <Skeleton h={60} />
        ) : open.length === 0 ? (
          <Group justify="space-between" wrap="wrap">
            <Text c="dimmed">{t('organizer.empty')}</Text>
            <Button component={Link} to="/call-assignments/new" variant="light">
              {t('organizer.create')}
            </Button>
          </Group>
        ) : (
          open.map((a) => <AssignmentProgressRow key={a.id} assignment={a} />)
        )}
      </Stack>
    </Paper>
  );
}

const IMPORT_COLOR = { pending: 'gray', running: 'blue', done: 'green', failed: 'red' } as const;

export function RecentImportsCard({ orgId }: { orgId: string }) {
  const { t, i18n } = useTranslation('home');
  const imports = useImports(orgId);
  const items = (imports.data?.items ?? []).slice(0, 3);
  return (
    <Paper withBorder radius="md" p="lg" data-testid="start-imports">
      <Stack gap="sm">
        <Group justify="space-between">
          <CardTitle>{t('imports.title')}</CardTitle>
          <Button component={Link} to="/imports" variant="subtle" size="sm">
            {t('imports.open')}
          </Button>
        </Group>
        {imports.isPending ? (
          <Skeleton h={40} />
        ) : items.length === 0 ? (
          <Text c="dimmed">{t('imports.empty')}</Text>
        ) : (
          items.map((i) => (
            <Group key={i.id} justify="space-between" wrap="wrap" gap="xs">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Text fw={600} truncate="end">
                  {i.fileName}
                </Text>
                <Text size="sm" c="dimmed">
                  {formatDateTime(i.createdAt, i18n.language)}
                </Text>
              </Stack>
              <Badge variant="light" color={IMPORT_COLOR[i.status]} miw="max-content">
                {t(`imports:status.${i.status}`)}
              </Badge>
            </Group>
          ))
        )}
      </Stack>
    </Paper>
  );
}

/** What an admin still has to set up in the unit; hidden once everything is done. */
export function SetupStepsCard({ orgId, mayImport }: { orgId: string; mayImport: boolean }) {
  const { t } = useTranslation('home');
  const members = useMemberships(orgId, true, true);
  const invitations = useInvitations(orgId, true);
  const imports = useImports(orgId, mayImport);
  const assignments = useAssignments(orgId);
  if (members.isPending || invitations.isPending || assignments.isPending) return null;
  const steps = [
    {
      key: 'invite',
      to: '/members',
      done: (members.data?.items.length ?? 0) > 1 || (invitations.data?.items.length ?? 0) > 0,
    },
    ...(mayImport
      ? [
          {
            key: 'import',
            to: '/imports',
            done: (imports.data?.items ?? []).some((i) => i.status === 'done'),
          },
        ]
      : []),
    { key: 'assignment', to: '/call-assignments/new', done: (assignments.data?.items.length ?? 0) > 0 },
  ].filter((s) => !s.done);
  if (steps.length === 0) return null;
  return (
    <Paper withBorder radius="md" p="lg" data-testid="start-setup">
      <Stack gap="sm">
        <CardTitle>{t('setup.title')}</CardTitle>
        <Text size="sm" c="dimmed">
          {t('setup.text')}
        </Text>
        <List
          spacing="sm"
          icon={
            <ThemeIcon variant="light" radius="xl" size={24}>
              <IconCircleDashed size={16} aria-hidden />
            </ThemeIcon>
          }
        >
          {steps.map((s) => (
            <List.Item key={s.key} data-testid={`start-setup-${s.key}`}>
              <Group gap="sm" wrap="wrap">
                <Text>{t(`setup.steps.${s.key}.text`)}</Text>
                <Button component={Link} to={s.to} size="xs" variant="light">
                  {t(`setup.steps.${s.key}.action`)}
                </Button>
              </Group>
            </List.Item>
          ))}
        </List>
      </Stack>
    </Paper>
  );
}

const ROOT_KINDS: OrgKind[] = ['federal', 'state', 'district', 'local', 'group'];

/** An instance without any unit: the instance admin creates the first (top) one here. */
export function FirstUnitCard() {
  const { t } = useTranslation('home');
  const create = useCreateOrg();
  const [name, setName] = useState('');
  const [kind, setKind] = useState<OrgKind>('federal');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) create.mutate({ name: name.trim(), kind, parentId: null });
  };
  return (
    <Paper withBorder radius="md" p="lg" data-testid="start-first-unit">
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <CardTitle>{t('firstUnit.title')}</CardTitle>
          <Text size="sm" c="dimmed">
            {t('firstUnit.text')}
          </Text>
          <Group align="flex-end" wrap="wrap" gap="sm">
            <TextInput
              label={t('firstUnit.name')}
              placeholder={t('firstUnit.placeholder')}
              value={name}
              onChange={(e) => setName(e.currentTarget.value)}
              required
              style={{ flex: '1 1 240px' }}
              data-testid="first-unit-name"
            />
            <NativeSelect
              label={t('firstUnit.kind')}
              value={kind}
              onChange={(e) => setKind(e.currentTarget.value as OrgKind)}
              data={ROOT_KINDS.map((k) => ({ value: k, label: t(`common:kinds.${k}`) }))}
              style={{ flex: '0 1 200px' }}
            />
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!name.trim()}
              data-testid="first-unit-submit"
            >
              {t('firstUnit.submit')}
            </Button>
          </Group>
          <ErrorAlert error={create.error} />
        </Stack>
      </form>
    </Paper>
  );
}
