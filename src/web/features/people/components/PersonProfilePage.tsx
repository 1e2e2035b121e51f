import { Anchor, Button, Grid, Group, List, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconArrowLeft, IconBuilding, IconTrash } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { ConfirmModal } from '../../../components/ConfirmModal.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { isApiError } from '../../../lib/api.ts';
import { useDeletePerson, usePerson } from '../api.ts';
import { fullName } from '../format.ts';
import { ConsentsCard } from './ConsentsCard.tsx';
import { CustomFieldsCard } from './CustomFieldsCard.tsx';
import { StatusBadge } from './PeopleBadges.tsx';
import { AddressCard, ContactCard, MembershipCard, PersonalCard } from './PersonCards.tsx';
import { TagsCard } from './TagsCard.tsx';
import { NotesCard, TimelineCard } from './Timeline.tsx';

export function PersonProfilePage() {
  const { t } = useTranslation('people');
  const { id } = useParams();
  const navigate = useNavigate();
  const { currentOrg, can } = useCurrentOrg();
  const mayRead = Boolean(currentOrg) && can('people:read');
  const person = usePerson(mayRead ? id : undefined);
  const remove = useDeletePerson();
  const [deleting, setDeleting] = useState(false);

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayRead) return <Forbidden />;

  const back = (
    <Anchor component={Link} to="/people" size="sm" data-testid="back-to-people">
      <Group gap={4} component="span">
        <IconArrowLeft size={16} aria-hidden />
        {t('profile.back')}
      </Group>
    </Anchor>
  );

  if (person.isPending) {
    return (
      <Stack>
        {back}
        <Skeleton h={48} w={320} />
        <Skeleton h={240} />
      </Stack>
    );
  }
  if (person.error || !person.data) {
    if (isApiError(person.error, 'forbidden')) return <Forbidden />;
    return (
      <Stack>
        {back}
        <ErrorAlert error={person.error} />
      </Stack>
    );
  }

  const p = person.data;
  const mayWrite = can('people:write', p.orgId);
  const name = fullName(p) || t('profile.noName');

  return (
    <Stack gap="lg">
      <Stack gap={6}>
        {back}
        <Group justify="space-between" align="flex-start" gap="sm">
          <Stack gap={4} style={{ flex: '1 1 280px' }}>
            <Group gap="sm" align="center">
              <Title order={1} fz={{ base: 24, sm: 28 }} data-testid="person-name">
                {name}
              </Title>
              <StatusBadge status={p.membershipStatus} />
            </Group>
            <Group gap={6} c="dimmed">
              <IconBuilding size={16} aria-hidden />
              <Text size="sm" data-testid="person-org">
                {p.orgName}
              </Text>
            </Group>
          </Stack>
          {mayWrite && (
            <Button
              variant="subtle"
              color="red"
              leftSection={<IconTrash size={18} aria-hidden />}
              onClick={() => {
                remove.reset();
                setDeleting(true);
              }}
              data-testid="person-delete"
            >
              {t('delete.open')}
            </Button>
          )}
        </Group>
      </Stack>

      <Grid gap="md">
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Stack gap="md">
            <ContactCard person={p} mayWrite={mayWrite} />
            <AddressCard person={p} mayWrite={mayWrite} />
            <MembershipCard person={p} mayWrite={mayWrite} />
            <PersonalCard person={p} mayWrite={mayWrite} />
            <CustomFieldsCard person={p} mayWrite={mayWrite} />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack gap="md">
            <TagsCard person={p} mayWrite={mayWrite} />
            <ConsentsCard person={p} mayWrite={mayWrite} />
            <NotesCard person={p} mayWrite={mayWrite} />
            <TimelineCard person={p} />
          </Stack>
        </Grid.Col>
      </Grid>

      <ConfirmModal
        opened={deleting}
        title={t('delete.title', { name })}
        confirmLabel={t('delete.confirm')}
        loading={remove.isPending}
        error={remove.error}
        onClose={() => setDeleting(false)}
        onConfirm={() =>
          remove.mutate(p.id, {
            onSuccess: () => {
              notifySuccess(t('delete.done', { name }));
              setDeleting(false);
              navigate('/people', { replace: true });
            },
          })
        }
      >
        <Stack gap="xs">
          <Text>{t('delete.text', { name })}</Text>
          <List size="sm">
            <List.Item>{t('delete.what.data')}</List.Item>
            <List.Item>{t('delete.what.notes')}</List.Item>
            <List.Item>{t('delete.what.timeline')}</List.Item>
          </List>
          <Text fw={600} c="red">
            {t('delete.irrevocable')}
          </Text>
        </Stack>
      </ConfirmModal>
    </Stack>
  );
}
