import {
  Anchor,
  Badge,
  Button,
  Group,
  NativeSelect,
  Paper,
  Stack,
  TagsInput,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { IconArrowLeft } from '@tabler/icons-react';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CUSTOM_FIELD_TYPES } from '../../../../shared/people.ts';
import { useCurrentOrg } from '../../../app/current-org.tsx';
import { DataTable } from '../../../components/DataTable.tsx';
import { EmptyState } from '../../../components/EmptyState.tsx';
import { Forbidden } from '../../../components/Forbidden.tsx';
import { notifySuccess } from '../../../components/notify.ts';
import { PageHeader } from '../../../components/PageHeader.tsx';
import { type CustomField, useCreateField, useFields, useTags } from '../api.ts';
import { serverFieldErrors } from '../format.ts';
import { FormError } from './FormError.tsx';
import { TagBadge } from './inputs.tsx';
import { NewTagForm } from './TagsCard.tsx';

/** Tags and custom fields of the current unit ("Felder & Tags"). */
export function PeopleSettingsPage() {
  const { t } = useTranslation('people');
  const { currentOrg, can, orgsById } = useCurrentOrg();
  const mayRead = Boolean(currentOrg) && can('people:read');
  const mayWrite = mayRead && can('people:write');
  const mayConfigure = mayRead && can('people:configure');
  const tags = useTags(currentOrg?.id, mayRead);
  const fields = useFields(currentOrg?.id, mayRead);

  if (!currentOrg) return <EmptyState title={t('common:noOrg.title')} text={t('common:noOrg.text')} />;
  if (!mayRead) return <Forbidden />;
  const unitName = (orgId: string) => orgsById.get(orgId)?.name ?? '—';

  return (
    <>
      <Anchor component={Link} to="/people" size="sm">
        <Group gap={4} component="span" mb="xs">
          <IconArrowLeft size={16} aria-hidden />
          {t('profile.back')}
        </Group>
      </Anchor>
      <PageHeader
        title={t('settings.title')}
        description={t('settings.description', { org: currentOrg.name })}
      />
      <Stack gap="xl">
        <Stack gap="sm" component="section" aria-labelledby="tags-heading" data-testid="settings-tags">
          <Title order={2} fz="lg" id="tags-heading">
            {t('tags.title')}
          </Title>
          <DataTable
            error={tags.error}
            loading={tags.isPending}
            skeletonHeight={100}
            empty={
              <Text size="sm" c="dimmed">
                {t('tags.emptyOrg')}
              </Text>
            }
            minWidth={480}
            table={{ verticalSpacing: 'xs' }}
            testId="tags-table"
            rows={tags.data?.items ?? []}
            rowKey={(tag) => tag.id}
            columns={[
              { key: 'name', header: t('tags.name'), cell: (tag) => <TagBadge tag={tag} /> },
              {
                key: 'color',
                header: t('tags.color'),
                cell: (tag) => t(`colors.${tag.color}`, { defaultValue: tag.color }),
              },
              { key: 'group', header: t('tags.group'), cell: (tag) => tag.group ?? '—' },
              { key: 'org', header: t('settings.definedIn'), cell: (tag) => unitName(tag.orgId) },
            ]}
          />
          {mayWrite && (
            <Paper withBorder radius="md" p="md">
              <Text fw={600} size="sm" mb="xs">
                {t('tags.newIn', { org: currentOrg.name })}
              </Text>
              <NewTagForm
                orgId={currentOrg.id}
                withGroup
                onCreated={() => notifySuccess(t('tags.created'))}
              />
            </Paper>
          )}
        </Stack>

        <Stack gap="sm" component="section" aria-labelledby="fields-heading" data-testid="settings-fields">
          <Title order={2} fz="lg" id="fields-heading">
            {t('customFields.title')}
          </Title>
          <DataTable
            error={fields.error}
            loading={fields.isPending}
            skeletonHeight={100}
            empty={
              <Text size="sm" c="dimmed">
                {mayConfigure ? t('customFields.emptyOrg') : t('customFields.emptyOrgNoAdmin')}
              </Text>
            }
            minWidth={560}
            table={{ verticalSpacing: 'xs' }}
            testId="fields-table"
            rows={fields.data?.items ?? []}
            rowKey={(field: CustomField) => field.id}
            columns={[
              {
                key: 'label',
                header: t('customFields.label'),
                td: { fw: 500 },
                cell: (field) => field.label,
              },
              {
                key: 'key',
                header: t('customFields.key'),
                cell: (field) => (
                  <Text size="sm" ff="monospace">
                    {field.key}
                  </Text>
                ),
              },
              {
                key: 'type',
                header: t('customFields.type'),
                cell: (field) => (
                  <Badge variant="light" color="gray" tt="none">
                    {t(`fieldTypes.${field.type}`)}
                  </Badge>
                ),
              },
              {
                key: 'options',
                header: t('customFields.options'),
                cell: (field) => (field.options.length ? field.options.join(', ') : '—'),
              },
              { key: 'org', header: t('settings.definedIn'), cell: (field) => unitName(field.orgId) },
            ]}
          />
          {mayConfigure && <NewFieldForm orgId={currentOrg.id} orgName={currentOrg.name} />}
        </Stack>
      </Stack>
    </>
  );
}

function NewFieldForm({ orgId, orgName }: { orgId: string; orgName: string }) {
  const { t } = useTranslation('people');
  const create = useCreateField();
  const [label, setLabel] = useState('');
  const [type, setType] = useState<(typeof CUSTOM_FIELD_TYPES)[number]>('text');
  const [options, setOptions] = useState<string[]>([]);
  const choice = type.endsWith('_choice');
  const errors = serverFieldErrors(create.error);

  return (
    <Paper withBorder radius="md" p="md">
      <form
        noValidate
        data-testid="field-create-form"
        onSubmit={(event) => {
          event.preventDefault();
          if (!label.trim() || (choice && options.length === 0)) return;
          create.mutate(
            { orgId, label: label.trim(), type, ...(choice ? { options } : {}) },
            {
              onSuccess: () => {
                notifySuccess(t('customFields.created'));
                setLabel('');
                setOptions([]);
              },
            },
          );
        }}
      >
        <Stack gap="sm">
          <Text fw={600} size="sm">
            {t('customFields.newIn', { org: orgName })}
          </Text>
          <Group gap="sm" align="flex-start" wrap="wrap">
            <TextInput
              style={{ flex: '1 1 220px' }}
              label={t('customFields.label')}
              value={label}
              onChange={(event) => setLabel(event.currentTarget.value)}
              error={errors.label || errors.key ? t('form.invalid') : undefined}
              data-testid="field-label"
            />
            <NativeSelect
              w={200}
              label={t('customFields.type')}
              value={type}
              onChange={(event) => setType(event.currentTarget.value as (typeof CUSTOM_FIELD_TYPES)[number])}
              data={CUSTOM_FIELD_TYPES.map((ft) => ({ value: ft, label: t(`fieldTypes.${ft}`) }))}
              data-testid="field-type"
            />
          </Group>
          {choice && (
            <TagsInput
              label={t('customFields.options')}
              description={t('customFields.optionsHint')}
              value={options}
              onChange={setOptions}
              error={errors.options || options.length === 0 ? t('customFields.optionsRequired') : undefined}
              data-testid="field-options"
            />
          )}
          <FormError error={create.error} />
          <Group justify="flex-end">
            <Button
              type="submit"
              loading={create.isPending}
              disabled={!label.trim() || (choice && options.length === 0)}
              data-testid="field-create-submit"
            >
              {t('customFields.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
