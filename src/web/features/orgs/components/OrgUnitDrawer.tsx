import {
  Anchor,
  Badge,
  Drawer,
  Group,
  Loader,
  Paper,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { FilterNode } from '../../../../shared/queries.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { useAssignments } from '../../calls/api.ts';
import { useMemberships } from '../../memberships/api.ts';
import { usePreview } from '../../queries/api.ts';
import type { Org } from '../api.ts';
import { ChangeDigestCard } from './ChangeDigestCard.tsx';
import { OrgKindBadge } from './OrgKindBadge.tsx';

const EVERYONE: FilterNode = { kind: 'group', op: 'and', children: [] };

function Section({ title, testId, children }: { title: string; testId: string; children: ReactNode }) {
  return (
    <Stack gap={6} data-testid={testId}>
      <Title order={3} fz="sm">
        {title}
      </Title>
      {children}
    </Stack>
  );
}

/**
 * One unit opened from the tree: how many people it holds (with its sub-units), its catchment,
 * its members with their roles and its call assignments — each part only with the permission
 * the API asks for (the figures come from the existing list endpoints).
 */
export function OrgUnitDrawer({
  org,
  orgs,
  onClose,
}: {
  org: Org | null;
  orgs: readonly Org[];
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation('orgs');
  const { can } = useCurrentOrg();
  const narrow = useMediaQuery('(max-width: 36em)');
  const id = org?.id;
  const mayPeople = Boolean(id && can('people:read', id));
  const mayMembers = Boolean(id && can('memberships:read', id));
  const mayCalls = Boolean(id && can('calls:manage', id));
  const people = usePreview(mayPeople ? id : undefined, EVERYONE);
  const members = useMemberships(id, false, mayMembers);
  const assignments = useAssignments(id, mayCalls);
  const nameOf = new Map(orgs.map((o) => [o.id, o.name]));
  const children = org ? orgs.filter((o) => o.parentId === org.id && !o.archived) : [];
  const n = (v: number) => v.toLocaleString(i18n.language);

  return (
    <Drawer
      opened={org !== null}
      onClose={onClose}
      position="right"
      size={narrow ? '100%' : 'md'}
      title={
        org && (
          <Group gap="xs">
            <Text fw={700} fz="lg">
              {org.name}
            </Text>
            <OrgKindBadge kind={org.kind} />
          </Group>
        )
      }
      data-testid="org-unit-drawer"
    >
      {org && (
        <Stack gap="lg">
          <SimpleGrid cols={3} spacing="xs">
            <Figure
              label={t('unit.people')}
              testId="unit-people"
              value={
                !mayPeople ? (
                  '–'
                ) : people.data && !people.isPlaceholderData ? (
                  n(people.data.count)
                ) : (
                  <Loader size="xs" />
                )
              }
            />
            <Figure
              label={t('unit.members')}
              testId="unit-members-count"
              value={!mayMembers ? '–' : members.data ? n(members.data.items.length) : <Loader size="xs" />}
            />
            <Figure label={t('unit.children')} testId="unit-children" value={n(children.length)} />
          </SimpleGrid>
          {mayPeople && (
            <Text size="xs" c="dimmed" mt={-12}>
              {t('unit.peopleHint')}
            </Text>
          )}

          <Section title={t('unit.catchment')} testId="unit-catchment">
            {org.postalCodes.length ? (
              <Text size="sm" ff="monospace" style={{ overflowWrap: 'anywhere' }}>
                {org.postalCodes.join(', ')}
              </Text>
            ) : (
              <Text size="sm" c="dimmed">
                {t('unit.noCatchment')}
              </Text>
            )}
          </Section>

          {mayMembers && (
            <Section title={t('unit.membersTitle')} testId="unit-members">
              <ErrorAlert error={members.error} />
              {members.data?.items.length ? (
                <Table verticalSpacing={4} horizontalSpacing={6} fz="sm">
                  <Table.Tbody>
                    {members.data.items.map((m) => (
                      <Table.Tr key={m.userId} data-testid="unit-member">
                        <Table.Td style={{ overflowWrap: 'anywhere' }}>
                          <Text size="sm">{m.name}</Text>
                          <Text size="xs" c="dimmed">
                            {m.email}
                          </Text>
                        </Table.Td>
                        <Table.Td ta="right">
                          <Badge variant="light" size="sm" style={{ flexShrink: 0 }}>
                            {t(`common:roles.${m.role}`)}
                          </Badge>
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              ) : (
                members.data && (
                  <Text size="sm" c="dimmed">
                    {t('unit.noMembers')}
                  </Text>
                )
              )}
              <Anchor component={Link} to="/members" size="sm">
                {t('unit.toMembers')}
              </Anchor>
            </Section>
          )}

          {mayPeople && (
            <Anchor component={Link} to={`/orgs/${org.id}/changes`} size="sm" data-testid="unit-changes-link">
              {t('changes:link')}
            </Anchor>
          )}
          {can('mail:configure', org.id) && <ChangeDigestCard orgId={org.id} />}

          {mayCalls && (
            <Section title={t('unit.assignments')} testId="unit-assignments">
              <ErrorAlert error={assignments.error} />
              {assignments.data?.items.length ? (
                <Stack gap={4}>
                  {assignments.data.items.map((a) => (
                    <Paper key={a.id} withBorder radius="sm" px="sm" py={6} data-testid="unit-assignment">
                      <Group justify="space-between" wrap="nowrap" gap="xs">
                        <Stack gap={0} style={{ minWidth: 0 }}>
                          <Anchor
                            component={Link}
                            to={`/call-assignments/${a.id}`}
                            size="sm"
                            style={{ overflowWrap: 'anywhere' }}
                          >
                            {a.title}
                          </Anchor>
                          {a.orgId !== org.id && (
                            <Text size="xs" c="dimmed">
                              {nameOf.get(a.orgId) ?? ''}
                            </Text>
                          )}
                        </Stack>
                        <Badge variant="outline" size="sm" color="gray" style={{ flexShrink: 0 }}>
                          {t(`calls:status.${a.status}`)}
                        </Badge>
                      </Group>
                    </Paper>
                  ))}
                </Stack>
              ) : (
                assignments.data && (
                  <Text size="sm" c="dimmed">
                    {t('unit.noAssignments')}
                  </Text>
                )
              )}
            </Section>
          )}
        </Stack>
      )}
    </Drawer>
  );
}

function Figure({ label, value, testId }: { label: string; value: ReactNode; testId: string }) {
  return (
    <Paper withBorder radius="md" p="xs">
      <Text size="xs" c="dimmed" fw={600} lh={1.3} style={{ overflowWrap: 'anywhere', hyphens: 'auto' }}>
        {label}
      </Text>
      <Text fz={20} fw={700} data-testid={testId} component="div">
        {value}
      </Text>
    </Paper>
  );
}
